/**
 * One WebSocket connection behind a small interface, whatever the runtime gives us: `ws` in Node
 * (credentials as headers, protocol pings, the upgrade's HTTP status) or a browser's native socket
 * (credentials in the query, no pings). Reports each outcome once.
 */
import type { Failure } from '../../machines/session.types.js';
import { toFailure } from '../../machines/guards.js';
import { TapTalkError } from '../errors.js';
import type { WebSocketConstructor, WebSocketLike } from '../options.js';
import { parseEnvelope } from '../protocol/envelope.js';
import type { HttpConfig } from '../protocol/http.js';
import { socketCredentials } from '../protocol/identity.js';
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
const CONNECTING = 0;

/** `ws`'s extras, present on Node's client only. */
interface NodeSocket extends WebSocketLike {
  on(event: string, listener: (...args: any[]) => void): void;
  ping(): void;
  terminate(): void;
}

/** Turns a refused upgrade (`ws` shows us its HTTP answer) into a failure with the server's code. */
function refusal(status: number, body: string): Failure {
  const parsed = parseEnvelope(status, body);
  const error = !parsed.ok ? parsed.error : new TapTalkError(status === 401 ? '40104' : '50001', { status });
  const failure = toFailure(error);
  return { ...failure, unauthorized: failure.unauthorized || status === 401, retryable: status >= 500 || status === 429 };
}

function openNode(Ctor: WebSocketConstructor, cfg: HttpConfig, token: string, maxBytes: number, h: TransportHandlers): Transport {
  const { headers } = socketCredentials(cfg.identity, token, 'headers');
  const ws = new Ctor(socketUrl(cfg.baseUrl), { headers, maxPayload: maxBytes, perMessageDeflate: false }) as NodeSocket;
  let done = false;
  const finish = (code: number, reason: string, failure?: Failure) => {
    if (done) return;
    done = true;
    h.closed(code, reason, failure);
  };
  ws.on('open', () => h.open());
  ws.on('message', (data: ArrayBufferView) => h.message(data));
  ws.on('pong', () => h.pong());
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
      finish(1006, 'upgrade refused', refusal(res.statusCode ?? 0, body));
      req.destroy();
      ws.terminate();
    });
  });
  return {
    canPing: true,
    send: (text) => (ws.readyState === OPEN ? (ws.send(text), true) : false),
    ping: () => {
      if (ws.readyState === OPEN) ws.ping();
    },
    close: () => {
      done = true;
      if (ws.readyState === CONNECTING) ws.terminate();
      else ws.close(1000, 'client closed');
    },
  };
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

function openNative(Ctor: WebSocketConstructor, cfg: HttpConfig, token: string, h: TransportHandlers): Transport {
  const { query } = socketCredentials(cfg.identity, token, 'query');
  const ws = new Ctor(socketUrl(cfg.baseUrl, query));
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
}

/**
 * Opens the socket with the constructor given. `ws` is recognised by its `ping` method and gets
 * the credentials as headers; anything else is treated as a browser socket.
 */
export function openTransport(
  Ctor: WebSocketConstructor,
  cfg: HttpConfig,
  accessToken: string,
  maxBytes: number,
  handlers: TransportHandlers,
): Transport {
  const isNode = typeof (Ctor.prototype as { ping?: unknown })?.ping === 'function';
  return isNode ? openNode(Ctor, cfg, accessToken, maxBytes, handlers) : openNative(Ctor, cfg, accessToken, handlers);
}
