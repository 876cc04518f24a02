/**
 * TapTalk's response envelope (reference §1.3): always all three `error` keys, `data: {}` on errors.
 */
import type { ApiError } from './errors.js';

/** The JSON body of every API answer. */
export interface Envelope {
  status: number;
  error: { code: string; message: string; field: string };
  data: unknown;
}

/**
 * A success envelope. The empty-string `error` object matters: the web SDK tests
 * `error.code === ''`, Android reads all three keys.
 *
 * @example
 * ```ts
 * ok({ ticket }); // { status: 200, error: { code: '', message: '', field: '' }, data: { ticket } }
 * ```
 */
export function ok(data: unknown): Envelope {
  return { status: 200, error: { code: '', message: '', field: '' }, data };
}

/**
 * The error envelope of an {@link ApiError}.
 *
 * @example
 * ```ts
 * failure(new ApiError('40104', 'Token has expired'));
 * ```
 */
export function failure(error: ApiError): Envelope {
  return { status: error.status, error: { code: error.code, message: error.message, field: error.field }, data: {} };
}
