/**
 * Who the client is, as TapTalk's client headers say it (reference §1.3, §2.2).
 */

/** The per-instance values sent with every HTTP call and the WebSocket handshake. */
export interface ClientIdentity {
  /** `App-Key` header value: base64 of `appID:appSecret` (see {@link encodeAppKey}). */
  appKey: string;
  /** `Device-Identifier`: a stable id for this installation. */
  deviceID: string;
  /** `Device-Model`: a short human description (`'Chrome on Linux'`, `'Node.js 20.20.0 (linux)'`). */
  deviceModel: string;
  /** `Device-Platform`: `'web'`, `'android'`, `'ios'`, ... */
  platform: string;
  /** `SDK-Version`: the version of this library. */
  sdkVersion: string;
}

/**
 * Base64 of `appID:appSecret`, the `App-Key` value. Encodes the UTF-8 bytes, so a non-ASCII secret
 * does not make `btoa` throw (it only accepts Latin-1).
 *
 * @example
 * ```ts
 * encodeAppKey('app', 'secret'); // 'YXBwOnNlY3JldA=='
 * ```
 */
export function encodeAppKey(appID: string, appSecret: string): string {
  const bytes = new TextEncoder().encode(`${appID}:${appSecret}`);
  let binary = '';
  for (const byte of bytes) binary += String.fromCharCode(byte);
  return btoa(binary);
}

/**
 * Descriptive values (model, platform, version) may come from the app or the user agent: keep them
 * to printable ASCII so `fetch` never rejects the header (which would look like a network error).
 */
function printable(value: string): string {
  return value.replace(/[^\x20-\x7e]/g, '?');
}

function deviceHeaders(identity: ClientIdentity): Record<string, string> {
  return {
    'App-Key': identity.appKey,
    'Device-Identifier': printable(identity.deviceID),
    'Device-Model': printable(identity.deviceModel),
    'Device-Platform': printable(identity.platform),
    'SDK-Version': printable(identity.sdkVersion),
  };
}

/**
 * Headers of a client REST call. `Authorization` is set only when a bearer is given (the project
 * configs call has none), and a real JSON `Content-Type` replaces the web SDK's text/plain body
 * (weakness 20).
 *
 * @param bearer - Ticket, access or refresh token, depending on the call. @default none
 * @example
 * ```ts
 * const headers = clientHeaders(identity, grant.accessToken);
 * ```
 */
export function clientHeaders(identity: ClientIdentity, bearer?: string): Record<string, string> {
  return {
    ...deviceHeaders(identity),
    ...(bearer === undefined ? {} : { Authorization: `Bearer ${bearer}` }),
    'Content-Type': 'application/json',
  };
}

/**
 * Credentials of the WebSocket handshake.
 *
 * - `'headers'` (Node, like the Android and iOS SDKs): `Authorization`, `App-Key`, `Device-*`,
 *   `SDK-Version` as upgrade-request headers. Nothing secret ends up in the URL.
 * - `'query'` (browsers, like the web SDK): the browser `WebSocket` API cannot set headers, so the
 *   same values travel as `app_key`, `authorization`, `device_identifier`, `device_model`,
 *   `device_platform` query keys. This is the only way a browser can authenticate the upgrade
 *   with TapTalk's protocol, so weakness 12 is only partly fixable there: we drop the web SDK's
 *   `content_type=undefined`, never log the URL, and use it only on `wss:` in production.
 *
 * @example
 * ```ts
 * const { query } = socketCredentials(identity, accessToken, 'query');
 * new WebSocket(socketUrl(base, query));
 * ```
 */
export function socketCredentials(
  identity: ClientIdentity,
  accessToken: string,
  mode: 'headers' | 'query',
): { headers?: Record<string, string>; query?: Record<string, string> } {
  return mode === 'headers' ? { headers: socketHeaders(identity, accessToken) } : { query: socketQuery(identity, accessToken) };
}

/**
 * The `'headers'` credentials of {@link socketCredentials}. Separate so that a browser bundle,
 * which only ever uses the query, carries none of this.
 */
export function socketHeaders(identity: ClientIdentity, accessToken: string): Record<string, string> {
  return { Authorization: `Bearer ${accessToken}`, ...deviceHeaders(identity) };
}

/** The `'query'` credentials of {@link socketCredentials}. */
export function socketQuery(identity: ClientIdentity, accessToken: string): Record<string, string> {
  return {
    app_key: identity.appKey,
    authorization: `Bearer ${accessToken}`,
    device_identifier: identity.deviceID,
    device_model: identity.deviceModel,
    device_platform: identity.platform,
  };
}
