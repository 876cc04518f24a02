/**
 * Server → client delivery to every open socket of a user.
 */
import { WebSocket } from 'ws';
import type { EmulatorContext } from './context.js';
import { encodeFrame, encodeFrames, type FrameEvent } from './frames.js';

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
  return send(ctx, xcUserID, encodeFrame(eventName, data), true);
}

/**
 * Sends several events as one frame, `\n`-separated as TapTalk's server batches them, to the
 * user's open, healthy sockets: binary unless `text` is set. A socket holding too much unsent is
 * cut as by {@link deliver}. Returns how many sockets got it.
 *
 * @example
 * ```ts
 * deliverBatch(ctx, 'alice', [{ eventName: 'user/status', data: {} }, { eventName: 'user/status', data: {} }]); // 1
 * ```
 */
export function deliverBatch(ctx: EmulatorContext, xcUserID: string, events: readonly Pick<FrameEvent, 'eventName' | 'data'>[], text = false): number {
  const frame = encodeFrames(events);
  return send(ctx, xcUserID, text ? frame.toString('utf8') : frame, !text, frame.length);
}

/** Hands `frame` (`bytes` long on the wire) to each healthy socket of the user. */
function send(ctx: EmulatorContext, xcUserID: string, frame: Buffer | string, binary: boolean, bytes = frame.length): number {
  let sent = 0;
  for (const conn of ctx.connections.ofUser(xcUserID)) {
    if (conn.halfOpen || conn.ws.readyState !== WebSocket.OPEN) continue;
    if (conn.ws.bufferedAmount > 0 && conn.ws.bufferedAmount + bytes > MAX_UNSENT_BYTES) {
      conn.ws.terminate();
      continue;
    }
    conn.ws.send(frame, { binary }, () => {
      // A send that fails because the peer vanished is a normal event for a server.
    });
    sent++;
  }
  return sent;
}
