/**
 * `URL` where it may be incomplete: React Native's keeps the string but throws "not implemented"
 * from its getters (and a bare engine may have no `URL`), so there the URL is split by hand. Node
 * takes this file too (its tests stand in for React Native); browsers take `url-parts.ts` (both in src/protocol/).
 */
import type { UrlParts } from './url-parts.js';

/**
 * The URL's parts by the runtime's `URL` where it has a complete one, else split by hand with
 * scheme and host lowercased, as the standard parser does; `null` when `text` is no absolute URL.
 */
export function urlParts(text: string): UrlParts | null {
  try {
    const url = new URL(text);
    return { protocol: url.protocol, username: url.username, password: url.password, origin: url.origin, pathname: url.pathname };
  } catch (error) {
    const parts = /^([a-z][a-z\d+.-]*:)\/\/(?:([^@/?#]*)@)?([^@/?#]+)([^?#]*)/i.exec(text);
    // Anything else is the standard parser refusing the text.
    const incomplete = typeof URL !== 'function' || /not implemented/.test(String((error as { message?: unknown } | null)?.message));
    if (!incomplete || !parts) return null;
    const [, scheme = '', credentials, host = '', path = ''] = parts;
    const protocol = scheme.toLowerCase();
    return { protocol, username: credentials ?? '', password: '', origin: `${protocol}//${host.toLowerCase()}`, pathname: path || '/' };
  }
}
