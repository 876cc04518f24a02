/** Restoring a stored session, and the public state vocabulary (SES-1, SES-2, SES-40..43). */
import { describe, expect, test } from 'vitest';
import { PUBLIC_STATES, publicStateOf, type Credentials } from '../../machines/index.js';
import { createHarness, grant } from '../support/machine-harness.js';
import { authenticate, connectedHarness, ctx, last, settle } from '../support/machine-steps.js';

const NOW = 1_700_000_000_000;
const user = { userID: 'u1', fullname: 'Ada' };

function stored(refreshAt = NOW + 3_540_000): Credentials {
  return { accessToken: 'a0', refreshToken: 'r0', accessTokenExpiry: NOW + 3_600_000, refreshTokenExpiry: NOW + 86_400_000, skewMs: 0, refreshAt };
}

describe('restore', () => {
  test('SES-40: a stored session is restored as authenticated, without a network call', async () => {
    const h = createHarness({ deferLoad: true });
    expect(h.state()).toBe('unauthenticated');
    expect(h.substate()).toBe('restoring');
    last(h.calls.load).resolve({ kind: 'found', credentials: stored(), user });
    await settle();
    expect(h.state()).toBe('authenticated');
    expect(ctx(h).reason).toBe('restored');
    expect(ctx(h).user).toEqual(user);
    expect(h.calls.probe).toHaveLength(0);
    expect(h.calls.refresh).toHaveLength(0);
  });

  test('SES-40: nothing stored: unauthenticated, waiting for a ticket', async () => {
    const h = createHarness({ deferLoad: true });
    last(h.calls.load).resolve({ kind: 'none' });
    await settle();
    expect(h.state()).toBe('unauthenticated');
    expect(h.substate()).toBeUndefined();
    expect(ctx(h).reason).toBe('no_stored_session');
  });

  test('SES-40: an unreadable stored session is ignored and reported', async () => {
    const h = createHarness({ deferLoad: true });
    last(h.calls.load).resolve({ kind: 'unreadable', failure: { code: '95009', retryable: false, unauthorized: false } });
    await settle();
    expect(h.state()).toBe('unauthenticated');
    expect(ctx(h).reason).toBe('stored_session_unreadable');
    expect(ctx(h).lastFailure?.code).toBe('95009');
  });

  test('SES-40: a storage that throws is reported the same way', async () => {
    const h = createHarness({ deferLoad: true });
    last(h.calls.load).reject({ code: '95010', retryable: true });
    await settle();
    expect(h.state()).toBe('unauthenticated');
    expect(ctx(h).reason).toBe('stored_session_unreadable');
    expect(ctx(h).lastFailure?.code).toBe('95010');
  });

  test('SES-41: a session preloaded from synchronous storage is the very first state (no indeterminate tick)', () => {
    const h = createHarness({ preloaded: { credentials: stored(), user } });
    expect(h.state()).toBe('authenticated');
    expect(ctx(h).reason).toBe('restored');
    expect(h.calls.load).toHaveLength(0);
  });

  test('SES-41: preloaded "nothing stored" starts unauthenticated without a restoring step', () => {
    const h = createHarness({ preloaded: null, deferLoad: true });
    expect(h.state()).toBe('unauthenticated');
    expect(h.substate()).toBeUndefined();
    expect(h.calls.load).toHaveLength(0);
  });

  test('SES-42: a restored session whose refresh is overdue refreshes at once', async () => {
    const h = createHarness({ preloaded: { credentials: stored(NOW), user } });
    await h.advance(0);
    expect(h.calls.refresh).toHaveLength(1);
    expect(h.calls.refresh[0]!.input.refreshToken).toBe('r0');
  });

  test('SES-42: a restored session refreshes at the stored refreshAt', async () => {
    const h = createHarness({ preloaded: { credentials: stored(NOW + 1_000), user } });
    await h.advance(999);
    expect(h.calls.refresh).toHaveLength(0);
    await h.advance(1);
    expect(h.calls.refresh).toHaveLength(1);
  });

  test('SES-43: a ticket given while restoring wins over the stored session', async () => {
    const h = createHarness({ deferLoad: true });
    h.send({ type: 'user.authenticate', ticket: 't1', connect: false });
    expect(h.state()).toBe('authenticating');
    expect(last(h.calls.load).aborted).toBe(true);
    last(h.calls.load).resolve({ kind: 'found', credentials: stored(), user });
    await settle();
    expect(h.state()).toBe('authenticating');
    last(h.calls.exchange).resolve(grant(h.clock.now(), {}, 2));
    await settle();
    expect(ctx(h).credentials?.accessToken).toBe('access-2');
  });

  test('SES-43: a logout while restoring wins too', async () => {
    const h = createHarness({ deferLoad: true });
    h.send({ type: 'user.logout' });
    last(h.calls.load).resolve({ kind: 'found', credentials: stored(), user });
    await settle();
    expect(h.state()).toBe('loggedOut');
    expect(h.calls.clears).toBe(1);
  });
});

