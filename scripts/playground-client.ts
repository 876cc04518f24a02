/**
 * The playground page's script, compiled by esbuild from src/playground/client-main.ts into one
 * browser script. Compiled rather than serialised from a live function: whatever transform runs
 * the server (tsx keeps names through a `__name` helper, vitest does not) must not leak into the
 * page. `npm run build` writes it to dist/playground/client.js; from source it is built on start.
 */
import { build } from 'esbuild';
import { join } from 'node:path';
import { ROOT } from './build-iife.js';

/** The script's entry: it only calls `playgroundClient()`. */
export const PLAYGROUND_CLIENT_ENTRY = join(ROOT, 'src/playground/client-main.ts');

/**
 * Bundles the playground's script (an IIFE, no imports left) and resolves to its text.
 *
 * @example
 * ```ts
 * const script = await buildPlaygroundClient();
 * ```
 */
export async function buildPlaygroundClient(): Promise<string> {
  const result = await build({
    entryPoints: [PLAYGROUND_CLIENT_ENTRY],
    bundle: true,
    write: false,
    format: 'iife',
    platform: 'browser',
    target: 'es2022',
    logLevel: 'silent',
  });
  return result.outputFiles[0]!.text;
}
