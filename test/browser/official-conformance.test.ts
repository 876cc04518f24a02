/**
 * Conformance: TapTalk's own web SDKs from npm (`@taptalk.io/web-sdk` 1.39.0 and `taptalksdk-web`
 * 1.0.310), bundled for the page, run in Chromium against the emulator through their public API
 * only. Where an official SDK misbehaves by its own bug, the test names the weakness (protocol
 * reference §6) and asserts the SDK's actual behaviour; the emulator is never bent to suit it.
 * 1.0.310 always dials `wss://`, so it runs against the emulator's TLS mode, trusted by Chromium
 * through the certificate's SPKI hash.
 */
import type { Browser, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, expect, it } from 'vitest';
import type { Emulator } from '../../src/emulator/index.js';
import { uniqueUser } from '../support/emulator-session.js';
import { OFFICIAL_SDKS, officialSdkBundle, officialSdkVersion, type OfficialSdk } from '../support/official-sdk.js';
import { describeInChromium, launchChromium } from './chromium.js';
import { emulatorWithOfficialPage, openOfficialPage } from './official-page.js';

declare global {
  interface Window {
    TapTalkOfficial: any;
    log: { success: unknown[]; error: unknown[]; close: unknown[]; expired: number; status: unknown[] };
  }
}

const BEARER = /^Bearer (.+)$/;

/** `init`, and a log of every callback the SDK makes, on `window.log`. */
function init(page: Page, emulator: Emulator): Promise<void> {
  return page.evaluate(
    ([appID, appSecret, baseUrl]) => {
      window.log = { success: [], error: [], close: [], expired: 0, status: [] };
      const { taptalk, tapCoreChatRoomManager } = window.TapTalkOfficial;
      taptalk.init(appID, appSecret, baseUrl);
      taptalk.addTapListener({ onTapTalkRefreshTokenExpired: () => window.log.expired++ });
      tapCoreChatRoomManager.addRoomStatusListener({
        onReceiveStartTyping() {},
        onReceiveStopTyping() {},
        onReceiveOnlineStatus: (user: unknown, isOnline: boolean, lastActive: number) => window.log.status.push({ user, isOnline, lastActive }),
      });
    },
    [emulator.appKey.id, emulator.appKey.secret, emulator.url],
  );
}

/** `authenticateWithAuthTicket(ticket, connectOnSuccess, callback)`: resolves with the first callback. */
function authenticate(page: Page, ticket: string, connectOnSuccess: boolean): Promise<{ ok: boolean; args: unknown[] }> {
  return page.evaluate(
    ([t, connect]) =>
      new Promise((resolve) => {
        window.TapTalkOfficial.taptalk.authenticateWithAuthTicket(t, connect, {
          onSuccess: (...args: unknown[]) => {
            window.log.success.push(args);
            resolve({ ok: true, args });
          },
          onError: (...args: unknown[]) => {
            window.log.error.push(args);
            resolve({ ok: false, args });
          },
        });
      }),
    [ticket, connectOnSuccess] as const,
  );
}

/** `connect({ onSuccess, onError, onClose })`: resolves on `onSuccess` (the socket's `open`) or `onError`. */
function connect(page: Page): Promise<{ ok: boolean; args: unknown[] }> {
  return page.evaluate(
    () =>
      new Promise((resolve) => {
        window.TapTalkOfficial.taptalk.connect({
          onSuccess: (...args: unknown[]) => resolve({ ok: true, args }),
          onError: (...args: unknown[]) => {
            window.log.error.push(args);
            resolve({ ok: false, args });
          },
          onClose: (...args: unknown[]) => window.log.close.push(args),
        });
      }),
  );
}

const official = (page: Page, method: 'isAuthenticated' | 'isConnected') => page.evaluate((m) => window.TapTalkOfficial.taptalk[m]() as boolean, method);

/** The bearer tokens the emulator received as `method` on `path` (`UPGRADE`: the socket's, from its query). */
function bearers(emulator: Emulator, method: string, path: string): string[] {
  return emulator
    .recorded()
    .filter((r) => r.method === method && r.path === path)
    .map((r) => (r.method === 'UPGRADE' ? (new Map(r.query).get('authorization') ?? '') : (r.headers.authorization ?? '')))
    .map((value) => BEARER.exec(value)?.[1] ?? '');
}

