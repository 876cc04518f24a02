/**
 * The transport over a native (WHATWG) socket: credentials in the query, no pings. Every platform
 * has it; Node also has `ws` (src/platform/ws-transport.ts). Reports each outcome once.
 */
import { socketQuery } from '../protocol/identity.js';
import { socketUrl } from '../protocol/url.js';
import type { WebSocketConstructor } from './ports.js';
import { READY_STATE, type OpenTransport, type Transport, type TransportHandlers } from './transport.js';

/**
 * Opens a native (WHATWG) socket: credentials in the query, since browsers cannot set upgrade
 * headers; no protocol pings. `maxBytes` is enforced by the frame decoder instead.
 */
export const openNativeTransport: OpenTransport = (Ctor, cfg, token, _maxBytes, h) =>
  watchNativeSocket(new Ctor(socketUrl(cfg.baseUrl, socketQuery(cfg.identity, token))), h);

/**
 * The events of an open WHATWG socket as transport handlers, shared by every transport over such a
 * socket (the browser's, React Native's). `decode` turns a frame's data into what `h.message` takes,
 * for runtimes whose frame decoder needs text.
 */
export function watchNativeSocket(
  ws: InstanceType<WebSocketConstructor>,
  h: TransportHandlers,
  decode: (data: string | ArrayBuffer) => string | ArrayBuffer = (data) => data,
): Transport {
  ws.binaryType = 'arraybuffer'; // the server sends binary frames; a Blob would need an async read
  // After the close (ours or the server's) the socket may still fire; `done` silences it.
  let done = false;
  ws.addEventListener('open', () => {
    if (!done) h.open();
  });
  ws.addEventListener('message', (event: { data: string | ArrayBuffer }) => {
    if (!done) h.message(decode(event.data));
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
    send: (text) => (ws.readyState === READY_STATE.OPEN ? (ws.send(text), true) : false),
    ping: () => {},
    close: () => {
      done = true;
      ws.close(1000, 'client closed');
    },
  };
}
