/** What the real actors need from their session: one object per session, nothing shared. */
import type { ActorSystem } from 'xstate';
import type { MachineSettings } from '../../machines/session.types.js';
import type { TapTalkError } from '../errors.js';
import type { Clock, EnvironmentSource, WebSocketConstructor } from '../options.js';
import type { HttpConfig } from '../protocol/http.js';
import type { ServerEvent } from '../protocol/frames.js';
import type { StorageCoordination } from '../storage/types.js';
import type { SessionStore } from './session-store.js';
import type { Transport } from './transport.js';

export interface ActorDeps {
  settings: MachineSettings;
  clock: Clock;
  store: SessionStore;
  /** The storage's coordination and the session key, when siblings are followed (SES-80). */
  siblings?: { coordination: StorageCoordination; key: string };
  /** The HTTP settings, once the device id has been read from storage. */
  http(): Promise<HttpConfig>;
  WebSocket: WebSocketConstructor;
  maxFrameBytes: number;
  environment: EnvironmentSource | false;
  /** A socket opened / went away: the session writes frames only to the attached one (SES-60). */
  attach(transport: Transport): void;
  detach(transport: Transport): void;
  /** Server events and frame errors, for the session's streams. */
  event(event: ServerEvent): void;
  error(error: TapTalkError): void;
}

/**
 * Finds a session's deps from the actor system its machine runs in (one system per session), so
 * every session can share one provided machine instead of building its own (docs/benchmarks.md).
 */
export type DepsOf = (system: ActorSystem<any>) => ActorDeps;
