/**
 * Web Storage (`localStorage`, `sessionStorage`) as a {@link StorageAdapter}.
 */
import { asTapTalkError, TapTalkError } from '../errors.js';
import type { StorageAdapter } from './types.js';

type WebStorageLike = Pick<Storage, 'getItem' | 'setItem' | 'removeItem'>;

function globalLocalStorage(): WebStorageLike {
  let found: WebStorageLike | undefined;
  let cause: unknown;
  try {
    // Reading localStorage throws a SecurityError in sandboxed frames and with site data blocked.
    found = (globalThis as { localStorage?: WebStorageLike }).localStorage;
  } catch (error) {
    cause = error;
  }
  if (!found) throw new TapTalkError('95011', { message: 'Invalid options: no usable localStorage here; pass a storage', cause });
  return found;
}

function guarded<T>(run: () => T): T {
  try {
    return run();
  } catch (cause) {
    // QuotaExceededError and friends: retryable storage trouble, not a crash.
    throw asTapTalkError(cause, '95010');
  }
}

/**
 * Wraps a Web Storage object. Without one, `globalThis.localStorage` is looked up at the first
 * call, not at import, so the module loads in SSR and workers.
 *
 * @param storage - The storage to use. @default globalThis.localStorage (resolved lazily)
 * @throws TapTalkError `95011` (from the first call) when no storage is available; `95010` when
 *   the storage itself throws (quota, privacy mode).
 * @example
 * ```ts
 * createSession({ storage: webStorage(sessionStorage) });
 * ```
 */
export function webStorage(storage?: WebStorageLike): StorageAdapter {
  let target = storage;
  const resolve = () => (target ??= globalLocalStorage());
  return {
    getItem: (key) => guarded(() => resolve().getItem(key)),
    setItem: (key, value) => guarded(() => resolve().setItem(key, value)),
    removeItem: (key) => guarded(() => resolve().removeItem(key)),
  };
}
