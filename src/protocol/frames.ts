/**
 * The WebSocket frame codec (reference §2.3): `{"eventName": ..., "data": ...}` objects, several
 * per frame separated by newlines. Unlike the web SDK (weakness 11), one bad line costs only
 * that line, and empty segments are not errors.
 */
import { TapTalkError } from '../errors.js';

/** One decoded server event. */
export interface ServerEvent {
  /** `chat/sendMessage`, `user/status`, ... (never empty). */
  eventName: string;
  /** The event's payload, as sent (often an object; `undefined` when absent). */
  data: unknown;
}

/** Frames larger than this are refused whole. */
const DEFAULT_MAX_FRAME_BYTES = 1024 * 1024;

/** UTF-8 length of a string without encoding it. */
function utf8Length(text: string): number {
  let bytes = 0;
  for (let i = 0; i < text.length; i++) {
    const unit = text.charCodeAt(i);
    // A high surrogate before a low one is one 4-byte code point; the rest of the BMP and lone
    // surrogates (encoded as U+FFFD) take 3. Past the end, charCodeAt is NaN: not a low surrogate.
    bytes +=
      unit < 0x80 ? 1 : unit < 0x800 ? 2 : (unit & 0xfc00) === 0xd800 && (text.charCodeAt(i + 1) & 0xfc00) === 0xdc00 ? (i++, 4) : 3;
  }
  return bytes;
}

/**
 * The payload as text, `false` when it is over `maxBytes`, or undefined for an unsupported type
 * (a Blob).
 */
function toText(payload: unknown, maxBytes: number): string | false | undefined {
  if (typeof payload === 'string') {
    // Bytes are at least the UTF-16 length and at most three times it: count only in between.
    const size = payload.length > maxBytes ? payload.length : payload.length * 3 <= maxBytes ? 0 : utf8Length(payload);
    return size <= maxBytes && payload;
  }
  const bytes = ArrayBuffer.isView(payload)
    ? new Uint8Array(payload.buffer, payload.byteOffset, payload.byteLength)
    : // instanceof fails across realms (iframes, jsdom); the tag does not.
      Object.prototype.toString.call(payload) === '[object ArrayBuffer]'
      ? new Uint8Array(payload as ArrayBuffer)
      : undefined;
  // Not fatal: one invalid byte sequence should spoil one line, not the frame.
  return bytes && bytes.byteLength <= maxBytes && new TextDecoder().decode(bytes);
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function badLine(line: number, problem: string): TapTalkError {
  // The content is never echoed: it may carry message bodies or tokens.
  return new TapTalkError('95004', { message: `Invalid frame received on the socket: line ${line} ${problem}` });
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
    text.split(/\r?\n/).forEach((line, index) => {
      if (line.trim() === '') return;
      let value: unknown;
      try {
        value = JSON.parse(line);
      } catch {
        return errors.push(badLine(index + 1, 'is not JSON'));
      }
      if (!isRecord(value)) errors.push(badLine(index + 1, 'is not an object'));
      else if (typeof value.eventName !== 'string' || value.eventName === '') errors.push(badLine(index + 1, 'has no eventName'));
      else events.push({ eventName: value.eventName, data: value.data });
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
