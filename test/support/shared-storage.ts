/**
 * One in-memory storage shared by several sessions of one process, with the coordination a real
 * shared storage offers (SES-81, SES-83): an exclusive lock that honours its abort signal, and
 * change notices to every other view on a microtask. For tests where sessions are siblings.
 */
import { memoryStorage } from '../../src/storage/memory.js';
import type { CoordinatedStorage } from '../../src/storage/types.js';

export function sharedMemoryStorage() {
  const store = memoryStorage();
  const watchers = new Map<object, () => void>();
  let held: Promise<void> = Promise.resolve();

  /** A view for one session: its writes notify the other views. */
  const view = (): CoordinatedStorage => {
    const me = {};
    const notify = () => {
      for (const [owner, onChange] of watchers) if (owner !== me) queueMicrotask(onChange);
    };
    return {
      getItem: (k) => store.getItem(k),
      setItem: (k, v) => store.setItem(k, v),
      removeItem: (k) => store.removeItem(k),
      coordination: {
        lock(_name, signal) {
          const before = held;
          let release!: () => void;
          held = new Promise<void>((r) => (release = r));
          return new Promise((resolve) => {
            const onAbort = () => {
              release(); // nobody waits on a lock never had
              resolve(null);
            };
            signal.addEventListener('abort', onAbort, { once: true });
            void before.then(() => {
              if (signal.aborted) return;
              signal.removeEventListener('abort', onAbort);
              resolve(release);
            });
          });
        },
        watch(_key, onChange) {
          watchers.set(me, onChange);
          return () => watchers.delete(me);
        },
        update(k, change) {
          const next = change(store.getItem(k) as string | null);
          if (next === undefined) return;
          if (next === null) store.removeItem(k);
          else store.setItem(k, next);
          notify();
        },
      },
    };
  };
  return { store, view };
}
