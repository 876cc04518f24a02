/**
 * Server → client delivery to every open socket of a user.
 */
import { WebSocket } from 'ws';
import type { EmulatorContext } from './context.js';
import { encodeFrame, encodeFrames, type FrameEvent } from './frames.js';

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
  return send(ctx, xcUserID, encodeFrame(eventName, data), true);
}

/**
 * Sends several events as one frame, `\n`-separated as TapTalk's server batches them, to the
 * user's open, healthy sockets: binary unless `text` is set. Returns how many sockets got it.
 *
 * @example
 * ```ts
 * deliverBatch(ctx, 'alice', [{ eventName: 'user/status', data: {} }, { eventName: 'user/status', data: {} }]); // 1
 * ```
 */
export function deliverBatch(ctx: EmulatorContext, xcUserID: string, events: readonly FrameEvent[], text = false): number {
  const frame = encodeFrames(events);
  return send(ctx, xcUserID, text ? frame.toString('utf8') : frame, !text);
}

function send(ctx: EmulatorContext, xcUserID: string, frame: Buffer | string, binary: boolean): number {
  let sent = 0;
  for (const conn of ctx.connections.ofUser(xcUserID)) {
    if (conn.halfOpen || conn.ws.readyState !== WebSocket.OPEN) continue;
    conn.ws.send(frame, { binary }, () => {
      // A send that fails because the peer vanished is a normal event for a server.
    });
    sent++;
  }
  return sent;
}
