/**
 * The ready-made invariants, each shown to catch the violation it exists for (a context with the
 * violation) and to stay quiet without it (the same context, mended). Hand-made contexts: no I/O.
 */
import { describe, expect, it } from 'vitest';
import { TapTalkError, type PublicState, type Session } from '../../src/index.js';
import {
  engineInvariants,
  neverConnectedWithoutTokens,
  noTokenAfterLogout,
  noUnhandledRejection,
  oneRefreshPerRotation,
  settlesOnDispose,
  type Invariant,
  type RefreshRecord,
  type ScenarioContext,
  type ScenarioPage,
} from '../../src/testing/index.js';

const page = (index: number, state: PublicState, user = state === 'connected'): ScenarioPage<null> => ({
  index,
  session: { state, user: user ? { userID: 'u1' } : null } as unknown as Session,
  app: null,
  transitions: [],
  errors: [],
  events: [],
});

function context(over: Partial<Omit<ScenarioContext<null>, 'storage' | 'traffic'>> & { stored?: Record<string, string>; refreshes?: RefreshRecord[]; maxInFlight?: number } = {}): ScenarioContext<null> {
  const pages = over.pages ?? [page(0, 'unauthenticated')];
  return {
    app: null,
    session: pages[0]!.session,
    emulator: undefined as never,
    clock: undefined as never,
    storage: { snapshot: () => over.stored ?? {} },
    traffic: { issuedTokens: new Set(['at-1', 'rt-1']), refreshes: over.refreshes ?? [], maxRefreshesInFlight: over.maxInFlight ?? 0 },
    calls: [],
    unhandledRejections: [],
    sessionTimers: 0,
    steps: [],
    index: 0,
    ended: false,
    ...over,
    pages,
  };
}

const run = (invariant: Invariant, ctx: ScenarioContext<null>) => invariant.check(ctx) ?? undefined;
const withToken = { 'taptalk-session:app:session': JSON.stringify({ v: 1, accessToken: 'at-1', refreshToken: 'rt-1' }) };

describe('engine invariants', () => {
  it('never connected without tokens: a connected page with nothing stored, or no user, is caught', () => {
    expect(run(neverConnectedWithoutTokens, context({ pages: [page(0, 'connected')], stored: withToken }))).toBeUndefined();
    expect(run(neverConnectedWithoutTokens, context({ pages: [page(0, 'connected')], stored: {} }))).toMatch(/connected but no token is stored/);
    expect(run(neverConnectedWithoutTokens, context({ pages: [page(0, 'connected', false)], stored: withToken }))).toMatch(/without a user/);
    // A token the server never issued does not count.
    expect(run(neverConnectedWithoutTokens, context({ pages: [page(0, 'connected')], stored: { k: 'at-999' } }))).toMatch(/no token/);
  });

  it('no token after logout: loggedOut with a token stored is caught, unless a sibling is still active', () => {
    expect(run(noTokenAfterLogout, context({ pages: [page(0, 'loggedOut')] }))).toBeUndefined();
    expect(run(noTokenAfterLogout, context({ pages: [page(0, 'loggedOut')], stored: withToken }))).toMatch(/page 0 is loggedOut but a token is still stored/);
    expect(run(noTokenAfterLogout, context({ pages: [page(0, 'loggedOut'), page(1, 'connected')], stored: withToken }))).toBeUndefined();
  });

  it('no unhandled rejection: any collected rejection is reported with its reason', () => {
    expect(run(noUnhandledRejection, context())).toBeUndefined();
    expect(run(noUnhandledRejection, context({ unhandledRejections: [new TypeError('boom'), 'plain'] }))).toBe('unhandled rejection: TypeError: boom; plain');
  });

  it('one refresh per rotation: a rotated token sent again, or two refreshes at once, is caught; a retry after a lost answer is not', () => {
    const r = (page: number, token: string, outcome: RefreshRecord['outcome']): RefreshRecord => ({ page, token, at: 0, outcome });
    expect(run(oneRefreshPerRotation, context({ refreshes: [r(0, 'rt-1', 'failed'), r(0, 'rt-1', 'rotated')], maxInFlight: 1 }))).toBeUndefined();
    expect(run(oneRefreshPerRotation, context({ refreshes: [r(0, 'rt-1', 'rotated'), r(1, 'rt-1', 'refused')], maxInFlight: 1 }))).toBe(
      'page 1 sent a refresh token again after its rotation reached page 0',
    );
    expect(run(oneRefreshPerRotation, context({ refreshes: [r(0, 'rt-1', 'rotated'), r(1, 'rt-2', 'rotated')], maxInFlight: 2 }))).toMatch(/2 refresh requests were in flight at once/);
  });

  it('settles on dispose: a call still pending, a rejection that is not a TapTalkError, or a timer left, is caught', () => {
    const settled = { page: 0, label: 'connect #1', settled: true, error: new TapTalkError('95012') };
    expect(run(settlesOnDispose, context({ ended: true, calls: [settled] }))).toBeUndefined();
    expect(run(settlesOnDispose, context({ ended: true, calls: [{ page: 0, label: 'logout #2', settled: false }] }))).toBe('still pending after dispose: logout #2 (page 0)');
    // Pending is fine before the end: a connect may wait for long.
    expect(run(settlesOnDispose, context({ calls: [{ page: 0, label: 'logout #2', settled: false }] }))).toBeUndefined();
    expect(run(settlesOnDispose, context({ calls: [{ page: 0, label: 'send #3', settled: true, error: new Error('raw') }] }))).toMatch(/non-TapTalkError/);
    expect(run(settlesOnDispose, context({ ended: true, sessionTimers: 2 }))).toBe('dispose left 2 timer(s) on the clock');
  });

  it('are all in engineInvariants, each with a name', () => {
    expect(engineInvariants).toEqual([neverConnectedWithoutTokens, noTokenAfterLogout, noUnhandledRejection, oneRefreshPerRotation, settlesOnDispose]);
    expect(new Set(engineInvariants.map((i) => i.name)).size).toBe(engineInvariants.length);
  });
});
