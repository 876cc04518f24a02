/**
 * Keeps secrets out of errors. Causes from `fetch` can quote a header value (Node's "invalid
 * header value" error does) or a URL; a server could echo a token in its message. Everything that
 * leaves the protocol layer passes through here first.
 */
import { TapTalkError } from '../errors.js';

const REDACTED = '[redacted]';
// scheme://authority/path?query → keep up to the '?', drop the query (socket URLs carry tokens).
const URL_QUERY = /\b([a-z][a-z0-9+.-]*:\/\/[^\s?#"'<>]*)\?[^\s#"'<>]*/gi;
/** Shorter strings would redact ordinary words; real tickets and tokens are far longer. */
const MIN_SECRET_LENGTH = 4;

/**
 * Removes URL queries and the given secrets from a text.
 *
 * @example
 * ```ts
 * scrubText('GET wss://h/connect?authorization=Bearer%20t failed', []); // 'GET wss://h/connect?[redacted] failed'
 * ```
 */
export function scrubText(text: string, secrets: readonly string[]): string {
  let out = text.replace(URL_QUERY, `$1?${REDACTED}`);
  for (const secret of secrets) {
    if (secret.length >= MIN_SECRET_LENGTH) out = out.split(secret).join(REDACTED);
  }
  return out;
}

/**
 * Returns the cause unchanged when it is clean, else a copy of the error chain (three levels deep)
 * with scrubbed messages. Non-error values other than strings are kept as they are.
 *
 * @param secrets - Strings that must not survive. @default []
 * @example
 * ```ts
 * new TapTalkError('90004', { cause: scrubCause(e, [token]) });
 * ```
 */
export function scrubCause(cause: unknown, secrets: readonly string[] = [], depth = 0): unknown {
  if (typeof cause === 'string') return scrubText(cause, secrets);
  if (!(cause instanceof Error)) return cause;
  const message = scrubText(cause.message, secrets);
  const inner = depth < 3 ? scrubCause(cause.cause, secrets, depth + 1) : undefined;
  if (message === cause.message && inner === cause.cause) return cause;
  // A fresh error: the original stack starts with the unscrubbed message.
  const copy = new Error(message, inner === undefined ? undefined : { cause: inner });
  copy.name = cause.name;
  return copy;
}

/**
 * The same error with the secrets scrubbed from its message and cause; the original when clean.
 *
 * @example
 * ```ts
 * throw redactError(error, [ticket, identity.appKey]);
 * ```
 */
export function redactError(error: TapTalkError, secrets: readonly string[]): TapTalkError {
  const message = scrubText(error.message, secrets);
  const cause = scrubCause(error.cause, secrets);
  if (message === error.message && cause === error.cause) return error;
  return new TapTalkError(error.code, {
    message,
    status: error.status,
    field: error.field,
    retryable: error.retryable,
    cause,
  });
}
