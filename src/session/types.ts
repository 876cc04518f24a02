/** The public shape of a session: its streams and its methods. */
import type { Observable } from 'rxjs';
import type { Actor } from 'xstate';
import type { sessionMachine } from '../../machines/session.machine.js';
import type { Substate } from '../../machines/public-state.js';
import type { PublicState, TapTalkUser, TransitionReason } from '../../machines/session.types.js';
import type { TapTalkError } from '../errors.js';
import type { ProjectConfigs } from '../protocol/validate.js';
import type { EventData, EventName, ServerEvent, TapTalkEvents } from '../events.js';

/** One change of the session's state, as a value (Ably's `ConnectionStateChange`). */
export interface SessionTransition {
  from: PublicState;
  to: PublicState;
  /** The machine event that caused it (`user.connect`, `socket.closed`, `xstate.after...`). */
  event: string;
  /** The session clock's reading. */
  at: number;
  reason?: TransitionReason;
  /** When a retry is scheduled: milliseconds until it. */
  retryIn?: number;
  /** `probing`, `waiting`, `suspended`, ...: where inside the public state the session now is. */
  substate?: Substate;
}

/**
 * A TapTalk session: one user, one connection, its streams. Create with `createSession`.
 * `Events` types the server events (`events$`, `eventsOf`): TapTalk's catalogue by default.
 */
export interface Session<Events extends object = TapTalkEvents> {
  /** The public state now (always one of the six). */
  readonly state: PublicState;
  /**
   * Whether the stored session has been read (SES-48): `false` while restoring, so a UI can show
   * a spinner instead of the sign-in screen; `true` from then on. The public state is unchanged.
   */
  readonly ready: boolean;
  /**
   * {@link ready} as a stream: replays the current value; `true` arrives after the restored state
   * on `state$` (so a UI bound to both never sees `ready` with the state from before restoring).
   */
  readonly ready$: Observable<boolean>;
  /** The active user, or `null`. */
  readonly user: TapTalkUser | null;
  /** This installation's `Device-Identifier` (`null` until storage answered). */
  readonly deviceID: string | null;
  /** The public state; replays the current one to a new subscriber. */
  readonly state$: Observable<PublicState>;
  /** Every change of public state or substate, and every new reason (`token_refreshed` keeps the state). */
  readonly transitions$: Observable<SessionTransition>;
  /** Every failure the session meets, as a `TapTalkError`. */
  readonly errors$: Observable<TapTalkError>;
  /** Server events from the socket. */
  readonly events$: Observable<ServerEvent<Events>>;
  /**
   * The payloads of one server event: typed by the event map, `unknown` for a name it lacks.
   *
   * @example
   * ```ts
   * session.eventsOf('user/status').subscribe(({ user, isOnline }) => console.log(user?.fullname, isOnline));
   * ```
   */
  eventsOf<K extends EventName<Events>>(eventName: K): Observable<EventData<Events, K>>;
  /**
   * Spends a one-time auth ticket. Resolves with the user; rejects with the server's code
   * (`40002`, `40104`, ...), `90005` for a blank ticket or one with a control character (no request is made), `95015` while a
   * different ticket is being exchanged, `95016` when logged out meanwhile.
   */
  authenticate(ticket: string, options?: { connect?: boolean }): Promise<TapTalkUser>;
  /** Connects (and keeps reconnecting). Resolves once `connected`; rejects with `90002` when not authenticated. */
  connect(): Promise<void>;
  /** Closes the socket and stops reconnecting; the session stays `authenticated`. */
  disconnect(): void;
  /** Clears local data at once, closes everything, revokes on the server best effort. Never rejects. */
  logout(): Promise<void>;
  /** Refreshes the tokens now (single-flight). */
  refresh(): Promise<void>;
  /** Sends one frame: written when connected, queued while connecting. */
  send(eventName: string, data?: unknown): Promise<void>;
  /** Resolves once the stored session has been read (restored or not). */
  whenReady(): Promise<PublicState>;
  /** The project's configs (E6), fetched once and kept; `refresh: true` fetches again. */
  projectConfigs(options?: { refresh?: boolean }): Promise<ProjectConfigs>;
  /**
   * Calls TapTalk's client API (`POST /v1/<path>`, e.g. `'client/user/get_by_id'`) with the access
   * token and resolves with the envelope's `data`. A refused token triggers the one shared refresh
   * and one retry (SES-9). Rejects with `90006` when not authenticated.
   */
  request(path: string, body?: unknown): Promise<Record<string, unknown>>;
  /** Stops everything; idempotent. Pending promises reject with `95012`. */
  dispose(): void;
  /** The running XState actor, for inspection and tests. */
  readonly actor: Actor<typeof sessionMachine>;
}
