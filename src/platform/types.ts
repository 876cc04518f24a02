/** What differs between Node and browsers, chosen at build time through `#platform`. */
import type { Clock, EnvironmentSource, WebSocketConstructor } from '../options.js';
import type { OpenTransport } from '../actors/transport.js';
import type { StorageAdapter } from '../storage/types.js';

/** The defaults a runtime supplies. */
export interface Platform {
  /** The WebSocket to use when the app passes none (`undefined`: the app must pass one). */
  WebSocket: WebSocketConstructor | undefined;
  defaultStorage(): StorageAdapter;
  /** The runtime's environment events. */
  environment: EnvironmentSource;
  /**
   * Opens a socket with whatever constructor the session uses. Node tells `ws` (headers, pings)
   * from a native socket (query) by `ping`; browsers have only the native kind, so their build
   * carries no `ws` transport at all.
   */
  openTransport: OpenTransport;
  /** `Device-Model` when the app passes none: `'Node.js 20.20.0 (linux)'`, `'Chrome on Linux'`. */
  deviceModel(): string;
}

/** The default clock: monotonic `now` (so a device clock change cannot move a refresh), global timers. */
export function systemClock(): Clock {
  // performance.now() is monotonic; anchored to the wall clock once, it reads close to epoch ms.
  // The anchor is taken here, not from `performance.timeOrigin`, which Hermes (React Native) lacks;
  // an engine without `performance` at all gets the wall clock.
  const perf = (globalThis as { performance?: { now?: () => number } }).performance;
  const monotonic = typeof perf?.now === 'function' ? () => perf.now!() : Date.now;
  const origin = Date.now() - monotonic();
  return {
    now: () => origin + monotonic(),
    setTimeout: (fn, ms) => setTimeout(fn, ms),
    clearTimeout: (id) => clearTimeout(id as ReturnType<typeof setTimeout>),
  };
}
