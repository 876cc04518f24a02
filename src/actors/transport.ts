/**
 * One WebSocket connection behind a small interface, whatever the runtime gives us: `ws` in Node
 * (credentials as headers, protocol pings, the upgrade's HTTP status: src/platform/ws-transport.ts)
 * or a native WHATWG socket (credentials in the query, no pings: here). Each platform's
 * `openTransport` picks one (decision 001). Reports each outcome once.
 */
import type { Failure } from '../../machines/session.types.js';
import type { WebSocketConstructor } from '../options.js';
import type { HttpConfig } from '../protocol/http.js';
import { socketQuery } from '../protocol/identity.js';
import { socketUrl } from '../protocol/url.js';

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

const OPEN = 1;

/** Opens one connection with the given constructor; `maxBytes` bounds a frame where the socket can. */
export type OpenTransport = (
  Ctor: WebSocketConstructor,
  cfg: HttpConfig,
  accessToken: string,
  maxBytes: number,
  handlers: TransportHandlers,
) => Transport;

/**
 * Opens a native (WHATWG) socket: credentials in the query, since browsers cannot set upgrade
 * headers; no protocol pings. `maxBytes` is enforced by the frame decoder instead.
 */
export const openNativeTransport: OpenTransport = (Ctor, cfg, token, _maxBytes, h) => {
  const ws = new Ctor(socketUrl(cfg.baseUrl, socketQuery(cfg.identity, token)));
  ws.binaryType = 'arraybuffer'; // the server sends binary frames; a Blob would need an async read
  let done = false;
  const listeners: Record<string, (event: any) => void> = {
    open: () => h.open(),
    message: (event: { data: string | ArrayBuffer }) => h.message(event.data),
    close: (event: { code: number; reason: string }) => {
      if (!done) (done = true), detach(), h.closed(event.code, event.reason);
    },
    error: () => {},
  };
  const detach = () => Object.entries(listeners).forEach(([type, fn]) => ws.removeEventListener(type, fn));
  Object.entries(listeners).forEach(([type, fn]) => ws.addEventListener(type, fn));
  return {
    canPing: false,
    send: (text) => (ws.readyState === OPEN ? (ws.send(text), true) : false),
    ping: () => {},
    close: () => {
      done = true;
      detach();
      ws.close(1000, 'client closed');
    },
  };
};
