/**
 * Many generated scenarios against the app, with fast-check: the first failure is shrunk to the
 * shortest scenario that still fails and reported with the seed and path that replay it.
 */
import * as fc from 'fast-check';
import { scenarioArbitrary, type ScenarioOptions } from './arbitraries.js';
import { runScenario, ScenarioViolation, type Violation } from './stage.js';
import { formatScenario, type Step } from './steps.js';
import type { RunOptions } from './types.js';

/** {@link checkScenarios}'s options: how to run the app, and what to generate. */
export interface CheckOptions<App> extends RunOptions<App> {
  /** Weights and bounds of the generated steps. Ignored when `arbitrary` is given. */
  scenario?: ScenarioOptions;
  /** Scenarios of your own making (e.g. `scenarioArbitrary(...)` filtered or mapped). */
  arbitrary?: fc.Arbitrary<Step[]>;
  /** Scenarios to try. @default 50 */
  numRuns?: number;
  /** fast-check's seed; pass the one a failure printed to replay it. @default random */
  seed?: number;
  /** With `seed`: the path a failure printed, to run the shrunk scenario alone at once. */
  path?: string;
  /** More fast-check parameters (`interruptAfterTimeLimit`, `examples`, ...). */
  fastCheck?: Omit<fc.Parameters<[Step[]]>, 'numRuns' | 'seed' | 'path' | 'verbose'>;
}

/** What a passing {@link checkScenarios} ran. */
export interface CheckSummary {
  readonly numRuns: number;
  readonly seed: number;
}

/**
 * The report of a failing {@link checkScenarios}: the shrunk scenario, what it violated, where,
 * and how to replay it (`seed` + `path`, or `runScenario(steps, options)`).
 */
export class ScenarioFailure extends Error {
  override readonly name = 'ScenarioFailure';
  constructor(
    /** The shrunk scenario. */
    readonly steps: readonly Step[],
    /** The step after which it failed (0-based; `steps.length` for the check after the final dispose). */
    readonly failedAt: number | undefined,
    readonly violations: readonly Violation[],
    readonly seed: number,
    readonly path: string,
    /** Steps of the first failing scenario found, before shrinking. */
    readonly originalLength: number,
    readonly numShrinks: number,
    message: string,
  ) {
    super(message);
  }
}

function failureOf(details: fc.RunDetails<[Step[]]>): ScenarioFailure {
  const shrunk = details.counterexample?.[0] ?? [];
  const original = (details.failures[0] as [Step[]] | undefined)?.[0] ?? shrunk;
  const error = details.errorInstance;
  const violation = error instanceof ScenarioViolation ? error : undefined;
  // Steps after the failing one never ran: the report leaves them out (the seed and path replay them, harmlessly).
  const steps = violation ? shrunk.slice(0, violation.index + 1) : shrunk;
  const violations = violation?.violations ?? [{ invariant: 'the runner', message: error instanceof Error ? error.message : String(error) }];
  const path = details.counterexamplePath ?? '';
  const what = violation?.message ?? violations[0]!.message;
  const message = [
    `A scenario broke an invariant ${what}`,
    '',
    `Shrunk to ${steps.length} step(s) (from ${original.length}, in ${details.numShrinks} shrink(s)):`,
    formatScenario(steps, violation?.index),
    ...(violation?.step === undefined && violation ? ['  (then every page disposed)   <- fails here'] : []),
    '',
    `Replay: checkScenarios({ ...options, seed: ${details.seed}, path: ${JSON.stringify(path)} })`,
    `or:     runScenario(${JSON.stringify(steps)}, options)`,
  ].join('\n');
  return new ScenarioFailure(steps, violation?.index, violations, details.seed, path, original.length, details.numShrinks, message);
}

/**
 * Generates scenarios, plays each against the app ({@link runScenario}) and checks the invariants
 * after every step. Resolves with what it ran; rejects with a {@link ScenarioFailure} holding the
 * shrunk scenario, the violation, and the `seed` and `path` that replay it.
 *
 * @example
 * ```ts
 * await checkScenarios({
 *   app: (session) => createChatView(session),
 *   invariants: [...engineInvariants, noMessagesWhileLoggedOut],
 *   scenario: { maxSteps: 15, weights: { revoke: 3 } },
 *   numRuns: 40,
 * });
 * ```
 */
export async function checkScenarios<App>(options: CheckOptions<App>): Promise<CheckSummary> {
  const arbitrary = options.arbitrary ?? scenarioArbitrary(options.scenario);
  const numRuns = options.numRuns ?? 50;
  const details = await fc.check(
    fc.asyncProperty(arbitrary, (steps) => runScenario(steps, options)),
    {
      ...options.fastCheck,
      numRuns,
      // 1 keeps every failure met, so the report can say how long the first one was.
      verbose: fc.VerbosityLevel.Verbose,
      ...(options.seed === undefined ? {} : { seed: options.seed }),
      // Replaying a printed path: that one case, already shrunk, and stop.
      ...(options.path === undefined ? {} : { path: options.path, endOnFailure: true }),
    },
  );
  if (details.failed) throw failureOf(details);
  return { numRuns: details.numRuns, seed: details.seed };
}
