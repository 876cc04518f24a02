/**
 * What an idle session keeps running (issue 14, idle cost): one environment watcher per process in
 * Node, shared by its sessions (SES-32), and no sibling watcher where siblings are not followed
 * (SES-80, SES-83). The memory itself is measured by `npm run bench` (its memory part), not here.
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { EnvironmentEvent } from '../../src/platform/ports.js';
import { shareEnvironment } from '../../src/platform/shared-environment.js';
import { SLEEP_CHECK_MS } from '../../src/platform/sleep-detector.js';
import { createSession } from '../../src/session/create-session.js';
import type { SessionOptions } from '../../src/options.js';
import { sharedMemoryStorage } from '../support/shared-storage.js';

const quiet = { warn: () => {}, error: () => {} };
const options: SessionOptions = { baseUrl: 'http://127.0.0.1:9', appID: 'app', appSecret: 'secret', logger: quiet };

afterEach(() => {
  vi.restoreAllMocks();
});

/** A source that counts its starts and stops and lets the test emit. */
function countingSource() {
  const counts = { started: 0, stopped: 0 };
  let emit: ((event: EnvironmentEvent) => void) | undefined;
  const source = (e: (event: EnvironmentEvent) => void) => {
    counts.started++;
    emit = e;
    return () => {
      counts.stopped++;
      emit = undefined;
    };
  };
  return { counts, source, emit: (event: EnvironmentEvent) => emit?.(event) };
}

describe('a shared environment watcher', () => {
  it('starts its source once for every listener, gives each every event, and stops after the last one leaves', () => {
    const { counts, source, emit } = countingSource();
    const shared = shareEnvironment(source);
    const heard: string[] = [];
    const stops = ['a', 'b', 'c'].map((name) => shared((event) => heard.push(`${name}:${event.type}`)));
    expect(counts).toEqual({ started: 1, stopped: 0 });
    emit({ type: 'env.offline' });
    expect(heard).toEqual(['a:env.offline', 'b:env.offline', 'c:env.offline']);
    stops[1]!();
    stops[1]!(); // a second stop of the same listener takes no one else with it
    emit({ type: 'env.online' });
    expect(heard.slice(3)).toEqual(['a:env.online', 'c:env.online']);
    stops[0]!();
    expect(counts.stopped).toBe(0);
    stops[2]!();
    expect(counts).toEqual({ started: 1, stopped: 1 });
    // A later listener starts the source again.
    const stop = shared(() => {});
    expect(counts.started).toBe(2);
    stop();
  });

  it('the same function listening twice is two listeners, each stopped on its own', () => {
    const { source, emit } = countingSource();
    const shared = shareEnvironment(source);
    const heard: string[] = [];
    const listener = (event: EnvironmentEvent) => heard.push(event.type);
    const first = shared(listener);
    const second = shared(listener);
    emit({ type: 'env.hidden' });
    first();
    emit({ type: 'env.visible' });
    second();
    expect(heard).toEqual(['env.hidden', 'env.hidden', 'env.visible']);
  });
});

describe('SES-32: the sessions of a Node process', () => {
  it('share one sleep detector: one timer for all of them, cleared when the last is disposed', () => {
    const setIntervalSpy = vi.spyOn(globalThis, 'setInterval');
    const clearIntervalSpy = vi.spyOn(globalThis, 'clearInterval');
    const sessions = Array.from({ length: 5 }, () => createSession(options));
    const detectorTimers = setIntervalSpy.mock.calls.filter(([, ms]) => ms === SLEEP_CHECK_MS);
    expect(detectorTimers).toHaveLength(1);
    for (const session of sessions.slice(1)) session.dispose();
    expect(clearIntervalSpy).not.toHaveBeenCalled();
    sessions[0]!.dispose();
    expect(clearIntervalSpy).toHaveBeenCalledTimes(1);
  });

  it('hear the environment through that one watcher, and a disposed session stops listening (SES-70)', () => {
    const { counts, source, emit } = countingSource();
    const environment = shareEnvironment(source);
    const a = createSession({ ...options, environment });
    const b = createSession({ ...options, environment });
    emit({ type: 'env.offline' });
    expect(a.actor.getSnapshot().context.online).toBe(false);
    expect(b.actor.getSnapshot().context.online).toBe(false);
    a.dispose();
    emit({ type: 'env.online' });
    expect(b.actor.getSnapshot().context.online).toBe(true);
    expect(a.actor.getSnapshot().context.online).toBe(false);
    b.dispose();
    expect(counts).toEqual({ started: 1, stopped: 1 });
  });
});

describe('SES-80, SES-83: the sibling watcher', () => {
  it('does not run for a session alone (no coordination): an idle session has no child actor', async () => {
    const session = createSession({ ...options, environment: false });
    await session.whenReady();
    expect(Object.keys(session.actor.getSnapshot().children)).toEqual([]);
    session.dispose();
  });

  it('runs where siblings are followed, as the one child of an idle session', async () => {
    const session = createSession({ ...options, environment: false, storage: sharedMemoryStorage().view() });
    await session.whenReady();
    const children = Object.values(session.actor.getSnapshot().children) as { src?: unknown }[];
    expect(children.map((child) => child.src)).toEqual(['watchSiblings']);
    session.dispose();
  });
});
