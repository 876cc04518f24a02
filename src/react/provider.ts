/** `<SessionProvider>` and `useSession()`: one session for a React tree. */
import { createContext, createElement, useContext, type ReactNode } from 'react';
import { TapTalkError, type Session, type TapTalkEvents } from 'taptalk-session';

/** `undefined`: no provider above; `null`: a provider without a session (server rendering). */
const SessionContext = createContext<Session<any> | null | undefined>(undefined);

/** What `<SessionProvider>` takes. */
export interface SessionProviderProps {
  /**
   * The session, created once outside React (a module of client code). `null` where there is
   * none, as while rendering on the server: the hooks then give the loading state.
   */
  session: Session<any> | null;
  children?: ReactNode;
}

/**
 * Makes `session` available to the hooks below. It never disposes the session: the app owns it.
 *
 * @example
 * ```tsx
 * <SessionProvider session={session}><App /></SessionProvider>
 * ```
 */
export function SessionProvider({ session, children }: SessionProviderProps): ReactNode {
  return createElement(SessionContext.Provider, { value: session }, children);
}

/**
 * The provider's session, `null` while rendering on the server. Throws `95011` outside a
 * `<SessionProvider>` (a programmer error, like an invalid option).
 *
 * @example
 * ```tsx
 * const session = useSession();
 * useEffect(() => void session?.authenticate(ticket, { connect: true }).catch(showError), [session, ticket]);
 * ```
 */
export function useSession<Events extends object = TapTalkEvents>(): Session<Events> | null {
  const session = useContext(SessionContext);
  if (session === undefined) throw new TapTalkError('95011', { message: 'Invalid options: useSession() needs a <SessionProvider> above it' });
  return session;
}
