/**
 * Runs the pure machine with fake actors and a simulated clock. Each fake actor's call is recorded
 * and settled by the test, so every interleaving can be driven by hand or by fast-check.
 */
import { createActor, fromCallback, fromPromise, SimulatedClock, type InspectionEvent } from 'xstate';
import { sessionMachine, publicStateOf, substateOf, type MachineSettings, type SessionInput, type TokenGrant, type LoadResult, type SessionEvent } from '../../machines/index.js';

export const testSettings: MachineSettings = {
  refreshMarginMs: 60_000,
  minRefreshDelayMs: 1_000,
  backoffBaseMs: 1_000,
  backoffCapMs: 30_000,
  firstRetryMaxMs: 1_000,
  connectionStateTtlMs: 120_000,
  suspendedRetryMs: 30_000,
  maxReconnectAttempts: Number.POSITIVE_INFINITY,
  pingIntervalMs: 15_000,
  pongTimeoutMs: 5_000,
  openTimeoutMs: 10_000,
  logoutTimeoutMs: 5_000,
};

/** A pending call to a fake actor, settled by the test. */
export interface Pending<I, O> {
  input: I;
  resolve(value: O): void;
  reject(error: unknown): void;
  aborted: boolean;
  /** Set once the test resolved or rejected it. */
  settled: boolean;
}

export function grant(now: number, overrides: Partial<TokenGrant> = {}, n = 1): TokenGrant {
  return {
    accessToken: `access-${n}`,
    refreshToken: `refresh-${n}`,
    accessTokenExpiry: now + 3_600_000,
    refreshTokenExpiry: now + 30 * 86_400_000,
    user: { userID: 'u1', xcUserID: 'x1', fullname: 'Ada' },
    serverTime: now,
    receivedAt: now,
    ...overrides,
  };
}

export function authError(code = '40104') {
  return { code, retryable: false, unauthorized: true };
}
export function netError(code = '90004') {
  return { code, retryable: true, unauthorized: false };
}

/** Options of `createHarness`; every one defaults to the plain case. */
export interface HarnessOptions {
  settings?: Partial<MachineSettings>;
  preloaded?: SessionInput['preloaded'];
  random?: () => number;
  /** What `loadSession` answers at once; ignored when `deferLoad` is set. */
  load?: LoadResult;
  /** Record `loadSession` calls in `calls.load` and let the test settle them. */
  deferLoad?: boolean;
  /** xstate's inspection hook, for tests that watch microsteps (path coverage). */
  inspect?: (event: InspectionEvent) => void;
}

/** What the simulated clock has scheduled: one entry per pending timer. */
export interface PendingTimer {
  due: number;
  delay: number;
}

export function createHarness(opts: HarnessOptions = {}) {
  const clock = new SimulatedClock();
  clock.set(1_700_000_000_000);
  const calls = {
    exchange: [] as Pending<{ ticket: string }, TokenGrant>[],
    refresh: [] as Pending<{ refreshToken: string }, TokenGrant>[],
    probe: [] as Pending<{ accessToken: string }, void>[],
    revoke: [] as Pending<{ accessToken: string }, void>[],
    load: [] as Pending<unknown, LoadResult>[],
    sockets: [] as { input: { accessToken: string }; send: (e: SessionEvent) => void; pings: number; closed: boolean }[],
    clears: 0,
  };
  function deferred<I, O>(list: Pending<I, O>[]) {
    return fromPromise<O, I>(({ input, signal }) =>
      new Promise<O>((resolve, reject) => {
        const p: Pending<I, O> = {
          input,
          resolve: (v) => { p.settled = true; resolve(v); },
          reject: (e) => { p.settled = true; reject(e); },
          aborted: false,
          settled: false,
        };
        signal.addEventListener('abort', () => { p.aborted = true; });
        list.push(p);
      }),
    );
  }
  const machine = sessionMachine.provide({
    actors: {
      loadSession: opts.deferLoad
        ? deferred<unknown, LoadResult>(calls.load)
        : fromPromise(async () => opts.load ?? ({ kind: 'none' } as LoadResult)),
      exchangeTicket: deferred(calls.exchange),
      refreshTokens: deferred(calls.refresh),
      probeToken: deferred(calls.probe),
      revokeSession: deferred(calls.revoke),
      openSocket: fromCallback(({ input, sendBack, receive }) => {
        const s = { input, send: (e: SessionEvent) => { if (!s.closed) sendBack(e); }, pings: 0, closed: false };
        receive((e) => { if (e.type === 'ping') s.pings++; });
        calls.sockets.push(s);
        return () => { s.closed = true; };
      }),
    },
    actions: { clearStoredSession: () => { calls.clears++; } },
  });
  let seq = 0;
  const actor = createActor(machine, {
    clock,
    ...(opts.inspect ? { inspect: opts.inspect } : {}),
    input: {
      settings: { ...testSettings, ...opts.settings },
      now: () => clock.now(),
      random: opts.random ?? (() => ((seq = (seq * 9301 + 49297) % 233280) / 233280)),
      preloaded: opts.preloaded,
    },
  });
  actor.start();
  const flush = () => new Promise<void>((r) => setTimeout(r, 0));
  return {
    actor,
    clock,
    calls,
    flush,
    state: () => publicStateOf(actor.getSnapshot()),
    substate: () => substateOf(actor.getSnapshot().value),
    send: (e: SessionEvent) => actor.send(e),
    /** Advance simulated time and let promise callbacks run. */
    async advance(ms: number) {
      clock.increment(ms);
      await flush();
    },
    openSockets: () => calls.sockets.filter((s) => !s.closed),
    /** Calls still waiting for the test to settle them, of one fake actor. */
    pending: <I, O>(list: Pending<I, O>[]) => list.filter((p) => !p.aborted && !p.settled),
    /** Timers the simulated clock holds, soonest first (reads xstate's SimulatedClock internals). */
    timers(): PendingTimer[] {
      const map = (clock as unknown as { timeouts: Map<number, { start: number; timeout: number }> }).timeouts;
      return [...map.values()]
        .map((t) => ({ due: t.start + t.timeout, delay: t.timeout }))
        .sort((a, b) => a.due - b.due);
    },
  };
}
