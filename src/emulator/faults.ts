/**
 * The public {@link EmulatorFaults} API over one instance's state.
 */
import type { EmulatorContext } from './context.js';
import type { EmulatorFaults, InjectedFailure } from './types.js';

/** Close codes a server may send (RFC 6455 §7.4: 1000–1014 except 1004–1006, and 3000–4999). */
function isSendableCloseCode(code: number): boolean {
  return Number.isInteger(code) && ((code >= 1000 && code <= 1014 && ![1004, 1005, 1006].includes(code)) || (code >= 3000 && code <= 4999));
}

/**
 * Builds the faults API of an instance.
 *
 * @example
 * ```ts
 * const faults = createFaults(ctx);
 * faults.failNext('/v1/auth/access_token/refresh', { status: 500, code: '50001' });
 * ```
 */
export function createFaults(ctx: EmulatorContext): EmulatorFaults {
  const setHalfOpen = (on = true): void => {
    for (const conn of ctx.connections.all()) {
      conn.halfOpen = on;
      // A healed socket gets a fresh liveness window rather than dying on the next tick.
      conn.alive = true;
    }
  };
  return {
    dropConnections(closeCode?: number): number {
      if (closeCode !== undefined && !isSendableCloseCode(closeCode)) {
        throw new RangeError(`Close code ${closeCode} cannot be sent by a server`);
      }
      const conns = ctx.connections.all();
      for (const conn of conns) {
        if (closeCode === undefined) conn.ws.terminate();
        else conn.ws.close(closeCode, 'Dropped by emulator');
      }
      return conns.length;
    },
    expireAccessTokens: () => ctx.sessions.expireAllAccess(),
    revokeRefreshTokens: () => ctx.sessions.revokeAll(),
    refuseConnections: (ms: number) => ctx.faults.refuseFor(ms),
    closeOnAccept: (ms: number) => ctx.faults.closeOnAcceptFor(ms),
    latency: (ms: number) => {
      ctx.faults.latencyMs = Math.max(0, ms);
    },
    failNext: (path: string, failure: InjectedFailure, count = 1) => ctx.faults.queueFailure(path, failure, count),
    halfOpen: setHalfOpen,
    reset: () => {
      ctx.faults.reset();
      setHalfOpen(false);
    },
  };
}
