/**
 * The system under test of the model test: the real session (`createSession`) on a simulated
 * clock, over the fake server and sockets, with every stream observed and every promise tracked.
 * `check()` asserts the invariants of docs/reliability.md after each step; `dispose()` also
 * asserts that nothing is left behind.
 */
import { PUBLIC_STATES, type PublicState } from '../../machines/session.types.js';
import { TapTalkError } from '../../src/errors.js';
import type { EnvironmentEvent } from '../../src/platform/ports.js';
import { createSession } from '../../src/session/create-session.js';
import type { Session, SessionTransition } from '../../src/session/types.js';
import { memoryStorage } from '../../src/storage/memory.js';
import { storageKeys } from '../../src/storage/keys.js';
import type { StorageAdapter } from '../../src/storage/types.js';
import { ScenarioClock, seeded } from '../../src/testing/index.js';
import { FakeServer } from './fake-server.js';
import { socketClass } from './fake-sockets.js';

/** What varies between runs, drawn once per run. */
export interface RunParams {
  flavor: 'browser' | 'node';
  storage: 'sync' | 'async';
  accessTtlMs: number;
  refreshTtlMs: number;
  seed: number;
  maxQueuedFrames: number;
  maxReconnectAttempts: number;
}

const ACTIVE: readonly PublicState[] = ['authenticated', 'connecting', 'connected'];
const START = 1_700_000_000_000;
const SESSION_KEY = storageKeys('app').session;
/**
 * With a healthy server, longer than this in `connecting` or in a refresh backoff is being stuck:
 * the longest wait is a suspended retry (30 s) plus a probe and a handshake.
 */
const PROGRESS_MS = 65_000;
/** The session's storage deadline (SES-57): small, so a hanging storage is given up on within a step. */
export const STORAGE_TIMEOUT_MS = 200;
/** What the storage does: answers, throws on every write (a quota), or never answers. */
export type StorageFault = 'none' | 'refuses' | 'hangs';
/** Timer firings one advance may take before it counts as a busy loop. */
const MAX_FIRINGS = 20_000;

/** A promise the session returned, and what it must come to. */
interface Tracked {
  label: string;
  instance: number;
  settled: boolean;
  /** Extra expectation on the outcome; returns a complaint or nothing. */
  expect?: (outcome: { ok: true; value: unknown } | { ok: false; error: unknown }) => string | undefined;
}

/** Unhandled rejections of the whole file; the test installs the listener. */
export const unhandled: unknown[] = [];

/** How often each transition reason, substate and error code was seen, over every run of the file. */
export const coverage = new Map<string, number>();
const count = (key: string) => coverage.set(key, (coverage.get(key) ?? 0) + 1);

export class World {
  /** The testing kit's clock: it says when its next timer is due, so time can pass timer by timer. */
  readonly clock = new ScenarioClock(START);
  readonly server: FakeServer;
  readonly random: () => number;
  readonly store = memoryStorage();
  readonly storage: StorageAdapter;
  readonly violations: string[] = [];
  /** Switched by the `storage` command; applies to every call made while it is on. */
  storageFault: StorageFault = 'none';
  /**
   * A storage fault struck in this run: what is stored may lag behind the session from then on
   * (a save refused, SES-57; a removal refused, SES-55), so the invariants comparing the two are off.
   */
  storageFaulted = false;
  session!: Session;
  instance = 0;
  disposed = false;
  private alive = false;
  private envEmit: ((e: EnvironmentEvent) => void) | null = null;
  private envWatchers = 0;
  private readonly tracked: Tracked[] = [];
  /** Sends by number: pending, ok, or the rejection code. */
  readonly sends = new Map<number, 'pending' | 'ok' | string>();
  nextSend = 0;
  readonly authCalls = new Map<string, number>();
  /** The last ticket minted, for `authenticate(reused ticket)`. */
  lastTicket: string | undefined;
  lastState: PublicState = 'unauthenticated';
  lastTo: PublicState = 'unauthenticated';
  readonly transitions: SessionTransition[] = [];
  events = 0;
  frameErrors = 0;
  /** 401-class answers the server had given when the session last became active. */
  private unauthorizedAtActive = 0;
  step = '(start)';
  /** Since when each "stuck" condition has held with a healthy server (see checkProgress). */
  private readonly stuck = new Map<string, number>();
  /** Times the session left the active states, to tell an abandoned refresh from an ended session. */
  private leftActive = 0;
  private abandonedSeen = 0;
  private leftActiveAtLastCheck = 0;

