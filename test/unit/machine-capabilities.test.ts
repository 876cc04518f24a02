/**
 * What the session reads from the machine instead of deciding itself: capabilities as tags, the
 * login a client API call belongs to (SES-9), why a connect ended without a socket (SES-24,
 * SES-25), and when queued frames are dropped (SES-62).
 */
import { describe, expect, test } from 'vitest';
import { createHarness, grant } from '../support/machine-harness.js';
import { authenticate, connectedHarness, ctx, drop, last, settle } from '../support/machine-steps.js';
import type { Harness } from '../support/machine-steps.js';

const tags = (h: Harness) => [...h.actor.getSnapshot().tags].sort();

describe('capabilities are tags', () => {
  test('SES-1: hasTokens while authenticated, socketComing while connecting, canSend once connected', async () => {
    const h = createHarness();
    await settle();
    expect(tags(h)).toEqual([]);
    await authenticate(h);
    expect(h.state()).toBe('authenticated');
    expect(tags(h)).toEqual(['hasTokens']);
    h.send({ type: 'user.connect' });
    expect(tags(h)).toEqual(['hasTokens', 'socketComing']);
    last(h.calls.probe).resolve();
    await settle();
    last(h.calls.sockets).send({ type: 'socket.opened', canPing: true });
    expect(h.state()).toBe('connected');
    expect(tags(h)).toEqual(['canSend', 'hasTokens', 'socketComing']);
  });

  test('SES-41, SES-52: restoring and revoking are tags, and a failing refresh says refreshFailing', async () => {
    const restoring = createHarness({ deferLoad: true });
    expect(tags(restoring)).toEqual(['restoring']);
    const h = await connectedHarness();
    h.send({ type: 'user.refresh' });
    last(h.calls.refresh).reject({ code: '90004', retryable: true, unauthorized: false });
    await settle();
    expect(tags(h)).toContain('refreshFailing');
    h.send({ type: 'user.logout' });
    expect(tags(h)).toEqual(['revoking']);
  });
});

describe('the login a call belongs to (SES-9)', () => {
  test('a refresh keeps the login; a new ticket or a logout starts another', async () => {
    const h = await connectedHarness();
    const first = ctx(h).login;
    h.send({ type: 'user.refresh' });
    last(h.calls.refresh).resolve(grant(h.clock.now(), {}, 2));
    await settle();
    expect(ctx(h).credentials?.accessToken).toBe('access-2');
    expect(ctx(h).login).toBe(first);
    h.send({ type: 'user.authenticate', ticket: 't2', connect: false });
    last(h.calls.exchange).resolve(grant(h.clock.now(), {}, 3));
    await settle();
    expect(ctx(h).login).toBe(first + 1);
    h.send({ type: 'user.logout' });
    expect(ctx(h).login).toBe(first + 2);
  });
});

describe('why the link stopped trying (SES-24, SES-25)', () => {
  test('SES-25: a spent retry budget ends it with 95008; SES-24: a disconnect with 95017, also during the exchange', async () => {
    const h = await connectedHarness({ settings: { maxReconnectAttempts: 0 } });
    drop(h);
    await settle();
    expect(h.state()).toBe('authenticated');
    expect(ctx(h).linkEnd?.code).toBe('95008');
    h.send({ type: 'user.connect' });
    h.send({ type: 'user.disconnect' });
    expect(ctx(h).linkEnd?.code).toBe('95017');
    const exchanging = createHarness();
    await settle();
    exchanging.send({ type: 'user.authenticate', ticket: 't1', connect: true });
    exchanging.send({ type: 'user.disconnect' });
    expect(ctx(exchanging).linkEnd?.code).toBe('95017');
  });
});

describe('queued frames are dropped when the machine says (SES-62)', () => {
  test('SES-62: a logout drops them with 95006, a disconnect with 95007', async () => {
    const h = createHarness();
    await settle();
    h.calls.drops.length = 0; // the boot's entry into `unauthenticated` has nothing queued
    await authenticate(h, true);
    expect(h.calls.drops).toEqual([]);
    h.send({ type: 'user.disconnect' });
    expect(h.calls.drops).toEqual(['95007']);
    h.send({ type: 'user.logout' });
    expect(h.calls.drops).toEqual(['95007', '95006']);
  });

  test('SES-62: a ticket spent with connect passes through idle without dropping what waits for its socket', async () => {
    const h = createHarness();
    await settle();
    h.calls.drops.length = 0; // the boot's entry into `unauthenticated` has nothing queued
    h.send({ type: 'user.authenticate', ticket: 't1', connect: true });
    last(h.calls.exchange).resolve(grant(h.clock.now()));
    await settle();
    expect(h.state()).toBe('connecting');
    expect(h.calls.drops).toEqual([]);
  });

  test('SES-62: a failed exchange drops them with 95006 (no socket will come)', async () => {
    const h = createHarness();
    await settle();
    h.calls.drops.length = 0;
    h.send({ type: 'user.authenticate', ticket: 't1', connect: true });
    last(h.calls.exchange).reject({ code: '40103', retryable: false, unauthorized: true });
    await settle();
    expect(h.state()).toBe('unauthenticated');
    expect(h.calls.drops).toEqual(['95006']);
  });
});
