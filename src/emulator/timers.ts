/**
 * The emulator's real-time timers (pings, latency), all cancellable by one `clearAll()` so that
 * `close()` leaves nothing that keeps the process alive.
 */

/**
 * Per-instance timer registry.
 *
 * @example
 * ```ts
 * const timers = new Timers();
 * await timers.sleep(50);
 * timers.clearAll();
 * ```
 */
export class Timers {
  readonly #sleeps = new Map<NodeJS.Timeout, () => void>();
  readonly #intervals = new Set<NodeJS.Timeout>();
  #cleared = false;

  /** Resolves after `ms` (at once for `ms <= 0` or after clearAll, which also wakes pending sleeps). */
  sleep(ms: number): Promise<void> {
    if (ms <= 0 || this.#cleared) return Promise.resolve();
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        this.#sleeps.delete(timer);
        resolve();
      }, ms);
      this.#sleeps.set(timer, resolve);
    });
  }

  /** Runs `fn` every `ms`; unref'd, since an idle emulator must not keep the process alive. */
  every(ms: number, fn: () => void): void {
    if (this.#cleared) return;
    const timer = setInterval(fn, ms);
    timer.unref();
    this.#intervals.add(timer);
  }

  /** Stops every interval and resolves every pending sleep. */
  clearAll(): void {
    this.#cleared = true;
    for (const timer of this.#intervals) clearInterval(timer);
    this.#intervals.clear();
    for (const [timer, resolve] of this.#sleeps) {
      clearTimeout(timer);
      resolve();
    }
    this.#sleeps.clear();
  }
}
