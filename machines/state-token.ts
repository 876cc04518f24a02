/** The token region of `active`: proactive, reactive and single-flight refresh (SES-3..8). */
import { assign, raise } from 'xstate';
import { because, eventError, sessionSetup } from './setup.js';

export const token = sessionSetup.createStateConfig({
  initial: 'fresh',
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
      invoke: {
        id: 'refreshTokens',
        src: 'refreshTokens',
        input: ({ context }) => ({ refreshToken: context.credentials?.refreshToken ?? '' }),
        onDone: {
          target: 'fresh',
          actions: [
            { type: 'adoptGrant', params: ({ event }) => event.output },
            because('token_refreshed'),
            raise({ type: 'internal.tokensRefreshed' }),
          ],
        },
        onError: [
          // SES-6: a refused refresh token ends the session, once.
          {
            guard: { type: 'unauthorized', params: eventError },
            target: '#session.loggedOut',
            actions: [
              { type: 'recordFailure', params: eventError },
              'clearStoredSession',
              'dropCredentials',
              because('refresh_token_expired'),
            ],
          },
          // SES-7: anything else is retried with backoff and never logs the user out.
          {
            target: 'backingOff',
            actions: [{ type: 'recordFailure', params: eventError }, 'scheduleRefreshRetry'],
          },
        ],
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
