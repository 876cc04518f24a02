/**
 * The browser builds hold no Node built-in and no `ws` (decision 001): `#platform` resolves to
 * src/platform/browser.ts under the `browser` condition, and the build's guard plugin fails the
 * build if anything Node-only ever sneaks into the graph.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runInNewContext } from 'node:vm';
import { build, type Options } from 'tsup';
import { afterAll, describe, expect, it } from 'vitest';
import { isNodeOnly, type EsbuildPlugin } from '../../scripts/browser-guard.js';
import { browserEsmConfig, iifeConfig } from '../../scripts/build-config.js';
import { IIFE_PATH } from '../../scripts/build-iife.js';
import { wrapAsGlobal } from '../../scripts/global-wrapper.js';

const outDirs: string[] = [];
afterAll(() => outDirs.forEach((dir) => rmSync(dir, { recursive: true, force: true })));

/** esbuild's errors of the last {@link metafileOf} call. */
let errors: string[] = [];

interface Metafile {
  inputs: Record<string, { imports: { path: string; external?: boolean }[] }>;
}

/** Builds a config into a temporary directory and returns esbuild's metafile. */
async function metafileOf(config: Options, entry?: Options['entry']): Promise<Metafile> {
  const outDir = mkdtempSync(join(tmpdir(), 'taptalk-browser-build-'));
  outDirs.push(outDir);
  let metafile: Metafile | undefined;
  errors = [];
  const capture: EsbuildPlugin = {
    name: 'capture-metafile',
    setup(b) {
      b.initialOptions.metafile = true;
      b.onEnd((result) => {
        metafile = result.metafile as Metafile | undefined;
        errors = result.errors.map((e) => e.text);
      });
    },
  };
  await build({ ...config, ...(entry ? { entry } : {}), outDir, dts: false, sourcemap: false, config: false, silent: true, esbuildPlugins: [...(config.esbuildPlugins ?? []), capture] });
  return metafile!;
}

const nodeOnlyIn = (meta: Metafile) => [
  ...Object.keys(meta.inputs).filter((path) => path.includes('node_modules/ws/') || path.startsWith('node:')),
  ...Object.values(meta.inputs).flatMap((input) => input.imports.filter((i) => isNodeOnly(i.path)).map((i) => i.path)),
];

describe('the browser builds', () => {
  it('the guard knows Node built-ins and ws from browser-safe packages', () => {
    for (const spec of ['ws', 'node:fs', 'fs', 'fs/promises', 'path', 'http', 'events']) expect(isNodeOnly(spec), spec).toBe(true);
    for (const spec of ['xstate', 'rxjs', './platform/browser.js', 'wsx', '#platform']) expect(isNodeOnly(spec), spec).toBe(false);
  });

  it('the IIFE graph takes #platform from src/platform/browser.ts and holds no Node built-in or ws', async () => {
    const meta = await metafileOf(iifeConfig);
    const inputs = Object.keys(meta.inputs);
    expect(inputs).toContain('src/platform/browser.ts');
    expect(inputs).not.toContain('src/platform/node.ts');
    expect(inputs.some((p) => p.includes('node_modules/xstate/'))).toBe(true);
    expect(inputs.some((p) => p.includes('node_modules/rxjs/'))).toBe(true);
    expect(nodeOnlyIn(meta)).toEqual([]);
  }, 30_000);

  it('the browser ESM build leaves xstate and rxjs to the bundler and imports nothing Node-only', async () => {
    const meta = await metafileOf(browserEsmConfig);
    const inputs = Object.keys(meta.inputs);
    expect(inputs).toContain('src/platform/browser.ts');
    expect(inputs).not.toContain('src/platform/node.ts');
    expect(nodeOnlyIn(meta)).toEqual([]);
  }, 30_000);

  it('the guard fails a browser build that reaches ws', async () => {
    await expect(metafileOf(iifeConfig, { bad: 'src/platform/node.ts' })).rejects.toThrow();
    expect(errors.join('\n')).toContain('"ws" is Node-only and must not reach the browser build');
  }, 30_000);

  it('dist/taptalk-session.global.js defines the global TapTalkSession with the public API', () => {
    const code = readFileSync(IIFE_PATH, 'utf8');
    expect(code).not.toMatch(/\brequire\(/);
    const sandbox: Record<string, unknown> = {};
    runInNewContext(`${code}\nthis.api = TapTalkSession;`, sandbox);
    const api = sandbox.api as Record<string, unknown>;
    for (const name of ['createSession', 'createTapTalk', 'memoryStorage', 'webStorage', 'TapTalkError', 'asTapTalkError']) {
      expect(typeof api[name], name).toBe('function');
    }
    expect(typeof (api.taptalk as { init?: unknown }).init).toBe('function');
    expect(Object.keys(api.ERROR_CODES as object)).toContain('40104');
    expect(api.PUBLIC_STATES).toEqual(['unauthenticated', 'authenticating', 'authenticated', 'connecting', 'connected', 'loggedOut']);
    expect(api).not.toHaveProperty('fileStorage');
  });

  it('the global carries exactly the runtime exports of the main entry', async () => {
    const sandbox: Record<string, unknown> = {};
    runInNewContext(`${readFileSync(IIFE_PATH, 'utf8')}\nthis.api = TapTalkSession;`, sandbox);
    const entry = await import('../../src/index.js');
    expect(Object.keys(sandbox.api as object).sort()).toEqual(Object.keys(entry).sort());
  });

  it('wrapAsGlobal turns an export clause into the members of one global, and refuses anything else', () => {
    const sandbox: Record<string, unknown> = {};
    runInNewContext(wrapAsGlobal('var a=1,b=()=>a+1;export{a as one,b as two,a};', 'Lib'), sandbox);
    const lib = sandbox.Lib as { one: number; two: () => number; a: number };
    expect([lib.one, lib.two(), lib.a]).toEqual([1, 2, 1]);
    expect(() => wrapAsGlobal('var a=1;', 'Lib')).toThrow('no trailing export clause');
    expect(() => wrapAsGlobal('import{x}from"y";export{x};', 'Lib')).toThrow('still imports');
  });
});
