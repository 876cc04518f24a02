/** The link region while connecting: retries, backoff, suspension, refusals, budget (SES-20..29). */
import { describe, expect, test } from 'vitest';
import { authError, createHarness, grant, netError } from '../support/machine-harness.js';
import { authenticate, connectedHarness, ctx, drop, last, open, settle } from '../support/machine-steps.js';

/** Fails the probe under way with a network error. */
async function failProbe(h: ReturnType<typeof createHarness>) {
  last(h.calls.probe).reject(netError());
  await settle();
}

describe('retry timing', () => {
  test.each([0, 0.5, 0.999])('SES-20: the first retry after an established connection drops comes within 1 s (roll %d)', async (roll) => {
    const h = await connectedHarness({ random: () => roll });
    drop(h);
    expect(h.state()).toBe('connecting');
    expect(h.substate()).toBe('waiting');
    const retryIn = ctx(h).retryIn!;
    expect(retryIn).toBeGreaterThanOrEqual(0);
    expect(retryIn).toBeLessThan(1_000);
    const probes = h.calls.probe.length;
    if (retryIn > 0) {
      await h.advance(retryIn - 1);
      expect(h.calls.probe).toHaveLength(probes);
    }
    await h.advance(1);
    expect(h.calls.probe).toHaveLength(probes + 1);
  });

  test('SES-21: later retries back off exponentially with full jitter, capped at 30 s', async () => {
    const h = await connectedHarness({ random: () => 0.999 });
    drop(h);
    const waits: number[] = [ctx(h).retryIn!];
    for (let n = 0; n < 7; n++) {
      await h.advance(ctx(h).retryIn!);
      await failProbe(h);
      waits.push(ctx(h).retryIn!);
    }
    expect(waits).toEqual([999, 1_998, 3_996, 7_992, 15_984, 29_970, 29_970, 29_970]);
  });

  test('SES-21: the jitter covers the whole window (a low roll retries early)', async () => {
    const h = await connectedHarness({ random: () => 0 });
    drop(h);
    for (let n = 0; n < 5; n++) {
      expect(ctx(h).retryIn).toBe(0);
      await h.advance(0);
      await failProbe(h);
    }
  });

  test('SES-2: a waiting link carries the delay of the timer actually set (retryIn), and the retry says why', async () => {
    const h = await connectedHarness({ random: () => 0.25 });
    drop(h);
    expect(ctx(h).reason).toBe('socket_closed');
    await h.advance(ctx(h).retryIn!);
    await failProbe(h);
    const retryIn = ctx(h).retryIn!;
    expect(retryIn).toBe(500);
    expect(h.timers().map((t) => t.delay)).toContain(retryIn);
    await h.advance(retryIn);
    expect(h.substate()).toBe('probing');
    expect(ctx(h).reason).toBe('retry');
    expect(ctx(h).retryIn).toBeNull();
  });
});

describe('refused credential at connect', () => {
  test('SES-22: a refused probe gets one refresh, then a second refusal logs out', async () => {
    const h = createHarness();
    await authenticate(h, true);
    last(h.calls.probe).reject(authError('40104'));
    await settle();
    expect(h.state()).toBe('connecting');
    expect(h.substate()).toBe('awaitingToken');
    last(h.calls.refresh).resolve(grant(h.clock.now(), {}, 2));
    await settle();
    last(h.calls.probe).reject(authError('40104'));
    await settle();
    expect(h.state()).toBe('loggedOut');
    expect(ctx(h).reason).toBe('refresh_token_expired');
    expect(h.calls.refresh).toHaveLength(1);
    expect(h.calls.clears).toBe(1);
  });

  test('SES-22: a refused socket upgrade counts the same as a refused probe', async () => {
    const h = createHarness();
    await authenticate(h, true);
    last(h.calls.probe).reject(authError());
    await settle();
    last(h.calls.refresh).resolve(grant(h.clock.now(), {}, 2));
    await settle();
    last(h.calls.probe).resolve();
    await settle();
    last(h.calls.sockets).send({ type: 'socket.closed', code: 1008, reason: '', failure: authError() });
    expect(h.state()).toBe('loggedOut');
    expect(h.calls.refresh).toHaveLength(1);
  });

  test('SES-22: an open socket ends the count: a refusal much later gets its own refresh', async () => {
    const h = createHarness();
    await authenticate(h, true);
    last(h.calls.probe).reject(authError());
    await settle();
    last(h.calls.refresh).resolve(grant(h.clock.now(), {}, 2));
    await settle();
    await open(h);
    drop(h);
    await h.advance(ctx(h).retryIn!);
    last(h.calls.probe).reject(authError());
    await settle();
    expect(h.state()).toBe('connecting');
    expect(h.calls.refresh).toHaveLength(2);
  });

  test('SES-22: a network failure between the refresh and the next refusal is not a second refusal', async () => {
    const h = createHarness();
    await authenticate(h, true);
    last(h.calls.probe).reject(authError());
    await settle();
    last(h.calls.refresh).resolve(grant(h.clock.now(), {}, 2));
    await settle();
    // The server goes away for long enough that the refreshed token expires too.
    await failProbe(h);
    await h.advance(ctx(h).retryIn!);
    last(h.calls.probe).reject(authError());
    await settle();
    expect(h.state()).toBe('connecting');
    expect(h.substate()).toBe('awaitingToken');
    expect(h.calls.refresh).toHaveLength(2);
  });

  test('SES-22: while the refresh itself fails transiently the link waits for it and never logs out', async () => {
    const h = createHarness({ random: () => 0.5 });
    await authenticate(h, true);
    last(h.calls.probe).reject(authError());
    await settle();
    for (let n = 0; n < 5; n++) {
      last(h.calls.refresh).reject(netError());
      await settle();
      expect(h.substate()).toBe('awaitingToken');
      await h.advance(ctx(h).refreshRetryIn);
    }
    last(h.calls.refresh).resolve(grant(h.clock.now(), {}, 2));
    await settle();
    await open(h);
  });
});

