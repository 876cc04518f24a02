/**
 * Typed server events: TapTalk's event catalogue (protocol reference §2.4) as an event map, and the
 * types that turn any map into typed `events$` values and `eventsOf(name)` streams. Types only:
 * the payloads are delivered as the server sent them, not validated, so every field is optional.
 */
import type { TapTalkUser } from '../machines/session.types.js';

/** A room as TapTalk's events carry it. */
export interface TapTalkRoom {
  roomID?: string;
  name?: string;
  /** 1 personal, 2 group, 3 channel. */
  type?: number;
  [field: string]: unknown;
}

/** A message as TapTalk's events carry it (`body`, `data` and `quote.content` obfuscated, §3.7). */
export interface TapTalkMessage {
  messageID?: string;
  localID?: string;
  room?: TapTalkRoom;
  /** 1001 text, ..., 9001 system message (its `action` says what happened: `room/leave`, ...). */
  type?: number;
  body?: string;
  action?: string;
  user?: TapTalkUser;
  created?: number;
  [field: string]: unknown;
}

/**
 * TapTalk's server events by name (reference §2.4), the default event map of
 * `createSession<Events>()`. Extend it for your own: `createSession<TapTalkEvents & { 'app/x': X }>(...)`.
 */
export interface TapTalkEvents {
  'chat/sendMessage': TapTalkMessage;
  'chat/updateMessage': TapTalkMessage;
  'chat/deleteMessage': TapTalkMessage;
  'chat/startTyping': { roomID?: string; user?: TapTalkUser };
  'chat/stopTyping': { roomID?: string; user?: TapTalkUser };
  'user/status': { user?: TapTalkUser; isOnline?: boolean; lastActive?: number };
  'user/updated': { user?: TapTalkUser };
  'user/block': { user?: TapTalkUser };
  'user/unblock': { user?: TapTalkUser };
  'room/clearChat': { room?: TapTalkRoom };
  /** `expiredAt` present: muted until then. */
  'room/mute': { room?: TapTalkRoom; expiredAt?: number };
  'room/unmute': { room?: TapTalkRoom };
  'room/pin': { room?: TapTalkRoom };
  'room/unpin': { room?: TapTalkRoom };
  'room/markAsRead': { room?: TapTalkRoom };
  'room/markAsUnread': { room?: TapTalkRoom };
  'room/scheduleMessage': { room?: TapTalkRoom; timestamp?: number };
}

/** An event name of map `E`, or any other string (autocompletion keeps the known ones). */
export type EventName<E extends object> = (keyof E & string) | (string & {});

/** The payload of event `K` in map `E`: typed when `E` names it, `unknown` otherwise. */
export type EventData<E extends object, K extends string> = K extends keyof E ? E[K] : unknown;

/**
 * One server event: one of the map's, or any other name with an `unknown` payload. Narrow with
 * `session.eventsOf(name)`; comparing `eventName` cannot narrow because unknown names are allowed.
 */
export type ServerEvent<E extends object = TapTalkEvents> =
  | { [K in keyof E & string]: { eventName: K; data: E[K] } }[keyof E & string]
  | { eventName: string; data: unknown };
