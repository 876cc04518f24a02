import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import { encodeKey, startEmulator, type Emulator } from '../../src/emulator/index.js';

async function exchange(em: Emulator, ticket: string, target = em): Promise<{ code: string; accessToken?: string }> {
  const res = await fetch(`${target.url}/v1/auth/access_token/request`, { method: 'POST', headers: { 'App-Key': encodeKey(em.appKey), Authorization: `Bearer ${ticket}` } });
  const env = (await res.json()) as { error: { code: string }; data: { accessToken?: string } };
  return { code: env.error.code, ...(env.data.accessToken === undefined ? {} : { accessToken: env.data.accessToken }) };
}

describe('independence', () => {
  it('two emulators in one process share no keys, tickets, tokens, faults or counters', async () => {
    const a = await startEmulator();
    const b = await startEmulator();
    try {
      expect(a.url).not.toBe(b.url);
      expect(a.appKey).not.toEqual(b.appKey);
      expect(a.serverKey).not.toEqual(b.serverKey);
      const ticketA = await a.requestTicket({ xcUserID: 'shared-name' });
      // A's ticket presented to B with B's App-Key is unknown there.
      const res = await fetch(`${b.url}/v1/auth/access_token/request`, { method: 'POST', headers: { 'App-Key': encodeKey(b.appKey), Authorization: `Bearer ${ticketA}` } });
      expect(((await res.json()) as { error: { code: string } }).error.code).toBe('40103');
      // A's App-Key is not B's.
      expect((await exchange(a, ticketA, b)).code).toBe('49103');
      a.faults.failNext('/v1/auth/access_token/request', { status: 500, code: '50001' });
      a.faults.latency(0);
      const ticketB = await b.requestTicket({ xcUserID: 'shared-name' });
      expect((await exchange(b, ticketB)).code).toBe('');
      expect((await exchange(a, ticketA)).code).toBe('50001');
      expect(a.stats().ticketsExchanged).toBe(0);
      expect(b.stats().ticketsExchanged).toBe(1);
    } finally {
      await Promise.all([a.close(), b.close()]);
    }
  });

  it('binds to 127.0.0.1 on a free port by default and accepts given keys and port', async () => {
    const a = await startEmulator({ appKey: { id: 'my-app', secret: 's' }, serverKey: { id: 'my-server', secret: 't' } });
    try {
      expect(a.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
      expect(a.appKey).toEqual({ id: 'my-app', secret: 's' });
      const port = Number(new URL(a.url).port);
      await expect(startEmulator({ port })).rejects.toThrow(/EADDRINUSE/);
    } finally {
      await a.close();
    }
  });

  it('rejects a key id containing a colon', async () => {
    await expect(startEmulator({ appKey: { id: 'a:b', secret: 's' } })).rejects.toThrow(TypeError);
  });
});

describe('close', () => {
  it('closes open sockets with 1001, stops listening, and is idempotent', async () => {
    const em = await startEmulator();
    const ticket = await em.requestTicket({ xcUserID: 'closing' });
    const { accessToken } = await exchange(em, ticket);
    const ws = new WebSocket(`${em.url.replace(/^http/, 'ws')}/connect`, { headers: { 'App-Key': encodeKey(em.appKey), Authorization: `Bearer ${accessToken}` } });
    await new Promise((r) => ws.once('open', r));
    const closed = new Promise<number>((r) => ws.once('close', (code) => r(code)));
    const first = em.close();
    expect(em.close()).toBe(first);
    await first;
    await em.close();
    expect(await closed).toBe(1001);
    await expect(fetch(`${em.url}/v1/client/project_configs`, { method: 'POST' })).rejects.toThrow();
  });

  it('answers a request still waiting on injected latency instead of hanging close()', async () => {
    const em = await startEmulator();
    em.faults.latency(10_000);
    const pending = fetch(`${em.url}/v1/client/project_configs`, { method: 'POST' }).then(
      () => 'answered',
      () => 'cut',
    );
    await new Promise((r) => setTimeout(r, 20));
    const start = performance.now();
    await em.close();
    expect(performance.now() - start).toBeLessThan(1000);
    expect(['answered', 'cut']).toContain(await pending);
  });

  it('leaves the process able to exit on its own', async () => {
    const require = createRequire(import.meta.url);
    const dir = mkdtempSync(join(tmpdir(), 'emulator-exit-'));
    const script = join(dir, 'exit.mts');
    const emulatorUrl = pathToFileURL(fileURLToPath(new URL('../../src/emulator/index.ts', import.meta.url))).href;
    const wsUrl = pathToFileURL(require.resolve('ws')).href;
    writeFileSync(
      script,
      `import { startEmulator, encodeKey } from ${JSON.stringify(emulatorUrl)};
import ws from ${JSON.stringify(wsUrl)};
const em = await startEmulator({ pingIntervalMs: 50 });
em.faults.latency(5);
const ticket = await em.requestTicket({ xcUserID: 'exit' });
const res = await fetch(em.url + '/v1/auth/access_token/request', { method: 'POST', headers: { 'App-Key': encodeKey(em.appKey), Authorization: 'Bearer ' + ticket } });
const { data } = await res.json();
const socket = new ws(em.url.replace('http', 'ws') + '/connect', { headers: { 'App-Key': encodeKey(em.appKey), Authorization: 'Bearer ' + data.accessToken } });
await new Promise((r) => socket.once('open', r));
await em.close();
console.log('closed');
`,
    );
    const tsx = fileURLToPath(new URL('../../node_modules/tsx/dist/cli.mjs', import.meta.url));
    try {
      const result = await new Promise<{ code: number | null; out: string }>((resolve, reject) => {
        const child = spawn(process.execPath, [tsx, script], { stdio: ['ignore', 'pipe', 'pipe'] });
        let out = '';
        child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
        child.stderr.on('data', (chunk: Buffer) => (out += chunk.toString()));
        const timer = setTimeout(() => {
          child.kill('SIGKILL');
          reject(new Error(`process did not exit:\n${out}`));
        }, 10_000);
        child.on('exit', (code) => {
          clearTimeout(timer);
          resolve({ code, out });
        });
      });
      expect(result.out).toContain('closed');
      expect(result.code).toBe(0);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
