/**
 * Two Node processes on one `fileStorage` file (issue 12, SES-80..89): through four access-token
 * lifetimes both stay connected, the server sees no more refreshes than one process alone would
 * make (plus one for the sibling), the file is never read half-written, and a logout in one ends
 * the other within 2 s.
 */
import { fork, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { Emulator } from '../../src/emulator/index.js';
import { storageKeys } from '../../src/storage/keys.js';
import { emulator, uniqueUser } from '../support/emulator-session.js';

const TTL_MS = 2_000;
const LIFETIMES = 4;
const CHILD = fileURLToPath(new URL('../support/sibling-process.ts', import.meta.url));

interface Message {
  type: string;
  from?: string;
  to?: string;
  reason?: string;
  code?: string;
  of?: string;
  value?: unknown;
  state?: string;
  at?: number;
}

interface Sibling {
  proc: ChildProcess;
  messages: Message[];
  ask(type: string, extra?: object): Promise<unknown>;
  waitFor(test: (m: Message) => boolean, ms?: number): Promise<Message>;
  state(): string;
}

function start(settings: object): Sibling {
  const proc = fork(CHILD, [], {
    execArgv: ['--import', 'tsx'],
    env: { ...process.env, SIBLING: JSON.stringify(settings) },
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  const messages: Message[] = [];
  const waiters: { test: (m: Message) => boolean; resolve(m: Message): void }[] = [];
  let state = 'unauthenticated';
  proc.on('message', (m: Message) => {
    messages.push(m);
    if (m.type === 'transition') state = m.to!;
    for (const w of [...waiters]) if (w.test(m)) {
      waiters.splice(waiters.indexOf(w), 1);
      w.resolve(m);
    }
  });
  const waitFor = (test: (m: Message) => boolean, ms = 10_000) => {
    const found = messages.find(test);
    if (found) return Promise.resolve(found);
    return new Promise<Message>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`child: no such message within ${ms} ms`)), ms);
      waiters.push({ test, resolve: (m) => (clearTimeout(timer), resolve(m)) });
    });
  };
  return {
    proc,
    messages,
    waitFor,
    state: () => state,
    ask(type, extra = {}) {
      const seen = messages.length;
      proc.send({ type, ...extra });
      return waitFor((m) => m.type === 'reply' && m.of === type && messages.indexOf(m) >= seen).then((m) => m.value);
    },
  };
}

let em: Emulator;
let dir: string;
const siblings: Sibling[] = [];

beforeAll(async () => {
  em = await emulator({ accessTokenTtlMs: TTL_MS });
  dir = mkdtempSync(join(tmpdir(), 'taptalk-siblings-'));
});

afterAll(async () => {
  for (const s of siblings) if (s.proc.exitCode === null) s.proc.kill();
  await em?.close();
  rmSync(dir, { recursive: true, force: true });
});

it('SES-81..84: two processes on one fileStorage refresh once per rotation, never read half a file, and follow a logout within 2 s', async () => {
  const path = join(dir, 'session.json');
  const settings = { baseUrl: em.url, appID: em.appKey.id, appSecret: em.appKey.secret, path };
  const a = start(settings);
  siblings.push(a);
  await a.waitFor((m) => m.type === 'ready');
  expect(await a.ask('authenticate', { ticket: await em.requestTicket(uniqueUser('proc')) })).toBe('ok');

  const b = start(settings);
  siblings.push(b);
  expect((await b.waitFor((m) => m.type === 'ready')).state).toBe('authenticated');
  expect(await b.ask('connect')).toBe('ok');

  // Four lifetimes, reading the file as fast as it goes: every read is a whole JSON document.
  const refreshesBefore = em.stats().refreshes;
  const started = Date.now();
  let reads = 0;
  while (Date.now() - started < LIFETIMES * TTL_MS) {
    const text = readFileSync(path, 'utf8');
    expect(() => JSON.parse(text), 'the session file read half-written').not.toThrow();
    reads++;
    await new Promise((r) => setTimeout(r, 5));
  }
  const elapsed = Date.now() - started;
  const refreshes = em.stats().refreshes - refreshesBefore;

  for (const s of [a, b]) {
    expect(s.state()).toBe('connected');
    // The sockets stayed up through every rotation (SES-82): no step away from `connected`.
    expect(s.messages.filter((m) => m.type === 'transition' && m.at! >= started && m.from === 'connected' && m.to !== 'connected')).toEqual([]);
    // No unreadable or failed storage: a half-written file would show here as 95009 (SES-89).
    expect(s.messages.filter((m) => m.type === 'error' && (m.code === '95009' || m.code === '95010'))).toEqual([]);
  }
  // One process alone refreshes every half lifetime (SES-3); the sibling may add one.
  const alone = Math.ceil(elapsed / (TTL_MS / 2)) + 1;
  console.log(`siblings: ${refreshes} refreshes in ${elapsed} ms (one alone: at most ${alone})`);
  expect(refreshes).toBeGreaterThanOrEqual(LIFETIMES);
  expect(refreshes).toBeLessThanOrEqual(alone + 1);
  // Both followed every rotation: refreshes by one were adopted by the other (SES-82, SES-83).
  const adopted = b.messages.filter((m) => m.reason === 'sibling_refreshed').length + a.messages.filter((m) => m.reason === 'sibling_refreshed').length;
  expect(adopted).toBeGreaterThanOrEqual(LIFETIMES - 1);
  expect(reads).toBeGreaterThan(100);

  // SES-84: a logout in one ends the other within 2 s, and the file holds no token.
  const loggedOutAt = Date.now();
  expect(await a.ask('logout')).toBe('ok');
  const followed = await b.waitFor((m) => m.type === 'transition' && m.to === 'loggedOut', 2_000);
  expect(followed.reason).toBe('logged_out_elsewhere');
  expect(followed.at! - loggedOutAt).toBeLessThan(2_000);
  const stored = JSON.parse(readFileSync(path, 'utf8')) as Record<string, string>;
  expect(stored[storageKeys(em.appKey.id).session]).toBeUndefined();

  a.proc.send({ type: 'exit' });
  b.proc.send({ type: 'exit' });
}, 60_000);

it('without coordination (the failure of issue 12), one of two processes on one file is logged out at a rotation', async () => {
  const path = join(dir, 'alone.json');
  const settings = { baseUrl: em.url, appID: em.appKey.id, appSecret: em.appKey.secret, path, coordinate: false };
  const a = start(settings);
  siblings.push(a);
  await a.waitFor((m) => m.type === 'ready');
  expect(await a.ask('authenticate', { ticket: await em.requestTicket(uniqueUser('proc')) })).toBe('ok');
  const b = start(settings);
  siblings.push(b);
  await b.waitFor((m) => m.type === 'ready');
  // Its connect may already meet the failure (a refused refresh), so only the logout is awaited.
  void b.ask('connect');
  const out = await Promise.race([a, b].map((s) => s.waitFor((m) => m.type === 'transition' && m.to === 'loggedOut', 4 * TTL_MS)));
  expect(out.reason).toBe('refresh_token_expired');
  a.proc.send({ type: 'exit' });
  b.proc.send({ type: 'exit' });
}, 30_000);
