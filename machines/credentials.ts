/**
 * Credentials on the session clock: a grant or a stored session turned into the machine's
 * `Credentials`, with the moment the proactive refresh is due. Pure: the clock reading comes in as
 * an argument.
 */
import type { Credentials, MachineSettings, TokenGrant } from './session.types.js';

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
