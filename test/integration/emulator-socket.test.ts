import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WebSocket, type ClientOptions } from 'ws';
import { encodeKey, startEmulator, type Emulator } from '../../src/emulator/index.js';

interface Grant {
  accessToken: string;
  refreshToken: string;
}
interface Message {
  isBinary: boolean;
  text: string;
}
interface Client {
  ws: WebSocket;
  messages: Message[];
  next(): Promise<Message>;
  closed: Promise<{ code: number; reason: string }>;
}

let emulator: Emulator;

async function login(em: Emulator, xcUserID: string, device = 'device-1'): Promise<Grant> {
  const ticket = await em.requestTicket({ xcUserID });
  const res = await fetch(`${em.url}/v1/auth/access_token/request`, { method: 'POST', headers: { 'App-Key': encodeKey(em.appKey), 'Device-Identifier': device, Authorization: `Bearer ${ticket}` } });
  return ((await res.json()) as { data: Grant }).data;
}

function socketHeaders(em: Emulator, token: string, device = 'device-1'): Record<string, string> {
  return { 'App-Key': encodeKey(em.appKey), Authorization: `Bearer ${token}`, 'Device-Identifier': device, 'Device-Platform': 'android' };
}

function wsUrl(em: Emulator, query = ''): string {
  return `${em.url.replace(/^http/, 'ws')}/connect${query}`;
}

function open(url: string, options: ClientOptions = {}): Promise<Client> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(url, options);
    const messages: Message[] = [];
    const waiters: ((m: Message) => void)[] = [];
    ws.on('message', (data, isBinary) => {
      const message = { isBinary, text: data.toString() };
      const waiter = waiters.shift();
      if (waiter === undefined) messages.push(message);
      else waiter(message);
    });
    const closed = new Promise<{ code: number; reason: string }>((r) => ws.on('close', (code, reason) => r({ code, reason: reason.toString() })));
    ws.once('open', () =>
      resolve({
        ws,
        messages,
        closed,
        next: () => {
          const queued = messages.shift();
          return queued !== undefined ? Promise.resolve(queued) : new Promise((r) => waiters.push(r));
        },
      }),
    );
    ws.once('error', reject);
  });
}

async function connect(em: Emulator, xcUserID: string, device = 'device-1'): Promise<Client> {
  const grant = await login(em, xcUserID, device);
  return open(wsUrl(em), { headers: socketHeaders(em, grant.accessToken, device) });
}

function refused(url: string, options: ClientOptions = {}): Promise<{ status: number; body: unknown }> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(url, options);
    ws.on('unexpected-response', (_req, res) => {
      let text = '';
      res.on('data', (chunk: Buffer) => (text += chunk.toString()));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: JSON.parse(text) }));
    });
    ws.on('open', () => reject(new Error('upgrade was accepted')));
    ws.on('error', () => {});
  });
}

/** Resolves once `predicate` holds, polling briefly; the server processes frames asynchronously. */
async function until(predicate: () => boolean, timeoutMs = 2000): Promise<void> {
  const start = Date.now();
  while (!predicate()) {
    if (Date.now() - start > timeoutMs) throw new Error('condition not reached');
    await new Promise((r) => setTimeout(r, 5));
  }
}

beforeAll(async () => {
  emulator = await startEmulator();
});
afterAll(() => emulator.close());

