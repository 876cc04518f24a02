/**
 * The machine's vocabulary: context, inert placeholder actors, named effects, guards and delays.
 * `src/actors/registry.ts` provides the real actors and effects with `.provide()`; tests provide fakes.
 */
import { assign, fromCallback, fromPromise, raise, sendTo, setup } from 'xstate';
import { backoffDelay, reconnectDelay } from './backoff.js';
import { credentialsFromGrant } from './credentials.js';
import { toFailure } from './failure.js';
import { timerDelay } from './timers.js';
import { usableTicket } from './ticket.js';
import type {
  Credentials,
  Failure,
  LoadResult,
  MachineSettings,
  SessionEvent,
  SessionInput,
  StoredState,
  TapTalkUser,
  TokenGrant,
  TransitionReason,
} from './session.types.js';

/** Everything the machine remembers. Tokens live here and nowhere else in the engine. */
export interface SessionContext {
  settings: MachineSettings;
  now: () => number;
  random: () => number;
  /** SES-41: what `preload` handed over, until `boot` adopts it. */
  preloaded: StoredState | null | undefined;
  credentials: Credentials | null;
  user: TapTalkUser | null;
  /** Only while `authenticating`: the ticket being spent. */
  ticket: string | null;
  /** Connect as soon as the ticket exchange succeeds. */
  connectAfterAuth: boolean;
  /** The app wants a socket: reconnects happen only while this holds (SES-24). */
  wantConnected: boolean;
  /** Failed connection attempts since the last `connected`. */
  attempts: number;
  /** Session-clock time of the first failure of the current outage (for `suspended`). */
  failingSince: number | null;
  /** Delay of the retry now scheduled, if any. */
  retryIn: number | null;
  refreshAttempts: number;
  refreshRetryIn: number;
  /** A refused credential at connect has already used its one refresh (SES-22). */
  authRefreshUsed: boolean;
  online: boolean;
  canPing: boolean;
  /**
   * Session-clock time at which the current open or pong wait began. A timeout that fires far later
   * than asked (a throttled tab, a frozen process) is measured against it (SES-28, SES-33).
   */
  watchdogSince: number | null;
  lastFailure: Failure | null;
  /**
   * Why the link last stopped trying without the socket a connect asked for: the retry budget
   * (`95008`, SES-25) or `user.disconnect` (`95017`). A `connect()` still waiting fails with it.
   */
  linkEnd: Failure | null;
  reason: TransitionReason | null;
  /** Bumped by every `because`, so an observer can tell a new reason from a repeated one. */
  reasonSeq: number;
  /** The access token the best-effort server logout will revoke; cleared once it has run. */
  revokeToken: string | null;
  /** Siblings are followed and refreshes coordinated with them (SES-80). */
  coordinated: boolean;
  /**
   * The newest stored-session version this session has held or written. Kept after a logout, so a
   * late read of its own old session is never taken for a sibling's login (SES-86).
   */
  version: number;
  /**
   * Which login this is: bumped each time `active` is left, so a refresh keeps the login and a new
   * ticket (or a logout) starts another. A client API call never outlives its login (SES-9).
   */
  login: number;
}

const inert = () => new Promise<never>(() => {});

/**
 * SES-86: what the storage holds was written by a sibling after this session's own last write: it
 * holds other tokens, at a version no older. (Reads are queued behind this session's writes, so
 * what they return is the storage as it is; equal versions are siblings writing in one millisecond.)
 */
function siblingWrote(context: SessionContext, stored: StoredState | null): boolean {
  return !!stored && (stored.version ?? 0) >= context.version && stored.credentials.refreshToken !== context.credentials?.refreshToken;
}

/** The error an `onError` event carries, as dynamic params (TypeScript cannot infer that event in arrays). */
export const eventError = ({ event }: { event: { error?: unknown } }): unknown => event.error;

/** The `because` action with its reason, as the state configs list it (SES-2). */
export const because = (reason: TransitionReason) => ({ type: 'because', params: reason }) as const;

const BUDGET_EXHAUSTED: Failure = { code: '95008', retryable: true, unauthorized: false };
const CONNECT_ABANDONED: Failure = { code: '95017', retryable: true, unauthorized: false, message: 'Connect abandoned: disconnect() was called' };

/**
 * The machine's vocabulary for xstate's `setup()`: everything by name, typed against the context and
 * events. `src/` and tests swap the placeholders with `.provide()`.
 */