describe('suspended', () => {
  test('SES-23: after failing for connectionStateTtl (2 min) the link is suspended and retries every 30 s', async () => {
    const h = await connectedHarness({ random: () => 0.999 });
    const since = h.clock.now();
    drop(h);
    while (h.substate() === 'waiting') {
      expect(h.clock.now() - since).toBeLessThan(120_000);
      await h.advance(ctx(h).retryIn!);
      await failProbe(h);
    }
    expect(h.substate()).toBe('suspended');
    expect(h.state()).toBe('connecting');
    expect(h.clock.now() - since).toBeGreaterThanOrEqual(120_000);
    for (let n = 0; n < 3; n++) {
      expect(ctx(h).retryIn).toBe(30_000);
      const probes = h.calls.probe.length;
      await h.advance(29_999);
      expect(h.calls.probe).toHaveLength(probes);
      await h.advance(1);
      expect(h.calls.probe).toHaveLength(probes + 1);
      await failProbe(h);
      expect(h.substate()).toBe('suspended');
    }
  });

  test('SES-23: a connection that opens ends the outage: the next drop starts over within 1 s', async () => {
    const h = await connectedHarness({ random: () => 0.999 });
    drop(h);
    while (h.substate() !== 'suspended') {
      await h.advance(ctx(h).retryIn!);
      await failProbe(h);
    }
    await h.advance(30_000);
    await open(h);
    drop(h);
    expect(h.substate()).toBe('waiting');
    expect(ctx(h).retryIn).toBeLessThan(1_000);
  });
});

describe('wanting a connection', () => {
  test('SES-24: user.disconnect stops every retry: authenticated, no socket, no reconnect timer', async () => {
    const h = await connectedHarness();
    drop(h);
    h.send({ type: 'user.disconnect' });
    expect(h.state()).toBe('authenticated');
    expect(ctx(h).reason).toBe('user_disconnect');
    const probes = h.calls.probe.length;
    await h.advance(10 * 60_000);
    expect(h.calls.probe).toHaveLength(probes);
    expect(h.openSockets()).toHaveLength(0);
  });

  test('SES-24: user.disconnect closes an open socket; user.connect starts a fresh attempt', async () => {
    const h = await connectedHarness();
    h.send({ type: 'user.disconnect' });
    expect(h.openSockets()).toHaveLength(0);
    expect(h.state()).toBe('authenticated');
    h.send({ type: 'user.connect' });
    expect(h.state()).toBe('connecting');
    expect(ctx(h).reason).toBe('user_connect');
    expect(h.calls.probe).toHaveLength(2);
  });

  test('SES-24: user.connect while connecting or connected opens nothing more', async () => {
    const h = createHarness();
    await authenticate(h, true);
    h.send({ type: 'user.connect' });
    expect(h.calls.probe).toHaveLength(1);
    await open(h);
    h.send({ type: 'user.connect' });
    expect(h.calls.sockets).toHaveLength(1);
    expect(h.calls.probe).toHaveLength(1);
  });
});

describe('retry budget', () => {
  test('SES-25: with a budget of 3 retries the 4th failure ends in authenticated with error 95008', async () => {
    const h = await connectedHarness({ settings: { maxReconnectAttempts: 3 } });
    drop(h);
    for (let n = 0; n < 3; n++) {
      expect(h.state()).toBe('connecting');
      await h.advance(ctx(h).retryIn!);
      await failProbe(h);
    }
    expect(h.state()).toBe('authenticated');
    expect(ctx(h).reason).toBe('retry_budget_exhausted');
    expect(ctx(h).lastFailure?.code).toBe('95008');
    expect(ctx(h).retryIn).toBeNull();
    expect(h.calls.probe).toHaveLength(4);
    await h.advance(10 * 60_000);
    expect(h.calls.probe).toHaveLength(4);
    // The app may try again, with a full budget.
    h.send({ type: 'user.connect' });
    expect(h.state()).toBe('connecting');
    await failProbe(h);
    expect(h.state()).toBe('connecting');
  });

  test('SES-25: by default the budget is unlimited', async () => {
    const h = await connectedHarness({ random: () => 0.999 });
    drop(h);
    for (let n = 0; n < 50; n++) {
      await h.advance(ctx(h).retryIn!);
      await failProbe(h);
    }
    expect(h.state()).toBe('connecting');
  });
});

