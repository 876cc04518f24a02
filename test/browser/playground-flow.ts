/**
 * The playground as users start it, opened in Chromium (issue 10 §1): the page raises no error and
 * its lit state follows the clicks (ticket, authenticate, connect, disconnect, logout). Shared by
 * the check of `npm run emulator` (playground-cli.test.ts) and of the installed package's command
 * (test/package/consumer.test.ts).
 */
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { StateValue } from 'xstate';
import { sessionMachine } from '../../machines/session.machine.js';
import { activeDomIds } from '../../scripts/diagram-lib.js';
import type { PlaygroundWindow } from '../../src/playground/client.js';
import type { ChildServer } from '../support/child-server.js';
import { describeInChromium, launchChromium } from './chromium.js';

declare global {
  interface Window {
    playground: PlaygroundWindow;
  }
}

/** What the emulator command prints once its playground is up. */
export const PLAYGROUND_READY = /^Playground: (http:\/\/127\.0\.0\.1:\d+)\/$/m;

/**
 * Declares the playground check for the server `start` launches (called in `beforeAll`, after any
 * outer `beforeAll`), stopped afterwards.
 */
export function describePlayground(name: string, start: () => Promise<ChildServer>): void {
  describeInChromium(name, () => {
    let browser: Browser;
    let server: ChildServer | undefined;
    let page: Page;
    const pageErrors: string[] = [];

    beforeAll(async () => {
      [browser, server] = await Promise.all([launchChromium(), start()]);
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
}
