import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { encodeKey, startEmulator, type Emulator } from '../../src/emulator/index.js';

interface Env {
  status: number;
  error: { code: string; message: string; field: string };
  data: Record<string, unknown>;
}
interface Grant {
  accessToken: string;
  accessTokenExpiry: number;
  refreshToken: string;
  refreshTokenExpiry: number;
  user: Record<string, unknown>;
}

let emulator: Emulator;
let clock = Date.parse('2026-01-01T00:00:00Z');

function headers(bearer?: string, device = 'device-1'): Record<string, string> {
  return { 'App-Key': encodeKey(emulator.appKey), 'Device-Identifier': device, 'Device-Platform': 'web', ...(bearer === undefined ? {} : { Authorization: `Bearer ${bearer}` }) };
}

async function call(path: string, init: RequestInit = {}, base = emulator.url): Promise<{ http: number; env: Env; res: Response }> {
  const res = await fetch(`${base}${path}`, { method: 'POST', ...init });
  return { http: res.status, env: (await res.json()) as Env, res };
}

async function login(xcUserID: string, device = 'device-1'): Promise<Grant> {
  const ticket = await emulator.requestTicket({ xcUserID });
  const { env } = await call('/v1/auth/access_token/request', { headers: headers(ticket, device) });
  expect(env.error.code).toBe('');
  return env.data as unknown as Grant;
}

const probe = (token: string, device = 'device-1') => call('/connect?check=1', { method: 'GET', headers: headers(token, device) });

beforeAll(async () => {
  emulator = await startEmulator({ now: () => clock, accessTokenTtlMs: 60_000, refreshTokenTtlMs: 600_000 });
});
afterAll(() => emulator.close());

describe('ticket exchange (E2)', () => {
  it('answers both tokens, expiries in epoch ms from the server clock, and the user object', async () => {
    const ticket = await emulator.requestTicket({ xcUserID: 'e2-user', fullName: 'E2 User', email: 'e2@x.test' });
    const { http, env } = await call('/v1/auth/access_token/request', { headers: headers(ticket), body: '""' });
    expect(http).toBe(200);
    expect(env.error).toEqual({ code: '', message: '', field: '' });
    const grant = env.data as unknown as Grant;
    expect(grant.accessToken).not.toBe(grant.refreshToken);
    expect(grant.accessTokenExpiry).toBe(clock + 60_000);
    expect(grant.refreshTokenExpiry).toBe(clock + 600_000);
    expect(grant.user).toMatchObject({
      xcUserID: 'e2-user',
      fullname: 'E2 User',
      email: 'e2@x.test',
      imageURL: { thumbnail: '', fullsize: '' },
      userRole: { code: 'user', name: 'User', iconURL: '' },
      deleted: 0,
    });
    expect(typeof grant.user.userID).toBe('string');
    expect(typeof grant.user.created).toBe('number');
  });

  it('rejects a reused ticket with 40103', async () => {
    const ticket = await emulator.requestTicket({ xcUserID: 'reuse' });
    await call('/v1/auth/access_token/request', { headers: headers(ticket) });
    const { env } = await call('/v1/auth/access_token/request', { headers: headers(ticket) });
    expect(env).toMatchObject({ status: 401, error: { code: '40103' }, data: {} });
  });

  it('rejects a ticket older than its TTL with 40104', async () => {
    const ticket = await emulator.requestTicket({ xcUserID: 'late' });
    clock += 3_600_000;
    const { env } = await call('/v1/auth/access_token/request', { headers: headers(ticket) });
    expect(env.error.code).toBe('40104');
  });

  it('rejects an unknown ticket with 40103, a missing Authorization with 40101 and a malformed one with 40102', async () => {
    const appKey = encodeKey(emulator.appKey);
    const unknown = await call('/v1/auth/access_token/request', { headers: { 'App-Key': appKey, Authorization: 'Bearer nope' } });
    const missing = await call('/v1/auth/access_token/request', { headers: { 'App-Key': appKey } });
    const malformed = await call('/v1/auth/access_token/request', { headers: { 'App-Key': appKey, Authorization: 'Token abc' } });
    expect([unknown.env.error.code, missing.env.error.code, malformed.env.error.code]).toEqual(['40103', '40101', '40102']);
  });

  it('rejects a missing App-Key with 49101, an unparseable one with 49102 and a wrong one with 49103', async () => {
    const ticket = await emulator.requestTicket({ xcUserID: 'keys' });
    const missing = await call('/v1/auth/access_token/request', { headers: { Authorization: `Bearer ${ticket}` } });
    const bad = await call('/v1/auth/access_token/request', { headers: { Authorization: `Bearer ${ticket}`, 'App-Key': '***' } });
    const wrong = await call('/v1/auth/access_token/request', { headers: { Authorization: `Bearer ${ticket}`, 'App-Key': encodeKey({ id: emulator.appKey.id, secret: 'x' }) } });
    expect([missing.env.error.code, bad.env.error.code, wrong.env.error.code]).toEqual(['49101', '49102', '49103']);
    expect(missing.env.status).toBe(491);
  });

  it('accepts the credentials as the web SDK query keys instead of headers', async () => {
    const ticket = await emulator.requestTicket({ xcUserID: 'query' });
    const query = `content_type=undefined&app_key=${encodeURIComponent(encodeKey(emulator.appKey))}&authorization=Bearer%20${ticket}&device_identifier=q-dev&device_model=Netscape&device_platform=web`;
    const { env } = await call(`/v1/auth/access_token/request?${query}`);
    expect(env.error.code).toBe('');
    const grant = env.data as unknown as Grant;
    const ok = await call(`/connect?check=1&app_key=${encodeURIComponent(encodeKey(emulator.appKey))}&authorization=Bearer%20${grant.accessToken}&device_identifier=q-dev`, { method: 'GET' });
    expect(ok.env.error.code).toBe('');
  });
});

