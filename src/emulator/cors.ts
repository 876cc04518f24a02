/**
 * CORS headers for every answer. Browsers preflight the web SDK's calls because of its custom
 * headers (reference §1.3), and a client reads the server clock from `Date`, which is only
 * visible cross-origin when exposed. No `Access-Control-Max-Age`: the reference does not say that
 * TapTalk's server sends one, and an emulator that let browsers cache preflights longer than the
 * real server does would make every cross-origin client look faster than it will be.
 */
import type { IncomingHttpHeaders } from 'node:http';

const ALLOWED_HEADERS = [
  'App-Key',
  'Authorization',
  'Device-Identifier',
  'Device-Model',
  'Device-Platform',
  'Device-OS-Version',
  'SDK-Version',
  'App-Identifier',
  'Content-Type',
  'Server-Key',
];

/**
 * CORS headers for a request: the caller's Origin echoed (or `*`), the TapTalk headers allowed,
 * plus any other header the preflight asks for (an emulator should not be the thing that breaks).
 *
 * @example
 * ```ts
 * res.writeHead(204, corsHeaders(req.headers));
 * ```
 */
export function corsHeaders(headers: IncomingHttpHeaders): Record<string, string> {
  const origin = headers.origin;
  const requested = (headers['access-control-request-headers'] ?? '')
    .split(',')
    .map((h) => h.trim())
    .filter((h) => h !== '' && !ALLOWED_HEADERS.some((a) => a.toLowerCase() === h.toLowerCase()));
  return {
    'Access-Control-Allow-Origin': origin ?? '*',
    ...(origin === undefined ? {} : { Vary: 'Origin' }),
    'Access-Control-Allow-Methods': 'GET, POST, OPTIONS',
    'Access-Control-Allow-Headers': [...ALLOWED_HEADERS, ...requested].join(', '),
    'Access-Control-Expose-Headers': 'Date',
  };
}
