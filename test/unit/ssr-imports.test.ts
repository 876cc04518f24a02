/**
 * SSR: importing any entry on a server (Node, or an edge runtime loading the browser build) touches
 * no `window`, `document` or web storage, and the React binding renders the loading state there.
 * Each entry is imported with traps on those globals installed first.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { build } from 'esbuild';
import { createElement as h } from 'react';
import { renderToString } from 'react-dom/server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ROOT } from '../../scripts/build-iife.js';

const BROWSER_GLOBALS = ['window', 'document', 'localStorage', 'sessionStorage'] as const;
const touched: string[] = [];

beforeAll(() => {
  for (const name of BROWSER_GLOBALS) {
    Object.defineProperty(globalThis, name, {
      configurable: true,
      get: () => void touched.push(name),
    });
  }
});
afterAll(() => {
  for (const name of BROWSER_GLOBALS) delete (globalThis as Record<string, unknown>)[name];
});

/** An entry bundled by esbuild with `conditions` (the browser build, as an edge runtime resolves it). */
async function bundled(entry: string, conditions: string[], name: string): Promise<string> {
  const dir = join(ROOT, '.tmp', 'ssr');
  mkdirSync(dir, { recursive: true });
  const out = await build({ entryPoints: [join(ROOT, entry)], bundle: true, format: 'esm', platform: 'neutral', conditions, mainFields: ['module', 'main'], write: false, logLevel: 'silent' });
  const file = join(dir, `${name}-${process.pid}.mjs`);
  writeFileSync(file, out.outputFiles[0]!.text);
  return pathToFileURL(file).href;
}

describe('SSR: importing an entry on the server', () => {
  it('the traps see a module that does touch window (the check can fail)', async () => {
    const file = join(ROOT, '.tmp', 'ssr', `touches-${process.pid}.mjs`);
    mkdirSync(join(ROOT, '.tmp', 'ssr'), { recursive: true });
    writeFileSync(file, 'export const w = globalThis.window;\n');
    touched.length = 0;
    await import(/* @vite-ignore */ pathToFileURL(file).href);
    expect(touched).toEqual(['window']);
  });

  it.each([
    ['taptalk-session (Node)', '../../src/node.js'],
    ['taptalk-session/machines', '../../machines/index.js'],
    ['taptalk-session/emulator', '../../src/emulator/index.js'],
    ['taptalk-session/react', '../../src/react/index.js'],
  ])('%s touches no browser global', async (_name, entry) => {
    touched.length = 0;
    const module = await import(/* @vite-ignore */ entry);
    expect(Object.keys(module).length).toBeGreaterThan(0);
    expect(touched).toEqual([]);
  });

  it('the browser build (what an edge runtime resolves) touches no browser global when imported', async () => {
    const url = await bundled('src/index.ts', ['browser', 'es2015', 'module'], 'browser');
    touched.length = 0;
    const module = await import(/* @vite-ignore */ url);
    expect(typeof module.createSession).toBe('function');
    expect(touched).toEqual([]);
  });

  it('the React binding renders the loading state on the server (a null session)', async () => {
    const { SessionProvider, useSessionState } = await import('../../src/react/index.js');
    function Screen() {
      const { state, ready } = useSessionState();
      return h('p', null, ready ? state : 'loading');
    }
    touched.length = 0;
    expect(renderToString(h(SessionProvider, { session: null }, h(Screen)))).toBe('<p>loading</p>');
    expect(touched).toEqual([]);
  });
});
