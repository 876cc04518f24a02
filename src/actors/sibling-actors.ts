/**
 * The actors that coordinate with siblings (SES-80..89): the refresh lock and the watch on the
 * stored session. Both do nothing where coordination is off or the storage offers none.
 */
import { fromCallback } from 'xstate';
import type { SessionEvent } from '../../machines/session.types.js';
import { asTapTalkError } from '../errors.js';
import type { DepsOf } from './registry.js';

export function siblingActors(depsOf: DepsOf) {
  return {
    /**
     * SES-81: holds the siblings' refresh lock while the state that invoked it lasts, and says
     * `storage.locked` once it is held or `siblingLockTimeoutMs` passed without it (the refresh then
     * goes ahead and SES-85 covers a race). Leaving the state releases the lock at once, in the
     * machine's step, so no app callback ever runs while it is held by a decided refresh.
     */
    holdRefreshLock: fromCallback<SessionEvent>(({ sendBack, system }) => {
      const { siblings, clock, settings } = depsOf(system);
      if (!siblings?.coordination.lock) {
        sendBack({ type: 'storage.locked' });
        return;
      }
      const deadline = new AbortController();
      const timer = clock.setTimeout(() => deadline.abort(), settings.siblingLockTimeoutMs);
      let release: (() => void) | null = null;
      let stopped = false;
      siblings.coordination
        .lock(`${siblings.key}:refresh`, deadline.signal)
        .catch(() => null) // a storage breaking its contract still never hangs the refresh
        .then((granted) => {
          clock.clearTimeout(timer);
          if (stopped) return granted?.();
          release = granted;
          sendBack({ type: 'storage.locked' });
        });
      return () => {
        stopped = true;
        clock.clearTimeout(timer);
        deadline.abort();
        release?.();
      };
    }),

    /**
     * SES-83: on every hint that a sibling changed the stored session, reads it again and tells the
     * machine what it holds. What cannot be read (a corrupt or foreign write) is reported on
     * `errors$` and changes nothing (SES-89).
     */
    watchSiblings: fromCallback<SessionEvent>(({ sendBack, system }) => {
      const deps = depsOf(system);
      const { siblings } = deps;
      if (!siblings) return;
      let stopped = false;
      const stop = siblings.coordination.watch(siblings.key, () => {
        deps.store.read(deps.clock.now()).then(
          (stored) => stopped || sendBack({ type: 'storage.changed', stored }),
          (error: unknown) => stopped || deps.error(asTapTalkError(error, '95009')),
        );
      });
      return () => {
        stopped = true;
        stop();
      };
    }),
  };
}
