/** `useTapTalkEvent(eventName, handler)`: one subscription per mounted component and name. */
import { useEffect, useInsertionEffect, useRef } from 'react';
import type { EventData, EventName, ServerEvent, TapTalkEvents } from 'taptalk-session';
import { useSession } from './provider.js';

/**
 * Calls `handler` with the payload of every `eventName` event while the component is mounted. A
 * new handler on each render does not resubscribe (the latest one is called); a handler that
 * throws is logged and the subscription stays.
 *
 * @example
 * ```tsx
 * useTapTalkEvent('chat/startTyping', ({ roomID, user }) => setTyping(roomID, user));
 * ```
 */
export function useTapTalkEvent<Events extends object = TapTalkEvents, K extends EventName<Events> = EventName<Events>>(
  eventName: K,
  handler: (data: EventData<Events, K>, event: ServerEvent<Events>) => void,
): void {
  const session = useSession<Events>();
  const latest = useRef(handler);
  // Before any effect of this render can deliver an event; never during render (StrictMode renders twice).
  useInsertionEffect(() => {
    latest.current = handler;
  });
  useEffect(() => {
    if (!session) return;
    const subscription = session.events$.subscribe((event) => {
      if (event.eventName !== eventName) return;
      try {
        latest.current(event.data as EventData<Events, K>, event);
      } catch (error) {
        console.error(`[taptalk-session] a useTapTalkEvent('${eventName}') handler threw; ignored`, error);
      }
    });
    return () => subscription.unsubscribe();
  }, [session, eventName]);
}

/**
 * `useTapTalkEvent` for an app's own event map (TypeScript cannot infer the name when the map is
 * given explicitly): `const useAppEvent: TapTalkEventHook<AppEvents> = useTapTalkEvent;`.
 */
export type TapTalkEventHook<Events extends object> = <K extends EventName<Events>>(
  eventName: K,
  handler: (data: EventData<Events, K>, event: ServerEvent<Events>) => void,
) => void;
