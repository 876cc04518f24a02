import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { WebSocket, type ClientOptions } from 'ws';
import { encodeKey, startEmulator, type Emulator } from '../../src/emulator/index.js';

interface Client {
  ws: WebSocket;
  frames: string[];
  closed: Promise<number>;
}

let emulator: Emulator;

const appKey = () => encodeKey(emulator.appKey);

async function login(xcUserID: string): Promise<{ accessToken: string; refreshToken: string }> {
  const ticket = await emulator.requestTicket({ xcUserID });
  const res = await fetch(`${emulator.url}/v1/auth/access_token/request`, { method: 'POST', headers: { 'App-Key': appKey(), Authorization: `Bearer ${ticket}` } });
  return ((await res.json()) as { data: { accessToken: string; refreshToken: string } }).data;
}

function open(token: string, options: ClientOptions = {}): Promise<Client> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(`${emulator.url.replace(/^http/, 'ws')}/connect`, { headers: { 'App-Key': appKey(), Authorization: `Bearer ${token}` }, ...options });
    const frames: string[] = [];
    ws.on('message', (data) => frames.push(data.toString()));
    const closed = new Promise<number>((r) => ws.on('close', (code) => r(code)));
    ws.once('open', () => resolve({ ws, frames, closed }));
    ws.once('error', reject);
  });
}

async function connect(xcUserID: string): Promise<Client> {
  return open((await login(xcUserID)).accessToken);
}

function upgradeStatus(token: string): Promise<number> {
  return new Promise((resolve) => {
    const ws = new WebSocket(`${emulator.url.replace(/^http/, 'ws')}/connect`, { headers: { 'App-Key': appKey(), Authorization: `Bearer ${token}` } });
    ws.on('unexpected-response', (_req, res) => {
      res.resume();
      resolve(res.statusCode ?? 0);
    });
    ws.on('open', () => {
      resolve(101);
      ws.close();
    });
    ws.on('error', () => {});
  });
}

async function configs(): Promise<{ code: string; status: number; http: number }> {
  const res = await fetch(`${emulator.url}/v1/client/project_configs`, { method: 'POST', headers: { 'App-Key': appKey() } });
  const env = (await res.json()) as { status: number; error: { code: string } };
  return { code: env.error.code, status: env.status, http: res.status };
}

/** Whether the server answers a ping within `ms`. */
function pongWithin(ws: WebSocket, ms: number): Promise<boolean> {
  return new Promise((resolve) => {
    const timer = setTimeout(() => resolve(false), ms);
    ws.once('pong', () => {
      clearTimeout(timer);
      resolve(true);
    });
    ws.ping();
  });
}

beforeAll(async () => {
  emulator = await startEmulator();
});
afterEach(() => emulator.faults.reset());
afterAll(() => emulator.close());

describe('dropConnections', () => {
  it('without a code terminates every socket abruptly (1006) and returns how many', async () => {
    const a = await connect('drop-a');
    const b = await connect('drop-b');
    expect(emulator.faults.dropConnections()).toBe(2);
    expect(await a.closed).toBe(1006);
    expect(await b.closed).toBe(1006);
  });

  it('with a code closes every socket with that code', async () => {
    const a = await connect('drop-code');
    expect(emulator.faults.dropConnections(4000)).toBe(1);
    expect(await a.closed).toBe(4000);
  });

  it('refuses a close code a server may not send, before closing anything', async () => {
    const a = await connect('drop-invalid');
    expect(() => emulator.faults.dropConnections(1006)).toThrow(RangeError);
    expect(a.ws.readyState).toBe(WebSocket.OPEN);
    a.ws.close();
  });
});

describe('latency', () => {
  it('delays HTTP answers and upgrades until turned off', async () => {
    const grant = await login('latency');
    emulator.faults.latency(80);
    let start = performance.now();
    await configs();
    expect(performance.now() - start).toBeGreaterThanOrEqual(70);
    start = performance.now();
    const client = await open(grant.accessToken);
    expect(performance.now() - start).toBeGreaterThanOrEqual(70);
    client.ws.close();
    emulator.faults.latency(0);
    start = performance.now();
    await configs();
    expect(performance.now() - start).toBeLessThan(70);
  });
});

