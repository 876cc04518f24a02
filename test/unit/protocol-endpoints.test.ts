import { describe, expect, it } from 'vitest';
import { TapTalkError } from '../../src/errors.js';
import {
  exchangeTicket,
  fetchProjectConfigs,
  getUserByID,
  logout,
  probeToken,
  refreshTokens,
} from '../../src/protocol/endpoints.js';
import type { HttpConfig } from '../../src/protocol/http.js';

const TICKET = 'ticket-SECRET-abcdef123456';
const DATE = 'Tue, 24 Nov 2026 10:00:00 GMT';

interface Call {
  url: string;
  method: string;
  authorization: string | undefined;
  body: unknown;
}

function server(data: unknown, status = 200, code = '') {
  const calls: Call[] = [];
  const cfg: HttpConfig = {
    baseUrl: 'https://chat.example.com',
    identity: { appKey: 'YXBwOnNlY3JldA==', deviceID: 'dev', deviceModel: 'Test', platform: 'web', sdkVersion: '0.1.0' },
    fetch: (async (url: string, init: RequestInit) => {
      const headers = init.headers as Record<string, string>;
      calls.push({ url, method: init.method ?? 'GET', authorization: headers.Authorization, body: init.body });
      const body = JSON.stringify({ status, error: { code, message: '', field: '' }, data });
      return new Response(body, { headers: { date: DATE } });
    }) as typeof fetch,
    timeoutMs: 1000,
    maxBodyBytes: 65536,
  };
  return { cfg, calls };
}

const grant = {
  accessToken: 'access-1',
  accessTokenExpiry: 1_800_000_000_000,
  refreshToken: 'refresh-1',
  refreshTokenExpiry: 1_900_000_000_000,
  user: { userID: 'u1', xcUserID: 'x1', fullname: 'Ann' },
};

async function rejectionOf(promise: Promise<unknown>): Promise<TapTalkError> {
  try {
    await promise;
  } catch (error) {
    expect(error).toBeInstanceOf(TapTalkError);
    return error as TapTalkError;
  }
  throw new Error('expected a rejection');
}

describe('exchangeTicket (E2)', () => {
  it('POSTs the ticket as bearer and returns the grant with the server time', async () => {
    const { cfg, calls } = server(grant);
    const result = await exchangeTicket(cfg, TICKET);
    expect(result).toEqual({ ...grant, serverTime: Date.parse(DATE) });
    expect(calls).toEqual([
      { url: 'https://chat.example.com/v1/auth/access_token/request', method: 'POST', authorization: `Bearer ${TICKET}`, body: '{}' },
    ]);
  });

  it('accepts the user id alias `id`', async () => {
    const { cfg } = server({ ...grant, user: { id: 'u9', fullname: 'Bo' } });
    expect((await exchangeTicket(cfg, TICKET)).user).toMatchObject({ userID: 'u9', fullname: 'Bo' });
  });

  it('refuses an empty ticket with 90005 before any call', async () => {
    const { cfg, calls } = server(grant);
    expect((await rejectionOf(exchangeTicket(cfg, '  '))).code).toBe('90005');
    expect(calls).toHaveLength(0);
  });

  it.each([
    ['a missing accessToken', { ...grant, accessToken: undefined }],
    ['an empty refreshToken', { ...grant, refreshToken: '' }],
    ['a string expiry', { ...grant, accessTokenExpiry: '1800000000000' }],
    ['a non-finite expiry', { ...grant, refreshTokenExpiry: null }],
    ['a missing user', { ...grant, user: undefined }],
    ['a user without userID', { ...grant, user: { fullname: 'Ann' } }],
    ['a numeric userID', { ...grant, user: { userID: 7 } }],
    ['a user that is an array', { ...grant, user: [] }],
  ])('refuses a grant with %s as 95002, without echoing values', async (_name, data) => {
    const { cfg } = server(data);
    const error = await rejectionOf(exchangeTicket(cfg, TICKET));
    expect(error.code).toBe('95002');
    expect(error.message).not.toContain('access-1');
    expect(error.message).not.toContain(TICKET);
  });

  it('passes the server code through (an expired ticket)', async () => {
    const { cfg } = server({}, 401, '40104');
    const error = await rejectionOf(exchangeTicket(cfg, TICKET));
    expect(error.code).toBe('40104');
    expect(String(error)).not.toContain(TICKET);
  });
});

