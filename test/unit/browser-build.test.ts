/**
 * The browser builds hold no Node built-in and no `ws` (decision 001): `#platform` resolves to
 * src/platform/browser.ts under the `browser` condition, and the build's guard plugin fails the
 * build if anything Node-only ever sneaks into the graph.
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runInNewContext } from 'node:vm';
import { build as esbuild } from 'esbuild';
import { build, type Options } from 'tsup';
import { afterAll, describe, expect, it } from 'vitest';
import { browserGuard, isNodeOnly, type EsbuildPlugin } from '../../scripts/browser-guard.js';
import { browserEsmConfig, iifeConfig } from '../../scripts/build-config.js';
import { IIFE_PATH } from '../../scripts/build-iife.js';
import { measureBundle, SIZE_BUDGET_KIB } from '../../scripts/size-lib.js';

const outDirs: string[] = [];
afterAll(() => outDirs.forEach((dir) => rmSync(dir, { recursive: true, force: true })));

interface Metafile {
  inputs: Record<string, { imports: { path: string; external?: boolean }[] }>;
}

/** Builds a config into a temporary directory and returns esbuild's metafile. */
async function metafileOf(config: Options): Promise<Metafile> {
  const outDir = mkdtempSync(join(tmpdir(), 'taptalk-browser-build-'));
  outDirs.push(outDir);
  let metafile: Metafile | undefined;
  const capture: EsbuildPlugin = {
    name: 'capture-metafile',
    setup(b) {
      b.initialOptions.metafile = true;
      b.onEnd((result) => {
        metafile = result.metafile as Metafile | undefined;
      });
    },
  };
  await build({ ...config, outDir, dts: false, sourcemap: false, config: false, silent: true, esbuildPlugins: [...(config.esbuildPlugins ?? []), capture] });
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

  it('the IIFE graph takes #platform from src/platform/browser.ts, holds no Node built-in or ws, and xstate and rxjs as published', async () => {
    const meta = await metafileOf(iifeConfig);
    const inputs = Object.keys(meta.inputs);
    // No fork: every xstate or rxjs module comes from node_modules, nothing from scripts/.
    expect(inputs.filter((p) => p.startsWith('scripts/') || (/xstate|rxjs/.test(p) && !p.includes('node_modules/')))).toEqual([]);
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
    // esbuild directly, silent: the failure is expected and read from the rejection, not printed.
    const attempt = esbuild({ entryPoints: ['src/platform/node.ts'], bundle: true, write: false, platform: 'browser', logLevel: 'silent', plugins: [browserGuard()] });
    const failure = await attempt.then(() => undefined, (error: { errors?: { text: string }[] }) => error);
    expect(failure?.errors?.map((e) => e.text).join('\n')).toContain('"ws" is Node-only and must not reach the browser build');
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

  it('the size check passes the IIFE and fails a bundle above the 30 KiB budget', () => {
    expect(SIZE_BUDGET_KIB).toBe(30);
    expect(measureBundle(IIFE_PATH).withinBudget).toBe(true);
    // The mutation: random bytes do not compress, so 31 KiB of them gzip to more than the budget.
    const dir = mkdtempSync(join(tmpdir(), 'taptalk-size-'));
    outDirs.push(dir);
    writeFileSync(join(dir, 'big.js'), randomBytes(31 * 1024));
    expect(measureBundle(join(dir, 'big.js'))).toMatchObject({ withinBudget: false, budgetKiB: 30 });
  });
});
