/**
 * The emulator under hostile callers (issue 13, findings 5 and 11): DNS-rebinding pages, floods,
 * slow and silent sockets (SES-77..79). Every server binds 127.0.0.1 port 0.
 */
import { request } from 'node:http';
import { connect as tcpConnect, type Socket } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import { isAdminHost } from '../../src/emulator/admin-host.js';
import { encodeKey, parseEmulatorArgs, startEmulator, type Emulator, type EmulatorOptions } from '../../src/emulator/index.js';
import { resolveOptions } from '../../src/emulator/options.js';

interface Answer {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: { status: number; error: { code: string }; data: Record<string, unknown> };
}

const started: Emulator[] = [];
const sockets: { destroy(): void }[] = [];
afterEach(async () => {
  for (const socket of sockets.splice(0)) socket.destroy();
  await Promise.all(started.splice(0).map((em) => em.close()));
});
async function emulator(options: EmulatorOptions = {}): Promise<Emulator> {
  const em = await startEmulator({ admin: true, ...options });
  started.push(em);
  return em;
}

/** A raw request: the path and `Host` go on the wire as given (fetch would normalize both). */
function raw(em: Emulator, method: string, path: string, headers: Record<string, string> = {}, body = ''): Promise<Answer> {
  const { port } = new URL(em.url);
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, method, path, headers, timeout: 5_000 }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => {
        const text = Buffer.concat(chunks).toString('utf8');
        resolve({ status: res.statusCode ?? 0, headers: res.headers, body: text === '' ? ({} as Answer['body']) : JSON.parse(text) });
      });
    });
    req.on('timeout', () => req.destroy(new Error('no answer within 5 s')));
    req.on('error', reject);
    req.end(body);
  });
}

describe('SES-77: the admin endpoints answer only a loopback Host or an allowed one', () => {
  it('refuse Host: attacker.example with 40301 and never show the keys', async () => {
    const em = await emulator();
    for (const [method, path, body] of [
      ['GET', '/_emulator/info', ''],
      ['POST', '/_emulator/ticket', '{"xcUserID":"victim"}'],
      ['POST', '/_emulator/faults/reset', ''],
    ] as const) {
      const answer = await raw(em, method, path, { Host: 'attacker.example' }, body);
      expect(answer.body.error.code).toBe('40301');
      expect(JSON.stringify(answer.body)).not.toContain(em.appKey.secret);
      expect(JSON.stringify(answer.body)).not.toContain(em.serverKey.secret);
    }
    expect(em.stats().ticketsIssued).toBe(0);
  });

  it('refuse a foreign Host with a port, and a Host that smuggles a loopback name', async () => {
    const em = await emulator();
    for (const host of ['attacker.example:8080', '127.0.0.1.attacker.example', 'localhost@attacker.example', '127.0.0.1/x']) {
      expect((await raw(em, 'GET', '/_emulator/info', { Host: host })).body.error.code, host).toBe('40301');
    }
  });

  it('treat a missing or empty Host as foreign', () => {
    expect(isAdminHost(undefined, [])).toBe(false);
    expect(isAdminHost('', ['emulator.test'])).toBe(false);
  });

  it('answer localhost, *.localhost, 127.x.x.x and [::1] with or without a port', async () => {
    const em = await emulator();
    for (const host of ['localhost', 'LOCALHOST:9', 'play.localhost', '127.0.0.1', '127.1.2.3:80', '[::1]:8080']) {
      expect((await raw(em, 'GET', '/_emulator/info', { Host: host })).body.data, host).toEqual({ url: em.url, appKey: em.appKey, serverKey: em.serverKey });
    }
  });

  it('answer a host named in allowedHosts, case-insensitively and with any port', async () => {
    const em = await emulator({ allowedHosts: ['Emulator.Test'] });
    expect((await raw(em, 'GET', '/_emulator/info', { Host: 'emulator.test:8080' })).body.error.code).toBe('');
    expect((await raw(em, 'GET', '/_emulator/info', { Host: 'other.test' })).body.error.code).toBe('40301');
    await expect(startEmulator({ allowedHosts: ['emulator.test:8080'] })).rejects.toThrow(TypeError);
    expect(parseEmulatorArgs(['--allow-host', 'a.test', '--allow-host=b.test']).allowedHosts).toEqual(['a.test', 'b.test']);
  });

  it('leave the API routes open to any Host (the SDKs on a phone name the machine)', async () => {
    const em = await emulator();
    expect((await raw(em, 'POST', '/v1/client/project_configs', { Host: 'attacker.example' })).body.error.code).toBe('49101');
  });

  it('decide CORS on the routed path: /x/../_emulator/info gets no CORS headers and a foreign Host is refused', async () => {
    const em = await emulator();
    const headers = { Origin: 'http://attacker.example', Host: `127.0.0.1:${new URL(em.url).port}` };
    const answer = await raw(em, 'GET', '/x/../_emulator/info', headers);
    expect(answer.headers['access-control-allow-origin']).toBeUndefined();
    expect(answer.body.data).toEqual({ url: em.url, appKey: em.appKey, serverKey: em.serverKey });
    const preflight = await raw(em, 'OPTIONS', '/x/../_emulator/info', headers);
    expect(preflight.headers['access-control-allow-origin']).toBeUndefined();
    expect((await raw(em, 'GET', '/x/../_emulator/info', { Host: 'attacker.example' })).body.error.code).toBe('40301');
    // The API keeps its CORS (issue 14 owns its headers).
    expect((await raw(em, 'OPTIONS', '/v1/client/project_configs', headers)).headers['access-control-allow-origin']).toBe('http://attacker.example');
  });
});

