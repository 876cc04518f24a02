/**
 * Taking over what TapTalk's official web SDK left in storage, so that switching SDKs logs no one
 * out: its session `TapTalk.UserData` and its device id `tapTalk.DeviceID` (reference §3.7). The
 * tokens are bound to that device id, so both come over together.
 *
 * The official blob is obfuscated, not encrypted (weakness 13): AES-256-CBC with a zero IV under a
 * key derived from a constant published in every official SDK, base64, with one salt character
 * inserted and the digit that places it in front. Reading it needs WebCrypto; the blob is removed
 * once our own session is stored, and nothing read from it reaches a log or an error message.
 */
import { TapTalkError } from '../errors.js';
import { decodeStoredSession, encodeStoredSession, type StoredSession } from './session-codec.js';
import type { StorageAdapter } from './types.js';

/** The official SDK's storage keys (its source: `localStorage.setItem('TapTalk.UserData', ...)`). */
const OFFICIAL_KEYS = { session: 'TapTalk.UserData', device: 'tapTalk.DeviceID' } as const;

/**
 * `KEY_PASSWORD_ENCRYPTOR` of the official web, Android and iOS SDKs: a public constant that
 * anyone holding an SDK can read, which is why the blob it guards is obfuscated, not secret.
 */
const OFFICIAL_PASSWORD = 'kHT0sVGIKKpnlJE5BNkINYtuf19u6+Kk811iMuWQ5tM';

type Value = string | null;
type MaybePromise<T> = T | Promise<T>;

/** `fn` after `value`, staying synchronous when `value` is, so a sync storage still preloads at once. */
function then<T, R>(value: MaybePromise<T>, fn: (value: T) => MaybePromise<R>): MaybePromise<R> {
  return typeof (value as { then?: unknown })?.then === 'function' ? Promise.resolve(value).then(fn) : fn(value as T);
}

function unreadable(problem: string): TapTalkError {
  return new TapTalkError('95009', { message: `The official SDK's stored session is unreadable and was ignored: ${problem}` });
}

/**
 * Our stored session made from the official blob: the salt character removed, the rest decrypted
 * with the official SDKs' derived key. Rejects with `95009` naming the problem, never a value.
 */
async function convert(blob: string): Promise<string> {
  const subtle = globalThis.crypto?.subtle;
  if (!subtle) throw unreadable('no WebCrypto here (an insecure context?)');
  const digit = Number(blob[0]);
  const length = blob.length - 2;
  const at = ((length + digit) * digit) % length;
  // The key is SHA-256 of the constant's first 16 characters and its characters 8..24 reversed.
  const password = OFFICIAL_PASSWORD.slice(0, 16) + [...OFFICIAL_PASSWORD.slice(8, 24)].reverse().join('');
  let text: string;
  try {
    const raw = await subtle.digest('SHA-256', new TextEncoder().encode(password));
    const key = await subtle.importKey('raw', raw, 'AES-CBC', false, ['decrypt']);
    const bytes = Uint8Array.from(atob(blob.slice(1, at + 1) + blob.slice(at + 2)), (c) => c.charCodeAt(0));
    const official = JSON.parse(new TextDecoder().decode(await subtle.decrypt({ name: 'AES-CBC', iv: new Uint8Array(16) }, key, bytes))) as StoredSession;
    // The official SDK keeps the grant as the server sent it; the server's clock is all we know.
    text = encodeStoredSession({ ...official, skewMs: 0 });
  } catch {
    throw unreadable('it does not decrypt to JSON');
  }
  if (decodeStoredSession(text) instanceof TapTalkError) throw unreadable('no usable session in it');
  return text;
}

/**
 * `storage` as the session sees it: while our own session or device id is missing, the official
 * SDK's is taken over, once per session instance. The session key then reads as the converted
 * session (stored under our key, and the official blob removed, before it is returned), or
 * rejects with `95009` when the blob cannot be read (the blob is then left as it is).
 *
 * @param keys - our own session and device keys.
 * @example
 * ```ts
 * const storage = adoptOfficialSession(webStorage(), storageKeys(appID));
 * ```
 */
export function adoptOfficialSession(storage: StorageAdapter, keys: { session: string; device: string }): StorageAdapter {
  let tried = false;
  const adopt = (ours: Value): MaybePromise<Value> => {
    if (ours !== null || tried) return ours;
    tried = true;
    return then(storage.getItem(OFFICIAL_KEYS.session), async (blob) => {
      if (blob === null) return null;
      const text = await convert(blob);
      await storage.setItem(keys.session, text);
      await storage.removeItem(OFFICIAL_KEYS.session);
      return text;
    });
  };
  const adoptDevice = (ours: Value): MaybePromise<Value> =>
    ours ?? then(storage.getItem(OFFICIAL_KEYS.device), (id) => (id === null ? null : then(storage.setItem(keys.device, id), () => id)));
  return {
    getItem(key) {
      const ours = storage.getItem(key);
      if (key === keys.session) return then(ours, adopt);
      return key === keys.device ? then(ours, adoptDevice) : ours;
    },
    setItem: (key, value) => storage.setItem(key, value),
    removeItem: (key) => storage.removeItem(key),
    // Siblings on the storage still follow each other (SES-80): the take-over is a first read only.
    ...(storage.coordination ? { coordination: storage.coordination } : {}),
  };
}
