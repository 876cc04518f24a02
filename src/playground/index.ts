/**
 * The emulator's playground: a page at `/` that drives a session in the browser through the
 * IIFE, shows the statechart with the current state lit, and logs every transition.
 */
import type { EmulatorPage } from '../emulator/types.js';
import { loadPlaygroundAssets } from './assets.js';
import { playgroundHtml, type PlaygroundAssets } from './page.js';

export { loadPlaygroundAssets, playgroundHtml, type PlaygroundAssets };

/** Shown at `/` when the assets could not be prepared. */
function unavailable(error: unknown): string {
  const text = (error instanceof Error ? error.message : String(error)).replace(/[<&]/g, (c) => (c === '<' ? '&lt;' : '&amp;'));
  return `<!doctype html><meta charset="utf-8"><title>playground unavailable</title><h1>Playground unavailable</h1><pre>${text}</pre>`;
}

/**
 * Emulator `pages` for the playground. The assets start loading at once (building the IIFE from
 * source can take a second) and the page is rendered once; a failure shows on the page.
 * The emulator must run with `admin: true`: the page uses `/_emulator/info`, `/ticket` and `/faults/*`.
 *
 * @param load - where the assets come from. @default loadPlaygroundAssets
 * @example
 * ```ts
 * const emulator = await startEmulator({ admin: true, pages: playgroundPages() });
 * console.log(`${emulator.url}/`);
 * ```
 */
export function playgroundPages(load: () => Promise<PlaygroundAssets> = () => loadPlaygroundAssets()): Record<string, EmulatorPage> {
  const html = load().then(playgroundHtml, unavailable);
  return { '/': () => html };
}
