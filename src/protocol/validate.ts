/**
 * Shape checks for the `data` the endpoints return. A 200 envelope with the wrong shape is a
 * server fault (`95002`), reported by field name, never by value (values may be tokens).
 */
import type { TapTalkUser, TokenGrant } from '../../machines/session.types.js';
import { TapTalkError } from '../errors.js';
import { isNonEmptyString, isRecord } from './record.js';

/** `data` of the project configs call (E6): three string maps. */
export interface ProjectConfigs {
  /** Limits such as `chatMediaMaxFileSize` (numeric strings, as TapTalk sends them). */
  core: Record<string, string>;
  /** Project switches such as `usernameIgnoreCase`. */
  project: Record<string, string>;
  /** The app's own keys from the dashboard. */
  custom: Record<string, string>;
}

function badShape(what: string): TapTalkError {
  // A well-formed envelope with malformed data will not fix itself on retry.
  return new TapTalkError('95002', { message: `Unexpected server data: ${what}`, status: 200, retryable: false });
}

/**
 * A user object with a non-empty string `userID` (Android's alias `id` is accepted and copied).
 *
 * @throws TapTalkError `95002` otherwise.
 * @example
 * ```ts
 * parseUser({ id: 'u1', fullname: 'Ann' }); // { id: 'u1', fullname: 'Ann', userID: 'u1' }
 * ```
 */
export function parseUser(value: unknown, what = 'user'): TapTalkUser {
  if (!isRecord(value)) throw badShape(`${what} is not an object`);
  const userID = isNonEmptyString(value.userID) ? value.userID : value.id;
  if (!isNonEmptyString(userID)) throw badShape(`${what} has no userID`);
  return { ...value, userID };
}

function nonEmptyString(data: Record<string, unknown>, key: string): string {
  const value = data[key];
  if (!isNonEmptyString(value)) throw badShape(`${key} is not a non-empty string`);
  return value;
}

function finiteNumber(data: Record<string, unknown>, key: string): number {
  const value = data[key];
  // Number.isFinite is false for anything that is not a number.
  if (!Number.isFinite(value)) throw badShape(`${key} is not a finite number`);
  return value as number;
}

/**
 * The `data` of E2/E4 as a {@link TokenGrant}, with the server time attached when known.
 *
 * @param serverTime - From the response `Date` header. @default none
 * @throws TapTalkError `95002` for a missing or mistyped field.
 * @example
 * ```ts
 * const grant = parseTokenGrant(result.data, result.serverTime);
 * ```
 */
export function parseTokenGrant(data: Record<string, unknown>, serverTime?: number): TokenGrant {
  const grant: TokenGrant = {
    accessToken: nonEmptyString(data, 'accessToken'),
    accessTokenExpiry: finiteNumber(data, 'accessTokenExpiry'),
    refreshToken: nonEmptyString(data, 'refreshToken'),
    refreshTokenExpiry: finiteNumber(data, 'refreshTokenExpiry'),
    user: parseUser(data.user),
  };
  if (serverTime !== undefined) grant.serverTime = serverTime;
  return grant;
}

function stringMap(value: unknown): Record<string, string> {
  const out: Record<string, string> = {};
  if (!isRecord(value)) return out;
  for (const [key, item] of Object.entries(value)) {
    // Android keeps these as strings; a server sending numbers or booleans means the same thing.
    if (typeof item === 'string') out[key] = item;
    else if (Number.isFinite(item) || typeof item === 'boolean') out[key] = String(item);
  }
  return out;
}

/**
 * The `data` of E6. Lenient on purpose: configs only tune limits, so a missing section becomes
 * `{}` and values that are neither strings, finite numbers nor booleans are dropped.
 *
 * @throws TapTalkError `95002` when a section is present but not an object.
 * @example
 * ```ts
 * parseProjectConfigs({ core: { roomMaxPinned: 10 } }); // { core: { roomMaxPinned: '10' }, project: {}, custom: {} }
 * ```
 */
export function parseProjectConfigs(data: Record<string, unknown>): ProjectConfigs {
  const configs: Partial<ProjectConfigs> = {};
  for (const key of ['core', 'project', 'custom'] as const) {
    const section = data[key];
    if (section !== undefined && section !== null && !isRecord(section)) throw badShape(`${key} is not an object`);
    configs[key] = stringMap(section);
  }
  return configs as ProjectConfigs;
}
