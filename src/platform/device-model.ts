/**
 * A meaningful `Device-Model` for the runtime (weakness 25: the web SDK always sends
 * `navigator.appName`, i.e. "Netscape").
 */

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
