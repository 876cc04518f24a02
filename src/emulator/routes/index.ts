/**
 * The route table of an instance.
 */
import type { EmulatorContext } from '../context.js';
import type { Emulator } from '../types.js';
import { adminRoutes } from './admin.js';
import { authRoutes } from './auth.js';
import { clientRoutes } from './client.js';
import type { RouteTable } from './route.js';
import { serverApiRoutes } from './server-api.js';

/**
 * Every API route, plus the admin routes when `options.admin` is on.
 *
 * @example
 * ```ts
 * const routes = createRoutes(ctx, emulator);
 * ```
 */
export function createRoutes(ctx: EmulatorContext, emulator: Emulator): RouteTable {
  return new Map(
    Object.entries({
      ...serverApiRoutes(ctx),
      ...authRoutes(ctx),
      ...clientRoutes(ctx),
      ...(ctx.options.admin ? adminRoutes(emulator, ctx.options.allowedHosts) : {}),
    }),
  );
}
