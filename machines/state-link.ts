/**
 * The link region of `active`: no socket (`authenticated`), `connecting` (probe, open, wait,
 * suspended) and `connected` with liveness checks (SES-20..33).
 */
import { assign } from 'xstate';
import { because, eventError, sessionSetup } from './setup.js';
import type { Failure } from './session.types.js';

const LIVENESS_TIMEOUT: Failure = { code: '95014', retryable: true, unauthorized: false };
const OPEN_TIMEOUT: Failure = { code: '95001', retryable: true, unauthorized: false };
const CONNECTION_LOST: Failure = { code: '95013', retryable: true, unauthorized: false };
const WENT_OFFLINE: Failure = { ...CONNECTION_LOST, message: 'Connection lost: the device went offline' };

/** SES-62: the link stops trying: what was queued for its socket is dropped. */
const dropQueue = { type: 'dropQueuedFrames' as const, params: '95007' as const };

/** SES-24: `user.disconnect` while connecting or connected. */
const disconnect = {
  target: '#session.active.link.idle',
  actions: ['abandonConnect' as const, 'resetBackoff' as const, dropQueue, because('user_disconnect')],
};

/**
 * After a failed attempt: give up when the budget is spent (SES-25), go `suspended` once the
 * outage outlasts `connectionStateTtlMs` (SES-23), else wait with backoff (SES-21).
 */
const retryLater = [
  {
    guard: 'budgetExhausted' as const,
    target: '#session.active.link.idle',
    actions: ['giveUp' as const, dropQueue, because('retry_budget_exhausted')],
  },
  {
    guard: 'pastConnectionStateTtl' as const,
    target: '#session.active.link.connecting.suspended',
    actions: { type: 'scheduleRetry' as const, params: 'suspended' as const },
  },
  {
    target: '#session.active.link.connecting.waiting',
    actions: 'scheduleRetry' as const,
  },
];

/** A refused credential at connect (SES-22): one refresh, then `loggedOut` if refused again. */
const refusedCredential = [
  {
    guard: 'authRefreshUsed' as const,
    target: '#session.loggedOut',
    actions: [{ type: 'clearStoredSession' as const, params: 'ifMine' as const }, 'dropCredentials' as const, because('refresh_token_expired')],
  },
  {
    target: '#session.active.link.connecting.awaitingToken',
    actions: ['markAuthRefreshUsed' as const, 'requestRefresh' as const],
  },
];

/**
 * SES-26: the environment says the network is back: retry now, from the first backoff step. For
 * `waiting` and `suspended` only: `probing` is their sibling.
 */
const retryNow = {
  'env.online': { target: 'probing', actions: ['markOnline' as const, 'resetBackoff' as const, because('online')] },
  'env.visible': { target: 'probing', actions: ['resetBackoff' as const, because('visible')] },
  'env.wake': { target: 'probing', actions: ['resetBackoff' as const, because('wake')] },
};

/** The scheduled retry of `waiting` and `suspended` (SES-21, SES-23). */
const retryWhenDue = { retryDelay: { target: 'probing', actions: because('retry') } };

