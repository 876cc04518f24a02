/**
 * The one error type of taptalk-session and the table of every code it can carry.
 *
 * Codes are TapTalk's own strings where TapTalk defines one (server codes `4xxxx`/`49xxx`/`5xxxx`,
 * client codes `900xx`); conditions TapTalk never named get a code in the `95xxx` range, which no
 * TapTalk SDK uses. `docs/errors.md` documents each code; a test keeps the two in step.
 */
import { isUnauthorizedCode } from '../machines/failure.js';

/** What a code means and whether trying again later can help. */
export interface ErrorCodeInfo {
  /** Short, secret-free description, used as the default message. */
  readonly message: string;
  /** Whether the same operation may succeed if retried later (network, 5xx, timeouts). */
  readonly retryable: boolean;
}

/** Every code taptalk-session produces or understands. */
export const ERROR_CODES = {
  // Server codes (protocol reference §5.1).
  '40001': { message: 'Request header validation failed', retryable: false },
  '40002': { message: 'Request parameter validation failed', retryable: false },
  '40101': { message: 'Authorization header missing', retryable: false },
  '40102': { message: 'Authorization header malformed', retryable: false },
  '40103': { message: 'Token invalid', retryable: false },
  '40104': { message: 'Token expired', retryable: false },
  '40105': { message: 'Token does not belong to this client', retryable: false },
  '40106': { message: 'No user for this token', retryable: false },
  '40301': { message: 'Permission denied', retryable: false },
  '40401': { message: 'Not found', retryable: false },
  '49101': { message: 'Key not provided', retryable: false },
  '49102': { message: 'Key invalid', retryable: false },
  '49103': { message: 'Key not found', retryable: false },
  '49104': { message: 'Key not meant for this platform', retryable: false },
  '49106': { message: 'Key expired', retryable: false },
  '49201': { message: 'App not enabled', retryable: false },
  '49202': { message: 'App unavailable', retryable: false },
  '49203': { message: 'App not found', retryable: false },
  '50001': { message: 'Server error', retryable: true },
  '99999': { message: 'Unknown error', retryable: false },
  // Client codes TapTalk's SDKs define (protocol reference §5.2).
  '90000': { message: 'TapTalk is not initialised: call init() first', retryable: false },
  '90001': { message: 'Active user not found', retryable: false },
  '90002': { message: 'Not authenticated: authenticate before connecting', retryable: false },
  '90003': { message: 'Already connected or connecting', retryable: false },
  '90004': { message: 'Network request failed', retryable: true },
  '90005': { message: 'Invalid auth ticket', retryable: false },
  '90006': { message: 'User not authenticated', retryable: false },
  // taptalk-session's own codes: conditions TapTalk's SDKs never reported.
  '95001': { message: 'Request timed out', retryable: true },
  '95002': { message: 'Server answered with something that is not a TapTalk envelope', retryable: true },
  '95003': { message: 'Response body too large', retryable: false },
  '95004': { message: 'Invalid frame received on the socket', retryable: false },
  '95005': { message: 'Outgoing queue is full', retryable: true },
  '95006': { message: 'Frame not sent: the session ended before it could be sent', retryable: false },
  '95007': { message: 'Frame not sent: not connected', retryable: true },
  '95008': { message: 'Reconnect budget exhausted', retryable: true },
  '95009': { message: 'Stored session is unreadable and was ignored', retryable: false },
  '95010': { message: 'Storage failed', retryable: true },
  '95011': { message: 'Invalid options', retryable: false },
  '95012': { message: 'Session disposed', retryable: false },
  '95013': { message: 'Connection lost', retryable: true },
  '95014': { message: 'Connection stopped answering pings', retryable: true },
  '95015': { message: 'Another authentication with a different ticket is in progress', retryable: false },
  '95016': { message: 'Logged out before the operation finished', retryable: false },
  '95017': { message: 'Request aborted', retryable: true },
} as const satisfies Record<string, ErrorCodeInfo>;

/** A code from {@link ERROR_CODES}. Server codes not in the table are carried as plain strings. */
export type TapTalkErrorCode = keyof typeof ERROR_CODES | (string & {});

/** Options of the {@link TapTalkError} constructor. */
export interface TapTalkErrorOptions {
  /** Human text; defaults to the code's table message. Never put a ticket or token here. */
  message?: string;
  /** Envelope (or HTTP) status, when the error came from the server. */
  status?: number;
  /** Numbered field code of a `40002` validation error (`"105"` for `xcUserID`, ...). */
  field?: string;
  /** Overrides the table's retryable flag (a 503 HTML page is retryable, a 404 one is not). */
  retryable?: boolean;
  /** The underlying error, for debugging. */
  cause?: unknown;
}

/**
 * The only error taptalk-session produces: it carries a stable string `code`.
 *
 * @example
 * ```ts
 * session.errors$.subscribe((e) => console.warn(e.code, e.message, e.retryable));
 * ```
 */
export class TapTalkError extends Error {
  // Assigned in the constructor, not as a field initialiser: tsup's CommonJS conversion wraps a
  // class with initialised fields in an anonymous `_class`, which `console.log` would then print.
  // `declare`: the constructor always assigns these, so no field definition needs emitting.
  declare readonly name: 'TapTalkError';
  /** TapTalk's code (`"40104"`, `"90005"`, ...) or one of ours (`"95xxx"`). */
  declare readonly code: TapTalkErrorCode;
  /** Envelope status (`401` for `401xx`, ...), when the server sent one. */
  declare readonly status?: number;
  /** Numbered field code of a validation error. */
  declare readonly field?: string;
  /** Whether retrying later may succeed. */
  declare readonly retryable: boolean;

  constructor(code: TapTalkErrorCode, options: TapTalkErrorOptions = {}) {
    const info = (ERROR_CODES as Record<string, ErrorCodeInfo>)[code];
    super(options.message ?? info?.message ?? `Error ${code}`, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'TapTalkError';
    this.code = code;
    if (options.status !== undefined) this.status = options.status;
    if (options.field) this.field = options.field;
    this.retryable = options.retryable ?? info?.retryable ?? false;
  }

  /** True for `401xx`: the token (or ticket) presented was refused. */
  get isAuthError(): boolean {
    return isUnauthorizedCode(this.code);
  }
}

/** Wraps anything thrown into a {@link TapTalkError}, keeping one that already is. */
export function asTapTalkError(error: unknown, fallback: TapTalkErrorCode = '99999'): TapTalkError {
  return error instanceof TapTalkError ? error : new TapTalkError(fallback, { cause: error });
}
