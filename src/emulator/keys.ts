/**
 * App-Key / Server-Key handling: `base64("<id>:<secret>")` on the wire (reference §1.3, E1).
 */
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { ApiError } from './errors.js';
import type { KeyPair } from './types.js';

/**
 * The wire form of a key.
 *
 * @example
 * ```ts
 * encodeKey({ id: 'app', secret: 's3cret' }); // 'YXBwOnMzY3JldA=='
 * ```
 */
export function encodeKey(key: KeyPair): string {
  return Buffer.from(`${key.id}:${key.secret}`, 'utf8').toString('base64');
}

/**
 * Decodes a key header value; undefined when it is not base64 of `id:secret`. Accepts standard
 * and URL-safe alphabets, with or without padding, since clients differ.
 *
 * @example
 * ```ts
 * decodeKey('YXBwOnMzY3JldA=='); // { id: 'app', secret: 's3cret' }
 * ```
 */
export function decodeKey(value: string): KeyPair | undefined {
  const trimmed = value.trim();
  if (!/^[A-Za-z0-9+/_-]+={0,2}$/.test(trimmed)) return undefined;
  const text = Buffer.from(trimmed, 'base64').toString('utf8');
  const colon = text.indexOf(':');
  if (colon <= 0 || text.includes('\uFFFD')) return undefined;
  return { id: text.slice(0, colon), secret: text.slice(colon + 1) };
}

/** Constant-time string comparison (hashing first makes the lengths equal). */
function sameSecret(a: string, b: string): boolean {
  const digest = (s: string) => createHash('sha256').update(s).digest();
  return timingSafeEqual(digest(a), digest(b));
}

/**
 * Checks a presented key header against the expected key, throwing the 491xx code TapTalk uses.
 * `missing` is the error for an absent header (it differs between Server-Key and App-Key).
 *
 * @example
 * ```ts
 * verifyKey(req.headers['app-key'], appKey, new ApiError('49101', 'App-Key is required'), 'App-Key');
 * ```
 */
export function verifyKey(presented: string | undefined, expected: KeyPair, missing: ApiError, name: string): void {
  if (presented === undefined || presented.trim() === '') throw missing;
  const key = decodeKey(presented);
  if (key === undefined) throw new ApiError('49102', `Invalid ${name}`);
  if (key.id !== expected.id || !sameSecret(key.secret, expected.secret)) {
    throw new ApiError('49103', `${name} not found`);
  }
}

/**
 * A fresh random key pair for an emulator instance.
 *
 * @example
 * ```ts
 * generateKey('app'); // { id: 'app_3f9c2a1b', secret: '...' }
 * ```
 */
export function generateKey(prefix: string): KeyPair {
  return { id: `${prefix}_${randomBytes(4).toString('hex')}`, secret: randomBytes(24).toString('base64url') };
}
