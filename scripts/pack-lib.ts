/**
 * The package as `npm pack` ships it, for the consumer test (test/package/consumer.test.ts): every
 * build of `npm run build`, written under `.tmp/package/` instead of dist/ (which other tests read
 * while they run), beside copies of the files the tarball takes from the repository.
 *
 * The full build takes a minute or more (its type declarations most of it), so it is made once and
 * reused until one of its inputs is newer, as the IIFE is (scripts/build-iife.ts).
 */
import { execFileSync } from 'node:child_process';
import { cpSync, mkdirSync, readdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { build } from 'tsup';
import { ALL_CONFIGS, cliConfig, writePlaygroundAssets } from './build-config.js';
import { isStale, ROOT } from './build-iife.js';

/** Where the built package lives between runs (git ignores `.tmp/`). */
export const PACKAGE_DIR = join(ROOT, '.tmp', 'package');

/** Files of the repository the tarball takes besides `dist/` (`files` in package.json, and npm's always-included ones). */
const COPIED = ['package.json', 'README.md', 'LICENSE', 'react', 'react-native', 'docs'];

/** What the package is made of: a change to any of these makes the built one stale. */
const INPUTS = [...COPIED, 'src', 'machines', 'scripts', 'tsup.config.ts', 'tsconfig.json'];

/** Written last, once the build is complete: its time is the build's. */
const STAMP = join(PACKAGE_DIR, '.built');

export function packageIsStale(): boolean {
  return isStale(STAMP, INPUTS);
}

/** Builds the package into `dir` (empty or absent): every config of tsup.config.ts, outputs moved under `dir`. */
async function buildInto(dir: string): Promise<void> {
  mkdirSync(dir, { recursive: true });
  for (const name of COPIED) cpSync(join(ROOT, name), join(dir, name), { recursive: true });
  const dist = join(dir, 'dist');
  await Promise.all(
    ALL_CONFIGS.map((config) =>
      build({
        ...config,
        outDir: join(dir, config.outDir ?? 'dist'),
        onSuccess: config === cliConfig ? () => writePlaygroundAssets(dist) : config.onSuccess,
        config: false,
        silent: true,
      }),
    ),
  );
}

/**
 * Builds the package when stale (into a private directory, renamed into place when complete) and
 * packs it with `npm pack` into `destination`; resolves to the tarball's path.
 *
 * @example
 * ```ts
 * const tarball = await packPackage(mkdtempSync(join(tmpdir(), 'pkg-')));
 * ```
 */
export async function packPackage(destination: string): Promise<string> {
  if (packageIsStale()) {
    const fresh = `${PACKAGE_DIR}-${process.pid}-${Date.now()}`;
    try {
      await buildInto(fresh);
      writeFileSync(join(fresh, '.built'), '');
      rmSync(PACKAGE_DIR, { recursive: true, force: true });
      renameSync(fresh, PACKAGE_DIR);
    } finally {
      rmSync(fresh, { recursive: true, force: true });
    }
  }
  execFileSync('npm', ['pack', '--silent', '--ignore-scripts', '--pack-destination', destination], { cwd: PACKAGE_DIR, stdio: 'ignore', timeout: 60_000 });
  const tarball = readdirSync(destination).find((name) => name.endsWith('.tgz'));
  if (!tarball) throw new Error(`npm pack wrote no tarball in ${destination}`);
  return join(destination, tarball);
}
