/**
 * TapTalk's callback API against the emulator: the documented snippet verbatim, error codes as
 * TapTalk's strings, listeners, and callbacks that throw.
 */
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { Emulator } from '../../src/emulator/index.js';
import { memoryStorage } from '../../src/storage/memory.js';
import { storageKeys } from '../../src/storage/keys.js';
import { createTapTalk, type TapTalk, type TapCallback } from '../../src/taptalk.js';
import { emulator, quietLogger, reach, uniqueUser } from '../support/emulator-session.js';

let em: Emulator;
beforeAll(async () => {
  em = await emulator();
});
afterAll(() => em.close());

function client(options: Parameters<TapTalk['init']>[3] = {}): TapTalk {
  const taptalk = createTapTalk();
  taptalk.init(em.appKey.id, em.appKey.secret, em.url, { logger: quietLogger, environment: false, ...options });
  return taptalk;
}

/** Calls a callback-style method and resolves with what the callback got. */
function outcome(call: (cb: TapCallback) => void): Promise<{ ok: true; message: string } | { ok: false; code: string; message: string }> {
  return new Promise((resolve) => {
    call({
      onSuccess: (message) => resolve({ ok: true, message }),
      onError: (code, message) => resolve({ ok: false, code, message }),
    });
  });
}

describe('TapTalk documented snippet', () => {
  it('works verbatim against the emulator', async () => {
    const taptalk = client();
    const AUTH_TICKET = await em.requestTicket(uniqueUser());
    const CONNECT_WHEN_SUCCESS = true;
    const log: string[] = [];

    // --- from TapTalk's JavaScript docs (Authentication), unchanged ---
    taptalk.authenticateWithAuthTicket(AUTH_TICKET, CONNECT_WHEN_SUCCESS, {
      onSuccess: (successMessage) => {
        //Authentication success
        log.push(`success: ${successMessage}`);
      },
      onError: (errorCode, errorMessage) => {
        //Authentication fail
        log.push(`error: ${errorCode} ${errorMessage}`);
      },
    });
    // --- end ---

    await reach(taptalk.session, 'connected');
    expect(log).toEqual(['success: Request access token success']);
    expect(taptalk.isAuthenticated()).toBe(true);
    expect(taptalk.isConnected()).toBe(true);

    const loggedOut = new Promise<string>((resolve) => {
      // --- from TapTalk's JavaScript docs (Authentication: logout), unchanged ---
      taptalk.logoutAndClearAllTapTalkData({
        onSuccess: (successMessage) => {
          //Logout success
          resolve(successMessage);
        },
      });
      // --- end ---
    });
    expect(await loggedOut).toBe('Logged out successfully');
    expect(taptalk.isAuthenticated()).toBe(false);
    expect(taptalk.isConnected()).toBe(false);
    taptalk.session.dispose();
  });
});

describe('authenticateWithAuthTicket', () => {
  it('isAuthenticated() is false before and true after; without connectOnSuccess no socket opens', async () => {
    const taptalk = client();
    expect(taptalk.isAuthenticated()).toBe(false);
    const result = await outcome((cb) => taptalk.authenticateWithAuthTicket('', false, cb));
    expect(result).toMatchObject({ ok: false, code: '90005' });
    const ticket = await em.requestTicket(uniqueUser());
    expect(await outcome((cb) => taptalk.authenticateWithAuthTicket(ticket, false, cb))).toMatchObject({ ok: true });
    expect(taptalk.isAuthenticated()).toBe(true);
    expect(taptalk.isConnected()).toBe(false);
    expect(taptalk.session.state).toBe('authenticated');
    expect(taptalk.getTaptalkActiveUser()?.userID).toBeTruthy();
    expect(taptalk.getDeviceID()).toMatch(/^[0-9a-f-]{20,}$/);
    taptalk.session.dispose();
  });

  it('reports a reused ticket as "40103" and an unknown one the same way, with no exception', async () => {
    const ticket = await em.requestTicket(uniqueUser());
    const a = client();
    await outcome((cb) => a.authenticateWithAuthTicket(ticket, false, cb));
    const b = client();
    expect(await outcome((cb) => b.authenticateWithAuthTicket(ticket, false, cb))).toMatchObject({ ok: false, code: '40103' });
    expect(await outcome((cb) => b.authenticateWithAuthTicket('unknown', false, cb))).toMatchObject({ ok: false, code: '40103' });
    expect(b.isAuthenticated()).toBe(false);
    a.session.dispose();
    b.session.dispose();
  });

  it('an empty ticket gives "90005" and makes no request', async () => {
    const taptalk = client();
    const before = em.stats().requests['/v1/auth/access_token/request'] ?? 0;
    expect(await outcome((cb) => taptalk.authenticateWithAuthTicket('', true, cb))).toMatchObject({ ok: false, code: '90005' });
    expect(em.stats().requests['/v1/auth/access_token/request'] ?? 0).toBe(before);
    taptalk.session.dispose();
  });
});

