/** Pure predicates on failures and timing, used as named guards by the machine. */
import type { Failure } from './session.types.js';

/** The credential presented was refused by the server (`401xx`). */
export function isUnauthorized(failure: Failure | undefined): boolean {
  return failure?.unauthorized === true;
}

/** Reads the `Failure` an actor rejected with; anything else becomes a generic one. */
export function toFailure(error: unknown): Failure {
  const e = error as (Partial<Failure> & { isAuthError?: boolean }) | null;
  if (e && typeof e === 'object' && typeof e.code === 'string') {
    return {
      code: e.code,
      retryable: e.retryable === true,
      unauthorized: e.unauthorized === true || e.isAuthError === true || /^401\d\d$/.test(e.code),
      ...(typeof e.message === 'string' ? { message: e.message } : {}),
      error,
    };
  }
  return { code: '99999', retryable: false, unauthorized: false, error };
}
