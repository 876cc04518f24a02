/**
 * The WebSocket frame format (reference §2.3): UTF-8 JSON `{"eventName":..,"data":..}`, several
 * per frame separated by `\n` (Android also tolerates `\r\n`).
 */
import type { RawData } from 'ws';

/** One decoded event. */
export interface FrameEvent {
  eventName: string;
  data: unknown;
  /** Length of the event's line: what recording it costs against the byte bound of `received()`. */
  size: number;
}

/** The bytes of a ws message, whatever `binaryType` produced. */
export function rawText(raw: RawData): string {
  if (Array.isArray(raw)) return Buffer.concat(raw).toString('utf8');
  if (raw instanceof ArrayBuffer) return Buffer.from(raw).toString('utf8');
  return raw.toString('utf8');
}

/**
 * Splits a frame into events, skipping empty lines and lines that are not `{eventName}` JSON
 * (one bad line must not cost the others, unlike the web SDK's parser: weakness 11).
 *
 * @example
 * ```ts
 * decodeFrames('{"eventName":"a"}\r\n\n{"eventName":"b","data":1}'); // two events
 * ```
 */
export function decodeFrames(text: string): FrameEvent[] {
  const events: FrameEvent[] = [];
  for (const line of text.split(/\r?\n/)) {
    if (line.trim() === '') continue;
    let value: unknown;
    try {
      value = JSON.parse(line);
    } catch {
      continue;
    }
    if (typeof value !== 'object' || value === null) continue;
    const { eventName, data } = value as { eventName?: unknown; data?: unknown };
    if (typeof eventName === 'string' && eventName !== '') events.push({ eventName, data, size: line.length });
  }
  return events;
}

/**
 * One server event as frame bytes, sent as a binary frame: the mobile SDKs only read binary.
 *
 * @example
 * ```ts
 * ws.send(encodeFrame('user/status', { isOnline: true }), { binary: true });
 * ```
 */
export function encodeFrame(eventName: string, data: unknown): Buffer {
  return Buffer.from(JSON.stringify({ eventName, data }), 'utf8');
}

/**
 * Several server events as one frame's bytes: one JSON object per line, joined by `\n`, with no
 * empty segment and no trailing newline (reference §2.3, checklist 5).
 *
 * @throws TypeError for an empty batch (the server never sends an empty frame).
 * @example
 * ```ts
 * encodeFrames([{ eventName: 'a', data: 1 }, { eventName: 'b', data: 2 }]).toString(); // '{"eventName":"a","data":1}\n{"eventName":"b","data":2}'
 * ```
 */
export function encodeFrames(events: readonly Pick<FrameEvent, 'eventName' | 'data'>[]): Buffer {
  if (events.length === 0) throw new TypeError('a batch needs at least one event');
  return Buffer.from(events.map(({ eventName, data }) => JSON.stringify({ eventName, data })).join('\n'), 'utf8');
}
