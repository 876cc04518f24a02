/**
 * In-memory storage: the default where nothing persists, and the storage of tests.
 */
import type { StorageAdapter } from './types.js';

/**
 * A storage backed by its own `Map`; two calls never share data.
 *
 * @param initial - Entries to start with. @default {}
 * @example
 * ```ts
 * const storage = memoryStorage();
 * storage.setItem('k', 'v');
 * storage.snapshot(); // { k: 'v' }
 * ```
 */
export function memoryStorage(initial: Record<string, string> = {}): StorageAdapter & {
  /** A copy of everything stored, for assertions. */
  snapshot(): Record<string, string>;
} {
  const entries = new Map<string, string>(Object.entries(initial));
  return {
    getItem: (key) => entries.get(key) ?? null,
    setItem: (key, value) => {
      entries.set(key, String(value));
    },
    removeItem: (key) => {
      entries.delete(key);
    },
    snapshot: () => Object.fromEntries(entries),
  };
}
