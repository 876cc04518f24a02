/**
 * Type tests of the typed events, checked by `npm run typecheck` (tsc; CI's typecheck step), not by
 * vitest: TapTalk's catalogue (reference §2.4) is the default event map, an app's own map replaces
 * or extends it, unknown names pass as `unknown`. The `@ts-expect-error` lines prove the checks
 * fail on a wrong type.
 */
import type { Observable } from 'rxjs';
import { expectTypeOf } from 'vitest';
import type { ServerEvent, Session, TapTalk, TapTalkEvents, TapTalkMessage, TapTalkRoom } from '../../src/index.js';
import type { createSession, createTapTalk } from '../../src/index.js';

type AppEvents = TapTalkEvents & { 'app/points': { points: number } };

export function knownEventsAreTypedByDefault(session: Session): void {
  expectTypeOf(session.eventsOf('chat/sendMessage')).toEqualTypeOf<Observable<TapTalkMessage>>();
  expectTypeOf(session.eventsOf('user/status')).toEqualTypeOf<Observable<TapTalkEvents['user/status']>>();
  expectTypeOf(session.eventsOf('room/mute')).toEqualTypeOf<Observable<{ room?: TapTalkRoom; expiredAt?: number }>>();
  expectTypeOf(session.eventsOf('somebody/else')).toEqualTypeOf<Observable<unknown>>();
  expectTypeOf(session.events$).toEqualTypeOf<Observable<ServerEvent<TapTalkEvents>>>();
  // @ts-expect-error a known payload is not unknown
  expectTypeOf(session.eventsOf('user/status')).toEqualTypeOf<Observable<unknown>>();
}

export function anAppsMapComesThroughBothEntries(
  session: Session<AppEvents>,
  own: Session<{ 'app/only': string }>,
  create: typeof createSession,
): void {
  // (Compared by their events: a whole Session holds the xstate actor, too deep for toEqualTypeOf.)
  expectTypeOf<ReturnType<typeof createSession<AppEvents>>['events$']>().toEqualTypeOf<Observable<ServerEvent<AppEvents>>>();
  expectTypeOf(create({ baseUrl: '', appID: '', appSecret: '' }).events$).toEqualTypeOf<Observable<ServerEvent<TapTalkEvents>>>();
  expectTypeOf<ReturnType<typeof createTapTalk<AppEvents>>['session']['events$']>().toEqualTypeOf<Observable<ServerEvent<AppEvents>>>();
  expectTypeOf<TapTalk['session']['events$']>().toEqualTypeOf<Observable<ServerEvent<TapTalkEvents>>>();
  // @ts-expect-error the facade's session carries its map
  expectTypeOf<TapTalk<AppEvents>['session']['events$']>().toEqualTypeOf<Observable<ServerEvent<TapTalkEvents>>>();
  expectTypeOf(session.eventsOf('app/points')).toEqualTypeOf<Observable<{ points: number }>>();
  expectTypeOf(session.eventsOf('chat/updateMessage')).toEqualTypeOf<Observable<TapTalkMessage>>();
  // @ts-expect-error a payload is its map's type, not another
  expectTypeOf(session.eventsOf('app/points')).toEqualTypeOf<Observable<{ points: string }>>();
  // A map of the app's own only: TapTalk's names are then unknown too.
  expectTypeOf(own.eventsOf('app/only')).toEqualTypeOf<Observable<string>>();
  expectTypeOf(own.eventsOf('user/status')).toEqualTypeOf<Observable<unknown>>();
}
