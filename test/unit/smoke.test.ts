import { expect, test } from 'vitest';
import { createHarness, grant } from '../support/machine-harness.js';

test('smoke: ticket to connected', async () => {
  const h = createHarness();
  await h.flush();
  expect(h.state()).toBe('unauthenticated');
  h.send({ type: 'user.authenticate', ticket: 't1', connect: true });
  expect(h.state()).toBe('authenticating');
  h.calls.exchange[0]!.resolve(grant(h.clock.now()));
  await h.flush();
  expect(h.state()).toBe('connecting');
  h.calls.probe[0]!.resolve();
  await h.flush();
  expect(h.substate()).toBe('opening');
  h.calls.sockets[0]!.send({ type: 'socket.opened', canPing: true });
  expect(h.state()).toBe('connected');
  await h.advance(15_000);
  expect(h.calls.sockets[0]!.pings).toBe(1);
  await h.advance(5_000);
  expect(h.state()).toBe('connecting');
  expect(h.substate()).toBe('waiting');
  console.log(JSON.stringify(h.actor.getSnapshot().value), h.actor.getSnapshot().context.reason, h.actor.getSnapshot().context.retryIn);
});
