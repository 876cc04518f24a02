import { networkInterfaces } from 'node:os';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import { encodeKey, parseEmulatorArgs, runEmulatorCli, startEmulator, type Emulator } from '../../src/emulator/index.js';
import { isLoopback } from '../../src/emulator/routes/admin.js';

interface Env {
  status: number;
  error: { code: string; message: string; field: string };
  data: Record<string, unknown>;
}

let emulator: Emulator;

async function admin(path: string, body?: unknown, base = emulator.url): Promise<Env> {
  const res = await fetch(`${base}/_emulator/${path}`, body === undefined ? {} : { method: 'POST', body: JSON.stringify(body) });
  return (await res.json()) as Env;
}

beforeAll(async () => {
  emulator = await startEmulator({
    admin: true,
    pages: { '/': () => '<!doctype html><title>playground</title>', '/app.js': async () => 'console.log(1)' },
  });
});
afterAll(() => emulator.close());

describe('admin endpoints', () => {
  it('are off by default', async () => {
    const plain = await startEmulator();
    try {
      expect((await admin('info', undefined, plain.url)).error.code).toBe('40401');
      expect((await admin('ticket', { xcUserID: 'x' }, plain.url)).error.code).toBe('40401');
    } finally {
      await plain.close();
    }
  });

  it('give the url and keys a same-origin playground needs', async () => {
    const env = await admin('info');
    expect(env.error.code).toBe('');
    expect(env.data).toEqual({ url: emulator.url, appKey: emulator.appKey, serverKey: emulator.serverKey });
  });

  it('issue a ticket that the client API exchanges', async () => {
    const env = await admin('ticket', { xcUserID: 'admin-user', fullName: 'Admin User' });
    const ticket = env.data.ticket as string;
    const res = await fetch(`${emulator.url}/v1/auth/access_token/request`, { method: 'POST', headers: { 'App-Key': encodeKey(emulator.appKey), Authorization: `Bearer ${ticket}` } });
    const exchanged = (await res.json()) as Env;
    expect((exchanged.data.user as Record<string, unknown>).fullname).toBe('Admin User');
  });

  it('answer ticket validation errors in the envelope', async () => {
    expect((await admin('ticket', {})).error).toMatchObject({ code: '40002' });
    expect((await admin('ticket', { xcUserID: 'z'.repeat(51) })).error).toMatchObject({ code: '40002', field: '105' });
  });

  it('emit to sockets, expose stats and the received frames', async () => {
    const ticket = (await admin('ticket', { xcUserID: 'admin-socket' })).data.ticket as string;
    const res = await fetch(`${emulator.url}/v1/auth/access_token/request`, { method: 'POST', headers: { 'App-Key': encodeKey(emulator.appKey), Authorization: `Bearer ${ticket}` } });
    const { accessToken } = ((await res.json()) as { data: { accessToken: string } }).data;
    const ws = new WebSocket(`${emulator.url.replace(/^http/, 'ws')}/connect`, { headers: { 'App-Key': encodeKey(emulator.appKey), Authorization: `Bearer ${accessToken}` } });
    await new Promise((r) => ws.once('open', r));
    const message = new Promise<string>((r) => ws.once('message', (data) => r(data.toString())));
    expect((await admin('emit', { xcUserID: 'admin-socket', eventName: 'user/status', data: { isOnline: true } })).data).toEqual({ delivered: 1 });
    expect(JSON.parse(await message)).toEqual({ eventName: 'user/status', data: { isOnline: true } });
    ws.send('{"eventName":"chat/startTyping","data":{"roomID":"r"}}');
    let frames: { eventName: string }[] = [];
    while (frames.length === 0) frames = ((await fetch(`${emulator.url}/_emulator/received`).then((r) => r.json())) as { data: { frames: { eventName: string }[] } }).data.frames;
    expect(frames.map((f) => f.eventName)).toContain('chat/startTyping');
    const stats = (await admin('stats')).data;
    expect(stats).toMatchObject({ openSockets: 1, connectionsAccepted: 1 });
    expect(Object.keys(stats.requests as object).some((k) => k.startsWith('/_emulator'))).toBe(false);
    const closed = new Promise((r) => ws.once('close', r));
    expect((await admin('faults/dropConnections', { args: [4001] })).data).toEqual({ result: 1 });
    await closed;
  });

  it('call faults by name with their args', async () => {
    expect((await admin('faults/failNext', { args: ['/v1/client/project_configs', { status: 500, code: '50001' }] })).error.code).toBe('');
    const res = await fetch(`${emulator.url}/v1/client/project_configs`, { method: 'POST', headers: { 'App-Key': encodeKey(emulator.appKey) } });
    expect(((await res.json()) as Env).error.code).toBe('50001');
    expect((await admin('faults/latency', { args: [0] })).data).toEqual({ result: null });
    expect((await admin('faults/reset', {})).error.code).toBe('');
    expect((await admin('faults/dropConnections', { args: [1006] })).error.code).toBe('40002');
    expect((await admin('faults/doesNotExist', {})).error.code).toBe('40401');
    expect((await admin('faults/latency', { args: 'nope' })).error.code).toBe('40002');
  });

  it('treat 127.0.0.0/8, ::1 and IPv4-mapped loopback as loopback, and nothing else', () => {
    expect(['127.0.0.1', '127.9.8.7', '::1', '::ffff:127.0.0.1'].every(isLoopback)).toBe(true);
    expect(['10.0.0.1', '::ffff:10.0.0.1', '192.168.1.2', '::2', undefined].some(isLoopback)).toBe(false);
  });

  const external = Object.values(networkInterfaces())
    .flat()
    .find((i) => i !== undefined && i.family === 'IPv4' && !i.internal)?.address;
  it.skipIf(external === undefined)('refuse requests from a non-loopback address with 40301', async () => {
    const wide = await startEmulator({ admin: true, host: '0.0.0.0' });
    try {
      const port = new URL(wide.url).port;
      const env = (await fetch(`http://${external}:${port}/_emulator/info`).then((r) => r.json())) as Env;
      expect(env).toMatchObject({ status: 403, error: { code: '40301' }, data: {} });
      expect((await admin('info', undefined, `http://127.0.0.1:${port}`)).error.code).toBe('');
    } finally {
      await wide.close();
    }
  });
});