describe('refreshTokens (E4)', () => {
  it('POSTs the refresh token as bearer and returns the rotated grant', async () => {
    const { cfg, calls } = server({ ...grant, refreshToken: 'refresh-2' });
    const result = await refreshTokens(cfg, 'refresh-1');
    expect(result.refreshToken).toBe('refresh-2');
    expect(calls[0]).toMatchObject({ url: 'https://chat.example.com/v1/auth/access_token/refresh', authorization: 'Bearer refresh-1' });
  });

  it('refuses an empty refresh token before any call', async () => {
    const { cfg, calls } = server(grant);
    expect((await rejectionOf(refreshTokens(cfg, ''))).code).toBe('90006');
    expect(calls).toHaveLength(0);
  });
});

describe('probeToken (E3)', () => {
  it('GETs /connect?check=1 with the access token', async () => {
    const { cfg, calls } = server({});
    await expect(probeToken(cfg, 'access-1')).resolves.toBeUndefined();
    expect(calls[0]).toMatchObject({ url: 'https://chat.example.com/connect?check=1', method: 'GET', authorization: 'Bearer access-1' });
  });

  it('rejects with 40104 for an expired token', async () => {
    const { cfg } = server({}, 401, '40104');
    expect((await rejectionOf(probeToken(cfg, 'access-1'))).code).toBe('40104');
  });
});

describe('logout (E5)', () => {
  it('POSTs client/logout with the access token', async () => {
    const { cfg, calls } = server({ success: true, message: 'ok' });
    await logout(cfg, 'access-1');
    expect(calls[0]).toMatchObject({ url: 'https://chat.example.com/v1/client/logout', method: 'POST', authorization: 'Bearer access-1' });
  });
});

describe('fetchProjectConfigs (E6)', () => {
  it('POSTs without a bearer and returns the three string maps', async () => {
    const { cfg, calls } = server({ core: { chatMediaMaxFileSize: '26214400', roomMaxPinned: 10 }, project: { usernameIgnoreCase: '1' } });
    const configs = await fetchProjectConfigs(cfg);
    expect(configs).toEqual({
      core: { chatMediaMaxFileSize: '26214400', roomMaxPinned: '10' },
      project: { usernameIgnoreCase: '1' },
      custom: {},
    });
    expect(calls[0]).toMatchObject({ url: 'https://chat.example.com/v1/client/project_configs', authorization: undefined });
  });

  it('drops values that are not strings, numbers or booleans', async () => {
    const { cfg } = server({ core: {}, project: {}, custom: { a: { nested: 1 }, b: true, c: null } });
    expect((await fetchProjectConfigs(cfg)).custom).toEqual({ b: 'true' });
  });

  it('refuses a section that is not an object', async () => {
    const { cfg } = server({ core: 'nope' });
    expect((await rejectionOf(fetchProjectConfigs(cfg))).code).toBe('95002');
  });
});

describe('getUserByID (E7)', () => {
  it('POSTs {id} and returns data.user', async () => {
    const { cfg, calls } = server({ user: { userID: 'u2', fullname: 'Cy' } });
    expect(await getUserByID(cfg, 'access-1', 'u2')).toEqual({ userID: 'u2', fullname: 'Cy' });
    expect(calls[0]).toMatchObject({ url: 'https://chat.example.com/v1/client/user/get_by_id', body: '{"id":"u2"}' });
  });

  it('refuses a response without a user', async () => {
    const { cfg } = server({});
    expect((await rejectionOf(getUserByID(cfg, 'access-1', 'u2'))).code).toBe('95002');
  });
});
