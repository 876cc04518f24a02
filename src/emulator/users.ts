/**
 * The emulator's user directory: users are upserted by `xcUserID` (reference E1) and keep the
 * `userID` they got on first sight.
 */

/** Profile fields of the Server API (reference E1 fields 106–112). */
export interface UserProfile {
  fullName: string;
  email?: string;
  phone?: string;
  username?: string;
  photoThumbnailURL?: string;
  photoFullsizeURL?: string;
  userRoleCode?: string;
}

/** A stored user. */
export interface UserRecord extends UserProfile {
  userID: string;
  xcUserID: string;
  created: number;
  updated: number;
  /** Last ticket exchange (0 = never). */
  lastLogin: number;
}

/**
 * Per-instance user storage.
 *
 * @example
 * ```ts
 * const users = new UserDirectory();
 * users.upsert('alice', { fullName: 'Alice' }, Date.now()).userID; // '1001'
 * ```
 */
export class UserDirectory {
  readonly #byXcUserID = new Map<string, UserRecord>();
  readonly #byUserID = new Map<string, UserRecord>();
  #nextID = 1001;

  /** Creates the user or overwrites the profile fields given; returns the stored record. */
  upsert(xcUserID: string, profile: UserProfile, now: number): UserRecord {
    const existing = this.#byXcUserID.get(xcUserID);
    if (existing !== undefined) {
      Object.assign(existing, definedOnly(profile), { updated: now });
      return existing;
    }
    const user: UserRecord = { ...definedOnly(profile), fullName: profile.fullName, userID: String(this.#nextID++), xcUserID, created: now, updated: now, lastLogin: 0 };
    this.#byXcUserID.set(xcUserID, user);
    this.#byUserID.set(user.userID, user);
    return user;
  }

  /** The user with that emulator `userID`. */
  byUserID(userID: string): UserRecord | undefined {
    return this.#byUserID.get(userID);
  }

  /** The user with that customer-side `xcUserID`. */
  byXcUserID(xcUserID: string): UserRecord | undefined {
    return this.#byXcUserID.get(xcUserID);
  }
}

function definedOnly<T extends object>(value: T): Partial<T> {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as Partial<T>;
}
