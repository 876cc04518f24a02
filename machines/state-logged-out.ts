/** `loggedOut`: local data is already gone; the server logout runs best effort (SES-50..54). */
import { assign } from 'xstate';
import { because, sessionSetup } from './setup.js';
import { signedInElsewhere } from './siblings.js';

export const loggedOut = sessionSetup.createStateConfig({
  initial: 'revoking',
  // SES-62: no socket will come for what was queued.
  entry: { type: 'dropQueuedFrames', params: '95006' },
  on: {
    // SES-54: only a new ticket leaves `loggedOut`. A server logout still under way is abandoned,
    // and its token forgotten, so no later logout revokes a session that is long gone.
    'user.authenticate': {
      guard: { type: 'hasTicket', params: ({ event }) => event.ticket },
      target: '#session.authenticating',
      actions: [
        assign(({ event }) => ({ ticket: event.ticket, connectAfterAuth: event.connect, lastFailure: null, revokeToken: null })),
        because('user_authenticate'),
      ],
    },
    // Already out: a second logout changes nothing here. With siblings it still clears the storage
    // (SES-84): a sibling's login this session has not followed yet is logged out too.
    'user.logout': [{ guard: 'coordinated', actions: 'clearStoredSession' }, {}],
  },
  states: {
    // SES-52: best effort, with a deadline; local data is already gone, so its outcome changes nothing.
    revoking: {
      tags: ['revoking'],
      always: { guard: 'nothingToRevoke', target: 'done' },
      invoke: {
        id: 'revokeSession',
        src: 'revokeSession',
        input: ({ context }) => ({ accessToken: context.revokeToken ?? '' }),
        onDone: 'done',
        onError: 'done',
      },
      after: { logoutDeadline: 'done' },
    },
    // SES-87: a sibling's login brings this session back too.
    done: { entry: assign({ revokeToken: null }), on: signedInElsewhere },
  },
});
