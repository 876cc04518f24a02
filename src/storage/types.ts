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
}
