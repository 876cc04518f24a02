/**
 * A stable `Device-Identifier`: read from storage, created and stored on first use. Storage I/O,
 * so it runs only in the session's effects (src/actors/effects.ts), never in the session itself.
 */
import type { StorageAdapter } from '../storage/types.js';

/** The id's shape: `x` is a random hex digit, `y` a random one of the UUID variant digits `8`-`b`. */
const DEVICE_ID_TEMPLATE = 'xxxxxxxxxxxxxxxx-xxxxxxxx-xxxx-4xxx-yxxx-xxxxxxxxxxxx';

/**
 * A new device id in the web SDK's format: 16 lowercase hex characters, `-`, and a UUID with
 * version 4 and variant bits, all drawn from `random` so tests are deterministic.
 *
 * @param random - Uniform in [0, 1).
 * @example
 * ```ts
 * generateDeviceID(Math.random); // 'f3a09c1d2e4b5a67-1b2c3d4e-5f60-4718-9a2b-3c4d5e6f7081'
 * ```
 */
export function generateDeviceID(random: () => number): string {
  return DEVICE_ID_TEMPLATE.replace(/[xy]/g, (slot) => {
    // `& 15` keeps any number, even NaN, negative or ≥ 1 from a broken source, to 0–15; for the
    // variant slot, `>> 2` maps that to one of the digits 8–b.
    const digit = (random() * 16) & 15;
    return (slot === 'x' ? digit : 8 + (digit >> 2)).toString(16);
  });
}

/** Ids from elsewhere (set by hand, older formats) are kept if they are safe as a header value. */
const USABLE_ID = /^[\x21-\x7e]{1,128}$/;

/**
 * The device id stored under `key`, created and stored on first use. Never rejects: when storage
 * fails, a fresh id is returned (and not stored), so authentication still works.
 *
 * @param random - Uniform in [0, 1), for a new id.
 * @param signal - Aborted: the new id is not stored (the session was disposed).
 * @example
 * ```ts
 * const deviceID = await loadDeviceID(storage, storageKeys(appID).device, Math.random);
 * ```
 */
export async function loadDeviceID(storage: StorageAdapter, key: string, random: () => number, signal?: AbortSignal): Promise<string> {
  let stored: string | null;
  try {
    stored = await storage.getItem(key);
  } catch {
    return generateDeviceID(random);
  }
  if (typeof stored === 'string' && USABLE_ID.test(stored)) return stored;
  const created = generateDeviceID(random);
  try {
    // SES-35: a session disposed while it read writes nothing.
    if (!signal?.aborted) await storage.setItem(key, created);
  } catch {
    /* the id still works for this run; it just will not survive a restart */
  }
  return created;
}
