/**
 * TLS for the emulator (`tls: true`, `--tls`): `taptalksdk-web` 1.0.310 always connects to
 * `wss://` (reference §6 weakness 18), so without it that SDK cannot reach a local server.
 * A throwaway CA and a certificate for `localhost`, `127.0.0.1` and `::1` are made at start;
 * the CA (not its key) is handed out so that clients can trust exactly this emulator.
 */
import { createHash, X509Certificate } from 'node:crypto';
import type { EmulatorTls } from './types.js';

/** What the HTTPS server is created with, and what the handle tells clients. */
export interface TlsMaterial {
  cert: string;
  key: string;
  /** PEM of the certificate clients should trust. */
  ca: string;
  /** base64 SHA-256 of the leaf's public key: Chromium's `--ignore-certificate-errors-spki-list`. */
  spki: string;
}

const DAY = 86_400_000;

/** base64(SHA-256(SubjectPublicKeyInfo DER)) of a certificate, the form Chromium's flag takes. */
export function spkiHash(certPem: string): string {
  const der = new X509Certificate(certPem).publicKey.export({ type: 'spki', format: 'der' });
  return createHash('sha256').update(der).digest('base64');
}

/** A CA and a leaf it signed, both EC P-256 (fast to make), valid from a day ago (clock skew) to two days ahead. */
async function generate(): Promise<{ cert: string; key: string; ca: string }> {
  // Loaded only when TLS is asked for: most runs never pay for it.
  const { generate: make } = await import('selfsigned');
  const notBeforeDate = new Date(Date.now() - DAY);
  const notAfterDate = new Date(Date.now() + 2 * DAY);
  const common = { keyType: 'ec', curve: 'P-256', algorithm: 'sha256', notBeforeDate, notAfterDate } as const;
  const ca = await make([{ name: 'commonName', value: 'taptalk-session emulator CA' }], {
    ...common,
    extensions: [
      { name: 'basicConstraints', cA: true, critical: true },
      { name: 'keyUsage', keyCertSign: true, cRLSign: true, digitalSignature: true, critical: true },
    ],
  });
  const leaf = await make([{ name: 'commonName', value: 'localhost' }], {
    ...common,
    ca: { key: ca.private, cert: ca.cert },
    extensions: [
      { name: 'basicConstraints', cA: false },
      { name: 'keyUsage', digitalSignature: true, critical: true },
      { name: 'extKeyUsage', serverAuth: true },
      {
        name: 'subjectAltName',
        altNames: [
          { type: 2, value: 'localhost' },
          { type: 7, ip: '127.0.0.1' },
          { type: 7, ip: '::1' },
        ],
      },
    ],
  });
  return { cert: leaf.cert, key: leaf.private, ca: ca.cert };
}

/**
 * The certificate to serve: the one passed, or a fresh one.
 *
 * @example
 * ```ts
 * const material = await tlsMaterial(true); // material.ca is what a client trusts
 * ```
 */
export async function tlsMaterial(option: true | EmulatorTls): Promise<TlsMaterial> {
  const chosen = option === true ? await generate() : { cert: String(option.cert), key: String(option.key), ca: String(option.ca ?? option.cert) };
  return { ...chosen, spki: spkiHash(chosen.cert) };
}
