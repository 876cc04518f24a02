/**
 * Starting and stopping one emulator instance.
 */
import { createServer, type Server } from 'node:http';
import { createServer as createTlsServer } from 'node:https';
import { WebSocketServer } from 'ws';
import { createContext, type EmulatorContext } from './context.js';
import { deliver, deliverBatch } from './deliver.js';
import { createFaults } from './faults.js';
import { createRequestHandler } from './http-handler.js';
import { startPings } from './liveness.js';
import { resolveOptions } from './options.js';
import { requestTicketOverHttp } from './request-ticket.js';
import { createRoutes } from './routes/index.js';
import type { Emulator, EmulatorOptions } from './types.js';
import { tlsMaterial } from './tls.js';
import { createUpgradeHandler } from './upgrade.js';

/** How long close() lets sockets finish their closing handshake before cutting them. */
const CLOSE_GRACE_MS = 250;

function listen(server: Server, host: string, port: number): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      const address = server.address();
      resolve(typeof address === 'object' && address !== null ? address.port : port);
    });
  });
}

/** Resolves when every socket has closed or after `graceMs`, whichever comes first. */
async function socketsClosed(ctx: EmulatorContext, graceMs: number): Promise<void> {
  const closed = ctx.connections.all().map((conn) => new Promise((resolve) => conn.ws.once('close', resolve)));
  if (closed.length === 0) return;
  let timer: NodeJS.Timeout | undefined;
  await Promise.race([Promise.all(closed), new Promise((resolve) => (timer = setTimeout(resolve, graceMs)))]);
  clearTimeout(timer);
}

async function shutdown(ctx: EmulatorContext, server: Server, wss: WebSocketServer): Promise<void> {
  ctx.closed = true;
  ctx.timers.clearAll();
  const graceful = socketsClosed(ctx, CLOSE_GRACE_MS);
  for (const conn of ctx.connections.all()) conn.ws.close(1001, 'Emulator closed');
  await graceful;
  for (const conn of ctx.connections.all()) conn.ws.terminate();
  wss.close();
  await new Promise<void>((resolve) => {
    server.close(() => resolve());
    server.closeAllConnections();
  });
}

/**
 * Starts a TapTalk-compatible server (REST + WebSocket on one port).
 *
 * @example
 * ```ts
 * const emulator = await startEmulator();
 * const ticket = await emulator.requestTicket({ xcUserID: 'alice' });
 * // ... point a client at emulator.url with emulator.appKey ...
 * await emulator.close();
 * ```
 */
export async function startEmulator(options?: EmulatorOptions): Promise<Emulator> {
  const ctx = createContext(resolveOptions(options));
  // A frame is held to the same bound as a request body (ws alone would accept 100 MiB).
  const wss = new WebSocketServer({ noServer: true, autoPong: false, clientTracking: false, maxPayload: ctx.options.maxBodyBytes });
  let closing: Promise<void> | undefined;
  const tls = ctx.options.tls === false ? undefined : await tlsMaterial(ctx.options.tls);
  // Node's own defaults (60 s for headers, checked every 30 s) let slowloris clients hold
  // sockets for minutes; the check runs often enough for the deadlines to mean what they say.
  const deadlines = {
    headersTimeout: ctx.options.headersTimeoutMs,
    requestTimeout: ctx.options.requestTimeoutMs,
    connectionsCheckingInterval: Math.min(1_000, ctx.options.headersTimeoutMs),
  };
  const server = tls ? createTlsServer({ ...deadlines, cert: tls.cert, key: tls.key }) : createServer(deadlines);
  const emulator: Emulator = {
    get url() {
      return ctx.url;
    },
    tls: tls && { ca: tls.ca, spki: tls.spki },
    serverKey: { ...ctx.options.serverKey },
    appKey: { ...ctx.options.appKey },
    requestTicket: (user) => requestTicketOverHttp(ctx.url, ctx.options.serverKey, user, tls?.ca),
    emit: (xcUserID, eventName, data) => deliver(ctx, xcUserID, eventName, data),
    emitBatch: (xcUserID, events, options) => deliverBatch(ctx, xcUserID, events, options?.text ?? false),
    received: () => ctx.frames.list(),
    recorded: () => ctx.requests?.list() ?? [],
    faults: createFaults(ctx),
    stats: () => ctx.stats.snapshot(ctx.connections.size),
    close: () => (closing ??= shutdown(ctx, server, wss)),
  };
  server.on('request', createRequestHandler(ctx, createRoutes(ctx, emulator)));
  server.on('upgrade', createUpgradeHandler(ctx, wss));
  const port = await listen(server, ctx.options.host, ctx.options.port);
  const host = ctx.options.host.includes(':') ? `[${ctx.options.host}]` : ctx.options.host;
  ctx.url = `${tls ? 'https' : 'http'}://${host}:${port}`;
  startPings(ctx);
  return emulator;
}
