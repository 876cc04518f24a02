/**
 * The `inspect` option reaches xstate's `createActor`: a custom inspector sees the session actor's
 * snapshots and events (what `@statelyai/inspect` consumes), and one that throws cannot hurt the
 * session.
 */
import type { InspectionEvent } from 'xstate';
import { describe, expect, it, vi } from 'vitest';
import { createSession } from '../../src/session/create-session.js';
import { memoryStorage, type StorageAdapter } from '../../src/storage/index.js';

const quietLogger = { warn: () => {}, error: () => {} };

/** Storage that answers later, as localStorage wrappers and AsyncStorage do: the machine invokes loadSession. */
function asyncStorage(): StorageAdapter {
  const memory = memoryStorage();
  return {
    getItem: async (key) => memory.getItem(key),
    setItem: async (key, value) => memory.setItem(key, value),
    removeItem: async (key) => memory.removeItem(key),
  };
}

function sessionWith(inspect: (event: InspectionEvent) => void, logger = quietLogger, storage: StorageAdapter = memoryStorage()) {
  return createSession({
    baseUrl: 'http://127.0.0.1:9',
    appID: 'app',
    appSecret: 'secret',
    storage,
    environment: false,
    logger,
    inspect,
  });
}

describe('inspection', () => {
  it('records @xstate.actor, @xstate.snapshot and @xstate.event for the session actor', async () => {
    const events: InspectionEvent[] = [];
    const session = sessionWith((e) => events.push(e));
    await session.whenReady();
    session.disconnect();
    // Port 9 refuses at once: the exchange fails with 90004, after the event reached the machine.
    await session.authenticate('a-ticket').catch(() => {});

    const own = events.filter((e) => e.actorRef === session.actor);
    const types = new Set(own.map((e) => e.type));
    for (const type of ['@xstate.actor', '@xstate.snapshot', '@xstate.event', '@xstate.microstep']) expect(types).toContain(type);
    expect(own[0]?.type).toBe('@xstate.actor');
    const sent = own.flatMap((e) => (e.type === '@xstate.event' ? [e.event.type] : []));
    expect(sent).toEqual(expect.arrayContaining(['xstate.init', 'user.disconnect', 'user.authenticate']));
    const last = own.filter((e) => e.type === '@xstate.snapshot').at(-1);
    expect(last?.type === '@xstate.snapshot' && last.snapshot).toBe(session.actor.getSnapshot());
    session.dispose();
  });

  it('sees the invoked actors too, under the same root', async () => {
    const events: InspectionEvent[] = [];
    const session = sessionWith((e) => events.push(e), quietLogger, asyncStorage());
    await session.whenReady();
    const children = events.filter((e) => e.type === '@xstate.actor' && e.actorRef !== session.actor);
    expect(children.length).toBeGreaterThan(0);
    expect(children.every((e) => e.rootId === session.actor.sessionId)).toBe(true);
    // A child's completion is an event the root receives: what Stately's inspector draws as an arrow.
    expect(events.some((e) => e.type === '@xstate.event' && e.actorRef === session.actor && e.event.type.startsWith('xstate.done.actor.'))).toBe(true);
    session.dispose();
  });

  it('an inspector that throws is logged and the session carries on', async () => {
    const warn = vi.fn();
    const session = sessionWith(
      () => {
        throw new Error('inspector bug');
      },
      { warn, error: () => {} },
    );
    expect(await session.whenReady()).toBe('unauthenticated');
    session.disconnect();
    expect(session.state).toBe('unauthenticated');
    expect(warn).toHaveBeenCalledWith('the inspect callback threw; ignored', expect.any(Error));
    session.dispose();
  });
});

describe('inspection through an observer', () => {
  it('takes an observer with next, as @statelyai/inspect exposes it, and refuses anything else with 95011', async () => {
    const seen: string[] = [];
    const session = createSession({
      baseUrl: 'http://127.0.0.1:9',
      appID: 'app',
      appSecret: 'secret',
      environment: false,
      logger: quietLogger,
      inspect: { next: (e) => seen.push(e.type) },
    });
    await session.whenReady();
    expect(seen).toContain('@xstate.snapshot');
    session.dispose();
    expect(() =>
      createSession({ baseUrl: 'http://127.0.0.1:9', appID: 'app', appSecret: 'secret', inspect: {} as never }),
    ).toThrow(expect.objectContaining({ code: '95011' }));
  });
});
