/**
 * The runtime's `URL`, as browsers have it complete: the browser build takes this file through
 * `#url-parts` (package.json `imports`), React Native and Node `url-parts-loose.ts`.
 */

/** The parts of a URL that `resolveBaseUrl` reads. */
export type UrlParts = Pick<URL, 'protocol' | 'username' | 'password' | 'origin' | 'pathname'>;

/** The URL's parts, or `null` when `text` is no absolute URL. */
export function urlParts(text: string): UrlParts | null {
  try {
    return new URL(text);
  } catch {
    return null;
  }
}
