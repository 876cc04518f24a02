/**
 * Pages for the official SDKs: an emulator serving `/official.html`, which loads one official
 * SDK's bundle (test/support/official-sdk.ts) as `window.TapTalkOfficial` and our IIFE beside it
 * as `window.TapTalkSession`, and `/ours.html` with our IIFE alone (the app after the switch). Tests drive both through their public API with `page.evaluate`.
 */
import { existsSync, readFileSync } from 'node:fs';
import type { Browser, Page } from 'playwright-core';
import { IIFE_PATH } from '../../scripts/build-iife.js';
import { startEmulator, type Emulator, type EmulatorOptions } from '../../src/emulator/index.js';
import { officialSdkBundle, type OfficialSdk } from '../support/official-sdk.js';
import { TEST_HTML } from './test-page.js';

export const OFFICIAL_HTML = `<!doctype html>
<html><head><meta charset="utf-8"><title>official SDK</title></head>
<body><script src="/official.js"></script><script src="/taptalk-session.global.js"></script></body></html>`;

/** What 1.0.310 and 1.39.0 need from the emulator: 1.0.310 always dials `wss://` (weakness 18). */
export const NEEDS_TLS: Record<OfficialSdk, boolean> = { 'taptalksdk-web': true, '@taptalk.io/web-sdk': false };

/** An emulator on 127.0.0.1:0 serving the page for `sdk` (over TLS where the SDK needs it). */
export async function emulatorWithOfficialPage(sdk: OfficialSdk, options: EmulatorOptions = {}): Promise<Emulator> {
  const official = await officialSdkBundle(sdk);
  if (!existsSync(IIFE_PATH)) throw new Error(`${IIFE_PATH} is missing: its build failed in the global setup (see its output)`);
  const iife = readFileSync(IIFE_PATH, 'utf8');
  return startEmulator({
    host: '127.0.0.1',
    port: 0,
    tls: NEEDS_TLS[sdk],
    ...options,
    pages: { '/official.html': () => OFFICIAL_HTML, '/ours.html': () => TEST_HTML, '/official.js': () => official, '/taptalk-session.global.js': () => iife, ...options.pages },
  });
}

/** A page in a fresh context on the emulator's page, with its uncaught errors and console errors collected. */
export async function openOfficialPage(browser: Browser, emulator: Emulator): Promise<{ page: Page; pageErrors: string[]; consoleErrors: string[]; consoleLines: string[]; close: () => Promise<void> }> {
  const context = await browser.newContext();
  const page = await context.newPage();
  page.setDefaultTimeout(10_000);
  const pageErrors: string[] = [];
  const consoleErrors: string[] = [];
  const consoleLines: string[] = [];
  page.on('pageerror', (error) => pageErrors.push(String(error)));
  page.on('console', (message) => {
    consoleLines.push(message.text());
    if (message.type() === 'error') consoleErrors.push(message.text());
  });
  await page.goto(`${emulator.url}/official.html`);
  return { page, pageErrors, consoleErrors, consoleLines, close: () => context.close() };
}
