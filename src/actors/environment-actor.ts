/** The `watchEnvironment` actor: forwards the platform's environment events to the machine. */
import { fromCallback } from 'xstate';
import type { SessionEvent } from '../../machines/session.types.js';
import type { DepsOf } from './registry.js';

export function environmentActor(depsOf: DepsOf) {
  return fromCallback<SessionEvent>(({ sendBack, system }) => {
    const { environment } = depsOf(system);
    return environment === false ? undefined : environment(sendBack);
  });
}