  constructor(readonly params: RunParams) {
    this.random = seeded(params.seed);
    this.server = new FakeServer({ clock: this.clock, accessTtlMs: params.accessTtlMs, refreshTtlMs: params.refreshTtlMs });
    const answering: StorageAdapter =
      params.storage === 'sync'
        ? this.store
        : {
            getItem: async (k) => (await null, this.store.getItem(k)),
            setItem: async (k, v) => (await null, this.store.setItem(k, v)),
            removeItem: async (k) => (await null, this.store.removeItem(k)),
          };
    const hang = () => new Promise<never>(() => {});
    const write = <T>(op: () => T): T | Promise<never> => {
      if (this.storageFault === 'hangs') return hang();
      if (this.storageFault === 'refuses') throw new Error('QuotaExceededError: the storage refuses writes');
      return op();
    };
    this.storage = {
      getItem: (k) => (this.storageFault === 'hangs' ? hang() : answering.getItem(k)),
      setItem: (k, v) => write(() => answering.setItem(k, v)),
      removeItem: (k) => write(() => answering.removeItem(k)),
    };
    this.startInstance();
  }

  violation(message: string): void {
    this.violations.push(message);
  }

  /** Creates a session instance over the same storage (a page reload when one existed). */
  startInstance(): void {
    const instance = ++this.instance;
    this.alive = true;
    this.disposed = false;
    this.lastState = 'unauthenticated';
    this.lastTo = 'unauthenticated';
    const isAlive = () => this.alive && this.instance === instance;
    const session = createSession({
      baseUrl: 'https://chat.test',
      appID: 'app',
      appSecret: 'secret',
      clock: this.clock,
      random: this.random,
      storage: this.storage,
      fetch: this.server.fetchFor(instance, isAlive),
      WebSocket: socketClass(this.server, instance, this.params.flavor, isAlive),
      logger: { warn: () => {}, error: (m, ...d) => this.violation(`logger.error: ${m} ${d.map(String).join(' ')}`) },
      environment: (emit) => {
        this.envWatchers++;
        this.envEmit = emit;
        return () => {
          this.envWatchers--;
          if (this.envEmit === emit) this.envEmit = null;
        };
      },
      maxQueuedFrames: this.params.maxQueuedFrames,
      storageTimeoutMs: STORAGE_TIMEOUT_MS,
      timings: { maxReconnectAttempts: this.params.maxReconnectAttempts },
    });
    this.session = session;
    session.state$.subscribe((s) => {
      if (this.instance === instance) this.lastState = s;
    });
    session.transitions$.subscribe((t) => this.onTransition(t, instance));
    session.errors$.subscribe((e) => {
      if (!(e instanceof TapTalkError)) this.violation(`errors$ carried a non-TapTalkError: ${String(e)}`);
      else {
        count(`error ${e.code}`);
        if (e.code === '95004') this.frameErrors++;
      }
    });
    session.events$.subscribe(() => this.events++);
  }

