/**
 * Parsing a request target. `new URL(req.url, base)` would read `//host/path` as another host,
 * so the target is always appended to a fixed origin.
 */

/**
 * The URL of a request target (`/connect?check=1`); an unparseable target becomes `/`.
 *
 * @example
 * ```ts
 * requestUrl('//x/connect?check=1').pathname; // '//x/connect'
 * ```
 */
export function requestUrl(target: string | undefined): URL {
  const raw = target ?? '/';
  try {
    return new URL(`http://emulator${raw.startsWith('/') ? raw : `/${raw}`}`);
  } catch {
    return new URL('http://emulator/');
  }
}
