/** Siblings on one storage, in the machine with fakes for the lock and the reads (SES-80..89). */
import { describe, expect, test } from 'vitest';
import type { StoredState } from '../../machines/index.js';
import { authError, createHarness, grant, netError } from '../support/machine-harness.js';
import { authenticate, connectedHarness, ctx, last, settle, type Harness } from '../support/machine-steps.js';

const HOUR = 3_600_000;

/** What a sibling stored: `n` names its tokens, `version` orders it. */
function sibling(h: Harness, n: number, version: number, userID = 'u1'): StoredState {
  const g = grant(h.clock.now(), { user: { userID } }, n);
  return {
    credentials: { ...g, skewMs: 0, refreshAt: h.clock.now() + HOUR / 2 },
    user: g.user,
    version,
  };
}

/** A coordinated session whose refresh is under way and holds the lock, about to re-read. */
async function refreshingWithLock(connect = true): Promise<Harness> {
  const h = connect ? await connectedHarness({ coordinated: true }) : createHarness({ coordinated: true });
  if (!connect) await authenticate(h);
  h.send({ type: 'user.refresh' });
  expect(h.calls.locks.filter((l) => !l.released)).toHaveLength(1);
  h.send({ type: 'storage.locked' });
  await settle();
  return h;
}

describe('one refresh per rotation (SES-80..82)', () => {
  test('SES-80: alone (coordination off) a refresh is just the request: no re-read', async () => {
    const h = createHarness();
    await authenticate(h);
    h.send({ type: 'user.refresh' });
    await settle();
    expect(h.calls.refresh).toHaveLength(1);
    expect(h.calls.reads).toHaveLength(0);
  });

  test('SES-81: a coordinated refresh waits for the lock before it reads or requests anything', async () => {
    const h = createHarness({ coordinated: true });
    await authenticate(h);
    h.send({ type: 'user.refresh' });
    await settle();
    expect(h.calls.reads).toHaveLength(0);
    expect(h.calls.refresh).toHaveLength(0);
    h.send({ type: 'storage.locked' });
    await settle();
    expect(h.calls.reads).toHaveLength(1);
  });

  test('SES-82: a sibling already rotated: its tokens are adopted with no request, the socket stays up, the lock is released', async () => {
    const h = await refreshingWithLock();
    const socket = last(h.calls.sockets);
    last(h.calls.reads).resolve(sibling(h, 7, 5));
    await settle();
    expect(h.calls.refresh).toHaveLength(0);
    expect(ctx(h).credentials!.refreshToken).toBe('refresh-7');
    expect(ctx(h).reason).toBe('sibling_refreshed');
    expect(h.state()).toBe('connected');
    expect(socket.closed).toBe(false);
    expect(h.calls.locks.every((l) => l.released)).toBe(true);
  });

  test('SES-82: the storage still holds this session\'s tokens: it requests, then releases the lock once stored', async () => {
    const h = await refreshingWithLock();
    last(h.calls.reads).resolve({ credentials: ctx(h).credentials!, user: ctx(h).user!, version: ctx(h).version });
    await settle();
    expect(h.calls.refresh).toHaveLength(1);
    expect(h.calls.locks.some((l) => !l.released)).toBe(true);
    last(h.calls.refresh).resolve(grant(h.clock.now(), { version: 9 }, 2));
    await settle();
    expect(ctx(h).credentials!.refreshToken).toBe('refresh-2');
    expect(ctx(h).version).toBe(9);
    expect(h.calls.locks.every((l) => l.released)).toBe(true);
  });

  test('SES-81: a storage that cannot be read before the refresh does not stop it', async () => {
    const h = await refreshingWithLock();
    last(h.calls.reads).reject({ code: '95010', retryable: true });
    await settle();
    expect(h.calls.refresh).toHaveLength(1);
  });
});

