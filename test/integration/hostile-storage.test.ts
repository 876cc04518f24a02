/**
 * Storages that refuse: a logout that cannot clear the storage is never reported as done, in the
 * session or in TapTalk's facade (SES-55), against the emulator over real HTTP.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Emulator } from '../../src/emulator/index.js';
import { memoryStorage } from '../../src/storage/memory.js';
import { storageKeys } from '../../src/storage/keys.js';
import type { StorageAdapter } from '../../src/storage/types.js';
import { createTapTalk } from '../../src/taptalk.js';
import { emulator, quietLogger, sessionOn, uniqueUser } from '../support/emulator-session.js';

let em: Emulator;
beforeAll(async () => {
  em = await emulator();
});
afterAll(() => em.close());

/** A storage that works until `refuse` is set, then throws from `removeItem` (a quota, a lock). */
function refusingRemoval() {
  const inner = memoryStorage();
  const storage: StorageAdapter & { refuse: boolean } = {
    refuse: false,
    getItem: (k) => inner.getItem(k),
    setItem: (k, v) => inner.setItem(k, v),
    removeItem(k) {
      if (storage.refuse) throw new DOMException('The quota has been exceeded.', 'QuotaExceededError');
      inner.removeItem(k);
    },
  };
  return { storage, inner };
}

describe('SES-55: a logout that cannot clear the storage', () => {
  it('rejects logout() with 95010 while the session in memory is loggedOut anyway', async () => {
    const { storage, inner } = refusingRemoval();
    const session = sessionOn(em, { storage });
    await session.authenticate(await em.requestTicket(uniqueUser()));
    storage.refuse = true;
    await expect(session.logout()).rejects.toMatchObject({ code: '95010' });
    expect(session.state).toBe('loggedOut');
    expect(session.user).toBeNull();
    // The token is still stored, which is exactly why the logout was not reported as done.
    expect(inner.snapshot()[storageKeys(em.appKey.id).session]).toBeDefined();
    session.dispose();
  });

  it('resolves the next logout once the storage clears again', async () => {
    const { storage, inner } = refusingRemoval();
    const session = sessionOn(em, { storage });
    await session.authenticate(await em.requestTicket(uniqueUser()));
    storage.refuse = true;
    await expect(session.logout()).rejects.toMatchObject({ code: '95010' });
    storage.refuse = false;
    await session.authenticate(await em.requestTicket(uniqueUser()));
    await expect(session.logout()).resolves.toBeUndefined();
    expect(inner.snapshot()[storageKeys(em.appKey.id).session]).toBeUndefined();
    session.dispose();
  });

  it("gives TapTalk's logoutAndClearAllTapTalkData onError 95010, never onSuccess", async () => {
    const { storage } = refusingRemoval();
    const taptalk = createTapTalk();
    taptalk.init(em.appKey.id, em.appKey.secret, em.url, { logger: quietLogger, environment: false, storage });
    const ticket = await em.requestTicket(uniqueUser());
    await new Promise<void>((resolve, reject) =>
      taptalk.authenticateWithAuthTicket(ticket, false, { onSuccess: () => resolve(), onError: (code) => reject(new Error(code)) }),
    );
    storage.refuse = true;
    const outcome = await new Promise<string>((resolve) =>
      taptalk.logoutAndClearAllTapTalkData({ onSuccess: (m) => resolve(`success: ${m}`), onError: (code) => resolve(`error: ${code}`) }),
    );
    expect(outcome).toBe('error: 95010');
    expect(taptalk.isAuthenticated()).toBe(false);
    taptalk.init(em.appKey.id, em.appKey.secret, em.url, { logger: quietLogger, environment: false, storage: memoryStorage() });
  });
});
