/**
 * Promises decided on a later step of the machine: each waiter looks at every step and says
 * whether it is done. Deciding happens in the snapshot observer, after the step; the app's
 * continuations then run on microtasks, outside the machine (architecture §8).
 */
import { TapTalkError } from '../errors.js';

/** A waiter's verdict on one step: keep waiting (`undefined`), done with a value, or failed with an error. */
export type Verdict<T> = undefined | { value: T } | TapTalkError;

interface Waiter<S> {
  decide(step: S): Verdict<unknown>;
  resolve(value: unknown): void;
  reject(error: TapTalkError): void;
}

export interface Waiters<S> {
  /** A promise decided by later steps (or by `now` at once, if it already has a verdict). */
  wait<T>(decide: (step: S) => Verdict<T>, now?: S): Promise<T>;
  check(step: S): void;
  /** Rejects every waiter, and every later one at once. */
  rejectAll(error: TapTalkError): void;
}

export function createWaiters<S>(): Waiters<S> {
  const waiting = new Set<Waiter<S>>();
  let closed: TapTalkError | undefined;
  const conclude = (w: Waiter<S>, verdict: Verdict<unknown>) => {
    if (verdict === undefined) return;
    waiting.delete(w);
    if (verdict instanceof TapTalkError) w.reject(verdict);
    else w.resolve(verdict.value);
  };
  return {
    wait<T>(decide: (step: S) => Verdict<T>, now?: S) {
      return new Promise<T>((resolve, reject) => {
        // SES-35: a wait begun after rejectAll (dispose) would have no step left to decide it.
        if (closed) return reject(closed);
        const w: Waiter<S> = { decide, resolve: resolve as (v: unknown) => void, reject };
        waiting.add(w);
        if (now !== undefined) conclude(w, decide(now));
      });
    },
    check(step) {
      for (const w of [...waiting]) conclude(w, w.decide(step));
    },
    rejectAll(error) {
      closed = error;
      for (const w of [...waiting]) conclude(w, error);
    },
  };
}

/** Marks a promise handled, so an app that ignores it gets no unhandled rejection; awaiting it still throws. */
export function quiet<T>(promise: Promise<T>): Promise<T> {
  promise.catch(() => {});
  return promise;
}
