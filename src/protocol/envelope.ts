/**
 * THE one place that turns an HTTP outcome into data or a {@link TapTalkError} (architecture §7):
 * a response ({@link parseEnvelope}), a refused WebSocket upgrade ({@link refusedUpgradeError}), a
 * request that got no response ({@link failureFromTransport}) and a socket that could not be opened
 * ({@link unopenedSocketError}).
 * The envelope is read whatever the HTTP status (weakness 1): a real HTTP 401 carrying
 * `{"status":401,"error":{"code":"40104"}}` must reach the refresh logic as `40104`.
 */
import { TapTalkError } from '../errors.js';
import { isRecord } from './record.js';
import { redactError, scrubCause } from './redact.js';

/** Outcome of {@link parseEnvelope}: the envelope's `data`, or the error it describes. */
export type EnvelopeResult =
  | { ok: true; data: Record<string, unknown> }
  | { ok: false; error: TapTalkError };

/** Server messages are shown to developers; a huge one is more likely an echoed page than help. */
const MAX_MESSAGE_LENGTH = 200;

/** An HTTP status worth retrying later: a server error (5xx) or a rate limit (429). */
export function isRetryableStatus(status: number): boolean {
  return status >= 500 || status === 429;
}

function notEnvelope(status: number, problem: string): EnvelopeResult {
  const error = new TapTalkError('95002', {
    message: `Server answered with something that is not a TapTalk envelope (${problem}, HTTP status ${status})`,
    status,
    // "No status at all" (0) is worth retrying too; other statuses are not.
    retryable: isRetryableStatus(status) || status === 0,
  });
  return { ok: false, error };
}

/**
 * Parses a response body as a TapTalk envelope `{status, error: {code, message, field}, data}`.
 *
 * - not JSON, or JSON that is not an envelope (no `error` object, non-string `error.code`,
 *   including `error: {}`) → `95002`, retryable for HTTP 5xx/429/0;
 * - non-empty `error.code` → that code with the envelope status (else the HTTP one), `field`,
 *   the server's message (cut to 200 characters), retryable forced on for 5xx/429;
 * - empty code but a non-2xx envelope or HTTP status, or `data` not an object → `95002`.
 *
 * Never throws.
 *
 * @example
 * ```ts
 * const result = parseEnvelope(401, '{"status":401,"error":{"code":"40104","message":"expired","field":""},"data":{}}');
 * // { ok: false, error: TapTalkError { code: '40104', status: 401 } }
 * ```
 */
export function parseEnvelope(httpStatus: number, bodyText: string): EnvelopeResult {
  let body: unknown;
  try {
    body = JSON.parse(bodyText);
  } catch {
    return notEnvelope(httpStatus, bodyText.trim() === '' ? 'empty body' : 'body is not JSON');
  }
  if (!isRecord(body)) return notEnvelope(httpStatus, 'body is not an object');
  const { error } = body;
  if (!isRecord(error) || typeof error.code !== 'string') {
    return notEnvelope(httpStatus, 'no error object with a string code');
  }
  const status = Number.isInteger(body.status) ? (body.status as number) : httpStatus;
  if (error.code !== '') {
    const message =
      typeof error.message === 'string' && error.message.trim() !== ''
        ? error.message.slice(0, MAX_MESSAGE_LENGTH)
        : undefined;
    const field = typeof error.field === 'string' ? error.field : undefined; // TapTalkError ignores ''
    const retryable = isRetryableStatus(status) ? true : undefined;
    return { ok: false, error: new TapTalkError(error.code, { status, field, message, retryable }) };
  }
  const is2xx = (s: number) => s >= 200 && s < 300;
  // Reported with the status that failed, the envelope's first.
  if (!is2xx(status) || !is2xx(httpStatus)) return notEnvelope(is2xx(status) ? httpStatus : status, 'empty error code with a failure status');
  if (!isRecord(body.data)) return notEnvelope(httpStatus, 'data is not an object');
  return { ok: true, data: body.data };
}

/**
 * The error for a refused WebSocket upgrade (`ws` shows the HTTP answer): the envelope's error when
 * the body is one; else what the status says: a 401 refused the token (`40104`, so the machine
 * refreshes, SES-22), anything else is the server's failure (`50001`, retryable for 5xx and 429).
 * A server may quote the credentials it refused: the `secrets` (the token, the app key) are
 * scrubbed from the message, as `request()` scrubs them from HTTP answers (SES-65).
 *
 * @param secrets - Strings that must not survive. @default []
 * @example
 * ```ts
 * refusedUpgradeError(401, '<html>Unauthorized</html>').code; // '40104'
 * ```
 */
export function refusedUpgradeError(status: number, bodyText: string, secrets: readonly string[] = []): TapTalkError {
  const parsed = parseEnvelope(status, bodyText);
  if (!parsed.ok && parsed.error.code !== '95002') return redactError(parsed.error, secrets);
  const message = `WebSocket upgrade refused with HTTP status ${status}`;
  if (status === 401) return new TapTalkError('40104', { status, message });
  return new TapTalkError('50001', { status, message, retryable: isRetryableStatus(status) });
}

/**
 * The error for a socket that could not be opened: a `TapTalkError` as it is (the settings could
 * not be had), anything else (a constructor that threw) as `99999` with its cause scrubbed of URL
 * queries, since a native socket's URL carries the credentials (SES-65).
 *
 * @example
 * ```ts
 * unopenedSocketError(new SyntaxError("The URL 'wss://h/connect?authorization=Bearer%20t' is invalid")).code; // '99999'
 * ```
 */
export function unopenedSocketError(cause: unknown): TapTalkError {
  return cause instanceof TapTalkError ? cause : new TapTalkError('99999', { cause: scrubCause(cause) });
}

/** Why a request produced no envelope at all. */
export type TransportFailure = 'network' | 'timeout' | 'aborted' | 'too_large';

const TRANSPORT_CODES = {
  network: '90004',
  timeout: '95001',
  aborted: '95017',
  too_large: '95003',
} as const satisfies Record<TransportFailure, string>;

/**
 * The error for a request that failed below the envelope: `network` → `90004` (retryable),
 * `timeout` → `95001`, `aborted` → `95017`, `too_large` → `95003`. Keeps the cause for debugging,
 * with any URL query scrubbed from its message.
 *
 * @param status - HTTP status, when a response had arrived (`too_large`). @default none
 * @example
 * ```ts
 * failureFromTransport(new TypeError('fetch failed'), 'network').code; // '90004'
 * ```
 */
export function failureFromTransport(cause: unknown, reason: TransportFailure, status?: number): TapTalkError {
  return new TapTalkError(TRANSPORT_CODES[reason], { status, cause: scrubCause(cause) });
}
