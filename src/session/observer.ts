/**
 * The machine's snapshots turned into stream values: a transition value for each change of public
 * state, substate or reason (SES-2), the public state itself, and each newly recorded failure.
 * Values go out after the step, in order, on microtasks (architecture §8); waiters are checked
 * after every step.
 */
import { publicStateOf, substateOf } from '../../machines/public-state.js';
import type { Failure, PublicState } from '../../machines/session.types.js';
import type { Clock } from '../platform/ports.js';
import { failureError, type Snapshot, type Step } from './steps.js';
import type { SessionStreams } from './streams.js';
import type { SessionTransition } from './types.js';
import type { Waiters } from './waiters.js';

/** Runs `fn` after the current step, on a microtask. */
export const later = (fn: () => void): void => queueMicrotask(fn);

export interface ObserverDeps {
  clock: Clock;
  streams: SessionStreams;
  waiters: Waiters<Step>;
  /** The type of the last event the root machine received (from the inspection hook). */
  lastEvent(): string;
}

/** The snapshot observer, and `current()`: the step as it stands now. */
export function observeSnapshots({ clock, streams, waiters, lastEvent }: ObserverDeps) {
  // What the previous step showed, to tell what changed.
  let lastState: PublicState = 'unauthenticated';
  let lastSubstate: string | undefined;
  let lastFailure: Failure | null = null;
  let lastReasonSeq = 0;
  let lastReady = false;
  /**
   * The replaying streams take the first step (made inside `actor.start()`) at once: no one can
   * have subscribed yet, and a session restored from synchronous storage then replays
   * `authenticated` and `ready` from its first value, not a stale `unauthenticated` (SES-48).
   */
  let first = true;
  const replay = (fn: () => void) => (first ? fn() : later(fn));

  const transition = (state: PublicState, substate: ReturnType<typeof substateOf>, snapshot: Snapshot) => {
    const ctx = snapshot.context;
    const newReason = ctx.reason !== null && ctx.reasonSeq !== lastReasonSeq;
    // A new reason alone is a change too (Ably's `update`): a refresh keeps `connected` but is news.
    if (state === lastState && substate === lastSubstate && !newReason) return;
    const t: SessionTransition = { from: lastState, to: state, event: lastEvent(), at: clock.now() };
    if (newReason) t.reason = ctx.reason!;
    if (ctx.retryIn !== null && (substate === 'waiting' || substate === 'suspended')) t.retryIn = ctx.retryIn;
    if (substate !== undefined) t.substate = substate;
    later(() => streams.transitions.next(t));
    // Distinct by construction: the state stream moves only when the public state does.
    if (state !== lastState) replay(() => streams.state.next(state));
  };

  const next = (snapshot: Snapshot) => {
    const ctx = snapshot.context;
    const state = publicStateOf(snapshot);
    const substate = substateOf(snapshot.value);
    const step: Step = { prev: lastState, state, snapshot, ctx };
    transition(state, substate, snapshot);
    // SES-48: after the state it restored, so a UI bound to both never pairs `ready` with a stale state.
    const ready = !snapshot.hasTag('restoring');
    if (ready !== lastReady) replay(() => streams.ready.next(ready));
    lastReady = ready;
    if (ctx.lastFailure !== null && ctx.lastFailure !== lastFailure) {
      const error = failureError(ctx.lastFailure);
      later(() => streams.errors.next(error));
    }
    lastState = state;
    lastSubstate = substate;
    lastFailure = ctx.lastFailure;
    lastReasonSeq = ctx.reasonSeq;
    first = false;
    waiters.check(step);
  };

  const current = (snapshot: Snapshot): Step => ({ prev: lastState, state: publicStateOf(snapshot), snapshot, ctx: snapshot.context });
  return { next, current };
}
