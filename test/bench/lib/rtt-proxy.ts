/**
 * A TCP proxy on loopback that adds round-trip time: every chunk is held for half the RTT in each
 * direction, in order, so one request and its answer cost one RTT as on a far network. Connection
 * set-up is local (the client reaches the proxy at once); only bytes travel slowly, like a warm
 * connection on a phone.
 */
import { createConnection, createServer, type Server, type Socket } from 'node:net';

/** A running proxy: `url` in place of the target's. */
export interface RttProxy {
  url: string;
  close(): Promise<void>;
}

/** Forwards `from` to `to`, each chunk `delayMs` later, never overtaking the one before. */
function delayed(from: Socket, to: Socket, delayMs: number): void {
  let last = 0;
  from.on('data', (chunk) => {
    const due = Math.max(performance.now() + delayMs, last);
    last = due;
    setTimeout(() => to.writable && to.write(chunk), due - performance.now());
  });
  from.on('end', () => setTimeout(() => to.end(), Math.max(0, last - performance.now()) + delayMs));
  from.on('error', () => to.destroy());
}

/** Starts a proxy on 127.0.0.1, port 0, in front of `targetUrl` (http://127.0.0.1:port). */
export async function startRttProxy(targetUrl: string, rttMs: number): Promise<RttProxy> {
  const target = new URL(targetUrl);
  const sockets = new Set<Socket>();
  const server: Server = createServer((client) => {
    const upstream = createConnection({ host: target.hostname, port: Number(target.port) });
    client.setNoDelay(true);
    upstream.setNoDelay(true);
    for (const s of [client, upstream]) {
      sockets.add(s);
      s.on('close', () => sockets.delete(s));
    }
    delayed(client, upstream, rttMs / 2);
    delayed(upstream, client, rttMs / 2);
    client.on('close', () => upstream.destroy());
    upstream.on('close', () => client.destroy());
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  return {
    url: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
}
