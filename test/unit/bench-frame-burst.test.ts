/**
 * The bench's frame helpers (test/bench/lib/frame-burst.ts): events of an exact size, cut into
 * frames, and the plain client's parser. The frames part compares rates only if both sides get
 * the same bytes and count the same events.
 */
import { describe, expect, it } from 'vitest';
import { encodeFrames } from '../../src/emulator/frames.js';
import { batches, burstEvents, plainParse } from '../bench/lib/frame-burst.js';

describe('the bench frame burst', () => {
  it('makes events whose JSON line is exactly the asked size, numbered in order', () => {
    const events = burstEvents(12, 1024);
    expect(events.map((e) => Buffer.byteLength(JSON.stringify(e)))).toEqual(new Array(12).fill(1024));
    expect(events.map((e) => e.data.localID)).toEqual(Array.from({ length: 12 }, (_, i) => String(i)));
    expect(() => burstEvents(1, 40)).toThrow(RangeError);
  });

  it('cuts a burst into frames of perFrame events, the last holding the rest, and refuses a size below one', () => {
    const cut = batches([1, 2, 3, 4, 5, 6, 7], 3);
    expect(cut).toEqual([[1, 2, 3], [4, 5, 6], [7]]);
    expect(batches([1, 2], 1)).toEqual([[1], [2]]);
    expect(() => batches([1], 0)).toThrow(RangeError);
    expect(() => batches([1], 1.5)).toThrow(RangeError);
  });

  it('parses each event of a single or batched frame, text or binary, as the emulator encodes it', () => {
    const events = burstEvents(10, 256);
    const seen: unknown[] = [];
    let total = 0;
    for (const frame of batches(events, 4)) {
      const bytes = encodeFrames(frame);
      total += plainParse(bytes, (e) => seen.push(e));
      total += plainParse(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer, () => {});
    }
    expect(total).toBe(20);
    expect(seen).toEqual(events);
    expect(plainParse(Buffer.from('{"no":1}\n{"eventName":"a","data":2}'), () => {})).toBe(1);
  });
});
