/**
 * Chromium for the browser tests: Debian's package, driven by playwright-core (nothing is ever
 * downloaded). Without it the tests skip with the install command; with `CI` set they fail.
 */
import { existsSync } from 'node:fs';
import { chromium, type Browser } from 'playwright-core';
import { describe, it } from 'vitest';
import type * as TapTalkSessionModule from '../../src/index.js';
import type { TapTalk } from '../../src/taptalk.js';

/** Where Debian puts it; `CHROMIUM_PATH` overrides. */
export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

/** Flags that work headless as root in a container. */
export const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--disable-dev-shm-usage',
];

export const INSTALL_HINT = `Chromium not found at ${CHROMIUM_PATH}: apt-get install -y chromium`;

/** Whether the browser tests can run here. */
export const chromiumFound = existsSync(CHROMIUM_PATH);

/**
 * `describe` for browser tests: runs them when Chromium is installed; otherwise skips them, saying
 * how to install it, or (with `CI` set) fails, because CI must run them.
 */
export function describeInChromium(name: string, body: () => void): void {
  if (chromiumFound) {
    describe(name, body);
    return;
  }
  if (process.env.CI) {
    describe(name, () => {
      it('needs Chromium (CI is set, so the browser tests fail instead of skipping)', () => {
        throw new Error(INSTALL_HINT);
      });
    });
    return;
  }
  console.warn(`[browser tests] skipped: ${INSTALL_HINT}`);
  describe.skip(`${name} (skipped: ${INSTALL_HINT})`, body);
}

/**
 * Launches headless Chromium with a bounded start-up.
 *
 * @param extraArgs - more flags, e.g. `--ignore-certificate-errors-spki-list=<hash>` to trust a TLS emulator.
 */
export function launchChromium(extraArgs: string[] = []): Promise<Browser> {
  return chromium.launch({ executablePath: CHROMIUM_PATH, args: [...CHROMIUM_ARGS, ...extraArgs], headless: true, timeout: 20_000 });
}

/** What the test pages put on `window`. */
declare global {
  interface Window {
    TapTalkSession: typeof TapTalkSessionModule;
    tap?: TapTalk;
  }
}
