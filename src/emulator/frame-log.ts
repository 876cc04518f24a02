/**
 * The log behind {@link Emulator.received}, bounded by count and by size so a long load test or
 * a flood of large frames cannot exhaust memory.
 */
import type { ReceivedFrame } from './types.js';

/** Frame text kept at most, summed over the kept frames (the newest win). */
export const RECEIVED_MAX_BYTES = 16 * 1_048_576;

/**
 * Keeps the newest frames, oldest first: at most `limit` of them and at most `maxBytes` of frame
 * text (a frame is charged the length of its line).
 *
 * @param limit - frames kept. @default 10_000
 * @param maxBytes - frame text kept. @default RECEIVED_MAX_BYTES
 * @example
 * ```ts
 * const log = new FrameLog();
 * log.push({ xcUserID: 'a', userID: '1001', eventName: 'chat/startTyping', data: {}, at: 0 }, 60);
 * log.list().length; // 1
 * ```
 */
export class FrameLog {
  readonly #frames: { frame: ReceivedFrame; size: number }[] = [];
  readonly #limit: number;
  readonly #maxBytes: number;
  #bytes = 0;

  constructor(limit = 10_000, maxBytes = RECEIVED_MAX_BYTES) {
    this.#limit = limit;
    this.#maxBytes = maxBytes;
  }

  push(frame: ReceivedFrame, size: number): void {
    this.#frames.push({ frame, size });
    this.#bytes += size;
    let drop = 0;
    let bytes = this.#bytes;
    while (drop < this.#frames.length - 1 && (this.#frames.length - drop > this.#limit || bytes > this.#maxBytes)) {
      bytes -= this.#frames[drop]!.size;
      drop++;
    }
    if (drop > 0) this.#frames.splice(0, drop);
    this.#bytes = bytes;
  }

  /** A copy, oldest first. */
  list(): ReceivedFrame[] {
    return this.#frames.map((entry) => entry.frame);
  }
}
