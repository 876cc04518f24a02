/**
 * `taptalk-session/machines`: the pure statechart, for inspection, diagrams, custom runtimes and
 * tests. Provide the actors by name (`sessionMachine.provide({ actors: { ... } })`).
 */
export { sessionMachine } from './session.machine.js';
export { sessionSetup, eventError, type SessionContext } from './setup.js';
export { publicStateOf, substateOf, type Substate } from './public-state.js';
export { backoffDelay, reconnectDelay } from './backoff.js';
export { refreshAt, credentialsFromGrant, credentialsFromStored } from './credentials.js';
export { toFailure, isUnauthorizedCode } from './failure.js';
export { usableTicket } from './ticket.js';
export { MAX_TIMER_MS, timerDelay } from './timers.js';
export * from './session.types.js';
