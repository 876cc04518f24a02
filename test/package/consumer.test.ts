/**
 * The package as a consumer gets it (issue 10 §2, §5, §7): packed with `npm pack`, installed
 * offline into a project in a temporary folder, and used from every public entry. The consumer's
 * file type-checks with `--strict` and `skipLibCheck: false` (so the shipped declarations
 * themselves are checked), with and without the DOM lib, under node16 and bundler resolution, with
 * this repository's TypeScript; the package runs from ESM and from CommonJS, where `TapTalkError`
 * keeps its name; and the installed command serves a working playground (`npx taptalk-session
 * emulator`, as the README offers it to a project that installed the package).
 *
 * The build is made once and reused while no input is newer (scripts/pack-lib.ts), never in
 * dist/, which the browser tests read while this runs. Installing takes every package from npm's
 * cache (`--offline`): the repository's own install put them there.
 */
import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ROOT } from '../../scripts/build-iife.js';
import { packPackage } from '../../scripts/pack-lib.js';
import { describePlayground, PLAYGROUND_READY } from '../browser/playground-flow.js';
import { startChildServer } from '../support/child-server.js';

const run = promisify(execFile);
const TSC = join(ROOT, 'node_modules/typescript/bin/tsc');
/** Type packages the consumer needs for the entries it imports (React's types for `/react`, fast-check for `/testing`). */
const CONSUMER_DEPS = ['@types/node@20', '@types/react@19', 'fast-check@4'];

const work = mkdtempSync(join(tmpdir(), 'taptalk-consumer-'));
const app = join(work, 'app');
afterAll(() => rmSync(work, { recursive: true, force: true }));

/** Every public entry, each used once, so each entry's declarations are loaded and checked. */
const CONSUMER_TS = `
import { createSession, memoryStorage, TapTalkError, taptalk, type PublicState, type WebStorageLike } from 'taptalk-session';
import { sessionMachine, publicStateOf } from 'taptalk-session/machines';
import { startEmulator, type Emulator } from 'taptalk-session/emulator';
import { SessionProvider, useSessionState } from 'taptalk-session/react';
import { asyncStorage, reactNative } from 'taptalk-session/react-native';
import { checkScenarios } from 'taptalk-session/testing';

const storage: WebStorageLike = { getItem: () => null, setItem: () => {}, removeItem: () => {} };
export async function main(): Promise<string> {
  const emulator: Emulator = await startEmulator({ host: '127.0.0.1', port: 0 });
  const session = createSession({ appID: emulator.appKey.id, appSecret: emulator.appKey.secret, baseUrl: emulator.url, storage: memoryStorage() });
  const state: PublicState = session.state;
  const error = new TapTalkError('90004');
  session.dispose();
  await emulator.close();
  return [state, error.name, error.code, sessionMachine.id, typeof publicStateOf, typeof SessionProvider, typeof useSessionState, typeof asyncStorage, typeof reactNative, typeof checkScenarios, typeof taptalk.init, typeof storage.getItem].join(' ');
}
`;

/** The same from CommonJS (\`require\`), typed by the package's \`.d.cts\` files. */
const CONSUMER_CTS = `
import taptalk = require('taptalk-session');
import machines = require('taptalk-session/machines');
import emulator = require('taptalk-session/emulator');
export const name: string = new taptalk.TapTalkError('90004').name + typeof taptalk.createSession + machines.sessionMachine.id + typeof emulator.startEmulator;
`;

