/**
 * `taptalk-session/react`: the session in React. The app creates the session (outside React, once)
 * and hands it to `<SessionProvider>`; the hooks read it. Nothing here creates, connects or
 * disposes a session, so StrictMode's double mount cannot exchange a ticket twice or close the
 * client (ably-js#1439), and on the server (a `null` session) the hooks render the loading state.
 */
export { SessionProvider, useSession, type SessionProviderProps } from './provider.js';
export { useSessionState, type SessionStateSnapshot } from './session-state.js';
export { useTapTalkEvent, type TapTalkEventHook } from './event.js';
