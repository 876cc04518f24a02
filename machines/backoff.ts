/**
 * Pure backoff math of the reconnect and refresh retries. The random number comes in as an
 * argument, so the same inputs always give the same delay.
 */
import type { MachineSettings } from './session.types.js';

/**
 * Full-jitter exponential backoff (SES-21): uniform in [0, min(cap, base·2^attempt)).
 * Full jitter spreads a crowd of clients over the whole window, which is what keeps a server
 * that just restarted from being hit by every client at once.
 */
export function backoffDelay(attempt: number, random: number, baseMs: number, capMs: number): number {
  const ceiling = Math.min(capMs, baseMs * 2 ** Math.max(0, attempt));
  return Math.floor(random * ceiling);
}

/**
 * Delay before reconnect attempt number `attempt` (0 = the first retry). The first retry after a
 * drop is drawn from [0, firstRetryMaxMs) so it comes within a second (SES-20).
 */
export function reconnectDelay(attempt: number, random: number, s: MachineSettings): number {
  if (attempt === 0) return Math.floor(random * s.firstRetryMaxMs);
  return backoffDelay(attempt, random, s.backoffBaseMs, s.backoffCapMs);
}
