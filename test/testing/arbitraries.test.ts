/** The kit's arbitraries: every kind reachable, weights and bounds obeyed, each step readable. */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  DEFAULT_WEIGHTS,
  describeStep,
  environmentSteps,
  faultSteps,
  formatScenario,
  scenarioArbitrary,
  siblingSteps,
  stepArbitrary,
  timeSteps,
  userSteps,
  type Step,
  type StepKind,
} from '../../src/testing/index.js';

const kinds = (steps: Step[]) => new Set(steps.map((s) => s.kind));
const sample = <T>(arbitrary: fc.Arbitrary<T>, n = 2_000) => fc.sample(arbitrary, { numRuns: n, seed: 7 });

describe('arbitraries', () => {
  it('reach every kind with a weight, and no kind whose weight is 0 (sibling by default)', () => {
    const seen = kinds(sample(stepArbitrary()));
    const weighted = (Object.keys(DEFAULT_WEIGHTS) as StepKind[]).filter((k) => DEFAULT_WEIGHTS[k] > 0);
    expect([...seen].sort()).toEqual([...weighted].sort());
    expect(seen.has('sibling')).toBe(false);
    expect(kinds(sample(stepArbitrary({ weights: { sibling: 3, advance: 0 } }))).has('sibling')).toBe(true);
    expect(kinds(sample(stepArbitrary({ weights: { advance: 0 } }))).has('advance')).toBe(false);
  });

  it('group the kinds as the issue names them', () => {
    expect([...kinds(sample(userSteps()))].sort()).toEqual(['authenticate', 'connect', 'disconnect', 'logout', 'reload', 'send']);
    expect([...kinds(sample(faultSteps()))].sort()).toEqual(['drop', 'expire', 'failNext', 'halfOpen', 'latency', 'refuse', 'resetFaults', 'revoke']);
    expect([...kinds(sample(environmentSteps()))].sort()).toEqual(['environment', 'sleep']);
    expect([...kinds(sample(siblingSteps(), 50))]).toEqual(['sibling']);
    expect([...kinds(sample(timeSteps(), 50))]).toEqual(['advance']);
  });

  it('keep spans within the bounds set, and address siblings only when siblings are on', () => {
    const steps = sample(stepArbitrary({ maxAdvanceMs: 5_000, maxSleepMs: 7_000, maxLatencyMs: 900, weights: { sibling: 2 }, siblings: 2 }));
    for (const s of steps) {
      if (s.kind === 'advance') expect(s.ms).toBeLessThanOrEqual(5_000);
      if (s.kind === 'sleep') expect(s.ms).toBeLessThanOrEqual(7_000);
      if (s.kind === 'latency') expect(s.ms).toBeLessThanOrEqual(900);
    }
    const pages = new Set(steps.map((s) => ('page' in s ? s.page : 0)));
    expect([...pages].sort()).toEqual([0, 1, 2]);
    expect(sample(userSteps()).some((s) => 'page' in s)).toBe(false);
  });

  it('make scenarios of minSteps to maxSteps steps, reaching the bound', () => {
    const lengths = sample(scenarioArbitrary({ minSteps: 2, maxSteps: 30 }), 300).map((s) => s.length);
    expect(Math.min(...lengths)).toBeGreaterThanOrEqual(2);
    expect(Math.max(...lengths)).toBe(30);
  });

  it('refuse weights and bounds that cannot work, with a RangeError naming them', () => {
    expect(() => stepArbitrary({ weights: { advance: -1 } })).toThrow(/weights.advance/);
    expect(() => stepArbitrary({ weights: { nonsense: 1 } as never })).toThrow(/Unknown step kind/);
    expect(() => faultSteps({ weights: { drop: 0, refuse: 0, halfOpen: 0, latency: 0, expire: 0, revoke: 0, failNext: 0, resetFaults: 0 } })).toThrow(/weight 0/);
    expect(() => scenarioArbitrary({ minSteps: 5, maxSteps: 3 })).toThrow(/maxSteps/);
    expect(() => timeSteps({ maxAdvanceMs: 1.5 })).toThrow(/maxAdvanceMs/);
  });

  it('describe every step as a line of a script', () => {
    expect(describeStep({ kind: 'authenticate', ticket: 'expired', connect: true })).toBe('authenticate(expired ticket, connect)');
    expect(describeStep({ kind: 'logout', page: 1 })).toBe('sibling 1: logout()');
    expect(describeStep({ kind: 'advance', ms: 90_000 })).toBe('advance 90s (~2min)');
    expect(describeStep({ kind: 'sleep', ms: 7_200_000, clock: 'stops' })).toBe('sleep 7200s (~2h) (clock stops)');
    expect(describeStep({ kind: 'failNext', endpoint: 'refresh', failure: 'serverError', count: 2 })).toBe('fault: next 2 refresh answer(s) serverError');
    for (const s of sample(stepArbitrary({ weights: { sibling: 1 } }), 500)) expect(describeStep(s)).toMatch(/^[a-z]/);
    expect(formatScenario([{ kind: 'connect' }, { kind: 'drop', code: 4000 }], 1)).toBe('  1. connect()\n  2. fault: drop sockets with 4000   <- fails here');
  });
});
