import { mkdtemp, readFile, rm, stat, writeFile, readdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { TapTalkError } from '../../src/errors.js';
import { fileStorage } from '../../src/storage/file.js';

let dir: string;

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'taptalk-storage-'));
});

afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('fileStorage', () => {
  it('round-trips values through one JSON file', async () => {
    const path = join(dir, 'session.json');
    const storage = fileStorage(path);
    expect(await storage.getItem('k')).toBeNull();
    await storage.setItem('k', 'v');
    expect(await storage.getItem('k')).toBe('v');
    expect(JSON.parse(await readFile(path, 'utf8'))).toEqual({ k: 'v' });
    await storage.removeItem('k');
    expect(await storage.getItem('k')).toBeNull();
  });

  it('is read back by a new instance (persists across runs)', async () => {
    const path = join(dir, 'session.json');
    await fileStorage(path).setItem('k', 'v');
    expect(await fileStorage(path).getItem('k')).toBe('v');
  });

  it('creates missing parent directories', async () => {
    const path = join(dir, 'a', 'b', 'session.json');
    await fileStorage(path).setItem('k', 'v');
    expect(await fileStorage(path).getItem('k')).toBe('v');
  });

  it('serialises concurrent writes so no key is lost', async () => {
    const path = join(dir, 'session.json');
    const storage = fileStorage(path);
    await Promise.all(Array.from({ length: 25 }, (_, i) => storage.setItem(`k${i}`, `v${i}`)));
    const stored = JSON.parse(await readFile(path, 'utf8'));
    expect(Object.keys(stored)).toHaveLength(25);
    expect(stored.k24).toBe('v24');
  });

  it('applies operations in call order and a read sees earlier writes', async () => {
    const storage = fileStorage(join(dir, 'session.json'));
    const set = storage.setItem('k', 'first');
    const read = storage.getItem('k');
    const remove = storage.removeItem('k');
    const after = storage.getItem('k');
    await Promise.all([set, remove]);
    expect(await read).toBe('first');
    expect(await after).toBeNull();
  });

  it('treats a corrupt file as empty and replaces it on the next write', async () => {
    const path = join(dir, 'session.json');
    await writeFile(path, '{"k": "v", trunc');
    const storage = fileStorage(path);
    expect(await storage.getItem('k')).toBeNull();
    await storage.setItem('other', 'x');
    expect(JSON.parse(await readFile(path, 'utf8'))).toEqual({ other: 'x' });
  });

  it('ignores non-string values in the file', async () => {
    const path = join(dir, 'session.json');
    await writeFile(path, '{"a": 1, "b": "two"}');
    expect(await fileStorage(path).getItem('a')).toBeNull();
    expect(await fileStorage(path).getItem('b')).toBe('two');
  });

  it.skipIf(process.platform === 'win32')('writes the file with mode 0600 (it holds tokens)', async () => {
    const path = join(dir, 'session.json');
    await fileStorage(path).setItem('token', 'secret');
    expect((await stat(path)).mode & 0o777).toBe(0o600);
  });

  it('leaves no temporary files behind', async () => {
    const storage = fileStorage(join(dir, 'session.json'));
    await Promise.all([storage.setItem('a', '1'), storage.setItem('b', '2')]);
    expect(await readdir(dir)).toEqual(['session.json']);
  });

  it('rejects with 95010 when the file system refuses, and keeps working afterwards', async () => {
    const blocker = join(dir, 'not-a-dir');
    await writeFile(blocker, 'x');
    const broken = fileStorage(join(blocker, 'session.json'));
    const error = await Promise.resolve(broken.setItem('k', 'v')).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(TapTalkError);
    expect((error as TapTalkError).code).toBe('95010');
    // The queue is not stuck after a failure.
    await expect(broken.getItem('k')).rejects.toMatchObject({ code: '95010' });
  });
});
