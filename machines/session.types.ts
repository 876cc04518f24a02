/**
 * Types of the session statechart: its context, its events and its public state names.
 * Pure data: nothing here touches I/O. `src/` imports these; `machines/` imports nothing from `src/`.
 */

/** The six states an app can observe. Substates (probing, waiting, suspended, ...) live inside. */
export type PublicState =
  | 'unauthenticated'
  | 'authenticating'
  | 'authenticated'
  | 'connecting'
  | 'connected'
  | 'loggedOut';

/** Every public state, in lifecycle order. */
export const PUBLIC_STATES: readonly PublicState[] = [
  'unauthenticated',
  'authenticating',
  'authenticated',
  'connecting',
  'connected',
  'loggedOut',
];

/** The active user as the server returns it (`data.user` of the token calls). */
export interface TapTalkUser {
  userID: string;
  xcUserID?: string;
  fullname?: string;
  [field: string]: unknown;
}

/**
 * What the ticket exchange and the refresh call return, as on the wire (`accessTokenExpiry` and
 * `refreshTokenExpiry` are epoch milliseconds of the server's clock), plus the server's clock at
 * the time of the answer when the response carried a `Date` header.
 */
export interface TokenGrant {
  accessToken: string;
  accessTokenExpiry: number;
  refreshToken: string;
  refreshTokenExpiry: number;
  user: TapTalkUser;
  /** Server time (epoch ms) read from the `Date` header, if any. */
  serverTime?: number;
  /** Session-clock time at which the answer arrived (set by the actor that received it). */
  receivedAt?: number;
  /** Version of the stored session this grant was saved as (SES-86). */
  version?: number;
  /**
   * The grant was not stored because the storage no longer held the session it replaces: a
   * sibling changed it meanwhile (SES-86). The machine re-reads the storage instead of using it.
   */
  superseded?: boolean;
}

/** A session as the storage holds it, read again to follow a sibling (SES-80..89). */
export interface StoredState {
  credentials: Credentials;
  user: TapTalkUser;
  /** Never goes back while siblings write (SES-86); absent where no sibling can write. */
  version?: number;
}

/**
 * Tokens as the machine keeps them. Expiries are converted to the session clock once, when the
 * grant arrives (`skewMs` = server clock − local clock), so a wrong device clock does not move the
 * refresh (SES-3).
 */
export interface Credentials {
  accessToken: string;
  refreshToken: string;
  /** The server's own expiry values, kept for storage and for checksums (reference E7). */
  accessTokenExpiry: number;
  refreshTokenExpiry: number;
  /** Server clock minus local clock at the time the grant arrived (0 without a `Date` header). */
  skewMs: number;
  /** Session-clock instant at which the proactive refresh is due. */
  refreshAt: number;
}

/** A failure as the machine sees it: just enough to decide; the full error travels beside it. */
export interface Failure {
  code: string;
  /** Retryable transport or server trouble (network, 5xx, timeout). */
  retryable: boolean;
  /** The presented token or ticket was refused (`401xx`). */
  unauthorized: boolean;
  message?: string;
  /** The original error object (a `TapTalkError` in `src/`), passed through untouched. */
  error?: unknown;
}

/** Why the session changed state; carried by the transition values the app observes. */
export type TransitionReason =
  | 'restored'
  | 'no_stored_session'
  | 'stored_session_unreadable'
  | 'user_authenticate'
  | 'ticket_exchanged'
  | 'ticket_rejected'
  | 'ticket_exchange_failed'
  | 'reauthenticate'
  | 'user_connect'
  | 'user_disconnect'
  | 'user_logout'
  | 'socket_opened'
  | 'socket_closed'
  | 'socket_refused'
  | 'liveness_timeout'
  | 'open_timeout'
  | 'probe_failed'
  | 'token_refreshed'
  | 'access_token_expired'
  | 'refresh_token_expired'
  | 'retry'
  | 'retry_budget_exhausted'
  | 'online'
  | 'offline'
  | 'visible'
  | 'wake'
  | 'sibling_refreshed'
  | 'logged_out_elsewhere'
  | 'signed_in_elsewhere'
  | 'replaced_elsewhere';

