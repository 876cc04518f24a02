/**
 * The session's outgoing streams: rxjs `Observable`s the session feeds, without rxjs's `Subject`
 * and `BehaviorSubject` (about 0.35 KiB gzip of the browser bundle, for the few lines of them the
 * session uses). What the session relies on is kept: a value goes to the observers subscribed when
 * it is pushed, in subscription order (one that unsubscribes meanwhile gets nothing more); after
 * `complete()` every observer, and any later subscriber at once, is completed; a replaying feed
 * (`BehaviorSubject`) gives a new subscriber its latest value first.
 */
import { Observable, type Subscriber } from 'rxjs';

/** A stream and the session's end of it. */
export interface Feed<T> {
  /** The read-only side the app subscribes to (architecture §9: never a Subject). */
  readonly stream: Observable<T>;
  next(value: T): void;
  complete(): void;
}

/**
 * A feed: a plain one, or with `initial`, one that replays its latest value to each new subscriber.
 *
 * @example
 * ```ts
 * const state = feed<PublicState>('unauthenticated');
 * state.stream.subscribe(console.log); // 'unauthenticated'
 * state.next('authenticating'); // 'authenticating'
 * ```
 */
export function feed<T>(...initial: [] | [T]): Feed<T> {
  const subscribers = new Set<Subscriber<T>>();
  let latest = initial;
  let done = false;
  return {
    stream: new Observable<T>((subscriber) => {
      if (done) return subscriber.complete();
      subscribers.add(subscriber);
      if (latest.length > 0) subscriber.next(latest[0] as T);
      return () => void subscribers.delete(subscriber);
    }),
    // After `complete()` no observer is left and a new one is completed at once: nothing to guard.
    next(value) {
      if (latest.length > 0) latest = [value];
      for (const subscriber of [...subscribers]) subscriber.next(value);
    },
    complete() {
      done = true;
      for (const subscriber of [...subscribers]) subscriber.complete();
      subscribers.clear();
    },
  };
}
