/**
 * URL layout of a TapTalk-compatible server (reference §1.3, §2.1): REST under `/v1`, the token
 * probe and the WebSocket both on `/connect`. Built from one resolved base so a trailing slash or
 * an `http:` base can never produce `//v1` or `wss://http://` (weakness 18).
 */
import { urlParts } from '#url-parts';
import { TapTalkError } from '../errors.js';

function invalid(problem: string): TapTalkError {
  return new TapTalkError('95011', { message: `Invalid baseUrl: ${problem}` });
}

/**
 * Validates and normalises the server base URL once, so every other builder can concatenate.
 *
 * Accepts `http:` and `https:` bases with a host and an optional path prefix; strips whitespace and
 * trailing slashes; lower-cases scheme and host. The error names the problem but never echoes the
 * URL (it could carry credentials).
 *
 * @throws TapTalkError `95011` for an empty, relative, non-HTTP, credentialed or query-carrying URL.
 * @example
 * ```ts
 * resolveBaseUrl(' https://Chat.example.com/api/ '); // 'https://chat.example.com/api'
 * ```
 */
export function resolveBaseUrl(baseUrl: string): string {
  if (typeof baseUrl !== 'string') throw invalid('must be a string');
  const trimmed = baseUrl.trim();
  if (trimmed === '') throw invalid('empty');
  // React Native's incomplete URL is handled where it runs (src/protocol/url-parts-loose.ts).
  const url = urlParts(trimmed);
  if (!url) throw invalid('not an absolute URL');
  // http: and https: URLs always have a host: the parser refuses them without one.
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw invalid('the scheme must be http: or https:');
  }
  if (url.username !== '' || url.password !== '') throw invalid('must not contain credentials');
  // Paths are appended to the base: a query or fragment (even an empty one) would end up in the
  // middle of them. Only a '?' or '#' in the input starts one.
  if (/[?#]/.test(trimmed)) throw invalid('must not contain a query or fragment');
  return `${url.origin}${url.pathname.replace(/\/+$/, '')}`;
}

/**
 * URL of a client REST call: `{base}/v1/{path}`.
 *
 * @param base - A base returned by {@link resolveBaseUrl}.
 * @param path - The path after `/v1/`; a leading slash is ignored.
 * @example
 * ```ts
 * apiUrl('https://chat.example.com', 'auth/access_token/request');
 * // 'https://chat.example.com/v1/auth/access_token/request'
 * ```
 */
export function apiUrl(base: string, path: string): string {
  return `${base}/v1/${path.replace(/^\/+/, '')}`;
}

/**
 * URL of the token probe (E3), which lives outside `/v1`.
 *
 * @example
 * ```ts
 * probeUrl('https://chat.example.com'); // 'https://chat.example.com/connect?check=1'
 * ```
 */
export function probeUrl(base: string): string {
  return `${base}/connect?check=1`;
}

/**
 * URL of the WebSocket: the base with `http:`→`ws:`, `https:`→`wss:`, plus `/connect` and the
 * optional query (encoded with `URLSearchParams`, so a space becomes `+`).
 *
 * @param query - Handshake credentials for browsers (see `socketCredentials`). @default none
 * @example
 * ```ts
 * socketUrl('http://localhost:8080/tt'); // 'ws://localhost:8080/tt/connect'
 * ```
 */
export function socketUrl(base: string, query?: Record<string, string>): string {
  const ws = base.replace(/^http(s?):/i, (_match, s: string) => `ws${s.toLowerCase()}:`);
  const search = new URLSearchParams(query).toString(); // '' for no query
  return `${ws}/connect${search === '' ? '' : `?${search}`}`;
}