  private onTransition(t: SessionTransition, instance: number): void {
    if (this.instance !== instance) return;
    this.transitions.push(t);
    count(`state ${t.to}${t.substate ? `.${t.substate}` : ''}`);
    if (t.reason) count(`reason ${t.reason}`);
    if (t.from !== this.lastTo) this.violation(`transitions$ skipped: ${this.lastTo} then ${t.from} → ${t.to}`);
    this.lastTo = t.to;
    if (!PUBLIC_STATES.includes(t.to)) this.violation(`transition to ${String(t.to)}`);
    // Every change of public state says why (architecture §4), so apps can react to the cause.
    if (t.from !== t.to && t.reason === undefined) this.violation(`${t.from} → ${t.to} without a reason (${t.event})`);
    if (ACTIVE.includes(t.to) && !ACTIVE.includes(t.from)) this.unauthorizedAtActive = this.server.unauthorizedAnswers;
    if (ACTIVE.includes(t.from) && !ACTIVE.includes(t.to)) this.leftActive++;
    if (t.to === 'loggedOut' && t.from !== 'loggedOut') this.server.retireAll();
    if (t.reason === 'refresh_token_expired' && !ACTIVE.includes(t.from)) this.violation(`refresh_token_expired again, from ${t.from}`);
    const settings = this.session.actor.getSnapshot().context.settings;
    if (t.substate === 'waiting' || t.substate === 'suspended') {
      // Transitions carry retryIn, never beyond the cap (SES-21, SES-23).
      const cap = Math.max(settings.backoffCapMs, settings.suspendedRetryMs);
      if (t.retryIn === undefined || t.retryIn < 0 || t.retryIn > cap) this.violation(`${t.substate} with retryIn ${t.retryIn}`);
      // SES-20: the first retry after an established connection drops comes within a second (when online).
      const online = this.session.actor.getSnapshot().context.online;
      if (t.from === 'connected' && online && t.substate === 'waiting' && (t.retryIn ?? Infinity) >= settings.firstRetryMaxMs) {
        this.violation(`first retry after a drop in ${t.retryIn} ms`);
      }
    }
    // SES-7: only a refusal by the server may end the session; a transient failure never does.
    if (t.reason === 'refresh_token_expired' && this.server.unauthorizedAnswers <= this.unauthorizedAtActive) {
      this.violation('logged out as refresh_token_expired although the server refused nothing');
    }
  }

  /** Follows a promise of the session: it must settle, and only ever reject with a TapTalkError. */
  track<T>(label: string, promise: Promise<T>, expect?: Tracked['expect']): Promise<T> {
    const t: Tracked = { label, instance: this.instance, settled: false, ...(expect ? { expect } : {}) };
    this.tracked.push(t);
    promise.then(
      (value) => {
        t.settled = true;
        const complaint = t.expect?.({ ok: true, value });
        if (complaint) this.violation(`${label}: ${complaint}`);
      },
      (error: unknown) => {
        t.settled = true;
        if (!(error instanceof TapTalkError)) this.violation(`${label} rejected with a non-TapTalkError: ${String(error)}`);
        const complaint = t.expect?.({ ok: false, error });
        if (complaint) this.violation(`${label}: ${complaint}`);
      },
    );
    return promise;
  }

  emit(event: EnvironmentEvent): void {
    this.envEmit?.(event);
  }

  /**
   * Lets every microtask run: the fakes answer on microtasks, and a `Response` body is read within
   * one turn, so one `setImmediate` drains a whole chain (answer → machine → next request → …).
   */
  async settle(): Promise<void> {
    await new Promise<void>((r) => setImmediate(r));
  }

  /** The session's timers (the server's latency timers excluded). */
  sessionTimers(): number {
    return this.clock.timerIds().filter((id) => !this.server.timerIds.has(id)).length;
  }

