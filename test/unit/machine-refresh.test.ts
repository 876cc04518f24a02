/** The token region: proactive, reactive and single-flight refresh (SES-3..8). */
import { describe, expect, test } from 'vitest';
import { MAX_TIMER_MS } from '../../machines/timers.js';
import { authError, createHarness, grant, netError } from '../support/machine-harness.js';
import { authenticate, connectedHarness, ctx, last, settle } from '../support/machine-steps.js';

const HOUR = 3_600_000;
const MIN = 60_000;

describe('proactive refresh', () => {
  test('SES-3: a 1-hour token is refreshed 60 s before it expires, not a millisecond earlier', async () => {
    const h = createHarness();
    await authenticate(h);
    await h.advance(HOUR - MIN - 1);
    expect(h.calls.refresh).toHaveLength(0);
    await h.advance(1);
    expect(h.calls.refresh).toHaveLength(1);
    expect(h.calls.refresh[0]!.input.refreshToken).toBe('refresh-1');
  });

  test.each([
    ['10 minutes behind', -10 * MIN],
    ['10 minutes ahead of', 10 * MIN],
  ])('SES-3: a device clock %s the server still refreshes on time (the Date header corrects it)', async (_, deviceOffset) => {
    const h = createHarness();
    await settle();
    h.send({ type: 'user.authenticate', ticket: 't1', connect: false });
    const local = h.clock.now();
    const server = local - deviceOffset;
    // The server states expiry on its own clock and says what that clock reads.
    last(h.calls.exchange).resolve(grant(local, { serverTime: server, accessTokenExpiry: server + HOUR, receivedAt: local }));
    await settle();
    expect(ctx(h).credentials!.skewMs).toBe(-deviceOffset);
    await h.advance(HOUR - MIN - 1);
    expect(h.calls.refresh).toHaveLength(0);
    await h.advance(1);
    expect(h.calls.refresh).toHaveLength(1);
  });

  test('SES-3: a short-lived token is refreshed at half its lifetime, never after it expired', async () => {
    const h = createHarness();
    await settle();
    h.send({ type: 'user.authenticate', ticket: 't1', connect: false });
    last(h.calls.exchange).resolve(grant(h.clock.now(), { accessTokenExpiry: h.clock.now() + 90_000 }));
    await settle();
    await h.advance(44_999);
    expect(h.calls.refresh).toHaveLength(0);
    await h.advance(1);
    expect(h.calls.refresh).toHaveLength(1);
  });

  test('SES-3: a server handing out near-dead tokens cannot cause a refresh storm (1 s floor)', async () => {
    const h = createHarness();
    await settle();
    h.send({ type: 'user.authenticate', ticket: 't1', connect: false });
    last(h.calls.exchange).resolve(grant(h.clock.now(), { accessTokenExpiry: h.clock.now() + 10 }));
    await settle();
    for (let n = 1; n <= 3; n++) {
      await h.advance(999);
      expect(h.calls.refresh).toHaveLength(n - 1);
      await h.advance(1);
      expect(h.calls.refresh).toHaveLength(n);
      last(h.calls.refresh).resolve(grant(h.clock.now(), { accessTokenExpiry: h.clock.now() + 10 }, n + 1));
      await settle();
    }
  });

  test('SES-3: a token living longer than a platform timer (24.8 days) is refreshed on time, without an overlong timer', async () => {
    const h = createHarness();
    await settle();
    h.send({ type: 'user.authenticate', ticket: 't1', connect: false });
    const lifetime = 60 * 24 * HOUR;
    last(h.calls.exchange).resolve(grant(h.clock.now(), { accessTokenExpiry: h.clock.now() + lifetime }));
    await settle();
    // Browsers and Node fire a longer timer at once: none may be asked for.
    expect(Math.max(...h.timers().map((t) => t.delay))).toBeLessThanOrEqual(MAX_TIMER_MS);
    await h.advance(MAX_TIMER_MS);
    expect(h.calls.refresh).toHaveLength(0);
    expect(Math.max(...h.timers().map((t) => t.delay))).toBeLessThanOrEqual(MAX_TIMER_MS);
    await h.advance(lifetime - MIN - MAX_TIMER_MS - 1);
    expect(h.calls.refresh).toHaveLength(0);
    await h.advance(1);
    expect(h.calls.refresh).toHaveLength(1);
  });
});

