/**
 * The shapes the runner hands to the app and to invariants.
 */
import type { Emulator, EmulatorOptions } from '../emulator/index.js';
import type { ServerEvent, Session, SessionOptions, SessionTransition, TapTalkError } from '../index.js';
import type { ScenarioClock } from './clock.js';
import type { Traffic } from './network.js';
import type { Step } from './steps.js';

/** One session of the scenario and the app around it: the main page (0) or a sibling (1..). */
export interface ScenarioPage<App> {
  readonly index: number;
  readonly session: Session;
  readonly app: App;
  /** What the session's streams carried, oldest first. */
  readonly transitions: readonly SessionTransition[];
  readonly errors: readonly TapTalkError[];
  readonly events: readonly ServerEvent[];
}

/** A promise a step got from the session (`authenticate`, `connect`, `logout`, `send`). */
export interface CallRecord {
  readonly page: number;
  /** `'send #2'`, `'logout'`, ... */
  readonly label: string;
  readonly settled: boolean;
  /** The rejection, when it rejected. */
  readonly error?: unknown;
}

/** What an invariant sees after a step (and once more after the final dispose, with `ended`). */
export interface ScenarioContext<App> {
  /** The main page's app and session (after a `reload`, the new ones). */
  readonly app: App;
  readonly session: Session;
  /** The open pages: the main one first, then siblings. */
  readonly pages: readonly ScenarioPage<App>[];
  readonly emulator: Emulator;
  /** The simulated clock of the sessions and of the emulator's token lifetimes. */
  readonly clock: ScenarioClock;
  /** The storage every page shares. */
  readonly storage: { snapshot(): Record<string, string> };
  readonly traffic: Traffic;
  readonly calls: readonly CallRecord[];
  /** Unhandled rejections met so far (collected only when {@link noUnhandledRejection} is checked). */
  readonly unhandledRejections: readonly unknown[];
  /** The session's timers on the clock (answers the `latency` fault holds are not counted). */
  readonly sessionTimers: number;
  readonly steps: readonly Step[];
  /** The step just applied (0-based). */
  readonly index: number;
  /** True for the last check, after every page was disposed. */
  readonly ended: boolean;
}

/**
 * A property of the app (or the engine) that must hold after every step. `check` returns a
 * description of what is wrong, or nothing; a throw (an `expect`, say) is a violation too.
 *
 * @example
 * ```ts
 * const noMessagesWhileLoggedOut: Invariant<ChatView> = {
 *   name: 'no messages while logged out',
 *   check: ({ session, app }) => (session.state === 'loggedOut' && app.messages.length > 0 ? `${app.messages.length} shown` : undefined),
 * };
 * ```
 */
export interface Invariant<App = unknown> {
  readonly name: string;
  check(ctx: ScenarioContext<App>): string | undefined | void | Promise<string | undefined | void>;
}

/** The part of the session's options the app may choose; the kit wires the rest. */
export type ScenarioSessionOptions = Omit<
  Partial<SessionOptions>,
  'baseUrl' | 'appID' | 'appSecret' | 'fetch' | 'WebSocket' | 'storage' | 'clock' | 'random' | 'environment'
>;

/** How to play a scenario against the app. Only `app` is required. */
export interface RunOptions<App> {
  /**
   * Builds the app around a session the kit created (once per page, again after a reload). If the
   * app has a `dispose()` method it is called before its session is disposed.
   */
  app: (session: Session, page: { index: number }) => App | Promise<App>;
  /** Checked after every step and after the final dispose. @default engineInvariants */
  invariants?: readonly Invariant<App>[];
  /** Emulator options (token lifetimes, ...); `now`, `host` and `port` are the kit's. @default access tokens of 10 min */
  emulator?: Omit<EmulatorOptions, 'now' | 'host' | 'port'>;
  /** Session options (timings, limits, logger); the wiring is the kit's. */
  session?: ScenarioSessionOptions;
  /** The user every ticket is for. @default 'alice' */
  user?: string;
  /** Real milliseconds the app may take to settle after a step before the run fails. @default 5000 */
  settleTimeoutMs?: number;
}