  /**
   * Lets `ms` of simulated time pass. `running`: timer by timer, with I/O between them, as time
   * passes for a live process. `frozen`: in one jump, every due timer firing late and back to back,
   * as for a process that was suspended (throttled tab, laptop lid) while its clock ran on.
   */
  async advance(ms: number, mode: 'running' | 'frozen' = 'running'): Promise<void> {
    const target = this.clock.now() + ms;
    const before = this.server.requests.length + this.server.sockets.length;
    if (mode === 'running') {
      for (let firings = 0; ; firings++) {
        const due = this.clock.nextDue();
        if (due === undefined || due > target) break;
        if (firings > MAX_FIRINGS) {
          this.violation(`more than ${MAX_FIRINGS} timer firings in ${ms} ms: a busy loop`);
          break;
        }
        // Every timer due at that moment, back to back, then the I/O they started.
        this.clock.fireDue(Math.max(due, this.clock.now()), MAX_FIRINGS);
        await this.settle();
      }
    }
    this.clock.set(target);
    if (this.clock.fireDue(target, MAX_FIRINGS) === MAX_FIRINGS) this.violation(`${MAX_FIRINGS} timer firings at one instant: a busy loop`);
    await this.settle();
    // A frozen process starts its liveness check over when it runs again (SES-33).
    if (mode === 'frozen') {
      for (const s of this.server.sockets) if (s.halfOpen) s.halfOpenSince = this.clock.now();
      this.stuck.clear();
    }
    // No storm: a session makes a handful of requests per second of trouble, not thousands.
    const made = this.server.requests.length + this.server.sockets.length - before;
    if (made > 20 + ms / 50) this.violation(`${made} requests and sockets in ${ms} ms: a storm`);
  }

  /**
   * Progress (weaknesses 3, 4, 8): with the server healthy, the session is not `connecting`, nor
   * backing off a refresh, for longer than {@link PROGRESS_MS} of running time.
   */
  private checkProgress(): void {
    const now = this.clock.now();
    const snapshot = this.session.actor.getSnapshot();
    const conditions: [string, boolean][] = [
      ['connecting', this.session.state === 'connecting'],
      ['backing off a refresh', snapshot.matches({ active: { token: 'backingOff' } })],
    ];
    for (const [what, holds] of conditions) {
      if (!holds || this.disposed || !this.server.healthy()) {
        this.stuck.delete(what);
        continue;
      }
      const since = this.stuck.get(what) ?? now;
      this.stuck.set(what, since);
      if (now - since > PROGRESS_MS) this.violation(`${what} for ${now - since} ms with a healthy server`);
    }
  }

  stored(): { accessToken?: string; refreshToken?: string } | null {
    const text = this.store.snapshot()[SESSION_KEY];
    return text === undefined ? null : (JSON.parse(text) as { accessToken?: string; refreshToken?: string });
  }

  /** Disposes the current instance and asserts it left nothing behind (issue 3, point 7). */
  async dispose(): Promise<void> {
    if (this.disposed) {
      this.session.dispose(); // idempotent
      return;
    }
    this.session.dispose();
    this.disposed = true;
    this.alive = false;
    await this.settle();
    const instance = this.instance;
    const timers = this.sessionTimers();
    if (timers > 0) this.violation(`dispose left ${timers} timer(s) on the clock`);
    const live = this.server.sockets.filter((s) => s.instance === instance && s.readyState <= 1);
    if (live.length > 0) this.violation(`dispose left ${live.length} socket(s) open or opening`);
    if (this.envWatchers !== 0) this.violation('dispose left the environment watched');
    const pending = this.tracked.filter((t) => t.instance === instance && !t.settled).map((t) => t.label);
    if (pending.length > 0) this.violation(`dispose left promises pending: ${pending.join(', ')}`);
  }