describe('reactive refresh', () => {
  test('SES-4: a 40104 reported by any HTTP call (server.tokenExpired) starts a refresh at once', async () => {
    const h = createHarness();
    await authenticate(h);
    h.send({ type: 'server.tokenExpired' });
    expect(h.calls.refresh).toHaveLength(1);
    expect(h.substate()).toBeUndefined();
    expect(h.actor.getSnapshot().matches({ active: { token: 'refreshing' } })).toBe(true);
  });

  test('SES-4: the app may ask for a refresh (user.refresh)', async () => {
    const h = createHarness();
    await authenticate(h);
    h.send({ type: 'user.refresh' });
    expect(h.calls.refresh).toHaveLength(1);
  });

  test('SES-4: a refused token probe at connect starts a refresh', async () => {
    const h = createHarness();
    await authenticate(h, true);
    last(h.calls.probe).reject(authError('40104'));
    await settle();
    expect(h.calls.refresh).toHaveLength(1);
  });

  test('SES-4: a refused socket upgrade starts a refresh', async () => {
    const h = createHarness();
    await authenticate(h, true);
    last(h.calls.probe).resolve();
    await settle();
    last(h.calls.sockets).send({ type: 'socket.closed', code: 1008, reason: 'unauthorized', failure: authError('40104') });
    expect(h.calls.refresh).toHaveLength(1);
    expect(h.substate()).toBe('awaitingToken');
  });

  test('SES-4: waking or becoming visible refreshes a token whose refresh is overdue, and only then', async () => {
    const h = createHarness();
    await authenticate(h);
    h.send({ type: 'env.wake', sleptMs: 1_000 });
    h.send({ type: 'env.visible' });
    expect(h.calls.refresh).toHaveLength(0);

    const stale = createHarness();
    await settle();
    stale.send({ type: 'user.authenticate', ticket: 't1', connect: false });
    const now = stale.clock.now();
    // A grant received two hours ago (the timer could not fire while the process slept).
    last(stale.calls.exchange).resolve(grant(now, { receivedAt: now - 2 * HOUR, serverTime: now - 2 * HOUR, accessTokenExpiry: now - HOUR }));
    await settle();
    expect(stale.calls.refresh).toHaveLength(0);
    stale.send({ type: 'env.visible' });
    expect(stale.calls.refresh).toHaveLength(1);
  });

  test('SES-4: a wake after a sleep the session clock may not have counted refreshes when the sleep covered the due time', async () => {
    const h = createHarness();
    await authenticate(h);
    await h.advance(30 * MIN);
    h.send({ type: 'env.wake', sleptMs: 20 * MIN });
    expect(h.calls.refresh).toHaveLength(0);
    h.send({ type: 'env.wake', sleptMs: 29 * MIN });
    expect(h.calls.refresh).toHaveLength(1);
  });
});

describe('single flight', () => {
  test('SES-5: every trigger during a refresh joins it: one request', async () => {
    const h = await connectedHarness();
    h.send({ type: 'server.tokenExpired' });
    h.send({ type: 'server.tokenExpired' });
    h.send({ type: 'user.refresh' });
    h.send({ type: 'env.wake', sleptMs: HOUR });
    last(h.calls.sockets).send({ type: 'socket.closed', code: 1008, reason: '', failure: authError() });
    await settle();
    expect(h.calls.refresh).toHaveLength(1);
    last(h.calls.refresh).resolve(grant(h.clock.now(), {}, 2));
    await settle();
    expect(h.calls.refresh).toHaveLength(1);
    expect(ctx(h).credentials!.accessToken).toBe('access-2');
  });

  test('SES-5: a 40104 while a failed refresh waits for its retry does not start another request', async () => {
    const h = createHarness({ random: () => 0.5 });
    await authenticate(h);
    h.send({ type: 'user.refresh' });
    last(h.calls.refresh).reject(netError());
    await settle();
    h.send({ type: 'server.tokenExpired' });
    h.send({ type: 'server.tokenExpired' });
    expect(h.calls.refresh).toHaveLength(1);
    await h.advance(500);
    expect(h.calls.refresh).toHaveLength(2);
  });
});

