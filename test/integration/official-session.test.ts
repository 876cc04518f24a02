/**
 * SES-44..47: a first start takes over the session and device id TapTalk's official web SDK left
 * in storage, with real tokens from the emulator (blobs made here as the SDK makes them; the
 * Chromium test uses blobs the official SDKs wrote themselves).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Emulator } from '../../src/emulator/index.js';
import { encodeKey } from '../../src/emulator/index.js';
import { TapTalkError } from '../../src/errors.js';
import { memoryStorage } from '../../src/storage/memory.js';
import { storageKeys } from '../../src/storage/keys.js';
import { emulator as startEmulator, next, sessionOn, tokensIn, uniqueUser } from '../support/emulator-session.js';
import { officialBlob, officialKeyConstant } from '../support/official-blob.js';

const DEVICE = 'a1b2c3d4e5f60718-OfficialDeviceGuid0123456789abcdefXY';

/** What the official SDK stores after `authenticateWithAuthTicket`: E2's `data` plus `logout: false`. */
async function officialGrant(em: Emulator, deviceID = DEVICE): Promise<{ accessToken: string; refreshToken: string; user: { userID: string } }> {
  const ticket = await em.requestTicket(uniqueUser('official'));
  const response = await fetch(`${em.url}/v1/auth/access_token/request`, {
    method: 'POST',
    headers: { 'App-Key': encodeKey(em.appKey), Authorization: `Bearer ${ticket}`, 'Device-Identifier': deviceID, 'Device-Platform': 'web' },
    body: JSON.stringify(''),
  });
  return ((await response.json()) as { data: { accessToken: string; refreshToken: string; user: { userID: string } } }).data;
}

function officialStorage(grant: object, deviceID = DEVICE) {
  return memoryStorage({ 'TapTalk.UserData': officialBlob(JSON.stringify({ ...grant, logout: false })), 'tapTalk.DeviceID': deviceID });
}

describe('taking over the official SDK stored session', () => {
  let em: Emulator;
  beforeAll(async () => {
    em = await startEmulator();
  });
  afterAll(() => em?.close());

  it('SES-44: restores the official session as authenticated, with its user and device id, and connects with no new ticket', async () => {
    const grant = await officialGrant(em);
    const storage = officialStorage(grant);
    const lines: unknown[][] = [];
    const logger = { warn: (...a: unknown[]) => lines.push(a), error: (...a: unknown[]) => lines.push(a), debug: (...a: unknown[]) => lines.push(a) };
    const session = sessionOn(em, { storage, logger });
    const exchanged = em.stats().ticketsExchanged;
    expect(await session.whenReady()).toBe('authenticated');
    expect(session.user?.userID).toBe(grant.user.userID);
    expect(session.deviceID).toBe(DEVICE);
    await session.connect();
    expect(session.state).toBe('connected');
    expect(em.stats().ticketsExchanged).toBe(exchanged);
    // SES-45: the official blob is gone once ours is stored; the device id is ours now too.
    const stored = storage.snapshot();
    expect(stored['TapTalk.UserData']).toBeUndefined();
    expect(stored[storageKeys(em.appKey.id).session]).toContain(grant.refreshToken);
    expect(stored[storageKeys(em.appKey.id).device]).toBe(DEVICE);
    // SES-47: no token in any log line (the check itself finds a token where there is one).
    expect(tokensIn({ log: JSON.stringify(lines) }, [grant.accessToken, grant.refreshToken])).toEqual([]);
    expect(tokensIn({ mutated: `token ${grant.accessToken}` }, [grant.accessToken])).toEqual(['mutated']);
    await session.logout();
    session.dispose();
  });

  it('SES-46, SES-47: an unreadable official blob gives 95009 and unauthenticated, leaves the blob, and leaks nothing of it', async () => {
    const grant = await officialGrant(em);
    const good = officialBlob(JSON.stringify(grant));
    for (const blob of [`${good.slice(0, -6)}AAAA==`, 'not a blob', officialBlob('{"accessToken":""}'), officialBlob(JSON.stringify(grant), 3, 'x'.repeat(43))]) {
      const storage = memoryStorage({ 'TapTalk.UserData': blob });
      const session = sessionOn(em, { storage });
      const error = next(session.errors$);
      expect(await session.whenReady()).toBe('unauthenticated');
      const reported = await error;
      expect(reported).toBeInstanceOf(TapTalkError);
      expect(reported.code).toBe('95009');
      expect(reported.message).toMatch(/^The official SDK's stored session is unreadable and was ignored: /);
      expect(tokensIn({ message: reported.message, stack: String(reported.stack) }, [grant.accessToken, grant.refreshToken, blob])).toEqual([]);
      expect(storage.snapshot()['TapTalk.UserData']).toBe(blob);
      session.dispose();
    }
  });

  it('SES-44: adoptOfficialSession: false leaves the official session and device id alone', async () => {
    const grant = await officialGrant(em);
    const storage = officialStorage(grant);
    const session = sessionOn(em, { storage, adoptOfficialSession: false });
    expect(await session.whenReady()).toBe('unauthenticated');
    expect(session.deviceID).not.toBe(DEVICE);
    expect(storage.snapshot()['TapTalk.UserData']).toBeDefined();
    session.dispose();
    // The same storage with adoption on (the default) takes it over: the switch is what made the difference.
    const adopting = sessionOn(em, { storage: officialStorage(grant) });
    expect(await adopting.whenReady()).toBe('authenticated');
    adopting.dispose();
  });

  it('SES-44: our own stored session wins over an official one, which is then left alone', async () => {
    const storage = officialStorage(await officialGrant(em));
    const ours = sessionOn(em, { storage });
    expect(await ours.whenReady()).toBe('authenticated'); // adopted the official session...
    await ours.authenticate(await em.requestTicket(uniqueUser('ours'))); // ...then a login of ours replaced it
    const oursUser = ours.user!.userID;
    ours.dispose();
    const blob = officialBlob(JSON.stringify({ ...(await officialGrant(em)), logout: false }));
    await storage.setItem('TapTalk.UserData', blob);
    const session = sessionOn(em, { storage });
    expect(await session.whenReady()).toBe('authenticated');
    expect(session.user?.userID).toBe(oursUser);
    expect(storage.snapshot()['TapTalk.UserData']).toBe(blob);
    session.dispose();
  });

  it('uses the key constant that the official SDKs publish (both versions carry the same one)', () => {
    expect(officialKeyConstant('taptalksdk-web')).toBe(officialKeyConstant('@taptalk.io/web-sdk'));
  });

  it('SES-44: refuses a non-boolean adoptOfficialSession with 95011', () => {
    expect(() => sessionOn(em, { adoptOfficialSession: 'no' as never })).toThrow(/adoptOfficialSession must be a boolean/);
  });
});