describe('connect', () => {
  it('before authentication gives onError "90002" and does not lock later connects (weakness 3)', async () => {
    const taptalk = client();
    expect(await outcome((cb) => taptalk.connect(cb))).toMatchObject({ ok: false, code: '90002' });
    await outcome((cb) => taptalk.authenticateWithAuthTicket('', false, cb));
    const ticket = await em.requestTicket(uniqueUser());
    await outcome((cb) => taptalk.authenticateWithAuthTicket(ticket, false, cb));
    expect(await outcome((cb) => taptalk.connect(cb))).toEqual({ ok: true, message: 'Successfully connected to TapTalk.io server' });
    taptalk.session.dispose();
  });

  it('onClose fires when the connection closes; connection listeners see the cycle and can unsubscribe', async () => {
    const taptalk = client({ timings: { firstRetryMaxMs: 50 } });
    const events: string[] = [];
    const stop = taptalk.addConnectionListener({
      onConnecting: () => events.push('connecting'),
      onConnected: () => events.push('connected'),
      onDisconnected: () => events.push('disconnected'),
      onConnectionError: (code) => events.push(`error ${code}`),
    });
    await outcome((cb) => taptalk.authenticateWithAuthTicket('x', false, cb)); // 40103: no connection events
    const ticket = await em.requestTicket(uniqueUser());
    await outcome((cb) => taptalk.authenticateWithAuthTicket(ticket, false, cb));
    const closed = new Promise<string>((resolve) => taptalk.connect({ onClose: resolve }));
    await reach(taptalk.session, 'connected');
    taptalk.disconnect();
    expect(await closed).toBe('Disconnected from TapTalk.io server');
    expect(events).toEqual(['connecting', 'connected', 'disconnected']);
    stop();
    taptalk.connect();
    await reach(taptalk.session, 'connected');
    expect(events).toHaveLength(3);
    taptalk.session.dispose();
  });
});

describe('callbacks that throw', () => {
  it('are logged and change nothing', async () => {
    const error = vi.fn();
    const taptalk = client({ logger: { warn: () => {}, error } });
    taptalk.addConnectionListener({
      onConnected: () => {
        throw new Error('app bug in onConnected');
      },
    });
    const ticket = await em.requestTicket(uniqueUser());
    taptalk.authenticateWithAuthTicket(ticket, true, {
      onSuccess: () => {
        throw new Error('app bug in onSuccess');
      },
    });
    await reach(taptalk.session, 'connected');
    await new Promise((r) => setTimeout(r, 10));
    expect(error).toHaveBeenCalledTimes(2);
    expect(taptalk.isConnected()).toBe(true);
    expect(await outcome((cb) => taptalk.connect(cb))).toMatchObject({ ok: true });
    taptalk.session.dispose();
  });
});

