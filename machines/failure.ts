/** The machine's view of an error an actor rejected with: its code, and what the code means. */
import type { Failure } from './session.types.js';

/** A `401xx` code: the credential presented (token or ticket) was refused by the server. */
export function isUnauthorizedCode(code: string): boolean {
  return /^401\d\d$/.test(code);
}

/** Reads the `Failure` an actor rejected with; anything else becomes a generic one. */
export function toFailure(error: unknown): Failure {
  const e = error as Partial<Failure> | null;
  if (e && typeof e === 'object' && typeof e.code === 'string') {
    return {
      code: e.code,
      retryable: e.retryable === true,
      unauthorized: e.unauthorized === true || isUnauthorizedCode(e.code),
      ...(typeof e.message === 'string' ? { message: e.message } : {}),
      error,
    };
  }
  return { code: '99999', retryable: false, unauthorized: false, error };
}
