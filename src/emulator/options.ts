/**
 * Emulator options with their defaults, resolved once per instance.
 */
import { generateKey } from './keys.js';
import type { EmulatorOptions, EmulatorPage, EmulatorTls, KeyPair } from './types.js';

/** {@link EmulatorOptions} with every default filled in. */
export interface ResolvedOptions {
  host: string;
  port: number;
  ticketTtlMs: number;
  singleUseTickets: boolean;
  accessTokenTtlMs: number;
  refreshTokenTtlMs: number;
  mirrorHttpStatus: boolean;
  pingIntervalMs: number;
  echo: boolean;
  appKey: KeyPair;
  serverKey: KeyPair;
  admin: boolean;
  allowedHosts: string[];
  now: () => number;
  maxBodyBytes: number;
  headersTimeoutMs: number;
  requestTimeoutMs: number;
  pages: Record<string, EmulatorPage>;
  tls: false | true | EmulatorTls;
  record: boolean;
}

const HOUR = 3_600_000;

function checkKey(name: string, key: KeyPair): KeyPair {
  if (key.id === '' || key.id.includes(':')) throw new TypeError(`${name}.id must be non-empty and contain no ':'`);
  return { id: key.id, secret: key.secret };
}

function checkTls(tls: EmulatorOptions['tls']): ResolvedOptions['tls'] {
  if (tls === undefined || typeof tls === 'boolean') return tls ?? false;
  const pem = (value: unknown) => typeof value === 'string' && value.includes('-----BEGIN');
  if (!pem(tls.cert) || !pem(tls.key) || (tls.ca !== undefined && !pem(tls.ca))) throw new TypeError('tls.cert, tls.key and tls.ca must be PEM text');
  return { cert: tls.cert, key: tls.key, ca: tls.ca };
}

function checkHosts(hosts: readonly string[] | undefined): string[] {
  for (const host of hosts ?? []) {
    if (typeof host !== 'string' || !/^[a-z0-9.\-]+$|^\[[0-9a-f:.]+\]$/i.test(host)) throw new TypeError(`allowedHosts entries are host names without a port, not ${JSON.stringify(host)}`);
  }
  return [...(hosts ?? [])];
}

function checkDeadlines(headersTimeoutMs: number, requestTimeoutMs: number): { headersTimeoutMs: number; requestTimeoutMs: number } {
  const valid = (ms: number) => Number.isInteger(ms) && ms > 0;
  if (!valid(headersTimeoutMs) || !valid(requestTimeoutMs) || headersTimeoutMs > requestTimeoutMs) {
    throw new TypeError('headersTimeoutMs and requestTimeoutMs must be positive integers, headersTimeoutMs at most requestTimeoutMs');
  }
  return { headersTimeoutMs, requestTimeoutMs };
}

/**
 * Fills defaults and rejects options that cannot work (a key id containing `:`, a headers deadline
 * past the request deadline).
 *
 * @example
 * ```ts
 * resolveOptions({ accessTokenTtlMs: 1000 }).host; // '127.0.0.1'
 * ```
 */
export function resolveOptions(options: EmulatorOptions = {}): ResolvedOptions {
  return {
    host: options.host ?? '127.0.0.1',
    port: options.port ?? 0,
    ticketTtlMs: options.ticketTtlMs ?? HOUR,
    singleUseTickets: options.singleUseTickets ?? true,
    accessTokenTtlMs: options.accessTokenTtlMs ?? HOUR,
    refreshTokenTtlMs: options.refreshTokenTtlMs ?? 30 * 24 * HOUR,
    mirrorHttpStatus: options.mirrorHttpStatus ?? false,
    pingIntervalMs: options.pingIntervalMs ?? 30_000,
    echo: options.echo ?? true,
    appKey: checkKey('appKey', options.appKey ?? generateKey('app')),
    serverKey: checkKey('serverKey', options.serverKey ?? generateKey('server')),
    admin: options.admin ?? false,
    allowedHosts: checkHosts(options.allowedHosts),
    now: options.now ?? Date.now,
    maxBodyBytes: options.maxBodyBytes ?? 1_048_576,
    ...checkDeadlines(options.headersTimeoutMs ?? 10_000, options.requestTimeoutMs ?? 30_000),
    pages: { ...options.pages },
    tls: checkTls(options.tls),
    record: options.record ?? false,
  };
}
