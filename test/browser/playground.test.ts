/**
 * The playground in Chromium: clicks through the buttons and faults, and after each step checks
 * that the lit statechart is the engine's state (the lit groups equal diagram-lib's
 * `activeDomIds` of the session's own snapshot). Saves a screenshot to .tmp/playground.png (never
 * to the tracked docs/playground.png: `npm test` leaves the tree clean); copy it over to refresh
 * the docs.
 */
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { StateValue } from 'xstate';
import { sessionMachine } from '../../machines/session.machine.js';
import { activeDomIds } from '../../scripts/diagram-lib.js';
import { ROOT } from '../../scripts/build-iife.js';
import { startEmulator } from '../../src/emulator/index.js';
import type { Emulator } from '../../src/emulator/index.js';
import { playgroundPages } from '../../src/playground/index.js';
import type { PlaygroundWindow } from '../../src/playground/client.js';
import { describeInChromium, launchChromium } from './chromium.js';

declare global {
  interface Window {
    playground: PlaygroundWindow;
  }
}

const SCREENSHOT = join(ROOT, '.tmp', 'playground.png');

describeInChromium('the playground', () => {
  let browser: Browser;
  let emulator: Emulator;
  let page: Page;

  beforeAll(async () => {
    [browser, emulator] = await Promise.all([launchChromium(), startEmulator({ host: '127.0.0.1', port: 0, admin: true, pages: playgroundPages() })]);
    page = await browser.newPage({ viewport: { width: 1720, height: 1000 } });
    page.setDefaultTimeout(10_000);
  }, 30_000);

  afterAll(async () => {
    await browser?.close();
    await emulator?.close();
  });

  /** The engine's state and what the page shows, read in one go so nothing moves in between. */
  const seen = () =>
    page.evaluate(() => {
      const { tap, litIds } = window.playground;
      return {
        state: tap.session.state,
        value: tap.session.actor.getSnapshot().value as unknown,
        lit: litIds(),
        litInDom: [...document.querySelectorAll('#chart g.active')].map((g) => g.id),
        badge: document.getElementById('state')!.textContent,
      };
    });

  /** Waits for the engine to reach `state`, then checks the page lights exactly its states. */
  const expectLit = async (state: string) => {
    await page.waitForFunction((s) => window.playground.tap.session.state === s, state);
    const now = await seen();
    const expected = activeDomIds(sessionMachine, now.value as StateValue);
    expect(now.state).toBe(state);
    expect(now.badge).toBe(state);
    expect(now.lit).toEqual(expected);
    expect([...now.litInDom].sort()).toEqual([...expected].sort());
    return now;
  };

  const click = (selector: string) => page.click(selector);
  const logText = () => page.locator('#log-body').innerText();

  it('lights the engine state through ticket, authenticate, connect, faults, disconnect and logout', async () => {
    await page.goto(`${emulator.url}/`);
    await page.waitForFunction(() => window.playground !== undefined);
    await page.evaluate(() => window.playground.ready);
    await expectLit('unauthenticated');

    await click('button[data-action=ticket]');
    await page.waitForFunction(() => document.getElementById('ticket')!.textContent!.includes('ready'));
    await click('button[data-action=authenticate]');
    await expectLit('authenticated');

    await click('button[data-action=connect]');
    await expectLit('connected');

    // A drop: the log shows the way down, with its reason and retryIn, and the way back.
    await click('button[data-fault=dropConnections]');
    await page.waitForFunction(() => window.playground.tap.session.state !== 'connected');
    await expectLit('connected');
    expect(await logText()).toMatch(/connected → connecting \(waiting\)\s+\S+\s+\d+ ms\s+socket\.closed/);

    // An expired access token: the next probe meets 40104, the session refreshes and reconnects.
    await click('button[data-fault=expireAccessTokens]');
    await click('button[data-fault=dropConnections]');
    await page.waitForFunction(() => document.getElementById('log-body')!.innerText.includes('token_refreshed'));
    await expectLit('connected');

    // Refused connections: retries wait with a retryIn; then the server takes it back.
    await click('button[data-fault=refuseConnections]');
    await click('button[data-fault=dropConnections]');
    await page.waitForFunction(() => /refused|waiting/.test(document.getElementById('substate')!.textContent!));
    await expectLit('connecting');
    await click('button[data-fault=reset]');
    await expectLit('connected');
    await page.screenshot({ path: SCREENSHOT });

    await click('button[data-action=disconnect]');
    await expectLit('authenticated');

    // A revoked refresh token: the refresh is refused and the session ends.
    await click('button[data-fault=revokeRefreshTokens]');
    await click('button[data-action=refresh]');
    await expectLit('loggedOut');
    expect(await logText()).toContain('40103');

    await click('button[data-action=ticket]');
    await page.waitForFunction(() => document.getElementById('ticket')!.textContent!.includes('ready'));
    await click('#autoconnect');
    await click('button[data-action=authenticate]');
    await expectLit('connected');
    await click('button[data-action=logout]');
    await expectLit('loggedOut');
  }, 60_000);
});
