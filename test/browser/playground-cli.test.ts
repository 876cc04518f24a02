/**
 * The playground as users start it (issue 10 §1): `npm run emulator` (tsx from source) in its own
 * process, opened in Chromium. The page raises no error and its lit state follows the clicks:
 * ticket, authenticate, connect, disconnect, logout. The in-process test (playground.test.ts)
 * runs under vitest's transform, which hid a page script broken under tsx.
 */
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { StateValue } from 'xstate';
import { sessionMachine } from '../../machines/session.machine.js';
import { ROOT } from '../../scripts/build-iife.js';
import { activeDomIds } from '../../scripts/diagram-lib.js';
import type { PlaygroundWindow } from '../../src/playground/client.js';
import { startChildServer, type ChildServer } from '../support/child-server.js';
import { describeInChromium, launchChromium } from './chromium.js';

declare global {
  interface Window {
    playground: PlaygroundWindow;
  }
}

describeInChromium('the playground under npm run emulator', () => {
  let browser: Browser;
  let server: ChildServer | undefined;
  let page: Page;
  const pageErrors: string[] = [];

  beforeAll(async () => {
    [browser, server] = await Promise.all([
      launchChromium(),
      startChildServer('npm', ['run', 'emulator', '--', '--port', '0'], ROOT, /^Playground: (http:\/\/127\.0\.0\.1:\d+)\/$/m, 45_000),
    ]);
    page = await browser.newPage();
    page.setDefaultTimeout(10_000);
    page.on('pageerror', (error) => pageErrors.push(error.message));
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
    await server?.stop();
  });

  const expectLit = async (state: string) => {
    await page.waitForFunction((s) => window.playground.tap.session.state === s, state);
    const now = await page.evaluate(() => ({
      value: window.playground.tap.session.actor.getSnapshot().value as unknown,
      lit: [...document.querySelectorAll('#chart g.active')].map((g) => g.id).sort(),
      badge: document.getElementById('state')!.textContent,
    }));
    expect(now.badge).toBe(state);
    expect(now.lit).toEqual([...activeDomIds(sessionMachine, now.value as StateValue)].sort());
  };

  it('raises no page error and lights the state each click leads to', async () => {
    await page.goto(`${server!.url}/`);
    await page.waitForFunction(() => window.playground !== undefined).catch((error: Error) => {
      throw new Error(`${error.message}; page errors: ${pageErrors.join('; ')}`);
    });
    await page.evaluate(() => window.playground.ready);
    await expectLit('unauthenticated');
    await page.click('button[data-action=ticket]');
    await page.waitForFunction(() => document.getElementById('ticket')!.textContent!.includes('ready'));
    await page.click('button[data-action=authenticate]');
    await expectLit('authenticated');
    await page.click('button[data-action=connect]');
    await expectLit('connected');
    await page.click('button[data-action=disconnect]');
    await expectLit('authenticated');
    await page.click('button[data-action=logout]');
    await expectLit('loggedOut');
    expect(pageErrors).toEqual([]);
  }, 60_000);
});
