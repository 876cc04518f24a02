/**
 * `taptalk-session`: a TapTalk.io-compatible session engine. One surface for Node and browsers;
 * the runtime's defaults (WebSocket, storage, environment events) come from `#platform`.
 */
export { createSession } from './session/create-session.js';
export type { Session, SessionTransition } from './session/types.js';
export { createTapTalk, taptalk } from './taptalk.js';
export type {
  TapCallback,
  TapConnectCallback,
  TapConnectionListener,
  TapListener,
  TapResultCallback,
  TapTalk,
  TapTalkInitOptions,
} from './taptalk.js';
export { DEFAULT_TIMINGS } from './options.js';
export type { Logger, SessionOptions } from './options.js';
export type { Clock, EnvironmentEvent, EnvironmentSource, WebSocketConstructor, WebSocketLike } from './platform/ports.js';
export { ERROR_CODES, TapTalkError, asTapTalkError } from './errors.js';
export type { ErrorCodeInfo, TapTalkErrorCode } from './errors.js';
export { memoryStorage, webStorage, type StorageAdapter } from './storage/index.js';
export type { CoordinatedStorage, StorageCoordination, WebStorageLike } from './storage/types.js';
export type { EventData, EventName, ServerEvent, TapTalkEvents, TapTalkMessage, TapTalkRoom } from './events.js';
export type { ProjectConfigs } from './protocol/validate.js';
export { PUBLIC_STATES } from '../machines/session.types.js';
export type { MachineSettings, PublicState, TapTalkUser, TransitionReason } from '../machines/session.types.js';
export { SDK_VERSION } from './version.js';
