/** The `watchEnvironment` actor: forwards the platform's environment events to the machine. */
import { fromCallback } from 'xstate';
import type { SessionEvent } from '../../machines/session.types.js';
import type { ActorDeps } from './deps.js';

export function environmentActor(deps: Pick<ActorDeps, 'environment'>) {
  return fromCallback<SessionEvent>(({ sendBack }) => {
    if (deps.environment === false) return undefined;
    return deps.environment((event) => sendBack(event));
  });
}
