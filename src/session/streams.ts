/**
 * The session's outgoing streams: rxjs subjects the session pushes into, exposed to the app only as
 * read-only `Observable`s (architecture §9). `state$` is a `BehaviorSubject`: a new subscriber gets
 * the current state first, and so is `ready$` (SES-48).
 */
import { BehaviorSubject, Subject, type Observable } from 'rxjs';
import type { PublicState } from '../../machines/session.types.js';
import type { TapTalkError } from '../errors.js';
import type { ServerEvent } from '../protocol/frames.js';
import type { SessionTransition } from './types.js';

/** The session's end of its streams. */
export interface SessionStreams {
  readonly state: BehaviorSubject<PublicState>;
  readonly ready: BehaviorSubject<boolean>;
  readonly transitions: Subject<SessionTransition>;
  readonly errors: Subject<TapTalkError>;
  readonly events: Subject<ServerEvent>;
  /** The app's end: the same streams, read-only. */
  readonly observables: {
    state$: Observable<PublicState>;
    ready$: Observable<boolean>;
    transitions$: Observable<SessionTransition>;
    errors$: Observable<TapTalkError>;
    events$: Observable<ServerEvent>;
  };
  complete(): void;
}

/**
 * The four streams of a session.
 *
 * @example
 * ```ts
 * const streams = createStreams();
 * streams.observables.state$.subscribe(console.log); // 'unauthenticated'
 * ```
 */
export function createStreams(): SessionStreams {
  const state = new BehaviorSubject<PublicState>('unauthenticated');
  const ready = new BehaviorSubject(false);
  const transitions = new Subject<SessionTransition>();
  const errors = new Subject<TapTalkError>();
  const events = new Subject<ServerEvent>();
  return {
    state,
    ready,
    transitions,
    errors,
    events,
    observables: {
      state$: state.asObservable(),
      ready$: ready.asObservable(),
      transitions$: transitions.asObservable(),
      errors$: errors.asObservable(),
      events$: events.asObservable(),
    },
    complete() {
      for (const subject of [state, ready, transitions, errors, events]) subject.complete();
    },
  };
}
