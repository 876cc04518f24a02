/**
 * Client credentials from HTTP headers (mobile SDKs) or the web SDK's query keys (reference §2.2).
 * Every client endpoint and the upgrade accept either; a header wins over a query key.
 */
import type { IncomingHttpHeaders } from 'node:http';
import { ApiError } from './errors.js';

/** What a client presented; absent or empty values are undefined. */
export interface Credentials {
  /** `App-Key` / `app_key`. */
  appKey: string | undefined;
  /** `Authorization` / `authorization`, e.g. `'Bearer abc'`. */
  authorization: string | undefined;
  /** `Device-Identifier` / `device_identifier`. */
  deviceID: string | undefined;
  /** `Device-Model` / `device_model`. */
  deviceModel: string | undefined;
  /** `Device-Platform` / `device_platform`. */
  devicePlatform: string | undefined;
}

function pick(headers: IncomingHttpHeaders, query: URLSearchParams, header: string, key: string): string | undefined {
  const raw = headers[header];
  const fromHeader = Array.isArray(raw) ? raw[0] : raw;
  if (fromHeader !== undefined && fromHeader !== '') return fromHeader;
  const fromQuery = query.get(key);
  return fromQuery === null || fromQuery === '' ? undefined : fromQuery;
}

/**
 * Reads the credentials of a request.
 *
 * @example
 * ```ts
 * const creds = readCredentials(req.headers, new URL(req.url ?? '/', 'http://x').searchParams);
 * ```
 */
export function readCredentials(headers: IncomingHttpHeaders, query: URLSearchParams): Credentials {
  return {
    appKey: pick(headers, query, 'app-key', 'app_key'),
    authorization: pick(headers, query, 'authorization', 'authorization'),
    deviceID: pick(headers, query, 'device-identifier', 'device_identifier'),
    deviceModel: pick(headers, query, 'device-model', 'device_model'),
    devicePlatform: pick(headers, query, 'device-platform', 'device_platform'),
  };
}

/**
 * The token of `Bearer <token>`: 40101 when absent, 40102 when malformed.
 *
 * @example
 * ```ts
 * bearerToken('Bearer abc'); // 'abc'
 * ```
 */
export function bearerToken(authorization: string | undefined): string {
  if (authorization === undefined || authorization.trim() === '') {
    throw new ApiError('40101', 'Authorization header is required');
  }
  const match = /^Bearer +(\S+) *$/i.exec(authorization.trim());
  if (match?.[1] === undefined) throw new ApiError('40102', 'Invalid Authorization header format');
  return match[1];
}
