/**
 * The WebSocket frame codec (reference §2.3): `{"eventName": ..., "data": ...}` objects, several
 * per frame separated by newlines. Unlike the web SDK (weakness 11), one bad line costs only
 * that line, and empty segments are not errors.
 */
import { TapTalkError } from '../errors.js';
import { isRecord } from './record.js';

/** One decoded server event. */
export interface ServerEvent {
  /** `chat/sendMessage`, `user/status`, ... (never empty). */
  eventName: string;
  /** The event's payload, as sent (often an object; `undefined` when absent). */
  data: unknown;
}

/** Frames larger than this are refused whole. */
const DEFAULT_MAX_FRAME_BYTES = 1024 * 1024;

/**
 * The payload as text, `false` when it is over `maxBytes`, or undefined for an unsupported type
 * (a Blob).
 */
function toText(payload: unknown, maxBytes: number): string | false | undefined {
  if (typeof payload === 'string') {
    // Bytes are at least the UTF-16 length and at most three times it: encode only in between.
    const fits =
      payload.length * 3 <= maxBytes || (payload.length <= maxBytes && new TextEncoder().encode(payload).byteLength <= maxBytes);
    return fits && payload;
  }
  // instanceof fails across realms (iframes, jsdom); the tag does not.
  if (!ArrayBuffer.isView(payload) && Object.prototype.toString.call(payload) !== '[object ArrayBuffer]') return undefined;
  const bytes = payload as ArrayBuffer | ArrayBufferView;
  // TextDecoder reads any ArrayBuffer or view. Not fatal: one invalid byte sequence should spoil
  // one line, not the frame.
  return bytes.byteLength <= maxBytes && new TextDecoder().decode(bytes);
}

/**
 * One line as an event, or what is wrong with it. The content is never echoed: it may carry
 * message bodies or tokens.
 */
function decodeLine(line: string): ServerEvent | string {
  let value: unknown;
  try {
    value = JSON.parse(line);
  } catch {
    return 'is not JSON';
  }
  if (!isRecord(value)) return 'is not an object';
  if (typeof value.eventName !== 'string' || value.eventName === '') return 'has no eventName';
  return { eventName: value.eventName, data: value.data };
}

/**
 * Decodes one frame, text or binary UTF-8. Never throws: problems come back in `errors`
 * (`95003` for a frame over `maxBytes`, with no events; `95004` per bad line, naming the line
 * number), and every good line is delivered in order.
 *
 * @param maxBytes - Largest frame accepted. @default 1048576 (1 MiB)
 * @example
 * ```ts
 * const { events, errors } = decodeFrames('{"eventName":"user/status","data":{}}\n');
 * ```
 */
export function decodeFrames(
  payload: string | ArrayBuffer | ArrayBufferView,
  maxBytes: number = DEFAULT_MAX_FRAME_BYTES,
): { events: ServerEvent[]; errors: TapTalkError[] } {
  const events: ServerEvent[] = [];
  const errors: TapTalkError[] = [];
  const text = toText(payload, maxBytes);
  if (text === undefined) errors.push(new TapTalkError('95004', { message: 'Invalid frame received on the socket: unsupported payload type' }));
  else if (text === false) errors.push(new TapTalkError('95003', { message: `Frame exceeds the ${maxBytes}-byte limit` }));
  else
    // Split on \n alone: a \r left at a line's end is JSON whitespace, and a regex split scans every character.
    text.split('\n').forEach((line, index) => {
      if (line.trim() === '') return;
      const event = decodeLine(line);
      if (typeof event !== 'string') events.push(event);
      else errors.push(new TapTalkError('95004', { message: `Invalid frame received on the socket: line ${index + 1} ${event}` }));
    });
  return { events, errors };
}

/**
 * Encodes one client event as a text frame.
 *
 * @throws TapTalkError `95004` for an empty or non-string `eventName`, or `data` that
 *   `JSON.stringify` refuses (cycles, BigInt).
 * @example
 * ```ts
 * socket.send(encodeFrame('chat/startTyping', { roomID, user }));
 * ```
 */
export function encodeFrame(eventName: string, data: unknown): string {
  if (typeof eventName !== 'string' || eventName === '') {
    throw new TapTalkError('95004', { message: 'Invalid frame: eventName must be a non-empty string' });
  }
  try {
    return JSON.stringify({ eventName, data });
  } catch (cause) {
    throw new TapTalkError('95004', { message: 'Invalid frame: data is not serialisable as JSON', cause });
  }
}
