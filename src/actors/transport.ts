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
  // After the close (ours or the server's) the socket may still fire; `done` silences it.
  let done = false;
  ws.addEventListener('open', () => {
    if (!done) h.open();
  });
  ws.addEventListener('message', (event: { data: string | ArrayBuffer }) => {
    if (!done) h.message(event.data);
  });
  ws.addEventListener('close', (event: { code: number; reason: string }) => {
    if (done) return;
    done = true;
    h.closed(event.code, event.reason);
  });
  // Every error is followed by a close, which reports it.
  ws.addEventListener('error', () => {});
  return {
    canPing: false,
    send: (text) => (ws.readyState === OPEN ? (ws.send(text), true) : false),
    ping: () => {},
    close: () => {
      done = true;
      ws.close(1000, 'client closed');
    },
  };
};
