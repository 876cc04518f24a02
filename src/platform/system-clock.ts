/** The default {@link Clock}: the runtime's monotonic time and its global timers. */
import type { Clock } from './ports.js';

/** The default clock: monotonic `now` (so a device clock change cannot move a refresh), global timers. */
export function systemClock(): Clock {
  // performance.now() is monotonic; anchored to the wall clock once, it reads close to epoch ms.
  // The anchor is taken here, not from `performance.timeOrigin`, which Hermes (React Native) lacks;
  // an engine without `performance` at all gets the wall clock.
  const perf = (globalThis as { performance?: { now?: () => number } }).performance;
  const monotonic = typeof perf?.now === 'function' ? () => perf.now!() : Date.now;
  const origin = Date.now() - monotonic();
  return {
    now: () => origin + monotonic(),
    setTimeout: (fn, ms) => setTimeout(fn, ms),
    clearTimeout: (id) => clearTimeout(id as ReturnType<typeof setTimeout>),
  };
}
