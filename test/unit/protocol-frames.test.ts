import { describe, expect, it } from 'vitest';
import { TapTalkError } from '../../src/errors.js';
import { decodeFrames, encodeFrame } from '../../src/protocol/frames.js';

const line = (eventName: string, data: unknown = {}) => JSON.stringify({ eventName, data });
const bytes = (text: string) => new TextEncoder().encode(text);

describe('decodeFrames', () => {
  it('decodes one text frame', () => {
    expect(decodeFrames(line('user/status', { isOnline: true }))).toEqual({
      events: [{ eventName: 'user/status', data: { isOnline: true } }],
      errors: [],
    });
  });

  it('decodes binary UTF-8 from a Uint8Array and an ArrayBuffer', () => {
    const text = line('chat/sendMessage', { body: 'héllo 🌏' });
    const expected = [{ eventName: 'chat/sendMessage', data: { body: 'héllo 🌏' } }];
    expect(decodeFrames(bytes(text)).events).toEqual(expected);
    const buffer = bytes(text).buffer;
    expect(decodeFrames(buffer).events).toEqual(expected);
  });

  it('decodes a view into part of a larger buffer', () => {
    const whole = bytes(`xx${line('a')}yy`);
    const view = new DataView(whole.buffer, 2, whole.byteLength - 4);
    expect(decodeFrames(view).events).toEqual([{ eventName: 'a', data: {} }]);
  });

  it('splits batches on \\n and \\r\\n', () => {
    const { events, errors } = decodeFrames(`${line('a')}\n${line('b')}\r\n${line('c')}`);
    expect(events.map((e) => e.eventName)).toEqual(['a', 'b', 'c']);
    expect(errors).toEqual([]);
  });

  it('skips a trailing newline and empty or blank segments silently (weakness 11)', () => {
    const { events, errors } = decodeFrames(`\n${line('a')}\n\n   \n${line('b')}\n`);
    expect(events.map((e) => e.eventName)).toEqual(['a', 'b']);
    expect(errors).toEqual([]);
  });

  it('delivers the lines after a bad one, with one 95004 naming the line number', () => {
    const secretish = '{"eventName":"x","data":"token-abc123';
    const { events, errors } = decodeFrames([line('a'), secretish, line('b')].join('\n'));
    expect(events.map((e) => e.eventName)).toEqual(['a', 'b']);
    expect(errors).toHaveLength(1);
    expect(errors[0]).toBeInstanceOf(TapTalkError);
    expect(errors[0]?.code).toBe('95004');
    expect(errors[0]?.message).toContain('line 2');
    expect(errors[0]?.message).not.toContain('token-abc123');
  });

  it.each([
    ['an array', '[1,2]'],
    ['a number', '42'],
    ['null', 'null'],
    ['a missing eventName', '{"data":{}}'],
    ['an empty eventName', '{"eventName":"","data":{}}'],
    ['a numeric eventName', '{"eventName":7,"data":{}}'],
  ])('reports %s as 95004', (_name, bad) => {
    const { events, errors } = decodeFrames(`${bad}\n${line('ok')}`);
    expect(events).toEqual([{ eventName: 'ok', data: {} }]);
    expect(errors.map((e) => e.code)).toEqual(['95004']);
  });

  it('keeps a missing data as undefined', () => {
    expect(decodeFrames('{"eventName":"ping"}').events).toEqual([{ eventName: 'ping', data: undefined }]);
  });

  it('refuses an oversized frame whole with one 95003', () => {
    const big = line('a', { blob: 'x'.repeat(2000) });
    expect(decodeFrames(big, 1000)).toEqual({ events: [], errors: [expect.objectContaining({ code: '95003' })] });
    expect(decodeFrames(bytes(big), 1000).errors.map((e) => e.code)).toEqual(['95003']);
  });

  it('counts multi-byte characters against the limit', () => {
    const text = line('a', 'é'.repeat(400)); // ~420 characters, ~820 bytes
    expect(decodeFrames(text, 600).errors.map((e) => e.code)).toEqual(['95003']);
    expect(decodeFrames(text, 1000).events).toHaveLength(1);
  });

  it('defaults the limit to 1 MiB', () => {
    expect(decodeFrames(line('a', 'x'.repeat(1024 * 1024))).errors.map((e) => e.code)).toEqual(['95003']);
    expect(decodeFrames(line('a', 'x'.repeat(1000 * 1000))).events).toHaveLength(1);
  });

  it('reports an unsupported payload (a Blob) as 95004 instead of throwing', () => {
    const { events, errors } = decodeFrames(new Blob(['x']) as unknown as ArrayBuffer);
    expect(events).toEqual([]);
    expect(errors.map((e) => e.code)).toEqual(['95004']);
  });

  it('lets invalid UTF-8 spoil only its own line', () => {
    const good = bytes(`${line('a')}\n`);
    const bad = new Uint8Array([0xff, 0xfe, 0x0a]);
    const frame = new Uint8Array([...good, ...bad, ...bytes(line('b'))]);
    const { events, errors } = decodeFrames(frame);
    expect(events.map((e) => e.eventName)).toEqual(['a', 'b']);
    expect(errors).toHaveLength(1);
  });
});

describe('encodeFrame', () => {
  it('serialises {eventName, data}', () => {
    expect(encodeFrame('chat/startTyping', { roomID: 'r1' })).toBe('{"eventName":"chat/startTyping","data":{"roomID":"r1"}}');
  });

  it.each([[''], [undefined], [42]])('refuses the eventName %j with 95004', (name) => {
    expect(() => encodeFrame(name as string, {})).toThrow(expect.objectContaining({ code: '95004' }));
  });

  it('refuses circular data with 95004', () => {
    const data: Record<string, unknown> = {};
    data.self = data;
    expect(() => encodeFrame('a', data)).toThrow(expect.objectContaining({ code: '95004' }));
  });

  it('refuses BigInt data with 95004', () => {
    expect(() => encodeFrame('a', { n: 1n })).toThrow(TapTalkError);
  });
});
