/**
 * Ticket exchange and refresh (reference E2, E4). Both answer the same token grant shape.
 */
import type { EmulatorContext } from '../context.js';
import { bearerToken } from '../credentials.js';
import { ApiError } from '../errors.js';
import { requireAppKey } from '../guards.js';
import type { ServerSession } from '../sessions.js';
import { publicUser } from '../user-view.js';
import type { Route } from './route.js';

function grant(ctx: EmulatorContext, session: ServerSession): Record<string, unknown> {
  const user = ctx.users.byUserID(session.userID);
  if (user === undefined) throw new ApiError('40106', 'No user for this token');
  return {
    accessToken: session.accessToken,
    accessTokenExpiry: session.accessTokenExpiry,
    refreshToken: session.refreshToken,
    refreshTokenExpiry: session.refreshTokenExpiry,
    user: publicUser(user, ctx.connections.isOnline(user.userID)),
  };
}

/**
 * `POST /v1/auth/access_token/request` and `POST /v1/auth/access_token/refresh`. Bodies are
 * ignored (the SDKs send `""`, `{}` or nothing).
 *
 * @example
 * ```ts
 * const routes = authRoutes(ctx);
 * ```
 */
export function authRoutes(ctx: EmulatorContext): Record<string, Route> {
  return {
    'POST /v1/auth/access_token/request': (req) => {
      requireAppKey(ctx, req.credentials);
      const ticket = bearerToken(req.credentials.authorization);
      const now = ctx.options.now();
      const userID = ctx.tickets.redeem(ticket, now, ctx.options.singleUseTickets);
      const user = ctx.users.byUserID(userID);
      if (user !== undefined) user.lastLogin = now;
      const session = ctx.sessions.open(userID, req.credentials.deviceID ?? '', now);
      ctx.stats.counters.ticketsExchanged++;
      return grant(ctx, session);
    },
    'POST /v1/auth/access_token/refresh': (req) => {
      requireAppKey(ctx, req.credentials);
      const token = bearerToken(req.credentials.authorization);
      const now = ctx.options.now();
      const session = ctx.sessions.byRefresh(token, req.credentials.deviceID ?? '', now);
      ctx.sessions.rotate(session, now);
      ctx.stats.counters.refreshes++;
      return grant(ctx, session);
    },
  };
}
