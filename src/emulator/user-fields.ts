/**
 * Validation of the Server API's user fields, with TapTalk's numbered field codes (reference E1).
 */
import { paramError } from './errors.js';
import type { UserProfile } from './users.js';

const DEVICE_FIELDS = [
  ['userIPAddress', '101'],
  ['userAgent', '102'],
  ['userPlatform', '103'],
  ['userDeviceID', '104'],
] as const;

const OPTIONAL_FIELDS = [
  ['email', '107'],
  ['phone', '108'],
  ['username', '109'],
  ['photoThumbnailURL', '110'],
  ['photoFullsizeURL', '111'],
  ['userRoleCode', '112'],
] as const;

const MAX_XC_USER_ID = 50;

function requiredString(body: Record<string, unknown>, name: string, field: string): string {
  const value = body[name];
  if (value === undefined || value === null || value === '') throw paramError(`Param '${name}' is required`, field);
  if (typeof value !== 'string') throw paramError(`Param '${name}' must be a string`, field);
  return value;
}

/** A validated user update: who, and the profile fields to store. */
export interface UserFields {
  xcUserID: string;
  profile: UserProfile;
}

/**
 * Validates fields 105–112 (the `/v1/server/user/update` body).
 *
 * @example
 * ```ts
 * validateUserFields({ xcUserID: 'alice', fullName: 'Alice' }).profile.fullName; // 'Alice'
 * ```
 */
export function validateUserFields(body: Record<string, unknown>): UserFields {
  const xcUserID = requiredString(body, 'xcUserID', '105');
  if (xcUserID.length > MAX_XC_USER_ID) throw paramError(`Param 'xcUserID' must be at most ${MAX_XC_USER_ID} characters`, '105');
  const profile: UserProfile = { fullName: requiredString(body, 'fullName', '106') };
  for (const [name, field] of OPTIONAL_FIELDS) {
    const value = body[name];
    if (value === undefined || value === null) continue;
    if (typeof value !== 'string') throw paramError(`Param '${name}' must be a string`, field);
    profile[name] = value;
  }
  return { xcUserID, profile };
}

/**
 * Validates an auth ticket request: device fields 101–104 first, then 105–112, so the first
 * missing field in the documented order is the one reported.
 *
 * @example
 * ```ts
 * validateTicketRequest({ userIPAddress: '1.2.3.4' }); // throws 40002 field '102'
 * ```
 */
export function validateTicketRequest(body: Record<string, unknown>): UserFields {
  for (const [name, field] of DEVICE_FIELDS) requiredString(body, name, field);
  return validateUserFields(body);
}
