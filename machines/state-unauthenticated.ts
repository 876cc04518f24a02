/** `unauthenticated`: restoring a stored session (SES-40..43), or waiting for a ticket. */
import { assign } from 'xstate';
import { because, eventError, sessionSetup } from './setup.js';
import type { LoadResult } from './session.types.js';
import { signedInElsewhere } from './siblings.js';

// Inline guards of `restoring`, named: the name is what the diagrams show.
type Loaded = { event: { output: LoadResult } };
const storedSessionFound = ({ event }: Loaded) => event.output.kind === 'found';
const storedSessionUnreadable = ({ event }: Loaded) => event.output.kind === 'unreadable';

export const unauthenticated = sessionSetup.createStateConfig({
  initial: 'boot',
  // SES-62: no socket will come for what was queued.
  entry: { type: 'dropQueuedFrames', params: '95006' },
  on: {
    // SES-10: an empty ticket never leaves the device (the session reports 90005 itself).
    // SES-43: a ticket given while restoring wins; the load is stopped and its answer ignored.
    'user.authenticate': {
      guard: { type: 'hasTicket', params: ({ event }) => event.ticket },
      target: '#session.authenticating',
      actions: [
        assign(({ event }) => ({ ticket: event.ticket, connectAfterAuth: event.connect, lastFailure: null })),
        because('user_authenticate'),
      ],
    },
  },
  states: {
    // Transient: a session preloaded from synchronous storage skips the indeterminate tick.
    boot: {
      always: [
        {
          guard: 'hasPreloadedSession',
          target: '#session.active',
          actions: [
            { type: 'adoptStored', params: ({ context }) => context.preloaded! },
            assign({ preloaded: undefined }),
            because('restored'),
          ],
        },
        { guard: 'preloadedNothing', target: 'idle', actions: because('no_stored_session') },
        { target: 'restoring' },
      ],
    },
    restoring: {
      tags: ['restoring'],
      // SES-88: a sibling wrote while this session was reading: read again.
      on: { 'storage.changed': { target: 'restoring', reenter: true } },
      invoke: {
        id: 'loadSession',
        src: 'loadSession',
        onDone: [
          {
            guard: storedSessionFound,
            target: '#session.active',
            actions: [
              { type: 'adoptStored', params: ({ event }) => event.output as Extract<LoadResult, { kind: 'found' }> },
              because('restored'),
            ],
          },
          {
            guard: storedSessionUnreadable,
            target: 'idle',
            actions: [
              assign(({ event }) => (event.output.kind === 'unreadable' ? { lastFailure: event.output.failure } : {})),
              because('stored_session_unreadable'),
            ],
          },
          { target: 'idle', actions: because('no_stored_session') },
        ],
        onError: {
          target: 'idle',
          actions: [
            { type: 'recordFailure', params: eventError },
            because('stored_session_unreadable'),
          ],
        },
      },
    },
    idle: { on: signedInElsewhere },
  },
});
