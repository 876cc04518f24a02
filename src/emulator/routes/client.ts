/**
 * Token-bound client calls: probe, logout, active user; and project configs, which need no token
 * (reference E3, E5, E6, E7).
 */
import { parseJsonObject } from '../body.js';
import type { EmulatorContext } from '../context.js';
import { ApiError, paramError } from '../errors.js';
import { requireAppKey, requireSession } from '../guards.js';
import { publicUser } from '../user-view.js';
import type { Route } from './route.js';

/** Android's `ProjectConfigKeys` defaults; values are strings, as the SDKs expect. */
const PROJECT_CONFIGS = {
  core: {
    chatMediaMaxFileSize: '26214400',
    roomPhotoMaxFileSize: '10485760',
    userPhotoMaxFileSize: '10485760',
    groupMaxParticipants: '100',
    channelMaxParticipants: '5000',
    roomMaxPinned: '10',
  },
  project: { usernameIgnoreCase: '1' },
  custom: {},
};

/**
 * `GET /connect?check=1`, `POST /v1/client/logout`, `POST /v1/client/project_configs`,
 * `POST /v1/client/user/get_by_id`.
 *
 * @example
 * ```ts
 * const routes = clientRoutes(ctx);
 * ```
 */
export function clientRoutes(ctx: EmulatorContext): Record<string, Route> {
  return {
    // A GET /connect without an Upgrade header is a probe whether or not it says check=1.
    'GET /connect': (req) => {
      requireSession(ctx, req.credentials);
      return {};
    },
    'POST /v1/client/logout': (req) => {
      const { session } = requireSession(ctx, req.credentials);
      ctx.sessions.revoke(session);
      for (const conn of ctx.connections.ofSession(session.id)) conn.ws.close(1000, 'Logged out');
      ctx.stats.counters.logouts++;
      return { success: true, message: 'Logged out' };
    },
    'POST /v1/client/project_configs': (req) => {
      requireAppKey(ctx, req.credentials);
      return structuredClone(PROJECT_CONFIGS);
    },
    'POST /v1/client/user/get_by_id': (req) => {
      requireSession(ctx, req.credentials);
      const id = parseJsonObject(req.body).id;
      if (typeof id !== 'string' || id === '') throw paramError("Param 'id' is required");
      const user = ctx.users.byUserID(id);
      if (user === undefined) throw new ApiError('40401', 'User not found');
      return { user: publicUser(user, ctx.connections.isOnline(user.userID)) };
    },
  };
}
