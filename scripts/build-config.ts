/**
 * The tsup builds, shared by tsup.config.ts (`npm run build`) and scripts/build-iife.ts (the IIFE
 * alone, built on demand by the size check, the browser tests and the playground).
 */
import type { Options } from 'tsup';
import { browserGuard } from './browser-guard.js';
import { terserPass } from './terser-pass.js';

/** Where the IIFE goes, relative to the repository. */
export const IIFE_FILE = 'dist/taptalk-session.global.js';

/** tsup 8.5 with TypeScript 6: the d.ts step needs this to accept `baseUrl`-era options. */
const dts = { compilerOptions: { ignoreDeprecations: '6.0' } };

/** ESM first: the smallest xstate and rxjs builds (rxjs's `es2015` entry, xstate's `module`). */
const browserConditions = ['browser', 'es2015', 'module'];

/** Node: ESM + CJS + types for the main entry and the subpaths (fast-check, a peer, stays external). */
export const nodeConfig: Options = {
  entry: { index: 'src/node.ts', machines: 'machines/index.ts', emulator: 'src/emulator/index.ts', testing: 'src/testing/index.ts' },
  format: ['esm', 'cjs'],
  platform: 'node',
  target: 'node20',
  dts,
  sourcemap: true,
  splitting: true,
  outDir: 'dist',
};

/**
 * `taptalk-session/react`: ESM + CJS + types, for any runtime (React DOM, React Native, server).
 * It imports the engine by its package name, so an app has one engine, whichever entry it loaded.
 */
export const reactConfig: Options = {
  entry: { react: 'src/react/index.ts' },
  format: ['esm', 'cjs'],
  platform: 'neutral',
  target: 'es2022',
  external: ['taptalk-session', 'react'],
  dts,
  sourcemap: true,
  outDir: 'dist',
};

/**
 * The playground's statechart and page script for the built CLI (src/playground/assets.ts reads
 * them beside dist/cli.js; from source they are generated on the fly instead).
 *
 * @param distDir - the build's `dist` directory. @default 'dist'
 */
export async function writePlaygroundAssets(distDir = 'dist'): Promise<void> {
  const { mkdir, writeFile } = await import('node:fs/promises');
  const { join } = await import('node:path');
  const { generateDiagrams } = await import('./diagram-lib.js');
  const { sessionMachine } = await import('../machines/session.machine.js');
  const { buildPlaygroundClient } = await import('./playground-client.js');
  const [diagrams, client] = await Promise.all([generateDiagrams(sessionMachine), buildPlaygroundClient()]);
  await mkdir(join(distDir, 'playground'), { recursive: true });
  await writeFile(join(distDir, 'playground/state-machine.svg'), diagrams.svg);
  await writeFile(join(distDir, 'playground/state-machine.json'), diagrams.layout);
  await writeFile(join(distDir, 'playground/client.js'), client);
}

/** The `taptalk-session` command (ESM; the shebang of src/cli.ts is kept), with the playground's statechart and script. */
export const cliConfig: Options = {
  entry: { cli: 'src/cli.ts' },
  format: ['esm'],
  platform: 'node',
  target: 'node20',
  outDir: 'dist',
  onSuccess: () => writePlaygroundAssets(),
};

/** Browsers through a bundler: ESM, xstate and rxjs left to the app's bundler. */
export const browserEsmConfig: Options = {
  entry: { index: 'src/index.ts' },
  format: ['esm'],
  platform: 'browser',
  target: 'es2022',
  dts,
  sourcemap: true,
  outDir: 'dist/browser',
  esbuildPlugins: [browserGuard()],
  esbuildOptions(options) {
    options.conditions = browserConditions;
  },
};

/** Where the React Native build goes: the `react-native` condition of the exports map points here. */
export const REACT_NATIVE_DIR = 'dist/react-native';

/**
 * React Native through Metro (the `react-native` condition of `.`, and the
 * `taptalk-session/react-native` subpath for tools that do not set the condition): `#platform` resolved to src/platform/react-native.ts, xstate
 * and rxjs left to Metro. The browser guard fails the build on any Node built-in or `ws`. Metro's
 * Babel transforms the syntax for Hermes; es2020 keeps what it has to do small.
 */
export const reactNativeConfig: Options = {
  entry: { index: 'src/react-native/index.ts' },
  // ESM for Metro; CJS too, for the `taptalk-session/react-native` subpath under `require` (Jest).
  format: ['esm', 'cjs'],
  platform: 'neutral',
  target: 'es2020',
  dts,
  sourcemap: true,
  outDir: REACT_NATIVE_DIR,
  esbuildPlugins: [browserGuard()],
  esbuildOptions(options) {
    options.conditions = ['react-native', 'module', 'import'];
  },
};

/**
 * Browsers without a bundler: one minified script, global `TapTalkSession`, everything inside,
 * xstate and rxjs as published. esbuild's own `iife` format defines the global; terser then takes
 * a second, standard minification pass over esbuild's output (scripts/terser-pass.ts).
 */
export const iifeConfig: Options = {
  entry: { 'taptalk-session': 'src/index.ts' },
  format: ['iife'],
  globalName: 'TapTalkSession',
  platform: 'browser',
  target: 'es2022',
  minify: true,
  plugins: [terserPass()],
  noExternal: [/.*/],
  outDir: 'dist',
  esbuildPlugins: [browserGuard()],
  esbuildOptions(options) {
    options.conditions = browserConditions;
  },
};

/** Every build of `npm run build`, each writing under `dist/`. */
export const ALL_CONFIGS: readonly Options[] = [nodeConfig, cliConfig, browserEsmConfig, iifeConfig, reactConfig, reactNativeConfig];