/** The token probe with `token`, from Node: what the server thinks of it now. */
async function probe(emulator: Emulator, page: Page, token: string): Promise<string> {
  // From the page, so TLS trust and the device id are the SDK's own.
  return page.evaluate(
    async ([url, appKey, bearer, device]) => {
      const response = await fetch(`${url}/connect?check=1`, { headers: { 'App-Key': appKey, Authorization: `Bearer ${bearer}`, 'Device-Identifier': device } });
      return ((await response.json()) as { error: { code: string } }).error.code;
    },
    [emulator.url, btoa(`${emulator.appKey.id}:${emulator.appKey.secret}`), token, await page.evaluate(() => window.TapTalkOfficial.taptalk.getDeviceID() as string)] as const,
  );
}

for (const sdk of OFFICIAL_SDKS) {
  describeInChromium(`the official ${sdk} ${officialSdkVersion(sdk)} against the emulator`, () => {
    let browser: Browser;
    let emulator: Emulator;
    let opened: Awaited<ReturnType<typeof openOfficialPage>> | undefined;
    let page: Page;

    beforeAll(async () => {
      emulator = await emulatorWithOfficialPage(sdk, { record: true });
      browser = await launchChromium(emulator.tls ? [`--ignore-certificate-errors-spki-list=${emulator.tls.spki}`] : []);
    }, 60_000);
    afterAll(async () => {
      await browser?.close();
      await emulator?.close();
    });

    const open = async () => {
      opened = await openOfficialPage(browser, emulator);
      page = opened.page;
      await init(page, emulator);
      return opened;
    };
    afterEach(async () => {
      // No test may leave an uncaught error in the page (callbacks that throw, a strict-mode crash, ...).
      const errors = opened?.pageErrors ?? [];
      await opened?.close();
      opened = undefined;
      expect(errors).toEqual([]);
    });

    it('loads as sloppy-mode code with no "use strict" above it, and init() asks for the project configs', async () => {
      const code = await officialSdkBundle(sdk);
      expect(code.slice(0, code.indexOf('__commonJS'))).not.toContain('use strict');
      await open();
      await expect.poll(() => page.evaluate(() => window.TapTalkOfficial.taptalk.getProjectConfigs()?.core?.chatMediaMaxFileSize)).toBe('26214400');
      expect(emulator.url.startsWith(sdk === 'taptalksdk-web' ? 'https://' : 'http://')).toBe(true);
      if (sdk === 'taptalksdk-web') {
        // Mutation: the same bundle as strict-mode code dies on its `window.indexedDB = ...`.
        const strict = await browser.newPage();
        try {
          const failed = new Promise<string>((resolve) => strict.once('pageerror', (error) => resolve(String(error))));
          await strict.setContent('<!doctype html><title>strict</title>');
          await strict.addScriptTag({ content: `"use strict";\n${code}` }).catch(() => undefined);
          expect(await failed).toMatch(/indexedDB/);
        } finally {
          await strict.close();
        }
      }
    });

    it('authenticates without connecting, connects, gets a server event, sends a typing emit and logs out, revoking on the server', async () => {
      await open();
      const user = uniqueUser(sdk.replace(/\W/g, ''));
      const auth = await authenticate(page, await emulator.requestTicket(user), false);
      expect(auth).toEqual({ ok: true, args: ['Request access token success'] });
      expect(await official(page, 'isAuthenticated')).toBe(true);
      expect(await page.evaluate(() => window.TapTalkOfficial.taptalk.getTaptalkActiveUser().xcUserID)).toBe(user.xcUserID);
      expect(await official(page, 'isConnected')).toBe(false);

      expect(await connect(page)).toEqual({ ok: true, args: ['Successfully connected to TapTalk.io server'] });
      expect(await official(page, 'isConnected')).toBe(true);
      expect(emulator.stats().openSockets).toBe(1);

      // Server → client: a binary frame reaches the SDK's room-status listener.
      expect(emulator.emit(user.xcUserID, 'user/status', { user: { xcUserID: user.xcUserID }, isOnline: true, lastActive: 1234 })).toBe(1);
      await expect.poll(() => page.evaluate(() => window.log.status)).toEqual([{ user: { xcUserID: user.xcUserID }, isOnline: true, lastActive: 1234 }]);
      // Client → server: the SDK's typing emit is recorded by the emulator.
      await page.evaluate(() => window.TapTalkOfficial.tapCoreChatRoomManager.sendStartTypingEmit('room-conformance'));
      await expect.poll(() => emulator.received().find((f) => f.xcUserID === user.xcUserID)).toMatchObject({ eventName: 'chat/startTyping', data: { roomID: 'room-conformance' } });

      const logoutsBefore = emulator.stats().logouts;
      const logout = await page.evaluate(() => new Promise((resolve) => window.TapTalkOfficial.taptalk.logoutAndClearAllTapTalkData({ onSuccess: resolve })));
      expect(logout).toBe('Logged out successfully');
      expect(await official(page, 'isAuthenticated')).toBe(false);
      await expect.poll(() => emulator.stats().logouts).toBe(logoutsBefore + 1);
      // The server revoked the token the SDK logged out with, and closed that session's socket
      // itself: the SDK does not close it (weakness 21), the emulator's 1000 "Logged out" does.
      const loggedOut = bearers(emulator, 'POST', '/v1/client/logout').at(-1)!;
      expect(await probe(emulator, page, loggedOut)).toBe('40103');
      await expect.poll(() => emulator.stats().openSockets).toBe(0);
      await expect.poll(() => page.evaluate(() => window.log.close.length)).toBe(1);
    });

    it('authenticates with connectOnSuccess but opens no socket (weakness 7)', async () => {
      const { consoleErrors } = await open();
      const upgradesBefore = emulator.stats().requests['ws:/connect'] ?? 0;
      const probesBefore = emulator.stats().requests['/connect?check=1'] ?? 0;
      expect(await authenticate(page, await emulator.requestTicket(uniqueUser('connect')), true)).toMatchObject({ ok: true });
      if (sdk === 'taptalksdk-web') {
        // 1.0.310 calls `_this.testAccessToken` on module.exports: a TypeError its own .catch logs.
        await expect.poll(() => consoleErrors.join('\n')).toMatch(/testAccessToken is not a function/);
      } else {
        // 1.39 probes the token and calls onSuccess a second time instead of connecting.
        await expect.poll(() => page.evaluate(() => window.log.success.length)).toBe(2);
        expect(emulator.stats().requests['/connect?check=1']).toBe(probesBefore + 1);
      }
      expect(emulator.stats().requests['ws:/connect'] ?? 0).toBe(upgradesBefore);
      expect(await official(page, 'isConnected')).toBe(false);
    });

    it('refreshes an expired access token (40104) and retries the probe, then connects with the new token', async () => {
      await open();
      await authenticate(page, await emulator.requestTicket(uniqueUser('expired')), false);
      const refreshesBefore = emulator.stats().refreshes;
      emulator.faults.expireAccessTokens();
      expect(await connect(page)).toMatchObject({ ok: true });
      expect(emulator.stats().refreshes).toBe(refreshesBefore + 1);
      const probes = bearers(emulator, 'GET', '/connect').slice(-2);
      const socket = bearers(emulator, 'UPGRADE', '/connect').at(-1);
      expect(probes[0]).not.toBe(probes[1]); // retried with the refreshed token...
      expect(socket).toBe(probes[1]); // ...which the socket then uses
      await page.evaluate(() => window.TapTalkOfficial.taptalk.disconnect());
    });

    it('fires onTapTalkRefreshTokenExpired when the refresh token is revoked, but keeps the dead tokens (weakness 6)', async () => {
      await open();
      await authenticate(page, await emulator.requestTicket(uniqueUser('revoked')), false);
      const refreshCalls = emulator.stats().requests['/v1/auth/access_token/refresh'] ?? 0;
      emulator.faults.revokeRefreshTokens();
      // The probe says "expired" so that the SDK goes to the refresh call with its revoked refresh token.
      emulator.faults.failNext('/connect?check=1', { status: 401, code: '40104', message: 'Token expired' });
      await page.evaluate(() => window.TapTalkOfficial.taptalk.connect({ onSuccess() {}, onError() {}, onClose() {} }));
      await expect.poll(() => page.evaluate(() => window.log.expired)).toBe(1);
      expect(emulator.stats().requests['/v1/auth/access_token/refresh']).toBe(refreshCalls + 1);
      // Weakness 6: the refused tokens stay stored, so the SDK still claims to be authenticated.
      expect(await official(page, 'isAuthenticated')).toBe(true);
    });
  });
}
