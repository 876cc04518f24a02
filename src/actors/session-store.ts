/**
 * The persisted session, behind one serialized queue. Every write and removal runs in call order,
 * so a logout's removal always lands after a save that was already under way (SES-53): nothing
 * written before the logout can survive it. With siblings (SES-80..89) every write is a versioned
 * compare-and-set, so a stale write never overwrites a newer one (SES-86).
 */
import { credentialsFromSibling, credentialsFromStored } from '../../machines/credentials.js';
import type { Credentials, LoadResult, MachineSettings, StoredState, TapTalkUser } from '../../machines/session.types.js';
import { toFailure } from '../../machines/failure.js';
import { asTapTalkError, TapTalkError } from '../errors.js';
import { decodeStoredSession, encodeStoredSession, type StoredSession } from '../storage/session-codec.js';
import type { StorageAdapter } from '../storage/types.js';

/** How a grant is saved (SES-86). */
export interface SaveOptions {
  /** The session clock: versions never fall behind it, so a login after a logout is newer. */
  now: number;
  /** The newest version the session has seen; the write gets a larger one. */
  version: number;
  /** Write only while the storage still holds this refresh token (the one a refresh spent). */
  replacing?: string;
}

/** The session's view of its storage. */
export interface SessionStore {
  /** The stored session when storage answers synchronously, or `undefined` when it answers later. */
  preload(now: number): StoredState | null | undefined;
  load(now: number): Promise<LoadResult>;
  /**
   * Saves a grant; `credentials` are the machine's view of it (for the skew). Resolves the version
   * written, or `null` when `replacing` no longer matched (a sibling changed the storage).
   */
  save(credentials: Credentials, user: TapTalkUser, options: SaveOptions): Promise<number | null>;
  /** Removes the session; with `ifRefreshToken`, only while it still holds that token (SES-85). */
  clear(ifRefreshToken?: string): Promise<void>;
  /**
   * What the storage holds now, read after every write already queued (SES-82). Rejects when it
   * cannot tell: unreadable, or this session's own last write failed (then "nothing stored" would
   * not mean that a sibling logged out).
   */
  read(now: number): Promise<StoredState | null>;
  /**
   * Resolves once every queued write has run; rejects with the last one's `95010` when it failed,
   * so a logout whose removal did not land is never reported as done (SES-55).
   */
  settled(): Promise<void>;
}

function isPromise<T>(value: T | Promise<T>): value is Promise<T> {
  return typeof (value as { then?: unknown })?.then === 'function';
}

const decoded = (text: string | null): StoredSession | null => {
  const value = decodeStoredSession(text);
  return value instanceof TapTalkError ? null : value;
};

/**
 * Creates the store. `report` receives storage failures that no caller awaits (a failed save keeps
 * the session working in memory; it only will not survive a restart). `coordinated`: writes are
 * compare-and-set through the storage's `coordination.update` where it has one (SES-86).
 */
export function createSessionStore(
  storage: StorageAdapter,
  key: string,
  settings: MachineSettings,
  report: (error: TapTalkError) => void,
  coordinated = false,
): SessionStore {
  let tail: Promise<unknown> = Promise.resolve();
  let firstRead: Promise<string | null> | undefined;
  let lastFailure: TapTalkError | undefined;

  const queue = <T>(op: () => T | Promise<T>): Promise<T> => {
    const run = tail.then(op);
    tail = run.catch(() => undefined);
    return run;
  };
  const enqueue = (op: () => void | Promise<void>): Promise<void> =>
    queue(async () => {
      try {
        await op();
        lastFailure = undefined;
      } catch (cause) {
        report((lastFailure = asTapTalkError(cause, '95010')));
      }
    });

  /** One read-decide-write step; atomic across siblings where the storage can do it. */
  const change = async (decide: (current: string | null) => string | null | undefined) => {
    const update = storage.coordination?.update;
    if (update) return update(key, decide);
    const next = decide(await storage.getItem(key));
    if (next === null) await storage.removeItem(key);
    else if (next !== undefined) await storage.setItem(key, next);
  };

  const toState = (value: StoredSession, now: number, timing = credentialsFromStored): StoredState => ({
    user: value.user,
    credentials: timing(value, now, settings),
    version: value.version ?? 0,
  });

  const toResult = (text: string | null, now: number): LoadResult => {
    const value = decodeStoredSession(text);
    if (value === null) return { kind: 'none' };
    if (value instanceof TapTalkError) return { kind: 'unreadable', failure: toFailure(value) };
    return { kind: 'found', ...toState(value, now) };
  };

  return {
    preload(now) {
      let text: string | null | Promise<string | null>;
      try {
        text = storage.getItem(key);
      } catch {
        return undefined; // let load() report it
      }
      if (isPromise(text)) {
        firstRead = text;
        return undefined;
      }
      const result = toResult(text, now);
      // An unreadable blob goes through load() so that the machine records the failure.
      if (result.kind === 'unreadable') return undefined;
      if (result.kind !== 'found') return null;
      const { kind: _found, ...state } = result;
      return state;
    },
    async load(now) {
      const pending = firstRead;
      firstRead = undefined;
      try {
        return toResult(await (pending ?? storage.getItem(key)), now);
      } catch (cause) {
        return { kind: 'unreadable', failure: toFailure(asTapTalkError(cause, '95010')) };
      }
    },
    async save(credentials, user, { now, version, replacing }) {
      let written: number | null = null;
      await enqueue(() => {
        if (!coordinated) {
          written = Math.max(version + 1, Math.floor(now));
          return storage.setItem(key, encodeStoredSession({ ...credentials, user, version: written }));
        }
        return change((text) => {
          const value = decodeStoredSession(text);
          // What no session can read (a corrupt or foreign write) is replaced, never obeyed (SES-89).
          const current = value instanceof TapTalkError ? null : value;
          if (replacing !== undefined && !(value instanceof TapTalkError) && value?.refreshToken !== replacing) return undefined;
          // The codec picks the stored fields: `refreshAt` is recomputed at load, never stored.
          written = Math.max(version + 1, (current?.version ?? 0) + 1, Math.floor(now));
          return encodeStoredSession({ ...credentials, user, version: written });
        });
      });
      // A write that failed keeps the session going in memory (reported above), as before siblings.
      return written ?? (lastFailure ? version : null);
    },
    clear: (ifRefreshToken) =>
      enqueue(() => {
        if (!coordinated) return storage.removeItem(key);
        // Through `change`, so siblings hear of it (SES-84).
        return change((text) => (ifRefreshToken === undefined || decoded(text)?.refreshToken === ifRefreshToken ? null : undefined));
      }),
    read: (now) =>
      queue(async () => {
        if (lastFailure) throw lastFailure;
        const value = decodeStoredSession(await storage.getItem(key));
        if (value instanceof TapTalkError) throw value;
        return value === null ? null : toState(value, now, credentialsFromSibling);
      }),
    settled: () =>
      tail.then(() => {
        if (lastFailure) throw lastFailure;
      }),
  };
}
