/** Spending the one-time auth ticket (SES-10..13). */
import { describe, expect, test } from 'vitest';
import { authError, createHarness, grant, netError } from '../support/machine-harness.js';
import { authenticate, connectedHarness, ctx, last, open, settle } from '../support/machine-steps.js';

describe('ticket', () => {
  test.each(['', '   ', '\n'])('SES-10: a blank ticket (%j) never leaves the device', async (ticket) => {
    const h = createHarness();
    await settle();
    h.send({ type: 'user.authenticate', ticket, connect: true });
    expect(h.state()).toBe('unauthenticated');
    expect(h.calls.exchange).toHaveLength(0);
  });

  test('SES-10: a blank ticket changes nothing in an active session either', async () => {
    const h = await connectedHarness();
    h.send({ type: 'user.authenticate', ticket: ' ', connect: true });
    expect(h.state()).toBe('connected');
    expect(h.calls.exchange).toHaveLength(1);
    expect(h.calls.clears).toBe(0);
  });

  test('SES-10: ... or after a logout', async () => {
    const h = createHarness();
    await authenticate(h);
    h.send({ type: 'user.logout' });
    h.send({ type: 'user.authenticate', ticket: '', connect: false });
    expect(h.state()).toBe('loggedOut');
    expect(h.calls.exchange).toHaveLength(1);
  });

  test('SES-11: the same ticket again while it is being exchanged joins that exchange', async () => {
    const h = createHarness();
    await settle();
    h.send({ type: 'user.authenticate', ticket: 't1', connect: false });
    h.send({ type: 'user.authenticate', ticket: 't1', connect: false });
    expect(h.calls.exchange).toHaveLength(1);
    last(h.calls.exchange).resolve(grant(h.clock.now()));
    await settle();
    expect(h.state()).toBe('authenticated');
  });

  test('SES-11: a joining call that asks to connect is heard', async () => {
    const h = createHarness();
    await settle();
    h.send({ type: 'user.authenticate', ticket: 't1', connect: false });
    h.send({ type: 'user.authenticate', ticket: 't1', connect: true });
    last(h.calls.exchange).resolve(grant(h.clock.now()));
    await settle();
    expect(h.state()).toBe('connecting');
  });

  test('SES-11: a different ticket during an exchange changes nothing (the session refuses it with 95015)', async () => {
    const h = createHarness();
    await settle();
    h.send({ type: 'user.authenticate', ticket: 't1', connect: false });
    h.send({ type: 'user.authenticate', ticket: 't2', connect: true });
    expect(h.calls.exchange).toHaveLength(1);
    expect(h.calls.exchange[0]!.aborted).toBe(false);
    last(h.calls.exchange).resolve(grant(h.clock.now()));
    await settle();
    expect(h.state()).toBe('authenticated');
  });

  test('SES-11: connect and disconnect during the exchange decide what happens after it', async () => {
    const h = createHarness();
    await settle();
    h.send({ type: 'user.authenticate', ticket: 't1', connect: true });
    h.send({ type: 'user.disconnect' });
    last(h.calls.exchange).resolve(grant(h.clock.now()));
    await settle();
    expect(h.state()).toBe('authenticated');

    const g = createHarness();
    await settle();
    g.send({ type: 'user.authenticate', ticket: 't1', connect: false });
    g.send({ type: 'user.connect' });
    last(g.calls.exchange).resolve(grant(g.clock.now()));
    await settle();
    expect(g.state()).toBe('connecting');
  });

  test.each([
    ['40101', 'ticket_rejected'],
    ['40002', 'ticket_rejected'],
  ])('SES-12: a refused ticket (%s) is reported and never retried', async (code, reason) => {
    const h = createHarness();
    await settle();
    h.send({ type: 'user.authenticate', ticket: 't1', connect: true });
    const failure = code.startsWith('401') ? authError(code) : { code, retryable: false, unauthorized: true };
    last(h.calls.exchange).reject(failure);
    await settle();
    expect(h.state()).toBe('unauthenticated');
    expect(ctx(h).reason).toBe(reason);
    expect(ctx(h).lastFailure?.code).toBe(code);
    await h.advance(10 * 60_000);
    expect(h.calls.exchange).toHaveLength(1);
    expect(h.timers()).toHaveLength(0);
  });

  test('SES-12: a network failure is reported, not retried: the ticket may already be spent', async () => {
    const h = createHarness();
    await settle();
    h.send({ type: 'user.authenticate', ticket: 't1', connect: true });
    last(h.calls.exchange).reject(netError());
    await settle();
    expect(h.state()).toBe('unauthenticated');
    expect(ctx(h).reason).toBe('ticket_exchange_failed');
    expect(ctx(h).lastFailure?.retryable).toBe(true);
    expect(ctx(h).ticket).toBeNull();
    h.send({ type: 'env.online' });
    await h.advance(10 * 60_000);
    expect(h.calls.exchange).toHaveLength(1);
  });

  test('SES-12: after a failure the app may hand over a new ticket', async () => {
    const h = createHarness();
    await settle();
    h.send({ type: 'user.authenticate', ticket: 't1', connect: false });
    last(h.calls.exchange).reject(netError());
    await settle();
    h.send({ type: 'user.authenticate', ticket: 't2', connect: false });
    expect(h.calls.exchange).toHaveLength(2);
    expect(last(h.calls.exchange).input.ticket).toBe('t2');
    expect(ctx(h).lastFailure).toBeNull();
    expect(ctx(h).reason).toBe('user_authenticate');
  });

  test('SES-13: a new ticket replaces an active session: storage cleared, socket closed, calls stopped, nothing revoked', async () => {
    const h = await connectedHarness();
    h.send({ type: 'user.refresh' });
    h.send({ type: 'user.authenticate', ticket: 't2', connect: false });
    expect(h.state()).toBe('authenticating');
    expect(ctx(h).reason).toBe('reauthenticate');
    expect(ctx(h).credentials).toBeNull();
    expect(h.calls.clears).toBe(1);
    expect(h.openSockets()).toHaveLength(0);
    expect(last(h.calls.refresh).aborted).toBe(true);
    expect(h.calls.revoke).toHaveLength(0);
    expect(h.timers()).toHaveLength(0);
    last(h.calls.exchange).resolve(grant(h.clock.now(), { user: { userID: 'u2' } }, 2));
    await settle();
    // It was connected, so the new session connects too.
    expect(h.state()).toBe('connecting');
    expect(ctx(h).user?.userID).toBe('u2');
    await open(h);
    expect(last(h.calls.sockets).input.accessToken).toBe('access-2');
  });

  test('SES-13: a replaced session that did not want a socket stays without one', async () => {
    const h = createHarness();
    await authenticate(h);
    h.send({ type: 'user.authenticate', ticket: 't2', connect: false });
    last(h.calls.exchange).resolve(grant(h.clock.now(), {}, 2));
    await settle();
    expect(h.state()).toBe('authenticated');
  });
});
