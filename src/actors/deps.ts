/** What the real actors need from their session: one object per session, nothing shared. */
import type { MachineSettings } from '../../machines/session.types.js';
import type { TapTalkError } from '../errors.js';
import type { Clock, WebSocketConstructor } from '../platform/ports.js';
import type { OpenTransport } from '../platform/transport.js';
import type { HttpConfig } from '../protocol/http.js';
import type { ServerEvent } from '../protocol/frames.js';
import type { StorageCoordination } from '../storage/types.js';
import type { Outbox } from './outbox.js';
import type { SessionStore } from './session-store.js';

export interface ActorDeps {
  settings: MachineSettings;
  clock: Clock;
  store: SessionStore;
  /** The storage's coordination and the session key, when siblings are followed (SES-80). */
  siblings?: { coordination: StorageCoordination; key: string };
  /** The HTTP settings, once the device id has been read from storage. */
  http(): Promise<HttpConfig>;
  WebSocket: WebSocketConstructor;
  /** The platform's way to open a socket with `WebSocket` (decision 001). */
  openTransport: OpenTransport;
  maxFrameBytes: number;
  /** Frames for the socket: written only to the attached one (SES-60), dropped as the machine says (SES-62). */
  outbox: Outbox;
  /** Server events and frame errors, for the session's streams. */
  event(event: ServerEvent): void;
  error(error: TapTalkError): void;
}
