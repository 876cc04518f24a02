/**
 * The frames of part `frames`: a burst of server events of one exact size each, cut into frames of
 * `perFrame` events (1: one event per frame; more: `\n`-separated batches), and the plain client's
 * parser, which reads them as a hand-written client would.
 */

/** One server event as the emulator sends it. */
export interface BurstEvent {
  eventName: string;
  data: { roomID: string; localID: string; body: string };
}

const EVENT_NAME = 'chat/sendMessage';

/**
 * `count` events whose JSON line (`{"eventName":..,"data":..}`) is exactly `lineBytes` bytes of
 * UTF-8 each, numbered in `localID`, the body padded with ASCII to the size.
 *
 * @throws RangeError when `lineBytes` is too small for the envelope and the number.
 */
export function burstEvents(count: number, lineBytes: number): BurstEvent[] {
  const events: BurstEvent[] = [];
  for (let i = 0; i < count; i++) {
    const bare = { eventName: EVENT_NAME, data: { roomID: 'bench-room', localID: String(i), body: '' } };
    const pad = lineBytes - Buffer.byteLength(JSON.stringify(bare));
    if (pad < 0) throw new RangeError(`a line of ${lineBytes} bytes cannot hold event ${i}`);
    bare.data.body = 'x'.repeat(pad);
    events.push(bare);
  }
  return events;
}

/** `events` cut into consecutive frames of `perFrame` events (the last may hold fewer). */
export function batches<T>(events: readonly T[], perFrame: number): T[][] {
  if (!Number.isInteger(perFrame) || perFrame < 1) throw new RangeError(`perFrame must be a positive integer, got ${perFrame}`);
  const out: T[][] = [];
  for (let i = 0; i < events.length; i += perFrame) out.push(events.slice(i, i + perFrame));
  return out;
}

/**
 * What a hand-written `ws` client does with a frame: the bytes as UTF-8, split on `\n`, each line
 * `JSON.parse`d and kept when it has a string `eventName`. Calls `onEvent` per event; returns how
 * many there were.
 */
export function plainParse(data: Buffer | ArrayBuffer | Buffer[], onEvent: (event: { eventName: string; data: unknown }) => void): number {
  const text = Array.isArray(data) ? Buffer.concat(data).toString('utf8') : Buffer.isBuffer(data) ? data.toString('utf8') : Buffer.from(data).toString('utf8');
  let n = 0;
  for (const line of text.split('\n')) {
    if (line === '') continue;
    const value = JSON.parse(line) as { eventName?: unknown; data?: unknown };
    if (typeof value.eventName !== 'string') continue;
    onEvent({ eventName: value.eventName, data: value.data });
    n++;
  }
  return n;
}
