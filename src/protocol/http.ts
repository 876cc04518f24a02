/**
 * One HTTP call to a TapTalk-compatible server: headers, timeout, caller abort, body limit, and
 * the envelope. Every failure becomes a {@link TapTalkError} (weaknesses 1, 2, 19).
 */
import { TapTalkError } from '../errors.js';
import { BodyTooLarge, readLimitedText } from './body.js';
import { failureFromTransport, parseEnvelope, type TransportFailure } from './envelope.js';
import { clientHeaders, type ClientIdentity } from './identity.js';
import { redactError } from './redact.js';

/** Per-instance HTTP settings; nothing here is global. */
export interface HttpConfig {
  /** A base returned by `resolveBaseUrl`. */
  baseUrl: string;
  /** Sent as headers on every call. */
  identity: ClientIdentity;
  /**
   * The `fetch` to use (injected so tests and runtimes can swap it). It is called detached, as
   * `fetch(url, init)`, so passing `globalThis.fetch` works in browsers.
   */
  fetch: typeof fetch;
  /** Time allowed for one request, body included. `0` or a non-finite value disables it. */
  timeoutMs: number;
  /** Responses larger than this many bytes are refused with `95003`. */
  maxBodyBytes: number;
  /** The timer for `timeoutMs`: the session's clock, so a simulated clock governs timeouts too. @default the global timers */
  timers?: { setTimeout(fn: () => void, ms: number): unknown; clearTimeout(id: unknown): void };
}

/** A successful call: the envelope's `data` and the server's clock, when it sent a `Date` header. */
export interface HttpResult<T> {
  data: T;
  /** `Date.parse` of the response `Date` header (epoch ms), if present and valid. */
  serverTime?: number;
}

/** One request as the endpoint functions describe it. */
export interface HttpRequest {
  method: 'GET' | 'POST';
  url: string;
  /** Ticket, access or refresh token. @default none (no `Authorization` header) */
  bearer?: string;
  /** Serialised as JSON for POST. @default {} */
  body?: unknown;
  /** Aborting it rejects with `95017`. @default none */
  signal?: AbortSignal;
}

/** setTimeout's largest delay; longer ones fire at once. */
const MAX_TIMER_MS = 2_147_483_647;

function buildInit(cfg: HttpConfig, req: HttpRequest, signal: AbortSignal): RequestInit {
  const headers = clientHeaders(cfg.identity, req.bearer);
  if (req.method === 'GET') {
    delete headers['Content-Type'];
    return { method: 'GET', headers, signal };
  }
  let body: string;
  try {
    body = JSON.stringify(req.body ?? {});
  } catch (cause) {
    throw new TapTalkError('95011', { message: 'Invalid options: request body is not serialisable', cause });
  }
  return { method: 'POST', headers, body, signal };
}

function readServerTime(response: Response): number | undefined {
  const date = response.headers.get('date');
  const time = date === null ? Number.NaN : Date.parse(date);
  return Number.isFinite(time) ? time : undefined;
}

async function exchange(cfg: HttpConfig, req: HttpRequest, signal: AbortSignal) {
  const init = buildInit(cfg, req, signal);
  const doFetch = cfg.fetch; // detached: a native fetch called as cfg.fetch() throws "Illegal invocation"
  let response: Response;
  try {
    response = await doFetch(req.url, init);
  } catch (cause) {
    throw failureFromTransport(cause, 'network');
  }
  const serverTime = readServerTime(response);
  let text: string;
  try {
    text = await readLimitedText(response, cfg.maxBodyBytes);
  } catch (cause) {
    const reason: TransportFailure = cause instanceof BodyTooLarge ? 'too_large' : 'network';
    throw failureFromTransport(cause, reason, response.status);
  }
  const result = parseEnvelope(response.status, text);
  if (!result.ok) throw result.error;
  return serverTime === undefined ? { data: result.data } : { data: result.data, serverTime };
}

/**
 * Sends one request and returns the envelope's `data`. POST bodies are `JSON.stringify(body ?? {})`.
 * The caller's signal and the timeout share one `AbortController`; the timer is always cleared.
 * The result settles as soon as either fires, even if the injected `fetch` ignores the signal.
 *
 * Rejects only with {@link TapTalkError}: `95017` caller abort, `95001` timeout, `90004` network,
 * `95003` body too large, `95002` not an envelope, or the server's own code. Secrets (the bearer,
 * the app key) are scrubbed from messages and causes.
 *
 * @example
 * ```ts
 * const { data, serverTime } = await request(cfg, { method: 'POST', url: apiUrl(cfg.baseUrl, 'client/logout'), bearer: accessToken });
 * ```
 */
export async function request(cfg: HttpConfig, req: HttpRequest): Promise<HttpResult<Record<string, unknown>>> {
  const secrets = [req.bearer, cfg.identity.appKey].filter((s): s is string => typeof s === 'string');
  if (req.signal?.aborted) throw redactError(failureFromTransport(req.signal.reason, 'aborted'), secrets);
  const controller = new AbortController();
  let stopped: TapTalkError | undefined;
  const stop = (reason: 'timeout' | 'aborted', cause: unknown) => {
    stopped ??= failureFromTransport(cause, reason);
    controller.abort(stopped);
  };
  const onCallerAbort = () => stop('aborted', req.signal?.reason);
  req.signal?.addEventListener('abort', onCallerAbort, { once: true });
  // The global timers, called as methods of globalThis (which is what they need to be called on).
  const timers = cfg.timers ?? (globalThis as unknown as NonNullable<HttpConfig['timers']>);
  const timer =
    Number.isFinite(cfg.timeoutMs) && cfg.timeoutMs > 0
      ? timers.setTimeout(() => stop('timeout', undefined), Math.min(cfg.timeoutMs, MAX_TIMER_MS))
      : undefined;
  const stoppedPromise = new Promise<never>((_resolve, reject) => {
    controller.signal.addEventListener('abort', () => reject(stopped), { once: true });
  });
  try {
    const work = exchange(cfg, req, controller.signal);
    work.catch(() => undefined); // it may still fail after the race is lost
    stoppedPromise.catch(() => undefined);
    return await Promise.race([work, stoppedPromise]);
  } catch (error) {
    // A fetch that honours the signal fails with an AbortError ('network' above): report why it stopped.
    const failure = stopped ?? (error instanceof TapTalkError ? error : failureFromTransport(error, 'network'));
    throw redactError(failure, secrets);
  } finally {
    if (timer !== undefined) timers.clearTimeout(timer);
    req.signal?.removeEventListener('abort', onCallerAbort);
  }
}
