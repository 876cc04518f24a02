/**
 * `createSession`: the machine with real effects, started, and exposed as read-only streams and a
 * few promise-returning methods. The machine alone decides the state; this file only translates.
 */
import { Observable } from 'rxjs';
import { createActor, type ActorSystem, type InspectionEvent, type SnapshotFrom } from 'xstate';
import { platform } from '#platform';
import { publicStateOf, substateOf } from '../machines/public-state.js';
import { sessionMachine } from '../machines/session.machine.js';
import type { SessionContext } from '../machines/setup.js';
import type { Failure, PublicState } from '../machines/session.types.js';
import { realActors, createSessionStore, type ActorDeps } from './actors/index.js';
import { loadDeviceID } from './device.js';
import { asTapTalkError, TapTalkError } from './errors.js';
import { check, checkOptions, type Logger, type SessionOptions } from './options.js';
import { createOutbox } from './outbox.js';
import { systemClock } from './platform/types.js';
import { fetchProjectConfigs } from './protocol/endpoints.js';
import { encodeFrame, type ServerEvent } from './protocol/frames.js';
import type { TapTalkEvents } from './events.js';
import type { HttpConfig } from './protocol/http.js';
import { encodeAppKey } from './protocol/identity.js';
import type { ProjectConfigs } from './protocol/validate.js';
import type { Session, SessionTransition } from './session-types.js';
import { storageKeys } from './storage/keys.js';
import { feed } from './streams.js';
import { createWaiters, quiet, type Verdict } from './waiters.js';
import { authorizedRequest } from './authorized-request.js';
import { SDK_VERSION } from './version.js';

type Snapshot = SnapshotFrom<typeof sessionMachine>;

/** What every waiter sees after each step of the machine. */
interface Step {
  prev: PublicState;
  state: PublicState;
  snapshot: Snapshot;
  ctx: SessionContext;
}

/** The states of a login: `authenticated` and the two on the way to a socket. */
export const ACTIVE: readonly PublicState[] = ['authenticated', 'connecting', 'connected'];

/** The error behind a failure the machine recorded. */
function errorOf(failure: Failure | null, fallback: '95016' | '99999' = '99999'): TapTalkError {
  if (!failure) return new TapTalkError(fallback);
  if (failure.error instanceof TapTalkError) return failure.error;
  return new TapTalkError(failure.code, { message: failure.message });
}

/** Each session's effects, by the actor system its machine runs in (one system per session). */
const depsBySystem = new WeakMap<ActorSystem<any>, ActorDeps>();
const depsOf = (system: ActorSystem<any>): ActorDeps => {
  const deps = depsBySystem.get(system);
  if (!deps) throw new TapTalkError('99999', { message: 'No session for this actor system' });
  return deps;
};

/**
 * One provided machine shared by every session. `provide()` builds a new tree of state nodes
 * (about 65 KiB) and xstate caches each node's transitions on first use, so a machine per session
 * cost memory and time on every login (docs/benchmarks.md).
 */
const realMachine = /* @__PURE__ */ sessionMachine.provide({
  actors: realActors(depsOf),
  actions: { clearStoredSession: ({ system }) => void depsOf(system).store.clear() },
});

/** The default logger, also the facade's: `console`, each message tagged. */
export const consoleLogger: Logger = {
  warn: (message, ...details) => console.warn(`[taptalk-session] ${message}`, ...details),
  error: (message, ...details) => console.error(`[taptalk-session] ${message}`, ...details),
};

/** A runtime default the app must pass where the runtime has none. */
function required<T>(value: T | undefined, name: string): T {
  check(typeof value === 'function', `no ${name} in this runtime; pass one`);
  return value!;
}

/**
 * Creates a session. Throws `95011` for invalid options (a programmer error, at once); every later
 * failure arrives as a rejected promise and on `errors$`.
 *
 * @example
 * ```ts
 * import { createSession } from 'taptalk-session';
 * const session = createSession({ baseUrl: 'https://chat.example.com', appID: 'app', appSecret: 'secret' });
 * session.transitions$.subscribe((t) => console.log(`${t.from} → ${t.to}`, t.reason ?? ''));
 * await session.authenticate(ticket, { connect: true });
 * ```
 */