describe('WebSocket upgrade', () => {
  it('accepts the credentials as HTTP headers, as the mobile SDKs send them', async () => {
    const client = await connect(emulator, 'headers-user');
    expect(client.ws.readyState).toBe(WebSocket.OPEN);
    client.ws.close();
  });

  it('accepts the credentials as the web SDK query keys', async () => {
    const grant = await login(emulator, 'query-user', 'web-device');
    const query = `?content_type=undefined&app_key=${encodeURIComponent(encodeKey(emulator.appKey))}&authorization=Bearer%20${grant.accessToken}&device_identifier=web-device&device_model=Netscape&device_platform=web`;
    const client = await open(wsUrl(emulator, query));
    expect(client.ws.readyState).toBe(WebSocket.OPEN);
    client.ws.close();
  });

  it('refuses an unknown token with HTTP 401 and a 40103 envelope', async () => {
    const { status, body } = await refused(wsUrl(emulator), { headers: socketHeaders(emulator, 'not-a-token') });
    expect(status).toBe(401);
    expect(body).toMatchObject({ status: 401, error: { code: '40103', field: '' }, data: {} });
  });

  it('refuses an expired token with HTTP 401 and 40104', async () => {
    const grant = await login(emulator, 'expired-user');
    emulator.faults.expireAccessTokens();
    const { status, body } = await refused(wsUrl(emulator), { headers: socketHeaders(emulator, grant.accessToken) });
    expect(status).toBe(401);
    expect(body).toMatchObject({ error: { code: '40104' } });
  });

  it('refuses a missing Authorization with 40101 and a missing App-Key with HTTP 491 and 49101', async () => {
    const noAuth = await refused(wsUrl(emulator), { headers: { 'App-Key': encodeKey(emulator.appKey) } });
    expect([noAuth.status, (noAuth.body as { error: { code: string } }).error.code]).toEqual([401, '40101']);
    const noKey = await refused(wsUrl(emulator), { headers: { Authorization: 'Bearer x' } });
    expect([noKey.status, (noKey.body as { error: { code: string } }).error.code]).toEqual([491, '49101']);
  });

  it('refuses with HTTP 503 and 50001 while refuseConnections is active, and accepts again after', async () => {
    const grant = await login(emulator, 'refused-user');
    emulator.faults.refuseConnections(60_000);
    const { status, body } = await refused(wsUrl(emulator), { headers: socketHeaders(emulator, grant.accessToken) });
    expect(status).toBe(503);
    expect(body).toMatchObject({ error: { code: '50001' }, data: {} });
    emulator.faults.refuseConnections(0);
    const client = await open(wsUrl(emulator), { headers: socketHeaders(emulator, grant.accessToken) });
    client.ws.close();
  });

  it('ends a refuse window by itself after its duration', async () => {
    const grant = await login(emulator, 'window-user');
    emulator.faults.refuseConnections(40);
    expect((await refused(wsUrl(emulator), { headers: socketHeaders(emulator, grant.accessToken) })).status).toBe(503);
    await new Promise((r) => setTimeout(r, 50));
    const client = await open(wsUrl(emulator), { headers: socketHeaders(emulator, grant.accessToken) });
    client.ws.close();
  });

  it('refuses other paths with 404 and 40401', async () => {
    const grant = await login(emulator, 'path-user');
    const { status, body } = await refused(`${emulator.url.replace(/^http/, 'ws')}/elsewhere`, { headers: socketHeaders(emulator, grant.accessToken) });
    expect(status).toBe(404);
    expect(body).toMatchObject({ error: { code: '40401' } });
  });
});

describe('frames', () => {
  it('sends server events as binary frames of {eventName, data} JSON and returns how many sockets got them', async () => {
    const a = await connect(emulator, 'emit-user', 'd1');
    const b = await connect(emulator, 'emit-user', 'd2');
    expect(emulator.emit('emit-user', 'user/status', { isOnline: true })).toBe(2);
    for (const client of [a, b]) {
      const message = await client.next();
      expect(message.isBinary).toBe(true);
      expect(JSON.parse(message.text)).toEqual({ eventName: 'user/status', data: { isOnline: true } });
    }
    expect(emulator.emit('nobody', 'user/status', {})).toBe(0);
    a.ws.close();
    b.ws.close();
  });

  it('sends a batch of events as one \\n-separated frame, binary or (with text) text, with no empty line or trailing newline', async () => {
    const client = await connect(emulator, 'batch-user');
    const events = [
      { eventName: 'user/status', data: { isOnline: true } },
      { eventName: 'chat/sendMessage', data: { body: 'two\nlines' } },
    ];
    expect(emulator.emitBatch('batch-user', events)).toBe(1);
    const binary = await client.next();
    expect(binary.isBinary).toBe(true);
    expect(binary.text.split('\n').map((line) => JSON.parse(line))).toEqual(events);
    expect(emulator.emitBatch('batch-user', events, { text: true })).toBe(1);
    const text = await client.next();
    expect(text).toEqual({ isBinary: false, text: binary.text });
    expect(() => emulator.emitBatch('batch-user', [])).toThrow(TypeError);
    expect(emulator.emitBatch('nobody', events)).toBe(0);
    client.ws.close();
  });

  it('records text frames batched with \\n and \\r\\n, skipping empty and bad lines', async () => {
    const client = await connect(emulator, 'text-user');
    const before = emulator.received().length;
    client.ws.send('{"eventName":"chat/startTyping","data":{"roomID":"r1"}}\n\n{"eventName":"chat/stopTyping","data":{"roomID":"r1"}}\r\nnot json\r\n{"no":"eventName"}\n');
    await until(() => emulator.received().length >= before + 2);
    const frames = emulator.received().slice(before);
    expect(frames.map((f) => [f.xcUserID, f.eventName, f.data])).toEqual([
      ['text-user', 'chat/startTyping', { roomID: 'r1' }],
      ['text-user', 'chat/stopTyping', { roomID: 'r1' }],
    ]);
    expect(typeof frames[0]?.userID).toBe('string');
    expect(typeof frames[0]?.at).toBe('number');
    client.ws.close();
  });

  it('records binary frames like text frames', async () => {
    const client = await connect(emulator, 'binary-user');
    client.ws.send(Buffer.from('{"eventName":"chat/startTyping","data":{"roomID":"b"}}\r\n{"eventName":"chat/stopTyping","data":{"roomID":"b"}}'), { binary: true });
    await until(() => emulator.received().filter((f) => f.xcUserID === 'binary-user').length === 2);
    expect(emulator.received().filter((f) => f.xcUserID === 'binary-user').map((f) => f.eventName)).toEqual(['chat/startTyping', 'chat/stopTyping']);
    client.ws.close();
  });

  it("echoes chat/sendMessage to all of the sender's sockets with messageID and created added", async () => {
    const a = await connect(emulator, 'echo-user', 'd1');
    const b = await connect(emulator, 'echo-user', 'd2');
    const stranger = await connect(emulator, 'echo-stranger');
    a.ws.send(JSON.stringify({ eventName: 'chat/sendMessage', data: { localID: 'L1', body: 'hi' } }));
    for (const client of [a, b]) {
      const message = await client.next();
      expect(message.isBinary).toBe(true);
      const frame = JSON.parse(message.text) as { eventName: string; data: Record<string, unknown> };
      expect(frame.eventName).toBe('chat/sendMessage');
      expect(frame.data).toMatchObject({ localID: 'L1', body: 'hi' });
      expect(typeof frame.data.messageID).toBe('string');
      expect(typeof frame.data.created).toBe('number');
    }
    expect(stranger.messages).toEqual([]);
    for (const client of [a, b, stranger]) client.ws.close();
  });

  it('does not echo when echo is off', async () => {
    const quiet = await startEmulator({ echo: false });
    try {
      const client = await connect(quiet, 'no-echo');
      client.ws.send('{"eventName":"chat/sendMessage","data":{"localID":"x"}}');
      await until(() => quiet.received().length === 1);
      // A frame pushed after the message arrives first if no echo was queued before it.
      quiet.emit('no-echo', 'marker', {});
      expect(JSON.parse((await client.next()).text).eventName).toBe('marker');
      client.ws.close();
    } finally {
      await quiet.close();
    }
  });
});

