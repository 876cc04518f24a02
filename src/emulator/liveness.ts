/**
 * Server pings (reference §2.7, checklist 7): every interval each socket is pinged; one that did
 * not pong since the previous ping is terminated.
 */
import type { EmulatorContext } from './context.js';

/**
 * Starts the ping loop of an instance (stopped by `ctx.timers.clearAll()`).
 *
 * @example
 * ```ts
 * startPings(ctx);
 * ```
 */
export function startPings(ctx: EmulatorContext): void {
  ctx.timers.every(ctx.options.pingIntervalMs, () => {
    for (const conn of ctx.connections.all()) {
      // A half-open socket is silent both ways; the client, not the server, must notice.
      if (conn.halfOpen) continue;
      if (!conn.alive) {
        conn.ws.terminate();
        continue;
      }
      conn.alive = false;
      try {
        conn.ws.ping();
      } catch {
        conn.ws.terminate();
      }
    }
  });
}