export const link = sessionSetup.createStateConfig({
  initial: 'idle',
  states: {
    idle: {
      always: { guard: 'wantsConnection', target: 'connecting' },
      on: {
        'user.connect': { target: 'connecting', actions: [assign({ wantConnected: true }), because('user_connect')] },
      },
    },
    connecting: {
      tags: ['socketComing'],
      initial: 'probing',
      on: {
        'user.disconnect': disconnect,
      },
      states: {
        // The probe (reference E3) is the only way a browser learns why a socket would be refused.
        probing: {
          entry: assign({ retryIn: null }),
          // SES-8: a probe of a token a refresh just replaced could only be refused: ask again.
          on: { 'internal.tokensRefreshed': { target: 'probing', reenter: true } },
          invoke: {
            id: 'probeToken',
            src: 'probeToken',
            input: ({ context }) => ({ accessToken: context.credentials?.accessToken ?? '' }),
            onDone: '#session.active.link.socket',
            onError: [
              {
                guard: { type: 'unauthorized', params: eventError },
                actions: [{ type: 'recordFailure', params: eventError }, because('access_token_expired')],
                target: 'refused',
              },
              {
                actions: [{ type: 'recordFailure', params: eventError }, because('probe_failed')],
                target: 'failed',
              },
            ],
          },
        },
        // Transient decision points: keep the probe's and the socket's failure rules in one place.
        refused: { always: refusedCredential },
        failed: { always: retryLater },
        awaitingToken: {
          on: { 'internal.tokensRefreshed': 'probing' },
        },
        waiting: { after: retryWhenDue, on: retryNow },
        suspended: { after: retryWhenDue, on: retryNow },
      },
    },
    socket: {
      tags: ['socketComing'],
      invoke: {
        id: 'socket',
        src: 'openSocket',
        input: ({ context }) => ({ accessToken: context.credentials?.accessToken ?? '' }),
      },
      initial: 'opening',
      on: {
        'user.disconnect': disconnect,
        'socket.closed': [
          {
            guard: 'refusedByServer',
            actions: [assign(({ event }) => ({ lastFailure: event.failure ?? null })), because('socket_refused')],
            target: '.refused',
          },
          {
            actions: [assign(({ event }) => ({ lastFailure: event.failure ?? CONNECTION_LOST })), because('socket_closed')],
            target: '.failed',
          },
        ],
      },
      states: {
        opening: {
          entry: 'startWatchdog',
          on: {
            'socket.opened': {
              target: 'open',
              actions: [
                assign(({ event }) => ({ canPing: event.canPing, authRefreshUsed: false, lastFailure: null })),
                'resetBackoff',
                because('socket_opened'),
              ],
            },
          },
          after: {
            // SES-28; a timer that fired long after it was due measured a frozen process, not the server.
            openTimeout: [
              { guard: { type: 'firedLate', params: ({ context }) => context.settings.openTimeoutMs }, target: 'opening', reenter: true },
              { target: 'failed', actions: [assign({ lastFailure: OPEN_TIMEOUT }), because('open_timeout')] },
            ],
          },
        },
        open: {
          tags: ['canSend'],
          initial: 'healthy',
          states: {
            // SES-30: ping on a fixed cadence where the platform allows (Node's ws).
            healthy: {
              after: { pingInterval: { guard: 'canPing', target: 'checking' } },
            },
            checking: {
              entry: ['startWatchdog', 'pingSocket'],
              on: {
                'socket.pong': 'healthy',
                // A check under way already settles the doubt: starting it over would let a flapping
                // environment postpone the dead verdict forever (SES-31). Only a wake starts over (SES-32).
                'env.visible': {},
                'env.online': { actions: 'markOnline' },
                'env.offline': { actions: 'markOffline' },
              },
              after: {
                pongTimeout: [
                  // SES-33: a throttled or frozen tab saw no pong because it was not running: ping again.
                  { guard: { type: 'firedLate', params: ({ context }) => context.settings.pongTimeoutMs }, target: 'checking', reenter: true },
                  // SES-31
                  {
                    target: '#session.active.link.socket.failed',
                    actions: [assign({ lastFailure: LIVENESS_TIMEOUT }), because('liveness_timeout')],
                  },
                ],
              },
            },
          },
          on: {
            // SES-32: after sleep, check rather than trust a socket that may be half-open.
            'env.wake': [{ guard: 'canPing', target: '.checking' }, { target: '#session.active.link.connecting.probing', actions: because('wake') }],
            // SES-33: back in view or on the network: a ping costs nothing and settles any doubt.
            // Where the platform cannot ping, the socket's own close event is trusted instead.
            'env.visible': { guard: 'canPing', target: '.checking' },
            'env.online': { guard: 'canPing', target: '.checking', actions: 'markOnline' },
            // SES-34: offline, a socket that can ping is checked; one that cannot (browsers) may stay
            // "open" for minutes without a byte getting through, so it is dropped and the link waits
            // for `env.online` (or the suspended retry) instead.
            'env.offline': [
              { guard: 'canPing', target: '.checking', actions: 'markOffline' },
              {
                target: '#session.active.link.socket.failed',
                actions: ['markOffline', assign({ lastFailure: WENT_OFFLINE }), because('offline')],
              },
            ],
          },
        },
        refused: { always: refusedCredential },
        failed: { always: retryLater },
      },
    },
  },
});
