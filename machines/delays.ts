/**
 * Pure timing math of the session: backoff and refresh scheduling. The clock reading and the
 * random number come in as arguments, so the same inputs always give the same delay.
 */
import type { Credentials, MachineSettings, TokenGrant } from './session.types.js';

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

/**
 * When the proactive refresh is due, on the session clock (SES-3). The lifetime is measured from
 * the server's own clock when the grant carries one, so a device clock that is minutes off does
 * not move the refresh; never earlier than half the lifetime, never sooner than
 * `minRefreshDelayMs` after the grant (a server handing out near-dead tokens cannot cause a storm).
 */
export function refreshAt(accessExpiresAtLocal: number, receivedAt: number, s: MachineSettings): number {
  const lifetime = accessExpiresAtLocal - receivedAt;
  return receivedAt + Math.max(lifetime - s.refreshMarginMs, lifetime / 2, s.minRefreshDelayMs);
}

/** Turns a grant into credentials on the session clock. `now` is the local clock at receipt. */
export function credentialsFromGrant(grant: TokenGrant, now: number, s: MachineSettings): Credentials {
  const skewMs = grant.serverTime === undefined ? 0 : grant.serverTime - now;
  return {
    accessToken: grant.accessToken,
    refreshToken: grant.refreshToken,
    accessTokenExpiry: grant.accessTokenExpiry,
    refreshTokenExpiry: grant.refreshTokenExpiry,
    skewMs,
    refreshAt: refreshAt(grant.accessTokenExpiry - skewMs, now, s),
  };
}

/**
 * Credentials read back from storage: the receipt time is unknown, so the refresh is due
 * `refreshMarginMs` before expiry, or at once when that moment has passed.
 */
export function credentialsFromStored(
  stored: Omit<Credentials, 'refreshAt'>,
  now: number,
  s: MachineSettings,
): Credentials {
  const expiresAtLocal = stored.accessTokenExpiry - stored.skewMs;
  return { ...stored, refreshAt: Math.max(now, expiresAtLocal - s.refreshMarginMs) };
}

/**
 * Credentials a sibling stored, read again now (SES-82): timed as if they had just arrived, since a
 * sibling has just rotated them. Timed like a restore (at once when due), every sibling adopting a
 * short-lived token would refresh it again at once.
 */
export function credentialsFromSibling(
  stored: Omit<Credentials, 'refreshAt'>,
  now: number,
  s: MachineSettings,
): Credentials {
  return { ...stored, refreshAt: refreshAt(stored.accessTokenExpiry - stored.skewMs, now, s) };
}