export const sessionSetup = setup({
  // Types only: at run time an empty object.
  types: {} as { context: SessionContext; events: SessionEvent; input: SessionInput },
  actors: {
    loadSession: fromPromise<LoadResult>(inert),
    exchangeTicket: fromPromise<TokenGrant, { ticket: string; version: number }>(inert),
    refreshTokens: fromPromise<TokenGrant, { refreshToken: string; version: number }>(inert),
    /** SES-82, SES-84: what the storage holds now, read after every write of this session. */
    readStoredSession: fromPromise<StoredState | null>(inert),
    /** SES-81: holds the siblings' refresh lock while its state lasts; sends `storage.locked`. */
    holdRefreshLock: fromCallback<SessionEvent>(() => {}),
    /** SES-83: sends `storage.changed` when a sibling may have changed the stored session. */
    watchSiblings: fromCallback<SessionEvent>(() => {}),
    probeToken: fromPromise<void, { accessToken: string }>(inert),
    openSocket: fromCallback<{ type: 'ping' }, { accessToken: string }>(() => {}),
    revokeSession: fromPromise<void, { accessToken: string }>(inert),
  },
  actions: {
    /**
     * Removes the stored session (serialized after any write already under way). Provided by src.
     * With `'ifMine'`, only while it still holds this session's tokens: a failure of this session
     * never clears what a sibling stored (SES-85).
     */
    clearStoredSession: (_, _scope?: 'ifMine') => {},
    /**
     * Rejects every frame queued for a socket that is no longer coming (SES-62): `95006` once the
     * session has ended, `95007` when the link gave up or was closed. Provided by src.
     */
    dropQueuedFrames: (_, _code: '95006' | '95007') => {},
    /** SES-2: every change says why. */
    because: assign(({ context }, reason: TransitionReason) => ({ reason, reasonSeq: context.reasonSeq + 1 })),
    dropCredentials: assign({ credentials: null, user: null, ticket: null, wantConnected: false }),
    adoptGrant: assign(({ context }, grant: TokenGrant) => ({
      credentials: credentialsFromGrant(grant, grant.receivedAt ?? context.now(), context.settings),
      user: grant.user,
      version: Math.max(context.version, grant.version ?? 0),
      refreshAttempts: 0,
    })),
    /** SES-82..84: takes over the session a sibling stored, without a request. */
    adoptStored: assign(({ context }, stored: StoredState) => ({
      credentials: stored.credentials,
      user: stored.user,
      version: Math.max(context.version, stored.version ?? 0),
      refreshAttempts: 0,
    })),
    /** SES-84: out because a sibling logged out; the wish for a socket is kept for a later login (SES-87). */
    leaveWithSibling: assign(({ context }) => ({ connectAfterAuth: context.wantConnected, revokeToken: null })),
    /** SES-84: out because a sibling signed in as someone else; this session's server side is revoked. */
    leaveForOtherUser: assign(({ context }) => ({ connectAfterAuth: false, revokeToken: context.credentials?.accessToken ?? null })),
    /** SES-87: back in with a sibling's login, connecting if the app wanted a socket. */
    joinSibling: assign(({ context }) => ({ wantConnected: context.connectAfterAuth, connectAfterAuth: false, lastFailure: null, revokeToken: null })),
    /** SES-8, SES-82: tells the link that the tokens changed. */
    announceTokens: raise({ type: 'internal.tokensRefreshed' }),
    recordFailure: assign((_, error: unknown) => ({ lastFailure: toFailure(error) })),
    /**
     * Schedules the next reconnect and remembers when the outage began (SES-20, SES-21, SES-27):
     * with backoff, or every `suspendedRetryMs` while offline or `suspended` (SES-23).
     * A failure that is not a refusal also ends the one-refresh count of SES-22: the refreshed
     * token has not been refused, so a later refusal is a new expiry, not the same one.
     */
    scheduleRetry: assign(({ context }, suspended?: 'suspended') => ({
      failingSince: context.failingSince ?? context.now(),
      retryIn: context.online && !suspended
        ? reconnectDelay(context.attempts, context.random(), context.settings)
        : context.settings.suspendedRetryMs,
      attempts: context.attempts + 1,
      authRefreshUsed: false,
    })),
    /** SES-27: `env.online` is recorded by whichever state handles it (a nested handler hides the root's). */
    markOnline: assign({ online: true }),
    /** SES-34: like `markOnline`, for the states that handle `env.offline` themselves. */
    markOffline: assign({ online: false }),
    /** Starts the open or pong wait that `firedLate` measures (SES-28, SES-33). */
    startWatchdog: assign(({ context }) => ({ watchdogSince: context.now() })),
    resetBackoff: assign({ attempts: 0, failingSince: null, retryIn: null }),
    /** SES-25: the retry budget is spent; stop wanting a socket and say why. */
    giveUp: assign({
      wantConnected: false,
      lastFailure: BUDGET_EXHAUSTED,
      linkEnd: BUDGET_EXHAUSTED,
      attempts: 0,
      failingSince: null,
      retryIn: null,
      authRefreshUsed: false,
    }),
    /** SES-24: the app no longer wants a socket; a connect still waiting ends with `95017`. */
    abandonConnect: assign({ wantConnected: false, connectAfterAuth: false, authRefreshUsed: false, linkEnd: CONNECT_ABANDONED }),
    /** SES-22: the one refresh a refused credential gets at connect. */
    markAuthRefreshUsed: assign({ authRefreshUsed: true }),
    requestRefresh: raise({ type: 'internal.refreshNeeded' }),
    /**
     * SES-30: asks the socket actor for a protocol ping. `checking` lives inside the state that
     * invokes the socket, so the child is always there.
     */
    pingSocket: sendTo('socket', { type: 'ping' }),
    scheduleRefreshRetry: assign(({ context }) => ({
      refreshRetryIn: context.lastFailure?.retryable
        ? backoffDelay(context.refreshAttempts, context.random(), context.settings.backoffBaseMs, context.settings.backoffCapMs)
        : context.settings.suspendedRetryMs,
      refreshAttempts: context.refreshAttempts + 1,
    })),
  },
  guards: {
    hasTicket: (_, ticket: string) => usableTicket(ticket),
    sameTicket: ({ context }, ticket: string) => context.ticket === ticket,
    unauthorized: (_, error: unknown) => toFailure(error).unauthorized,
    wantsConnection: ({ context }) => context.wantConnected,
    canPing: ({ context }) => context.canPing,
    authRefreshUsed: ({ context }) => context.authRefreshUsed,
    coordinated: ({ context }) => context.coordinated,
    /** SES-84: the storage holds no session any more: a sibling logged out. */
    storedRemoved: (_, stored: StoredState | null) => stored === null,
    /** SES-82..84: a sibling stored a session of the same user that is not this one's. */
    storedNewer: ({ context }, stored: StoredState | null) => siblingWrote(context, stored) && stored!.user.userID === context.user?.userID,
    /** SES-84: a sibling signed in as someone else. */
    storedOtherUser: ({ context }, stored: StoredState | null) => siblingWrote(context, stored) && stored!.user.userID !== context.user?.userID,
    /** SES-85: the storage still holds this session's own refresh token. */
    storedUnchanged: ({ context }, stored: StoredState | null) =>
      !!stored && stored.credentials.refreshToken === context.credentials?.refreshToken,
    /**
     * SES-87: the storage holds a session newer than any this session has had. Strictly newer: a
     * late read of this session's own, just logged out, has its version and must not bring it back.
     */
    storedSignedIn: ({ context }, stored: StoredState | null) => !!stored && (stored.version ?? 0) > context.version,
    /** Nothing for the server logout to revoke (no session, or it already ran). */
    nothingToRevoke: ({ context }) => context.revokeToken === null,
    /** SES-41: a session was read from synchronous storage before the machine started. */
    hasPreloadedSession: ({ context }) => !!context.preloaded,
    /** SES-41: synchronous storage answered, and holds no session. */
    preloadedNothing: ({ context }) => context.preloaded === null,
    /** The server refused the socket's credential (an upgrade answered 401). */
    refusedByServer: ({ event }) => event.type === 'socket.closed' && event.failure?.unauthorized === true,
    refreshOverdue: ({ context }) => context.credentials !== null && context.now() >= context.credentials.refreshAt,
    /**
     * The refresh was due before the end of a sleep of `sleptMs`. The session clock is monotonic
     * and may have stopped while the device slept, so the sleep's length is added (SES-4): at
     * worst a refresh comes early after a long sleep.
     */
    refreshDueAfterSleep: ({ context }, sleptMs: number) =>
      context.credentials !== null && context.now() + sleptMs >= context.credentials.refreshAt,
    budgetExhausted: ({ context }) => context.attempts >= context.settings.maxReconnectAttempts,
    /**
     * The timeout of a `ms`-long wait fired at least `ms` after it was due: the process was not
     * running (throttled tab, sleep), so the silence proves nothing (SES-28, SES-33).
     */
    firedLate: ({ context }, ms: number) =>
      context.watchdogSince !== null && context.now() - context.watchdogSince >= 2 * ms,
    pastConnectionStateTtl: ({ context }) =>
      context.failingSince !== null && context.now() - context.failingSince >= context.settings.connectionStateTtlMs,
  },
  delays: {
    // Clamped: a longer timer would fire at once; `fresh` re-arms it until the refresh is due (SES-3).
    refreshDue: ({ context }) => timerDelay((context.credentials?.refreshAt ?? 0) - context.now()),
    retryDelay: ({ context }) => context.retryIn ?? 0,
    refreshRetryDelay: ({ context }) => context.refreshRetryIn,
    pingInterval: ({ context }) => context.settings.pingIntervalMs,
    pongTimeout: ({ context }) => context.settings.pongTimeoutMs,
    openTimeout: ({ context }) => context.settings.openTimeoutMs,
    logoutDeadline: ({ context }) => context.settings.logoutTimeoutMs,
    siblingGrace: ({ context }) => context.settings.siblingLockTimeoutMs,
  },
});
