/** The token region of `active`: proactive, reactive and single-flight refresh (SES-3..8, SES-80..85). */
import { assign, raise } from 'xstate';
import { because, eventError, sessionSetup } from './setup.js';
import { followSibling } from './siblings.js';

/** SES-6, SES-85: the newest stored refresh token was refused: the session ends, once. */
const refused = {
  target: '#session.loggedOut',
  actions: [
    { type: 'clearStoredSession' as const, params: 'ifMine' as const },
    'dropCredentials' as const,
    because('refresh_token_expired'),
  ],
};

export const token = sessionSetup.createStateConfig({
  initial: 'fresh',
  on: {
    // SES-83: a sibling rotated, logged out or signed in as another user.
    'storage.changed': followSibling(({ event }) => event.stored),
  },
  states: {
    fresh: {
      // SES-3: proactive refresh on the session clock. The timer is clamped to what platforms
      // support, so when it fires early the state re-arms it instead of refreshing.
      after: {
        refreshDue: [{ guard: 'refreshOverdue', target: 'refreshing' }, { target: 'fresh', reenter: true }],
      },
      on: {
        // SES-4: any trigger, from HTTP or socket, leads here; being one state, it is one request (SES-5).
        'internal.refreshNeeded': 'refreshing',
        'server.tokenExpired': 'refreshing',
        'user.refresh': 'refreshing',
        // After sleep the timer may not have fired: check the clock itself.
        'env.wake': { guard: { type: 'refreshDueAfterSleep', params: ({ event }) => event.sleptMs }, target: 'refreshing' },
        'env.visible': { guard: 'refreshOverdue', target: 'refreshing' },
      },
    },
    refreshing: {
      // SES-81: the siblings' lock is held by this actor while the refresh is decided, and released
      // as the state is left, in the machine's step, before any app callback runs.
      invoke: { id: 'holdRefreshLock', src: 'holdRefreshLock' },
      initial: 'starting',
      states: {
        // SES-80: alone (coordination off), a refresh is just the request.
        starting: { always: [{ guard: 'coordinated', target: 'locking' }, { target: 'requesting' }] },
        locking: { on: { 'storage.locked': 'rereading' } },
        // SES-82: a sibling may have rotated already: then its tokens are adopted, no request.
        rereading: {
          invoke: {
            id: 'readStoredSession',
            src: 'readStoredSession',
            onDone: [...followSibling(({ event }) => event.output), { target: 'requesting' }],
            onError: 'requesting',
          },
        },
        requesting: {
          invoke: {
            id: 'refreshTokens',
            src: 'refreshTokens',
            input: ({ context }) => ({ refreshToken: context.credentials?.refreshToken ?? '', version: context.version }),
            onDone: [
              // SES-86: a sibling changed the storage meanwhile; what it holds decides.
              { guard: ({ event }) => event.output.superseded === true, target: 'verifying' },
              {
                target: '#session.active.token.fresh',
                actions: [
                  { type: 'adoptGrant', params: ({ event }) => event.output },
                  because('token_refreshed'),
                  raise({ type: 'internal.tokensRefreshed' }),
                ],
              },
            ],
            onError: [
              // SES-85: a refusal is checked against the storage first, where siblings may have written.
              {
                guard: { type: 'unauthorized', params: eventError },
                target: 'refused',
                actions: { type: 'recordFailure', params: eventError },
              },
              // SES-7: anything else is retried with backoff and never logs the user out.
              {
                target: '#session.active.token.backingOff',
                actions: [{ type: 'recordFailure', params: eventError }, 'scheduleRefreshRetry'],
              },
            ],
          },
        },
        // Transient: alone, a refusal ends the session (SES-6); with siblings, the storage decides.
        refused: { always: [{ guard: 'coordinated', target: 'verifying' }, refused] },
        // SES-85: only a refusal of the newest stored refresh token ends the session.
        verifying: {
          invoke: {
            id: 'readStoredSession',
            src: 'readStoredSession',
            onDone: [
              ...followSibling(({ event }) => event.output),
              // A sibling whose refresh is still on its way has not stored it yet (SES-85).
              { guard: { type: 'storedUnchanged', params: ({ event }) => event.output }, target: 'confirming' },
              refused,
            ],
            onError: refused,
          },
        },
        // SES-85: the storage still holds the refused token: a sibling's rotation would arrive as
        // `storage.changed` (adopted above) within the grace; after it, the refusal stands.
        confirming: { after: { siblingGrace: refused } },
      },
    },
    backingOff: {
      tags: ['refreshFailing'],
      after: { refreshRetryDelay: 'refreshing' },
      on: {
        'env.online': { target: 'refreshing', actions: 'markOnline' },
        'env.visible': 'refreshing',
        'env.wake': 'refreshing',
        'user.refresh': 'refreshing',
        'server.tokenExpired': {},
        'internal.refreshNeeded': {},
      },
    },
  },
  exit: assign({ refreshAttempts: 0 }),
});
