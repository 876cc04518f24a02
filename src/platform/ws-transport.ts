/**
 * The transport over Node's `ws` client: credentials as upgrade headers, protocol pings, and the
 * refused upgrade's HTTP answer read into a failure with the server's code. Node-only: it reaches
 * the engine through `#platform` (src/platform/node.ts), so browser bundles never carry it.
 */
import { toFailure } from '../../machines/failure.js';
import type { Failure } from '../../machines/session.types.js';
import { TapTalkError } from '../errors.js';
import { refusedUpgradeError } from '../protocol/envelope.js';
import type { HttpConfig } from '../protocol/http.js';
import { socketHeaders } from '../protocol/identity.js';
import { socketUrl } from '../protocol/url.js';
import type { WebSocketConstructor, WebSocketLike } from './ports.js';
import { READY_STATE, type Transport, type TransportHandlers } from './transport.js';

/** `ws`'s extras, present on Node's client only. */
interface NodeSocket extends WebSocketLike {
  on(event: string, listener: (...args: any[]) => void): void;
  ping(): void;
  terminate(): void;
}

/**
 * Whether a constructor is `ws`'s (or shaped like it): recognised by its protocol `ping` together
 * with the EventEmitter `on` and `terminate` this transport calls. `ping` alone is not enough:
 * React Native's WebSocket has one too, but no `on`.
 */
export function isWsConstructor(Ctor: WebSocketConstructor): boolean {
  const proto = Ctor.prototype as Partial<Record<'ping' | 'on' | 'terminate', unknown>> | undefined;
  return typeof proto?.ping === 'function' && typeof proto.on === 'function' && typeof proto.terminate === 'function';
}

interface NodeResponse {
  statusCode?: number;
  on(event: 'data', listener: (chunk: ArrayBufferView) => void): void;
  on(event: 'end' | 'error', listener: () => void): void;
}

/** Reads at most 64 KiB of a refusal's body: enough for an envelope, not enough to hurt. */
function readSmallBody(res: NodeResponse, then: (body: string) => void): void {
  const decoder = new TextDecoder();
  let body = '';
  let called = false;
  const end = () => {
    if (!called) (called = true), then(body);
  };
  res.on('data', (chunk) => {
    if (body.length < 65_536) body += decoder.decode(chunk, { stream: true });
  });
  res.on('end', end);
  res.on('error', end);
}

/**
 * Opens a socket with `ws` (or a constructor shaped like it): credentials as headers, frames up to
 * `maxBytes`, protocol pings, and a refused upgrade reported with the server's code.
 */
export function openWsTransport(Ctor: WebSocketConstructor, cfg: HttpConfig, token: string, maxBytes: number, h: TransportHandlers): Transport {
  const headers = socketHeaders(cfg.identity, token);
  const ws = new Ctor(socketUrl(cfg.baseUrl), { headers, maxPayload: maxBytes, perMessageDeflate: false }) as NodeSocket;
  let done = false;
  const finish = (code: number, reason: string, failure?: Failure) => {
    if (done) return;
    done = true;
    h.closed(code, reason, failure);
  };
  // The handlers themselves, not wrappers: fewer closures kept by every open socket.
  ws.on('open', h.open);
  ws.on('message', h.message);
  ws.on('pong', h.pong);
  let tooLarge = false;
  // 'close' follows every error (without a listener ws would throw). One error is worth naming:
  // a frame over `maxPayload`, which ws answers by closing with 1009.
  ws.on('error', (error: { code?: string }) => {
    if (error?.code === 'WS_ERR_UNSUPPORTED_MESSAGE_LENGTH') tooLarge = true;
  });
  ws.on('close', (code: number, reason: ArrayBufferView) => {
    const failure = tooLarge ? toFailure(new TapTalkError('95003', { message: `Frame exceeds the ${maxBytes}-byte limit` })) : undefined;
    finish(code, new TextDecoder().decode(reason), failure);
  });
  ws.on('unexpected-response', (req: { destroy(): void }, res: NodeResponse) => {
    readSmallBody(res, (body) => {
      finish(1006, 'upgrade refused', toFailure(refusedUpgradeError(res.statusCode ?? 0, body, [token, cfg.identity.appKey])));
      req.destroy();
      ws.terminate();
    });
  });
  return {
    canPing: true,
    send: (text) => (ws.readyState === READY_STATE.OPEN ? (ws.send(text), true) : false),
    ping: () => {
      if (ws.readyState === READY_STATE.OPEN) ws.ping();
    },
    close: () => {
      done = true;
      if (ws.readyState === READY_STATE.CONNECTING) ws.terminate();
      else ws.close(1000, 'client closed');
    },
  };
}
