/**
 * Item 5: the browser IIFE, minified and gzipped at level 9, measured by scripts/size-lib.ts (the
 * same numbers as `npm run size`), beside the floor of its two dependencies built the same way in
 * this run (the xstate and rxjs exports the engine uses, nothing of ours) and the peers' sizes
 * measured for the anchors (reference §3.2).
 */
import { gzipSync } from 'node:zlib';
import { fileURLToPath } from 'node:url';

export interface BundleResult {
  ourGzip: number;
  ourMin: number;
  floorGzip: number;
  floorMin: number;
  /** How the IIFE was measured. */
  source: string;
  budgetKiB: number | null;
}

const ROOT = fileURLToPath(new URL('../../', import.meta.url));

/** xstate + rxjs as the engine imports them, as an IIFE with the same settings as ours. */
async function dependencyFloor(): Promise<{ min: number; gzip: number }> {
  const { build } = await import('esbuild');
  const entry = [
    "import { setup, createActor, assign, fromPromise, fromCallback, sendTo, raise } from 'xstate';",
    "import { BehaviorSubject, Subject, distinctUntilChanged } from 'rxjs';",
    'globalThis.floor = [setup, createActor, assign, fromPromise, fromCallback, sendTo, raise, BehaviorSubject, Subject, distinctUntilChanged];',
  ].join('\n');
  const out = await build({
    stdin: { contents: entry, resolveDir: ROOT, loader: 'js' },
    bundle: true,
    write: false,
    minify: true,
    format: 'iife',
    platform: 'browser',
    target: 'es2022',
    conditions: ['browser', 'es2015', 'module'],
    logLevel: 'silent',
  });
  const code = out.outputFiles[0]!.contents;
  return { min: code.length, gzip: gzipSync(code, { level: 9 }).length };
}

/** esbuild straight from src/index.ts, if scripts/size-lib.ts is not there. */
async function directIife(): Promise<{ min: number; gzip: number }> {
  const { build } = await import('esbuild');
  const out = await build({
    entryPoints: [`${ROOT}src/index.ts`],
    bundle: true,
    write: false,
    minify: true,
    format: 'iife',
    globalName: 'TapTalkSession',
    platform: 'browser',
    target: 'es2022',
    conditions: ['browser', 'es2015', 'module'],
    logLevel: 'silent',
  });
  const code = out.outputFiles[0]!.contents;
  return { min: code.length, gzip: gzipSync(code, { level: 9 }).length };
}

export async function runBundle(): Promise<BundleResult> {
  const floor = await dependencyFloor();
  try {
    const { iifeSize } = await import('../../scripts/size-lib.js');
    const size = await iifeSize();
    return { ourGzip: size.gzipBytes, ourMin: size.minBytes, floorGzip: floor.gzip, floorMin: floor.min, source: 'scripts/size-lib.ts (dist/taptalk-session.global.js)', budgetKiB: size.budgetKiB };
  } catch (error) {
    process.stderr.write(`bundle: scripts/size-lib.ts unavailable (${String(error)}); measuring with esbuild directly\n`);
    const direct = await directIife();
    return { ourGzip: direct.gzip, ourMin: direct.min, floorGzip: floor.gzip, floorMin: floor.min, source: 'esbuild directly (src/index.ts)', budgetKiB: null };
  }
}
