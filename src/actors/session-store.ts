/**
 * The persisted session, behind one serialized queue. Every write and removal runs in call order,
 * so a logout's removal always lands after a save that was already under way (SES-53): nothing
 * written before the logout can survive it.
 */
import { credentialsFromStored } from '../../machines/credentials.js';
import type { Credentials, LoadResult, MachineSettings, TapTalkUser } from '../../machines/session.types.js';
import { toFailure } from '../../machines/failure.js';
import { asTapTalkError, TapTalkError } from '../errors.js';
import { decodeStoredSession, encodeStoredSession } from '../storage/session-codec.js';
import type { StorageAdapter } from '../storage/types.js';

/** The session's view of its storage. */
export interface SessionStore {
  /** The stored session when storage answers synchronously, or `undefined` when it answers later. */
  preload(now: number): { credentials: Credentials; user: TapTalkUser } | null | undefined;
  load(now: number): Promise<LoadResult>;
  /** Saves a grant; `credentials` are the machine's view of it (for the skew). */
  save(credentials: Credentials, user: TapTalkUser): Promise<void>;
  clear(): Promise<void>;
  /** Resolves once every queued write has run. */
  settled(): Promise<void>;
}

function isPromise<T>(value: T | Promise<T>): value is Promise<T> {
  return typeof (value as { then?: unknown })?.then === 'function';
}

/**
 * Creates the store. `report` receives storage failures that no caller awaits (a failed save keeps
 * the session working in memory; it only will not survive a restart).
 */
export function createSessionStore(
  storage: StorageAdapter,
  key: string,
  settings: MachineSettings,
  report: (error: TapTalkError) => void,
): SessionStore {
  let tail: Promise<void> = Promise.resolve();
  let firstRead: Promise<string | null> | undefined;

  const enqueue = (op: () => void | Promise<void>): Promise<void> => {
    const run = tail.then(op).catch((cause: unknown) => report(asTapTalkError(cause, '95010')));
    tail = run;
    return run;
  };

  const toResult = (text: string | null, now: number): LoadResult => {
    const decoded = decodeStoredSession(text);
    if (decoded === null) return { kind: 'none' };
    if (decoded instanceof TapTalkError) return { kind: 'unreadable', failure: toFailure(decoded) };
    return { kind: 'found', user: decoded.user, credentials: credentialsFromStored(decoded, now, settings) };
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
      return result.kind === 'found' ? { credentials: result.credentials, user: result.user } : null;
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
    save(credentials, user) {
      // The codec picks the stored fields: `refreshAt` is recomputed at load, never stored.
      const text = encodeStoredSession({ ...credentials, user });
      return enqueue(() => storage.setItem(key, text));
    },
    clear: () => enqueue(() => storage.removeItem(key)),
    settled: () => tail,
  };
}

