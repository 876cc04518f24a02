/**
 * The error a route throws to answer with an error envelope (reference §1.3, §5.1).
 */

/**
 * Envelope status of a code: its first three digits (`'40104'` → 401, `'49103'` → 491).
 *
 * @example
 * ```ts
 * statusOf('40104'); // 401
 * ```
 */
export function statusOf(code: string): number {
  const status = Number(code.slice(0, 3));
  return Number.isInteger(status) && status >= 100 ? status : 500;
}

/**
 * A TapTalk error answer. Routes throw it; the server turns it into an envelope.
 *
 * @example
 * ```ts
 * throw new ApiError('40002', "Param 'xcUserID' is required", '105');
 * ```
 */
export class ApiError extends Error {
  /** Envelope `error.code`. */
  readonly code: string;
  /** Envelope `error.field`. @default '' */
  readonly field: string;
  /** Envelope status. @default statusOf(code) */
  readonly status: number;
  /** HTTP status to force regardless of mirror mode. @default none */
  readonly httpStatus: number | undefined;

  constructor(code: string, message: string, field = '', status = statusOf(code), httpStatus?: number) {
    super(message);
    this.name = 'ApiError';
    this.code = code;
    this.field = field;
    this.status = status;
    this.httpStatus = httpStatus;
  }
}

/**
 * The `40002` answer for a request parameter, with its numbered field code.
 *
 * @example
 * ```ts
 * throw paramError("Param 'fullName' is required", '106');
 * ```
 */
export function paramError(message: string, field = ''): ApiError {
  return new ApiError('40002', message, field);
}
