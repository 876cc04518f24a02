/** The default {@link Clock}: the runtime's monotonic time and its global timers. */
import type { Clock } from './ports.js';

/** The default clock: monotonic `now` (so a device clock change cannot move a refresh), global timers. */
export function systemClock(): Clock {
  // performance.now() is monotonic; adding timeOrigin keeps it close to epoch ms for readability.
  const origin = performance.timeOrigin;
  return {
    now: () => origin + performance.now(),
    setTimeout: (fn, ms) => setTimeout(fn, ms),
    clearTimeout: (id) => clearTimeout(id as ReturnType<typeof setTimeout>),
  };
}
