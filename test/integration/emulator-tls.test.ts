/**
 * The emulator over TLS (`tls: true`): https:// and wss:// with a certificate made at start, a CA
 * a client can trust, and our own client in Node trusting it the way a user would
 * (NODE_EXTRA_CA_CERTS in a child process).
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { request } from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseEmulatorArgs, startEmulator, type Emulator } from '../../src/emulator/index.js';
import { tlsMaterial } from '../../src/emulator/tls.js';
import { uniqueUser } from '../support/emulator-session.js';

const run = promisify(execFile);

function get(url: string, ca: string | undefined): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request(url, { ca, agent: false }, (res) => {
      let body = '';
      res.on('data', (chunk) => (body += chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    });
    req.on('error', reject);
    req.end();
  });
}

/** Our client in a child Node process, with or without the CA added to its trust store. */
async function clientInChild(emulator: Emulator, caPath: string | undefined): Promise<Record<string, unknown>> {
  const ticket = await emulator.requestTicket(uniqueUser('tls'));
  const env: NodeJS.ProcessEnv = { ...process.env, BASE: emulator.url, APP_ID: emulator.appKey.id, APP_SECRET: emulator.appKey.secret, TICKET: ticket };
  delete env.NODE_EXTRA_CA_CERTS;
  if (caPath) env.NODE_EXTRA_CA_CERTS = caPath;
  const { stdout } = await run(process.execPath, ['--import', 'tsx', 'test/support/tls-client.ts'], { env, timeout: 20_000 }).catch((error: { stdout?: string }) => ({ stdout: error.stdout ?? '{}' }));
  return JSON.parse(stdout.trim().split('\n').at(-1) ?? '{}') as Record<string, unknown>;
}

describe('the emulator over TLS', () => {
  let emulator: Emulator;
  let caPath: string;

  beforeAll(async () => {
    emulator = await startEmulator({ tls: true });
    caPath = join(mkdtempSync(join(tmpdir(), 'emulator-ca-')), 'ca.pem');
    writeFileSync(caPath, emulator.tls!.ca);
  });
  afterAll(() => emulator?.close());

  it('serves https:// with a certificate for 127.0.0.1 and localhost that its CA vouches for', async () => {
    expect(emulator.url).toMatch(/^https:\/\/127\.0\.0\.1:\d+$/);
    const port = new URL(emulator.url).port;
    for (const host of ['127.0.0.1', 'localhost']) {
      const { body } = await get(`https://${host}:${port}/connect?check=1`, emulator.tls!.ca);
      expect(JSON.parse(body).error.code).toBe('49101'); // reached the API: no App-Key
    }
    // The same request without the CA is refused by the client: the trust is what makes it work.
    await expect(get(`${emulator.url}/connect?check=1`, undefined)).rejects.toThrow(/certificate/);
    expect(emulator.tls!.spki).toMatch(/^[A-Za-z0-9+/]{43}=$/);
  });

  it('issues tickets over https (requestTicket trusts its own CA)', async () => {
    await expect(emulator.requestTicket(uniqueUser('tls'))).resolves.toMatch(/.+/);
  });

  it('lets our client authenticate, connect over wss://, send and log out in Node with NODE_EXTRA_CA_CERTS', async () => {
    const trusted = await clientInChild(emulator, caPath);
    expect(trusted).toMatchObject({ connected: 'connected', state: 'loggedOut', errors: [] });
    await expect.poll(() => emulator.received().some((f) => f.eventName === 'chat/startTyping' && (f.data as { roomID?: string }).roomID === 'tls-room')).toBe(true);
    expect(emulator.stats().requests['ws:/connect']).toBeGreaterThan(0);
    // Mutation: the same client without the CA cannot even exchange the ticket.
    const untrusted = await clientInChild(emulator, undefined);
    expect(untrusted.state).toBe('unauthenticated');
    expect(untrusted.failed).toBeDefined();
  }, 30_000);

  it('serves a certificate the user passes', async () => {
    const own = await tlsMaterial(true);
    const mine = await startEmulator({ tls: { cert: own.cert, key: own.key, ca: own.ca } });
    try {
      expect(mine.tls).toEqual({ ca: own.ca, spki: own.spki });
      const { body } = await get(`${mine.url}/connect?check=1`, own.ca);
      expect(JSON.parse(body).error.code).toBe('49101');
    } finally {
      await mine.close();
    }
    await expect(startEmulator({ tls: { cert: 'not a certificate', key: own.key } })).rejects.toThrow(TypeError);
  });

  it('is what --tls on the command line asks for', () => {
    expect(parseEmulatorArgs(['--tls']).tls).toBe(true);
    expect(parseEmulatorArgs([]).tls).toBeUndefined();
  });
});
