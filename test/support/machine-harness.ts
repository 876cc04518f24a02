/**
 * Runs the pure machine with fake actors and a simulated clock. Each fake actor's call is recorded
 * and settled by the test, so every interleaving can be driven by hand or by fast-check.
 */
import { createActor, fromCallback, fromPromise, SimulatedClock, type InspectionEvent } from 'xstate';
import { DEFAULT_TIMINGS } from '../../src/options.js';
import { sessionMachine, publicStateOf, substateOf, type MachineSettings, type SessionInput, type TokenGrant, type LoadResult, type SessionEvent, type StoredState } from '../../machines/index.js';

/** The documented defaults (docs/state-machine.md, "Timings"): machine tests run on what apps get. */
export const testSettings: MachineSettings = { ...DEFAULT_TIMINGS };

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
  preloaded?: StoredState | null;
  random?: () => number;
  /** What `loadSession` answers at once; ignored when `deferLoad` is set. */
  load?: LoadResult;
  /** Record `loadSession` calls in `calls.load` and let the test settle them. */
  deferLoad?: boolean;
  /** Siblings are followed (SES-80..89): the refresh takes the lock and reads the storage again. */
  coordinated?: boolean;
  /** xstate's inspection hook, for tests that watch microsteps (path coverage). */
  inspect?: (event: InspectionEvent) => void;
}

/** What the simulated clock has scheduled: one entry per pending timer. */
export interface PendingTimer {
  due: number;
  delay: number;
}

/** Everything a harness's fake actors record. */
export interface Calls {
  exchange: Pending<{ ticket: string; version: number }, TokenGrant>[];
  refresh: Pending<{ refreshToken: string; version: number }, TokenGrant>[];
  /** `readStoredSession` calls (SES-82, SES-85). */
  reads: Pending<unknown, StoredState | null>[];
  /** `holdRefreshLock` actors: `released` once their state was left (SES-81). */
  locks: { released: boolean }[];
  probe: Pending<{ accessToken: string }, void>[];
  revoke: Pending<{ accessToken: string }, void>[];
  load: Pending<unknown, LoadResult>[];
  sockets: { input: { accessToken: string }; send: (e: SessionEvent) => void; pings: number; closed: boolean }[];
  clears: number;
  /** Of `clears`, those limited to this session's own tokens (`'ifMine'`, SES-85). */
  ownClears: number;
  /** The codes `dropQueuedFrames` ran with, in order (SES-62). */
  drops: string[];
}

/** Records one call of a fake actor and returns the promise the test settles. */
function pendingCall<I, O>(list: Pending<I, O>[], input: I, signal: AbortSignal): Promise<O> {
  return new Promise<O>((resolve, reject) => {
    const p: Pending<I, O> = {
      input,
      resolve: (v) => { p.settled = true; resolve(v); },
      reject: (e) => { p.settled = true; reject(e); },
      aborted: false,
      settled: false,
    };
    signal.addEventListener('abort', () => { p.aborted = true; });
    list.push(p);
  });
}

/**
 * The machine with fake actors over one harness's `calls` and options, provided per harness by
 * closure, the way `.provide()` is meant to be used: nothing looks a harness up.
 */
function fakeMachine(calls: Calls, opts: HarnessOptions) {
  const deferred = <I, O>(list: Pending<I, O>[]) => fromPromise<O, I>(({ input, signal }) => pendingCall(list, input, signal));
  return sessionMachine.provide({
    actors: {
      loadSession: fromPromise<LoadResult, unknown>(({ input, signal }) => {
        if (!opts.deferLoad) return Promise.resolve(opts.load ?? { kind: 'none' });
        return pendingCall(calls.load, input, signal);
      }),
      exchangeTicket: deferred(calls.exchange),
      refreshTokens: deferred(calls.refresh),
      probeToken: deferred(calls.probe),
      revokeSession: deferred(calls.revoke),
      readStoredSession: deferred(calls.reads),
      holdRefreshLock: fromCallback(() => {
        const lock = { released: false };
        calls.locks.push(lock);
        return () => { lock.released = true; };
      }),
      openSocket: fromCallback(({ input, sendBack, receive }) => {
        const s = { input, send: (e: SessionEvent) => { if (!s.closed) sendBack(e); }, pings: 0, closed: false };
        receive((e) => { if (e.type === 'ping') s.pings++; });
        calls.sockets.push(s);
        return () => { s.closed = true; };
      }),
    },
    actions: {
      clearStoredSession: (_, scope) => {
        calls.clears++;
        if (scope === 'ifMine') calls.ownClears++;
      },
      dropQueuedFrames: (_, code) => { calls.drops.push(code); },
    },
  });
}

/** A machine with fake actors and the record they write: one per harness, or reused by harnesses made one after another. */
export interface Fakes {
  calls: Calls;
  machine: ReturnType<typeof fakeMachine>;
}

/**
 * Fakes for harnesses made one after another with the same options: the machine is built once
 * (each build costs more than a short path, and the path-coverage test replays thousands), and
 * each new harness starts with the record emptied. The previous harness must no longer be used.
 */
export function createFakes(opts: HarnessOptions = {}): Fakes {
  const calls: Calls = { exchange: [], refresh: [], probe: [], revoke: [], load: [], sockets: [], clears: 0, reads: [], locks: [], ownClears: 0, drops: [] };
  return { calls, machine: fakeMachine(calls, opts) };
}

function emptied(calls: Calls): Calls {
  for (const list of [calls.exchange, calls.refresh, calls.probe, calls.revoke, calls.load, calls.sockets, calls.reads, calls.locks, calls.drops]) list.length = 0;
  calls.clears = 0;
  calls.ownClears = 0;
  return calls;
}

/** A started actor on the fakes (new ones, unless given) and a simulated clock. */
export function createHarness(opts: HarnessOptions = {}, fakes: Fakes = createFakes(opts)) {
  const clock = new SimulatedClock();
  clock.set(1_700_000_000_000);
  const calls = emptied(fakes.calls);
  let seq = 0;
  const actor = createActor(fakes.machine, {
    clock,
    ...(opts.inspect ? { inspect: opts.inspect } : {}),
    input: {
      settings: { ...testSettings, ...opts.settings },
      now: () => clock.now(),
      random: opts.random ?? (() => ((seq = (seq * 9301 + 49297) % 233280) / 233280)),
      preload: () => opts.preloaded,
      coordinated: opts.coordinated ?? false,
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
