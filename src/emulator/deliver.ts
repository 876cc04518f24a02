/**
 * Server → client delivery to every open socket of a user.
 */
import { WebSocket } from 'ws';
import type { EmulatorContext } from './context.js';
import { encodeFrame } from './frames.js';

/**
 * Unsent bytes a socket may hold. A client that stops reading would otherwise make the emulator
 * buffer every echo and event for it; past this it is cut like a real server's write timeout.
 */
export const MAX_UNSENT_BYTES = 4 * 1_048_576;

/**
 * Sends `{eventName, data}` as one binary frame to the user's open, healthy sockets; half-open
 * sockets get nothing. A socket whose unsent data would pass {@link MAX_UNSENT_BYTES} gets no more
 * frames: it is terminated (the client sees 1006). Returns how many sockets it was handed to.
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
    if (conn.ws.bufferedAmount > 0 && conn.ws.bufferedAmount + frame.length > MAX_UNSENT_BYTES) {
      conn.ws.terminate();
      continue;
    }
    conn.ws.send(frame, { binary: true }, () => {
      // A send that fails because the peer vanished is a normal event for a server.
    });
    sent++;
  }
  return sent;
}
