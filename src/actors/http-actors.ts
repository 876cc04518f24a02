/**
 * The actors that talk HTTP: ticket exchange, refresh, token probe and server logout, plus the
 * restore from storage. Each takes the actor's abort signal, so a stopped actor (logout, dispose)
 * cancels its request and never writes the storage afterwards (SES-53).
 */
import { fromPromise } from 'xstate';
import { credentialsFromGrant } from '../../machines/delays.js';
import type { LoadResult, TokenGrant } from '../../machines/session.types.js';
import { TapTalkError } from '../errors.js';
import * as api from '../protocol/endpoints.js';
import type { ActorDeps, DepsOf } from './deps.js';

/** Stamps the grant with its arrival and stores it before the machine may use it (SES-5). */
async function keep(deps: ActorDeps, grant: TokenGrant, signal: AbortSignal): Promise<TokenGrant> {
  const stamped = { ...grant, receivedAt: deps.clock.now() };
  if (signal.aborted) throw new TapTalkError('95016');
  await deps.store.save(credentialsFromGrant(stamped, stamped.receivedAt, deps.settings), stamped.user);
  return stamped;
}

/** The HTTP actors by the names the machine gives them. */
export function httpActors(depsOf: DepsOf) {
  return {
    loadSession: fromPromise<LoadResult>(({ system }) => {
      const deps = depsOf(system);
      return deps.store.load(deps.clock.now());
    }),
    exchangeTicket: fromPromise<TokenGrant, { ticket: string }>(async ({ input, signal, system }) => {
      const deps = depsOf(system);
      return keep(deps, await api.exchangeTicket(await deps.http(), input.ticket, signal), signal);
    }),
    refreshTokens: fromPromise<TokenGrant, { refreshToken: string }>(async ({ input, signal, system }) => {
      const deps = depsOf(system);
      return keep(deps, await api.refreshTokens(await deps.http(), input.refreshToken, signal), signal);
    }),
    probeToken: fromPromise<void, { accessToken: string }>(async ({ input, signal, system }) =>
      api.probeToken(await depsOf(system).http(), input.accessToken, signal),
    ),
    revokeSession: fromPromise<void, { accessToken: string }>(async ({ input, signal, system }) =>
      api.logout(await depsOf(system).http(), input.accessToken, signal),
    ),
  };
}
