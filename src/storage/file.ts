/**
 * Node-only storage in one JSON file. It holds tokens, so it is written owner-only (0600), and
 * atomically (temp file + fsync + rename) so a crash mid-write never leaves half a file. Processes
 * sharing the file coordinate (SES-80..89): writes take a lock beside it, and changes are watched.
 */
import { watch as watchPath, type FSWatcher } from 'node:fs';
import { mkdir, open, readdir, readFile, rename, stat, unlink } from 'node:fs/promises';
import { basename, dirname } from 'node:path';
import { TapTalkError } from '../errors.js';
import { lockFile, STALE_MS } from './file-lock.js';
import type { CoordinatedStorage } from './types.js';

/** A write waits this long for another process's write to finish, then goes ahead. */
const WRITE_LOCK_MS = 2_000;
/** The fallback poll where the file system sends no change events (network mounts, some containers). */
const POLL_MS = 1_000;

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
 * Removes the temp files a writer killed mid-write left beside `path` (they may hold tokens):
 * those older than `minAgeMs`, so a sibling's write under way is spared unless the caller holds
 * the write lock (then no sibling is writing). Best effort: what cannot be removed stays.
 */
async function removeTempFiles(path: string, minAgeMs: number): Promise<void> {
  const prefix = `${basename(path)}.`;
  const names = await readdir(dirname(path)).catch(() => []);
  for (const name of names) {
    if (!name.startsWith(prefix) || !name.endsWith('.tmp')) continue;
    const temp = `${dirname(path)}/${name}`;
    const old = await stat(temp).then((s) => Date.now() - s.mtimeMs >= minAgeMs, () => false);
    if (old) await unlink(temp).catch(() => undefined);
  }
}

/**
 * Writes `entries` without `key`. Where the rewrite fails (a full disk), the file is removed
 * instead, which needs no free space: a removal is a logout, and a token must not outlive it
 * (SES-55); whatever else the file held (the device id) is lost with it and made anew.
 */
async function writeWithout(path: string, entries: Entries): Promise<void> {
  if (Object.keys(entries).length === 0) return unlink(path).catch(missingIsFine);
  try {
    await writeEntries(path, entries);
  } catch {
    await unlink(path).catch(missingIsFine);
  }
}

function missingIsFine(cause: unknown): void {
  if ((cause as { code?: unknown }).code !== 'ENOENT') throw cause;
}

/**
 * A storage backed by one JSON object file `{key: value}`. All operations run one at a time in
 * call order (a per-instance queue), so concurrent writes never lose each other's keys and a read
 * sees every earlier write. A missing file reads as empty; a corrupt one too, and is replaced by
 * the next write. Parent directories are created (0700); the file is 0600. A removal that cannot
 * rewrite the file removes the file (SES-55); the first call and every removal clean up temp files
 * left by a writer that was killed (SES-56).
 *
 * @param path - The file, e.g. `~/.config/my-app/taptalk.json`.
 * @throws TapTalkError `95010` (from a call) when the file system refuses.
 * @example
 * ```ts
 * createSession({ storage: fileStorage('.tmp/session.json') });
 * ```
 */
export function fileStorage(path: string): CoordinatedStorage {
  // SES-56: on start, temp files no writer can still be working on (older than any lock is held).
  let tail: Promise<unknown> = removeTempFiles(path, STALE_MS);
  const enqueue = <T>(operation: () => Promise<T>): Promise<T> => {
    const run = tail.then(operation).catch((cause: unknown) => {
      throw new TapTalkError('95010', { message: 'Storage failed: the session file could not be used', cause });
    });
    tail = run.catch(() => undefined); // one failure must not block later operations
    return run;
  };
  /** One key's read-decide-write, under the write lock so another process's write cannot interleave. */
  const update = (key: string, change: (current: string | null) => string | null | undefined) =>
    enqueue(async () => {
      await mkdir(dirname(path), { recursive: true, mode: 0o700 });
      const release = await lockFile(`${path}.write.lock`, AbortSignal.timeout(WRITE_LOCK_MS));
      try {
        const entries = await readEntries(path);
        const next = change(entries[key] ?? null);
        if (next === undefined) return;
        if (next !== null) return await writeEntries(path, { ...entries, [key]: String(next) });
        delete entries[key];
        await writeWithout(path, entries);
        // SES-56: a logout leaves no temp file with a token; holding the lock, every one is stale.
        await removeTempFiles(path, release ? 0 : STALE_MS);
      } finally {
        await release?.();
      }
    });
  return {
    getItem: (key) => enqueue(async () => (await readEntries(path))[key] ?? null),
    setItem: (key, value) => update(key, () => String(value)),
    removeItem: (key) => update(key, () => null),
    coordination: {
      lock: (name, signal) => lockFile(`${path}.${name.replace(/[^\w.-]/g, '_')}.lock`, signal),
      watch: (_key, onChange) => watchFile(path, onChange),
      update,
    },
  };
}

/**
 * Calls `onChange` when the file may have changed: at once from the directory's change events
 * (the file is replaced by a rename, so the file itself cannot be watched), and within
 * {@link POLL_MS} from a poll of its status where those events do not come. Keeps no process alive.
 */
function watchFile(path: string, onChange: () => void): () => void {
  const name = basename(path);
  let watcher: FSWatcher | undefined;
  try {
    watcher = watchPath(dirname(path), { persistent: false }, (_event, file) => {
      if (file === null || file === name) onChange();
    });
    watcher.on('error', () => watcher?.close()); // the poll carries on
  } catch {
    // No directory yet, or no change events here: the poll alone.
  }
  let last = '';
  const poll = setInterval(() => {
    stat(path).then(
      (s) => `${s.ino}:${s.mtimeMs}:${s.size}`,
      () => 'none',
    ).then((seen) => {
      if (last !== '' && seen !== last) onChange();
      last = seen;
    });
  }, POLL_MS);
  poll.unref();
  return () => {
    clearInterval(poll);
    watcher?.close();
  };
}
