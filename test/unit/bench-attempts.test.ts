/**
 * The storm's count of reconnection attempts at the emulator (test/bench/lib/attempts.ts): one per
 * reconnection whether the client probes first or goes straight to the upgrade (SES-29, SES-90).
 */
import { describe, expect, it } from 'vitest';
import { attemptTimes } from '../bench/lib/attempts.js';

const probe = (t: number, device: string) => ({ t, key: '/connect?check=1' as const, device });
const upgrade = (t: number, device: string) => ({ t, key: 'ws:/connect' as const, device });

describe('the bench storm attempts', () => {
  it('counts a probe and its upgrade as one attempt, at the probe', () => {
    expect(attemptTimes([probe(1, 'a'), upgrade(5, 'a')])).toEqual([1]);
  });

  it('counts an upgrade with no probe before it as an attempt, and each upgrade of a client that retries without probing', () => {
    expect(attemptTimes([upgrade(2, 'a'), upgrade(9, 'a')])).toEqual([2, 9]);
  });

  it('keeps devices apart and reads the requests in time order', () => {
    expect(attemptTimes([upgrade(4, 'a'), probe(3, 'b'), probe(1, 'a'), upgrade(6, 'b'), upgrade(7, 'c')])).toEqual([1, 3, 7]);
  });

  it('counts a probe that is not followed by an upgrade (a refused or failed attempt) and the next one', () => {
    expect(attemptTimes([probe(1, 'a'), probe(4, 'a'), upgrade(5, 'a')])).toEqual([1, 4]);
  });
});
