/** The kit's simulated clock: timers fire in order of due time, one at a time, and time never goes back. */
import { describe, expect, it } from 'vitest';
import { ScenarioClock } from '../../src/testing/index.js';

describe('ScenarioClock', () => {
  it('fires the earliest due timer, at its own time, and says when the next is due', () => {
    const clock = new ScenarioClock(1_000);
    const fired: string[] = [];
    clock.setTimeout(() => fired.push(`b@${clock.now()}`), 200);
    clock.setTimeout(() => fired.push(`a@${clock.now()}`), 100);
    const cancelled = clock.setTimeout(() => fired.push('never'), 150);
    clock.clearTimeout(cancelled);
    expect(clock.nextDue()).toBe(1_100);
    expect(clock.fireNext(1_150)).toBe(true);
    expect(clock.fireNext(1_150)).toBe(false); // b is due at 1200, after the limit
    expect(fired).toEqual(['a@1100']);
    expect(clock.fireNext(5_000)).toBe(true);
    expect(fired).toEqual(['a@1100', 'b@1200']);
    expect(clock.pending).toBe(0);
    expect(clock.nextDue()).toBeUndefined();
  });

  it('fires timers set for the same time in the order they were set, and a late timer without moving back', () => {
    const clock = new ScenarioClock(0);
    const fired: number[] = [];
    for (const n of [1, 2, 3]) clock.setTimeout(() => fired.push(n), 10);
    clock.set(50); // a jump: the timers are now late
    while (clock.fireNext(50));
    expect(fired).toEqual([1, 2, 3]);
    expect(clock.now()).toBe(50);
    expect(() => clock.set(49)).toThrow(RangeError);
  });

  it('counts a negative or non-finite delay as zero', () => {
    const clock = new ScenarioClock(0);
    clock.setTimeout(() => {}, -5);
    clock.setTimeout(() => {}, Number.NaN);
    expect(clock.nextDue()).toBe(0);
  });
});