describe('public states', () => {
  test('SES-1: every nested state maps to exactly one of the six public states', async () => {
    const seen = new Map<string, string>();
    const record = (h: ReturnType<typeof createHarness>) => {
      const s = h.actor.getSnapshot();
      const state = publicStateOf(s);
      expect(PUBLIC_STATES).toContain(state);
      seen.set(JSON.stringify(s.value), state);
    };
    const h = createHarness({ deferLoad: true });
    h.actor.subscribe(() => record(h));
    record(h);
    last(h.calls.load).resolve({ kind: 'none' });
    await settle();
    await authenticate(h, false);
    h.send({ type: 'user.connect' });
    last(h.calls.probe).resolve();
    await settle();
    last(h.calls.sockets).send({ type: 'socket.opened', canPing: true });
    await h.advance(15_000);
    last(h.calls.sockets).send({ type: 'socket.closed', code: 1006, reason: '' });
    h.send({ type: 'user.logout' });
    expect(Object.fromEntries(seen)).toEqual({
      '{"unauthenticated":"restoring"}': 'unauthenticated',
      '{"unauthenticated":"idle"}': 'unauthenticated',
      '"authenticating"': 'authenticating',
      '{"active":{"token":"fresh","link":"idle"}}': 'authenticated',
      '{"active":{"token":"fresh","link":{"connecting":"probing"}}}': 'connecting',
      '{"active":{"token":"fresh","link":{"socket":"opening"}}}': 'connecting',
      '{"active":{"token":"fresh","link":{"socket":{"open":"healthy"}}}}': 'connected',
      '{"active":{"token":"fresh","link":{"socket":{"open":"checking"}}}}': 'connected',
      '{"active":{"token":"fresh","link":{"connecting":"waiting"}}}': 'connecting',
      '{"loggedOut":"revoking"}': 'loggedOut',
    });
  });

  test('SES-1: a refresh never changes the public state', async () => {
    const h = await connectedHarness();
    const states: string[] = [];
    h.actor.subscribe(() => states.push(h.state()));
    h.send({ type: 'user.refresh' });
    last(h.calls.refresh).resolve(grant(h.clock.now(), {}, 2));
    await settle();
    expect(new Set(states)).toEqual(new Set(['connected']));
  });

  test('SES-2: every public state change comes with a reason set by that very transition', async () => {
    const h = createHarness({ deferLoad: true });
    let prev = { state: h.state(), seq: ctx(h).reasonSeq };
    const changes: string[] = [];
    h.actor.subscribe((s) => {
      const state = publicStateOf(s);
      if (state !== prev.state) {
        expect(s.context.reasonSeq, `${prev.state} → ${state}`).toBeGreaterThan(prev.seq);
        changes.push(`${prev.state}→${state}:${s.context.reason}`);
      }
      prev = { state, seq: s.context.reasonSeq };
    });
    last(h.calls.load).resolve({ kind: 'none' });
    await settle();
    await authenticate(h, true);
    last(h.calls.probe).resolve();
    await settle();
    last(h.calls.sockets).send({ type: 'socket.opened', canPing: true });
    last(h.calls.sockets).send({ type: 'socket.closed', code: 1006, reason: '' });
    h.send({ type: 'user.disconnect' });
    h.send({ type: 'user.connect' });
    h.send({ type: 'user.logout' });
    expect(changes).toEqual([
      'unauthenticated→authenticating:user_authenticate',
      'authenticating→connecting:ticket_exchanged',
      'connecting→connected:socket_opened',
      'connected→connecting:socket_closed',
      'connecting→authenticated:user_disconnect',
      'authenticated→connecting:user_connect',
      'connecting→loggedOut:user_logout',
    ]);
  });
});