  /** The invariants after a step. Throws with every violation found. */
  check(): void {
    const s = this.session;
    const state = s.state;
    if (!PUBLIC_STATES.includes(state)) this.violation(`public state ${String(state)} is not one of the six`);
    if (!this.disposed) {
      const snapshot = s.actor.getSnapshot();
      const ctx = snapshot.context;
      if (this.lastState !== state) this.violation(`state$ last said ${this.lastState} while the state is ${state}`);
      const active = ACTIVE.includes(state);
      if (active !== (ctx.credentials !== null && ctx.user !== null)) this.violation(`${state} with credentials ${ctx.credentials ? 'present' : 'absent'}`);
      const stored = this.stored();
      if (active && ctx.credentials && !this.storageFaulted) {
        // The rotated tokens are stored before they are used (SES-5).
        if (!stored || stored.accessToken !== ctx.credentials.accessToken || stored.refreshToken !== ctx.credentials.refreshToken) {
          this.violation(`${state} but the storage does not hold the tokens in use`);
        }
      }
      // SES-55: a logout the storage refused says so (its promise rejects 95010, see commands.ts).
      if (state === 'loggedOut' && stored && !this.storageFaulted) this.violation('loggedOut but a token is still stored (SES-50)');
      // `boot` is transient: no snapshot rests there.
      const restoring = snapshot.matches({ unauthenticated: 'restoring' });
      if ((state === 'authenticating' || (state === 'unauthenticated' && !restoring)) && stored && !this.storageFaulted) {
        this.violation(`${state} but a token is still stored`);
      }
      // A socket the server is closing is still the client's until its close event arrives.
      const mine = this.server.liveSockets(this.instance).length;
      const all = this.server.liveSockets().length;
      const open = this.server.openSockets().length;
      if (state === 'connected' && (mine !== 1 || all !== 1)) this.violation(`connected with ${all} live socket(s)`);
      if (state !== 'connected' && open !== 0) this.violation(`${state} with ${open} open socket(s)`);
      // SES-30, SES-31: where it can ping, a half-open socket is found within ping interval + pong timeout.
      const { pingIntervalMs, pongTimeoutMs } = ctx.settings;
      for (const sock of this.server.liveSockets(this.instance)) {
        if (state === 'connected' && ctx.canPing && sock.halfOpen && this.clock.now() - sock.halfOpenSince > pingIntervalMs + pongTimeoutMs) {
          this.violation(`a half-open socket went unnoticed for ${this.clock.now() - sock.halfOpenSince} ms`);
        }
      }
    }
    this.checkSends();
    this.checkProgress();
    // SES-5: a refresh under way is only abandoned when the session ends or is replaced.
    const abandoned = this.server.abandonedRefreshes.slice(this.abandonedSeen);
    this.abandonedSeen = this.server.abandonedRefreshes.length;
    if (abandoned.some((i) => i === this.instance && !this.disposed) && this.leftActive === this.leftActiveAtLastCheck) {
      this.violation('a refresh request was abandoned while the session went on');
    }
    this.leftActiveAtLastCheck = this.leftActive;
    for (const [ticket, n] of this.server.exchangesPerTicket) {
      // SES-12: a ticket is spent at most once per call of the app, never retried behind its back.
      if (n > (this.authCalls.get(ticket) ?? 0)) this.violation(`ticket exchanged ${n} times for ${this.authCalls.get(ticket) ?? 0} call(s)`);
    }
    if (unhandled.length > 0) this.violation(`unhandled rejection: ${unhandled.map(String).join('; ')}`);
    const found = [...this.violations, ...this.server.violations];
    if (found.length > 0) throw new Error(`after ${this.step}: ${[...new Set(found)].join(' | ')}`);
  }

  /** SES-60..63: a resolved send was written once; a rejected one never; writes keep the order of sends. */
  private checkSends(): void {
    const written = new Map<number, number>();
    let last = -1;
    for (const w of this.server.written) {
      const n = (JSON.parse(w.data) as { data?: { n?: number } }).data?.n;
      if (typeof n !== 'number') continue;
      written.set(n, (written.get(n) ?? 0) + 1);
      if (n <= last) this.violation(`frame ${n} written after frame ${last}`);
      last = n;
    }
    for (const [n, status] of this.sends) {
      const times = written.get(n) ?? 0;
      if (status === 'ok' && times !== 1) this.violation(`send ${n} resolved but was written ${times} time(s)`);
      if (status !== 'ok' && status !== 'pending' && times !== 0) this.violation(`send ${n} rejected (${status}) but was written`);
      if (times > 1) this.violation(`send ${n} written ${times} times`);
    }
  }
}
