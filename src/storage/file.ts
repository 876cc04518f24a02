/**
 * Node-only storage in one JSON file. It holds tokens, so it is written owner-only (0600), and
 * atomically (temp file + fsync + rename) so a crash mid-write never leaves half a file.
 */
import { mkdir, open, readFile, rename, unlink } from 'node:fs/promises';
import { dirname } from 'node:path';
import { TapTalkError } from '../errors.js';
import type { StorageAdapter } from './types.js';

type Entries = Record<string, string>;

async function readEntries(path: string): Promise<Entries> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (cause) {
    if ((cause as { code?: unknown }).code === 'ENOENT') return {};
    throw cause;
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return {}; // corrupt: start afresh; the next write replaces the file
  }
  const entries: Entries = {};
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return entries;
  for (const [key, item] of Object.entries(value)) if (typeof item === 'string') entries[key] = item;
  return entries;
}

async function writeEntries(path: string, entries: Entries): Promise<void> {
  await mkdir(dirname(path), { recursive: true, mode: 0o700 });
  const temp = `${path}.${globalThis.crypto.randomUUID()}.tmp`;
  try {
    const handle = await open(temp, 'w', 0o600);
    try {
      await handle.writeFile(JSON.stringify(entries), 'utf8');
      await handle.sync();
    } finally {
      await handle.close();
    }
    await rename(temp, path);
  } catch (cause) {
    await unlink(temp).catch(() => undefined);
    throw cause;
  }
}

/**
 * A storage backed by one JSON object file `{key: value}`. All operations run one at a time in
 * call order (a per-instance queue), so concurrent writes never lose each other's keys and a read
 * sees every earlier write. A missing file reads as empty; a corrupt one too, and is replaced by
 * the next write. Parent directories are created (0700); the file is 0600.
 *
 * @param path - The file, e.g. `~/.config/my-app/taptalk.json`.
 * @throws TapTalkError `95010` (from a call) when the file system refuses.
 * @example
 * ```ts
 * createSession({ storage: fileStorage('.tmp/session.json') });
 * ```
 */
export function fileStorage(path: string): StorageAdapter {
  let tail: Promise<unknown> = Promise.resolve();
  const enqueue = <T>(operation: () => Promise<T>): Promise<T> => {
    const run = tail.then(operation).catch((cause: unknown) => {
      throw new TapTalkError('95010', { message: 'Storage failed: the session file could not be used', cause });
    });
    tail = run.catch(() => undefined); // one failure must not block later operations
    return run;
  };
  const update = (change: (entries: Entries) => void) =>
    enqueue(async () => {
      const entries = await readEntries(path);
      change(entries);
      await writeEntries(path, entries);
    });
  return {
    getItem: (key) => enqueue(async () => (await readEntries(path))[key] ?? null),
    setItem: (key, value) =>
      update((entries) => {
        entries[key] = String(value);
      }),
    removeItem: (key) =>
      update((entries) => {
        delete entries[key];
      }),
  };
}
