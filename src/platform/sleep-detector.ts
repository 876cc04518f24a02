/**
 * Wall-clock sleep detection (SES-32): a timer that fires much later than asked means the machine
 * slept (laptop lid, suspended tab). It reports `env.wake`, which makes the session check its socket
 * and its token instead of trusting them.
 */
import type { EnvironmentEvent } from './ports.js';

/** How often the wall clock is read. */
export const SLEEP_CHECK_MS = 5_000;
/**
 * A gap this much longer than the check interval counts as sleep. Chrome aligns timers of hidden
 * tabs to one minute, so anything under that is throttling, not sleep, and must not cost a healthy
 * socket its life (SES-33).
 */
export const SLEEP_THRESHOLD_MS = 70_000;

/** Starts the detector; returns its stop function. Reads `Date.now` on purpose: sleep shows in wall time. */
export function watchSleep(emit: (event: EnvironmentEvent) => void, wallNow: () => number = Date.now): () => void {
  let last = wallNow();
  const timer = setInterval(() => {
    const now = wallNow();
    const gap = now - last;
    last = now;
    if (gap - SLEEP_CHECK_MS > SLEEP_THRESHOLD_MS) emit({ type: 'env.wake', sleptMs: gap - SLEEP_CHECK_MS });
  }, SLEEP_CHECK_MS);
  // In Node the detector alone must not keep a process alive.
  (timer as { unref?: () => void }).unref?.();
  return () => clearInterval(timer);
}
