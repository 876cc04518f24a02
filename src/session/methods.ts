/**
 * The session's methods: each sends the machine an event and waits for the verdict of later steps
 * (src/session/steps.ts). Nothing here decides the session's state.
 */
import type { Actor } from 'xstate';
import type { sessionMachine } from '../../machines/session.machine.js';
import { usableTicket } from '../../machines/ticket.js';
import { authorizedRequest } from '../actors/authorized-request.js';
import type { Effects } from '../actors/effects.js';
import { asTapTalkError, TapTalkError } from '../errors.js';
import { encodeFrame } from '../protocol/frames.js';
import * as steps from './steps.js';
import type { Session } from './types.js';
import { quiet, type Waiters } from './waiters.js';

/** What the methods work with: the running machine, its effects, the waiters and the current step. */
export interface SessionCore {
  actor: Actor<typeof sessionMachine>;
  effects: Effects;
  waiters: Waiters<steps.Step>;
  current(): steps.Step;
  disposed(): boolean;
}

/**
 * A session method as the app gets it: refused with `95012` once disposed; what `body` returns
 * reaches the app as an already-handled promise, and what it throws synchronously becomes a
 * rejection with a TapTalkError (its promises reject only with TapTalkErrors already).
 */
export const guarded =
  (core: SessionCore) =>
  <A extends unknown[], T>(body: (...args: A) => Promise<T>) =>
  (...args: A): Promise<T> => {
    try {
      if (core.disposed()) throw new TapTalkError('95012');
      return quiet(body(...args));
    } catch (error) {
      return quiet(Promise.reject(asTapTalkError(error)));
    }
  };

type LoginMethods = Pick<Session, 'authenticate' | 'logout' | 'refresh'>;

/** `authenticate`, `logout`, `refresh`. */
export function loginMethods(core: SessionCore): LoginMethods {
  const { actor, waiters } = core;
  const method = guarded(core);
  return {
    authenticate: method((ticket, { connect = false } = {}) => {
      if (!usableTicket(ticket)) throw new TapTalkError('90005');
      actor.send({ type: 'user.authenticate', ticket, connect });
      // SES-11: while a ticket is being spent, the machine joins the same one and ignores another.
      const now = core.current();
      if (now.state === 'authenticating' && now.ctx.ticket !== ticket) throw new TapTalkError('95015');
      return waiters.wait(steps.authenticated);
    }),
    logout: method(() => {
      actor.send({ type: 'user.logout' });
      // Resolves once the storage is clean too: "logged out" means nothing is left behind (SES-50).
      return waiters.wait(steps.loggedOut, core.current()).then(() => core.effects.store.settled());
    }),
    refresh: method(() => {
      const before = core.current();
      if (!steps.hasTokens(before)) throw new TapTalkError('90006');
      actor.send({ type: 'user.refresh' });
      return waiters.wait(steps.refreshed(before.ctx.credentials));
    }),
  };
}

type LinkMethods = Pick<Session, 'connect' | 'disconnect' | 'send'>;

/** `connect`, `disconnect`, `send`. */
export function linkMethods(core: SessionCore): LinkMethods {
  const { actor, waiters } = core;
  const method = guarded(core);
  return {
    connect: method(() => {
      const now = core.current();
      if (now.state === 'unauthenticated' || now.state === 'loggedOut') throw new TapTalkError('90002');
      actor.send({ type: 'user.connect' });
      return waiters.wait(steps.connected, core.current());
    }),
    disconnect() {
      if (!core.disposed()) actor.send({ type: 'user.disconnect' });
    },
    send: method((eventName, data) => {
      const text = encodeFrame(eventName, data);
      const { state, snapshot, ctx } = core.current();
      // Queued while a socket is on its way; the machine drops the queue when it stops coming (SES-62).
      const coming = snapshot.hasTag('socketComing') || (state === 'authenticating' && ctx.connectAfterAuth);
      return core.effects.outbox.send(text, coming);
    }),
  };
}

type DataMethods = Pick<Session, 'whenReady' | 'projectConfigs' | 'request'>;

/** `whenReady`, `projectConfigs`, `request`. */
export function dataMethods(core: SessionCore): DataMethods {
  const { actor, waiters, effects } = core;
  const method = guarded(core);
  const call = authorizedRequest({
    http: effects.http,
    token() {
      const { context } = actor.getSnapshot();
      return context.credentials ? { accessToken: context.credentials.accessToken, login: context.login } : null;
    },
    signal: effects.signal,
    renewed(stale) {
      const verdict = steps.renewedFrom(stale);
      // Someone may have refreshed already; otherwise ask, and join the one refresh there is.
      if (verdict(core.current()) === undefined) actor.send({ type: 'server.tokenExpired' });
      return waiters.wait(verdict, core.current());
    },
  });
  return {
    // SES-35: the wait is registered at once, so dispose() rejects it even while storage is read.
    whenReady: method(() => Promise.all([waiters.wait(steps.restored, core.current()), effects.http()]).then(([state]) => state)),
    projectConfigs: method(({ refresh = false } = {}) => effects.projectConfigs(refresh)),
    request: method((path, body) => call(path, body)),
  };
}
