/**
 * The simulated clock of a scenario: the session's timers run on it and the emulator's token
 * lifetimes read it, so hours pass in a step and a failure replays the same way.
 */
import type { Clock } from '../index.js';

interface Timer {
  at: number;
  fn: () => void;
}

/** 2030-01-01T00:00:00Z: a fixed start, so a replay sees the very same times. */
const START = Date.UTC(2030, 0, 1);

/**
 * A {@link Clock} that only moves when told. Unlike xstate's `SimulatedClock` it says when its
 * next timer is due, so the runner can let time pass timer by timer with I/O in between, as it
 * passes for a live process.
 *
 * @example
 * ```ts
 * const clock = new ScenarioClock();
 * clock.setTimeout(() => console.log('fired'), 1_000);
 * clock.fireNext(clock.now() + 5_000); // logs 'fired'; clock.now() is 1 s later
 * ```
 */
export class ScenarioClock implements Clock {
  #now: number;
  #nextId = 1;
  readonly #timers = new Map<number, Timer>();

  /** @param start - The first reading, epoch ms. @default 2030-01-01T00:00:00Z */
  constructor(start: number = START) {
    this.#now = start;
  }

  /** The current reading, epoch ms. */
  now(): number {
    return this.#now;
  }

  /** Schedules `fn` after `ms` of simulated time (a negative or non-finite `ms` counts as 0). */
  setTimeout(fn: (...args: unknown[]) => void, ms: number): number {
    const id = this.#nextId++;
    this.#timers.set(id, { at: this.#now + (Number.isFinite(ms) && ms > 0 ? ms : 0), fn: () => fn() });
    return id;
  }

  clearTimeout(id: unknown): void {
    this.#timers.delete(id as number);
  }

  /** How many timers are scheduled. */
  get pending(): number {
    return this.#timers.size;
  }

  /** The ids of the scheduled timers (to tell whose they are). */
  timerIds(): number[] {
    return [...this.#timers.keys()];
  }

  /** When the earliest timer is due, or `undefined` when none is scheduled. */
  nextDue(): number | undefined {
    let due: number | undefined;
    for (const t of this.#timers.values()) if (due === undefined || t.at < due) due = t.at;
    return due;
  }

  /**
   * Fires the earliest timer if it is due by `limit`, moving the clock to its time (never back).
   * Returns whether one fired. Timers due at the same time fire in the order they were set.
   */
  fireNext(limit: number): boolean {
    let next: [number, Timer] | undefined;
    for (const entry of this.#timers) if (next === undefined || entry[1].at < next[1].at) next = entry;
    if (next === undefined || next[1].at > limit) return false;
    this.#timers.delete(next[0]);
    this.#now = Math.max(this.#now, next[1].at);
    next[1].fn();
    return true;
  }

  /**
   * Fires every timer due by `limit` (those set meanwhile too, if due), in order, as xstate's
   * `SimulatedClock.set` does; at most `max` of them (a guard against a timer loop). Returns how
   * many fired.
   */
  fireDue(limit: number, max = Number.POSITIVE_INFINITY): number {
    let fired = 0;
    while (fired < max && this.fireNext(limit)) fired++;
    return fired;
  }

  /** Moves the clock to `time` without firing anything (a later {@link fireNext} fires what is due, late). */
  set(time: number): void {
    if (time < this.#now) throw new RangeError('A ScenarioClock never goes back');
    this.#now = time;
  }
}