describe('token probe (E3)', () => {
  it('answers success for a valid access token', async () => {
    const grant = await login('probe-ok');
    const { env } = await probe(grant.accessToken);
    expect(env).toEqual({ status: 200, error: { code: '', message: '', field: '' }, data: {} });
  });

  it('answers 40104 once the access token outlived its TTL on the server clock', async () => {
    const grant = await login('probe-clock');
    clock += 60_000;
    expect((await probe(grant.accessToken)).env.error.code).toBe('40104');
  });

  it('answers 40104 after expireAccessTokens, but not for tokens issued afterwards', async () => {
    const before = await login('probe-expire');
    emulator.faults.expireAccessTokens();
    const after = await login('probe-expire-2');
    expect((await probe(before.accessToken)).env).toMatchObject({ status: 401, error: { code: '40104' } });
    expect((await probe(after.accessToken)).env.error.code).toBe('');
  });

  it('answers 40105 when another Device-Identifier presents the token', async () => {
    const grant = await login('probe-device', 'device-A');
    expect((await probe(grant.accessToken, 'device-B')).env.error.code).toBe('40105');
  });

  it('answers 40101 without Authorization and 40103 for an unknown token', async () => {
    expect((await call('/connect?check=1', { method: 'GET', headers: { 'App-Key': encodeKey(emulator.appKey) } })).env.error.code).toBe('40101');
    expect((await probe('unknown-token')).env.error.code).toBe('40103');
  });
});

