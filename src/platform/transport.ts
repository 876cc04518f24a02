/**
 * One WebSocket connection behind a small interface, whatever the runtime gives us: `ws` in Node
 * (credentials as headers, protocol pings, the upgrade's HTTP status: ws-transport.ts) or a native
 * WHATWG socket (credentials in the query, no pings: native-transport.ts). Each platform's
 * `openTransport` picks one (decision 001).
 */
import type { Failure } from '../../machines/session.types.js';
import type { HttpConfig } from '../protocol/http.js';
import type { WebSocketConstructor } from './ports.js';

/** The WebSocket `readyState` values the transports read (the WHATWG constants, which `ws` shares). */
export const READY_STATE = { CONNECTING: 0, OPEN: 1 } as const;

/** An open or opening connection. */
export interface Transport {
  /** Whether `ping()` does anything (only `ws` can send protocol pings). */
  readonly canPing: boolean;
  /** Writes a text frame; false when the socket is not open (nothing is written then). */
  send(text: string): boolean;
  ping(): void;
  close(): void;
}

/** What a transport reports, each at most once except `message` and `pong`. */
export interface TransportHandlers {
  open(): void;
  message(data: string | ArrayBuffer | ArrayBufferView): void;
  pong(): void;
  closed(code: number, reason: string, failure?: Failure): void;
}

/** Opens one connection with the given constructor; `maxBytes` bounds a frame where the socket can. */
export type OpenTransport = (
  Ctor: WebSocketConstructor,
  cfg: HttpConfig,
  accessToken: string,
  maxBytes: number,
  handlers: TransportHandlers,
) => Transport;
