/**
 * SES-48 in Chromium: on a page load that restores a stored session from an asynchronous storage,
 * no `sign-in` frame reaches a React UI bound to the loading flag, while the same UI bound to the
 * state alone does show one (so the record can see a flash when there is one).
 */
import { join } from 'node:path';
import { build } from 'esbuild';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { ROOT } from '../../scripts/build-iife.js';
import { startEmulator, type Emulator } from '../../src/emulator/index.js';
import { uniqueUser } from '../support/emulator-session.js';
import { describeInChromium, launchChromium } from './chromium.js';

const PAGE = `<!doctype html><html><head><meta charset="utf-8"><title>react page load</title></head>
<body><div id="withFlag"></div><div id="stateOnly"></div><script src="/react-app.js"></script></body></html>`;

/** The page's script: React 19, the binding and the engine from source, as a browser app bundles them. */
async function bundleApp(): Promise<string> {
  const out = await build({
    entryPoints: [join(ROOT, 'test/browser/react-app.ts')],
    bundle: true,
    format: 'iife',
    platform: 'browser',
    target: 'es2022',
    conditions: ['browser', 'es2015', 'module'],
    alias: { 'taptalk-session/react': join(ROOT, 'src/react/index.ts'), 'taptalk-session': join(ROOT, 'src/index.ts') },
    define: { 'process.env.NODE_ENV': '"production"' },
    write: false,
    logLevel: 'silent',
  });
  return out.outputFiles[0]!.text;
}

describeInChromium('the React page load in Chromium (SES-48)', () => {
  let browser: Browser;
  let emulator: Emulator;

  beforeAll(async () => {
    const script = await bundleApp();
    [browser, emulator] = await Promise.all([
      launchChromium(),
      startEmulator({ host: '127.0.0.1', port: 0, pages: { '/react.html': () => PAGE, '/react-app.js': () => script } }),
    ]);
  }, 30_000);

  afterAll(async () => {
    await browser?.close();
    await emulator?.close();
  });

  const shown = (page: Page) => page.evaluate(() => window.shown);

  it('SES-48: no sign-in frame reaches a UI bound to the loading flag while a stored session restores', async () => {
    const context = await browser.newContext();
    const page = await context.newPage();
    page.setDefaultTimeout(10_000);
    const url = `${emulator.url}/react.html?appID=${emulator.appKey.id}&appSecret=${emulator.appKey.secret}`;

    // First visit: nothing stored, so the flag turns into the sign-in screen; then sign in.
    await page.goto(url);
    await page.waitForFunction(() => window.shown.withFlag.at(-1) === 'sign-in');
    expect((await shown(page)).withFlag).toEqual(['loading', 'sign-in']);
    const ticket = await emulator.requestTicket(uniqueUser('react-page'));
    await page.evaluate((t) => window.session.authenticate(t).then(() => undefined), ticket);
    await page.waitForFunction(() => window.shown.withFlag.at(-1) === 'chat:authenticated');

    // Reload: the stored session is read (slowly) and restored.
    await page.reload();
    await page.waitForFunction(() => window.shown.withFlag.at(-1) === 'chat:authenticated');
    const after = await shown(page);
    expect(after.withFlag).toEqual(['loading', 'chat:authenticated']);
    // Without the flag the same UI flashes the sign-in screen: the record would have seen it.
    expect(after.stateOnly).toEqual(['sign-in', 'chat:authenticated']);
    await context.close();
  });
});
