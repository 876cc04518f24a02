/**
 * The longest delay a platform timer takes (2^31 − 1 ms, about 24.8 days): browsers and Node fire
 * longer ones at once, which would turn a long-lived token into a refresh storm (SES-3) or a
 * request timeout into an instant failure.
 */
export const MAX_TIMER_MS = 2_147_483_647;

/** `ms` clamped to what a platform timer can wait. */
export function timerDelay(ms: number): number {
  return Math.min(MAX_TIMER_MS, Math.max(0, ms));
}
