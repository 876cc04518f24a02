/**
 * An esbuild plugin for the browser builds: it fails the build when anything in the graph imports
 * a Node built-in or `ws` (decision 001: the browser gets `src/platform/browser.ts` through the
 * `browser` condition of `#platform`, and with it the native WebSocket, fetch and localStorage).
 */
import { builtinModules } from 'node:module';
import type { Options } from 'tsup';

/** esbuild's plugin type, as tsup re-exposes it (esbuild is tsup's dependency, not ours). */
export type EsbuildPlugin = NonNullable<Options['esbuildPlugins']>[number];

const NODE_ONLY = new Set([...builtinModules, 'ws']);

/** Whether an import specifier names a Node built-in (`fs`, `node:fs`, `fs/promises`) or `ws`. */
export function isNodeOnly(specifier: string): boolean {
  if (specifier.startsWith('node:')) return true;
  return NODE_ONLY.has(specifier) || NODE_ONLY.has(specifier.split('/')[0]!);
}

/**
 * Rejects Node-only imports while bundling for browsers.
 *
 * @example
 * ```ts
 * await esbuild.build({ entryPoints: ['src/index.ts'], platform: 'browser', plugins: [browserGuard()] });
 * ```
 */
export function browserGuard(): EsbuildPlugin {
  return {
    name: 'browser-guard',
    setup(build) {
      build.onResolve({ filter: /.*/ }, (args) => {
        if (args.kind === 'entry-point' || !isNodeOnly(args.path)) return undefined;
        return { errors: [{ text: `"${args.path}" is Node-only and must not reach the browser build (imported by ${args.importer})` }] };
      });
    },
  };
}
