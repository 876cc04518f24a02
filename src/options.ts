/**
 * Session options: what the app passes, the defaults, and their validation. Resolved once per
 * session; nothing here is module-level state, so two sessions never share a dependency.
 */
import type { InspectionEvent } from 'xstate';
import type { MachineSettings } from '../machines/session.types.js';
import { TapTalkError } from './errors.js';
import type { Clock, EnvironmentSource, WebSocketConstructor } from './platform/ports.js';
import { resolveBaseUrl } from './protocol/url.js';
import type { StorageAdapter } from './storage/types.js';

/** Where the engine reports what the app cannot see otherwise. Never receives a secret. */
export interface Logger {
  warn(message: string, ...details: unknown[]): void;
  error(message: string, ...details: unknown[]): void;
}

/** What `createSession` accepts. Only `baseUrl`, `appID` and `appSecret` are required. */
export interface SessionOptions {
  /** The chat server, e.g. `https://chat.example.com` or the emulator's `url`. */
  baseUrl: string;
  appID: string;
  appSecret: string;
  /** @default globalThis.fetch */
  fetch?: typeof fetch;
  /** @default `ws` in Node (credentials as headers, pings), the native `WebSocket` in browsers */
  WebSocket?: WebSocketConstructor;
  /** @default memoryStorage() in Node, webStorage(localStorage) in browsers */
  storage?: StorageAdapter;
  /** @default the performance clock and the global timers */
  clock?: Clock;
  /** Uniform in [0, 1): backoff jitter and the device id. @default Math.random */
  random?: () => number;
  /** Must have `warn` and `error`; what they throw is ignored (SES-64). @default warnings and errors to `console` */
  logger?: Logger;
  /**
   * Receives xstate's inspection events (docs/inspection.md): a function, or an observer such as
   * `@statelyai/inspect`'s `inspector.inspect`, as `createActor` takes them.
   */
  inspect?: ((event: InspectionEvent) => void) | { next?(event: InspectionEvent): void };
  /** Keeps sessions of different apps apart in one storage. @default appID */
  namespace?: string;
  /** Timings and limits of the machine (docs/state-machine.md). */
  timings?: Partial<MachineSettings>;
  /** One HTTP request, body included. @default 10000 */
  requestTimeoutMs?: number;
  /** One storage call; a storage that does not answer in time fails with `95010` (SES-57). @default 5000 */
  storageTimeoutMs?: number;
  /** Larger responses and frames are refused (`95003`). @default 1048576 */
  maxBodyBytes?: number;
  /** Frames `send()` may queue while connecting. @default 100 */
  maxQueuedFrames?: number;
  /** `Device-Platform`. @default 'web' */
  platform?: string;
  /** `Device-Model`. @default derived from the runtime, e.g. 'Chrome on Linux' */
  deviceModel?: string;
  /** Environment events; `false` turns them off. @default the platform's (browser events, sleep detection) */
  environment?: EnvironmentSource | false;
  /**
   * Follow the other sessions on the same storage (tabs of one origin, processes on one file) and
   * refresh once for all of them (docs/multi-tab.md, SES-80..89). `false`: behave as if alone.
   * @default true when the storage offers coordination (`webStorage`, `fileStorage`), else false
   */
  coordinate?: boolean;
  /**
   * On a first start (nothing of ours stored), take over the session and device id that TapTalk's
   * official web SDK left in `storage` (`TapTalk.UserData`, `tapTalk.DeviceID`), so a switch of
   * SDKs logs no one out (docs/migration.md). @default true
   */
  adoptOfficialSession?: boolean;
}

/** The machine's defaults (docs/state-machine.md, "Timings"). */
export const DEFAULT_TIMINGS: Readonly<MachineSettings> = Object.freeze({
  refreshMarginMs: 60_000,
  minRefreshDelayMs: 1_000,
  backoffBaseMs: 1_000,
  backoffCapMs: 30_000,
  firstRetryMaxMs: 1_000,
  connectionStateTtlMs: 120_000,
  suspendedRetryMs: 30_000,
  maxReconnectAttempts: Infinity,
  pingIntervalMs: 15_000,
  pongTimeoutMs: 5_000,
  openTimeoutMs: 10_000,
  logoutTimeoutMs: 5_000,
  siblingLockTimeoutMs: 5_000,
});