describe('failNext', () => {
  it('answers the given error to the next count requests of that path only', async () => {
    emulator.faults.failNext('/v1/client/project_configs', { status: 500, code: '50001', message: 'boom' }, 2);
    const probe = await fetch(`${emulator.url}/connect?check=1`, { headers: { 'App-Key': appKey() } });
    expect(((await probe.json()) as { error: { code: string } }).error.code).toBe('40101');
    expect(await configs()).toEqual({ code: '50001', status: 500, http: 200 });
    expect((await configs()).code).toBe('50001');
    expect((await configs()).code).toBe('');
  });

  it('fails a refresh with the injected code without rotating the tokens', async () => {
    const grant = await login('fail-refresh');
    emulator.faults.failNext('/v1/auth/access_token/refresh', { status: 401, code: '40104' });
    const headers = { 'App-Key': appKey(), Authorization: `Bearer ${grant.refreshToken}` };
    const first = await fetch(`${emulator.url}/v1/auth/access_token/refresh`, { method: 'POST', headers });
    expect(((await first.json()) as { error: { code: string } }).error.code).toBe('40104');
    const second = await fetch(`${emulator.url}/v1/auth/access_token/refresh`, { method: 'POST', headers });
    expect(((await second.json()) as { error: { code: string } }).error.code).toBe('');
  });

  it("with '/connect' fails the token probe, and the upgrade with the failure's status as HTTP status", async () => {
    const grant = await login('fail-connect');
    emulator.faults.failNext('/connect', { status: 500, code: '50001' }, 2);
    const probe = await fetch(`${emulator.url}/connect?check=1`, { headers: { 'App-Key': appKey(), Authorization: `Bearer ${grant.accessToken}` } });
    expect(((await probe.json()) as { error: { code: string } }).error.code).toBe('50001');
    expect(await upgradeStatus(grant.accessToken)).toBe(500);
    expect(await upgradeStatus(grant.accessToken)).toBe(101);
  });

  it("with 'ws:/connect' fails only the upgrade", async () => {
    const grant = await login('fail-ws');
    emulator.faults.failNext('ws:/connect', { status: 503, code: '50001' });
    const probe = await fetch(`${emulator.url}/connect?check=1`, { headers: { 'App-Key': appKey(), Authorization: `Bearer ${grant.accessToken}` } });
    expect(((await probe.json()) as { error: { code: string } }).error.code).toBe('');
    expect(await upgradeStatus(grant.accessToken)).toBe(503);
  });

  it('can force an HTTP status, like a proxy answering 502', async () => {
    emulator.faults.failNext('/v1/client/project_configs', { status: 500, code: '50001', httpStatus: 502 });
    expect(await configs()).toEqual({ code: '50001', status: 500, http: 502 });
  });
});

describe('halfOpen', () => {
  it('stops pongs, frame processing and delivery on open sockets without closing them, until healed', async () => {
    const client = await connect('half-open');
    emulator.faults.halfOpen();
    expect(await pongWithin(client.ws, 100)).toBe(false);
    const before = emulator.received().length;
    client.ws.send('{"eventName":"chat/startTyping","data":{}}');
    expect(emulator.emit('half-open', 'user/status', {})).toBe(0);
    expect(await pongWithin(client.ws, 50)).toBe(false);
    expect(emulator.received().length).toBe(before);
    expect(client.ws.readyState).toBe(WebSocket.OPEN);

    emulator.faults.halfOpen(false);
    expect(await pongWithin(client.ws, 1000)).toBe(true);
    expect(emulator.emit('half-open', 'user/status', {})).toBe(1);
    client.ws.close();
  });

  it('leaves sockets opened afterwards healthy', async () => {
    const old = await connect('half-open-old');
    emulator.faults.halfOpen(true);
    const fresh = await connect('half-open-new');
    expect(await pongWithin(fresh.ws, 1000)).toBe(true);
    expect(await pongWithin(old.ws, 50)).toBe(false);
    old.ws.close();
    fresh.ws.close();
  });

  it('keeps the server from terminating a half-open socket for missed pongs', async () => {
    const pinging = await startEmulator({ pingIntervalMs: 20 });
    try {
      const ticket = await pinging.requestTicket({ xcUserID: 'quiet' });
      const res = await fetch(`${pinging.url}/v1/auth/access_token/request`, { method: 'POST', headers: { 'App-Key': encodeKey(pinging.appKey), Authorization: `Bearer ${ticket}` } });
      const { accessToken } = ((await res.json()) as { data: { accessToken: string } }).data;
      const ws = new WebSocket(`${pinging.url.replace(/^http/, 'ws')}/connect`, { headers: { 'App-Key': encodeKey(pinging.appKey), Authorization: `Bearer ${accessToken}` }, autoPong: false });
      await new Promise((r) => ws.once('open', r));
      pinging.faults.halfOpen();
      await new Promise((r) => setTimeout(r, 100));
      expect(ws.readyState).toBe(WebSocket.OPEN);
      ws.close();
    } finally {
      await pinging.close();
    }
  });
});

describe('reset', () => {
  it('turns latency, failNext, refuseConnections and halfOpen off', async () => {
    const grant = await login('reset');
    const client = await open(grant.accessToken);
    emulator.faults.latency(1000);
    emulator.faults.failNext('/v1/client/project_configs', { status: 500, code: '50001' });
    emulator.faults.refuseConnections(60_000);
    emulator.faults.halfOpen();
    emulator.faults.reset();
    const start = performance.now();
    expect((await configs()).code).toBe('');
    expect(performance.now() - start).toBeLessThan(500);
    expect(await upgradeStatus(grant.accessToken)).toBe(101);
    expect(await pongWithin(client.ws, 1000)).toBe(true);
    client.ws.close();
  });
});
