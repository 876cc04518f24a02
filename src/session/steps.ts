/**
 * What a session method waits for, as verdicts on the machine's steps. Each reads what the machine
 * decided (its public state, its tags, the failure it recorded) and turns it into the promise's
 * outcome; none decides anything the machine has not (SES-9, SES-11, SES-25).
 */
import type { SnapshotFrom } from 'xstate';
import type { sessionMachine } from '../../machines/session.machine.js';
import type { SessionContext } from '../../machines/setup.js';
import type { Credentials, Failure, PublicState, TapTalkUser } from '../../machines/session.types.js';
import type { CallToken } from '../actors/authorized-request.js';
import { TapTalkError } from '../errors.js';
import type { Verdict } from './waiters.js';

/** A snapshot of the session machine. */
export type Snapshot = SnapshotFrom<typeof sessionMachine>;

/** What every waiter sees after each step of the machine. */
export interface Step {
  prev: PublicState;
  state: PublicState;
  snapshot: Snapshot;
  ctx: SessionContext;
}

/** The error behind a failure the machine recorded, or `fallback` when it recorded none. */
export function failureError(failure: Failure | null, fallback: '95016' | '99999' = '99999'): TapTalkError {
  if (!failure) return new TapTalkError(fallback);
  if (failure.error instanceof TapTalkError) return failure.error;
  return new TapTalkError(failure.code, { message: failure.message });
}

/** The session holds tokens: `authenticated`, `connecting` or `connected`. */
export const hasTokens = (s: Step): boolean => s.snapshot.hasTag('hasTokens');

/** `authenticate()`: decided once the exchange the machine ran (or joined, SES-11) has ended. */
export function authenticated(s: Step): Verdict<TapTalkUser> {
  if (s.state === 'authenticating' || s.prev !== 'authenticating') return undefined;
  if (hasTokens(s) && s.ctx.user) return { value: s.ctx.user };
  if (s.state === 'loggedOut') return new TapTalkError('95016');
  return failureError(s.ctx.lastFailure);
}

/**
 * `connect()`: done once `connected`; failed when the login ended, or when the link came to rest
 * without a socket, with the machine's reason for it (`linkEnd`: SES-24, SES-25).
 */
export function connected(s: Step): Verdict<void> {
  if (s.state === 'connected') return { value: undefined };
  if (s.state === 'loggedOut') return s.prev === 'loggedOut' ? new TapTalkError('95016') : failureError(s.ctx.lastFailure, '95016');
  if (s.state === 'unauthenticated') return failureError(s.ctx.lastFailure);
  if (s.state === 'authenticated' && !s.ctx.wantConnected) return failureError(s.ctx.linkEnd);
  return undefined;
}

/**
 * Where a refresh stands: failed when the login ended (the logout's reason, if any), done once
 * `renewed`, failed when the machine is backing off its refresh, else undecided.
 */
function refreshVerdict(s: Step, renewed: boolean): Verdict<void> {
  if (!hasTokens(s)) return s.state === 'loggedOut' ? failureError(s.ctx.lastFailure, '95016') : new TapTalkError('95016');
  if (renewed) return { value: undefined };
  if (s.snapshot.hasTag('refreshFailing')) return failureError(s.ctx.lastFailure);
  return undefined;
}

/** `refresh()`: done once the credentials differ from `before`. */
export const refreshed = (before: Credentials | null) => (s: Step) => refreshVerdict(s, s.ctx.credentials !== before);

/**
 * A refused call's wait for a new token: done once the machine holds one other than `stale`'s; a
 * call never outlives its login, so a new ticket meanwhile fails it with `95016` (SES-9).
 */
export const renewedFrom = (stale: CallToken) => (s: Step) =>
  hasTokens(s) && s.ctx.login !== stale.login
    ? new TapTalkError('95016')
    : refreshVerdict(s, !!s.ctx.credentials && s.ctx.credentials.accessToken !== stale.accessToken);

/** `logout()`: done once the machine is out and its server logout is no longer running (SES-52). */
export const loggedOut = (s: Step): Verdict<void> =>
  s.state !== 'loggedOut' || !s.snapshot.hasTag('revoking') ? { value: undefined } : undefined;

/** `whenReady()`: done once the stored session has been read (`unauthenticated.boot` is transient). */
export const restored = (s: Step): Verdict<PublicState> => (s.snapshot.hasTag('restoring') ? undefined : { value: s.state });
