/**
 * The persisted session: versioned plain JSON. No obfuscation (weakness 13): a hard-coded key
 * protects nothing, so the protection is the storage itself (file mode 0600, same-origin).
 */
import type { TapTalkUser } from '../../machines/session.types.js';
import { TapTalkError } from '../errors.js';
import { isNonEmptyString, isRecord } from '../protocol/record.js';

/** What is stored between runs: the tokens, the user and the clock skew at grant time. */
export interface StoredSession {
  accessToken: string;
  /** Server clock, epoch ms. */
  accessTokenExpiry: number;
  refreshToken: string;
  /** Server clock, epoch ms. */
  refreshTokenExpiry: number;
  user: TapTalkUser;
  /** Server clock minus local clock when the grant arrived. */
  skewMs: number;
  /**
   * Grows with every write, so siblings sharing the storage tell a newer session from an older
   * one (SES-86). Blobs written before it existed read as version 0.
   */
  version?: number;
}

/** Bump when the shape changes; older blobs are then reported unreadable, not misread. */
const VERSION = 1;

const isFiniteNumber = (value: unknown): value is number => typeof value === 'number' && Number.isFinite(value);

/** The stored fields, in the order they are written, each with the check its value must pass. */
const FIELDS: Record<Exclude<keyof StoredSession, 'version'>, (value: unknown) => boolean> = {
  accessToken: isNonEmptyString,
  accessTokenExpiry: isFiniteNumber,
  refreshToken: isNonEmptyString,
  refreshTokenExpiry: isFiniteNumber,
  user: (user) => isRecord(user) && isNonEmptyString(user.userID),
  skewMs: isFiniteNumber,
};

const FIELD_NAMES = Object.keys(FIELDS) as (keyof typeof FIELDS)[];

/** Copies the stored fields only, so nothing else is written or read back (decode checks them first). */
function storedFields(source: Partial<Record<keyof StoredSession, unknown>>): StoredSession {
  const fields = Object.fromEntries(FIELD_NAMES.map((name) => [name, source[name]])) as unknown as StoredSession;
  return source.version === undefined ? fields : { ...fields, version: source.version as number };
}

/**
 * Serialises a session as `{"v":1, ...fields}`.
 *
 * @example
 * ```ts
 * await storage.setItem(keys.session, encodeStoredSession(session));
 * ```
 */
export function encodeStoredSession(s: StoredSession): string {
  return JSON.stringify({ v: VERSION, ...storedFields(s) });
}

function unreadable(problem: string): TapTalkError {
  // Names the problem, never a value: the blob holds tokens.
  return new TapTalkError('95009', { message: `Stored session is unreadable and was ignored: ${problem}` });
}

/**
 * Reads a stored session. Never throws.
 *
 * @returns `null` when nothing is stored (`null` text); the session; or a `95009`
 *   {@link TapTalkError} for anything else: bad JSON, another version, a missing or mistyped
 *   field, a foreign blob such as the official SDK's obfuscated `TapTalk.UserData`.
 * @example
 * ```ts
 * const stored = decodeStoredSession(await storage.getItem(keys.session));
 * if (stored instanceof TapTalkError) report(stored);
 * ```
 */
export function decodeStoredSession(text: string | null): StoredSession | null | TapTalkError {
  if (text === null || text === undefined) return null;
  if (typeof text !== 'string') return unreadable('not a string');
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return unreadable('not JSON');
  }
  if (!isRecord(value)) return unreadable('not an object');
  if (value.v !== VERSION) return unreadable('unknown version');
  const bad = FIELD_NAMES.find((name) => !FIELDS[name](value[name]));
  if (bad) return unreadable(`bad ${bad}`);
  return value.version === undefined || isFiniteNumber(value.version) ? storedFields(value) : unreadable('bad version');
}
