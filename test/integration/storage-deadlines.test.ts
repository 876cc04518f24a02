/**
 * Storages that never answer, and a dispose while the storage is still being read: nothing hangs,
 * nothing is written after dispose() (SES-57, SES-35). Against the emulator over real HTTP.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Emulator } from '../../src/emulator/index.js';
import { memoryStorage } from '../../src/storage/memory.js';
import type { StorageAdapter } from '../../src/storage/types.js';
import { emulator, next, sessionOn, uniqueUser } from '../support/emulator-session.js';

let em: Emulator;
beforeAll(async () => {
  em = await emulator();
});
afterAll(() => em.close());

type Method = 'getItem' | 'setItem' | 'removeItem';

/** A storage whose methods named in `hang` return a promise that never settles. */
function hangingStorage(initial: Record<string, string> = {}) {
  const inner = memoryStorage(initial);
  const hang = new Set<Method>();
  const never = new Promise<never>(() => {});
  const storage: StorageAdapter = {
    getItem: (k) => (hang.has('getItem') ? never : Promise.resolve(inner.getItem(k))),
    setItem: (k, v) => (hang.has('setItem') ? never : Promise.resolve(inner.setItem(k, v))),
    removeItem: (k) => (hang.has('removeItem') ? never : Promise.resolve(inner.removeItem(k))),
  };
  return { storage, inner, hang };
}

/** The app's storage timeout in these tests: short, so a hang is over quickly. */
const storageTimeoutMs = 100;

describe('SES-57: a storage that never answers', () => {
  it('gives authenticate() its answer: the session works in memory, errors$ carries 95010', async () => {
    const { storage, hang } = hangingStorage();
    hang.add('getItem').add('setItem');
    const session = sessionOn(em, { storage, storageTimeoutMs });
    const failed = next(session.errors$, (e) => e.code === '95010');
    const user = uniqueUser();
    const me = await session.authenticate(await em.requestTicket(user));
    expect(me.xcUserID).toBe(user.xcUserID);
    expect(session.state).toBe('authenticated');
    expect((await failed).code).toBe('95010');
    session.dispose();
  });

  it('restores nothing and says why: whenReady() gives unauthenticated, errors$ 95010', async () => {
    const { storage, hang } = hangingStorage();
    hang.add('getItem');
    const session = sessionOn(em, { storage, storageTimeoutMs });
    const failed = next(session.errors$, (e) => e.code === '95010');
    expect(await session.whenReady()).toBe('unauthenticated');
    expect((await failed).code).toBe('95010');
    session.dispose();
  });

  it('rejects logout() with 95010 (SES-55) while the session is loggedOut anyway', async () => {
    const { storage, hang } = hangingStorage();
    const session = sessionOn(em, { storage, storageTimeoutMs });
    await session.authenticate(await em.requestTicket(uniqueUser()));
    hang.add('removeItem');
    await expect(session.logout()).rejects.toMatchObject({ code: '95010' });
    expect(session.state).toBe('loggedOut');
    session.dispose();
  });

  it('lets a logout that waits on the storage settle after dispose()', async () => {
    const { storage, hang } = hangingStorage();
    const session = sessionOn(em, { storage, storageTimeoutMs });
    await session.authenticate(await em.requestTicket(uniqueUser()));
    hang.add('removeItem');
    const logout = session.logout();
    // Once the server logout is over, logout() waits on the storage alone.
    await new Promise<void>((resolve) => {
      const done = () => !session.actor.getSnapshot().hasTag('revoking');
      if (done()) return resolve();
      const watch = session.actor.subscribe(() => done() && (watch.unsubscribe(), resolve()));
    });
    expect(session.state).toBe('loggedOut');
    session.dispose();
    await expect(logout).rejects.toMatchObject({ code: '95010' });
  });

  it('keeps synchronous answers synchronous: a stored session restores in the first step (SES-41)', async () => {
    const storage = memoryStorage();
    const first = sessionOn(em, { storage, storageTimeoutMs });
    await first.authenticate(await em.requestTicket(uniqueUser()));
    first.dispose();
    const second = sessionOn(em, { storage, storageTimeoutMs });
    expect(second.state).toBe('authenticated');
    second.dispose();
  });

  it.each([-1, '100', Number.NaN])('refuses storageTimeoutMs %s with 95011', (value) => {
    expect(() => sessionOn(em, { storageTimeoutMs: value as number })).toThrow(expect.objectContaining({ code: '95011' }));
  });
});

describe('SES-35: dispose() while the storage is still being read', () => {
  /** A storage whose reads wait until `answer()`; writes are recorded. */
  function slowStorage() {
    const inner = memoryStorage();
    const reads: (() => void)[] = [];
    const writes: string[] = [];
    const storage: StorageAdapter = {
      getItem: (k) => new Promise((resolve) => reads.push(() => resolve(inner.getItem(k)))),
      setItem: (k, v) => {
        writes.push(k);
        inner.setItem(k, v);
      },
      removeItem: (k) => {
        writes.push(k);
        inner.removeItem(k);
      },
    };
    return { storage, writes, answer: () => reads.splice(0).forEach((read) => read()) };
  }

  it('rejects whenReady() with 95012 and writes nothing afterwards, not even the device id', async () => {
    const { storage, writes, answer } = slowStorage();
    const session = sessionOn(em, { storage });
    const ready = session.whenReady();
    session.dispose();
    answer();
    await expect(ready).rejects.toMatchObject({ code: '95012' });
    await new Promise((resolve) => setTimeout(resolve, 20)); // let a late write happen, if one would
    answer();
    expect(writes).toEqual([]);
  });
});
