/**
 * The package as `npm pack` ships it, built into a private directory instead of dist/: every
 * build of `npm run build` with its output moved under that directory, beside copies of the files
 * the tarball takes from the repository. Tests pack and install it without touching dist/, which
 * other tests read while they run.
 */
import { execFileSync } from 'node:child_process';
import { cpSync, mkdirSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { build } from 'tsup';
import { ALL_CONFIGS, cliConfig, writePlaygroundAssets } from './build-config.js';
import { ROOT } from './build-iife.js';

/** Files of the repository the tarball takes besides `dist/` (`files` in package.json, and npm's always-included ones). */
const COPIED = ['package.json', 'README.md', 'LICENSE', 'react', 'react-native', 'docs'];

/**
 * Builds the package into `dir` (which must be empty or absent) and packs it there; resolves to
 * the tarball's path.
 *
 * @example
 * ```ts
 * const tarball = await packInto(mkdtempSync(join(tmpdir(), 'pkg-')));
 * ```
 */
export async function packInto(dir: string): Promise<string> {
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
  execFileSync('npm', ['pack', '--silent', '--ignore-scripts'], { cwd: dir, stdio: 'ignore' });
  const tarball = readdirSync(dir).find((name) => name.endsWith('.tgz'));
  if (!tarball) throw new Error(`npm pack wrote no tarball in ${dir}`);
  return join(dir, tarball);
}
