import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { TapTalkError } from '../../src/errors.js';
import { decodeStoredSession, encodeStoredSession, type StoredSession } from '../../src/storage/session-codec.js';

const session: StoredSession = {
  accessToken: 'access-SECRET-1',
  accessTokenExpiry: 1_800_000_000_000,
  refreshToken: 'refresh-SECRET-1',
  refreshTokenExpiry: 1_900_000_000_000,
  user: { userID: 'u1', xcUserID: 'x1', fullname: 'Ann', imageURL: { thumbnail: '', fullsize: '' } },
  skewMs: -1234,
};

const stored = (overrides: Record<string, unknown>) => JSON.stringify({ ...JSON.parse(encodeStoredSession(session)), ...overrides });

describe('session codec', () => {
  it('round-trips a session', () => {
    expect(decodeStoredSession(encodeStoredSession(session))).toEqual(session);
  });

  it('writes a version field', () => {
    expect(JSON.parse(encodeStoredSession(session))).toMatchObject({ v: 1 });
  });

  it('ignores extra fields instead of copying them back', () => {
    expect(decodeStoredSession(stored({ logout: false }))).toEqual(session);
  });

  it('reads null as nothing stored', () => {
    expect(decodeStoredSession(null)).toBeNull();
  });

  it.each([
    ['an empty string', ''],
    ['corrupt JSON', '{"v":1,"accessToken":"a'],
    ['a JSON array', '[]'],
    ['JSON null', 'null'],
    ['a foreign blob (the official SDK obfuscated TapTalk.UserData)', '7U2FsdGVkX1+vupppZksvRf5pq5g5XjFRlipRkwB0K1Y='],
    ['another version', stored({ v: 2 })],
    ['no version', stored({ v: undefined })],
    ['a missing access token', stored({ accessToken: undefined })],
    ['an empty refresh token', stored({ refreshToken: '' })],
    ['a string expiry', stored({ accessTokenExpiry: '1800000000000' })],
    ['a missing refresh expiry', stored({ refreshTokenExpiry: undefined })],
    ['a missing skew', stored({ skewMs: undefined })],
    ['a user without userID', stored({ user: { fullname: 'Ann' } })],
    ['a user that is a string', stored({ user: 'u1' })],
  ])('reports %s as 95009 without echoing tokens', (_name, text) => {
    const result = decodeStoredSession(text);
    expect(result).toBeInstanceOf(TapTalkError);
    expect((result as TapTalkError).code).toBe('95009');
    expect(String(result)).not.toContain('SECRET');
  });

  it('never throws, whatever the text', () => {
    fc.assert(
      fc.property(fc.oneof(fc.string(), fc.json(), fc.constant(encodeStoredSession(session))), (text) => {
        const result = decodeStoredSession(text);
        expect(result === null || result instanceof TapTalkError || typeof result.accessToken === 'string').toBe(true);
      }),
    );
  });

  it('round-trips any well-formed session', () => {
    const token = fc.string({ minLength: 1 });
    const finite = fc.double({ noNaN: true, noDefaultInfinity: true }).map((n) => (Object.is(n, -0) ? 0 : n));
    const arbitrarySession = fc.record({
      accessToken: token,
      accessTokenExpiry: finite,
      refreshToken: token,
      refreshTokenExpiry: finite,
      user: fc.record({ userID: token, fullname: fc.string() }),
      skewMs: finite,
    });
    fc.assert(
      fc.property(arbitrarySession, (s) => {
        expect(decodeStoredSession(encodeStoredSession(s))).toEqual(s);
      }),
    );
  });
});
