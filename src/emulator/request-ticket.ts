/**
 * The customer backend's E1 call, made over real HTTP so it exercises the same code path (and
 * faults) as any backend would.
 */
import { request } from 'node:http';
import { request as requestTls } from 'node:https';
import type { Envelope } from './envelope.js';
import { encodeKey } from './keys.js';
import type { KeyPair, TicketUser } from './types.js';

/**
 * An error envelope returned to {@link Emulator.requestTicket}.
 *
 * @example
 * ```ts
 * try { await emulator.requestTicket({ xcUserID: '' }); } catch (e) { (e as TicketRequestError).field; } // '105'
 * ```
 */
export class TicketRequestError extends Error {
  /** Envelope `error.code`, e.g. `'40002'`. */
  readonly code: string;
  /** Envelope status. */
  readonly status: number;
  /** Envelope `error.field`. */
  readonly field: string;

  constructor(envelope: Envelope) {
    super(envelope.error.message);
    this.name = 'TicketRequestError';
    this.code = envelope.error.code;
    this.status = envelope.status;
    this.field = envelope.error.field;
  }
}

/** Device fields a backend would take from the end user's request; placeholders here. */
const DEVICE_DEFAULTS = {
  userIPAddress: '127.0.0.1',
  userAgent: 'taptalk-session-emulator',
  userPlatform: 'web',
  userDeviceID: 'emulator-device',
};

function postJson(url: string, headers: Record<string, string>, body: string, ca: string | undefined): Promise<string> {
  return new Promise((resolve, reject) => {
    const bytes = Buffer.from(body, 'utf8');
    // agent: false so no pooled keep-alive socket outlives close().
    const options = { method: 'POST', agent: false as const, headers: { ...headers, 'Content-Type': 'application/json', 'Content-Length': String(bytes.length) } };
    const req = (url.startsWith('https:') ? requestTls : request)(url, { ...options, ca }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end(bytes);
  });
}

/**
 * Requests a ticket for `user` from the emulator at `baseUrl` (over https trusting `ca`), filling
 * the device fields and `fullName` (= xcUserID) when omitted.
 *
 * @example
 * ```ts
 * const ticket = await requestTicketOverHttp(emulator.url, emulator.serverKey, { xcUserID: 'alice' });
 * ```
 */
export async function requestTicketOverHttp(baseUrl: string, serverKey: KeyPair, user: TicketUser, ca?: string): Promise<string> {
  const given = Object.fromEntries(Object.entries(user).filter(([, v]) => v !== undefined));
  const body = JSON.stringify({ ...DEVICE_DEFAULTS, fullName: user.xcUserID, ...given });
  const text = await postJson(`${baseUrl}/v1/server/auth_ticket/request`, { 'Server-Key': encodeKey(serverKey) }, body, ca);
  const envelope = JSON.parse(text) as Envelope;
  if (envelope.error.code !== '') throw new TicketRequestError(envelope);
  return (envelope.data as { ticket: string }).ticket;
}
