/**
 * A `TapTalk.UserData` blob as the official web SDK writes it, made in Node from the protocol
 * reference's description (§3.7) and the key constant read out of the installed official SDK's
 * own source, for tests that need one without a browser. The Chromium tests use blobs the
 * official SDKs wrote themselves.
 */
import { createCipheriv, createHash } from 'node:crypto';
import { officialSdkSource, type OfficialSdk } from './official-sdk.js';

/** `KEY_PASSWORD_ENCRYPTOR` as it stands in the official SDK's source. */
export function officialKeyConstant(sdk: OfficialSdk = '@taptalk.io/web-sdk'): string {
  const found = /KEY_PASSWORD_ENCRYPTOR\s*=\s*"([^"]+)"/.exec(officialSdkSource(sdk));
  if (!found) throw new Error(`no KEY_PASSWORD_ENCRYPTOR in ${sdk}`);
  return found[1]!;
}

/**
 * Obfuscates `json` the way the official SDK stores user data: AES-256-CBC, zero IV, PKCS#7, key
 * SHA-256(first16(K) + reverse(K[8..24])); then one salt character of K inserted at
 * ((length + digit) * digit) % length of the base64, and `digit` (1..8) in front.
 */
export function officialBlob(json: string, digit = 3, key = officialKeyConstant()): string {
  const password = key.slice(0, 16) + [...key.slice(8, 24)].reverse().join('');
  const cipher = createCipheriv('aes-256-cbc', createHash('sha256').update(password).digest(), Buffer.alloc(16));
  const base64 = Buffer.concat([cipher.update(json, 'utf8'), cipher.final()]).toString('base64');
  const at = ((base64.length + digit) * digit) % base64.length;
  const salt = key[json.length % key.length];
  return `${digit}${base64.slice(0, at)}${salt}${base64.slice(at)}`;
}
