/**
 * Vitest global setup: builds `dist/taptalk-session.global.js` once (about a second, and only when
 * a source is newer), before any browser test serves it.
 */
import { ensureIife } from '../../scripts/build-iife.js';

export default async function setup(): Promise<void> {
  await ensureIife();
}