describe('refresh (E4)', () => {
  it('rotates both tokens: the new ones work, the old access and refresh tokens answer 40103', async () => {
    const old = await login('refresh');
    clock += 1000;
    const { env } = await call('/v1/auth/access_token/refresh', { headers: headers(old.refreshToken), body: '{}' });
    const fresh = env.data as unknown as Grant;
    expect(env.error.code).toBe('');
    expect(fresh.accessToken).not.toBe(old.accessToken);
    expect(fresh.refreshToken).not.toBe(old.refreshToken);
    expect(fresh.accessTokenExpiry).toBe(clock + 60_000);
    expect(fresh.user.xcUserID).toBe('refresh');
    expect((await probe(fresh.accessToken)).env.error.code).toBe('');
    expect((await probe(old.accessToken)).env.error.code).toBe('40103');
    expect((await call('/v1/auth/access_token/refresh', { headers: headers(old.refreshToken) })).env.error.code).toBe('40103');
  });

  it('refreshes an expired access token', async () => {
    const grant = await login('refresh-expired');
    emulator.faults.expireAccessTokens();
    const { env } = await call('/v1/auth/access_token/refresh', { headers: headers(grant.refreshToken) });
    expect(env.error.code).toBe('');
    expect((await probe((env.data as unknown as Grant).accessToken)).env.error.code).toBe('');
  });

  it('answers 40103 for revoked refresh tokens and their access tokens', async () => {
    const grant = await login('revoked');
    emulator.faults.revokeRefreshTokens();
    expect((await call('/v1/auth/access_token/refresh', { headers: headers(grant.refreshToken) })).env.error.code).toBe('40103');
    expect((await probe(grant.accessToken)).env.error.code).toBe('40103');
  });

  it('answers 40104 for a refresh token past its TTL', async () => {
    const grant = await login('refresh-ttl');
    clock += 600_000;
    expect((await call('/v1/auth/access_token/refresh', { headers: headers(grant.refreshToken) })).env.error.code).toBe('40104');
  });

  it('does not accept an access token as a refresh token', async () => {
    const grant = await login('wrong-kind');
    expect((await call('/v1/auth/access_token/refresh', { headers: headers(grant.accessToken) })).env.error.code).toBe('40103');
  });
});

describe('logout (E5)', () => {
  it('answers success and revokes the access and refresh tokens of that session only', async () => {
    const a = await login('logout', 'device-1');
    const b = await login('logout', 'device-2');
    const { env } = await call('/v1/client/logout', { headers: headers(a.accessToken) });
    expect(env).toEqual({ status: 200, error: { code: '', message: '', field: '' }, data: { success: true, message: 'Logged out' } });
    expect((await probe(a.accessToken)).env.error.code).toBe('40103');
    expect((await call('/v1/auth/access_token/refresh', { headers: headers(a.refreshToken) })).env.error.code).toBe('40103');
    expect((await probe(b.accessToken, 'device-2')).env.error.code).toBe('');
  });
});

describe('project configs (E6) and user lookup (E7)', () => {
  it('answers project configs with the App-Key and no user token, whatever Authorization says', async () => {
    for (const authorization of [undefined, '', 'Bearer whatever']) {
      const { env } = await call('/v1/client/project_configs', { headers: { 'App-Key': encodeKey(emulator.appKey), ...(authorization === undefined ? {} : { Authorization: authorization }) }, body: '""' });
      expect(env.error.code).toBe('');
      expect(env.data).toEqual({
        core: { chatMediaMaxFileSize: '26214400', roomPhotoMaxFileSize: '10485760', userPhotoMaxFileSize: '10485760', groupMaxParticipants: '100', channelMaxParticipants: '5000', roomMaxPinned: '10' },
        project: { usernameIgnoreCase: '1' },
        custom: {},
      });
    }
  });

  it('still requires the App-Key for project configs', async () => {
    expect((await call('/v1/client/project_configs')).env.error.code).toBe('49101');
  });

  it('answers a user by id and 40401 for an unknown id', async () => {
    const grant = await login('lookup');
    const found = await call('/v1/client/user/get_by_id', { headers: headers(grant.accessToken), body: JSON.stringify({ id: grant.user.userID }) });
    expect((found.env.data.user as Record<string, unknown>).xcUserID).toBe('lookup');
    const missing = await call('/v1/client/user/get_by_id', { headers: headers(grant.accessToken), body: JSON.stringify({ id: '999999' }) });
    expect(missing.env).toMatchObject({ status: 404, error: { code: '40401' }, data: {} });
  });
});

