import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { TapTalkError } from '../../src/errors.js';
import { parseEnvelope } from '../../src/protocol/envelope.js';
import { decodeFrames, encodeFrame } from '../../src/protocol/frames.js';

const eventName = fc.string({ minLength: 1 });
/** Arbitrary text, valid frames and near-misses, glued with the separators the codec splits on. */
const noisyFrame = fc
  .array(
    fc.oneof(
      fc.string({ unit: 'binary' }),
      fc.json(),
      fc.tuple(fc.string(), fc.jsonValue({ maxDepth: 1 })).map(([n, d]) => JSON.stringify({ eventName: n, data: d })),
    ),
    { maxLength: 6 },
  )
  .chain((parts) => fc.constantFrom('\n', '\r\n', '\r', '').map((sep) => parts.join(sep)));

describe('frame codec properties', () => {
  it('decodeFrames never throws on arbitrary strings and every event has a non-empty string eventName', () => {
    fc.assert(
      fc.property(noisyFrame, fc.nat(4096), (text, max) => {
        const { events, errors } = decodeFrames(text, max);
        for (const event of events) expect(typeof event.eventName === 'string' && event.eventName !== '').toBe(true);
        for (const error of errors) expect(error).toBeInstanceOf(TapTalkError);
      }),
    );
  });

  it('decodeFrames never throws on arbitrary bytes', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 512 }), (data) => {
        const { events, errors } = decodeFrames(data);
        for (const event of events) expect(typeof event.eventName).toBe('string');
        for (const error of errors) expect(['95003', '95004']).toContain(error.code);
      }),
    );
  });

  it('encode then decode round-trips any JSON value, as text and as bytes', () => {
    fc.assert(
      fc.property(eventName, fc.jsonValue(), (name, data) => {
        const frame = encodeFrame(name, data);
        const expected = [{ eventName: name, data: JSON.parse(JSON.stringify(data)) }];
        expect(decodeFrames(frame, Number.POSITIVE_INFINITY)).toEqual({ events: expected, errors: [] });
        expect(decodeFrames(new TextEncoder().encode(frame), Number.POSITIVE_INFINITY).events).toEqual(expected);
      }),
    );
  });

  it('a batch of encoded frames joined by newlines decodes to the same events in order', () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(eventName, fc.jsonValue({ maxDepth: 2 })), { maxLength: 8 }), fc.constantFrom('\n', '\r\n'), (items, sep) => {
        const frame = items.map(([n, d]) => encodeFrame(n, d)).join(sep) + sep;
        const { events, errors } = decodeFrames(frame, Number.POSITIVE_INFINITY);
        expect(errors).toEqual([]);
        expect(events.map((e) => e.eventName)).toEqual(items.map(([n]) => n));
      }),
    );
  });
});

describe('envelope properties', () => {
  it('parseEnvelope never throws on arbitrary text and fails only with a TapTalkError', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 599 }), fc.oneof(fc.string(), fc.json()), (status, text) => {
        const result = parseEnvelope(status, text);
        if (result.ok) {
          expect(typeof result.data).toBe('object');
          expect(Array.isArray(result.data)).toBe(false);
        } else {
          expect(result.error).toBeInstanceOf(TapTalkError);
          expect(typeof result.error.code).toBe('string');
          expect(result.error.code).not.toBe('');
        }
      }),
    );
  });

  it('any envelope-shaped body with a non-empty code fails with exactly that code', () => {
    const body = fc.record({
      status: fc.integer({ min: 100, max: 599 }),
      error: fc.record({ code: fc.string({ minLength: 1 }), message: fc.string(), field: fc.string() }),
      data: fc.object(),
    });
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 599 }), body, (status, envelope) => {
        const result = parseEnvelope(status, JSON.stringify(envelope));
        expect(result.ok).toBe(false);
        if (!result.ok) {
          expect(result.error.code).toBe(envelope.error.code);
          expect(result.error.status).toBe(envelope.status);
          expect(result.error.message.length).toBeLessThanOrEqual(200 + 'Error '.length + envelope.error.code.length);
        }
      }),
    );
  });
});
