/**
 * Loopback-only control endpoints under `/_emulator/` (enabled by `admin: true`, as the CLI does):
 * what a playground page or a test in another process needs to drive the emulator.
 */
import { isAdminHost } from '../admin-host.js';
import { parseJsonObject } from '../body.js';
import { ApiError, paramError } from '../errors.js';
import { TicketRequestError } from '../request-ticket.js';
import type { Emulator, EmulatorFaults } from '../types.js';
import type { Route, RouteRequest } from './route.js';

/** Names accepted by `POST /_emulator/faults/<name>`. */
export const FAULT_NAMES = ['dropConnections', 'expireAccessTokens', 'revokeRefreshTokens', 'refuseConnections', 'closeOnAccept', 'latency', 'failNext', 'halfOpen', 'reset'] as const satisfies readonly (keyof EmulatorFaults)[];

/**
 * Whether an address is loopback: 127.0.0.0/8, ::1, or IPv4-mapped 127.x.
 *
 * @example
 * ```ts
 * isLoopback('::ffff:127.0.0.1'); // true
 * ```
 */
export function isLoopback(address: string | undefined): boolean {
  if (address === undefined) return false;
  const v4 = address.startsWith('::ffff:') ? address.slice(7) : address;
  return address === '::1' || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(v4);
}

function loopbackOnly(route: Route, allowedHosts: readonly string[]): Route {
  return (req) => {
    if (!isLoopback(req.remoteAddress)) throw new ApiError('40301', 'Admin endpoints are only available from loopback');
    if (!isAdminHost(req.headers.host, allowedHosts)) throw new ApiError('40301', 'Admin endpoints are only available to a loopback Host or an allowed host');
    return route(req);
  };
}

function requiredString(body: Record<string, unknown>, name: string): string {
  const value = body[name];
  if (typeof value !== 'string' || value === '') throw paramError(`Param '${name}' is required`);
  return value;
}

async function ticket(emulator: Emulator, req: RouteRequest): Promise<unknown> {
  const body = parseJsonObject(req.body);
  const fullName = body.fullName;
  try {
    const user = { xcUserID: requiredString(body, 'xcUserID'), ...(typeof fullName === 'string' ? { fullName } : {}) };
    return { ticket: await emulator.requestTicket(user) };
  } catch (error) {
    if (error instanceof TicketRequestError) throw new ApiError(error.code, error.message, error.field, error.status);
    throw error;
  }
}

function fault(emulator: Emulator, name: (typeof FAULT_NAMES)[number]): Route {
  return (req) => {
    const args = req.body.length === 0 ? [] : parseJsonObject(req.body).args ?? [];
    if (!Array.isArray(args)) throw paramError("Param 'args' must be an array");
    const fn = emulator.faults[name] as (...a: unknown[]) => unknown;
    try {
      return { result: fn(...args) ?? null };
    } catch (error) {
      throw paramError(error instanceof Error ? error.message : String(error));
    }
  };
}

/**
 * The admin routes of an emulator.
 *
 * @example
 * ```ts
 * const routes = adminRoutes(emulator, []); // { 'GET /_emulator/info': ..., ... }
 * ```
 */
export function adminRoutes(emulator: Emulator, allowedHosts: readonly string[]): Record<string, Route> {
  const routes: Record<string, Route> = {
    'GET /_emulator/info': () => ({ url: emulator.url, appKey: emulator.appKey, serverKey: emulator.serverKey }),
    'GET /_emulator/stats': () => emulator.stats(),
    'GET /_emulator/received': () => ({ frames: emulator.received() }),
    'POST /_emulator/ticket': (req) => ticket(emulator, req),
    'POST /_emulator/emit': (req) => {
      const body = parseJsonObject(req.body);
      return { delivered: emulator.emit(requiredString(body, 'xcUserID'), requiredString(body, 'eventName'), body.data) };
    },
  };
  for (const name of FAULT_NAMES) routes[`POST /_emulator/faults/${name}`] = fault(emulator, name);
  return Object.fromEntries(Object.entries(routes).map(([key, route]) => [key, loopbackOnly(route, allowedHosts)]));
}
