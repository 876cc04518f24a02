import { afterEach, describe, expect, it, vi } from 'vitest';
import type { EnvironmentEvent } from '../../src/platform/ports.js';
import { SLEEP_CHECK_MS, SLEEP_THRESHOLD_MS, watchSleep } from '../../src/platform/sleep-detector.js';

afterEach(() => {
  vi.useRealTimers();
});

/** A detector on fake timers with a wall clock the test moves by hand. */
function detector() {
  vi.useFakeTimers();
  let wall = 1_000_000;
  const events: EnvironmentEvent[] = [];
  const stop = watchSleep((event) => events.push(event), () => wall);
  /** One check: the wall clock moved `wallMs` while the timer waited its usual interval. */
  const tick = (wallMs: number) => {
    wall += wallMs;
    vi.advanceTimersByTime(SLEEP_CHECK_MS);
  };
  return { events, stop, tick };
}

describe('watchSleep', () => {
  it('stays quiet while checks come on time, and under throttling of up to a minute', () => {
    const { events, stop, tick } = detector();
    for (let i = 0; i < 5; i++) tick(SLEEP_CHECK_MS);
    tick(60_000);
    tick(SLEEP_CHECK_MS + SLEEP_THRESHOLD_MS);
    expect(events).toEqual([]);
    stop();
  });

  it('reports env.wake with the time slept when a check comes much too late', () => {
    const { events, stop, tick } = detector();
    tick(SLEEP_CHECK_MS);
    tick(SLEEP_CHECK_MS + SLEEP_THRESHOLD_MS + 1);
    tick(SLEEP_CHECK_MS);
    tick(SLEEP_CHECK_MS + 3_600_000);
    expect(events).toEqual([
      { type: 'env.wake', sleptMs: SLEEP_THRESHOLD_MS + 1 },
      { type: 'env.wake', sleptMs: 3_600_000 },
    ]);
    stop();
  });

  it('stops checking once stopped', () => {
    const { events, stop, tick } = detector();
    stop();
    tick(SLEEP_CHECK_MS + 3_600_000);
    expect(events).toEqual([]);
    expect(vi.getTimerCount()).toBe(0);
  });
});
