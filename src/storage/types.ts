/**
 * The storage contract: three methods, each allowed to be sync or async, so `localStorage`, a
 * `Map`, a file or React Native's AsyncStorage all fit without wrappers.
 */

/**
 * Where the session and the device id are kept. Methods may return values or promises; callers
 * always `await` them. Adapters may throw (the shipped ones throw `TapTalkError` `95010`).
 *
 * @example
 * ```ts
 * const adapter: StorageAdapter = {
 *   getItem: (key) => AsyncStorage.getItem(key),
 *   setItem: (key, value) => AsyncStorage.setItem(key, value),
 *   removeItem: (key) => AsyncStorage.removeItem(key),
 * };
 * ```
 */
export interface StorageAdapter {
  /** The stored value, or `null` when there is none. */
  getItem(key: string): string | null | Promise<string | null>;
  setItem(key: string, value: string): void | Promise<void>;
  removeItem(key: string): void | Promise<void>;
  /** Lets sessions on this storage follow each other (SES-80..89). @default none */
  coordination?: StorageCoordination;
}

/**
 * What a storage offers so that sessions sharing it (tabs of one origin, processes on one file)
 * coordinate instead of logging each other out (docs/multi-tab.md, SES-80..89). Optional: a storage
 * without it still gets SES-85 (a refused refresh is checked against the storage) when the app
 * turns coordination on, and `webStorage` and `fileStorage` offer all of it.
 *
 * @example
 * ```ts
 * const adapter: StorageAdapter = {
 *   getItem, setItem, removeItem,
 *   coordination: {
 *     lock: (name, signal) => myLock.acquire(name, { signal }).then((release) => release, () => null),
 *     watch: (key, onChange) => myStore.subscribe(key, onChange),
 *   },
 * };
 * ```
 */
export interface StorageCoordination {
  /**
   * Takes the exclusive lock `name`, shared by every sibling. Resolves the function that releases
   * it, or `null` when it could not be had before `signal` aborted (the caller's deadline) or at
   * all. Must never reject and never hold the lock after its release was called.
   */
  lock(name: string, signal: AbortSignal): Promise<(() => void) | null>;
  /**
   * Calls `onChange` whenever a sibling may have changed `key` (a hint: the session reads the
   * storage again, so extra calls are harmless). Returns the function that stops watching.
   */
  watch(key: string, onChange: () => void): () => void;
  /**
   * Changes `key` in one step no sibling can interleave with: `change` gets the current value and
   * returns the new one, `null` to remove it, or `undefined` to leave it. Without it, the session
   * reads and writes separately (enough for storages whose calls are synchronous).
   */
  update?(key: string, change: (current: string | null) => string | null | undefined): void | Promise<void>;
}

/** A {@link StorageAdapter} whose sessions can follow each other. */
export interface CoordinatedStorage extends StorageAdapter {
  coordination: StorageCoordination;
}

/**
 * What `webStorage` needs of a Web Storage object (`localStorage`, `sessionStorage`): declared
 * here rather than as the DOM's `Storage`, so the published types compile without the DOM lib.
 */
export interface WebStorageLike {
  getItem(key: string): string | null;
  setItem(key: string, value: string): void;
  removeItem(key: string): void;
}
