/**
 * Device identity: a stable `Device-Identifier` and a meaningful `Device-Model` (weakness 25:
 * the web SDK always sends `navigator.appName`, i.e. "Netscape").
 */
import type { StorageAdapter } from './storage/types.js';

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
 * @example
 * ```ts
 * const deviceID = await loadDeviceID(storage, storageKeys(appID).device, Math.random);
 * ```
 */
export async function loadDeviceID(storage: StorageAdapter, key: string, random: () => number): Promise<string> {
  let stored: string | null;
  try {
    stored = await storage.getItem(key);
  } catch {
    return generateDeviceID(random);
  }
  if (typeof stored === 'string' && USABLE_ID.test(stored)) return stored;
  const created = generateDeviceID(random);
  try {
    await storage.setItem(key, created);
  } catch {
    /* the id still works for this run; it just will not survive a restart */
  }
  return created;
}

/** The globals {@link defaultDeviceModel} reads; a parameter so tests can stand in for a browser. */
export interface DeviceEnvironment {
  process?: { versions?: { node?: string }; platform?: string };
  navigator?: { userAgent?: string; userAgentData?: { platform?: string; brands?: { brand: string }[] } };
}

const BROWSERS: [RegExp, string][] = [
  [/Edg(e|A|iOS)?\//, 'Edge'],
  [/OPR\/|Opera/, 'Opera'],
  [/Firefox\/|FxiOS\//, 'Firefox'],
  [/Chrome\/|CriOS\//, 'Chrome'],
  [/Version\/[\d.]+.*Safari\//, 'Safari'],
];
const SYSTEMS: [RegExp, string][] = [
  [/Windows/, 'Windows'],
  [/Android/, 'Android'],
  [/iPhone|iPad|iPod/, 'iOS'],
  [/Mac OS X|Macintosh/, 'macOS'],
  [/CrOS/, 'ChromeOS'],
  [/Linux/, 'Linux'],
];

function pick(table: [RegExp, string][], text: string): string | undefined {
  return table.find(([pattern]) => pattern.test(text))?.[1];
}

/**
 * A browser's `Device-Model`: `'Chrome on Linux'`, from the user agent, with the system (and the
 * brand, when the user agent names none) from `userAgentData` where available. What the browser
 * platform reports (src/platform/browser.ts).
 *
 * @param navigator - The page's navigator. @default none ('Unknown browser')
 * @example
 * ```ts
 * browserDeviceModel(globalThis.navigator); // 'Firefox on Windows'
 * ```
 */
export function browserDeviceModel(navigator?: DeviceEnvironment['navigator']): string {
  const ua = navigator?.userAgent ?? '';
  const hints = navigator?.userAgentData;
  // The brands matter when the user agent string was overridden (an extension, a policy) and
  // names no browser; an empty platform says nothing.
  const brand = hints?.brands?.map((b) => b.brand).find((b) => /^(Google Chrome|Microsoft Edge|Opera|Brave)$/.test(b));
  const browser = pick(BROWSERS, ua) ?? brand?.replace(/^(Google|Microsoft) /, '');
  const system = hints?.platform || pick(SYSTEMS, ua);
  if (browser && system) return `${browser} on ${system}`;
  return browser ?? system ?? 'Unknown browser';
}

/**
 * A short description of this runtime for `Device-Model`: `'Node.js 20.20.0 (linux)'` under Node,
 * else {@link browserDeviceModel}. Reads globals only when called, and tolerates their absence
 * (bundlers need no `process`). What the Node platform reports (src/platform/node.ts); the browser
 * platform skips the Node check and its bundle carries none of it.
 *
 * @param env - Where to read `process` and `navigator`. @default globalThis
 * @example
 * ```ts
 * const identity = { ...rest, deviceModel: defaultDeviceModel() };
 * ```
 */
export function defaultDeviceModel(env: DeviceEnvironment = globalThis as DeviceEnvironment): string {
  const node = env.process?.versions?.node;
  if (typeof node === 'string' && node !== '') return `Node.js ${node} (${env.process?.platform ?? 'unknown'})`;
  return browserDeviceModel(env.navigator);
}
