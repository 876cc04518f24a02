/**
 * The engine as an app runs it: bundled by esbuild like the published build (no `keepNames`),
 * dependencies left to node_modules. Running the TypeScript through tsx instead would measure
 * tsx: it wraps every function the engine creates in `__name(fn, 'name')`, which costs a property
 * store per closure (about 10 KiB per session in a heap snapshot) and time on every call.
 */
import { existsSync, mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
/** Where the bundle goes; BENCH_ENGINE_FILE points the scratch comparisons at another build. */
export const ENGINE_FILE = process.env.BENCH_ENGINE_FILE ?? join(ROOT, 'node_modules/.cache/taptalk-session-bench/engine.mjs');

export type Engine = typeof import('./engine-entry.js');

/** Bundles test/bench/lib/engine-entry.ts for Node 20 into ENGINE_FILE. */
export async function buildEngine(): Promise<string> {
  const { build } = await import('esbuild');
  mkdirSync(dirname(ENGINE_FILE), { recursive: true });
  await build({
    entryPoints: [fileURLToPath(new URL('./engine-entry.ts', import.meta.url))],
    outfile: ENGINE_FILE,
    bundle: true,
    format: 'esm',
    platform: 'node',
    target: 'node20',
    packages: 'external',
    logLevel: 'warning',
  });
  return ENGINE_FILE;
}

/** The bundled engine (built by the bench before any child starts). */
export async function loadEngine(): Promise<Engine> {
  if (!existsSync(ENGINE_FILE)) await buildEngine();
  return (await import(pathToFileURL(ENGINE_FILE).href)) as Engine;
}
