/** Logout always wins (SES-50..54). */
import { describe, expect, test } from 'vitest';
import type { Harness } from '../support/machine-steps.js';
import { authError, createHarness, grant, netError } from '../support/machine-harness.js';
import { authenticate, connectedHarness, ctx, last, settle } from '../support/machine-steps.js';

/** Drives a fresh harness into the named spot, with a call left pending where there is one. */
const spots: Record<string, () => Promise<Harness>> = {
  restoring: async () => createHarness({ deferLoad: true }),
  authenticating: async () => {
    const h = createHarness();
    await settle();
    h.send({ type: 'user.authenticate', ticket: 't1', connect: true });
    return h;
  },
  probing: async () => {
    const h = createHarness();
    await authenticate(h, true);
    return h;
  },
  opening: async () => {
    const h = createHarness();
    await authenticate(h, true);
    last(h.calls.probe).resolve();
    await settle();
    return h;
  },
  refreshing: async () => {
    const h = await connectedHarness();
    h.send({ type: 'user.refresh' });
    return h;
  },
  waiting: async () => {
    const h = await connectedHarness();
    last(h.calls.sockets).send({ type: 'socket.closed', code: 1006, reason: '' });
    return h;
  },
  connected: () => connectedHarness(),
};

/** Settles every call still pending with a success: a late answer after the logout. */
async function answerLate(h: Harness) {
  for (const p of h.pending(h.calls.load)) p.resolve({ kind: 'found', credentials: { ...ctxCredentials(h) }, user: { userID: 'u1' } });
  for (const p of h.calls.exchange) p.resolve(grant(h.clock.now(), {}, 9));
  for (const p of h.calls.refresh) p.resolve(grant(h.clock.now(), {}, 9));
  for (const p of h.calls.probe) p.resolve();
  for (const s of h.calls.sockets) s.send({ type: 'socket.opened', canPing: true });
  await settle();
}

function ctxCredentials(h: Harness) {
  const now = h.clock.now();
  return { accessToken: 'late', refreshToken: 'late', accessTokenExpiry: now + 3_600_000, refreshTokenExpiry: now + 86_400_000, skewMs: 0, refreshAt: now + 3_540_000 };
}

