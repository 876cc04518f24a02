/**
 * `taptalk-session/machines`: the pure statechart, for inspection, diagrams, custom runtimes and
 * tests. Provide the actors by name (`sessionMachine.provide({ actors: { ... } })`).
 */
export { sessionMachine } from './session.machine.js';
export { sessionSetup, errorOf, type SessionContext } from './setup.js';
export { publicStateOf, substateOf, type Substate } from './public-state.js';
export { backoffDelay, reconnectDelay, refreshAt, credentialsFromGrant, credentialsFromStored } from './delays.js';
export { toFailure, isUnauthorized } from './guards.js';
export * from './session.types.js';
