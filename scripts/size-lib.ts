/**
 * The browser bundle's size as the budget counts it: the minified IIFE, gzipped at level 9.
 * Shared by `npm run size` and the benchmarks.
 */
import { readFileSync } from 'node:fs';
import { basename } from 'node:path';
import { gzipSync } from 'node:zlib';
import { ensureIife } from './build-iife.js';

/**
 * The budget for `dist/taptalk-session.global.js`, min+gzip, with xstate and rxjs inside as
 * published (docs/decisions/003-size-budget.md). `npm run size` exits 1 above it and CI runs it.
 */
export const SIZE_BUDGET_KIB = 30;

/** One measurement of the IIFE. */
export interface BundleSize {
  file: string;
  /** Minified bytes. */
  minBytes: number;
  /** Minified, then gzipped at level 9. */
  gzipBytes: number;
  /** `gzipBytes / 1024`. */
  gzipKiB: number;
  budgetKiB: number;
  withinBudget: boolean;
}

/** Measures a file that is already built. */
export function measureBundle(file: string, budgetKiB = SIZE_BUDGET_KIB): BundleSize {
  const code = readFileSync(file);
  const gzipBytes = gzipSync(code, { level: 9 }).length;
  const gzipKiB = gzipBytes / 1024;
  return { file, minBytes: code.length, gzipBytes, gzipKiB, budgetKiB, withinBudget: gzipKiB <= budgetKiB };
}

/**
 * Builds the IIFE if stale and measures it.
 *
 * @example
 * ```ts
 * const size = await iifeSize();
 * console.log(formatSize(size)); // 'taptalk-session.global.js: 26.7 KiB min+gzip (budget 30 KiB)'
 * ```
 */
export async function iifeSize(): Promise<BundleSize> {
  return measureBundle(await ensureIife());
}

/** The line `npm run size` prints. */
export function formatSize(size: BundleSize): string {
  return `${basename(size.file)}: ${size.gzipKiB.toFixed(1)} KiB min+gzip (budget ${size.budgetKiB} KiB)`;
}

/** Minified bytes of the IIFE by origin: each package, and each source directory or file. */
export async function iifeBreakdown(): Promise<{ origin: string; minBytes: number }[]> {
  const { mkdtempSync, rmSync } = await import('node:fs');
  const { tmpdir } = await import('node:os');
  const { join } = await import('node:path');
  const { build } = await import('tsup');
  const { iifeConfig } = await import('./build-config.js');
  type Inputs = Record<string, { bytesInOutput: number }>;
  let inputs: Inputs = {};
  const outDir = mkdtempSync(join(tmpdir(), 'taptalk-size-'));
  try {
    await build({
      ...iifeConfig,
      outDir,
      config: false,
      silent: true,
      esbuildPlugins: [
        ...(iifeConfig.esbuildPlugins ?? []),
        {
          name: 'metafile',
          setup(b) {
            b.initialOptions.metafile = true;
            b.onEnd((result) => {
              const outputs = Object.values(result.metafile?.outputs ?? {});
              inputs = (outputs.find((o) => Object.keys(o.inputs).length > 0)?.inputs ?? {}) as Inputs;
            });
          },
        },
      ],
    });
  } finally {
    rmSync(outDir, { recursive: true, force: true });
  }
  const totals = new Map<string, number>();
  for (const [path, { bytesInOutput }] of Object.entries(inputs)) {
    const origin = path.includes('node_modules/') ? path.split('node_modules/').pop()!.split('/')[0]! : path.split('/').slice(0, path.startsWith('src/') && path.split('/').length > 2 ? 2 : 3).join('/');
    totals.set(origin, (totals.get(origin) ?? 0) + bytesInOutput);
  }
  return [...totals].map(([origin, minBytes]) => ({ origin, minBytes })).sort((a, b) => b.minBytes - a.minBytes);
}
