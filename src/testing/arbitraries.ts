/**
 * fast-check arbitraries for what happens to a session, grouped as the issue names them (user
 * actions, faults, the environment, siblings, time), each kind weighted, every number bounded.
 */
import * as fc from 'fast-check';
import type { FailEndpoint, FailKind, Step, StepKind } from './steps.js';

/** Weights and bounds of generated scenarios. Every field has a default. */
export interface ScenarioOptions {
  /** Steps per scenario, at least. @default 1 */
  minSteps?: number;
  /** Steps per scenario, at most. @default 20 */
  maxSteps?: number;
  /** The relative weight of each step kind (merged over {@link DEFAULT_WEIGHTS}); 0 leaves a kind out. */
  weights?: Partial<Record<StepKind, number>>;
  /** Longest `advance`. @default 1_800_000 (30 min) */
  maxAdvanceMs?: number;
  /** Longest `sleep`. @default 28_800_000 (8 h) */
  maxSleepMs?: number;
  /** Longest `latency`. @default 15_000 */
  maxLatencyMs?: number;
  /** How many siblings a user step may address (`page` 1..siblings), when `sibling` has a weight. @default 1 */
  siblings?: number;
}

/**
 * How often each kind of step comes, roughly as in an app's life. `sibling` is 0: a second session
 * on the same storage is only meaningful with sessions that share their storage (turn it on with
 * `weights: { sibling: 2 }`).
 */
export const DEFAULT_WEIGHTS: Readonly<Record<StepKind, number>> = Object.freeze({
  authenticate: 8,
  connect: 5,
  disconnect: 2,
  logout: 3,
  reload: 2,
  send: 5,
  drop: 2,
  refuse: 1,
  halfOpen: 1,
  latency: 1,
  expire: 1,
  revoke: 1,
  failNext: 2,
  resetFaults: 1,
  environment: 4,
  sleep: 1,
  sibling: 0,
  advance: 10,
});

const USER: readonly StepKind[] = ['authenticate', 'connect', 'disconnect', 'logout', 'reload', 'send'];
const FAULTS: readonly StepKind[] = ['drop', 'refuse', 'halfOpen', 'latency', 'expire', 'revoke', 'failNext', 'resetFaults'];
const ENVIRONMENT: readonly StepKind[] = ['environment', 'sleep'];
const ENDPOINTS: readonly FailEndpoint[] = ['exchange', 'probe', 'refresh', 'logout', 'upgrade'];
const FAILURES: readonly FailKind[] = ['serverError', 'badGateway', 'tokenExpired'];

function bounded(name: string, value: number | undefined, fallback: number, min = 0): number {
  const v = value ?? fallback;
  if (!Number.isInteger(v) || v < min) throw new RangeError(`${name} must be an integer of at least ${min}, got ${v}`);
  return v;
}

/** The arbitrary of one kind of step, within the bounds of `options`. */
function kindArbitrary(kind: StepKind, options: ScenarioOptions): fc.Arbitrary<Step> {
  const maxAdvance = bounded('maxAdvanceMs', options.maxAdvanceMs, 1_800_000);
  const maxSleep = bounded('maxSleepMs', options.maxSleepMs, 28_800_000);
  const maxLatency = bounded('maxLatencyMs', options.maxLatencyMs, 15_000);
  switch (kind) {
    case 'authenticate':
      return fc
        .record({ ticket: fc.constantFrom('fresh' as const, 'fresh' as const, 'fresh' as const, 'reused' as const, 'expired' as const), connect: fc.boolean() })
        .map((r) => ({ kind, ...r }));
    case 'connect':
    case 'disconnect':
    case 'logout':
    case 'reload':
    case 'expire':
    case 'revoke':
    case 'resetFaults':
      return fc.constant({ kind });
    case 'send':
      return fc.constantFrom('hi', 'hello', 'are you there?').map((text) => ({ kind, text }));
    case 'drop':
      return fc.option(fc.constantFrom(1000, 1001, 1011, 4000), { nil: undefined }).map((code) => (code === undefined ? { kind } : { kind, code }));
    case 'refuse':
    case 'halfOpen':
    case 'sibling':
      return fc.boolean().map((on) => (kind === 'sibling' ? { kind, open: on } : { kind, on }));
    case 'latency':
      return fc.integer({ min: 0, max: maxLatency }).map((ms) => ({ kind, ms }));
    case 'failNext':
      return fc
        .record({ endpoint: fc.constantFrom(...ENDPOINTS), failure: fc.constantFrom(...FAILURES), count: fc.integer({ min: 1, max: 3 }) })
        .map((r) => ({ kind, ...r }));
    case 'environment':
      return fc.constantFrom('online' as const, 'offline' as const, 'visible' as const, 'hidden' as const).map((event) => ({ kind, event }));
    case 'sleep':
      return fc
        .record({ ms: fc.integer({ min: 0, max: maxSleep }), clock: fc.constantFrom('stops' as const, 'runs' as const) })
        .map((r) => ({ kind, ...r }));
    case 'advance':
      // Mostly short spans (timeouts, backoffs), some long ones (token lifetimes).
      return fc
        .oneof(
          { weight: 6, arbitrary: fc.integer({ min: 0, max: Math.min(3_000, maxAdvance) }) },
          { weight: 3, arbitrary: fc.integer({ min: 0, max: Math.min(120_000, maxAdvance) }) },
          { weight: 1, arbitrary: fc.integer({ min: 0, max: maxAdvance }) },
        )
        .map((ms) => ({ kind, ms }));
  }
}

