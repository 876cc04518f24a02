/**
 * Command-line flags of `taptalk-session emulator`.
 */
import type { EmulatorOptions } from './types.js';

export const EMULATOR_USAGE = 'usage: emulator [--port N] [--host H] [--access-ttl MS] [--refresh-ttl MS] [--mirror-http-status] [--tls]';

function integer(flag: string, value: string | undefined, min: number): number {
  const n = Number(value);
  if (value === undefined || value === '' || !Number.isInteger(n) || n < min) {
    throw new Error(`${flag} needs an integer >= ${min}\n${EMULATOR_USAGE}`);
  }
  return n;
}

/**
 * Parses CLI flags into emulator options (`admin: true`, port 8080 unless given). Accepts both
 * `--port 9000` and `--port=9000`; throws on an unknown flag or a bad value.
 *
 * @example
 * ```ts
 * parseEmulatorArgs(['--port', '9000', '--mirror-http-status']);
 * // { admin: true, host: '127.0.0.1', port: 9000, mirrorHttpStatus: true }
 * ```
 */
export function parseEmulatorArgs(argv: readonly string[]): EmulatorOptions {
  const options: EmulatorOptions = { admin: true, host: '127.0.0.1', port: 8080 };
  const args = argv.flatMap((arg) => (arg.startsWith('--') && arg.includes('=') ? [arg.slice(0, arg.indexOf('=')), arg.slice(arg.indexOf('=') + 1)] : [arg]));
  for (let i = 0; i < args.length; i++) {
    const flag = args[i];
    switch (flag) {
      case '--port':
        options.port = integer(flag, args[++i], 0);
        break;
      case '--host': {
        const host = args[++i];
        if (host === undefined || host === '') throw new Error(`--host needs a value\n${EMULATOR_USAGE}`);
        options.host = host;
        break;
      }
      case '--access-ttl':
        options.accessTokenTtlMs = integer(flag, args[++i], 1);
        break;
      case '--refresh-ttl':
        options.refreshTokenTtlMs = integer(flag, args[++i], 1);
        break;
      case '--mirror-http-status':
        options.mirrorHttpStatus = true;
        break;
      case '--tls':
        options.tls = true;
        break;
      default:
        throw new Error(`unknown argument: ${flag}\n${EMULATOR_USAGE}`);
    }
  }
  return options;
}
