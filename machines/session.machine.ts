/**
 * The session statechart: the single source of truth for the session's state.
 * Public states (SES-1): unauthenticated, authenticating, authenticated, connecting, connected,
 * loggedOut; see `publicStateOf`. Rules are numbered in docs/state-machine.md.
 */
import { assign } from 'xstate';
import { because, sessionSetup, type SessionContext } from './setup.js';
import type { SessionInput } from './session.types.js';
import { authenticating } from './state-authenticating.js';
import { link } from './state-link.js';
import { loggedOut } from './state-logged-out.js';
import { token } from './state-token.js';
import { unauthenticated } from './state-unauthenticated.js';

/**
 * The first context, built by property stores one by one on purpose. xstate's `assign` copies the
 * context with `Object.assign({}, context, update)`, and V8 turns such a copy into a slow
 * dictionary once it passes 16 properties, unless objects of the same shape were built before by
 * named stores. Built here that way, every later copy follows this shape and stays a fast object:
 * about 7x smaller and an order of magnitude quicker to copy (docs/benchmarks.md).
 */
function initialContext({ input }: { input: SessionInput }): SessionContext {
  const c = {} as SessionContext;
  c.settings = input.settings;
  c.now = input.now;
  c.random = input.random;
  c.preloaded = input.preload?.();
  c.credentials = null;
  c.user = null;
  c.ticket = null;
  c.connectAfterAuth = false;
  c.wantConnected = false;
  c.attempts = 0;
  c.failingSince = null;
  c.retryIn = null;
  c.refreshAttempts = 0;
  c.refreshRetryIn = 0;
  c.authRefreshUsed = false;
  c.online = true;
  c.canPing = false;
  c.watchdogSince = null;
  c.lastFailure = null;
  c.linkEnd = null;
  c.reason = null;
  c.reasonSeq = 0;
  c.revokeToken = null;
  c.coordinated = input.coordinated === true;
  c.version = 0;
  c.login = 0;
  return c;
}

export const sessionMachine = sessionSetup.createMachine({
  id: 'session',
  context: initialContext,
  // SES-83: siblings are watched only where they are followed; a session alone runs no watcher
  // (each child actor costs every idle session its memory). No id: nothing addresses it, and a
  // named child makes the emitted children type conflict with its own index signature (TS2411 in
  // consumers' d.ts checks). Environment events come from the session's one listener on the
  // platform's watcher (src/session/create-session.ts).
  entry: sessionSetup.enqueueActions(({ check, enqueue }) => {
    if (check('coordinated')) enqueue.spawnChild('watchSiblings');
  }),
  initial: 'unauthenticated',
  on: {
    // SES-50: logout wins from anywhere; local data goes first, the server call comes after.
    // SES-51: leaving the old state stops its socket, timers and calls.
    'user.logout': {
      target: '.loggedOut',
      actions: [
        assign(({ context }) => ({ revokeToken: context.credentials?.accessToken ?? null })),
        'clearStoredSession',
        'dropCredentials',
        because('user_logout'),
      ],
    },
    'env.online': { actions: 'markOnline' },
    'env.offline': { actions: 'markOffline' },
  },
  states: {
    unauthenticated,
    authenticating,
    active: {
      type: 'parallel',
      on: {
        // SES-13: a new ticket replaces an active session; the old one is closed and forgotten.
        'user.authenticate': {
          guard: { type: 'hasTicket', params: ({ event }) => event.ticket },
          target: 'authenticating',
          actions: [
            assign(({ context }) => ({ revokeToken: null, connectAfterAuth: context.wantConnected })),
            'clearStoredSession',
            'dropCredentials',
            assign(({ event, context }) => ({ ticket: event.ticket, connectAfterAuth: event.connect || context.connectAfterAuth })),
            because('reauthenticate'),
          ],
        },
      },
      // Capabilities as tags (the session and the facade read these, not state paths).
      tags: ['hasTokens'],
      exit: assign(({ context }) => ({
        canPing: false,
        watchdogSince: null,
        authRefreshUsed: false,
        attempts: 0,
        failingSince: null,
        retryIn: null,
        login: context.login + 1,
      })),
      states: { token, link },
    },
    loggedOut,
  },
});

export { sessionSetup };
