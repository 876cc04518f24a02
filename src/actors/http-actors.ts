/**
 * The actors that talk HTTP: ticket exchange, refresh, token probe and server logout, plus the
 * restore from storage. Each takes the actor's abort signal, so a stopped actor (logout, dispose)
 * cancels its request and never writes the storage afterwards (SES-53).
 */
import { fromPromise } from 'xstate';
import { credentialsFromGrant } from '../../machines/credentials.js';
import type { LoadResult, StoredState, TokenGrant } from '../../machines/session.types.js';
import { TapTalkError } from '../errors.js';
import * as api from '../protocol/endpoints.js';
import type { HttpConfig } from '../protocol/http.js';
import type { DepsOf } from './registry.js';

/** One endpoint call with the session's HTTP settings and the actor's signal. */
type Call<Input, Output> = (http: HttpConfig, input: Input, signal: AbortSignal) => Promise<Output>;

/** The HTTP actors by the names the machine gives them. */
export function httpActors(depsOf: DepsOf) {
  const call = <Input, Output = void>(send: Call<Input, Output>) =>
    fromPromise<Output, Input>(async ({ input, signal, system }) => send(await depsOf(system).http(), input, signal));

  /**
   * Stamps the grant with its arrival and stores it before the machine may use it (SES-5), as a
   * new version (SES-86). A refreshed grant is stored only over the session it replaces; when a
   * sibling changed the storage meanwhile it comes back `superseded` for the machine to decide.
   */
  const grant = <Input extends { version: number }>(send: Call<Input, TokenGrant>, replaces?: (input: Input) => string) =>
    fromPromise<TokenGrant, Input>(async ({ input, signal, system }) => {
      const deps = depsOf(system);
      const received = await send(await deps.http(), input, signal);
      const now = deps.clock.now();
      const stamped: TokenGrant = { ...received, receivedAt: now };
      if (signal.aborted) throw new TapTalkError('95016');
      const credentials = credentialsFromGrant(stamped, now, deps.settings);
      const version = await deps.store.save(credentials, stamped.user, { now, version: input.version, ...(replaces ? { replacing: replaces(input) } : {}) });
      return version === null ? { ...stamped, superseded: true } : { ...stamped, version };
    });

  return {
    loadSession: fromPromise<LoadResult>(({ system }) => {
      const deps = depsOf(system);
      return deps.store.load(deps.clock.now());
    }),
    readStoredSession: fromPromise<StoredState | null>(({ system }) => {
      const deps = depsOf(system);
      return deps.store.read(deps.clock.now());
    }),
    exchangeTicket: grant<{ ticket: string; version: number }>((http, input, signal) => api.exchangeTicket(http, input.ticket, signal)),
    refreshTokens: grant<{ refreshToken: string; version: number }>(
      (http, input, signal) => api.refreshTokens(http, input.refreshToken, signal),
      (input) => input.refreshToken,
    ),
    probeToken: call<{ accessToken: string }>((http, input, signal) => api.probeToken(http, input.accessToken, signal)),
    revokeSession: call<{ accessToken: string }>((http, input, signal) => api.logout(http, input.accessToken, signal)),
  };
}
