/**
 * Item 5: the browser IIFE, minified and gzipped at level 9, measured by scripts/size-lib.ts (the
 * same numbers as `npm run size`), beside the floor of its two dependencies built the same way in
 * this run (the xstate and rxjs exports the engine uses, nothing of ours) and the peers' sizes
 * measured for the anchors (reference §3.2). esbuild alone gives the floor; the IIFE also gets a
 * terser pass, so the floor slightly overstates what the dependencies take inside it.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';

export interface BundleResult {
  ourGzip: number;
  ourMin: number;
  floorGzip: number;
  floorMin: number;
  /** The xstate and rxjs exports in the floor. */
  floorNames: string[];
  /** How the IIFE was measured. */
  source: string;
  budgetKiB: number | null;
}

const ROOT = fileURLToPath(new URL('../../', import.meta.url));

/** Files of the browser engine: src/ without the Node-only emulator and CLI, and machines/. */
function engineFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return entry.name === 'emulator' ? [] : engineFiles(path);
    return entry.name.endsWith('.ts') && !['cli.ts', 'demo.ts', 'node.ts'].includes(entry.name) ? [path] : [];
  });
}

/** The value imports of `pkg` across the engine's files (type-only imports left out). */
export function importedNames(pkg: 'xstate' | 'rxjs'): string[] {
  const names = new Set<string>();
  for (const file of [...engineFiles(join(ROOT, 'src')), ...engineFiles(join(ROOT, 'machines'))]) {
    const text = readFileSync(file, 'utf8');
    for (const match of text.matchAll(new RegExp(`import\\s*\\{([^}]*)\\}\\s*from\\s*'${pkg}'`, 'g'))) {
      if (/^import\s+type\b/.test(match[0])) continue;
      for (const part of match[1]!.split(',')) {
        const name = part.trim();
        if (name !== '' && !name.startsWith('type ')) names.add(name.split(/\s+as\s+/)[0]!);
      }
    }
  }
  return [...names].sort();
}

/** xstate + rxjs as the engine imports them, as an IIFE with the same settings as ours. */
async function dependencyFloor(): Promise<{ min: number; gzip: number; names: string[] }> {
  const { build } = await import('esbuild');
  const xstate = importedNames('xstate');
  const rxjs = importedNames('rxjs');
  const entry = [
    `import { ${xstate.join(', ')} } from 'xstate';`,
    `import { ${rxjs.join(', ')} } from 'rxjs';`,
    `globalThis.floor = [${[...xstate, ...rxjs].join(', ')}];`,
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
  return { min: code.length, gzip: gzipSync(code, { level: 9 }).length, names: [...xstate, ...rxjs] };
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
    return { ourGzip: size.gzipBytes, ourMin: size.minBytes, floorGzip: floor.gzip, floorMin: floor.min, floorNames: floor.names, source: 'scripts/size-lib.ts (dist/taptalk-session.global.js)', budgetKiB: size.budgetKiB };
  } catch (error) {
    process.stderr.write(`bundle: scripts/size-lib.ts unavailable (${String(error)}); measuring with esbuild directly\n`);
    const direct = await directIife();
    return { ourGzip: direct.gzip, ourMin: direct.min, floorGzip: floor.gzip, floorMin: floor.min, floorNames: floor.names, source: 'esbuild directly (src/index.ts)', budgetKiB: null };
  }
}
