/**
 * fileStorage on a disk that is full (simulated: writing file contents fails with ENOSPC, as on a
 * full disk, while removing files still works) and after a writer was killed mid-write (SES-55,
 * SES-56).
 */
import { mkdtemp, readdir, readFile, rm, utimes, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';

const disk = vi.hoisted(() => ({ full: false }));

vi.mock('node:fs/promises', async (importOriginal) => {
  const fs = await importOriginal<typeof import('node:fs/promises')>();
  const enospc = () => Object.assign(new Error('ENOSPC: no space left on device, write'), { code: 'ENOSPC' });
  return {
    ...fs,
    open: async (...args: Parameters<typeof fs.open>) => {
      const handle = await fs.open(...args);
      const writeFile = handle.writeFile.bind(handle);
      return Object.assign(handle, {
        writeFile: (...rest: Parameters<typeof handle.writeFile>) => (disk.full ? Promise.reject(enospc()) : writeFile(...rest)),
      });
    },
  };
});

const { fileStorage } = await import('../../src/storage/file.js');
const { createSession } = await import('../../src/session/create-session.js');
const { startEmulator } = await import('../../src/emulator/index.js');

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'taptalk-hostile-'));
  disk.full = false;
});
afterEach(async () => {
  disk.full = false;
  await rm(dir, { recursive: true, force: true });
});

describe('SES-55: fileStorage on a full disk', () => {
  it('removes a key by removing the file, which needs no free space', async () => {
    const path = join(dir, 'session.json');
    const storage = fileStorage(path);
    await storage.setItem('device', 'd-1');
    await storage.setItem('session', 'refresh-token-secret');
    disk.full = true;
    await expect(storage.setItem('other', 'x')).rejects.toMatchObject({ code: '95010' });
    await storage.removeItem('session');
    expect(await storage.getItem('session')).toBeNull();
    expect(await readdir(dir)).toEqual([]); // no file, no temp file, no lock left behind
  });

  it('removes the file when the last key goes, without rewriting it', async () => {
    const path = join(dir, 'session.json');
    const storage = fileStorage(path);
    await storage.setItem('session', 'refresh-token-secret');
    disk.full = true;
    await storage.removeItem('session');
    expect(await readdir(dir)).toEqual([]);
  });

  it('a logout on a full disk resolves and a restart comes back unauthenticated', async () => {
    const em = await startEmulator({ host: '127.0.0.1', port: 0 });
    try {
      const options = {
        baseUrl: em.url,
        appID: em.appKey.id,
        appSecret: em.appKey.secret,
        logger: { warn: () => {}, error: () => {} },
        environment: false as const,
      };
      const path = join(dir, 'session.json');
      const first = createSession({ ...options, storage: fileStorage(path) });
      await first.authenticate(await em.requestTicket({ xcUserID: 'full-disk', fullName: 'Full Disk' }));
      disk.full = true;
      await expect(first.logout()).resolves.toBeUndefined();
      first.dispose();
      disk.full = false;
      const second = createSession({ ...options, storage: fileStorage(path) });
      expect(await second.whenReady()).toBe('unauthenticated');
      second.dispose();
    } finally {
      await em.close();
    }
  });
});

describe('SES-56: temp files left by a writer that was killed', () => {
  const leftover = async (name: string, ageMs: number) => {
    const temp = join(dir, name);
    await writeFile(temp, '{"session":"refresh-token-secret"}');
    const then = new Date(Date.now() - ageMs);
    await utimes(temp, then, then);
    return temp;
  };

  it('are removed when a storage on the file starts, if no writer can still be working on them', async () => {
    await leftover('session.json.0b6f.tmp', 3_600_000);
    const fresh = await leftover('session.json.9c1e.tmp', 0); // a sibling's write under way: spared
    await leftover('other.json.77aa.tmp', 3_600_000); // not this file's: left alone
    const storage = fileStorage(join(dir, 'session.json'));
    expect(await storage.getItem('session')).toBeNull();
    expect((await readdir(dir)).sort()).toEqual(['other.json.77aa.tmp', 'session.json.9c1e.tmp']);
    expect(await readFile(fresh, 'utf8')).toContain('refresh-token-secret');
  });

  it('are all removed by a removal (a logout), which holds the write lock', async () => {
    const path = join(dir, 'session.json');
    const storage = fileStorage(path);
    await storage.setItem('session', 'refresh-token-secret');
    await leftover('session.json.9c1e.tmp', 0);
    await storage.removeItem('session');
    expect(await readdir(dir)).toEqual([]);
  });
});
