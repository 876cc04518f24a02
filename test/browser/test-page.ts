/**
 * An emulator that also serves the IIFE and a bare test page from its own origin, so the page's
 * native `fetch` and `WebSocket` talk to it without CORS or a second server.
 */
import { existsSync, readFileSync } from 'node:fs';
import { IIFE_PATH } from '../../scripts/build-iife.js';
import { startEmulator } from '../../src/emulator/index.js';
import type { Emulator, EmulatorOptions } from '../../src/emulator/index.js';

/** The page: the IIFE and nothing else; tests drive it with `page.evaluate`. */
export const TEST_HTML = `<!doctype html>
<html><head><meta charset="utf-8"><title>taptalk-session test</title></head>
<body><script src="/taptalk-session.global.js"></script></body></html>`;

/** Starts an emulator on 127.0.0.1:0 serving `/test.html` and `/taptalk-session.global.js`. */
export async function emulatorWithTestPage(options: EmulatorOptions = {}): Promise<Emulator> {
  // Built by the global setup; read once per emulator so every page load gets the same bundle.
  if (!existsSync(IIFE_PATH)) throw new Error(`${IIFE_PATH} is missing: its build failed in the global setup (see its output)`);
  const iife = readFileSync(IIFE_PATH, 'utf8');
  return startEmulator({
    host: '127.0.0.1',
    port: 0,
    ...options,
    pages: { '/test.html': () => TEST_HTML, '/taptalk-session.global.js': () => iife, ...options.pages },
  });
}
