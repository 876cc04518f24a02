/**
 * Deadlines on a storage's calls (SES-57): an adapter that never answers (a hung AsyncStorage, a
 * file on a stalled mount) must not hang the session, its logout or its dispose.
 */
import { timerDelay } from '../../machines/timers.js';
import { TapTalkError } from '../errors.js';
import type { Clock } from '../platform/ports.js';
import type { StorageAdapter } from '../storage/types.js';

/**
 * The same storage, each asynchronous answer (its coordination's `update` too) awaited at most
 * `ms` on `clock`, then failed with `95010`. Synchronous answers pass through as they are, so a
 * synchronous storage still restores in the first step (SES-41); `lock` keeps the deadline its
 * caller gives it. A call that answers later may still take effect; nobody waits for it.
 */
export const withDeadline = <S extends object>(storage: S, ms: number, clock: Clock): S =>
  // A proxy rather than a copy: an adapter's methods may live on its prototype and use `this`.
  new Proxy(storage, {
    get(target, name) {
      const value = (target as Record<PropertyKey, any>)[name];
      if (name === 'coordination') return value && withDeadline(value, ms, clock);
      if (typeof value !== 'function' || name === 'lock') return value;
      return (...args: unknown[]) => {
        const answer = value.apply(target, args);
        return typeof answer?.then === 'function'
          ? new Promise((resolve, reject) => {
              const timer = clock.setTimeout(() => reject(new TapTalkError('95010')), timerDelay(ms));
              answer.then(resolve, reject).finally(() => clock.clearTimeout(timer));
            })
          : answer;
      };
    },
  });
