/**
 * Login sessions and their tokens (reference §3.2–3.3). A session is born from one ticket
 * exchange, is bound to the user and the Device-Identifier that exchanged it, and rotates both
 * tokens on every refresh.
 */
import { randomBytes } from 'node:crypto';
import { ApiError } from './errors.js';

/** One logged-in device of one user. */
export interface ServerSession {
  readonly id: string;
  readonly userID: string;
  /** Device-Identifier that exchanged the ticket ('' when none was sent). */
  readonly deviceID: string;
  accessToken: string;
  accessTokenExpiry: number;
  refreshToken: string;
  refreshTokenExpiry: number;
  /** Set by the expireAccessTokens fault: the current access token answers 40104. */
  accessForcedExpired: boolean;
}

/** Token lifetimes. */
export interface TokenTtls {
  accessTokenTtlMs: number;
  refreshTokenTtlMs: number;
}

const token = () => randomBytes(32).toString('base64url');

/**
 * Per-instance session storage, indexed by both tokens. Revoked or rotated tokens are removed
 * from the indexes, so they answer 40103 like tokens that never existed.
 *
 * @example
 * ```ts
 * const sessions = new SessionBook({ accessTokenTtlMs: 60_000, refreshTokenTtlMs: 600_000 });
 * const session = sessions.open('1001', 'device-1', Date.now());
 * sessions.byAccess(session.accessToken, 'device-1', Date.now()) === session; // true
 * ```
 */
export class SessionBook {
  readonly #byAccess = new Map<string, ServerSession>();
  readonly #byRefresh = new Map<string, ServerSession>();
  readonly #ttls: TokenTtls;

  constructor(ttls: TokenTtls) {
    this.#ttls = ttls;
  }

  /** Starts a session with fresh tokens. */
  open(userID: string, deviceID: string, now: number): ServerSession {
    const session: ServerSession = { id: token(), userID, deviceID, accessToken: '', accessTokenExpiry: 0, refreshToken: '', refreshTokenExpiry: 0, accessForcedExpired: false };
    this.#issue(session, now);
    return session;
  }

  /** Replaces both tokens; the old ones stop working (40103). */
  rotate(session: ServerSession, now: number): void {
    this.#forget(session);
    this.#issue(session, now);
  }

  /** The session of an access token: 40103 unknown/revoked, 40105 other device, 40104 expired. */
  byAccess(accessToken: string, deviceID: string, now: number): ServerSession {
    const session = this.#byAccess.get(accessToken);
    if (session === undefined) throw new ApiError('40103', 'Invalid access token');
    checkDevice(session, deviceID);
    if (session.accessForcedExpired || now >= session.accessTokenExpiry) throw new ApiError('40104', 'Access token has expired');
    return session;
  }

  /** The session of a refresh token, with the same codes as {@link byAccess}. */
  byRefresh(refreshToken: string, deviceID: string, now: number): ServerSession {
    const session = this.#byRefresh.get(refreshToken);
    if (session === undefined) throw new ApiError('40103', 'Invalid refresh token');
    checkDevice(session, deviceID);
    if (now >= session.refreshTokenExpiry) throw new ApiError('40104', 'Refresh token has expired');
    return session;
  }

  /** Ends a session (logout): both tokens stop working. */
  revoke(session: ServerSession): void {
    this.#forget(session);
  }

  /** Every access token issued so far answers 40104 (tokens issued later are unaffected). */
  expireAllAccess(): void {
    for (const session of this.#byAccess.values()) session.accessForcedExpired = true;
  }

  /** Every session issued so far is revoked. */
  revokeAll(): void {
    this.#byAccess.clear();
    this.#byRefresh.clear();
  }

  #issue(session: ServerSession, now: number): void {
    session.accessToken = token();
    session.refreshToken = token();
    session.accessTokenExpiry = now + this.#ttls.accessTokenTtlMs;
    session.refreshTokenExpiry = now + this.#ttls.refreshTokenTtlMs;
    session.accessForcedExpired = false;
    this.#byAccess.set(session.accessToken, session);
    this.#byRefresh.set(session.refreshToken, session);
  }

  #forget(session: ServerSession): void {
    this.#byAccess.delete(session.accessToken);
    this.#byRefresh.delete(session.refreshToken);
  }
}

function checkDevice(session: ServerSession, deviceID: string): void {
  if (session.deviceID !== deviceID) throw new ApiError('40105', 'Token does not belong to this device');
}
