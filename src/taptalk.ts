/**
 * The callback API of TapTalk's JavaScript SDK (`taptalksdk-web`), same names and argument order,
 * as a thin adapter over a {@link Session}: calls become session calls, stream values become
 * callbacks. Callbacks run on a microtask after the transition; one that throws is logged and
 * changes nothing (architecture §8).
 */
import type { Subscription } from 'rxjs';
import type { TapTalkUser } from '../machines/session.types.js';
import { asTapTalkError, TapTalkError } from './errors.js';
import type { ProjectConfigs } from './protocol/validate.js';
import { createSession } from './session/create-session.js';
import { guardedLogger } from './session/logger.js';
import type { Logger, SessionOptions } from './options.js';
import type { TapTalkEvents } from './events.js';
import type { Session } from './session/types.js';

/** `{ onSuccess, onError }` as TapTalk's SDK takes it. Error codes are TapTalk's strings. */
export interface TapCallback {
  onSuccess?(message: string): void;
  onError?(errorCode: string, errorMessage: string): void;
}

/** `connect`'s callback: `onClose` fires whenever an established connection closes. */
export interface TapConnectCallback extends TapCallback {
  onClose?(message: string): void;
}

/** Either callback style TapTalk's SDK used: an object, or a function called with `(errorCode?, errorMessage?)`. */
export type TapResultCallback = TapCallback | ((errorCode?: string, errorMessage?: string) => void);

/** Session-wide events (`addTapListener`). */
export interface TapListener {
  /** The refresh token was refused: the user must authenticate again. Fires once per expiry. */
  onTapTalkRefreshTokenExpired?(): void;
}

/** Connection events (`addConnectionListener`); new API, named after TapTalk's states. */
export interface TapConnectionListener {
  onConnecting?(): void;
  onConnected?(): void;
  onDisconnected?(): void;
  onConnectionError?(errorCode: string, errorMessage: string): void;
}

/** Options of `init` beyond TapTalk's three arguments: everything `createSession` takes. */
export type TapTalkInitOptions = Omit<SessionOptions, 'appID' | 'appSecret' | 'baseUrl'>;

/**
 * A TapTalk-compatible client. `taptalk` is one; `createTapTalk()` makes more. `Events` types its
 * session's server events (TapTalk's catalogue by default).
 */
export interface TapTalk<Events extends object = TapTalkEvents> {
  /** Creates the session. Throws `95011` for invalid arguments (a programmer error). */
  init(appID: string, appSecret: string, baseUrl: string, options?: TapTalkInitOptions): void;
  authenticateWithAuthTicket(authTicket: string, connectOnSuccess: boolean, callback?: TapCallback): void;
  isAuthenticated(): boolean;
  logoutAndClearAllTapTalkData(callback?: TapCallback): void;
  connect(callback?: TapConnectCallback): void;
  disconnect(): void;
  isConnected(): boolean;
  refreshAccessToken(callback?: TapResultCallback): void;
  getTaptalkActiveUser(): TapTalkUser | null;
  /** This installation's `Device-Identifier` (`''` before `init` or until storage answered). */
  getDeviceID(): string;
  /** The last fetched project configs, or `null`. */
  getProjectConfigs(): ProjectConfigs | null;
  refreshProjectConfigs(callback?: TapResultCallback): void;
  addTapListener(listener: TapListener): () => void;
  addConnectionListener(listener: TapConnectionListener): () => void;
  /** The underlying session. Throws `90000` before `init`. */
  readonly session: Session<Events>;
}

/** What the facade's listeners hang on: the app's listener sets, `connect`'s `onClose`, a guarded caller. */
interface Listeners {
  tap: Set<TapListener>;
  connection: Set<TapConnectionListener>;
  onClose(): ((message: string) => void) | undefined;
  safely<A extends unknown[]>(fn: ((...args: A) => void) | undefined, ...args: A): void;
}

/** Turns a session's transitions and errors into the app's TapTalk callbacks. */
function wireListeners(s: Session<any>, { tap, connection, onClose, safely }: Listeners): Subscription {
  const each = <L>(set: Set<L>, pick: (l: L) => (() => void) | undefined) => set.forEach((l) => safely(pick(l)?.bind(l)));
  const sub = s.transitions$.subscribe((t) => {
    if (t.to === t.from) return;
    if (t.to === 'connecting') each(connection, (l) => l.onConnecting);
    if (t.to === 'connected') each(connection, (l) => l.onConnected);
    if (t.from === 'connected') {
      each(connection, (l) => l.onDisconnected);
      safely(onClose(), 'Disconnected from TapTalk.io server');
    }
    if (t.to === 'loggedOut' && t.reason === 'refresh_token_expired') each(tap, (l) => l.onTapTalkRefreshTokenExpired);
  });
  sub.add(
    s.errors$.subscribe((e) => {
      if (s.state !== 'connecting' && e.code !== '95008') return;
      connection.forEach((l) => safely(l.onConnectionError?.bind(l), e.code, e.message));
    }),
  );
  return sub;
}