/** Prints what the error type looks like, built and thrown by the package, and that each runtime entry loads. */
const RUN_MJS = `
import { inspect } from 'node:util';
import { TapTalkError, createSession } from 'taptalk-session';
import { sessionMachine } from 'taptalk-session/machines';
import { startEmulator } from 'taptalk-session/emulator';
import { checkScenarios } from 'taptalk-session/testing';
const error = new TapTalkError('90004');
let thrown;
try { createSession({ appID: '', appSecret: '', baseUrl: 'not a url' }); } catch (e) { thrown = e; }
console.log(JSON.stringify({
  name: error.name, ctor: TapTalkError.name, inspect: inspect(error).split('\\n')[0], isError: error instanceof Error,
  thrown: [thrown instanceof TapTalkError, thrown.name, thrown.code],
  entries: [typeof createSession, sessionMachine.id, typeof startEmulator, typeof checkScenarios],
}));
`;
const RUN_CJS = RUN_MJS.replace(/^import \{ inspect \} from 'node:util';$/m, "const { inspect } = require('node:util');").replace(
  /^import \{ (.+) \} from '(taptalk-session[^']*)';$/gm,
  "const { $1 } = require('$2');",
);

describe('the packed package in a consumer project', () => {
  beforeAll(async () => {
    // A full build when an input changed: minutes on a loaded machine, bounded here.
    const tarball = await packPackage(work);
    mkdirSync(app);
    writeFileSync(join(app, 'package.json'), JSON.stringify({ name: 'consumer', private: true, type: 'module' }));
    await run('npm', ['install', tarball, ...CONSUMER_DEPS, '--offline', '--no-audit', '--no-fund', '--ignore-scripts'], { cwd: app, timeout: 120_000 });
    writeFileSync(join(app, 'consumer.ts'), CONSUMER_TS);
    writeFileSync(join(app, 'consumer.cts'), CONSUMER_CTS);
    writeFileSync(join(app, 'run.mjs'), RUN_MJS);
    writeFileSync(join(app, 'run.cjs'), RUN_CJS);
  }, 900_000);

  /** tsc on the consumer's files; resolves to its diagnostics ('' when clean). */
  const typecheck = async (files: string[], options: string[]) => {
    const args = [TSC, '--noEmit', '--strict', '--skipLibCheck', 'false', '--target', 'es2022', '--types', 'node', ...options, ...files];
    return run(process.execPath, args, { cwd: app, timeout: 120_000 }).then(
      () => '',
      (error: { stdout?: string; message: string }) => error.stdout || error.message,
    );
  };

  const MODES = {
    'node16 resolution': { files: ['consumer.ts', 'consumer.cts'], options: ['--module', 'node16', '--moduleResolution', 'node16'] },
    'bundler resolution': { files: ['consumer.ts'], options: ['--module', 'esnext', '--moduleResolution', 'bundler'] },
  };
  for (const [mode, { files, options }] of Object.entries(MODES)) {
    for (const [libs, lib] of [
      ['without the DOM lib', 'es2022'],
      ['with the DOM lib', 'es2022,dom,dom.iterable'],
    ] as const) {
      it(`type-checks every public entry under ${mode}, ${libs}, strict and without skipLibCheck`, async () => {
        expect(await typecheck(files, [...options, '--lib', lib])).toBe('');
      }, 120_000);
    }
  }

  const expected = {
    name: 'TapTalkError',
    ctor: 'TapTalkError',
    inspect: 'TapTalkError: Network request failed',
    isError: true,
    thrown: [true, 'TapTalkError', '95011'],
    entries: ['function', 'session', 'function', 'function'],
  };
  it('runs from ESM, TapTalkError named as such', async () => {
    const { stdout } = await run(process.execPath, ['run.mjs'], { cwd: app, timeout: 60_000 });
    expect(JSON.parse(stdout)).toEqual(expected);
  }, 60_000);
  it('runs from CommonJS, TapTalkError named as such', async () => {
    const { stdout } = await run(process.execPath, ['run.cjs'], { cwd: app, timeout: 60_000 });
    expect(JSON.parse(stdout)).toEqual(expected);
  }, 60_000);

  describePlayground('the playground of the installed command (npx taptalk-session emulator)', () =>
    startChildServer('npx', ['--offline', 'taptalk-session', 'emulator', '--port', '0'], app, PLAYGROUND_READY, 45_000),
  );
});
