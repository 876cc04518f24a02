/**
 * SES-44..47 in Chromium with blobs the official SDKs wrote themselves: a user logged in with
 * `@taptalk.io/web-sdk` 1.39.0 or `taptalksdk-web` 1.0.310 is still logged in after the app
 * switches to our IIFE, on the same device id, and connects without a new ticket.
 */
import type { Browser, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, expect, it } from 'vitest';
import type { Emulator } from '../../src/emulator/index.js';
import { uniqueUser } from '../support/emulator-session.js';
import { OFFICIAL_SDKS, officialSdkVersion } from '../support/official-sdk.js';
import { describeInChromium, launchChromium } from './chromium.js';
import { emulatorWithOfficialPage, openOfficialPage } from './official-page.js';

/** The official SDK logs the user in: `init` + `authenticateWithAuthTicket` (no connect). */
async function officialLogin(page: Page, emulator: Emulator, ticket: string): Promise<{ userID: string; deviceID: string }> {
  return page.evaluate(
    ([appID, appSecret, baseUrl, t]) =>
      new Promise((resolve, reject) => {
        const { taptalk } = (window as any).TapTalkOfficial;
        taptalk.init(appID, appSecret, baseUrl);
        taptalk.authenticateWithAuthTicket(t, false, {
          onSuccess: () => resolve({ userID: taptalk.getTaptalkActiveUser().userID, deviceID: taptalk.getDeviceID() }),
          onError: (code: string, message: string) => reject(new Error(`${code} ${message}`)),
        });
      }),
    [emulator.appKey.id, emulator.appKey.secret, emulator.url, ticket] as const,
  );
}

/** Our IIFE on `/ours.html` (same origin, so the same localStorage): init, then `whenReady()`. */
async function oursStarts(page: Page, emulator: Emulator, options: Record<string, unknown> = {}) {
  await page.goto(`${emulator.url}/ours.html`);
  return page.evaluate(
    async ([appID, appSecret, baseUrl, extra]) => {
      const tap = window.TapTalkSession.createTapTalk();
      const errors: { code: string; message: string }[] = [];
      tap.init(appID, appSecret, baseUrl, extra);
      tap.session.errors$.subscribe((e) => errors.push({ code: e.code, message: e.message }));
      window.tap = tap;
      const state = await tap.session.whenReady();
      await new Promise((resolve) => setTimeout(resolve, 0)); // errors$ values go out on a microtask
      return { state, userID: tap.session.user?.userID, deviceID: tap.session.deviceID, errors, keys: Object.keys(localStorage).sort() };
    },
    [emulator.appKey.id, emulator.appKey.secret, emulator.url, options] as const,
  );
}

for (const sdk of OFFICIAL_SDKS) {
  describeInChromium(`taking over the session of ${sdk} ${officialSdkVersion(sdk)} in Chromium`, () => {
    let browser: Browser;
    let emulator: Emulator;
    let opened: Awaited<ReturnType<typeof openOfficialPage>> | undefined;

    beforeAll(async () => {
      emulator = await emulatorWithOfficialPage(sdk, { record: true });
      browser = await launchChromium(emulator.tls ? [`--ignore-certificate-errors-spki-list=${emulator.tls.spki}`] : []);
    }, 60_000);
    afterAll(async () => {
      await browser?.close();
      await emulator?.close();
    });
    afterEach(async () => {
      const errors = opened?.pageErrors ?? [];
      await opened?.close();
      opened = undefined;
      expect(errors).toEqual([]);
    });

    it('SES-44, SES-45: the official login is ours after the switch: authenticated, same user and device id, connected with no new ticket, the old blob gone', async () => {
      opened = await openOfficialPage(browser, emulator);
      const { page } = opened;
      const official = await officialLogin(page, emulator, await emulator.requestTicket(uniqueUser('switch')));
      expect(await page.evaluate(() => localStorage.getItem('TapTalk.UserData'))).toMatch(/^[1-9]/);
      const exchanged = emulator.stats().ticketsExchanged;

      const ours = await oursStarts(page, emulator);
      expect(ours).toMatchObject({ state: 'authenticated', userID: official.userID, deviceID: official.deviceID, errors: [] });
      expect(ours.keys).not.toContain('TapTalk.UserData');
      expect(ours.keys).toContain(`taptalk-session:${emulator.appKey.id}:session`);

      await page.evaluate(() => window.tap!.session.connect());
      expect(await page.evaluate(() => window.tap!.isConnected())).toBe(true);
      expect(emulator.stats().ticketsExchanged).toBe(exchanged);
      // The socket carries the official device id, and the token the official SDK was granted.
      const upgrade = emulator.recorded().filter((r) => r.method === 'UPGRADE').at(-1)!;
      const query = new Map(upgrade.query);
      expect(query.get('device_identifier')).toBe(official.deviceID);
      const token = /^Bearer (.+)$/.exec(query.get('authorization') ?? '')![1]!;
      // SES-47: the token never reached the console, whose capture works (a line logged now is seen).
      expect(opened.consoleLines.filter((line) => line.includes(token))).toEqual([]);
      await page.evaluate(() => console.warn('[taptalk-session] capture check'));
      await expect.poll(() => opened!.consoleLines.includes('[taptalk-session] capture check')).toBe(true);
      await page.evaluate(() => window.tap!.logoutAndClearAllTapTalkData({ onSuccess() {} }));
    });

    it('SES-46: a blob that cannot be read gives 95009 and unauthenticated, never a crash', async () => {
      opened = await openOfficialPage(browser, emulator);
      const { page } = opened;
      await officialLogin(page, emulator, await emulator.requestTicket(uniqueUser('broken')));
      // The official SDK's own blob, damaged: one character of the ciphertext changed.
      const damaged = await page.evaluate(() => {
        const blob = localStorage.getItem('TapTalk.UserData')!;
        const changed = `${blob.slice(0, 20)}${blob[20] === 'A' ? 'B' : 'A'}${blob.slice(21, -4)}`;
        localStorage.setItem('TapTalk.UserData', changed);
        return changed;
      });
      const ours = await oursStarts(page, emulator);
      expect(ours.state).toBe('unauthenticated');
      expect(ours.errors).toEqual([{ code: '95009', message: expect.stringMatching(/^The official SDK's stored session is unreadable and was ignored/) }]);
      expect(await page.evaluate(() => localStorage.getItem('TapTalk.UserData'))).toBe(damaged);
    });

    it('SES-44: adoptOfficialSession: false leaves the official login alone', async () => {
      opened = await openOfficialPage(browser, emulator);
      const { page } = opened;
      const official = await officialLogin(page, emulator, await emulator.requestTicket(uniqueUser('optout')));
      const ours = await oursStarts(page, emulator, { adoptOfficialSession: false });
      expect(ours.state).toBe('unauthenticated');
      expect(ours.deviceID).not.toBe(official.deviceID);
      expect(ours.keys).toContain('TapTalk.UserData');
    });
  });
}
