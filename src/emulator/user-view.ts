/**
 * The user object clients receive (reference E2: Android `TAPUserModel`). Note `fullname` with a
 * lower-case n, unlike the Server API's `fullName`.
 */
import type { UserRecord } from './users.js';

function roleName(code: string): string {
  return code === '' ? '' : code.charAt(0).toUpperCase() + code.slice(1);
}

/**
 * Renders a stored user for a client.
 *
 * @param isOnline - whether the user has an open socket. @default false
 * @example
 * ```ts
 * publicUser(users.byUserID('1001')!, true).fullname;
 * ```
 */
export function publicUser(user: UserRecord, isOnline = false): Record<string, unknown> {
  const roleCode = user.userRoleCode ?? 'user';
  return {
    userID: user.userID,
    xcUserID: user.xcUserID,
    fullname: user.fullName,
    email: user.email ?? '',
    phone: user.phone ?? '',
    phoneWithCode: user.phone ?? '',
    username: user.username ?? '',
    bio: '',
    imageURL: { thumbnail: user.photoThumbnailURL ?? '', fullsize: user.photoFullsizeURL ?? '' },
    userRole: { code: roleCode, name: roleName(roleCode), iconURL: '' },
    lastLogin: user.lastLogin,
    lastActivity: user.updated,
    requireChangePassword: false,
    created: user.created,
    updated: user.updated,
    deleted: 0,
    isRequestPending: false,
    isRequestAccepted: true,
    isEmailVerified: false,
    isPhoneVerified: false,
    isOnline,
    countryID: 0,
    countryCallingCode: '',
  };
}
