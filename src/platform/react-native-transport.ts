/**
 * React Native's WebSocket: the WHATWG API plus a third constructor argument, `{ headers }`, so the
 * credentials go in upgrade headers as TapTalk's mobile SDKs send them (reference §2.2), not in the
 * query. Its `ping()` sends a frame but reports no pong, so this transport cannot ping: liveness
 * comes from the close event, the OS and `AppState`/NetInfo (SES-33, SES-34).
 */
import { socketHeaders } from '../protocol/identity.js';
import { socketUrl } from '../protocol/url.js';
import { READY_STATE, type OpenTransport } from './transport.js';
import { decodeUtf8 } from './utf8.js';

export const openReactNativeTransport: OpenTransport = (Ctor, cfg, token, _maxBytes, h) => {
  const ws = new Ctor(socketUrl(cfg.baseUrl), undefined, { headers: socketHeaders(cfg.identity, token) });
  ws.binaryType = 'arraybuffer'; // a Blob would need an async read
  // After the close (ours or the server's) the socket may still fire; `done` silences it.
  let done = false;
  ws.addEventListener('open', () => {
    if (!done) h.open();
  });
  ws.addEventListener('message', (event: { data: string | ArrayBuffer }) => {
    if (!done) h.message(typeof event.data === 'string' ? event.data : decodeUtf8(event.data));
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
};