/** `page` for a user step: mostly the main page (0, left out), sometimes a sibling. */
function withPage(options: ScenarioOptions, weights: Record<StepKind, number>, arbitrary: fc.Arbitrary<Step>): fc.Arbitrary<Step> {
  const siblings = bounded('siblings', options.siblings, 1);
  if (weights.sibling === 0 || siblings === 0) return arbitrary;
  const page = fc.oneof({ weight: 3, arbitrary: fc.constant(0) }, { weight: 1, arbitrary: fc.integer({ min: 1, max: siblings }) });
  return fc.tuple(arbitrary, page).map(([step, p]) => (p === 0 ? step : { ...step, page: p }));
}

/** A weighted choice among `kinds` (those with weight 0 left out). */
function weighted(kinds: readonly StepKind[], options: ScenarioOptions): fc.Arbitrary<Step> {
  const weights = { ...DEFAULT_WEIGHTS, ...options.weights };
  for (const [kind, w] of Object.entries(weights)) {
    if (!(kind in DEFAULT_WEIGHTS)) throw new RangeError(`Unknown step kind in weights: ${kind}`);
    bounded(`weights.${kind}`, w, 0);
  }
  const choices = kinds
    .filter((k) => weights[k] > 0)
    .map((k) => {
      const arbitrary = kindArbitrary(k, options);
      return { weight: weights[k], arbitrary: USER.includes(k) ? withPage(options, weights, arbitrary) : arbitrary };
    });
  if (choices.length === 0) throw new RangeError(`Every step kind among ${kinds.join(', ')} has weight 0`);
  return fc.oneof(...choices);
}

/**
 * User actions: authenticate (a fresh, reused or expired ticket, connecting or not), connect,
 * disconnect, logout, reload, send.
 *
 * @example
 * ```ts
 * fc.sample(userSteps({ weights: { send: 0 } }), 3);
 * ```
 */
export const userSteps = (options: ScenarioOptions = {}): fc.Arbitrary<Step> => weighted(USER, options);

/** Server and network faults: drop, refuse, half-open, latency, expire, revoke, failNext, reset. */
export const faultSteps = (options: ScenarioOptions = {}): fc.Arbitrary<Step> => weighted(FAULTS, options);

/** Environment events: online, offline, visible, hidden, and sleeping (with the clock stopped or running). */
export const environmentSteps = (options: ScenarioOptions = {}): fc.Arbitrary<Step> => weighted(ENVIRONMENT, options);

/** A sibling opening or closing (a second session on the same storage). */
export const siblingSteps = (options: ScenarioOptions = {}): fc.Arbitrary<Step> => kindArbitrary('sibling', options);

/** Simulated time passing, up to `maxAdvanceMs` at a time. */
export const timeSteps = (options: ScenarioOptions = {}): fc.Arbitrary<Step> => kindArbitrary('advance', options);

/**
 * Any step, every kind by its weight.
 *
 * @example
 * ```ts
 * const step = stepArbitrary({ weights: { revoke: 5 }, maxAdvanceMs: 600_000 });
 * ```
 */
export const stepArbitrary = (options: ScenarioOptions = {}): fc.Arbitrary<Step> =>
  weighted(Object.keys(DEFAULT_WEIGHTS) as StepKind[], options);

/**
 * A scenario: `minSteps` to `maxSteps` steps. fast-check shrinks it by dropping steps and
 * shortening spans, so a failure comes back as the few steps that matter.
 *
 * @example
 * ```ts
 * fc.assert(fc.asyncProperty(scenarioArbitrary({ maxSteps: 10 }), async (steps) => { ... }));
 * ```
 */
export function scenarioArbitrary(options: ScenarioOptions = {}): fc.Arbitrary<Step[]> {
  const minLength = bounded('minSteps', options.minSteps, 1);
  const maxLength = bounded('maxSteps', options.maxSteps, 20, Math.max(1, minLength));
  // 'max': lengths up to maxSteps (fast-check's default size would stop near 10, whatever the bound).
  return fc.array(stepArbitrary(options), { minLength, maxLength, size: 'max' });
}