describe('pages', () => {
  it('serve extra GET routes with a content type by extension', async () => {
    const html = await fetch(`${emulator.url}/`);
    expect(html.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(await html.text()).toContain('playground');
    const js = await fetch(`${emulator.url}/app.js`);
    expect(js.headers.get('content-type')).toBe('text/javascript; charset=utf-8');
    expect(await js.text()).toBe('console.log(1)');
  });

  it('are not served for POST, and do not shadow API routes', async () => {
    expect((((await fetch(`${emulator.url}/`, { method: 'POST' }).then((r) => r.json())) as Env).error.code)).toBe('40401');
    const withPage = await startEmulator({ pages: { '/connect': () => 'page' } });
    try {
      const env = (await fetch(`${withPage.url}/connect?check=1`).then((r) => r.json())) as Env;
      expect(env.error.code).toBe('49101');
    } finally {
      await withPage.close();
    }
  });
});

describe('CLI', () => {
  it('parses flags into admin-enabled options with port 8080 by default', () => {
    expect(parseEmulatorArgs([])).toEqual({ admin: true, host: '127.0.0.1', port: 8080 });
    expect(parseEmulatorArgs(['--port', '9000', '--host=0.0.0.0', '--access-ttl', '5000', '--refresh-ttl=60000', '--mirror-http-status'])).toEqual({
      admin: true,
      host: '0.0.0.0',
      port: 9000,
      accessTokenTtlMs: 5000,
      refreshTokenTtlMs: 60000,
      mirrorHttpStatus: true,
    });
    expect(() => parseEmulatorArgs(['--port', 'abc'])).toThrow(/--port/);
    expect(() => parseEmulatorArgs(['--bogus'])).toThrow(/Unknown option '--bogus'/);
  });

  it('starts with admin on, prints the url, keys, a curl example, the admin endpoints and pages, and never a ticket', async () => {
    const lines: string[] = [];
    const sigint = process.listenerCount('SIGINT');
    const cli = await runEmulatorCli(['--port', '0', '--access-ttl', '5000'], (line) => lines.push(line), { pages: { '/': () => 'playground' } });
    try {
      const text = lines.join('\n');
      expect(process.listenerCount('SIGINT')).toBe(sigint + 1);
      expect(text).toContain(cli.url);
      expect(text).toContain(cli.appKey.id);
      expect(text).toContain(cli.appKey.secret);
      expect(text).toContain(cli.serverKey.secret);
      expect(text).toContain(`curl -s -X POST ${cli.url}/v1/server/auth_ticket/request`);
      expect(text).toContain(encodeKey(cli.serverKey));
      expect(text).toContain('/_emulator/faults/<name>');
      expect(text).not.toMatch(/ticket"\s*:/);
      expect(text).toContain(`${cli.url}/`);
      expect((await admin('info', undefined, cli.url)).error.code).toBe('');
      expect(await fetch(`${cli.url}/`).then((r) => r.text())).toBe('playground');
    } finally {
      await cli.close();
    }
    expect(process.listenerCount('SIGINT')).toBe(sigint);
  });
});
