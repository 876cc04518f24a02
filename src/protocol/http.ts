/**
 * One HTTP call to a TapTalk-compatible server: headers, timeout, caller abort, body limit, and
 * the envelope. Every failure becomes a {@link TapTalkError} (weaknesses 1, 2, 19).
 */
import { timerDelay } from '../../machines/timers.js';
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

async function exchange(cfg: HttpConfig, req: HttpRequest, signal: AbortSignal): Promise<HttpResult<Record<string, unknown>>> {
  const headers = clientHeaders(cfg.identity, req.bearer);
  let body: string | undefined;
  if (req.method === 'GET') delete headers['Content-Type'];
  else {
    try {
      body = JSON.stringify(req.body ?? {});
    } catch (cause) {
      throw new TapTalkError('95011', { message: 'Invalid options: request body is not serialisable', cause });
    }
  }
  const doFetch = cfg.fetch; // detached: a native fetch called as cfg.fetch() throws "Illegal invocation"
  let response: Response;
  try {
    response = await doFetch(req.url, { method: req.method, headers, body, signal });
  } catch (cause) {
    throw failureFromTransport(cause, 'network');
  }
  // The response `Date` header: NaN when absent or invalid.
  const serverTime = Date.parse(response.headers.get('date') ?? '');
  let text: string;
  try {
    text = await readLimitedText(response, cfg.maxBodyBytes);
  } catch (cause) {
    throw failureFromTransport(cause, cause instanceof BodyTooLarge ? 'too_large' : 'network', response.status);
  }
  const result = parseEnvelope(response.status, text);
  if (!result.ok) throw result.error;
  return Number.isNaN(serverTime) ? { data: result.data } : { data: result.data, serverTime };
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
  const caller = req.signal;
  // The caller's signal and the timeout both abort this controller; the first reason wins, since
  // abort() ignores later calls, and the abort reason is the error to report.
  const controller = new AbortController();
  const { signal } = controller;
  const stop = (reason: TransportFailure, cause?: unknown) => controller.abort(failureFromTransport(cause, reason));
  const onCallerAbort = () => stop('aborted', caller?.reason);
  if (caller?.aborted) onCallerAbort();
  caller?.addEventListener('abort', onCallerAbort);
  // The global timers, called as methods of globalThis (which is what they need to be called on).
  const timers = cfg.timers ?? (globalThis as unknown as NonNullable<HttpConfig['timers']>);
  const timer =
    Number.isFinite(cfg.timeoutMs) && cfg.timeoutMs > 0
      ? timers.setTimeout(() => stop('timeout'), timerDelay(cfg.timeoutMs))
      : undefined;
  try {
    if (signal.aborted) throw signal.reason; // aborted before the call: fetch is never called
    // Settles on abort even if the injected fetch ignores the signal. Promise.race handles the
    // loser's later rejection, so it is never reported as unhandled.
    const stopped = new Promise<never>((_resolve, reject) => signal.addEventListener('abort', () => reject(signal.reason)));
    return await Promise.race([exchange(cfg, req, signal), stopped]);
  } catch (error) {
    // A fetch that honours the signal fails with an AbortError (mapped to 'network'): report why it stopped.
    if (signal.aborted) throw redactError(signal.reason as TapTalkError, secrets);
    throw redactError(error instanceof TapTalkError ? error : failureFromTransport(error, 'network'), secrets);
  } finally {
    if (timer !== undefined) timers.clearTimeout(timer);
    caller?.removeEventListener('abort', onCallerAbort);
  }
}