describe('environment', () => {
  test.each([
    [{ type: 'env.online' as const }, 'online'],
    [{ type: 'env.visible' as const }, 'visible'],
    [{ type: 'env.wake' as const, sleptMs: 60_000 }, 'wake'],
  ])('SES-26: %o while waiting retries at once and resets the backoff', async (event, reason) => {
    const h = await connectedHarness({ random: () => 0.999 });
    drop(h);
    for (let n = 0; n < 4; n++) {
      await h.advance(ctx(h).retryIn!);
      await failProbe(h);
    }
    expect(ctx(h).retryIn).toBe(15_984);
    const probes = h.calls.probe.length;
    h.send(event);
    expect(h.calls.probe).toHaveLength(probes + 1);
    expect(ctx(h).reason).toBe(reason);
    await failProbe(h);
    expect(ctx(h).retryIn).toBeLessThan(1_000);
  });

  test('SES-26: env.online while suspended retries at once', async () => {
    const h = await connectedHarness({ random: () => 0.999, settings: { connectionStateTtlMs: 0 } });
    drop(h);
    await h.advance(ctx(h).retryIn!);
    await failProbe(h);
    expect(h.substate()).toBe('suspended');
    const probes = h.calls.probe.length;
    h.send({ type: 'env.online' });
    expect(h.calls.probe).toHaveLength(probes + 1);
  });

  test('SES-27: while offline, retries are paced at the suspended interval; back online, at once', async () => {
    const h = await connectedHarness({ random: () => 0.5 });
    h.send({ type: 'env.offline' });
    drop(h);
    expect(ctx(h).retryIn).toBe(30_000);
    h.send({ type: 'env.online' });
    expect(h.substate()).toBe('probing');
    await failProbe(h);
    expect(ctx(h).retryIn).toBeLessThan(1_000);
  });

  test('SES-27: coming back online is remembered even when a refresh retry and a reconnect both handle it', async () => {
    const h = await connectedHarness({ random: () => 0.5 });
    h.send({ type: 'user.refresh' });
    h.send({ type: 'env.offline' });
    last(h.calls.refresh).reject(netError());
    await settle();
    drop(h);
    expect(h.actor.getSnapshot().matches({ active: { token: 'backingOff', link: { connecting: 'waiting' } } })).toBe(true);
    h.send({ type: 'env.online' });
    expect(ctx(h).online).toBe(true);
    await failProbe(h);
    // Online: backoff, not the 30 s offline pace.
    expect(ctx(h).retryIn).toBeLessThan(1_000);
  });
});

describe('attempts', () => {
  test('SES-28: a socket that has not opened after 10 s is a failed attempt (95001)', async () => {
    const h = createHarness();
    await authenticate(h, true);
    last(h.calls.probe).resolve();
    await settle();
    await h.advance(9_999);
    expect(h.substate()).toBe('opening');
    await h.advance(1);
    expect(h.substate()).toBe('waiting');
    expect(ctx(h).lastFailure?.code).toBe('95001');
    expect(ctx(h).reason).toBe('open_timeout');
    expect(h.openSockets()).toHaveLength(0);
  });

  test('SES-28: an open timeout that fires long after it was due (frozen process) waits again instead', async () => {
    const h = createHarness();
    await authenticate(h, true);
    last(h.calls.probe).resolve();
    await settle();
    await h.advance(60_000);
    expect(h.substate()).toBe('opening');
    expect(h.openSockets()).toHaveLength(1);
    last(h.calls.sockets).send({ type: 'socket.opened', canPing: true });
    expect(h.state()).toBe('connected');
  });

  test('SES-29: every attempt probes the token first; a failed probe opens no socket and is retried', async () => {
    const h = createHarness({ random: () => 0.5 });
    await authenticate(h, true);
    expect(h.calls.probe).toHaveLength(1);
    expect(h.calls.sockets).toHaveLength(0);
    await failProbe(h);
    expect(ctx(h).reason).toBe('probe_failed');
    expect(ctx(h).lastFailure?.code).toBe('90004');
    expect(h.calls.sockets).toHaveLength(0);
    await h.advance(ctx(h).retryIn!);
    expect(h.calls.probe).toHaveLength(2);
    expect(last(h.calls.probe).input.accessToken).toBe('access-1');
  });

  test('SES-29: a socket that closes while opening is a failed attempt like any other', async () => {
    const h = createHarness();
    await authenticate(h, true);
    last(h.calls.probe).resolve();
    await settle();
    last(h.calls.sockets).send({ type: 'socket.closed', code: 1006, reason: '' });
    expect(h.substate()).toBe('waiting');
    expect(ctx(h).lastFailure?.code).toBe('95013');
  });
});
