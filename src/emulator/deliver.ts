/**
 * Server → client delivery to every open socket of a user.
 */
import { WebSocket } from 'ws';
import type { EmulatorContext } from './context.js';
import { encodeFrame } from './frames.js';

/**
 * Sends `{eventName, data}` as one binary frame to the user's open, healthy sockets; half-open
 * sockets get nothing. Returns how many sockets it was handed to.
 *
 * @example
 * ```ts
 * deliver(ctx, 'alice', 'user/status', { isOnline: true }); // 1
 * ```
 */
export function deliver(ctx: EmulatorContext, xcUserID: string, eventName: string, data: unknown): number {
  const frame = encodeFrame(eventName, data);
  let sent = 0;
  for (const conn of ctx.connections.ofUser(xcUserID)) {
    if (conn.halfOpen || conn.ws.readyState !== WebSocket.OPEN) continue;
    conn.ws.send(frame, { binary: true }, () => {
      // A send that fails because the peer vanished is a normal event for a server.
    });
    sent++;
  }
  return sent;
}
