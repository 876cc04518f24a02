/**
 * A deliberately misbehaving TapTalk server for the bad-input tests: real HTTP and WebSocket on
 * 127.0.0.1:0, correct by default (just enough of the protocol to authenticate, probe, refresh and
 * connect), with any request's answer replaceable and raw frames pushable.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { WebSocketServer, type WebSocket } from 'ws';

export type Handler = (req: IncomingMessage, res: ServerResponse) => void;

const envelope = (data: unknown) => JSON.stringify({ status: 200, error: { code: '', message: '', field: '' }, data });
let n = 0;
const grant = () => {
  n++;
  return {
    accessToken: `at-${n}`,
    accessTokenExpiry: Date.now() + 3_600_000,
    refreshToken: `rt-${n}`,
    refreshTokenExpiry: Date.now() + 86_400_000,
    user: { userID: 'u1', xcUserID: 'x1', fullname: 'Bad Server User' },
  };
};

/** Writes `body` as the answer, JSON by default. */
export function reply(res: ServerResponse, status: number, body: string | Buffer, headers: Record<string, string> = {}): void {
  res.writeHead(status, { 'Content-Type': 'application/json', 'Content-Length': String(Buffer.byteLength(body)), ...headers });
  res.end(body);
}

export interface BadServer {
  readonly url: string;
  /** Replaces the answer to `METHOD /path` (the probe is `GET /connect`), for every later request. */
  answer(key: string, handler: Handler): void;
  /** Requests seen, by `METHOD /path`. */
  count(key: string): number;
  /** Sends a raw frame to every open socket. */
  push(data: string | Buffer): void;
  readonly openSockets: number;
  close(): Promise<void>;
}

export async function startBadServer(): Promise<BadServer> {
  const overrides = new Map<string, Handler>();
  const counts = new Map<string, number>();
  const sockets = new Set<WebSocket>();
  const defaults: Record<string, Handler> = {
    'POST /v1/auth/access_token/request': (_q, res) => reply(res, 200, envelope(grant())),
    'POST /v1/auth/access_token/refresh': (_q, res) => reply(res, 200, envelope(grant())),
    'GET /connect': (_q, res) => reply(res, 200, envelope({})),
    'POST /v1/client/logout': (_q, res) => reply(res, 200, envelope({ success: true })),
    'POST /v1/client/project_configs': (_q, res) => reply(res, 200, envelope({ core: {}, project: {}, custom: {} })),
  };
  const server = createServer((req, res) => {
    const key = `${req.method} ${new URL(req.url ?? '/', 'http://x').pathname}`;
    counts.set(key, (counts.get(key) ?? 0) + 1);
    req.resume();
    req.on('end', () => (overrides.get(key) ?? defaults[key] ?? ((_q, r) => reply(r, 404, 'not found')))(req, res));
  });
  const wss = new WebSocketServer({ noServer: true });
  server.on('upgrade', (req, socket, head) => {
    wss.handleUpgrade(req, socket, head, (ws) => {
      sockets.add(ws);
      ws.on('close', () => sockets.delete(ws));
      ws.on('error', () => {});
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    answer: (key, handler) => void overrides.set(key, handler),
    count: (key) => counts.get(key) ?? 0,
    push: (data) => sockets.forEach((ws) => ws.send(data)),
    get openSockets() {
      return [...sockets].filter((ws) => ws.readyState === ws.OPEN).length;
    },
    async close() {
      sockets.forEach((ws) => ws.terminate());
      wss.close();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
