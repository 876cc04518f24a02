/** What differs between Node and browsers, chosen at build time through `#platform`. */
import type { StorageAdapter } from '../storage/types.js';
import type { EnvironmentSource, WebSocketConstructor } from './ports.js';
import type { OpenTransport } from './transport.js';

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
  /** `Device-Platform` when the app passes none: what TapTalk calls this kind of client (`'web'`). */
  devicePlatform: string;
}
