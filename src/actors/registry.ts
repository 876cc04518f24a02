/**
 * The machine every session runs, with the real actors, and how those actors find their own
 * session's {@link ActorDeps}: by the actor system the machine runs in (one system per session).
 * Why a lookup and not `.provide()` per session: docs/decisions/004-effects-by-actor-system.md.
 */
import type { ActorSystem } from 'xstate';
import { sessionMachine } from '../../machines/session.machine.js';
import type { SessionContext } from '../../machines/setup.js';
import { TapTalkError } from '../errors.js';
import type { ActorDeps } from './deps.js';
import { httpActors } from './http-actors.js';
import { siblingActors } from './sibling-actors.js';
import { socketActor } from './socket-actor.js';

/** Finds a session's deps from the actor system its machine runs in. */
export type DepsOf = (system: ActorSystem<any>) => ActorDeps;

const depsBySystem = new WeakMap<ActorSystem<any>, ActorDeps>();

/** Ties a session's deps to its actor system; call before the actor starts. */
export function registerDeps(system: ActorSystem<any>, deps: ActorDeps): void {
  depsBySystem.set(system, deps);
}

const depsOf: DepsOf = (system) => {
  const deps = depsBySystem.get(system);
  if (!deps) throw new TapTalkError('99999', { message: 'No session for this actor system' });
  return deps;
};

/** The real actors and effects, by the names the machine declares. */
export function realImplementations(find: DepsOf) {
  return {
    actors: { ...httpActors(find), ...siblingActors(find), openSocket: socketActor(find) },
    actions: {
      // SES-85: `'ifMine'` clears only while the storage holds this session's own tokens.
      clearStoredSession: ({ system, context }: { system: ActorSystem<any>; context: SessionContext }, scope?: 'ifMine') =>
        void find(system).store.clear(scope === 'ifMine' ? context.credentials?.refreshToken : undefined),
      dropQueuedFrames: ({ system }: { system: ActorSystem<any> }, code: '95006' | '95007') => find(system).outbox.drop(code),
    },
  };
}

/**
 * One provided machine shared by every session. `provide()` builds a new tree of state nodes
 * (decision 004 measures it) and xstate caches each node's transitions on first use, so a machine per session
 * cost memory and time on every login (docs/benchmarks.md, decision 004).
 */
export const machineWithEffects = /* @__PURE__ */ sessionMachine.provide(realImplementations(depsOf));
