/**
 * The session against the emulator over real HTTP and WebSocket: authentication, connection,
 * frames, restore, logout, independence of sessions.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Emulator } from '../../src/emulator/index.js';
import { TapTalkError } from '../../src/errors.js';
import { memoryStorage } from '../../src/storage/memory.js';
import { storageKeys } from '../../src/storage/keys.js';
import { emulator, next, reach, sessionOn, uniqueUser } from '../support/emulator-session.js';

let em: Emulator;
beforeAll(async () => {
  em = await emulator({ echo: true });
});
afterAll(() => em.close());

const exchanges = () => em.stats().requests['/v1/auth/access_token/request'] ?? 0;

describe('authenticate', () => {
  it('spends a ticket and comes back authenticated, with the user and the tokens stored', async () => {
    const storage = memoryStorage();
    const session = sessionOn(em, { storage });
    const user = uniqueUser();
    const me = await session.authenticate(await em.requestTicket(user));
    expect(me.xcUserID).toBe(user.xcUserID);
    expect(session.state).toBe('authenticated');
    expect(session.user?.xcUserID).toBe(user.xcUserID);
    const stored = JSON.parse(storage.snapshot()[storageKeys(em.appKey.id).session]!);
    expect(stored).toMatchObject({ v: 1, user: { xcUserID: user.xcUserID } });
    expect(typeof stored.accessToken).toBe('string');
    session.dispose();
  });

  it('with connect: true it goes on to connected', async () => {
    const session = sessionOn(em);
    const connected = reach(session, 'connected');
    await session.authenticate(await em.requestTicket(uniqueUser()), { connect: true });
    await connected;
    expect(session.state).toBe('connected');
    session.dispose();
  });

  it('SES-11: the same ticket twice shares one request; a different ticket meanwhile is refused with 95015', async () => {
    const session = sessionOn(em);
    const ticket = await em.requestTicket(uniqueUser());
    const before = exchanges();
    const a = session.authenticate(ticket);
    const b = session.authenticate(ticket);
    const other = session.authenticate('another-ticket');
    await expect(other).rejects.toMatchObject({ code: '95015' });
    expect(await a).toEqual(await b);
    expect(exchanges() - before).toBe(1);
    session.dispose();
  });

  it('SES-10: an empty ticket is refused with 90005 and makes no request', async () => {
    const session = sessionOn(em);
    const before = exchanges();
    await expect(session.authenticate('')).rejects.toMatchObject({ code: '90005' });
    await expect(session.authenticate('   ')).rejects.toMatchObject({ code: '90005' });
    expect(exchanges()).toBe(before);
    expect(session.state).toBe('unauthenticated');
    session.dispose();
  });

  it('SES-12: a reused ticket is rejected with the server code and not retried', async () => {
    const ticket = await em.requestTicket(uniqueUser());
    const first = sessionOn(em);
    await first.authenticate(ticket);
    const second = sessionOn(em);
    const before = exchanges();
    const error = await second.authenticate(ticket).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TapTalkError);
    expect(error).toMatchObject({ code: '40103' });
    expect(exchanges() - before).toBe(1);
    expect(second.state).toBe('unauthenticated');
    first.dispose();
    second.dispose();
  });

  it('an unknown ticket is rejected with 40103, and the error never contains the ticket', async () => {
    const session = sessionOn(em);
    const errors: TapTalkError[] = [];
    session.errors$.subscribe((e) => errors.push(e));
    const error = (await session.authenticate('not-a-real-ticket-123').catch((e: unknown) => e)) as TapTalkError;
    expect(error.code).toBe('40103');
    expect(JSON.stringify({ m: error.message, s: error.stack })).not.toContain('not-a-real-ticket-123');
    await Promise.resolve();
    expect(errors.map((e) => e.code)).toContain('40103');
    session.dispose();
  });

  it('an expired ticket is rejected with 40104', async () => {
    let now = Date.now();
    const clocked = await emulator({ now: () => now, ticketTtlMs: 1_000 });
    try {
      const ticket = await clocked.requestTicket(uniqueUser());
      now += 2_000;
      const session = sessionOn(clocked);
      await expect(session.authenticate(ticket)).rejects.toMatchObject({ code: '40104' });
      session.dispose();
    } finally {
      await clocked.close();
    }
  });

  it('a network failure is reported, not retried behind the app (SES-12)', async () => {
    const session = sessionOn({ ...em, url: 'http://127.0.0.1:1' } as Emulator);
    await expect(session.authenticate('some-ticket')).rejects.toMatchObject({ code: '90004' });
    expect(session.state).toBe('unauthenticated');
    session.dispose();
  });
});

describe('connect and frames', () => {
  it('connect() before authentication is refused with 90002', async () => {
    const session = sessionOn(em);
    await expect(session.connect()).rejects.toMatchObject({ code: '90002' });
    expect(session.state).toBe('unauthenticated');
    session.dispose();
  });

  it('sends a frame to the server and receives server events', async () => {
    const session = sessionOn(em);
    const user = uniqueUser();
    await session.authenticate(await em.requestTicket(user), { connect: true });
    await session.connect();
    const pushed = next(session.events$, (e) => e.eventName === 'test/push');
    em.emit(user.xcUserID, 'test/push', { n: 1 });
    expect((await pushed).data).toEqual({ n: 1 });
    const echoed = next(session.events$, (e) => e.eventName === 'chat/sendMessage');
    await session.send('chat/sendMessage', { body: 'hello' });
    await echoed;
    expect(em.received().filter((f) => f.xcUserID === user.xcUserID).map((f) => f.data)).toEqual([{ body: 'hello' }]);
    session.dispose();
  });

  it('SES-60: frames sent while connecting are queued and flushed in order on connect', async () => {
    const session = sessionOn(em);
    const user = uniqueUser();
    const auth = session.authenticate(await em.requestTicket(user), { connect: true });
    const sends = [1, 2, 3].map((n) => session.send('chat/sendMessage', { n }));
    await auth;
    await Promise.all(sends);
    await next(session.events$, (e) => e.eventName === 'chat/sendMessage' && (e.data as { n: number }).n === 3);
    expect(em.received().filter((f) => f.xcUserID === user.xcUserID).map((f) => (f.data as { n: number }).n)).toEqual([1, 2, 3]);
    session.dispose();
  });

  it('SES-62: a frame that cannot be sent is rejected with a typed error', async () => {
    const session = sessionOn(em);
    await expect(session.send('chat/sendMessage', {})).rejects.toMatchObject({ code: '95007' });
    await session.authenticate(await em.requestTicket(uniqueUser()));
    await expect(session.send('chat/sendMessage', {})).rejects.toMatchObject({ code: '95007' });
    void session.connect();
    const queued = session.send('chat/sendMessage', {});
    await session.logout();
    await expect(queued).rejects.toMatchObject({ code: '95006' });
    await expect(session.send('', {})).rejects.toMatchObject({ code: '95004' });
    session.dispose();
  });
});

describe('persistence', () => {
  it('SES-40: a new session over the same storage comes back authenticated once ready', async () => {
    const storage = memoryStorage();
    const first = sessionOn(em, { storage });
    const me = await first.authenticate(await em.requestTicket(uniqueUser()));
    first.dispose();
    const second = sessionOn(em, { storage });
    expect(await second.whenReady()).toBe('authenticated');
    expect(second.user).toEqual(me);
    await second.connect();
    expect(second.state).toBe('connected');
    expect(second.deviceID).toBe(first.deviceID);
    second.dispose();
  });

  it('SES-40: restores from an asynchronous storage too', async () => {
    const inner = memoryStorage();
    const asyncStorage = {
      getItem: async (k: string) => inner.getItem(k),
      setItem: async (k: string, v: string) => inner.setItem(k, v),
      removeItem: async (k: string) => inner.removeItem(k),
    };
    const first = sessionOn(em, { storage: asyncStorage });
    await first.authenticate(await em.requestTicket(uniqueUser()));
    first.dispose();
    const second = sessionOn(em, { storage: asyncStorage });
    expect(second.state).toBe('unauthenticated');
    expect(await second.whenReady()).toBe('authenticated');
    second.dispose();
  });

  it('a corrupt or foreign blob gives unauthenticated and a 95009 error, not a crash', async () => {
    for (const blob of ['{not json', '{"v":99}', '"hello"', JSON.stringify({ v: 1, accessToken: 'a' })]) {
      const storage = memoryStorage({ [storageKeys(em.appKey.id).session]: blob });
      const session = sessionOn(em, { storage });
      const error = next(session.errors$);
      expect(await session.whenReady()).toBe('unauthenticated');
      expect((await error).code).toBe('95009');
      session.dispose();
    }
  });

  it('SES-50: logout removes every key the engine wrote except the device id', async () => {
    const storage = memoryStorage({ unrelated: 'kept' });
    const session = sessionOn(em, { storage });
    await session.authenticate(await em.requestTicket(uniqueUser()), { connect: true });
    await reach(session, 'connected');
    await session.logout();
    expect(session.state).toBe('loggedOut');
    const keys = storageKeys(em.appKey.id);
    expect(Object.keys(storage.snapshot()).sort()).toEqual([keys.device, 'unrelated'].sort());
    session.dispose();
  });
});

describe('independence and lifecycle', () => {
  it('two sessions in one process do not interfere', async () => {
    const storage = memoryStorage();
    const a = sessionOn(em, { storage, namespace: 'a' });
    const b = sessionOn(em, { storage, namespace: 'b' });
    const [ua, ub] = [uniqueUser('a'), uniqueUser('b')];
    await Promise.all([
      a.authenticate(await em.requestTicket(ua), { connect: true }).then(() => a.connect()),
      b.authenticate(await em.requestTicket(ub), { connect: true }).then(() => b.connect()),
    ]);
    const seen: string[] = [];
    b.events$.subscribe((e) => seen.push(e.eventName));
    await a.logout();
    expect(a.state).toBe('loggedOut');
    expect(b.state).toBe('connected');
    const pushed = next(b.events$, (e) => e.eventName === 'only/b');
    em.emit(ua.xcUserID, 'only/a', {});
    em.emit(ub.xcUserID, 'only/b', {});
    await pushed;
    expect(seen).toEqual(['only/b']);
    expect(b.user?.xcUserID).toBe(ub.xcUserID);
    a.dispose();
    b.dispose();
  });

  it('SES-70: dispose is idempotent, closes the socket and rejects what was pending with 95012', async () => {
    const session = sessionOn(em);
    await session.authenticate(await em.requestTicket(uniqueUser()), { connect: true });
    await reach(session, 'connected');
    const open = em.stats().openSockets;
    session.dispose();
    session.dispose();
    await expect(session.connect()).rejects.toMatchObject({ code: '95012' });
    await expect(session.send('x/y', {})).rejects.toMatchObject({ code: '95012' });
    await expect.poll(() => em.stats().openSockets).toBe(open - 1);
    expect(session.actor.getSnapshot().status).toBe('stopped');
  });

  it('a refused refresh token ends the session with refresh_token_expired (SES-6)', async () => {
    const storage = memoryStorage();
    const session = sessionOn(em, { storage });
    await session.authenticate(await em.requestTicket(uniqueUser()));
    const transitions: string[] = [];
    session.transitions$.subscribe((t) => transitions.push(`${t.to}:${t.reason ?? ''}`));
    em.faults.revokeRefreshTokens();
    await expect(session.refresh()).rejects.toMatchObject({ code: '40103' });
    expect(session.state).toBe('loggedOut');
    await Promise.resolve();
    expect(transitions).toContain('loggedOut:refresh_token_expired');
    expect(storage.snapshot()[storageKeys(em.appKey.id).session]).toBeUndefined();
    session.dispose();
    em.faults.reset();
  });
});

describe('oversized frames', () => {
  it('a frame over maxBodyBytes is refused with 95003 and the session reconnects', async () => {
    const session = sessionOn(em, { maxBodyBytes: 64 * 1024, timings: { firstRetryMaxMs: 20 } });
    const user = uniqueUser();
    await session.authenticate(await em.requestTicket(user), { connect: true });
    await session.connect();
    const error = next(session.errors$, (e) => e.code === '95003');
    em.emit(user.xcUserID, 'big/frame', { blob: 'x'.repeat(100 * 1024) });
    await error;
    await next(session.transitions$, (t) => t.to === 'connected');
    session.dispose();
  });
});

describe('authorized calls', () => {
  it('SES-9: concurrent calls refused with 40104 share one refresh and are each retried once', async () => {
    const session = sessionOn(em);
    const me = await session.authenticate(await em.requestTicket(uniqueUser()));
    expect(await session.request('client/user/get_by_id', { id: me.userID })).toMatchObject({ user: { userID: me.userID } });
    const refreshes = em.stats().refreshes;
    em.faults.expireAccessTokens();
    const answers = await Promise.all(Array.from({ length: 5 }, () => session.request('client/user/get_by_id', { id: me.userID })));
    expect(answers.every((a) => (a.user as { userID: string }).userID === me.userID)).toBe(true);
    expect(em.stats().refreshes - refreshes).toBe(1);
    session.dispose();
  });

  it('SES-9: without a session the call is refused with 90006 and nothing is sent', async () => {
    const sent: string[] = [];
    const counting: typeof fetch = (input, init) => {
      sent.push(input instanceof Request ? input.url : String(input));
      return fetch(input, init);
    };
    const session = sessionOn(em, { fetch: counting });
    await expect(session.request('client/user/get_by_id', { id: '1' })).rejects.toMatchObject({ code: '90006' });
    expect(sent).toEqual([]);
    // The counter is not blind: with a session, the same call goes out through it.
    const me = await session.authenticate(await em.requestTicket(uniqueUser()));
    await session.request('client/user/get_by_id', { id: me.userID });
    expect(sent.filter((url) => url.endsWith('/client/user/get_by_id'))).toHaveLength(1);
    session.dispose();
  });
});
