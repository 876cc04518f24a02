/**
 * Builds `dist/taptalk-session.global.js` alone (about a second), and only when a source file is
 * newer than it. The size check, the browser tests and the playground call this instead of the
 * full `npm run build`, whose type declarations take ten seconds more.
 */
import { existsSync, mkdirSync, readdirSync, renameSync, rmSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'tsup';
import { IIFE_FILE, iifeConfig } from './build-config.js';

/** The repository root. */
export const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');

/** Absolute path of the IIFE. */
export const IIFE_PATH = join(ROOT, IIFE_FILE);

/** What the IIFE is made of: a change to any of these makes it stale. */
const INPUTS = ['src', 'machines', 'package.json', 'scripts/build-config.ts', 'scripts/browser-guard.ts', 'scripts/terser-pass.ts'];

function newestMtime(path: string): number {
  const stat = statSync(path);
  if (!stat.isDirectory()) return stat.mtimeMs;
  return readdirSync(path).reduce((newest, name) => Math.max(newest, newestMtime(join(path, name))), stat.mtimeMs);
}

/**
 * Whether `built` (a path) is missing or older than one of `inputs` (paths relative to the
 * repository, files or directories). Shared by the IIFE and the packed package (scripts/pack-lib.ts).
 */
export function isStale(built: string, inputs: readonly string[]): boolean {
  if (!existsSync(built)) return true;
  const builtAt = statSync(built).mtimeMs;
  return inputs.some((input) => existsSync(join(ROOT, input)) && newestMtime(join(ROOT, input)) > builtAt);
}

/** Whether the IIFE is missing or older than one of its inputs. */
export function iifeIsStale(): boolean {
  return isStale(IIFE_PATH, INPUTS);
}

/**
 * Builds the IIFE when it is stale (or always, with `force`) and resolves to its path. The build
 * goes to a private directory first and is renamed into place, so a reader never sees half a file.
 *
 * @example
 * ```ts
 * const file = await ensureIife(); // '/…/dist/taptalk-session.global.js'
 * ```
 */
export async function ensureIife(options: { force?: boolean } = {}): Promise<string> {
  if (!options.force && !iifeIsStale()) return IIFE_PATH;
  const outDir = join(ROOT, '.tmp', `iife-${process.pid}-${Date.now()}`);
  try {
    await build({ ...iifeConfig, outDir, config: false, silent: true });
    mkdirSync(dirname(IIFE_PATH), { recursive: true });
    renameSync(join(outDir, 'taptalk-session.global.js'), IIFE_PATH);
  } finally {
    rmSync(outDir, { recursive: true, force: true });
  }
  return IIFE_PATH;
}
