/**
 * React Native's WebSocket: the WHATWG API plus a third constructor argument, `{ headers }`, so the
 * credentials go in upgrade headers as TapTalk's mobile SDKs send them (reference §2.2), not in the
 * query. Its `ping()` sends a frame but reports no pong, so this transport cannot ping: liveness
 * comes from the close event, the OS and `AppState`/NetInfo (SES-33, SES-34).
 */
import { socketHeaders } from '../protocol/identity.js';
import { socketUrl } from '../protocol/url.js';
import { watchNativeSocket } from './native-transport.js';
import type { OpenTransport } from './transport.js';
import { decodeUtf8 } from './utf8.js';

export const openReactNativeTransport: OpenTransport = (Ctor, cfg, token, _maxBytes, h) =>
  watchNativeSocket(
    new Ctor(socketUrl(cfg.baseUrl), undefined, { headers: socketHeaders(cfg.identity, token) }),
    h,
    (data) => (typeof data === 'string' ? data : decodeUtf8(data)),
  );
