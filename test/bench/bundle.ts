/**
 * Item 5: the browser IIFE, minified and gzipped at level 9, measured by scripts/size-lib.ts (the
 * same numbers as `npm run size`), beside the floor of its two dependencies built the same way in
 * this run (the xstate and rxjs exports the engine uses, nothing of ours) and the peers' sizes
 * measured for the anchors (reference §3.2).
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

/**
 * xstate + rxjs as the engine imports them, built exactly as the IIFE is (scripts/build-config.ts:
 * esbuild's `iife` format, terser), or with esbuild alone if that is unavailable.
 */
async function dependencyFloor(): Promise<{ min: number; gzip: number; names: string[] }> {
  const xstate = importedNames('xstate');
  const rxjs = importedNames('rxjs');
  const names = [...xstate, ...rxjs];
  const entry = `export { ${xstate.join(', ')} } from 'xstate';\nexport { ${rxjs.join(', ')} } from 'rxjs';\n`;
  const { mkdtempSync, rmSync, writeFileSync } = await import('node:fs');
  const dir = mkdtempSync(join(ROOT, '.tmp', 'bench-floor-'));
  try {
    writeFileSync(join(dir, 'floor.ts'), entry);
    let code: Uint8Array;
    try {
      const { build } = await import('tsup');
      const { iifeConfig } = await import('../../scripts/build-config.js');
      await build({ ...iifeConfig, entry: { floor: join(dir, 'floor.ts') }, outDir: dir, config: false, silent: true });
      code = readFileSync(join(dir, 'floor.global.js'));
    } catch (error) {
      process.stderr.write(`bundle: the IIFE pipeline is unavailable (${String(error)}); floor from esbuild alone\n`);
      const { build } = await import('esbuild');
      const out = await build({ entryPoints: [join(dir, 'floor.ts')], bundle: true, write: false, minify: true, format: 'iife', platform: 'browser', target: 'es2022', conditions: ['browser', 'es2015', 'module'], logLevel: 'silent' });
      code = out.outputFiles[0]!.contents;
    }
    return { min: code.length, gzip: gzipSync(code, { level: 9 }).length, names };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
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
