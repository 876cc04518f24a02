/**
 * How sessions on one Web Storage follow each other (SES-80..89): the Web Locks API for the refresh
 * lock, the `storage` event (other tabs) and a `BroadcastChannel` (other sessions of this tab, and
 * storages that fire no `storage` event) for changes. Messages carry a kind only, never a value:
 * the tokens are read from the storage (SES-89).
 */
import type { StorageCoordination, WebStorageLike } from './types.js';

interface LockManagerLike {
  request(name: string, options: { signal: AbortSignal }, callback: () => Promise<void>): Promise<unknown>;
}

const CHANNEL = 'taptalk-session';

const g = globalThis as {
  navigator?: { locks?: LockManagerLike };
  addEventListener?(type: 'storage', listener: (event: StorageEvent) => void): void;
  removeEventListener?(type: 'storage', listener: (event: StorageEvent) => void): void;
  BroadcastChannel?: typeof BroadcastChannel;
};

/** Tells the other sessions that `key` changed: its name and nothing else. */
function announce(key: string): void {
  if (!g.BroadcastChannel) return;
  const channel = new g.BroadcastChannel(CHANNEL);
  channel.postMessage({ kind: 'changed', key });
  channel.close();
}

/**
 * The coordination of a Web Storage. `target()` is the storage (resolved lazily, as `webStorage`
 * does), so `storage` events of another storage area are not taken for this one's.
 */
export function webCoordination(target: () => WebStorageLike): StorageCoordination {
  return {
    lock(name, signal) {
      const locks = g.navigator?.locks;
      // Without Web Locks, the refresh goes ahead and a refusal is checked against storage (SES-85).
      if (!locks) return Promise.resolve(null);
      return new Promise((resolve) => {
        locks
          .request(name, { signal }, () => new Promise<void>((release) => resolve(release)))
          .catch(() => resolve(null)); // aborted by the deadline: not had in time
      });
    },
    watch(key, onChange) {
      const onStorage = (event: StorageEvent) => {
        // `key` null: the whole storage was cleared.
        if ((event.key === key || event.key === null) && event.storageArea === target()) onChange();
      };
      const channel = g.BroadcastChannel ? new g.BroadcastChannel(CHANNEL) : undefined;
      if (channel) channel.onmessage = (event: MessageEvent<{ key?: unknown }>) => event.data?.key === key && onChange();
      g.addEventListener?.('storage', onStorage);
      return () => {
        g.removeEventListener?.('storage', onStorage);
        channel?.close();
      };
    },
    update(key, change) {
      const storage = target();
      const next = change(storage.getItem(key));
      if (next === undefined) return;
      if (next === null) storage.removeItem(key);
      else storage.setItem(key, next);
      announce(key);
    },
  };
}
