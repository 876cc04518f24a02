/**
 * Our IIFE in Chromium against the emulator's TLS mode (`https://`, `wss://`), the browser trusting
 * exactly that certificate through `--ignore-certificate-errors-spki-list`, as docs/emulator.md
 * shows.
 */
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { Emulator } from '../../src/emulator/index.js';
import { uniqueUser } from '../support/emulator-session.js';
import { describeInChromium, launchChromium } from './chromium.js';
import { emulatorWithTestPage } from './test-page.js';

describeInChromium('our client in Chromium against the emulator over TLS', () => {
  let emulator: Emulator;
  let browser: Browser;
  beforeAll(async () => {
    emulator = await emulatorWithTestPage({ tls: true });
    browser = await launchChromium([`--ignore-certificate-errors-spki-list=${emulator.tls!.spki}`]);
  }, 30_000);
  afterAll(async () => {
    await browser?.close();
    await emulator?.close();
  });

  it('authenticates over https:// and connects over wss://', async () => {
    const page = await browser.newPage();
    try {
      await page.goto(`${emulator.url}/test.html`);
      const ticket = await emulator.requestTicket(uniqueUser('tls-browser'));
      const state = await page.evaluate(
        async ([appID, appSecret, baseUrl, t]) => {
          const session = window.TapTalkSession.createSession({ appID, appSecret, baseUrl, logger: { warn() {}, error() {} } });
          await session.authenticate(t, { connect: true });
          await session.connect();
          const connected = session.state;
          await session.logout();
          return connected;
        },
        [emulator.appKey.id, emulator.appKey.secret, emulator.url, ticket] as const,
      );
      expect(state).toBe('connected');
      expect(emulator.stats().connectionsAccepted).toBe(1);
    } finally {
      await page.close();
    }
  });

  it('is refused by a Chromium that was not told to trust the certificate', async () => {
    const untrusting = await launchChromium();
    try {
      const page = await untrusting.newPage();
      await expect(page.goto(`${emulator.url}/test.html`)).rejects.toThrow(/ERR_CERT/);
    } finally {
      await untrusting.close();
    }
  });
});
