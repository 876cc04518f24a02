/**
 * Vitest global setup: builds `dist/taptalk-session.global.js` once (about a second, and only when
 * a source is newer), before any browser test serves it. A failed build (a Node built-in reaching
 * the browser graph, say) fails the browser tests, not the whole run: the stale bundle is removed
 * so that nothing tests it by mistake.
 */
import { rmSync } from 'node:fs';
import { ensureIife, IIFE_PATH } from '../../scripts/build-iife.js';

export default async function setup(): Promise<void> {
  try {
    await ensureIife();
  } catch (error) {
    rmSync(IIFE_PATH, { force: true });
    console.error('[browser tests] building the IIFE failed; the browser tests will fail:', error);
  }
}
