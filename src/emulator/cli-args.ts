/**
 * Command-line flags of `taptalk-session emulator`, parsed by `node:util`'s `parseArgs`.
 */
import { parseArgs } from 'node:util';
import type { EmulatorOptions } from './types.js';

export const EMULATOR_USAGE = 'usage: taptalk-session emulator [--port N] [--host H] [--access-ttl MS] [--refresh-ttl MS] [--mirror-http-status] [--tls] [--allow-host NAME]... [--help]';

const FLAGS = {
  port: { type: 'string' },
  host: { type: 'string' },
  'access-ttl': { type: 'string' },
  'refresh-ttl': { type: 'string' },
  'mirror-http-status': { type: 'boolean' },
  tls: { type: 'boolean' },
  'allow-host': { type: 'string', multiple: true },
} as const;

function integer(flag: string, value: string, min: number): number {
  const n = Number(value);
  if (value === '' || !Number.isInteger(n) || n < min) throw new Error(`--${flag} needs an integer >= ${min}\n${EMULATOR_USAGE}`);
  return n;
}

/**
 * Parses CLI flags into emulator options (`admin: true`, port 8080 unless given). Accepts both
 * `--port 9000` and `--port=9000`; throws on an unknown flag, a positional argument or a bad value.
 *
 * @example
 * ```ts
 * parseEmulatorArgs(['--port', '9000', '--mirror-http-status']);
 * // { admin: true, host: '127.0.0.1', port: 9000, mirrorHttpStatus: true }
 * ```
 */
export function parseEmulatorArgs(argv: readonly string[]): EmulatorOptions {
  let values: ReturnType<typeof parseArgs<{ args: string[]; options: typeof FLAGS }>>['values'];
  try {
    ({ values } = parseArgs({ args: [...argv], options: FLAGS, strict: true, allowPositionals: false }));
  } catch (error) {
    throw new Error(`${(error as Error).message}\n${EMULATOR_USAGE}`);
  }
  const options: EmulatorOptions = { admin: true, host: '127.0.0.1', port: 8080 };
  if (values.port !== undefined) options.port = integer('port', values.port, 0);
  if (values.host !== undefined) {
    if (values.host === '') throw new Error(`--host needs a value\n${EMULATOR_USAGE}`);
    options.host = values.host;
  }
  if (values['access-ttl'] !== undefined) options.accessTokenTtlMs = integer('access-ttl', values['access-ttl'], 1);
  if (values['refresh-ttl'] !== undefined) options.refreshTokenTtlMs = integer('refresh-ttl', values['refresh-ttl'], 1);
  if (values['mirror-http-status']) options.mirrorHttpStatus = true;
  if (values.tls) options.tls = true;
  if (values['allow-host'] !== undefined) options.allowedHosts = values['allow-host'];
  return options;
}
