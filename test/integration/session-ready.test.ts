/**
 * The loading flag (SES-48): `ready`/`ready$` say whether the stored session is still being read,
 * so a UI can wait instead of flashing the sign-in screen; the public states stay the six.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Emulator } from '../../src/emulator/index.js';
import { memoryStorage } from '../../src/storage/memory.js';
import type { StorageAdapter } from '../../src/storage/types.js';
import { emulator, next, reach, sessionOn, uniqueUser } from '../support/emulator-session.js';

/** `inner` behind reads that wait until `open()` is called: an AsyncStorage that takes its time. */
function gatedStorage(inner: StorageAdapter) {
  let open!: () => void;
  const gate = new Promise<void>((resolve) => (open = resolve));
  const storage: StorageAdapter = {
    getItem: async (key) => (await gate, inner.getItem(key)),
    setItem: async (key, value) => inner.setItem(key, value),
    removeItem: async (key) => inner.removeItem(key),
  };
  return { storage, open };
}

describe('the loading flag (SES-48)', () => {
  let em: Emulator;
  beforeAll(async () => {
    em = await emulator();
  });
  afterAll(async () => {
    await em?.close();
  });

  /** A storage holding a live session of a fresh user. */
  async function storedSession() {
    const stored = memoryStorage();
    const first = sessionOn(em, { storage: stored });
    await first.authenticate(await em.requestTicket(uniqueUser('ready')));
    first.dispose();
    return stored;
  }

  it('SES-48: ready is false while a stored session is read, then true after the restored state', async () => {
    const { storage, open } = gatedStorage(await storedSession());
    const session = sessionOn(em, { storage });
    const seen: string[] = [];
    session.state$.subscribe((s) => seen.push(`state:${s}`));
    session.ready$.subscribe((r) => seen.push(`ready:${r}`));
    // What a UI shows when bound to the state alone, and when it waits for `ready`.
    const stateOnly: string[] = [];
    const withFlag: string[] = [];
    const render = () => {
      stateOnly.push(session.state === 'unauthenticated' ? 'sign-in' : 'chat');
      withFlag.push(!session.ready ? 'spinner' : session.state === 'unauthenticated' ? 'sign-in' : 'chat');
    };
    session.state$.subscribe(render);
    session.ready$.subscribe(render);

    expect(session.ready).toBe(false);
    expect(session.state).toBe('unauthenticated');
    open();
    await next(session.ready$, (r) => r);
    expect(session.state).toBe('authenticated');
    expect(seen).toEqual(['state:unauthenticated', 'ready:false', 'state:authenticated', 'ready:true']);
    // The flash is real without the flag (this is what the flag is for), and gone with it.
    expect(stateOnly).toContain('sign-in');
    expect(withFlag).not.toContain('sign-in');
    expect(withFlag.at(-1)).toBe('chat');
    session.dispose();
  });

  it('SES-48: with nothing stored, ready turns true and the state stays unauthenticated', async () => {
    const { storage, open } = gatedStorage(memoryStorage());
    const session = sessionOn(em, { storage });
    const values: boolean[] = [];
    session.ready$.subscribe((r) => values.push(r));
    open();
    await next(session.ready$, (r) => r);
    expect(values).toEqual([false, true]);
    expect(session.state).toBe('unauthenticated');
    session.dispose();
  });

  it('SES-48: a synchronous storage is ready at once, and state$ replays the restored state first', async () => {
    const session = sessionOn(em, { storage: await storedSession() });
    expect(session.ready).toBe(true);
    const states: string[] = [];
    const ready: boolean[] = [];
    session.state$.subscribe((s) => states.push(s));
    session.ready$.subscribe((r) => ready.push(r));
    await Promise.resolve();
    expect(states).toEqual(['authenticated']);
    expect(ready).toEqual([true]);
    session.dispose();
  });

  it('SES-48, SES-43: a ticket given while restoring makes the session ready', async () => {
    const { storage, open } = gatedStorage(memoryStorage());
    const session = sessionOn(em, { storage });
    const ticket = await em.requestTicket(uniqueUser('ready-ticket'));
    const authenticated = session.authenticate(ticket);
    expect(session.ready).toBe(true);
    open();
    await authenticated;
    await reach(session, 'authenticated');
    expect(session.ready).toBe(true);
    session.dispose();
  });
});
