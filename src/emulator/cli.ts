/**
 * `taptalk-session emulator`: starts an emulator with admin endpoints and prints how to use it.
 * The keys are printed on purpose (they are this emulator's own development keys); tickets and
 * tokens never are.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseEmulatorArgs } from './cli-args.js';
import { startEmulator } from './emulator.js';
import { encodeKey } from './keys.js';
import { FAULT_NAMES } from './routes/admin.js';
import type { Emulator, EmulatorOptions } from './types.js';

/** Writes the CA where clients can point at it (it is public; its key is never written). */
function caFile(ca: string): string {
  const path = join(mkdtempSync(join(tmpdir(), 'taptalk-emulator-')), 'ca.pem');
  writeFileSync(path, ca);
  return path;
}

function trustLines(spki: string, path: string): string[] {
  return [
    `  CA certificate:  ${path}`,
    `    Node:     NODE_EXTRA_CA_CERTS=${path} node your-app.js`,
    `    Chromium: --ignore-certificate-errors-spki-list=${spki}`,
    `    curl:     curl --cacert ${path} ...`,
  ];
}

function banner(emulator: Emulator, pages: string[]): string[] {
  const { url, appKey, serverKey } = emulator;
  const ca = emulator.tls && caFile(emulator.tls.ca);
  const body = '{"userIPAddress":"127.0.0.1","userAgent":"curl","userPlatform":"web","userDeviceID":"device-1","xcUserID":"alice","fullName":"Alice"}';
  return [
    `TapTalk emulator listening on ${url}`,
    `  WebSocket:       ${url.replace(/^http/, 'ws')}/connect`,
    ...(emulator.tls && ca ? trustLines(emulator.tls.spki, ca) : []),
    `  App Key ID:      ${appKey.id}`,
    `  App Key Secret:  ${appKey.secret}`,
    `  Server Key ID:     ${serverKey.id}`,
    `  Server Key Secret: ${serverKey.secret}`,
    '',
    'Request an auth ticket as a customer backend would:',
    `  curl -s${ca ? ` --cacert ${ca}` : ''} -X POST ${url}/v1/server/auth_ticket/request \\`,
    `    -H 'Server-Key: ${encodeKey(serverKey)}' -H 'Content-Type: application/json' \\`,
    `    -d '${body}'`,
    '',
    'Admin endpoints (loopback only):',
    `  GET  ${url}/_emulator/info        url and keys`,
    `  GET  ${url}/_emulator/stats       counters`,
    `  GET  ${url}/_emulator/received    frames clients sent`,
    `  POST ${url}/_emulator/ticket      {"xcUserID":"alice","fullName":"Alice"}`,
    `  POST ${url}/_emulator/emit        {"xcUserID":"alice","eventName":"user/status","data":{}}`,
    `  POST ${url}/_emulator/faults/<name>  {"args":[...]}  name: ${FAULT_NAMES.join(', ')}`,
    '',
    ...(pages.length === 0 ? [] : ['Pages:', ...pages.map((path) => `  ${emulator.url}${path}`), '']),
    'Ctrl+C to stop.',
  ];
}

/**
 * Runs the emulator CLI: parses `argv` (flags only, without `node script emulator`), starts the
 * emulator with admin endpoints, prints the banner through `out`, and closes and exits 0 on
 * SIGINT/SIGTERM. Calling `close()` on the result removes those signal handlers.
 *
 * @param out - where lines go. @default console.log
 * @param overrides - options applied over the flags, e.g. `pages` for a playground. @default {}
 * @example
 * ```ts
 * await runEmulatorCli(process.argv.slice(3));
 * await runEmulatorCli(['--port', '8080'], console.log, { pages: { '/': () => playgroundHtml } });
 * ```
 */
export async function runEmulatorCli(argv: string[], out: (line: string) => void = console.log, overrides: EmulatorOptions = {}): Promise<Emulator> {
  const options = { ...parseEmulatorArgs(argv), ...overrides };
  const emulator = await startEmulator(options);
  for (const line of banner(emulator, Object.keys(options.pages ?? {}))) out(line);
  const onSignal = () => {
    emulator.close().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  };
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  const close = emulator.close;
  // url is fixed once listening, so a plain copy of the facade is safe.
  return {
    ...emulator,
    close: () => {
      process.off('SIGINT', onSignal);
      process.off('SIGTERM', onSignal);
      return close();
    },
  };
}
