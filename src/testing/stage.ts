/**
 * Plays one scenario against the app: an emulator on a free loopback port, sessions wired to one
 * simulated clock (the emulator's token lifetimes read it too), each step applied, the app let to
 * settle, every invariant checked.
 */
import { startEmulator, type Emulator, type InjectedFailure } from '../emulator/index.js';
import { createSession, memoryStorage, type EnvironmentEvent, type Session, type SessionTransition, type TapTalkError, type ServerEvent } from '../index.js';
import { ScenarioClock } from './clock.js';
import { noUnhandledRejection, engineInvariants } from './invariants.js';
import { Network } from './network.js';
import { seeded } from './seeded.js';
import { describeStep, type FailEndpoint, type FailKind, type Step, type UserStep } from './steps.js';
import type { CallRecord, Invariant, RunOptions, ScenarioContext, ScenarioPage } from './types.js';

/** Long enough to outlast any scenario: a `refuse` holds until turned off or reset. */
const DAY = 86_400_000;
/** Event-loop turns without any activity that count as settled. */
const QUIET_TURNS = 3;
/** Timer firings one `advance` may take before it counts as a busy loop. */
const MAX_FIRINGS = 20_000;
/** Real ms to wait for frames the emulator may never read (a socket the server was closing). */
const FRAME_GRACE_MS = 200;

const FAIL_PATHS: Record<FailEndpoint, string> = {
  exchange: '/v1/auth/access_token/request',
  probe: '/connect?check=1',
  refresh: '/v1/auth/access_token/refresh',
  logout: '/v1/client/logout',
  upgrade: 'ws:/connect',
};

const FAILURES: Record<FailKind, InjectedFailure> = {
  serverError: { status: 500, code: '50001', message: 'Injected server error' },
  badGateway: { status: 502, code: '50001', message: 'Bad gateway', httpStatus: 502 },
  tokenExpired: { status: 401, code: '40104', message: 'Token expired' },
};

/** What went wrong after a step: each violated invariant, with what it said. */
export interface Violation {
  readonly invariant: string;
  readonly message: string;
}

/**
 * Thrown by {@link runScenario} when an invariant fails: after which step (`index`, 0-based; the
 * steps' length for the check after the final dispose), and what was violated.
 */
export class ScenarioViolation extends Error {
  override readonly name = 'ScenarioViolation';
  constructor(
    readonly index: number,
    readonly step: Step | undefined,
    readonly violations: readonly Violation[],
  ) {
    const where = step === undefined ? 'after the final dispose' : `after step ${index + 1} (${describeStep(step)})`;
    super(`${where}: ${violations.map((v) => `[${v.invariant}] ${v.message}`).join('; ')}`);
  }
}

class LivePage<App> implements ScenarioPage<App> {
  readonly transitions: SessionTransition[] = [];
  readonly errors: TapTalkError[] = [];
  readonly events: ServerEvent[] = [];
  emit: ((event: EnvironmentEvent) => void) | null = null;
  session!: Session;
  app!: App;
  constructor(readonly index: number) {}
}

interface Call extends CallRecord {
  settled: boolean;
  error?: unknown;
}

class Stage<App> {
  readonly clock = new ScenarioClock();
  readonly network = new Network(this.clock);
  readonly storage = memoryStorage();
  readonly calls: Call[] = [];
  readonly unhandled: unknown[] = [];
  readonly invariants: readonly Invariant<App>[];
  /** Open pages by index (0 the main one). */
  readonly pages = new Map<number, LivePage<App>>();
  main!: LivePage<App>;
  emulator!: Emulator;
  /** Server time minus the sessions' clock: grows when a sleep stopped the monotonic clock. */
  serverOffsetMs = 0;
  activity = 0;
  lastTicket: string | undefined;
  readonly #restoreListeners: (() => void)[] = [];

  constructor(
    readonly steps: readonly Step[],
    readonly options: RunOptions<App>,
  ) {
    this.invariants = options.invariants ?? engineInvariants;
  }

  async start(): Promise<void> {
    this.emulator = await startEmulator({ accessTokenTtlMs: 600_000, ...this.options.emulator, now: () => this.clock.now() + this.serverOffsetMs });
    if (this.invariants.includes(noUnhandledRejection as Invariant<App>)) this.#takeOverUnhandled();
    this.main = await this.openPage(0);
  }

