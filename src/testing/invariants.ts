/**
 * The engine's promises as ready-made invariants, to add to an app's own:
 * `invariants: [...engineInvariants, myInvariant]`.
 */
import { TapTalkError, type PublicState } from '../index.js';
import type { Invariant, ScenarioContext } from './types.js';

const ACTIVE: readonly PublicState[] = ['authenticated', 'connecting', 'connected'];

/** Whether a stored value holds a token the server issued (whatever the storage format). */
function storesToken(ctx: ScenarioContext<unknown>): boolean {
  const values = Object.values(ctx.storage.snapshot());
  for (const token of ctx.traffic.issuedTokens) if (values.some((v) => v.includes(token))) return true;
  return false;
}

/** `connected` means a user and tokens: never a socket with nothing behind it (SES-5). */
export const neverConnectedWithoutTokens: Invariant = {
  name: 'never connected without tokens',
  check(ctx) {
    if (ctx.ended) return;
    for (const page of ctx.pages) {
      if (page.session.state !== 'connected') continue;
      if (page.session.user === null) return `page ${page.index} is connected without a user`;
      if (!storesToken(ctx)) return `page ${page.index} is connected but no token is stored`;
    }
  },
};

/** After a logout (or a session the server ended) no token stays in storage (SES-50). */
export const noTokenAfterLogout: Invariant = {
  name: 'no token in storage after logout',
  check(ctx) {
    if (ctx.ended || ctx.pages.some((p) => ACTIVE.includes(p.session.state))) return;
    const out = ctx.pages.find((p) => p.session.state === 'loggedOut');
    if (out && storesToken(ctx)) return `page ${out.index} is loggedOut but a token is still stored`;
  },
};

/**
 * No promise is left rejected without a handler, by the engine or the app. While it is among the
 * invariants, the runner takes the process's `unhandledRejection` over (other listeners are put
 * back after the scenario) and reports each rejection here.
 */
export const noUnhandledRejection: Invariant = {
  name: 'no unhandled rejection',
  check(ctx) {
    if (ctx.unhandledRejections.length === 0) return;
    const reasons = ctx.unhandledRejections.map((r) => (r instanceof Error ? `${r.name}: ${r.message}` : String(r)));
    return `unhandled rejection: ${reasons.join('; ')}`;
  },
};

/**
 * One refresh per rotation: never two refresh requests in flight at once, and a refresh token
 * whose rotation reached a session is never sent again, by it or by a sibling on the same storage.
 */
export const oneRefreshPerRotation: Invariant = {
  name: 'at most one refresh per rotation',
  check({ traffic }) {
    if (traffic.maxRefreshesInFlight > 1) return `${traffic.maxRefreshesInFlight} refresh requests were in flight at once`;
    const rotated = new Map<string, number>();
    for (const r of traffic.refreshes) {
      const by = rotated.get(r.token);
      if (by !== undefined) return `page ${r.page} sent a refresh token again after its rotation reached page ${by}`;
      if (r.outcome === 'rotated') rotated.set(r.token, r.page);
    }
  },
};

/** Every call a step made settles (rejecting only with a `TapTalkError`), and dispose leaves no timer. */
export const settlesOnDispose: Invariant = {
  name: 'every call settles, nothing is left after dispose',
  check(ctx) {
    const odd = ctx.calls.find((c) => c.error !== undefined && !(c.error instanceof TapTalkError));
    if (odd) return `${odd.label} (page ${odd.page}) rejected with a non-TapTalkError: ${String(odd.error)}`;
    if (!ctx.ended) return;
    const pending = ctx.calls.filter((c) => !c.settled).map((c) => `${c.label} (page ${c.page})`);
    if (pending.length > 0) return `still pending after dispose: ${pending.join(', ')}`;
    if (ctx.sessionTimers > 0) return `dispose left ${ctx.sessionTimers} timer(s) on the clock`;
  },
};

/** All of the engine's invariants above. */
export const engineInvariants: readonly Invariant[] = Object.freeze([
  neverConnectedWithoutTokens,
  noTokenAfterLogout,
  noUnhandledRejection,
  oneRefreshPerRotation,
  settlesOnDispose,
]);
