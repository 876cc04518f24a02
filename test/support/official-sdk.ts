/**
 * TapTalk's official web SDKs from npm, bundled for a page with esbuild (shared by the
 * conformance and adoption tests and the RTT benchmark). Each bundle defines one global, e.g.
 * `window.TapTalkOfficial`, holding the package's exports (`taptalk`, `tapCoreRoomListManager`, ...).
 *
 * - `@taptalk.io/web-sdk` 1.39.0 needs nothing: it ships its own crypto-js.
 * - `taptalksdk-web` 1.0.310 `require`s Node's `crypto` and uses `Buffer`: it gets the polyfills
 *   webpack 4 gave the apps of its day (crypto-browserify, buffer, process, stream, events). It
 *   must stay sloppy-mode code (it assigns `window.indexedDB`), so the entry is CommonJS and no
 *   `"use strict"` is put above it.
 *
 * Bundles are cached under `node_modules/.cache/taptalk-official/`, keyed by the SDK's and
 * esbuild's versions and this file's build settings, so CI builds each once.
 */
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build, version as esbuildVersion } from 'esbuild';

/** The two official SDKs the suite runs, at the versions in package.json. */
export type OfficialSdk = '@taptalk.io/web-sdk' | 'taptalksdk-web';
export const OFFICIAL_SDKS: readonly OfficialSdk[] = ['@taptalk.io/web-sdk', 'taptalksdk-web'];

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '../..');
const CACHE = join(ROOT, 'node_modules/.cache/taptalk-official');
const requireHere = createRequire(join(ROOT, 'package.json'));

/** Node built-ins 1.0.310 reaches, mapped to the browser packages webpack 4 used. */
const NODE_POLYFILLS = { crypto: 'crypto-browserify', stream: 'stream-browserify', events: 'events' };

/** Free `Buffer` and `process` in the SDK and the polyfills become these imports. */
const SHIM = "export { Buffer } from 'buffer';\nimport process from 'process';\nexport { process };\n";

/** The installed version of an official SDK (read from its package.json). */
export function officialSdkVersion(sdk: OfficialSdk): string {
  const pkg = JSON.parse(readFileSync(requireHere.resolve(`${sdk}/package.json`), 'utf8')) as { version: string };
  return pkg.version.replace(/^v/, '');
}

/** Where an official SDK's main source file is, to read facts from it (never to copy code). */
export function officialSdkSource(sdk: OfficialSdk): string {
  return readFileSync(requireHere.resolve(sdk), 'utf8');
}

async function bundle(sdk: OfficialSdk, globalName: string): Promise<string> {
  const shimPath = join(CACHE, 'node-globals.mjs');
  mkdirSync(CACHE, { recursive: true });
  writeFileSync(shimPath, SHIM);
  const result = await build({
    // CommonJS on purpose: an ESM entry would make the bundle strict-mode code.
    stdin: { contents: `window[${JSON.stringify(globalName)}] = require(${JSON.stringify(sdk)});`, resolveDir: ROOT, loader: 'js', sourcefile: 'official-entry.cjs' },
    bundle: true,
    format: 'iife',
    platform: 'browser',
    target: 'es2020',
    write: false,
    logLevel: 'silent',
    ...(sdk === 'taptalksdk-web' ? { alias: NODE_POLYFILLS, inject: [shimPath], define: { global: 'globalThis' } } : {}),
  });
  return result.outputFiles[0]!.text;
}

/**
 * The page script for `sdk`, built once per version and cached.
 *
 * @param globalName - the window property the SDK's exports land on. @default 'TapTalkOfficial'
 * @example
 * ```ts
 * const script = await officialSdkBundle('taptalksdk-web');
 * await startEmulator({ pages: { '/official.js': () => script } });
 * // in the page: window.TapTalkOfficial.taptalk.init(appID, appSecret, baseUrl)
 * ```
 */
export async function officialSdkBundle(sdk: OfficialSdk, globalName = 'TapTalkOfficial'): Promise<string> {
  const key = createHash('sha256')
    .update(JSON.stringify([sdk, officialSdkVersion(sdk), esbuildVersion, globalName, NODE_POLYFILLS, SHIM, bundle.toString()]))
    .digest('hex')
    .slice(0, 16);
  const file = join(CACHE, `${sdk.replace(/[@/]/g, '_')}-${officialSdkVersion(sdk)}-${key}.js`);
  if (existsSync(file)) return readFileSync(file, 'utf8');
  const code = await bundle(sdk, globalName);
  // Written whole then renamed, so two test workers never read half a bundle.
  const temp = `${file}.${process.pid}.tmp`;
  writeFileSync(temp, code);
  renameSync(temp, file);
  return code;
}