/** Throws `95011` (`Invalid options: <problem>`) unless `ok`. */
export function check(ok: boolean, problem: string): asserts ok {
  if (!ok) throw new TapTalkError('95011', { message: `Invalid options: ${problem}` });
}

function requireText(value: unknown, name: string): string {
  check(typeof value === 'string' && value.trim() !== '', `${name} must be a non-empty string`);
  return value;
}

/**
 * A count or duration: `fallback` when absent, else a non-negative number. `Infinity` is allowed
 * only where the default is unlimited (`maxReconnectAttempts`).
 */
function requireCount(value: unknown, name: string, fallback: number): number {
  if (value === undefined) return fallback;
  check(typeof value === 'number' && value >= 0 && (value < Infinity || fallback === Infinity), `${name} must be a non-negative number`);
  return value;
}

/** Options that must be objects with these methods when given. */
const METHODS = {
  storage: ['getItem', 'setItem', 'removeItem'],
  clock: ['now', 'setTimeout', 'clearTimeout'],
  logger: ['warn', 'error'],
} as const;

/** Options checked and completed with the defaults that need no platform. */
export interface CheckedOptions {
  baseUrl: string;
  appID: string;
  appSecret: string;
  namespace: string;
  settings: MachineSettings;
  requestTimeoutMs: number;
  storageTimeoutMs: number;
  maxBodyBytes: number;
  maxQueuedFrames: number;
  random: () => number;
}

/**
 * Validates the options. A wrong option is a programmer error: it throws `95011` at once, with the
 * name of the option and never its value (an `appSecret` must not reach a log).
 */
export function checkOptions(options: SessionOptions): CheckedOptions {
  check(typeof options === 'object' && options !== null, 'expected an object');
  const appID = requireText(options.appID, 'appID');
  const appSecret = requireText(options.appSecret, 'appSecret');
  const baseUrl = resolveBaseUrl(options.baseUrl);
  const { inspect, timings } = options;
  check(inspect === undefined || typeof inspect === 'function' || typeof inspect?.next === 'function', 'inspect must be a function or an observer with next');
  for (const name of ['fetch', 'WebSocket', 'random', 'environment'] as const) {
    const value = options[name];
    // `environment: false` turns the environment events off.
    check(value === undefined || typeof value === 'function' || (name === 'environment' && value === false), `${name} must be a function`);
  }
  for (const [name, methods] of Object.entries(METHODS)) {
    const value = options[name as keyof typeof METHODS] as Record<string, unknown> | null | undefined;
    check(value === undefined || methods.every((m) => typeof value?.[m] === 'function'), `${name} must have ${methods.slice(0, -1).join(', ')} and ${methods.at(-1)}`);
  }
  check(timings === undefined || (typeof timings === 'object' && timings !== null), 'timings must be an object');
  for (const name of ['coordinate', 'adoptOfficialSession'] as const) {
    check(options[name] === undefined || typeof options[name] === 'boolean', `${name} must be a boolean`);
  }
  const settings = { ...DEFAULT_TIMINGS };
  for (const [key, value] of Object.entries(timings ?? {})) {
    check(key in DEFAULT_TIMINGS, `unknown timing ${key}`);
    const k = key as keyof MachineSettings;
    settings[k] = requireCount(value, `timings.${key}`, DEFAULT_TIMINGS[k]);
  }
  return {
    baseUrl,
    appID,
    appSecret,
    namespace: options.namespace === undefined ? appID : requireText(options.namespace, 'namespace'),
    settings,
    requestTimeoutMs: requireCount(options.requestTimeoutMs, 'requestTimeoutMs', 10_000),
    storageTimeoutMs: requireCount(options.storageTimeoutMs, 'storageTimeoutMs', 5_000),
    maxBodyBytes: requireCount(options.maxBodyBytes, 'maxBodyBytes', 1024 * 1024),
    maxQueuedFrames: requireCount(options.maxQueuedFrames, 'maxQueuedFrames', 100),
    random: options.random ?? Math.random,
  };
}
