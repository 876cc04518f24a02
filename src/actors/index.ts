/** The real actors, by the names the machine declares. */
import type { ActorDeps } from './deps.js';
import { environmentActor } from './environment-actor.js';
import { httpActors } from './http-actors.js';
import { socketActor } from './socket-actor.js';

export function realActors(deps: ActorDeps) {
  return { ...httpActors(deps), openSocket: socketActor(deps), watchEnvironment: environmentActor(deps) };
}

export type { ActorDeps } from './deps.js';
export { createSessionStore, type SessionStore } from './session-store.js';
export type { Transport } from './transport.js';
