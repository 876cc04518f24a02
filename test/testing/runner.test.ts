/**
 * The kit's runner against the real emulator on a simulated clock: each kind of step does what its
 * description says, an invariant that fails is reported after the right step, a failure shrinks to
 * the one step that matters with a seed and path that replay it, and the engine's invariants hold
 * over generated scenarios.
 */
import { describe, expect, it } from 'vitest';
import type { PublicState, TapTalkError } from '../../src/index.js';
import {
  checkScenarios,
  describeStep,
  engineInvariants,
  noUnhandledRejection,
  runScenario,
  ScenarioFailure,
  ScenarioViolation,
  type CallRecord,
  type Invariant,
  type ScenarioContext,
  type Step,
} from '../../src/testing/index.js';

/** Records what the invariants saw after each step (not the final check): the states, the calls as they were, the context. */
function recorder<App>() {
  const seen: { states: PublicState[]; calls: CallRecord[]; ctx: ScenarioContext<App> }[] = [];
  const invariant: Invariant<App> = {
    name: 'recorder',
    check: (ctx) => void (ctx.ended || seen.push({ states: ctx.pages.map((p) => p.session.state), calls: ctx.calls.map((c) => ({ ...c })), ctx })),
  };
  return { seen, invariant };
}

const codeOf = (error: unknown) => (error as TapTalkError | undefined)?.code;

describe('runScenario', () => {
  it('connects with a fresh ticket, refuses a reused one (40103) and an expired one (40104)', async () => {
    const { seen, invariant } = recorder();
    await runScenario(
      [
        { kind: 'authenticate', ticket: 'fresh', connect: true },
        { kind: 'logout' },
        { kind: 'authenticate', ticket: 'reused', connect: false },
        { kind: 'authenticate', ticket: 'expired', connect: false },
      ],
      { app: () => null, invariants: [...engineInvariants, invariant] },
    );
    expect(seen.map((s) => s.states[0])).toEqual(['connected', 'loggedOut', 'unauthenticated', 'unauthenticated']);
    const calls = seen.at(-1)!.calls;
    expect(calls.map((c) => [c.label.split(' ')[0], c.settled, codeOf(c.error)])).toEqual([
      ['authenticate', true, undefined],
      ['logout', true, undefined],
      ['authenticate', true, '40103'],
      ['authenticate', true, '40104'],
    ]);
  });

  it('lets time pass on the clock the emulator reads: the proactive refresh happens within an advance', async () => {
    const { seen, invariant } = recorder();
    await runScenario(
      [{ kind: 'authenticate', ticket: 'fresh', connect: true }, { kind: 'advance', ms: 9 * 60_000 + 1_000 }],
      { app: () => null, invariants: [...engineInvariants, invariant] },
    );
    const last = seen.at(-1)!.ctx;
    expect(last.emulator.stats().refreshes).toBe(1);
    expect(last.traffic.refreshes.map((r) => r.outcome)).toEqual(['rotated']);
    expect(last.session.state).toBe('connected');
  });

  it('holds answers on the simulated clock for latency: an exchange slower than the request timeout fails (95001)', async () => {
    const { seen, invariant } = recorder();
    await runScenario(
      [{ kind: 'latency', ms: 15_000 }, { kind: 'authenticate', ticket: 'fresh', connect: false }, { kind: 'advance', ms: 11_000 }],
      { app: () => null, invariants: [...engineInvariants, invariant] },
    );
    const [exchange] = seen.at(-1)!.calls;
    expect([seen[1]!.calls[0]!.settled, exchange!.settled, codeOf(exchange!.error)]).toEqual([false, true, '95001']);
  });

  it('reloads a page with a new app that restores the stored session, and opens a sibling on the same storage', async () => {
    const apps: number[] = [];
    const { seen, invariant } = recorder<number>();
    await runScenario(
      [{ kind: 'authenticate', ticket: 'fresh', connect: false }, { kind: 'reload' }, { kind: 'sibling', open: true }, { kind: 'disconnect', page: 1 }, { kind: 'sibling', open: false }, { kind: 'connect', page: 1 }],
      { app: (_s, { index }) => (apps.push(index), apps.length), invariants: [...engineInvariants, invariant] },
    );
    expect(apps).toEqual([0, 0, 1]);
    expect(seen.map((s) => s.states)).toEqual([['authenticated'], ['authenticated'], ['authenticated', 'authenticated'], ['authenticated', 'authenticated'], ['authenticated'], ['authenticated']]);
    expect(seen[1]!.ctx.app).toBe(2);
    expect(seen[1]!.ctx.pages[0]!.transitions.at(-1)?.reason).toBe('restored');
  });

  it('runs the hand-written scenario of docs/testing-your-app.md: a revoked session ends at the proactive refresh', async () => {
    const { seen, invariant } = recorder();
    const steps: Step[] = [
      { kind: 'authenticate', ticket: 'fresh', connect: true },
      { kind: 'revoke' },
      { kind: 'advance', ms: 10 * 60_000 }, // the proactive refresh is refused: the session ends
    ];
    await runScenario(steps, { app: () => null, invariants: [...engineInvariants, invariant] });
    expect(seen.map((s) => s.states[0])).toEqual(['connected', 'connected', 'loggedOut']);
    expect(seen.at(-1)!.ctx.pages[0]!.transitions.at(-1)?.reason).toBe('refresh_token_expired');
  });

  it('reports a failing invariant after the step that broke it, as a ScenarioViolation', async () => {
    const neverConnected: Invariant = { name: 'never connected', check: ({ session }) => (session.state === 'connected' ? 'connected!' : undefined) };
    const error = await runScenario([{ kind: 'advance', ms: 10 }, { kind: 'authenticate', ticket: 'fresh', connect: true }, { kind: 'logout' }], {
      app: () => null,
      invariants: [neverConnected],
    }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ScenarioViolation);
    expect((error as ScenarioViolation).index).toBe(1);
    expect((error as ScenarioViolation).message).toBe('after step 2 (authenticate(fresh ticket, connect)): [never connected] connected!');
  });

  it('catches an unhandled rejection of the app as a violation, and gives the process its own listeners back', async () => {
    const before = process.listeners('unhandledRejection');
    const careless = (session: { state$: { subscribe(fn: (s: PublicState) => void): unknown } }) =>
      session.state$.subscribe((s) => {
        if (s === 'connected') void Promise.reject(new Error('the app forgot a catch'));
      });
    const error = await runScenario([{ kind: 'authenticate', ticket: 'fresh', connect: true }], { app: careless, invariants: [noUnhandledRejection] }).catch((e: unknown) => e);
    expect((error as ScenarioViolation).violations).toEqual([{ invariant: 'no unhandled rejection', message: 'unhandled rejection: Error: the app forgot a catch' }]);
    expect(process.listeners('unhandledRejection')).toEqual(before);
    // Mended (the rejection handled), the same scenario passes.
    await runScenario([{ kind: 'authenticate', ticket: 'fresh', connect: true }], { app: () => null, invariants: [noUnhandledRejection] });
  });
});