describe('socket life', () => {
  it("closes the session's sockets with 1000 on logout and leaves other sessions' sockets open", async () => {
    const grant = await login(emulator, 'logout-user', 'd1');
    const mine = await open(wsUrl(emulator), { headers: socketHeaders(emulator, grant.accessToken, 'd1') });
    const other = await connect(emulator, 'logout-user', 'd2');
    await fetch(`${emulator.url}/v1/client/logout`, { method: 'POST', headers: socketHeaders(emulator, grant.accessToken, 'd1') });
    expect((await mine.closed).code).toBe(1000);
    expect(other.ws.readyState).toBe(WebSocket.OPEN);
    other.ws.close();
  });

  it('survives a client closing with the invalid code 666, as Android does', async () => {
    const client = await connect(emulator, 'android-666');
    const socket = (client.ws as unknown as { _socket: { write(b: Buffer): void } })._socket;
    // A masked close frame carrying 666; ws's own close() refuses to send that code.
    socket.write(Buffer.from([0x88, 0x82, 0, 0, 0, 0, 0x02, 0x9a]));
    const { code } = await client.closed;
    // ws answers an invalid code with 1002 (protocol error) and closes; the server carries on.
    expect(code).toBe(1002);
    const again = await connect(emulator, 'android-666');
    expect(again.ws.readyState).toBe(WebSocket.OPEN);
    again.ws.close();
  });

  it('answers client pings with pongs', async () => {
    const client = await connect(emulator, 'pinger');
    const pong = new Promise<string>((r) => client.ws.once('pong', (data) => r(data.toString())));
    client.ws.ping('hello');
    expect(await pong).toBe('hello');
    client.ws.close();
  });

  it('pings sockets, keeps those that pong and terminates those that do not', async () => {
    const fast = await startEmulator({ pingIntervalMs: 30 });
    try {
      const healthy = await connect(fast, 'healthy');
      let pings = 0;
      healthy.ws.on('ping', () => pings++);
      const grant = await login(fast, 'silent');
      const silent = await open(wsUrl(fast), { headers: socketHeaders(fast, grant.accessToken), autoPong: false });
      expect((await silent.closed).code).toBe(1006);
      expect(pings).toBeGreaterThanOrEqual(1);
      expect(healthy.ws.readyState).toBe(WebSocket.OPEN);
      healthy.ws.close();
    } finally {
      await fast.close();
    }
  });

  it('counts upgrades, accepted and refused connections and open sockets', async () => {
    const counted = await startEmulator();
    try {
      const client = await connect(counted, 'counted');
      await refused(wsUrl(counted), { headers: socketHeaders(counted, 'bad') });
      const stats = counted.stats();
      expect(stats.requests['ws:/connect']).toBe(2);
      expect(stats).toMatchObject({ connectionsAccepted: 1, connectionsRefused: 1, openSockets: 1, ticketsIssued: 1, ticketsExchanged: 1 });
      client.ws.close();
      await client.closed;
      await until(() => counted.stats().openSockets === 0);
    } finally {
      await counted.close();
    }
  });
});
