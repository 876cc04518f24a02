/**
 * The switches the faults API sets and the server reads. Refuse windows use the real monotonic
 * clock, not `options.now`, so tests can move the token clock without ending a refuse window.
 */
import { performance } from 'node:perf_hooks';
import type { InjectedFailure } from './types.js';

interface Pending {
  failure: InjectedFailure;
  remaining: number;
}

/**
 * Per-instance fault switches.
 *
 * @example
 * ```ts
 * const state = new FaultState();
 * state.queueFailure('/connect', { status: 500, code: '50001' }, 2);
 * state.takeFailure('/connect?check=1', '/connect'); // { status: 500, code: '50001' }
 * ```
 */
export class FaultState {
  /** Added to every HTTP response and upgrade. @default 0 */
  latencyMs = 0;
  #refuseUntil = 0;
  #closeOnAcceptUntil = 0;
  readonly #failures = new Map<string, Pending[]>();

  /** Refuse upgrades for `ms` from now (0 or less ends a window). */
  refuseFor(ms: number): void {
    this.#refuseUntil = ms > 0 ? performance.now() + ms : 0;
  }

  /** Whether upgrades are being refused right now. */
  refusing(): boolean {
    return performance.now() < this.#refuseUntil;
  }

  /** Close every socket as soon as it is accepted, for `ms` from now (0 or less ends a window). */
  closeOnAcceptFor(ms: number): void {
    this.#closeOnAcceptUntil = ms > 0 ? performance.now() + ms : 0;
  }

  /** Whether accepted sockets are being closed at once right now. */
  closingOnAccept(): boolean {
    return performance.now() < this.#closeOnAcceptUntil;
  }

  /** Queues `failure` for the next `count` requests matching `path`. */
  queueFailure(path: string, failure: InjectedFailure, count: number): void {
    if (count <= 0) return;
    const queue = this.#failures.get(path) ?? [];
    queue.push({ failure: { ...failure }, remaining: count });
    this.#failures.set(path, queue);
  }

  /** Consumes the first queued failure matching any of `keys` (most specific key first). */
  takeFailure(...keys: string[]): InjectedFailure | undefined {
    for (const key of keys) {
      const queue = this.#failures.get(key);
      const head = queue?.[0];
      if (queue === undefined || head === undefined) continue;
      head.remaining -= 1;
      if (head.remaining <= 0) queue.shift();
      if (queue.length === 0) this.#failures.delete(key);
      return head.failure;
    }
    return undefined;
  }

  /** Latency, refuse and close-on-accept windows and queued failures off. */
  reset(): void {
    this.latencyMs = 0;
    this.#refuseUntil = 0;
    this.#closeOnAcceptUntil = 0;
    this.#failures.clear();
  }
}