describe('refresh and expiry', () => {
  it('refreshAccessToken rotates the tokens and stores them first', async () => {
    const storage = memoryStorage();
    const taptalk = client({ storage });
    const ticket = await em.requestTicket(uniqueUser());
    await outcome((cb) => taptalk.authenticateWithAuthTicket(ticket, false, cb));
    const key = storageKeys(em.appKey.id).session;
    const before = JSON.parse(storage.snapshot()[key]!).refreshToken;
    expect(await outcome((cb) => taptalk.refreshAccessToken(cb))).toMatchObject({ ok: true });
    const after = JSON.parse(storage.snapshot()[key]!).refreshToken;
    expect(after).not.toBe(before);
    taptalk.session.dispose();
  });

  it('onTapTalkRefreshTokenExpired fires exactly once when the refresh token is refused (SES-6)', async () => {
    const storage = memoryStorage();
    const taptalk = client({ storage });
    const expired = vi.fn();
    taptalk.addTapListener({ onTapTalkRefreshTokenExpired: expired });
    const ticket = await em.requestTicket(uniqueUser());
    await outcome((cb) => taptalk.authenticateWithAuthTicket(ticket, true, cb));
    await reach(taptalk.session, 'connected');
    em.faults.revokeRefreshTokens();
    em.faults.expireAccessTokens();
    const first = outcome((cb) => taptalk.refreshAccessToken(cb));
    const second = outcome((cb) => taptalk.refreshAccessToken(cb));
    expect(await first).toMatchObject({ ok: false });
    expect(await second).toMatchObject({ ok: false });
    await reach(taptalk.session, 'loggedOut');
    await new Promise((r) => setTimeout(r, 20));
    expect(expired).toHaveBeenCalledTimes(1);
    expect(taptalk.isAuthenticated()).toBe(false);
    expect(storage.snapshot()[storageKeys(em.appKey.id).session]).toBeUndefined();
    taptalk.session.dispose();
    em.faults.reset();
  });
});

describe('init and project configs', () => {
  it('init with invalid arguments throws 95011 at once; calls before init report "90000"', async () => {
    const taptalk = createTapTalk();
    expect(() => taptalk.init('', 'secret', em.url)).toThrow(expect.objectContaining({ code: '95011' }));
    expect(() => taptalk.init('app', 'secret', 'not a url')).toThrow(expect.objectContaining({ code: '95011' }));
    expect(taptalk.isAuthenticated()).toBe(false);
    expect(await outcome((cb) => taptalk.authenticateWithAuthTicket('t', true, cb))).toMatchObject({ ok: false, code: '90000' });
    expect(() => taptalk.session).toThrow(expect.objectContaining({ code: '90000' }));
  });

  it('init with its arguments in another order says the order (issue 10 §5)', () => {
    const taptalk = createTapTalk();
    expect(() => taptalk.init(em.url, em.appKey.id, em.appKey.secret)).toThrow(
      expect.objectContaining({ code: '95011', message: expect.stringContaining('; init(appID, appSecret, baseUrl)') }),
    );
  });

  it('init called twice replaces the session and logs nothing about the first one being disposed (issue 10 §5)', async () => {
    const warnings: string[] = [];
    const logger = { warn: (message: string) => warnings.push(message), error: (message: string) => warnings.push(message) };
    const taptalk = client({ logger });
    taptalk.init(em.appKey.id, em.appKey.secret, em.url, { logger, environment: false });
    // A round trip of the second session: the first one's disposal has long been reported by then.
    expect(await outcome((cb) => taptalk.refreshProjectConfigs(cb))).toMatchObject({ ok: true });
    expect(warnings).toEqual([]);
    taptalk.session.dispose();
  });

  it('refreshProjectConfigs fetches them and getProjectConfigs returns them', async () => {
    const taptalk = client();
    expect(await outcome((cb) => taptalk.refreshProjectConfigs(cb))).toMatchObject({ ok: true });
    expect(taptalk.getProjectConfigs()).toMatchObject({ core: expect.any(Object) });
    taptalk.session.dispose();
  });
});
