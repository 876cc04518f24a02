/**
 * The session statechart: the single source of truth for the session's state.
 * Public states (SES-1): unauthenticated, authenticating, authenticated, connecting, connected,
 * loggedOut; see `publicStateOf`. Rules are numbered in docs/state-machine.md.
 */
import { assign } from 'xstate';
import { sessionSetup } from './setup.js';
import { authenticating } from './states/authenticating.js';
import { link } from './states/link.js';
import { loggedOut } from './states/logged-out.js';
import { token } from './states/token.js';
import { unauthenticated } from './states/unauthenticated.js';

export const sessionMachine = sessionSetup.createMachine({
  id: 'session',
  context: ({ input }) => ({
    settings: input.settings,
    now: input.now,
    random: input.random,
    preloaded: input.preloaded,
    credentials: null,
    user: null,
    ticket: null,
    connectAfterAuth: false,
    wantConnected: false,
    attempts: 0,
    failingSince: null,
    retryIn: null,
    refreshAttempts: 0,
    refreshRetryIn: 0,
    authRefreshUsed: false,
    online: true,
    canPing: false,
    watchdogSince: null,
    lastFailure: null,
    reason: null,
    reasonSeq: 0,
    revokeToken: null,
  }),
  invoke: { id: 'watchEnvironment', src: 'watchEnvironment' },
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
        { type: 'because', params: 'user_logout' },
      ],
    },
    'env.online': { actions: assign({ online: true }) },
    'env.offline': { actions: assign({ online: false }) },
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
            { type: 'because', params: 'reauthenticate' },
          ],
        },
      },
      exit: assign({ canPing: false, watchdogSince: null, authRefreshUsed: false, attempts: 0, failingSince: null, retryIn: null }),
      states: { token, link },
    },
    loggedOut,
  },
});

export { sessionSetup };
