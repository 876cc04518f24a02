/** The real actors, by the names the machine declares. */
import type { DepsOf } from './deps.js';
import { environmentActor } from './environment-actor.js';
import { httpActors } from './http-actors.js';
import { siblingActors } from './sibling-actors.js';
import { socketActor } from './socket-actor.js';

export function realActors(depsOf: DepsOf) {
  return { ...httpActors(depsOf), ...siblingActors(depsOf), openSocket: socketActor(depsOf), watchEnvironment: environmentActor(depsOf) };
}

export type { ActorDeps, DepsOf } from './deps.js';
export { createSessionStore, type SessionStore } from './session-store.js';
export type { Transport } from './transport.js';
