/** The link region while connected: pings, pong timeout, wake and throttled tabs (SES-30..33). */
import { describe, expect, test } from 'vitest';
import { connectedHarness, ctx, last, settle } from '../support/machine-steps.js';

describe('liveness', () => {
  test('SES-30: a socket that can ping is pinged every 15 s while it answers', async () => {
    const h = await connectedHarness();
    const socket = last(h.calls.sockets);
    for (let n = 1; n <= 4; n++) {
      await h.advance(14_999);
      expect(socket.pings).toBe(n - 1);
      await h.advance(1);
      expect(socket.pings).toBe(n);
      // The pong comes back at once; the next interval counts from it.
      socket.send({ type: 'socket.pong' });
      expect(h.state()).toBe('connected');
    }
  });

  test('SES-30: where the platform cannot ping (browsers), no ping and no liveness verdict', async () => {
    const h = await connectedHarness({}, false);
    await h.advance(10 * 60_000);
    expect(last(h.calls.sockets).pings).toBe(0);
    expect(h.state()).toBe('connected');
  });

  test('SES-31: no pong within 5 s: the socket is dead (95014) and the first retry comes within 1 s', async () => {
    const h = await connectedHarness({ random: () => 0.999 });
    await h.advance(15_000);
    await h.advance(4_999);
    expect(h.state()).toBe('connected');
    await h.advance(1);
    expect(h.state()).toBe('connecting');
    expect(h.substate()).toBe('waiting');
    expect(ctx(h).reason).toBe('liveness_timeout');
    expect(ctx(h).lastFailure?.code).toBe('95014');
    expect(ctx(h).retryIn).toBeLessThan(1_000);
    expect(h.openSockets()).toHaveLength(0);
  });

  test('SES-31: a pong just in time keeps the socket', async () => {
    const h = await connectedHarness();
    await h.advance(15_000 + 4_999);
    last(h.calls.sockets).send({ type: 'socket.pong' });
    await h.advance(1);
    expect(h.state()).toBe('connected');
    expect(h.calls.sockets).toHaveLength(1);
  });
});

describe('wake', () => {
  test('SES-32: after sleep a socket that can ping is checked at once, and kept when it answers', async () => {
    const h = await connectedHarness();
    const socket = last(h.calls.sockets);
    h.send({ type: 'env.wake', sleptMs: 600_000 });
    expect(socket.pings).toBe(1);
    socket.send({ type: 'socket.pong' });
    expect(h.state()).toBe('connected');
    expect(h.calls.sockets).toHaveLength(1);
  });

  test('SES-32: after sleep a silent socket is given up after the pong timeout', async () => {
    const h = await connectedHarness();
    h.send({ type: 'env.wake', sleptMs: 600_000 });
    await h.advance(5_000);
    expect(h.state()).toBe('connecting');
    expect(ctx(h).reason).toBe('liveness_timeout');
  });

  test('SES-32: a wake during a check pings again and restarts the pong wait', async () => {
    const h = await connectedHarness();
    const socket = last(h.calls.sockets);
    await h.advance(15_000);
    expect(socket.pings).toBe(1);
    await h.advance(3_000);
    h.send({ type: 'env.wake', sleptMs: 90_000 });
    expect(socket.pings).toBe(2);
    await h.advance(4_999);
    expect(h.state()).toBe('connected');
  });

  test('SES-32: after sleep a socket that cannot ping is replaced: probe, then a new socket', async () => {
    const h = await connectedHarness({}, false);
    h.send({ type: 'env.wake', sleptMs: 600_000 });
    expect(h.state()).toBe('connecting');
    expect(h.substate()).toBe('probing');
    expect(ctx(h).reason).toBe('wake');
    expect(h.openSockets()).toHaveLength(0);
    expect(h.calls.probe).toHaveLength(2);
  });
});

describe('throttled tabs', () => {
  test('SES-33: a pong timeout that fires long after it was due (throttled or frozen) pings again instead of killing the socket', async () => {
    const h = await connectedHarness();
    const socket = last(h.calls.sockets);
    await h.advance(15_000);
    expect(socket.pings).toBe(1);
    // The tab is frozen for a minute right after the ping: every timer fires late, at once.
    await h.advance(60_000);
    expect(h.state()).toBe('connected');
    expect(socket.pings).toBe(2);
    socket.send({ type: 'socket.pong' });
    await settle();
    expect(h.state()).toBe('connected');
    expect(h.calls.sockets).toHaveLength(1);
  });

  test('SES-33: a late ping timer only delays the check; the pong still gets its full 5 s', async () => {
    const h = await connectedHarness();
    const socket = last(h.calls.sockets);
    await h.advance(70_000);
    expect(socket.pings).toBe(1);
    await h.advance(4_999);
    expect(h.state()).toBe('connected');
    socket.send({ type: 'socket.pong' });
    await h.advance(1);
    expect(h.state()).toBe('connected');
  });

  test('SES-33: a socket that stays silent is still declared dead once timers run on time', async () => {
    const h = await connectedHarness();
    await h.advance(15_000);
    await h.advance(60_000);
    expect(h.state()).toBe('connected');
    await h.advance(5_000);
    expect(h.state()).toBe('connecting');
    expect(ctx(h).reason).toBe('liveness_timeout');
  });

  test.each([[{ type: 'env.visible' as const }], [{ type: 'env.online' as const }]])(
    'SES-33: %o while connected checks a socket that can ping',
    async (event) => {
      const h = await connectedHarness();
      h.send(event);
      expect(last(h.calls.sockets).pings).toBe(1);
      await h.advance(5_000);
      expect(h.state()).toBe('connecting');
    },
  );

  test.each([[{ type: 'env.visible' as const }], [{ type: 'env.online' as const }], [{ type: 'env.hidden' as const }]])(
    'SES-33: %o while connected leaves a socket that cannot ping alone',
    async (event) => {
      const h = await connectedHarness({}, false);
      h.send(event);
      await h.advance(60_000);
      expect(h.state()).toBe('connected');
      expect(h.calls.sockets).toHaveLength(1);
    },
  );
});

describe('offline while connected', () => {
  test('SES-34: a socket that cannot ping (browsers) is dropped, and online retries at once', async () => {
    const h = await connectedHarness({}, false);
    h.send({ type: 'env.offline' });
    expect(h.state()).toBe('connecting');
    expect(h.substate()).toBe('waiting');
    expect(ctx(h).reason).toBe('offline');
    expect(ctx(h).lastFailure?.code).toBe('95013');
    expect(ctx(h).retryIn).toBe(30_000);
    expect(h.openSockets()).toHaveLength(0);
    h.send({ type: 'env.online' });
    expect(h.substate()).toBe('probing');
    expect(ctx(h).online).toBe(true);
  });

  test('SES-34: a socket that can ping is checked instead, and stays if it answers', async () => {
    const h = await connectedHarness();
    const socket = last(h.calls.sockets);
    h.send({ type: 'env.offline' });
    expect(h.substate()).toBe('checking');
    expect(socket.pings).toBe(1);
    socket.send({ type: 'socket.pong' });
    expect(h.state()).toBe('connected');
    expect(ctx(h).online).toBe(false);
  });
});
