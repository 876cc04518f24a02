/**
 * The IIFE in Chromium against the emulator, with the browser's own fetch, WebSocket and
 * localStorage: authenticate, restore after a reload, recover from a drop, go offline and back,
 * log out without leaving a token behind.
 */
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, expect, it } from 'vitest';
import type { Emulator } from '../../src/emulator/index.js';
import type { SessionTransition } from '../../src/session/types.js';
import { tokensIn, uniqueUser } from '../support/emulator-session.js';
import { describeInChromium, launchChromium } from './chromium.js';
import { emulatorWithTestPage } from './test-page.js';

declare global {
  interface Window {
    transitions: SessionTransition[];
  }
}

/** Every wait in a page is bounded by this. */
const WAIT = { timeout: 10_000 };

describeInChromium('the browser build in Chromium', () => {
  let browser: Browser;
  let emulator: Emulator;
  let context: BrowserContext;
  let page: Page;
  let socketUrls: string[];

  beforeAll(async () => {
    [browser, emulator] = await Promise.all([launchChromium(), emulatorWithTestPage()]);
  }, 30_000);

  afterAll(async () => {
    await browser?.close();
    await emulator?.close();
  });

  const openPage = async () => {
    context = await browser.newContext();
    page = await context.newPage();
    socketUrls = [];
    page.on('websocket', (ws) => socketUrls.push(ws.url()));
    page.setDefaultTimeout(WAIT.timeout);
    await page.goto(`${emulator.url}/test.html`);
  };

  afterEach(async () => {
    await context?.close();
  });

  /** `createTapTalk()` + `init` in the page, every transition recorded on `window.transitions`. */
  const initTap = (p: Page = page) =>
    p.evaluate(
      ([appID, appSecret, baseUrl]) => {
        const tap = window.TapTalkSession.createTapTalk();
        tap.init(appID, appSecret, baseUrl, { logger: { warn: () => {}, error: () => {} } });
        window.tap = tap;
        window.transitions = [];
        tap.session.transitions$.subscribe((t) => window.transitions.push(t));
        return tap.session.whenReady();
      },
      [emulator.appKey.id, emulator.appKey.secret, emulator.url] as const,
    );

  const authenticate = async (user = uniqueUser('browser')) => {
    const ticket = await emulator.requestTicket(user);
    await page.evaluate(
      (t) =>
        new Promise<void>((resolve, reject) =>
          window.tap!.authenticateWithAuthTicket(t, true, {
            onSuccess: () => resolve(),
            onError: (code, message) => reject(new Error(`${code} ${message}`)),
          }),
        ),
      ticket,
    );
    await page.waitForFunction(() => window.tap!.isConnected());
    return user;
  };

  const state = () => page.evaluate(() => window.tap!.session.state);
  const storage = () => page.evaluate(() => ({ ...localStorage }) as Record<string, string>);

  it('authenticates with a ticket over the native fetch and WebSocket, credentials in the query string', async () => {
    await openPage();
    expect(await initTap()).toBe('unauthenticated');
    const before = emulator.stats();
    const user = await authenticate();

    expect(await page.evaluate(() => window.tap!.getTaptalkActiveUser()?.xcUserID)).toBe(user.xcUserID);
    expect(emulator.stats().ticketsExchanged).toBe(before.ticketsExchanged + 1);
    expect(emulator.stats().connectionsAccepted).toBe(before.connectionsAccepted + 1);
    // The emulator accepts headers or query keys alike; what the browser sent is seen on the page.
    expect(socketUrls).toHaveLength(1);
    const query = new URL(socketUrls[0]!).searchParams;
    expect(query.get('app_key')).not.toBeNull();
    expect(query.get('authorization')).toMatch(/^Bearer \S+$/);
    expect(query.get('device_identifier')).not.toBeNull();
    expect(query.get('device_platform')).toBe('web');
    // The bundle uses the page's own WebSocket: no Node client could have opened this one.
    expect(await page.evaluate(() => WebSocket.toString().includes('[native code]'))).toBe(true);
  });

  it('restores the session from localStorage after a reload, without a new ticket', async () => {
    await openPage();
    await initTap();
    const user = await authenticate();
    const exchanged = emulator.stats().ticketsExchanged;

    await page.reload();
    expect(await initTap()).toBe('authenticated');
    expect(await page.evaluate(() => window.tap!.getTaptalkActiveUser()?.xcUserID)).toBe(user.xcUserID);
    await page.evaluate(() => new Promise<void>((resolve, reject) => window.tap!.connect({ onSuccess: () => resolve(), onError: (c) => reject(new Error(c)) })));
    expect(await state()).toBe('connected');
    expect(emulator.stats().ticketsExchanged).toBe(exchanged);
  });

  it('recovers from a connection the server drops', async () => {
    await openPage();
    await initTap();
    await authenticate();
    const accepted = emulator.stats().connectionsAccepted;

    expect(emulator.faults.dropConnections()).toBeGreaterThanOrEqual(1);
    await page.waitForFunction(() => window.transitions.some((t) => t.from === 'connected' && t.to === 'connecting'));
    await page.waitForFunction(() => window.tap!.isConnected());
    const drop = await page.evaluate(() => window.transitions.find((t) => t.from === 'connected' && t.to === 'connecting')!);
    expect(drop.reason).toBeDefined();
    expect(drop.retryIn).toBeGreaterThanOrEqual(0);
    expect(emulator.stats().connectionsAccepted).toBeGreaterThan(accepted);
  });

  it('goes offline with the browser and reconnects when it is back online', async () => {
    await openPage();
    await initTap();
    await authenticate();

    await context.setOffline(true);
    await page.waitForFunction(() => !window.tap!.isConnected());
    expect(await state()).toBe('connecting');
    await context.setOffline(false);
    await page.waitForFunction(() => window.tap!.isConnected());
    const events = await page.evaluate(() => window.transitions.map((t) => t.event));
    expect(events).toContain('env.offline');
    expect(events).toContain('env.online');
  });

  it('logs out leaving no token in localStorage', async () => {
    await openPage();
    await initTap();
    await authenticate();
    const credentials = await page.evaluate(() => window.tap!.session.actor.getSnapshot().context.credentials!);
    const tokens = [credentials.accessToken, credentials.refreshToken];
    // The check below can see a token: before logout, the stored session holds both.
    expect(tokensIn(await storage(), tokens).length).toBeGreaterThan(0);

    await page.evaluate(() => new Promise<void>((resolve, reject) => window.tap!.logoutAndClearAllTapTalkData({ onSuccess: () => resolve(), onError: (c) => reject(new Error(c)) })));
    expect(await state()).toBe('loggedOut');
    const left = await storage();
    expect(tokensIn(left, tokens)).toEqual([]);
    expect(Object.keys(left).filter((k) => k.endsWith(':session'))).toEqual([]);
    expect(Object.values(left).join('\n')).not.toMatch(/accessToken|refreshToken/);
    expect(emulator.stats().openSockets).toBe(0);
  });
});