describe('checkScenarios', () => {
  it('shrinks a failure to the one step that matters, with a seed and path that replay it', async () => {
    const neverConnected: Invariant = { name: 'never connected', check: ({ session }) => (session.state === 'connected' ? 'connected!' : undefined) };
    const options = { app: () => null, invariants: [neverConnected], scenario: { maxSteps: 10 }, numRuns: 100, seed: 17 };
    const failure = (await checkScenarios(options).catch((e: unknown) => e)) as ScenarioFailure;
    expect(failure).toBeInstanceOf(ScenarioFailure);
    // One step, or the two that say the same (fast-check cannot merge steps).
    expect([
      [{ kind: 'authenticate', ticket: 'fresh', connect: true }],
      [{ kind: 'authenticate', ticket: 'fresh', connect: false }, { kind: 'connect' }],
    ] satisfies Step[][]).toContainEqual(failure.steps);
    expect(failure.violations).toEqual([{ invariant: 'never connected', message: 'connected!' }]);
    expect(failure.message).toContain(`seed: ${failure.seed}, path: ${JSON.stringify(failure.path)}`);
    expect(failure.message).toContain(`${failure.steps.length}. ${describeStep(failure.steps.at(-1)!)}   <- fails here`);
    const replayed = (await checkScenarios({ ...options, seed: failure.seed, path: failure.path }).catch((e: unknown) => e)) as ScenarioFailure;
    expect(replayed.steps).toEqual(failure.steps);
    await expect(runScenario(failure.steps, options)).rejects.toBeInstanceOf(ScenarioViolation);
  }, 60_000);

  it('SES-1..63 as seen by an app: the engine invariants hold after every step of generated scenarios, siblings off', async () => {
    const summary = await checkScenarios({ app: () => null, numRuns: 30 });
    expect(summary.numRuns).toBe(30);
  }, 60_000);
});
