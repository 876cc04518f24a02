/**
 * Web Storage (`localStorage`, `sessionStorage`) as a {@link StorageAdapter}.
 */
import { asTapTalkError, TapTalkError } from '../errors.js';
import type { CoordinatedStorage, WebStorageLike } from './types.js';
import { webCoordination } from './web-coordination.js';

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
 * Wraps a Web Storage object. Sessions on one storage coordinate (docs/multi-tab.md): one refresh
 * for all tabs, and a logout or login in one is followed by the others. Without one, `globalThis.localStorage` is looked up at the first
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
export function webStorage(storage?: WebStorageLike): CoordinatedStorage {
  let target = storage;
  const resolve = () => (target ??= globalLocalStorage());
  const coordination = webCoordination(resolve);
  return {
    getItem: (key) => guarded(() => resolve().getItem(key)),
    setItem: (key, value) => guarded(() => resolve().setItem(key, value)),
    removeItem: (key) => guarded(() => resolve().removeItem(key)),
    // Tabs of one origin share `localStorage`: their sessions follow each other (SES-80..89).
    coordination: { ...coordination, update: (key, change) => guarded(() => coordination.update!(key, change)) },
  };
}
