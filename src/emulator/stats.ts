/**
 * Counters behind {@link Emulator.stats}.
 */
import type { EmulatorStats } from './types.js';

/** The mutable counters; `openSockets` is computed from the socket registry at snapshot time. */
export type Counters = Omit<EmulatorStats, 'requests' | 'openSockets'>;

/**
 * Per-instance counters.
 *
 * @example
 * ```ts
 * const stats = new Stats();
 * stats.request('/connect?check=1');
 * stats.counters.refreshes++;
 * stats.snapshot(0).requests; // { '/connect?check=1': 1 }
 * ```
 */
export class Stats {
  readonly #requests = new Map<string, number>();
  readonly counters: Counters = {
    ticketsIssued: 0,
    ticketsExchanged: 0,
    refreshes: 0,
    logouts: 0,
    connectionsAccepted: 0,
    connectionsRefused: 0,
  };

  /** Counts one request to `key` (a pathname, `'/connect?check=1'` or `'ws:/connect'`). */
  request(key: string): void {
    this.#requests.set(key, (this.#requests.get(key) ?? 0) + 1);
  }

  /** A copy of the counters. */
  snapshot(openSockets: number): EmulatorStats {
    return { requests: Object.fromEntries(this.#requests), ...this.counters, openSockets };
  }
}

/**
 * The one key every request to a path with no route or page is counted under, so a caller
 * walking distinct paths cannot grow the counters without bound.
 */
export const UNROUTED = '(unrouted)';

/**
 * The stats key of a request: the pathname, except that the token probe is told apart from
 * other requests to `/connect`.
 *
 * @example
 * ```ts
 * requestKey('/connect', new URLSearchParams('check=1')); // '/connect?check=1'
 * ```
 */
export function requestKey(pathname: string, query: URLSearchParams): string {
  return pathname === '/connect' && query.get('check') === '1' ? '/connect?check=1' : pathname;
}
