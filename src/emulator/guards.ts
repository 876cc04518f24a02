/**
 * The credential checks shared by client routes and the WebSocket upgrade.
 */
import type { EmulatorContext } from './context.js';
import { bearerToken, type Credentials } from './credentials.js';
import { ApiError } from './errors.js';
import { verifyKey } from './keys.js';
import type { ServerSession } from './sessions.js';
import type { UserRecord } from './users.js';

/**
 * 491xx unless the client presented this instance's App-Key.
 *
 * @example
 * ```ts
 * requireAppKey(ctx, req.credentials);
 * ```
 */
export function requireAppKey(ctx: EmulatorContext, credentials: Credentials): void {
  verifyKey(credentials.appKey, ctx.options.appKey, new ApiError('49101', 'App-Key is required'), 'App-Key');
}

/**
 * App-Key, then `Bearer <access token>`, then the token's session and user.
 *
 * @example
 * ```ts
 * const { session, user } = requireSession(ctx, req.credentials);
 * ```
 */
export function requireSession(ctx: EmulatorContext, credentials: Credentials): { session: ServerSession; user: UserRecord } {
  requireAppKey(ctx, credentials);
  const token = bearerToken(credentials.authorization);
  const session = ctx.sessions.byAccess(token, credentials.deviceID ?? '', ctx.options.now());
  const user = ctx.users.byUserID(session.userID);
  if (user === undefined) throw new ApiError('40106', 'No user for this token');
  return { session, user };
}
