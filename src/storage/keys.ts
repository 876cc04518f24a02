/**
 * Storage key names. One place, so the session code and tests cannot drift apart.
 */

/** Prefix of every key we write; TapTalk's SDKs use `TapTalk.` / `tapTalk.`, so no clash. */
const PREFIX = 'taptalk-session';

/**
 * Keys for one namespace (usually the app id). The device id key has no namespace on purpose:
 * one browser or machine is one device, whatever the app or user.
 *
 * @example
 * ```ts
 * storageKeys('app1'); // { session: 'taptalk-session:app1:session', device: 'taptalk-session:device' }
 * ```
 */
export function storageKeys(namespace: string): { session: string; device: string } {
  return { session: `${PREFIX}:${namespace}:session`, device: `${PREFIX}:device` };
}
