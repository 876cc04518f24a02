/**
 * SES-17: tokens live in the machine's context only. Once the restored tokens are rotated, or the
 * tokens dropped by a logout, nothing in the session keeps them reachable: the garbage collector
 * takes them (watched through a `WeakRef` on the credentials object the machine held).
 */
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Emulator } from '../../src/emulator/index.js';
import { memoryStorage } from '../../src/storage/memory.js';
import { emulator, sessionOn, uniqueUser } from '../support/emulator-session.js';

setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;

/** Whether `ref`'s object survives full collections (after the current job, which keeps it alive). */
async function survives(ref: WeakRef<object>): Promise<boolean> {
  for (let i = 0; i < 3; i++) {
    await new Promise((resolve) => setTimeout(resolve, 0));
    gc();
  }
  return ref.deref() !== undefined;
}

describe('tokens live in the machine context only (SES-17)', () => {
  let em: Emulator;
  beforeAll(async () => {
    em = await emulator();
  });
  afterAll(async () => {
    await em?.close();
  });

  it('SES-17, SES-41: restored tokens are let go once a refresh rotated them, and the new ones once logged out', async () => {
    const storage = memoryStorage();
    const first = sessionOn(em, { storage });
    await first.authenticate(await em.requestTicket(uniqueUser('retention')));
    first.dispose();

    const session = sessionOn(em, { storage });
    expect(session.state).toBe('authenticated');
    let restored: WeakRef<object> | null = new WeakRef(session.actor.getSnapshot().context.credentials!);
    // The check is not blind: while the machine holds them, they survive.
    expect(await survives(restored)).toBe(true);

    await session.refresh();
    expect(await survives(restored)).toBe(false);
    restored = null;

    const rotated = new WeakRef(session.actor.getSnapshot().context.credentials!);
    await session.logout();
    expect(await survives(rotated)).toBe(false);
    session.dispose();
  });
});