describe('HTTP conventions', () => {
  it.each([
    ['the two characters ""', '""', 'text/plain;charset=UTF-8'],
    ['{}', '{}', 'application/json'],
    ['an empty body', '', undefined],
    ['no body at all', undefined, undefined],
    ['arbitrary text', 'hello', 'text/plain'],
  ])('accepts %s as the body of the auth calls', async (_label, body, contentType) => {
    const ticket = await emulator.requestTicket({ xcUserID: 'bodies' });
    const extra: Record<string, string> = contentType === undefined ? {} : { 'Content-Type': contentType };
    const exchanged = await call('/v1/auth/access_token/request', { headers: { ...headers(ticket), ...extra }, ...(body === undefined ? {} : { body }) });
    expect(exchanged.env.error.code).toBe('');
    const grant = exchanged.env.data as unknown as Grant;
    const refreshed = await call('/v1/auth/access_token/refresh', { headers: { ...headers(grant.refreshToken), ...extra }, ...(body === undefined ? {} : { body }) });
    expect(refreshed.env.error.code).toBe('');
    const fresh = refreshed.env.data as unknown as Grant;
    const configs = await call('/v1/client/project_configs', { headers: { ...headers(), ...extra }, ...(body === undefined ? {} : { body }) });
    expect(configs.env.error.code).toBe('');
    const logout = await call('/v1/client/logout', { headers: { ...headers(fresh.accessToken), ...extra }, ...(body === undefined ? {} : { body }) });
    expect(logout.env.error.code).toBe('');
  });

  it('refuses a body over maxBodyBytes with 40002 without processing the request', async () => {
    const small = await startEmulator({ maxBodyBytes: 300 });
    try {
      const ticket = await small.requestTicket({ xcUserID: 'big' });
      const res = await fetch(`${small.url}/v1/auth/access_token/request`, { method: 'POST', headers: { 'App-Key': encodeKey(small.appKey), Authorization: `Bearer ${ticket}` }, body: 'x'.repeat(1000) });
      expect(await res.json()).toEqual({ status: 400, error: { code: '40002', message: 'Request body too large', field: '' }, data: {} });
      expect(small.stats().ticketsExchanged).toBe(0);
      const again = await fetch(`${small.url}/v1/auth/access_token/request`, { method: 'POST', headers: { 'App-Key': encodeKey(small.appKey), Authorization: `Bearer ${ticket}` } });
      expect(((await again.json()) as Env).error.code).toBe('');
    } finally {
      await small.close();
    }
  });

  it('answers an unknown path with a 40401 envelope', async () => {
    const { http, env } = await call('/v1/does/not/exist');
    expect(http).toBe(200);
    expect(env).toMatchObject({ status: 404, error: { code: '40401', field: '' }, data: {} });
  });

  it('sends JSON with a Date header', async () => {
    const { res } = await call('/v1/client/project_configs', { headers: headers() });
    expect(res.headers.get('content-type')).toMatch(/^application\/json/);
    expect(Date.parse(res.headers.get('date') ?? '')).not.toBeNaN();
  });

  it('answers a CORS preflight with 204, the TapTalk headers allowed and Date exposed', async () => {
    const res = await fetch(`${emulator.url}/v1/auth/access_token/request`, {
      method: 'OPTIONS',
      headers: { Origin: 'http://app.test', 'Access-Control-Request-Method': 'POST', 'Access-Control-Request-Headers': 'app-key, authorization, device-identifier' },
    });
    expect(res.status).toBe(204);
    expect(res.headers.get('access-control-allow-origin')).toBe('http://app.test');
    expect(res.headers.get('access-control-allow-methods')).toBe('GET, POST, OPTIONS');
    const allowed = res.headers.get('access-control-allow-headers') ?? '';
    for (const header of ['App-Key', 'Authorization', 'Device-Identifier', 'Device-Model', 'Device-Platform', 'Device-OS-Version', 'SDK-Version', 'App-Identifier', 'Content-Type', 'Server-Key']) {
      expect(allowed).toContain(header);
    }
    expect(res.headers.get('access-control-expose-headers')).toBe('Date');
    // Reference §1.3 knows of no preflight caching by TapTalk's server: the emulator grants none
    // either, so a browser caches a preflight only for its own default (Chromium: 5 s).
    expect(res.headers.has('access-control-max-age')).toBe(false);
  });

  it('puts CORS headers on ordinary answers too', async () => {
    const { res } = await call('/v1/client/project_configs', { headers: headers() });
    expect(res.headers.get('access-control-allow-origin')).toBe('*');
    expect(res.headers.get('access-control-expose-headers')).toBe('Date');
  });
});

