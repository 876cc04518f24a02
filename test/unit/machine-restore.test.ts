/** Restoring a stored session, and the public state vocabulary (SES-1, SES-2, SES-40..43). */
import { describe, expect, test } from 'vitest';
import type { StateValue } from 'xstate';
import { PUBLIC_STATES, publicStateOf, sessionMachine, type Credentials } from '../../machines/index.js';
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
  test('SES-1: every nested state of the definition maps to exactly the public state docs/state-machine.md gives it', () => {
    // Every configuration the statechart can be in, enumerated from the definition (not from a
    // scenario, which sees only the states it happens to visit): each region of a parallel state
    // contributes one of its leaves.
    type Node = { key: string; type: string; states: Record<string, Node> };
    const configurations = (node: Node): StateValue[] => {
      const children = Object.values(node.states);
      if (node.type === 'parallel') {
        return children.reduce<Record<string, StateValue>[]>(
          (combos, region) => combos.flatMap((combo) => configurations(region).map((value) => ({ ...combo, [region.key]: value }))),
          [{}],
        );
      }
      return children.flatMap((child): StateValue[] => (Object.keys(child.states).length === 0 ? [child.key] : configurations(child).map((value) => ({ [child.key]: value }))));
    };
    // The table of docs/state-machine.md, written against the state value's own paths.
    const documented = (value: StateValue): string => {
      const text = JSON.stringify(value);
      if (text === '"authenticating"') return 'authenticating';
      if (text.startsWith('{"loggedOut"')) return 'loggedOut';
      if (text.startsWith('{"unauthenticated"')) return 'unauthenticated';
      if (text.includes('"link":"idle"')) return 'authenticated';
      if (text.includes('"link":{"socket":{"open"')) return 'connected';
      return 'connecting';
    };
    const { context } = createHarness().actor.getSnapshot();
    const all = configurations(sessionMachine.root as unknown as Node);
    const mapped = all.map((value) => [JSON.stringify(value), publicStateOf(sessionMachine.resolveState({ value, context }))]);
    expect(Object.fromEntries(mapped)).toEqual(Object.fromEntries(all.map((value) => [JSON.stringify(value), documented(value)])));
    expect(new Set(mapped.map(([, state]) => state))).toEqual(new Set(PUBLIC_STATES));
    // The enumeration reaches every leaf of the definition, the token region's included.
    for (const leaf of ['boot', 'restoring', 'refreshing', 'backingOff', 'awaitingToken', 'suspended', 'checking', 'revoking', 'done']) {
      expect(mapped.some(([value]) => value!.includes(`"${leaf}"`)), leaf).toBe(true);
    }
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