/**
 * Creates an independent client (its own session, listeners and storage namespace options).
 *
 * @example
 * ```ts
 * import { createTapTalk } from 'taptalk-session';
 * const tap = createTapTalk();
 * tap.init(APP_ID, APP_SECRET, BASE_URL);
 * ```
 */
export function createTapTalk<Events extends object = TapTalkEvents>(): TapTalk<Events> {
  let session: Session<Events> | null = null;
  let logger: Logger = guardedLogger();
  let wiring: Subscription | null = null;
  let configs: ProjectConfigs | null = null;
  let onClose: ((message: string) => void) | undefined;
  const tapListeners = new Set<TapListener>();
  const connectionListeners = new Set<TapConnectionListener>();

  /** Runs app code, if any (a function or `undefined`); what it throws is logged, never rethrown into the engine. */
  const safely = <A extends unknown[]>(fn: ((...args: A) => void) | undefined, ...args: A) => {
    try {
      fn?.(...args);
    } catch (error) {
      logger.error('a TapTalk callback threw; ignored', error);
    }
  };
  /**
   * Runs `work` on the session and replies how it ends through `cb` (`message` on success). Before
   * `init` nothing runs and `cb` gets `90000` (not initialised), like any other failure.
   */
  const reply = (cb: TapResultCallback | undefined, message: string, work: (s: Session<Events>) => Promise<unknown>) => {
    (session ? work(session) : Promise.reject(new TapTalkError('90000'))).then(
      () => (typeof cb === 'function' ? safely(cb) : safely(cb?.onSuccess?.bind(cb), message)),
      (error: unknown) => {
        const e = asTapTalkError(error);
        safely(typeof cb === 'function' ? cb : cb?.onError?.bind(cb), e.code, e.message);
      },
    );
  };

  const tap: TapTalk<Events> = {
    init(appID, appSecret, baseUrl, options = {}) {
      let next: Session<Events>;
      try {
        next = createSession<Events>({ ...options, appID, appSecret, baseUrl });
      } catch (error) {
        // Arguments in another order are the likely mistake: say the order.
        throw new TapTalkError('95011', { message: `${(error as Error).message}; init(appID, appSecret, baseUrl)` });
      }
      wiring?.unsubscribe();
      if (options.logger) logger = guardedLogger(options.logger);
      session?.dispose();
      session = next;
      configs = null;
      wiring = wireListeners(next, { tap: tapListeners, connection: connectionListeners, onClose: () => onClose, safely });
      // As the official SDK does at init; a failure only means getProjectConfigs() stays null. A
      // session replaced by a later init says nothing: its failure is only that it was disposed.
      next.projectConfigs().then(
        (c) => (configs = c),
        (e: TapTalkError) => session === next && logger.warn(`project configs unavailable (${e.code})`),
      );
    },
    authenticateWithAuthTicket(authTicket, connectOnSuccess, callback) {
      reply(callback, 'Request access token success', (s) => s.authenticate(authTicket, { connect: connectOnSuccess === true }));
    },
    isAuthenticated() {
      return !!session && session.actor.getSnapshot().hasTag('hasTokens');
    },
    logoutAndClearAllTapTalkData(callback) {
      reply(callback, 'Logged out successfully', (s) => s.logout());
    },
    connect(callback) {
      reply(callback, 'Successfully connected to TapTalk.io server', (s) => {
        onClose = callback?.onClose?.bind(callback);
        return s.connect();
      });
    },
    disconnect() {
      session?.disconnect();
    },
    isConnected() {
      return session?.state === 'connected';
    },
    refreshAccessToken(callback) {
      reply(callback, 'Access token refreshed', (s) => s.refresh());
    },
    getTaptalkActiveUser() {
      return session?.user ?? null;
    },
    getDeviceID() {
      return session?.deviceID ?? '';
    },
    getProjectConfigs() {
      return configs;
    },
    refreshProjectConfigs(callback) {
      reply(callback, 'Project configs refreshed', (s) =>
        s.projectConfigs({ refresh: true }).then((c) => {
          configs = c;
        }),
      );
    },
    addTapListener(listener) {
      tapListeners.add(listener);
      return () => void tapListeners.delete(listener);
    },
    addConnectionListener(listener) {
      connectionListeners.add(listener);
      return () => void connectionListeners.delete(listener);
    },
    get session() {
      if (!session) throw new TapTalkError('90000');
      return session;
    },
  };
  return tap;
}

/** The default client, as `taptalk` in TapTalk's SDK. */
export const taptalk: TapTalk = createTapTalk();
