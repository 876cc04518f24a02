/**
 * The link region of `active`: no socket (`authenticated`), `connecting` (probe, open, wait,
 * suspended) and `connected` with liveness checks (SES-20..33).
 */
import { assign, sendTo } from 'xstate';
import { errorOf, sessionSetup } from '../setup.js';
import type { Failure } from '../session.types.js';

const LINK = '#session.active.link';
const LIVENESS_TIMEOUT: Failure = { code: '95014', retryable: true, unauthorized: false };
const OPEN_TIMEOUT: Failure = { code: '95001', retryable: true, unauthorized: false };
const CONNECTION_LOST: Failure = { code: '95013', retryable: true, unauthorized: false };

/**
 * After a failed attempt: give up when the budget is spent (SES-25), go `suspended` once the
 * outage outlasts `connectionStateTtlMs` (SES-23), else wait with backoff (SES-21).
 */
function retryLater() {
  return [
    {
      guard: 'budgetExhausted' as const,
      target: `${LINK}.idle`,
      actions: ['giveUp' as const, { type: 'because' as const, params: 'retry_budget_exhausted' as const }],
    },
    {
      guard: 'pastConnectionStateTtl' as const,
      target: `${LINK}.connecting.suspended`,
      actions: 'scheduleSuspendedRetry' as const,
    },
    {
      target: `${LINK}.connecting.waiting`,
      actions: 'scheduleRetry' as const,
    },
  ];
}

/** A refused credential at connect (SES-22): one refresh, then `loggedOut` if refused again. */
function refusedCredential() {
  return [
    {
      guard: 'authRefreshUsed' as const,
      target: '#session.loggedOut',
      actions: ['clearStoredSession' as const, 'dropCredentials' as const, { type: 'because' as const, params: 'refresh_token_expired' as const }],
    },
    {
      target: `${LINK}.connecting.awaitingToken`,
      actions: ['markAuthRefreshUsed' as const, 'requestRefresh' as const],
    },
  ];
}

const retryNow = { target: `${LINK}.connecting.probing`, actions: 'resetBackoff' as const };

export const link = sessionSetup.createStateConfig({
  initial: 'idle',
  states: {
    idle: {
      always: { guard: 'wantsConnection', target: 'connecting' },
      on: {
        'user.connect': { target: 'connecting', actions: [assign({ wantConnected: true }), { type: 'because', params: 'user_connect' }] },
      },
    },
    connecting: {
      initial: 'probing',
      on: {
        'user.disconnect': {
          target: 'idle',
          actions: [assign({ wantConnected: false, authRefreshUsed: false }), 'resetBackoff', { type: 'because', params: 'user_disconnect' }],
        },
      },
      states: {
        // The probe (reference E3) is the only way a browser learns why a socket would be refused.
        probing: {
          entry: assign({ retryIn: null }),
          invoke: {
            src: 'probeToken',
            input: ({ context }) => ({ accessToken: context.credentials?.accessToken ?? '' }),
            onDone: `${LINK}.socket`,
            onError: [
              {
                guard: { type: 'unauthorized', params: errorOf },
                actions: [{ type: 'recordFailure', params: errorOf }, { type: 'because', params: 'access_token_expired' }],
                target: 'refused',
              },
              {
                actions: [{ type: 'recordFailure', params: errorOf }, { type: 'because', params: 'probe_failed' }],
                target: 'failed',
              },
            ],
          },
        },
        // Transient decision points: keep the probe's and the socket's failure rules in one place.
        refused: { always: refusedCredential() },
        failed: { always: retryLater() },
        awaitingToken: {
          on: { 'internal.tokensRefreshed': 'probing' },
        },
        waiting: {
          after: { retryDelay: 'probing' },
          on: { 'env.online': retryNow, 'env.visible': retryNow, 'env.wake': retryNow },
        },
        suspended: {
          after: { retryDelay: 'probing' },
          on: { 'env.online': retryNow, 'env.visible': retryNow, 'env.wake': retryNow },
        },
      },
    },
    socket: {
      invoke: {
        id: 'socket',
        src: 'openSocket',
        input: ({ context }) => ({ accessToken: context.credentials?.accessToken ?? '' }),
      },
      initial: 'opening',
      on: {
        'user.disconnect': {
          target: 'idle',
          actions: [assign({ wantConnected: false, authRefreshUsed: false }), 'resetBackoff', { type: 'because', params: 'user_disconnect' }],
        },
        'socket.closed': [
          {
            guard: ({ event }) => event.failure?.unauthorized === true,
            actions: [assign(({ event }) => ({ lastFailure: event.failure ?? null })), { type: 'because', params: 'socket_refused' }],
            target: '.refused',
          },
          {
            actions: [assign(({ event }) => ({ lastFailure: event.failure ?? CONNECTION_LOST })), { type: 'because', params: 'socket_closed' }],
            target: '.failed',
          },
        ],
      },
      states: {
        opening: {
          on: {
            'socket.opened': {
              target: 'open',
              actions: [
                assign(({ event }) => ({ canPing: event.canPing, authRefreshUsed: false, lastFailure: null })),
                'resetBackoff',
                { type: 'because', params: 'socket_opened' },
              ],
            },
          },
          after: {
            openTimeout: { target: 'failed', actions: [assign({ lastFailure: OPEN_TIMEOUT }), { type: 'because', params: 'open_timeout' }] },
          },
        },
        open: {
          initial: 'healthy',
          states: {
            // SES-30: ping on a fixed cadence where the platform allows (Node's ws).
            healthy: {
              after: { pingInterval: { guard: 'canPing', target: 'checking' } },
            },
            checking: {
              entry: sendTo('socket', { type: 'ping' }),
              on: { 'socket.pong': 'healthy' },
              after: {
                pongTimeout: {
                  target: `${LINK}.socket.failed`,
                  actions: [assign({ lastFailure: LIVENESS_TIMEOUT }), { type: 'because', params: 'liveness_timeout' }],
                },
              },
            },
          },
          on: {
            // SES-32: after sleep, check rather than trust a socket that may be half-open.
            'env.wake': [{ guard: 'canPing', target: '.checking' }, { target: `${LINK}.connecting.probing`, actions: { type: 'because', params: 'wake' } }],
          },
        },
        refused: { always: refusedCredential() },
        failed: { always: retryLater() },
      },
    },
  },
});
