/**
 * Common openings for the machine tests: each drives a fresh harness to a well-known state the
 * way the real session would, so a test reads as "from here, this happens".
 */
import { expect } from 'vitest';
import { createHarness, grant, type HarnessOptions } from './machine-harness.js';

/** A harness plus the openings. */
export type Harness = ReturnType<typeof createHarness>;

/** The last call of a fake actor, which must exist. */
export function last<T>(list: T[]): T {
  const item = list[list.length - 1];
  if (item === undefined) throw new Error('expected a call, found none');
  return item;
}

/** Lets promise callbacks run without moving the simulated clock (faster than a macrotask). */
export async function settle(): Promise<void> {
  for (let i = 0; i < 8; i++) await Promise.resolve();
}

/** Spends a ticket; the session is `authenticated` (or `connecting` when `connect`). */
export async function authenticate(h: Harness, connect = false): Promise<void> {
  await settle();
  h.send({ type: 'user.authenticate', ticket: 't1', connect });
  last(h.calls.exchange).resolve(grant(h.clock.now()));
  await settle();
}

/** Opens a socket from `connecting.probing`: probe accepted, socket opened. */
export async function open(h: Harness, canPing = true): Promise<void> {
  last(h.calls.probe).resolve();
  await settle();
  last(h.calls.sockets).send({ type: 'socket.opened', canPing });
  expect(h.state()).toBe('connected');
}

/** A fresh harness already `connected` (ticket spent, probe accepted, socket open). */
export async function connectedHarness(opts: HarnessOptions = {}, canPing = true): Promise<Harness> {
  const h = createHarness(opts);
  await authenticate(h, true);
  await open(h, canPing);
  return h;
}

/** Drops the open socket the way a network failure does. */
export function drop(h: Harness): void {
  last(h.calls.sockets).send({ type: 'socket.closed', code: 1006, reason: '' });
}

/** Context of the current snapshot. */
export function ctx(h: Harness) {
  return h.actor.getSnapshot().context;
}

/** Advances to just before and then exactly onto the next timer; returns the delay it had. */
export async function untilNextTimer(h: Harness): Promise<number> {
  const next = h.timers()[0];
  if (!next) throw new Error('no timer pending');
  const wait = next.due - h.clock.now();
  await h.advance(wait);
  await settle();
  return wait;
}