describe('logout', () => {
  test.each(Object.keys(spots))('SES-50: logout wins while %s: loggedOut at once, storage cleared first', async (spot) => {
    const h = await spots[spot]!();
    const order: string[] = [];
    h.actor.subscribe(() => order.push(h.state()));
    const clearsBefore = h.calls.clears;
    h.send({ type: 'user.logout' });
    expect(h.state()).toBe('loggedOut');
    expect(ctx(h).reason).toBe('user_logout');
    expect(h.calls.clears).toBe(clearsBefore + 1);
    expect(ctx(h).credentials).toBeNull();
    expect(ctx(h).user).toBeNull();
  });

  test('SES-50: the stored session is removed before the server is told', async () => {
    const events: string[] = [];
    const h = await connectedHarness({
      inspect: (e) => {
        if (e.type === '@xstate.action' && e.action.type === 'clearStoredSession') events.push('clear');
        if (e.type === '@xstate.actor' && (e.actorRef as { src?: unknown }).src === 'revokeSession') events.push('revoke');
      },
    });
    h.send({ type: 'user.logout' });
    expect(events).toEqual(['clear', 'revoke']);
  });

  test.each(Object.keys(spots))('SES-51: logout while %s closes the socket, stops every timer and aborts every call', async (spot) => {
    const h = await spots[spot]!();
    h.send({ type: 'user.logout' });
    expect(h.openSockets()).toHaveLength(0);
    for (const list of [h.calls.load, h.calls.exchange, h.calls.refresh, h.calls.probe]) {
      for (const call of list) expect(call.aborted || call.settled).toBe(true);
    }
    // Only the server logout's own deadline may remain.
    expect(h.timers().map((t) => t.delay).filter((d) => d !== 5_000)).toEqual([]);
  });

  test.each(Object.keys(spots))('SES-53: after a logout while %s, late answers change nothing', async (spot) => {
    const h = await spots[spot]!();
    h.send({ type: 'user.logout' });
    const clears = h.calls.clears;
    await answerLate(h);
    await h.advance(2 * 3_600_000);
    expect(h.state()).toBe('loggedOut');
    expect(ctx(h).credentials).toBeNull();
    expect(h.calls.clears).toBe(clears);
    expect(h.calls.refresh.filter((c) => !c.aborted && !c.settled)).toHaveLength(0);
  });

  test('SES-52: the server logout runs with the old access token, best effort', async () => {
    const h = await connectedHarness();
    h.send({ type: 'user.logout' });
    expect(h.calls.revoke).toHaveLength(1);
    expect(last(h.calls.revoke).input.accessToken).toBe('access-1');
    expect(ctx(h).revokeToken).toBe('access-1');
    last(h.calls.revoke).reject(netError());
    await settle();
    expect(h.state()).toBe('loggedOut');
    expect(ctx(h).revokeToken).toBeNull();
    expect(h.actor.getSnapshot().matches({ loggedOut: 'done' })).toBe(true);
  });

  test('SES-52: a server logout that hangs is abandoned after 5 s', async () => {
    const h = await connectedHarness();
    h.send({ type: 'user.logout' });
    await h.advance(4_999);
    expect(h.actor.getSnapshot().matches({ loggedOut: 'revoking' })).toBe(true);
    await h.advance(1);
    expect(h.actor.getSnapshot().matches({ loggedOut: 'done' })).toBe(true);
    expect(last(h.calls.revoke).aborted).toBe(true);
    expect(h.timers()).toHaveLength(0);
  });

  test('SES-52: without a session there is nothing to tell the server', async () => {
    const h = createHarness();
    await settle();
    h.send({ type: 'user.logout' });
    expect(h.state()).toBe('loggedOut');
    expect(h.calls.revoke).toHaveLength(0);
    expect(h.actor.getSnapshot().matches({ loggedOut: 'done' })).toBe(true);
  });

  test('SES-54: a second logout does nothing', async () => {
    const h = await connectedHarness();
    h.send({ type: 'user.logout' });
    h.send({ type: 'user.logout' });
    expect(h.calls.revoke).toHaveLength(1);
    expect(h.calls.clears).toBe(1);
  });

  test('SES-54: loggedOut is quiet: no connect, no refresh, no reconnect', async () => {
    const h = await connectedHarness();
    h.send({ type: 'user.logout' });
    last(h.calls.revoke).resolve();
    await settle();
    for (const type of ['user.connect', 'user.refresh', 'server.tokenExpired', 'env.online', 'env.visible'] as const) h.send({ type });
    h.send({ type: 'env.wake', sleptMs: 1 });
    await h.advance(3_600_000);
    expect(h.state()).toBe('loggedOut');
    expect(h.calls.probe).toHaveLength(1);
    expect(h.calls.refresh).toHaveLength(0);
    expect(h.calls.sockets).toHaveLength(1);
  });

  test('SES-54: a new ticket leaves loggedOut; a revoke token left behind is never used again', async () => {
    const h = await connectedHarness();
    h.send({ type: 'user.logout' });
    // Re-authenticate before the server logout answered.
    h.send({ type: 'user.authenticate', ticket: 't2', connect: false });
    expect(h.state()).toBe('authenticating');
    expect(ctx(h).reason).toBe('user_authenticate');
    last(h.calls.exchange).resolve(grant(h.clock.now(), {}, 2));
    await settle();
    h.send({ type: 'user.refresh' });
    last(h.calls.refresh).reject(authError());
    await settle();
    expect(h.state()).toBe('loggedOut');
    // The refused session has nothing to revoke; the first session's token must not be sent again.
    expect(h.calls.revoke).toHaveLength(1);
  });
});
