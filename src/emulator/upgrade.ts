/**
 * The WebSocket upgrade on `/connect`: checked by hand before ws accepts it, so a refusal is a
 * real HTTP status with an envelope body (401 + the 401xx code, 491 + the 491xx code, 503 while
 * refusing) that a client can read.
 */
import { STATUS_CODES, type IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import type { WebSocketServer } from 'ws';
import type { EmulatorContext } from './context.js';
import { corsHeaders } from './cors.js';
import { readCredentials } from './credentials.js';
import { failure } from './envelope.js';
import { ApiError } from './errors.js';
import { requireSession } from './guards.js';
import { requestUrl } from './request-url.js';
import { UNROUTED } from './stats.js';
import { attachSocket } from './socket.js';

function refuse(socket: Duplex, req: IncomingMessage, error: ApiError): void {
  const status = error.httpStatus ?? error.status;
  const body = JSON.stringify(failure(error));
  const headers = {
    ...corsHeaders(req.headers),
    'Content-Type': 'application/json; charset=utf-8',
    'Content-Length': String(Buffer.byteLength(body)),
    Date: new Date().toUTCString(),
    Connection: 'close',
  };
  const head = [`HTTP/1.1 ${status} ${STATUS_CODES[status] ?? 'Error'}`, ...Object.entries(headers).map(([k, v]) => `${k}: ${v}`)];
  if (!socket.writable) {
    socket.destroy();
    return;
  }
  socket.once('finish', () => socket.destroy());
  socket.end(`${head.join('\r\n')}\r\n\r\n${body}`);
}

function check(ctx: EmulatorContext, req: IncomingMessage, url: URL) {
  const injected = ctx.faults.takeFailure('ws:/connect', '/connect');
  if (injected !== undefined) {
    throw new ApiError(injected.code, injected.message ?? 'Injected failure', '', injected.status, injected.httpStatus ?? injected.status);
  }
  if (ctx.faults.refusing()) throw new ApiError('50001', 'Server is not accepting connections', '', 500, 503);
  return requireSession(ctx, readCredentials(req.headers, url.searchParams));
}

async function upgrade(ctx: EmulatorContext, wss: WebSocketServer, req: IncomingMessage, socket: Duplex, head: Buffer): Promise<void> {
  const url = requestUrl(req.url);
  ctx.stats.request(url.pathname === '/connect' ? 'ws:/connect' : `ws:${UNROUTED}`);
  ctx.requests?.push('UPGRADE', url, req.headers, '');
  await ctx.timers.sleep(ctx.faults.latencyMs);
  if (ctx.closed || socket.destroyed) {
    socket.destroy();
    return;
  }
  let accepted: ReturnType<typeof check>;
  try {
    if (url.pathname !== '/connect') throw new ApiError('40401', `Not found: ${url.pathname}`);
    accepted = check(ctx, req, url);
  } catch (error) {
    ctx.stats.counters.connectionsRefused++;
    refuse(socket, req, error instanceof ApiError ? error : new ApiError('50001', 'Internal emulator error'));
    return;
  }
  wss.handleUpgrade(req, socket, head, (ws) => {
    // close() may have run while ws finished the handshake; a socket accepted now would leak.
    if (ctx.closed) ws.terminate();
    else {
      attachSocket(ctx, ws, accepted.session, accepted.user);
      if (ctx.faults.closingOnAccept()) ws.close(1011, 'Closed on accept by emulator');
    }
  });
}

/**
 * The `upgrade` listener of an instance's HTTP server.
 *
 * @example
 * ```ts
 * server.on('upgrade', createUpgradeHandler(ctx, new WebSocketServer({ noServer: true, autoPong: false })));
 * ```
 */
export function createUpgradeHandler(ctx: EmulatorContext, wss: WebSocketServer) {
  return (req: IncomingMessage, socket: Duplex, head: Buffer): void => {
    // A client that resets mid-handshake must not become an unhandled 'error'.
    socket.on('error', () => socket.destroy());
    upgrade(ctx, wss, req, socket, head).catch(() => socket.destroy());
  };
}