/** Tunable timings and limits; `src/options.ts` resolves the defaults. All durations in ms. */
export interface MachineSettings {
  /** Refresh this long before the access token expires (never earlier than half its lifetime). */
  refreshMarginMs: number;
  /** The earliest a proactive refresh may run after a grant, to bound refresh rates. */
  minRefreshDelayMs: number;
  /** Backoff base and cap for reconnects and transient refresh failures (full jitter). */
  backoffBaseMs: number;
  backoffCapMs: number;
  /** First retry after an established connection drops. */
  firstRetryMaxMs: number;
  /** After failing this long, `connecting` becomes `suspended` and retries on `suspendedRetryMs`. */
  connectionStateTtlMs: number;
  suspendedRetryMs: number;
  /** Give up reconnecting after this many failed attempts (Infinity = never). */
  maxReconnectAttempts: number;
  /** Liveness: ping every `pingIntervalMs`, declare the socket dead after `pongTimeoutMs`. */
  pingIntervalMs: number;
  pongTimeoutMs: number;
  /** A socket that has not opened after this long counts as failed. */
  openTimeoutMs: number;
  /** The server logout call is abandoned after this long; local data is already gone (SES-52). */
  logoutTimeoutMs: number;
  /** The longest wait for the siblings' refresh lock; then the refresh goes ahead without it (SES-81). */
  siblingLockTimeoutMs: number;
}

/** Input of the machine: settings plus the injected clock and random source. */
export interface SessionInput {
  settings: MachineSettings;
  /** Session clock (ms). The same clock drives the actor's timers. */
  now: () => number;
  /** Uniform random in [0, 1), for backoff jitter. */
  random: () => number;
  /**
   * Hands over, once, a session already read from synchronous storage (localStorage, memory): lets
   * the machine start in its right state without an indeterminate first tick. `undefined` means
   * "read it with the `loadSession` actor". A function, not the value: the actor keeps its input for
   * its whole life, and the restored tokens must live in the context only, gone once rotated.
   */
  preload?: () => StoredState | null | undefined;
  /**
   * Siblings (other tabs or processes on the same storage) are followed and refreshes coordinated
   * with them (SES-80..89). Off: the session behaves as if it were alone.
   */
  coordinated?: boolean;
}

/** The outcome of the `loadSession` actor. */
export type LoadResult =
  | ({ kind: 'found' } & StoredState)
  | { kind: 'none' }
  | { kind: 'unreadable'; failure: Failure };

/** What the runtime reports about its environment (`online`, `offline`, `visible`, `hidden`, `wake`). */
export type EnvironmentEvent =
  | { type: 'env.online' }
  | { type: 'env.offline' }
  | { type: 'env.visible' }
  | { type: 'env.hidden' }
  | { type: 'env.wake'; sleptMs: number };

/** Events the machine accepts, named by their source. */
export type SessionEvent =
  | { type: 'user.authenticate'; ticket: string; connect: boolean }
  | { type: 'user.connect' }
  | { type: 'user.disconnect' }
  | { type: 'user.logout' }
  | { type: 'user.refresh' }
  | { type: 'socket.opened'; canPing: boolean }
  | { type: 'socket.closed'; code: number; reason: string; failure?: Failure }
  | { type: 'socket.pong' }
  | { type: 'server.tokenExpired' }
  | EnvironmentEvent
  /** A sibling may have changed the stored session: what the storage holds now (SES-83). */
  | { type: 'storage.changed'; stored: StoredState | null }
  /** The siblings' refresh lock is held, or could not be had in time (SES-81). */
  | { type: 'storage.locked' }
  /** Raised internally between the token and link regions. */
  | { type: 'internal.tokensRefreshed' }
  | { type: 'internal.refreshNeeded' };
