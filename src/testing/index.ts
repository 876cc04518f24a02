/**
 * `taptalk-session/testing`: property-based testing of an app around a session (Node only; needs
 * `fast-check`). Generated scenarios of user actions, server faults, environment events, siblings
 * and time are played against the app's own code over a local emulator on a simulated clock; the
 * app's invariants and the engine's are checked after every step, and a failure shrinks to a
 * short scenario with the seed and path that replay it. See docs/testing-your-app.md.
 *
 * @example
 * ```ts
 * import { checkScenarios, engineInvariants } from 'taptalk-session/testing';
 * await checkScenarios({ app: (session) => createChatView(session), invariants: [...engineInvariants] });
 * ```
 */
export { checkScenarios, ScenarioFailure, type CheckOptions, type CheckSummary } from './check.js';
export { runScenario, ScenarioViolation, type Violation } from './stage.js';
export {
  DEFAULT_WEIGHTS,
  environmentSteps,
  faultSteps,
  scenarioArbitrary,
  siblingSteps,
  stepArbitrary,
  timeSteps,
  userSteps,
  type ScenarioOptions,
} from './arbitraries.js';
export {
  engineInvariants,
  neverConnectedWithoutTokens,
  noTokenAfterLogout,
  noUnhandledRejection,
  oneRefreshPerRotation,
  settlesOnDispose,
} from './invariants.js';
export { ScenarioClock } from './clock.js';
export { seeded } from './seeded.js';
export { describeStep, formatScenario } from './steps.js';
export type {
  EnvironmentKind,
  EnvironmentStep,
  FailEndpoint,
  FailKind,
  FaultStep,
  SiblingStep,
  Step,
  StepKind,
  TicketKind,
  TimeStep,
  UserStep,
} from './steps.js';
export type { RefreshRecord, Traffic } from './network.js';
export type { CallRecord, Invariant, RunOptions, ScenarioContext, ScenarioPage, ScenarioSessionOptions } from './types.js';
