/**
 * The log behind {@link Emulator.recorded} (option `record`): what clients sent, so a test can
 * compare two clients on the wire. Bounded like the frame log.
 */
import type { IncomingHttpHeaders } from 'node:http';
import type { RecordedRequest } from './types.js';

/**
 * Keeps the newest `limit` requests, oldest first.
 *
 * @param limit - requests kept. @default 10_000
 * @example
 * ```ts
 * const log = new RequestLog();
 * log.push('GET', new URL('http://x/connect?check=1'), {}, '');
 * log.list()[0].path; // '/connect'
 * ```
 */
export class RequestLog {
  readonly #requests: RecordedRequest[] = [];
  readonly #limit: number;

  constructor(limit = 10_000) {
    this.#limit = limit;
  }

  push(method: string, url: URL, headers: IncomingHttpHeaders, body: string): void {
    const flat = Object.fromEntries(Object.entries(headers).map(([name, value]) => [name, Array.isArray(value) ? value.join(', ') : String(value)]));
    this.#requests.push({ method, path: url.pathname, query: [...url.searchParams], headers: flat, body });
    if (this.#requests.length > this.#limit) this.#requests.splice(0, this.#requests.length - this.#limit);
  }

  /** A copy, oldest first. */
  list(): RecordedRequest[] {
    return [...this.#requests];
  }
}
