/** `useSessionState()`: the public state, the loading flag and the user, through `useSyncExternalStore`. */
import { useSyncExternalStore } from 'react';
import type { PublicState, Session, TapTalkUser } from 'taptalk-session';
import { useSession } from './provider.js';

/** What `useSessionState()` returns; the same object until one of its values changes. */
export interface SessionStateSnapshot {
  /** One of the six public states. */
  readonly state: PublicState;
  /** `false` while the stored session is being read (SES-48): show a spinner, not the sign-in screen. */
  readonly ready: boolean;
  readonly user: TapTalkUser | null;
}

/** The server's snapshot, and the one of a provider without a session: still loading. */
const LOADING: SessionStateSnapshot = Object.freeze({ state: 'unauthenticated', ready: false, user: null });

interface Store {
  subscribe(onChange: () => void): () => void;
  getSnapshot(): SessionStateSnapshot;
}

const NO_SESSION: Store = { subscribe: () => () => {}, getSnapshot: () => LOADING };

/** One store per session, so every component shares its cached snapshot (and re-renders stay cheap). */
const stores = new WeakMap<Session<any>, Store>();

function storeOf(session: Session<any> | null): Store {
  if (!session) return NO_SESSION;
  let store = stores.get(session);
  if (!store) {
    let last = LOADING;
    store = {
      subscribe(onChange) {
        // `state$` changes with every user change too (a new login passes through `authenticating`).
        const subscription = session.state$.subscribe(onChange);
        subscription.add(session.ready$.subscribe(onChange));
        return () => subscription.unsubscribe();
      },
      getSnapshot() {
        const { state, ready, user } = session;
        if (state !== last.state || ready !== last.ready || user !== last.user) last = { state, ready, user };
        return last;
      },
    };
    stores.set(session, store);
  }
  return store;
}

/**
 * The session's public state, whether the stored session is still loading, and the user. On the
 * server, and while hydrating, it is the loading state (`ready: false`), so server and client
 * markup agree; after that it follows the session.
 *
 * @example
 * ```tsx
 * const { state, ready } = useSessionState();
 * if (!ready) return <Spinner />;
 * return state === 'unauthenticated' || state === 'loggedOut' ? <SignIn /> : <Chat />;
 * ```
 */
export function useSessionState(): SessionStateSnapshot {
  const store = storeOf(useSession());
  return useSyncExternalStore(store.subscribe, store.getSnapshot, () => LOADING);
}