describe('a refused refresh is checked against the storage (SES-85)', () => {
  async function refused(h: Harness): Promise<void> {
    last(h.calls.reads).resolve({ credentials: ctx(h).credentials!, user: ctx(h).user!, version: ctx(h).version });
    await settle();
    last(h.calls.refresh).reject(authError('40103'));
    await settle();
  }

  test('SES-85: a newer token in the storage is adopted and the session goes on', async () => {
    const h = await refreshingWithLock();
    await refused(h);
    expect(h.state()).toBe('connected');
    last(h.calls.reads).resolve(sibling(h, 8, 6));
    await settle();
    expect(h.state()).toBe('connected');
    expect(ctx(h).credentials!.refreshToken).toBe('refresh-8');
    expect(h.calls.clears).toBe(0);
  });

  test('SES-85: the storage still holds the refused token: a sibling\'s rotation arriving within the grace is adopted', async () => {
    const h = await refreshingWithLock();
    await refused(h);
    last(h.calls.reads).resolve({ credentials: ctx(h).credentials!, user: ctx(h).user!, version: ctx(h).version });
    await settle();
    await h.advance(1_000);
    expect(h.state()).toBe('connected');
    h.send({ type: 'storage.changed', stored: sibling(h, 9, 7) });
    await settle();
    expect(ctx(h).credentials!.refreshToken).toBe('refresh-9');
    expect(h.state()).toBe('connected');
  });

  test('SES-85, SES-6: with nothing newer after the grace, the refusal of the newest stored token ends the session, clearing only its own tokens', async () => {
    const h = await refreshingWithLock();
    await refused(h);
    last(h.calls.reads).resolve({ credentials: ctx(h).credentials!, user: ctx(h).user!, version: ctx(h).version });
    await settle();
    await h.advance(ctx(h).settings.siblingLockTimeoutMs);
    expect(h.state()).toBe('loggedOut');
    expect(ctx(h).reason).toBe('refresh_token_expired');
    expect(h.calls.ownClears).toBe(1);
  });

  test('SES-6 unchanged alone: without coordination a refusal ends the session at once', async () => {
    const h = await connectedHarness();
    h.send({ type: 'user.refresh' });
    last(h.calls.refresh).reject(authError('40103'));
    await settle();
    expect(h.state()).toBe('loggedOut');
    expect(h.calls.reads).toHaveLength(0);
  });

  test('SES-7 unchanged: a transient failure is still retried, never checked as a refusal', async () => {
    const h = await refreshingWithLock();
    last(h.calls.reads).resolve({ credentials: ctx(h).credentials!, user: ctx(h).user!, version: ctx(h).version });
    await settle();
    last(h.calls.refresh).reject(netError());
    await settle();
    expect(h.actor.getSnapshot().matches({ active: { token: 'backingOff' } })).toBe(true);
    expect(h.calls.reads).toHaveLength(1);
  });

  test('SES-86: a refreshed grant the storage no longer wanted (superseded) is not used; the storage decides', async () => {
    const h = await refreshingWithLock();
    last(h.calls.reads).resolve({ credentials: ctx(h).credentials!, user: ctx(h).user!, version: ctx(h).version });
    await settle();
    last(h.calls.refresh).resolve(grant(h.clock.now(), { superseded: true }, 3));
    await settle();
    expect(ctx(h).credentials!.refreshToken).not.toBe('refresh-3');
    last(h.calls.reads).resolve(null);
    await settle();
    expect(h.state()).toBe('loggedOut');
    expect(ctx(h).reason).toBe('logged_out_elsewhere');
  });
});

describe('siblings follow each other (SES-83, SES-84, SES-87)', () => {
  test('SES-84: the stored session removed: logged out elsewhere, the socket closed, the storage untouched', async () => {
    const h = await connectedHarness({ coordinated: true });
    const socket = last(h.calls.sockets);
    h.send({ type: 'storage.changed', stored: null });
    expect(h.state()).toBe('loggedOut');
    expect(ctx(h).reason).toBe('logged_out_elsewhere');
    expect(socket.closed).toBe(true);
    expect(h.calls.clears).toBe(0);
    // The sibling already revoked its server session.
    expect(ctx(h).revokeToken).toBeNull();
  });

  test('SES-84: a sibling signed in as another user: this session is logged out and its own server session revoked', async () => {
    const h = await connectedHarness({ coordinated: true });
    const mine = ctx(h).credentials!.accessToken;
    h.send({ type: 'storage.changed', stored: sibling(h, 4, Number.MAX_SAFE_INTEGER, 'u2') });
    expect(h.state()).toBe('loggedOut');
    expect(ctx(h).reason).toBe('replaced_elsewhere');
    expect(last(h.calls.revoke).input.accessToken).toBe(mine);
    expect(h.calls.clears).toBe(0);
  });

  test('SES-83: an older or own write read late changes nothing', async () => {
    const h = await connectedHarness({ coordinated: true });
    const before = ctx(h).credentials;
    h.send({ type: 'storage.changed', stored: { credentials: before!, user: ctx(h).user!, version: ctx(h).version } });
    h.send({ type: 'storage.changed', stored: { ...sibling(h, 5, -1) } });
    expect(ctx(h).credentials).toBe(before);
    expect(h.state()).toBe('connected');
  });

  test('SES-87: a login elsewhere makes an unauthenticated session authenticated, without connecting', async () => {
    const h = createHarness({ coordinated: true });
    await settle();
    h.send({ type: 'storage.changed', stored: sibling(h, 3, 10) });
    expect(h.state()).toBe('authenticated');
    expect(ctx(h).reason).toBe('signed_in_elsewhere');
  });

  test('SES-87: a session logged out elsewhere while connected connects again when a login elsewhere brings it back', async () => {
    const h = await connectedHarness({ coordinated: true });
    h.send({ type: 'storage.changed', stored: null });
    await settle();
    h.send({ type: 'storage.changed', stored: sibling(h, 3, Number.MAX_SAFE_INTEGER) });
    expect(h.state()).toBe('connecting');
    expect(ctx(h).reason).toBe('signed_in_elsewhere');
  });

  test('SES-87: a late read of its own session, just logged out, does not bring it back', async () => {
    const h = await connectedHarness({ coordinated: true });
    const own: StoredState = { credentials: ctx(h).credentials!, user: ctx(h).user!, version: ctx(h).version };
    h.send({ type: 'user.logout' });
    await settle();
    h.send({ type: 'storage.changed', stored: own });
    expect(h.state()).toBe('loggedOut');
  });

  test('SES-84: with siblings, a logout while already logged out still clears the storage', async () => {
    const h = await connectedHarness({ coordinated: true });
    h.send({ type: 'user.logout' });
    await settle();
    const clears = h.calls.clears;
    h.send({ type: 'user.logout' });
    expect(h.calls.clears).toBe(clears + 1);
  });

  test('SES-88: a change while restoring reads the storage again', async () => {
    const h = createHarness({ coordinated: true, deferLoad: true });
    await settle();
    expect(h.calls.load).toHaveLength(1);
    h.send({ type: 'storage.changed', stored: null });
    await settle();
    expect(h.calls.load).toHaveLength(2);
    expect(h.calls.load[0]!.aborted).toBe(true);
  });
});
