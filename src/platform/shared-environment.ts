/**
 * One environment watcher for all the sessions of a process: the platform's source is started for
 * the first listener and stopped after the last, and each event goes to every listener. A process
 * with thousands of sessions then keeps one sleep-detector timer, not one per session.
 */
import type { EnvironmentEvent, EnvironmentSource } from './ports.js';

/**
 * Shares `source` among its listeners. Each call makes a new shared watcher (a platform makes one
 * for its sessions); nothing is kept at module level.
 *
 * @example
 * ```ts
 * const environment = shareEnvironment((emit) => watchSleep(emit));
 * const stop = environment((event) => console.log(event.type)); // starts the detector
 * stop(); // the last listener gone: the detector stops
 * ```
 */
export function shareEnvironment(source: EnvironmentSource): EnvironmentSource {
  const listeners = new Set<(event: EnvironmentEvent) => void>();
  let stopSource: (() => void) | undefined;
  return (emit) => {
    // A wrapper per listener, so the same function added twice is two listeners, as with a source of its own.
    const listener = (event: EnvironmentEvent) => emit(event);
    listeners.add(listener);
    // A listener added by an earlier one's event hears the next event, not this one (a copy is walked).
    stopSource ??= source((event) => [...listeners].forEach((l) => listeners.has(l) && l(event)));
    return () => {
      if (!listeners.delete(listener) || listeners.size > 0) return;
      const stop = stopSource;
      stopSource = undefined;
      stop?.();
    };
  };
}