export function createSession<Events extends object = TapTalkEvents>(options: SessionOptions): Session<Events> {
  const checked = checkOptions(options);
  const { settings, random } = checked;
  const clock = options.clock ?? systemClock();
  const logger = options.logger ?? consoleLogger;
  const fetchFn = required(options.fetch ?? (globalThis.fetch as typeof fetch | undefined), 'fetch');
  const WebSocketCtor = required(options.WebSocket ?? platform.WebSocket, 'WebSocket');
  const storage = options.storage ?? platform.defaultStorage();
  const keys = storageKeys(checked.namespace);

  const state$ = feed<PublicState>('unauthenticated');
  const transitions$ = feed<SessionTransition>();
  const errors$ = feed<TapTalkError>();
  const events$ = feed<ServerEvent>();
  const ready$ = feed<boolean>(false);
  // Stream values go out after the step, in order, on microtasks (architecture §8).
  const later = (fn: () => void) => queueMicrotask(fn);
  const reportError = (error: TapTalkError) => later(() => errors$.next(error));
  /**
   * The replaying streams take the first step at once: no one can have subscribed yet, and a
   * session restored from synchronous storage then replays `authenticated` and `ready` from its
   * first value instead of a stale `unauthenticated` (SES-44).
   */
  let starting = true;
  const replay = (fn: () => void) => (starting ? fn() : later(fn));

  let deviceID: string | null = null;
  const http: Promise<HttpConfig> = loadDeviceID(storage, keys.device, random).then((id) => {
    deviceID = id;
    return {
      baseUrl: checked.baseUrl,
      fetch: fetchFn,
      timeoutMs: checked.requestTimeoutMs,
      maxBodyBytes: checked.maxBodyBytes,
      timers: clock,
      identity: {
        appKey: encodeAppKey(checked.appID, checked.appSecret),
        deviceID: id,
        deviceModel: options.deviceModel ?? platform.deviceModel(),
        platform: options.platform ?? 'web',
        sdkVersion: SDK_VERSION,
      },
    };
  });

  const store = createSessionStore(storage, keys.session, settings, reportError);
  const outbox = createOutbox(checked.maxQueuedFrames);
  const deps: ActorDeps = {
    settings,
    clock,
    store,
    http: () => http,
    WebSocket: WebSocketCtor,
    maxFrameBytes: checked.maxBodyBytes,
    environment: options.environment ?? platform.environment,
    attach: (t) => outbox.attach(t),
    detach: (t) => outbox.detach(t),
    event: (e) => events$.next(e),
    error: (e) => errors$.next(e),
  };

  let lastEvent = 'xstate.init';
  const inspect = (event: InspectionEvent) => {
    if (event.type === '@xstate.event' && event.actorRef.sessionId === event.rootId) lastEvent = event.event.type;
    const inspector = options.inspect;
    try {
      if (typeof inspector === 'function') inspector(event);
      else inspector?.next?.(event);
    } catch (error) {
      logger.warn('the inspect callback threw; ignored', error);
    }
  };

  const actor = createActor(realMachine, {
    input: { settings, now: () => clock.now(), random, preloaded: store.preload(clock.now()) },
    clock,
    inspect,
  });
  depsBySystem.set(actor.system, deps);

  const waiters = createWaiters<Step>();
  // What the previous step showed, to tell what changed.
  let lastState: PublicState = 'unauthenticated';
  let lastSubstate: string | undefined;
  let lastFailure: Failure | null = null;
  let lastReasonSeq = 0;
  let lastReady = false;
  let disposed = false;
  /** Aborts requests made outside the machine (project configs), so dispose leaves none running. */
  const disposal = new AbortController();
  /** Access tokens of the current login: a refresh keeps the login, a new ticket starts another. */
  const loginTokens = new Set<string>();

  const onSnapshot = (snapshot: Snapshot) => {
    const ctx = snapshot.context;
    const state = publicStateOf(snapshot);
    const substate = substateOf(snapshot.value);
    const step: Step = { prev: lastState, state, snapshot, ctx };
    const newReason = ctx.reason !== null && ctx.reasonSeq !== lastReasonSeq;
    // A new reason alone is a change too (Ably's `update`): a refresh keeps `connected` but is news.
    if (state !== lastState || substate !== lastSubstate || newReason) {
      const t: SessionTransition = { from: lastState, to: state, event: lastEvent, at: clock.now() };
      if (newReason) t.reason = ctx.reason!;
      if (ctx.retryIn !== null && (substate === 'waiting' || substate === 'suspended')) t.retryIn = ctx.retryIn;
      if (substate !== undefined) t.substate = substate;
      later(() => transitions$.next(t));
      if (state !== lastState) replay(() => state$.next(state));
    }
    // SES-44: after the state it restored, so a UI bound to both never pairs `ready` with a stale state.
    const ready = !snapshot.matches({ unauthenticated: 'restoring' });
    if (ready !== lastReady) replay(() => ready$.next(ready));
    lastReady = ready;
    if (ctx.lastFailure !== null && ctx.lastFailure !== lastFailure) reportError(errorOf(ctx.lastFailure));
    // Frames queued for a socket that is no longer coming are answered now (SES-62).
    if (state === 'unauthenticated' || state === 'loggedOut') outbox.drop('95006');
    else if (state === 'authenticated' && !ctx.wantConnected) outbox.drop('95007');
    lastState = state;
    lastSubstate = substate;
    lastFailure = ctx.lastFailure;
    lastReasonSeq = ctx.reasonSeq;
    if (!ACTIVE.includes(state)) loginTokens.clear();
    else if (ctx.credentials) loginTokens.add(ctx.credentials.accessToken);
    waiters.check(step);
  };

  actor.subscribe({
    next: onSnapshot,
    error: (error) => logger.error('the session machine failed', error),
  });
  actor.start();
  starting = false;

  const current = (): Step => {
    const snapshot = actor.getSnapshot();
    return { prev: lastState, state: publicStateOf(snapshot), snapshot, ctx: snapshot.context };
  };
  /**
   * A session method as the app gets it: refused with `95012` once disposed; what `body` returns
   * reaches the app as an already-handled promise, and what it throws synchronously becomes a
   * rejection with a TapTalkError (its promises reject only with TapTalkErrors already).
   */
  const method =
    <A extends unknown[], T>(body: (...args: A) => Promise<T>) =>
    (...args: A): Promise<T> => {
      try {
        if (disposed) throw new TapTalkError('95012');
        return quiet(body(...args));
      } catch (error) {
        return quiet(Promise.reject(asTapTalkError(error)));
      }
    };
  /**
   * Where a refresh stands for a call waiting on one: failed when the login ended (the logout's
   * reason, if any), done once `renewed`, failed when the refresh is backing off, else undecided.
   */
  const refreshVerdict = (s: Step, renewed: boolean): Verdict<void> => {
    if (!ACTIVE.includes(s.state)) return s.state === 'loggedOut' ? errorOf(s.ctx.lastFailure, '95016') : new TapTalkError('95016');
    if (renewed) return { value: undefined };
    if (s.snapshot.matches({ active: { token: 'backingOff' } })) return errorOf(s.ctx.lastFailure);
    return undefined;
  };

  const call = authorizedRequest({
    http: () => http,
    token: () => actor.getSnapshot().context.credentials?.accessToken ?? null,
    signal: disposal.signal,
    renewed(stale) {
      const renewedFrom = (s: Step): Verdict<void> =>
        // A call never outlives its login: after a new ticket, the new user's token must not carry it.
        ACTIVE.includes(s.state) && !loginTokens.has(stale)
          ? new TapTalkError('95016')
          : refreshVerdict(s, !!s.ctx.credentials && s.ctx.credentials.accessToken !== stale);
      // Someone may have refreshed already; otherwise ask, and join the one refresh there is.
      if (renewedFrom(current()) === undefined) actor.send({ type: 'server.tokenExpired' });
      return waiters.wait(renewedFrom, current());
    },
  });

  /**
   * The pending ticket exchange, so the same ticket twice shares one request (SES-11). Cleared
   * once it settles: a spent ticket is not kept, and an app sending `user.authenticate` to the
   * actor itself cannot meet a stale one.
   */
  let exchange: { ticket: string; promise: Promise<Session['user'] & object> } | null = null;
  /** The project configs, fetched once and kept (a failed fetch is not). */
  let configs: Promise<ProjectConfigs> | null = null;

  const session: Session<any> = {
    get state() {
      return publicStateOf(actor.getSnapshot());
    },
    get ready() {
      return !actor.getSnapshot().matches({ unauthenticated: 'restoring' });
    },
    ready$: ready$.stream,
    get user() {
      return actor.getSnapshot().context.user;
    },
    get deviceID() {
      return deviceID;
    },
    // Already distinct: onSnapshot calls `state$.next` only when the public state changed.
    state$: state$.stream,
    transitions$: transitions$.stream,
    errors$: errors$.stream,
    events$: events$.stream,
    eventsOf: (eventName) =>
      new Observable<any>((subscriber) =>
        events$.stream.subscribe({
          next: (event) => event.eventName === eventName && subscriber.next(event.data),
          complete: () => subscriber.complete(),
        }),
      ),
    actor,

    authenticate: method((ticket, { connect = false } = {}) => {
      if (typeof ticket !== 'string' || ticket.trim() === '') throw new TapTalkError('90005');
      if (session.state === 'authenticating' && exchange) {
        if (exchange.ticket !== ticket) throw new TapTalkError('95015');
        if (connect) actor.send({ type: 'user.connect' });
        return exchange.promise;
      }
      actor.send({ type: 'user.authenticate', ticket, connect });
      const promise = waiters.wait((s): Verdict<NonNullable<Session['user']>> => {
        if (s.state === 'authenticating' || s.prev !== 'authenticating') return undefined;
        if (ACTIVE.includes(s.state) && s.ctx.user) return { value: s.ctx.user };
        if (s.state === 'loggedOut') return new TapTalkError('95016');
        return errorOf(s.ctx.lastFailure);
      });
      const mine = { ticket, promise };
      exchange = mine;
      void promise.finally(() => {
        if (exchange === mine) exchange = null;
      }).catch(() => {});
      return promise;
    }),

    connect: method(() => {
      const now = current();
      if (now.state === 'unauthenticated' || now.state === 'loggedOut') throw new TapTalkError('90002');
      actor.send({ type: 'user.connect' });
      return waiters.wait<void>((s) => {
        if (s.state === 'connected') return { value: undefined };
        if (s.state === 'loggedOut') return s.prev === 'loggedOut' ? new TapTalkError('95016') : errorOf(s.ctx.lastFailure, '95016');
        if (s.state === 'unauthenticated') return errorOf(s.ctx.lastFailure);
        if (s.state === 'authenticated' && !s.ctx.wantConnected) {
          return s.ctx.lastFailure?.code === '95008' ? errorOf(s.ctx.lastFailure) : new TapTalkError('95017', { message: 'Connect abandoned: disconnect() was called' });
        }
        return undefined;
      }, current());
    }),

    disconnect() {
      if (!disposed) actor.send({ type: 'user.disconnect' });
    },

    logout: method(() => {
      actor.send({ type: 'user.logout' });
      const done = waiters.wait<void>((s) => (s.state !== 'loggedOut' || s.snapshot.matches({ loggedOut: 'done' }) ? { value: undefined } : undefined), current());
      // Resolves once the storage is clean too: "logged out" means nothing is left behind (SES-50).
      return done.then(() => store.settled());
    }),

    refresh: method(() => {
      const before = current();
      if (!ACTIVE.includes(before.state)) throw new TapTalkError('90006');
      const credentials = before.ctx.credentials;
      actor.send({ type: 'user.refresh' });
      return waiters.wait((s) => refreshVerdict(s, s.ctx.credentials !== credentials));
    }),

    send: method((eventName, data) => {
      const text = encodeFrame(eventName, data);
      const { state, ctx } = current();
      const coming = state === 'connecting' || state === 'connected' || (state === 'authenticating' && ctx.connectAfterAuth);
      return outbox.send(text, coming);
    }),

    whenReady: method(() => {
      // (`unauthenticated.boot` is transient: no snapshot rests there.)
      return http.then(() => waiters.wait<PublicState>((s) => (s.snapshot.matches({ unauthenticated: 'restoring' }) ? undefined : { value: s.state }), current()));
    }),

    projectConfigs: method(({ refresh = false } = {}) => {
      if (!configs || refresh) {
        const fetching = http.then((cfg) => fetchProjectConfigs(cfg, disposal.signal)).catch((error: unknown) => {
          throw disposed ? new TapTalkError('95012') : error;
        });
        configs = fetching;
        fetching.catch(() => {
          if (configs === fetching) configs = null; // a failure is not worth keeping
        });
      }
      return configs;
    }),

    request: method((path, body) => call(path, body)),

    dispose() {
      if (disposed) return;
      disposed = true;
      disposal.abort();
      actor.stop();
      outbox.drop('95012');
      waiters.rejectAll(new TapTalkError('95012'));
      later(() => {
        state$.complete();
        transitions$.complete();
        errors$.complete();
        events$.complete();
        ready$.complete();
      });
    },
  };
  return session;
}
