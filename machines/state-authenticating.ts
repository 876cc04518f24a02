/** `authenticating`: spending the one-time ticket (SES-10..13). */
import { assign } from 'xstate';
import { because, eventError, sessionSetup } from './setup.js';

export const authenticating = sessionSetup.createStateConfig({
  invoke: {
    id: 'exchangeTicket',
    src: 'exchangeTicket',
    input: ({ context }) => ({ ticket: context.ticket ?? '', version: context.version }),
    onDone: {
      target: '#session.active',
      actions: [
        { type: 'adoptGrant', params: ({ event }) => event.output },
        assign(({ context }) => ({ ticket: null, wantConnected: context.connectAfterAuth, connectAfterAuth: false })),
        because('ticket_exchanged'),
      ],
    },
    // SES-12: a failed exchange is reported, never retried: the ticket may already be spent.
    onError: {
      target: '#session.unauthenticated.idle',
      actions: [
        { type: 'recordFailure', params: eventError },
        assign({ ticket: null, connectAfterAuth: false }),
        // The reason depends on the failure just recorded (SES-12).
        {
          type: 'because',
          params: ({ context }) => (context.lastFailure?.unauthorized ? 'ticket_rejected' : 'ticket_exchange_failed'),
        },
      ],
    },
  },
  on: {
    // SES-11: the same ticket again (StrictMode, double click) joins the exchange under way, and
    // its `connect` wish is kept; a different one is refused by the session with 95015 and changes
    // nothing here.
    'user.authenticate': {
      guard: { type: 'sameTicket', params: ({ event }) => event.ticket },
      actions: assign(({ context, event }) => ({ connectAfterAuth: context.connectAfterAuth || event.connect })),
    },
    'user.connect': { actions: assign({ connectAfterAuth: true }) },
    // SES-62: no socket will come for what was queued for one.
    'user.disconnect': { actions: ['abandonConnect', { type: 'dropQueuedFrames', params: '95007' }] },
  },
});