describe('SES-79: the control plane is not slowed or failed by the faults it switches', () => {
  it('faults/reset answers while a ten-minute latency is injected, and ends it', async () => {
    const em = await emulator();
    em.faults.latency(600_000);
    em.faults.failNext('/_emulator/faults/reset', { status: 500, code: '50001' });
    const reset = await raw(em, 'POST', '/_emulator/faults/reset');
    expect(reset.body.error.code).toBe('');
    // Latency is off again: an API request answers (a ten-minute sleep would hit raw()'s 5 s deadline).
    expect((await raw(em, 'POST', '/v1/client/project_configs')).body.error.code).toBe('49101');
  });

  it('the other admin endpoints answer under latency too', async () => {
    const em = await emulator();
    em.faults.latency(600_000);
    expect((await raw(em, 'GET', '/_emulator/stats')).body.error.code).toBe('');
    expect((await raw(em, 'POST', '/_emulator/faults/latency', {}, '{"args":[0]}')).body.error.code).toBe('');
    expect((await raw(em, 'POST', '/v1/client/project_configs')).body.error.code).toBe('49101');
  });
});

describe('SES-78: bounded memory and time', () => {
  it('5,000 distinct unrouted paths add one stats key, routed ones keep theirs', async () => {
    const em = await emulator();
    const before = Object.keys(em.stats().requests).length;
    for (let batch = 0; batch < 50; batch++) {
      await Promise.all(Array.from({ length: 100 }, (_, i) => raw(em, 'GET', `/probe-${batch}-${i}`)));
    }
    await raw(em, 'POST', '/v1/client/project_configs');
    const requests = em.stats().requests;
    expect(Object.keys(requests).length - before).toBeLessThanOrEqual(2);
    expect(requests['(unrouted)']).toBe(5_000);
    expect(requests['/v1/client/project_configs']).toBe(1);
  });
});

/** A user's socket on the emulator, opened with real credentials. */
async function openSocket(em: Emulator): Promise<WebSocket> {
  const ticket = await em.requestTicket({ xcUserID: 'flooder' });
  const headers = { 'App-Key': encodeKey(em.appKey), 'Device-Identifier': 'device-1' };
  const res = await fetch(`${em.url}/v1/auth/access_token/request`, { method: 'POST', headers: { ...headers, Authorization: `Bearer ${ticket}` } });
  const { accessToken } = ((await res.json()) as { data: { accessToken: string } }).data;
  const ws = new WebSocket(`${em.url.replace(/^http/, 'ws')}/connect`, { headers: { ...headers, Authorization: `Bearer ${accessToken}` } });
  sockets.push({ destroy: () => ws.terminate() });
  ws.on('error', () => {});
  await new Promise((resolve, reject) => {
    ws.once('open', resolve);
    ws.once('close', () => reject(new Error('socket refused')));
  });
  return ws;
}

