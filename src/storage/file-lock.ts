/**
 * An advisory lock beside a file, for processes sharing it (SES-81): `<path>.<name>.lock`,
 * created exclusively, holding the owner's pid and the time it was taken. A lock whose owner is
 * gone (no such process on this machine) or that is older than {@link STALE_MS} is stale and is
 * taken over, so a crashed process never blocks the others for long.
 */
import { open, readFile, unlink } from 'node:fs/promises';

/** Longer than any holder keeps it: a refresh (request timeout) or one write. */
export const STALE_MS = 60_000;
/** How often a waiting process tries again. */
const RETRY_MS = 25;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms).unref());

function ownerAlive(pid: number): boolean {
  try {
    process.kill(pid, 0); // signal 0: only asks whether the process exists
    return true;
  } catch (error) {
    return (error as { code?: string }).code === 'EPERM';
  }
}

/** Removes the lock if it is stale; true when it was (or is gone already). */
async function clearIfStale(lockPath: string): Promise<boolean> {
  let owner: { pid?: unknown; at?: unknown };
  try {
    owner = JSON.parse(await readFile(lockPath, 'utf8')) as typeof owner;
  } catch (error) {
    if ((error as { code?: string }).code === 'ENOENT') return true;
    owner = {}; // being written right now, or garbage: judged by its age below
  }
  const pid = typeof owner.pid === 'number' ? owner.pid : undefined;
  const at = typeof owner.at === 'number' ? owner.at : Date.now();
  if ((pid !== undefined && !ownerAlive(pid)) || Date.now() - at > STALE_MS) {
    await unlink(lockPath).catch(() => undefined);
    return true;
  }
  return false;
}

/**
 * Takes the lock, trying until `signal` aborts. Resolves its release function, or `null` when it
 * was not had in time. Never rejects.
 */
export async function lockFile(lockPath: string, signal: AbortSignal): Promise<(() => Promise<void>) | null> {
  while (!signal.aborted) {
    try {
      const handle = await open(lockPath, 'wx', 0o600);
      try {
        await handle.writeFile(JSON.stringify({ pid: process.pid, at: Date.now() }));
      } catch (error) {
        // A full disk: an empty lock names no owner and would look fresh to everyone forever.
        await unlink(lockPath).catch(() => undefined);
        throw error;
      } finally {
        await handle.close();
      }
      let released = false;
      return () => {
        if (released) return Promise.resolve();
        released = true;
        return unlink(lockPath).catch(() => undefined);
      };
    } catch (error) {
      if ((error as { code?: string }).code !== 'EEXIST') return null;
    }
    if (!(await clearIfStale(lockPath))) await sleep(RETRY_MS);
  }
  return null;
}
