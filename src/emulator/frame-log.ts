/**
 * The log behind {@link Emulator.received}, bounded so a long load test cannot exhaust memory.
 */
import type { ReceivedFrame } from './types.js';

/**
 * Keeps the newest `limit` frames, oldest first.
 *
 * @param limit - frames kept. @default 10_000
 * @example
 * ```ts
 * const log = new FrameLog();
 * log.push({ xcUserID: 'a', userID: '1001', eventName: 'chat/startTyping', data: {}, at: 0 });
 * log.list().length; // 1
 * ```
 */
export class FrameLog {
  readonly #frames: ReceivedFrame[] = [];
  readonly #limit: number;

  constructor(limit = 10_000) {
    this.#limit = limit;
  }

  push(frame: ReceivedFrame): void {
    this.#frames.push(frame);
    if (this.#frames.length > this.#limit) this.#frames.splice(0, this.#frames.length - this.#limit);
  }

  /** A copy, oldest first. */
  list(): ReceivedFrame[] {
    return [...this.#frames];
  }
}
