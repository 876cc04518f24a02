/**
 * Life of one accepted WebSocket: frame recording, echo, ping/pong, close. Handlers never throw,
 * since an exception in a ws event handler would take the whole process down.
 */
import type { RawData, WebSocket } from 'ws';
import type { Connection } from './connections.js';
import type { EmulatorContext } from './context.js';
import { deliver } from './deliver.js';
import { decodeFrames, rawText } from './frames.js';
import type { ServerSession } from './sessions.js';
import type { UserRecord } from './users.js';

/** Adds the server's own fields to an echoed message, like a real server storing it. */
function stamp(ctx: EmulatorContext, data: unknown): unknown {
  if (typeof data !== 'object' || data === null || Array.isArray(data)) return data;
  const now = ctx.options.now();
  return { ...data, messageID: String(ctx.nextMessageID++), created: now, updated: now };
}

function onMessage(ctx: EmulatorContext, conn: Connection, raw: RawData): void {
  for (const { eventName, data, size } of decodeFrames(rawText(raw))) {
    ctx.frames.push({ xcUserID: conn.xcUserID, userID: conn.userID, eventName, data, at: ctx.options.now() }, size);
    if (ctx.options.echo && eventName === 'chat/sendMessage') deliver(ctx, conn.xcUserID, eventName, stamp(ctx, data));
  }
}

function guarded(fn: () => void): void {
  try {
    fn();
  } catch {
    // Swallowed on purpose: one misbehaving client must not crash the emulator.
  }
}

/**
 * Registers an accepted socket and wires its handlers.
 *
 * @example
 * ```ts
 * wss.handleUpgrade(req, socket, head, (ws) => attachSocket(ctx, ws, session, user));
 * ```
 */
export function attachSocket(ctx: EmulatorContext, ws: WebSocket, session: ServerSession, user: UserRecord): void {
  const conn: Connection = { ws, xcUserID: user.xcUserID, userID: user.userID, sessionID: session.id, alive: true, halfOpen: false };
  ctx.connections.add(conn);
  ctx.stats.counters.connectionsAccepted++;
  // Invalid close codes (Android's 666), bad UTF-8 and oversized frames arrive as 'error'; ws
  // then closes the socket itself, so there is nothing to do but not crash.
  ws.on('error', () => {});
  ws.on('close', () => ctx.connections.delete(conn));
  ws.on('ping', (data) => {
    if (!conn.halfOpen) guarded(() => ws.pong(data));
  });
  ws.on('pong', () => {
    if (!conn.halfOpen) conn.alive = true;
  });
  ws.on('message', (raw) => {
    if (!conn.halfOpen) guarded(() => onMessage(ctx, conn, raw));
  });
}
