/**
 * `createSession`: wires the options, the machine and the streams. The machine alone decides the
 * state; the effects (src/actors/) do the I/O; this file only connects them.
 */
import { Observable } from 'rxjs';
import { createActor, type InspectionEvent } from 'xstate';
import { publicStateOf } from '../../machines/public-state.js';
import { createEffects, machineWithEffects, registerDeps } from '../actors/index.js';
import { TapTalkError } from '../errors.js';
import { guardedLogger } from './logger.js';
import { dataMethods, linkMethods, loginMethods, type SessionCore } from './methods.js';
import { later, observeSnapshots } from './observer.js';
import { checkOptions, type Logger, type SessionOptions } from '../options.js';
import type { Step } from './steps.js';
import { createStreams } from './streams.js';
import type { TapTalkEvents } from '../events.js';
import type { Session } from './types.js';
import { createWaiters } from './waiters.js';

/** The inspection hook: the app's inspector, guarded, and the type of the root's last event. */
function inspection(inspector: SessionOptions['inspect'], logger: Logger) {
  let lastEvent = 'xstate.init';
  const inspect = (event: InspectionEvent) => {
    if (event.type === '@xstate.event' && event.actorRef.sessionId === event.rootId) lastEvent = event.event.type;
    try {
      if (typeof inspector === 'function') inspector(event);
      else inspector?.next?.(event);
    } catch (error) {
      logger.warn('the inspect callback threw; ignored', error);
    }
  };
  return { inspect, lastEvent: () => lastEvent };
}

/**
 * Creates a session. Throws `95011` for invalid options (a programmer error, at once); every later
 * failure arrives as a rejected promise and on `errors$`.
 *
 * @example
 * ```ts
 * import { createSession } from 'taptalk-session';
 * const session = createSession({ baseUrl: 'https://chat.example.com', appID: 'app', appSecret: 'secret' });
 * session.transitions$.subscribe((t) => console.log(`${t.from} → ${t.to}`, t.reason ?? ''));
 * await session.authenticate(ticket, { connect: true });
 * ```
 */
export function createSession<Events extends object = TapTalkEvents>(options: SessionOptions): Session<Events> {
  const checked = checkOptions(options);
  const logger = guardedLogger(options.logger);
  const streams = createStreams();
  const effects = createEffects(checked, options, {
    event: (e) => streams.events.next(e),
    error: (e) => streams.errors.next(e),
    reportLater: (e) => later(() => streams.errors.next(e)),
  });
  const { inspect, lastEvent } = inspection(options.inspect, logger);
  const { clock } = effects;
  const actor = createActor(machineWithEffects, {
    input: { settings: checked.settings, now: () => clock.now(), random: checked.random, preload: effects.preload, coordinated: effects.coordinated },
    clock,
    inspect,
  });
  registerDeps(actor.system, effects);

  const waiters = createWaiters<Step>();
  const observer = observeSnapshots({ clock, streams, waiters, lastEvent });
  actor.subscribe({ next: observer.next, error: (error) => logger.error('the session machine failed', error) });
  actor.start();
  // The environment is heard like the app: its events go to the machine, from one listener on the
  // platform's watcher (an invoked actor per session would cost every idle session a child actor).
  const unwatch = effects.environment ? effects.environment((event) => actor.send(event)) : undefined;

  let disposed = false;
  const core: SessionCore = { actor, effects, waiters, current: () => observer.current(actor.getSnapshot()), disposed: () => disposed };
  // The spreads come first: members added after a literal's own would leave V8 keeping the object
  // as a dictionary (a larger object for every session).
  return {
    ...streams.observables,
    ...loginMethods(core),
    ...linkMethods(core),
    ...dataMethods(core),
    get state() {
      return publicStateOf(actor.getSnapshot());
    },
    get ready() {
      return !actor.getSnapshot().hasTag('restoring');
    },
    get user() {
      return actor.getSnapshot().context.user;
    },
    get deviceID() {
      return effects.deviceID();
    },
    eventsOf: (eventName) =>
      new Observable<any>((subscriber) =>
        streams.events.subscribe({
          next: (event) => event.eventName === eventName && subscriber.next(event.data),
          complete: () => subscriber.complete(),
        }),
      ),
    actor,
    dispose() {
      if (disposed) return;
      disposed = true;
      unwatch?.();
      effects.dispose();
      actor.stop();
      effects.outbox.drop('95012');
      waiters.rejectAll(new TapTalkError('95012'));
      later(() => streams.complete());
    },
  };
}
