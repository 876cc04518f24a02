/**
 * The coordination the shipped storages offer (SES-81, SES-83, SES-89): `fileStorage`'s lock file
 * (exclusive, stale-lock takeover, deadline) and file watch; `webStorage`'s change notices, which
 * carry a key name and never a value.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { fileStorage } from '../../src/storage/file.js';
import { lockFile } from '../../src/storage/file-lock.js';
import { memoryStorage } from '../../src/storage/memory.js';
import { webStorage } from '../../src/storage/web.js';

const dir = mkdtempSync(join(tmpdir(), 'taptalk-coordination-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const within = <T>(promise: Promise<T>, ms: number) =>
  Promise.race([promise, new Promise<never>((_, reject) => setTimeout(() => reject(new Error(`not within ${ms} ms`)), ms))]);

/** A Web Storage over a Map, as `webStorage` takes it. */
function fakeWebStorage() {
  const m = memoryStorage();
  return { getItem: (k: string) => m.getItem(k) as string | null, setItem: m.setItem, removeItem: m.removeItem };
}

describe('fileStorage lock (SES-81)', () => {
  it('is exclusive: a second taker waits until the first releases', async () => {
    const path = join(dir, 'exclusive.lock');
    const first = await lockFile(path, AbortSignal.timeout(1_000));
    expect(first).not.toBeNull();
    let second: (() => Promise<void>) | null = null;
    const waiting = lockFile(path, AbortSignal.timeout(2_000)).then((r) => (second = r));
    await new Promise((r) => setTimeout(r, 100));
    expect(second).toBeNull();
    await first!();
    await within(waiting, 1_000);
    expect(second).not.toBeNull();
    await second!();
  });

  it('gives up at its deadline with null, never a hang or a rejection', async () => {
    const path = join(dir, 'deadline.lock');
    const held = await lockFile(path, AbortSignal.timeout(1_000));
    const started = Date.now();
    expect(await lockFile(path, AbortSignal.timeout(150))).toBeNull();
    expect(Date.now() - started).toBeLessThan(1_000);
    await held!();
  });

  it('takes over a stale lock whose owner process is gone', async () => {
    const path = join(dir, 'stale.lock');
    // A pid that existed and has exited: the child's.
    const gone = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))']).stdout.toString();
    writeFileSync(path, JSON.stringify({ pid: Number(gone), at: Date.now() }));
    const release = await lockFile(path, AbortSignal.timeout(1_000));
    expect(release).not.toBeNull();
    await release!();
  });

  it('does not take over a live owner\'s lock (the mutation of the stale check: this process owns it)', async () => {
    const path = join(dir, 'live.lock');
    writeFileSync(path, JSON.stringify({ pid: process.pid, at: Date.now() }));
    expect(await lockFile(path, AbortSignal.timeout(200))).toBeNull();
  });
});

describe('fileStorage watch and update (SES-83, SES-86)', () => {
  it('tells a session of a write by another fileStorage on the same file within 2 s', async () => {
    const path = join(dir, 'watched.json');
    const writer = fileStorage(path);
    await writer.setItem('k', 'v0');
    const reader = fileStorage(path);
    let changes = 0;
    const stop = reader.coordination.watch('k', () => changes++);
    await new Promise((r) => setTimeout(r, 50));
    await writer.setItem('k', 'v1');
    const started = Date.now();
    while (changes === 0 && Date.now() - started < 2_000) await new Promise((r) => setTimeout(r, 20));
    stop();
    expect(changes).toBeGreaterThan(0);
  });

  it('update changes one key in one step and leaves it when told to', async () => {
    const storage = fileStorage(join(dir, 'update.json'));
    await storage.setItem('other', 'kept');
    await storage.coordination.update!('k', (current) => (current === null ? 'first' : undefined));
    await storage.coordination.update!('k', (current) => (current === null ? 'second' : undefined));
    expect(await storage.getItem('k')).toBe('first');
    await storage.coordination.update!('k', () => null);
    expect(await storage.getItem('k')).toBeNull();
    expect(await storage.getItem('other')).toBe('kept');
  });
});

describe('webStorage coordination (SES-83, SES-89)', () => {
  it('tells a sibling on the same storage of a change through a BroadcastChannel, with the key name only', async () => {
    const shared = fakeWebStorage();
    const a = webStorage(shared);
    const b = webStorage(shared);
    const seen: unknown[] = [];
    const spy = new BroadcastChannel('taptalk-session');
    spy.onmessage = (e) => seen.push(e.data);
    const changed = new Promise<void>((resolve) => {
      const stop = b.coordination.watch('session', () => {
        stop();
        resolve();
      });
    });
    a.coordination.update!('session', () => '{"refreshToken":"SECRET-refresh"}');
    await within(changed, 1_000);
    spy.close();
    expect(shared.getItem('session')).toContain('SECRET-refresh');
    expect(seen).toEqual([{ kind: 'changed', key: 'session' }]);
    expect(JSON.stringify(seen)).not.toContain('SECRET');
  });

  it('without Web Locks (Node, old browsers) the lock is not had: the refresh goes ahead on SES-85', async () => {
    expect(await webStorage(fakeWebStorage()).coordination.lock('x', AbortSignal.timeout(100))).toBeNull();
  });
});