describe('mirrorHttpStatus', () => {
  it('makes the HTTP status equal the envelope status, 491 and 401 included', async () => {
    const mirror = await startEmulator({ mirrorHttpStatus: true });
    try {
      const noKey = await call('/v1/client/project_configs', {}, mirror.url);
      expect([noKey.http, noKey.env.status, noKey.env.error.code]).toEqual([491, 491, '49101']);
      const badTicket = await call('/v1/auth/access_token/request', { headers: { 'App-Key': encodeKey(mirror.appKey), Authorization: 'Bearer nope' } }, mirror.url);
      expect([badTicket.http, badTicket.env.error.code]).toEqual([401, '40103']);
      const ok = await call('/v1/client/project_configs', { headers: { 'App-Key': encodeKey(mirror.appKey) } }, mirror.url);
      expect([ok.http, ok.env.status]).toEqual([200, 200]);
      const notFound = await call('/nope', {}, mirror.url);
      expect(notFound.http).toBe(404);
    } finally {
      await mirror.close();
    }
  });
});

describe('stats', () => {
  it('counts requests by path with probes apart, and tickets issued and exchanged, refreshes and logouts', async () => {
    const counted = await startEmulator();
    try {
      const h = (bearer?: string) => ({ 'App-Key': encodeKey(counted.appKey), ...(bearer === undefined ? {} : { Authorization: `Bearer ${bearer}` }) });
      const ticket = await counted.requestTicket({ xcUserID: 'counted' });
      const grant = (await call('/v1/auth/access_token/request', { headers: h(ticket) }, counted.url)).env.data as unknown as Grant;
      await call('/connect?check=1', { method: 'GET', headers: h(grant.accessToken) }, counted.url);
      await call('/connect?check=1', { method: 'GET', headers: h(grant.accessToken) }, counted.url);
      const fresh = (await call('/v1/auth/access_token/refresh', { headers: h(grant.refreshToken) }, counted.url)).env.data as unknown as Grant;
      await call('/v1/client/logout', { headers: h(fresh.accessToken) }, counted.url);
      await fetch(`${counted.url}/v1/client/logout`, { method: 'OPTIONS' });
      expect(counted.stats()).toEqual({
        requests: {
          '/v1/server/auth_ticket/request': 1,
          '/v1/auth/access_token/request': 1,
          '/connect?check=1': 2,
          '/v1/auth/access_token/refresh': 1,
          '/v1/client/logout': 1,
        },
        ticketsIssued: 1,
        ticketsExchanged: 1,
        refreshes: 1,
        logouts: 1,
        openSockets: 0,
        connectionsAccepted: 0,
        connectionsRefused: 0,
      });
    } finally {
      await counted.close();
    }
  });

  it('refuses a body just over the default 1 MiB limit', async () => {
    const { env } = await call('/v1/client/project_configs', { headers: headers(), body: 'x'.repeat(1_048_577) });
    expect(env.error).toEqual({ code: '40002', message: 'Request body too large', field: '' });
    expect((await call('/v1/client/project_configs', { headers: headers(), body: 'x'.repeat(1_048_576) })).env.error.code).toBe('');
  });
});