describe('refresh failures', () => {
  test.each(['40104', '40105', '40103'])('SES-6: a refused refresh token (%s) clears storage and logs out as refresh_token_expired', async (code) => {
    const h = await connectedHarness();
    h.send({ type: 'user.refresh' });
    last(h.calls.refresh).reject(authError(code));
    await settle();
    expect(h.state()).toBe('loggedOut');
    expect(ctx(h).reason).toBe('refresh_token_expired');
    expect(ctx(h).credentials).toBeNull();
    expect(ctx(h).lastFailure?.code).toBe(code);
    expect(h.calls.clears).toBe(1);
    expect(h.openSockets()).toHaveLength(0);
    // The token was refused: there is nothing to revoke on the server.
    expect(h.calls.revoke).toHaveLength(0);
    expect(h.timers()).toHaveLength(0);
  });

  test('SES-7: transient refresh failures are retried with full-jitter backoff and never log out', async () => {
    const rolls = [0.999, 0.5, 0.999, 0, 0.999, 0.999, 0.999, 0.999, 0.999, 0.999];
    let i = 0;
    // A socket that cannot ping, so the long waits below test the refresh alone.
    const h = await connectedHarness({ random: () => rolls[i++ % rolls.length]! }, false);
    i = 0;
    h.send({ type: 'server.tokenExpired' });
    const waits: number[] = [];
    for (let n = 0; n < 10; n++) {
      last(h.calls.refresh).reject(netError());
      await settle();
      expect(h.state()).toBe('connected');
      waits.push(ctx(h).refreshRetryIn);
      await h.advance(ctx(h).refreshRetryIn);
      expect(h.calls.refresh).toHaveLength(n + 2);
    }
    // Uniform in [0, min(30 s, 1 s · 2^n)), drawn with the rolls above.
    expect(waits).toEqual([999, 1_000, 3_996, 0, 15_984, 29_970, 29_970, 29_970, 29_970, 29_970]);
    expect(h.calls.clears).toBe(0);
  });

  test('SES-7: a failure that is neither retryable nor a refusal waits the suspended interval (30 s)', async () => {
    const h = createHarness();
    await authenticate(h);
    h.send({ type: 'user.refresh' });
    last(h.calls.refresh).reject({ code: '50000', retryable: false, unauthorized: false });
    await settle();
    expect(h.state()).toBe('authenticated');
    await h.advance(29_999);
    expect(h.calls.refresh).toHaveLength(1);
    await h.advance(1);
    expect(h.calls.refresh).toHaveLength(2);
  });

  test.each([
    [{ type: 'env.online' as const }],
    [{ type: 'env.visible' as const }],
    [{ type: 'env.wake' as const, sleptMs: 5_000 }],
    [{ type: 'user.refresh' as const }],
  ])('SES-7: a refresh waiting for its retry runs at once on %o', async (event) => {
    const h = createHarness({ random: () => 0.9 });
    await authenticate(h);
    h.send({ type: 'user.refresh' });
    last(h.calls.refresh).reject(netError());
    await settle();
    h.send(event);
    expect(h.calls.refresh).toHaveLength(2);
  });
});

describe('after a refresh', () => {
  test('SES-8: both tokens are replaced: the next refresh presents the rotated refresh token', async () => {
    const h = createHarness();
    await authenticate(h);
    h.send({ type: 'user.refresh' });
    last(h.calls.refresh).resolve(grant(h.clock.now(), {}, 2));
    await settle();
    expect(ctx(h).credentials!.accessToken).toBe('access-2');
    h.send({ type: 'user.refresh' });
    expect(last(h.calls.refresh).input.refreshToken).toBe('refresh-2');
  });

  test('SES-8: the proactive refresh is rescheduled from the new grant', async () => {
    const h = createHarness();
    await authenticate(h);
    await h.advance(10 * MIN);
    h.send({ type: 'user.refresh' });
    last(h.calls.refresh).resolve(grant(h.clock.now(), {}, 2));
    await settle();
    await h.advance(HOUR - MIN - 1);
    expect(h.calls.refresh).toHaveLength(1);
    await h.advance(1);
    expect(h.calls.refresh).toHaveLength(2);
  });

  test('SES-8: a success resets the refresh backoff', async () => {
    const h = createHarness({ random: () => 0.999 });
    await authenticate(h);
    h.send({ type: 'user.refresh' });
    for (let n = 0; n < 4; n++) {
      last(h.calls.refresh).reject(netError());
      await settle();
      await h.advance(ctx(h).refreshRetryIn);
    }
    last(h.calls.refresh).resolve(grant(h.clock.now(), {}, 2));
    await settle();
    h.send({ type: 'user.refresh' });
    last(h.calls.refresh).reject(netError());
    await settle();
    expect(ctx(h).refreshRetryIn).toBeLessThan(1_000);
  });

  test('SES-8: a connect waiting for the token probes again with the new one', async () => {
    const h = createHarness();
    await authenticate(h, true);
    last(h.calls.probe).reject(authError());
    await settle();
    expect(h.substate()).toBe('awaitingToken');
    last(h.calls.refresh).resolve(grant(h.clock.now(), {}, 2));
    await settle();
    expect(h.calls.probe).toHaveLength(2);
    expect(last(h.calls.probe).input.accessToken).toBe('access-2');
  });

  test('SES-8: a probe under way with the replaced token is asked again with the new one', async () => {
    const h = createHarness();
    await authenticate(h, true);
    expect(h.calls.probe).toHaveLength(1);
    h.send({ type: 'user.refresh' });
    last(h.calls.refresh).resolve(grant(h.clock.now(), {}, 2));
    await settle();
    expect(h.calls.probe[0]!.aborted).toBe(true);
    expect(h.calls.probe).toHaveLength(2);
    expect(last(h.calls.probe).input.accessToken).toBe('access-2');
  });
});
