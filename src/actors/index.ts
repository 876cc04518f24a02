/** The session's effects: the real actors, the store, the outbox and the client API calls. */
export type { ActorDeps } from './deps.js';
export { machineWithEffects, registerDeps, type DepsOf } from './registry.js';
export { createEffects, type Effects } from './effects.js';
export { createOutbox, type Outbox } from './outbox.js';
export { createSessionStore, type SessionStore } from './session-store.js';
