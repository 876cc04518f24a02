/**
 * The Server API a customer backend calls with its Server-Key (reference E1, E7 user/update).
 */
import { parseJsonObject } from '../body.js';
import type { EmulatorContext } from '../context.js';
import { ApiError } from '../errors.js';
import { verifyKey } from '../keys.js';
import { validateTicketRequest, validateUserFields } from '../user-fields.js';
import type { Route, RouteRequest } from './route.js';

function requireServerKey(ctx: EmulatorContext, req: RouteRequest): void {
  const raw = req.headers['server-key'];
  const missing = new ApiError('40001', 'Request headers are required (Server-Key)');
  verifyKey(Array.isArray(raw) ? raw[0] : raw, ctx.options.serverKey, missing, 'Server-Key');
}

/**
 * `POST /v1/server/auth_ticket/request` and `POST /v1/server/user/update`.
 *
 * @example
 * ```ts
 * const routes = serverApiRoutes(ctx);
 * ```
 */
export function serverApiRoutes(ctx: EmulatorContext): Record<string, Route> {
  return {
    'POST /v1/server/auth_ticket/request': (req) => {
      requireServerKey(ctx, req);
      const { xcUserID, profile } = validateTicketRequest(parseJsonObject(req.body));
      const now = ctx.options.now();
      const user = ctx.users.upsert(xcUserID, profile, now);
      const ticket = ctx.tickets.issue(user.userID, now + ctx.options.ticketTtlMs);
      ctx.stats.counters.ticketsIssued++;
      return { ticket, userID: user.userID };
    },
    'POST /v1/server/user/update': (req) => {
      requireServerKey(ctx, req);
      const { xcUserID, profile } = validateUserFields(parseJsonObject(req.body));
      return { userID: ctx.users.upsert(xcUserID, profile, ctx.options.now()).userID };
    },
  };
}