/** Resolves when `done()` holds, checking every 20 ms; rejects after `deadlineMs`. */
async function until(done: () => boolean, deadlineMs: number, what: string): Promise<void> {
  const end = Date.now() + deadlineMs;
  while (!done()) {
    if (Date.now() > end) throw new Error(`not within ${deadlineMs} ms: ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

function frame(eventName: string, size: number): string {
  return JSON.stringify({ eventName, data: { body: 'x'.repeat(size) } });
}

describe('SES-78: bounded memory under large and slow sockets', () => {
  it('received() keeps at most 16 MiB of frame text, the newest frames', async () => {
    const em = await emulator();
    const ws = await openSocket(em);
    for (let i = 0; i < 20; i++) ws.send(frame(`load/${i}`, 1_000_000));
    // The log drops the oldest as it goes, so "all 20 read" is the last frame recorded.
    await until(() => em.received().at(-1)?.eventName === 'load/19', 10_000, 'the last frame recorded');
    const kept = em.received();
    const bytes = kept.reduce((sum, f) => sum + JSON.stringify({ eventName: f.eventName, data: f.data }).length, 0);
    expect(bytes).toBeLessThanOrEqual(16 * 1_048_576);
    expect(kept.map((f) => f.eventName)).toEqual(Array.from({ length: kept.length }, (_, i) => `load/${20 - kept.length + i}`));
    expect(kept.length).toBe(16);
  });

  it('a frame over maxBodyBytes (1 MiB) closes the socket with 1009 and is not recorded; 1 MiB passes', async () => {
    const em = await emulator();
    const ws = await openSocket(em);
    const limit = 1_048_576;
    const fits = frame('fits', 0);
    ws.send(frame('fits', limit - fits.length));
    await until(() => em.received().length === 1, 5_000, 'the 1 MiB frame recorded');
    const closed = new Promise<number>((resolve) => ws.once('close', resolve));
    ws.send(frame('over', limit - fits.length + 1));
    const recorded = until(() => em.received().length === 2, 5_000, 'the frame over 1 MiB recorded').then(() => 'recorded');
    expect(await Promise.race([closed, recorded.catch(() => 'neither closed nor recorded')])).toBe(1009);
    expect(em.received().map((f) => f.eventName)).toEqual(['fits']);
  });

  it('a socket that stops reading is cut once 4 MiB of echoes wait for it', async () => {
    const em = await emulator();
    const ws = await openSocket(em);
    // The client reads nothing from here on; the echoes pile up on the server's side.
    (ws as unknown as { _socket: Socket })._socket.pause();
    const count = 192;
    for (let i = 0; i < count; i++) ws.send(frame('chat/sendMessage', 256 * 1024), () => {});
    await until(() => em.stats().openSockets === 0 || em.received().length === count, 20_000, 'the socket cut or every frame read');
    expect(em.stats().openSockets).toBe(0);
  });
});

describe('SES-78: slowloris connections are closed', () => {
  it('50 connections dripping headers or a body are all closed by the deadlines', async () => {
    const em = await emulator({ headersTimeoutMs: 300, requestTimeoutMs: 600 });
    const { port } = new URL(em.url);
    const closed: Promise<void>[] = [];
    const drips: (() => void)[] = [];
    for (let i = 0; i < 50; i++) {
      const socket = tcpConnect({ host: '127.0.0.1', port: Number(port) });
      sockets.push(socket);
      socket.on('error', () => {});
      closed.push(new Promise((resolve) => socket.once('close', () => resolve())));
      const body = i % 2 === 1;
      socket.write(body ? `POST /v1/client/project_configs HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: 1000\r\n\r\n` : 'GET /connect HTTP/1.1\r\nHost: 127.0.0.1\r\n');
      drips.push(() => socket.writable && socket.write(body ? 'x' : 'X-Slow: 1\r\n'));
    }
    // Each drips a little every 100 ms: never enough, always something (at most 100 rounds).
    let rounds = 0;
    const timer = setInterval(() => {
      for (const drip of drips) drip();
      if (++rounds === 100) clearInterval(timer);
    }, 100);
    try {
      await Promise.race([Promise.all(closed), new Promise((_, reject) => setTimeout(() => reject(new Error('slowloris sockets still open after 8 s')), 8_000))]);
    } finally {
      clearInterval(timer);
    }
  });

  it('the deadlines default to 10 s for headers and 30 s for a whole request, headers never past the request', () => {
    expect(resolveOptions({})).toMatchObject({ headersTimeoutMs: 10_000, requestTimeoutMs: 30_000 });
    expect(() => resolveOptions({ headersTimeoutMs: 2_000, requestTimeoutMs: 1_000 })).toThrow(TypeError);
    expect(() => resolveOptions({ headersTimeoutMs: 0 })).toThrow(TypeError);
  });
});