  /** The runner reports unhandled rejections itself; the process's own listeners return afterwards. */
  #takeOverUnhandled(): void {
    const saved = process.listeners('unhandledRejection');
    process.removeAllListeners('unhandledRejection');
    const collect = (reason: unknown) => void this.unhandled.push(reason);
    process.on('unhandledRejection', collect);
    this.#restoreListeners.push(() => {
      process.off('unhandledRejection', collect);
      for (const listener of saved) process.on('unhandledRejection', listener);
    });
  }

  async openPage(index: number): Promise<LivePage<App>> {
    const { network } = this;
    // The session starts watching the environment while it is created.
    const page = new LivePage<App>(index);
    const session = createSession({
      // Quiet unless the app passes its own: a test's output is its report.
      logger: { warn: () => {}, error: () => {} },
      ...this.options.session,
      baseUrl: this.emulator.url,
      appID: this.emulator.appKey.id,
      appSecret: this.emulator.appKey.secret,
      clock: this.clock,
      storage: this.storage,
      fetch: network.fetchFor(index),
      WebSocket: network.webSocketFor(),
      random: seeded(index + 1),
      environment: (emit) => {
        page.emit = emit;
        return () => {
          if (page.emit === emit) page.emit = null;
        };
      },
    });
    page.session = session;
    session.transitions$.subscribe((t) => void (page.transitions.push(t), this.activity++));
    session.errors$.subscribe((e) => void (page.errors.push(e), this.activity++));
    session.events$.subscribe((e) => void (page.events.push(e), this.activity++));
    this.pages.set(index, page);
    page.app = await this.options.app(session, { index });
    await this.settle();
    return page;
  }

  async closePage(page: LivePage<App>): Promise<void> {
    this.pages.delete(page.index);
    const app = page.app as { dispose?: () => unknown } | null | undefined;
    if (typeof app?.dispose === 'function') await app.dispose();
    page.session.dispose();
    await this.settle();
  }

  track(page: number, label: string, promise: Promise<unknown>): void {
    const call: Call = { page, label, settled: false };
    this.calls.push(call);
    promise.then(
      () => void (call.settled = true),
      (error: unknown) => void ((call.settled = true), (call.error = error)),
    );
  }

  async ticket(kind: 'fresh' | 'reused' | 'expired'): Promise<string> {
    if (kind === 'reused') return this.lastTicket ?? 'a-ticket-never-issued';
    const user = this.options.user ?? 'alice';
    // An expired ticket is one issued longer ago than its lifetime: the server's clock is set back while it is minted.
    const back = kind === 'expired' ? (this.options.emulator?.ticketTtlMs ?? 3_600_000) + 1_000 : 0;
    this.serverOffsetMs -= back;
    try {
      this.lastTicket = await this.emulator.requestTicket({ xcUserID: user, fullName: user });
    } finally {
      this.serverOffsetMs += back;
    }
    return this.lastTicket;
  }

  async user(step: UserStep): Promise<void> {
    const page = this.pages.get(step.page ?? 0);
    if (page === undefined) return; // a sibling that is not open: nothing happens
    const s = page.session;
    const n = this.calls.length + 1;
    switch (step.kind) {
      case 'authenticate':
        return this.track(page.index, `authenticate #${n}`, s.authenticate(await this.ticket(step.ticket), { connect: step.connect }));
      case 'connect':
        return this.track(page.index, `connect #${n}`, s.connect());
      case 'disconnect':
        return s.disconnect();
      case 'logout':
        return this.track(page.index, `logout #${n}`, s.logout());
      case 'send':
        return this.track(page.index, `send #${n}`, s.send('chat/sendMessage', { text: step.text }));
      case 'reload': {
        await this.closePage(page);
        const fresh = await this.openPage(page.index);
        if (page.index === 0) this.main = fresh;
      }
    }
  }

  async apply(step: Step): Promise<void> {
    const faults = this.emulator.faults;
    switch (step.kind) {
      case 'drop':
        return void faults.dropConnections(step.code);
      case 'refuse':
        return faults.refuseConnections(step.on ? DAY : 0);
      case 'halfOpen':
        faults.halfOpen(step.on);
        return this.network.markHalfOpen(step.on);
      case 'latency':
        return void (this.network.latencyMs = step.ms);
      case 'expire':
        return faults.expireAccessTokens();
      case 'revoke':
        return faults.revokeRefreshTokens();
      case 'failNext':
        return faults.failNext(FAIL_PATHS[step.endpoint], FAILURES[step.failure], step.count);
      case 'resetFaults':
        faults.reset();
        this.network.latencyMs = 0;
        return this.network.markHalfOpen(false);
      case 'environment':
        return this.emit({ type: `env.${step.event}` });
      case 'sleep':
        if (step.clock === 'stops') this.serverOffsetMs += step.ms;
        else await this.jump(step.ms);
        return this.emit({ type: 'env.wake', sleptMs: step.ms });
      case 'sibling':
        return this.sibling(step.open);
      case 'advance':
        return this.advance(step.ms);
      default:
        return this.user(step);
    }
  }

  /** The environment is the device's: every open page hears it. */
  emit(event: EnvironmentEvent): void {
    for (const page of this.pages.values()) page.emit?.(event);
  }

  async sibling(open: boolean): Promise<void> {
    const siblings = [...this.pages.keys()].filter((i) => i > 0);
    if (open) {
      let index = 1;
      while (this.pages.has(index)) index++;
      await this.openPage(index);
    } else if (siblings.length > 0) {
      await this.closePage(this.pages.get(Math.max(...siblings))!);
    }
  }

  /** Time passing for a live process: timer by timer, the app settling after each. */
  async advance(ms: number): Promise<void> {
    const target = this.clock.now() + ms;
    for (let firings = 0; this.clock.fireNext(target); firings++) {
      if (firings > MAX_FIRINGS) throw new Error(`more than ${MAX_FIRINGS} timers fired in ${ms} ms: a busy loop`);
      await this.settle();
    }
    this.clock.set(target);
  }

  /** Time passing for a suspended process: one jump, every due timer firing late, back to back. */
  async jump(ms: number): Promise<void> {
    const target = this.clock.now() + ms;
    this.clock.set(target);
    if (this.clock.fireDue(target, MAX_FIRINGS) === MAX_FIRINGS) throw new Error(`${MAX_FIRINGS} timers fired at one wake: a busy loop`);
  }

  /**
   * Waits until the app has reacted: no request, handshake or pong outstanding, every frame sent
   * received by the emulator, and a few event-loop turns without anything happening. Real I/O on
   * loopback only; simulated time stands still meanwhile.
   */
  async settle(): Promise<void> {
    const timeout = this.options.settleTimeoutMs ?? 5_000;
    const started = performance.now();
    let framesSince: number | undefined;
    let quiet = 0;
    let last = -1;
    for (let turn = 0; quiet < QUIET_TURNS; turn++) {
      // Spin on immediates first (loopback answers within a few turns), then yield to real time.
      await new Promise<void>((resolve) => (turn < 50 ? setImmediate(resolve) : setTimeout(resolve, 1)));
      const received = this.emulator.received().length;
      const framesPending = this.network.framesSent > received;
      if (framesPending) framesSince ??= performance.now();
      // A frame the server never read (it was closing that socket) is not worth waiting for.
      if (framesPending && performance.now() - framesSince! > FRAME_GRACE_MS) this.network.framesSent = received;
      const now = this.activity + this.network.activity + received;
      if (this.network.busy || framesPending || now !== last) quiet = 0;
      else quiet++;
      last = now;
      if (performance.now() - started > timeout) {
        throw new Error(`the app did not settle within ${timeout} ms (${this.network.describeBusy()})`);
      }
    }
  }

  context(index: number, ended: boolean): ScenarioContext<App> {
    const held = this.network.heldTimers;
    return {
      app: this.main.app,
      session: this.main.session,
      pages: [...this.pages.values()].sort((a, b) => a.index - b.index),
      emulator: this.emulator,
      clock: this.clock,
      storage: this.storage,
      traffic: this.network,
      calls: this.calls,
      unhandledRejections: this.unhandled,
      sessionTimers: this.clock.timerIds().filter((id) => !held.has(id)).length,
      steps: this.steps,
      index,
      ended,
    };
  }

  async check(index: number, ended: boolean): Promise<void> {
    const ctx = this.context(index, ended);
    const violations: Violation[] = [];
    for (const invariant of this.invariants) {
      try {
        const message = await invariant.check(ctx);
        if (typeof message === 'string') violations.push({ invariant: invariant.name, message });
      } catch (error) {
        violations.push({ invariant: invariant.name, message: error instanceof Error ? error.message : String(error) });
      }
    }
    if (violations.length > 0) throw new ScenarioViolation(index, this.steps[index], violations);
  }

  async end(): Promise<void> {
    for (const page of [...this.pages.values()].reverse()) await this.closePage(page);
    await this.settle();
    await this.check(this.steps.length, true);
  }

  async close(): Promise<void> {
    for (const page of this.pages.values()) page.session.dispose();
    await this.emulator?.close();
    for (const restore of this.#restoreListeners) restore();
  }
}

/**
 * Plays `steps` against the app once and checks every invariant after each step and after the
 * final dispose. Resolves when all held; rejects with a {@link ScenarioViolation} otherwise. Use it
 * to replay a scenario a failure printed, or to pin one as a regression test.
 *
 * @example
 * ```ts
 * await runScenario(
 *   [{ kind: 'authenticate', ticket: 'fresh', connect: true }, { kind: 'revoke' }, { kind: 'drop' }],
 *   { app: (session) => createChatView(session), invariants: [...engineInvariants, noMessagesWhileLoggedOut] },
 * );
 * ```
 */
export async function runScenario<App>(steps: readonly Step[], options: RunOptions<App>): Promise<void> {
  const stage = new Stage(steps, options);
  try {
    await stage.start();
    for (const [index, step] of steps.entries()) {
      try {
        await stage.apply(step);
        await stage.settle();
      } catch (error) {
        if (error instanceof ScenarioViolation) throw error;
        throw new ScenarioViolation(index, step, [{ invariant: 'the runner', message: error instanceof Error ? error.message : String(error) }]);
      }
      await stage.check(index, false);
    }
    await stage.end();
  } finally {
    await stage.close();
  }
}
