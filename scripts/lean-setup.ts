/**
 * An esbuild plugin for the IIFE: the engine's imports of `xstate` resolve to
 * scripts/xstate-lean.ts, which re-exports xstate with a smaller `setup()` (why: that file).
 */
import { fileURLToPath } from 'node:url';
import type { EsbuildPlugin } from './browser-guard.js';

/** The module that stands for `xstate` in the IIFE. */
export const LEAN_XSTATE = fileURLToPath(new URL('./xstate-lean.ts', import.meta.url));

/**
 * Resolves `xstate` to {@link LEAN_XSTATE} for every importer but that file itself.
 *
 * @example
 * ```ts
 * export const iifeConfig: Options = { ...rest, esbuildPlugins: [browserGuard(), leanSetup()] };
 * ```
 */
export function leanSetup(): EsbuildPlugin {
  return {
    name: 'lean-setup',
    setup(build) {
      build.onResolve({ filter: /^xstate$/ }, (args) => (args.importer === LEAN_XSTATE ? undefined : { path: LEAN_XSTATE }));
    },
  };
}
