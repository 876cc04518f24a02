// @vitest-environment happy-dom
/**
 * `taptalk-session/react` with React 19 in a DOM (happy-dom, @testing-library/react), against the
 * emulator over real sockets: the loading flag in the UI (SES-48), StrictMode's double mount, a
 * re-render storm, typed event hooks, and the server's view (no session).
 */
import { act, cleanup, render, screen, waitFor } from '@testing-library/react';
import { Observable } from 'rxjs';
import { createElement as h, StrictMode, useEffect, useState } from 'react';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import type { Emulator } from '../../src/emulator/index.js';
import { SessionProvider, useSession, useSessionState, useTapTalkEvent } from '../../src/react/index.js';
import type { Session } from '../../src/session/types.js';
import { memoryStorage } from '../../src/storage/memory.js';
import type { StorageAdapter } from '../../src/storage/types.js';
import { TapTalkError } from '../../src/errors.js';
import { emulator, reach, sessionOn, uniqueUser } from '../support/emulator-session.js';

let em: Emulator;
const sessions: Session[] = [];
beforeAll(async () => {
  em = await emulator();
});
afterEach(() => {
  cleanup();
  sessions.splice(0).forEach((s) => s.dispose());
});
afterAll(async () => {
  await em?.close();
});

/** A session on the emulator, disposed after the test. */
function newSession(storage: StorageAdapter = memoryStorage()): Session {
  const session = sessionOn(em, { storage });
  sessions.push(session);
  return session;
}

/** The UI every test renders: what a chat app shows for the session's state. */
function Screen() {
  const { state, ready, user } = useSessionState();
  if (!ready) return h('p', { 'data-testid': 'screen' }, 'loading');
  if (state === 'unauthenticated' || state === 'loggedOut') return h('p', { 'data-testid': 'screen' }, 'sign-in');
  return h('p', { 'data-testid': 'screen' }, `chat:${state}:${user?.xcUserID}`);
}

/** The same UI without the loading flag: what a UI bound to `state$` alone shows. */
function StateOnlyScreen() {
  const { state } = useSessionState();
  return h('p', null, state === 'unauthenticated' || state === 'loggedOut' ? 'sign-in' : `chat:${state}`);
}

/** Every text the screen showed, in order (a MutationObserver sees each committed frame). */
function recordScreen(container: HTMLElement): string[] {
  const shown: string[] = [container.textContent ?? ''];
  new MutationObserver(() => shown.push(container.textContent ?? '')).observe(container, { childList: true, subtree: true, characterData: true });
  return shown;
}

describe('taptalk-session/react with React 19', () => {
  it('SES-48: a UI bound to useSessionState shows loading, never sign-in, while a stored session restores', async () => {
    const user = uniqueUser('react-restore');
    const stored = memoryStorage();
    const first = newSession(stored);
    await first.authenticate(await em.requestTicket(user));
    first.dispose();
    let open!: () => void;
    const gate = new Promise<void>((resolve) => (open = resolve));
    const slow: StorageAdapter = { ...stored, getItem: async (key) => (await gate, stored.getItem(key)) };
    const session = newSession(slow);

    const withFlag = document.createElement('div');
    const withoutFlag = document.createElement('div');
    document.body.append(withFlag, withoutFlag);
    render(h(SessionProvider, { session }, h(Screen)), { container: withFlag });
    render(h(SessionProvider, { session }, h(StateOnlyScreen)), { container: withoutFlag });
    const shown = recordScreen(withFlag);
    const shownWithoutFlag = recordScreen(withoutFlag);
    expect(screen.getByTestId('screen').textContent).toBe('loading');
    await act(async () => open());
    await waitFor(() => expect(screen.getByTestId('screen').textContent).toBe(`chat:authenticated:${user.xcUserID}`));
    expect(shown[0]).toBe('loading');
    expect(shown).not.toContain('sign-in');
    // The recorder does see the flash where there is one: the same UI without the flag shows it.
    expect(shownWithoutFlag[0]).toBe('sign-in');
    expect(shownWithoutFlag.at(-1)).toBe('chat:authenticated');
  });

  it('SES-48: with nothing stored, loading turns into sign-in', async () => {
    const session = newSession();
    render(h(SessionProvider, { session }, h(Screen)));
    await waitFor(() => expect(screen.getByTestId('screen').textContent).toBe('sign-in'));
  });

  it('StrictMode: mounting twice exchanges the ticket once and opens one socket (SES-11)', async () => {
    const user = uniqueUser('react-strict');
    const ticket = await em.requestTicket(user);
    const session = newSession();
    const before = em.stats();
    let effectRuns = 0;
    function SignIn({ ticket }: { ticket: string }) {
      const s = useSession();
      useEffect(() => {
        effectRuns += 1;
        s?.authenticate(ticket, { connect: true }).catch(() => {});
      }, [s, ticket]);
      return h(Screen);
    }
    render(h(StrictMode, null, h(SessionProvider, { session }, h(SignIn, { ticket }))));
    await waitFor(() => expect(screen.getByTestId('screen').textContent).toBe(`chat:connected:${user.xcUserID}`));
    // StrictMode did mount twice: the effect ran twice, yet the server saw one of each.
    expect(effectRuns).toBe(2);
    const after = em.stats();
    expect(after.ticketsExchanged - before.ticketsExchanged).toBe(1);
    expect(after.connectionsAccepted - before.connectionsAccepted).toBe(1);
    expect(session.state).toBe('connected');
  });

  it('a re-render storm keeps one event subscription, calls the latest handler, and renders no extra snapshots', async () => {
    const user = uniqueUser('react-storm');
    const real = newSession();
    await real.authenticate(await em.requestTicket(user), { connect: true });
    await reach(real, 'connected');
    let subscriptions = 0;
    const counted: Session = Object.create(real, {
      events$: { value: new Observable<never>((subscriber) => (subscriptions++, real.events$.subscribe(subscriber as never))) },
    });
    const calls: string[] = [];
    let renders = 0;
    let bump!: () => void;
    function Storm() {
      const [n, setN] = useState(0);
      bump = () => setN((x) => x + 1);
      renders += 1;
      useSessionState();
      useTapTalkEvent('user/status', (data) => calls.push(`render ${n}: ${data.isOnline}`));
      return h('p', null, String(n));
    }
    const errors = vi.spyOn(console, 'error');
    render(h(SessionProvider, { session: counted }, h(Storm)));
    for (let i = 0; i < 300; i++) act(() => bump());
    expect(renders).toBe(301);
    expect(subscriptions).toBe(1);
    em.emit(user.xcUserID, 'user/status', { isOnline: true });
    await waitFor(() => expect(calls).toEqual(['render 300: true']));
    // An unstable getSnapshot makes React warn (or loop); a stable one renders nothing extra.
    expect(errors).not.toHaveBeenCalled();
    expect(renders).toBe(301);
    errors.mockRestore();
  });

  it('useTapTalkEvent: a throwing handler is logged and keeps its subscription; unmounting ends it', async () => {
    const user = uniqueUser('react-throw');
    const session = newSession();
    await session.authenticate(await em.requestTicket(user), { connect: true });
    await reach(session, 'connected');
    const got: unknown[] = [];
    function Listener() {
      useTapTalkEvent('app/ping', (data) => {
        got.push(data);
        if (got.length === 1) throw new Error('handler bug');
      });
      return null;
    }
    const errors = vi.spyOn(console, 'error').mockImplementation(() => {});
    const view = render(h(SessionProvider, { session }, h(Listener)));
    em.emit(user.xcUserID, 'app/ping', 1);
    em.emit(user.xcUserID, 'app/ping', 2);
    await waitFor(() => expect(got).toEqual([1, 2]));
    expect(errors).toHaveBeenCalledTimes(1);
    expect(String(errors.mock.calls[0]?.[0])).toContain("useTapTalkEvent('app/ping')");
    view.unmount();
    em.emit(user.xcUserID, 'app/ping', 3);
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(got).toEqual([1, 2]);
    errors.mockRestore();
  });

  it('without a session (server rendering) the hooks give the loading state; outside a provider useSession throws 95011', () => {
    render(h(SessionProvider, { session: null }, h(Screen)));
    expect(screen.getByTestId('screen').textContent).toBe('loading');
    cleanup();
    const errors = vi.spyOn(console, 'error').mockImplementation(() => {});
    let thrown: unknown;
    function Outside() {
      try {
        useSession();
      } catch (error) {
        thrown = error;
      }
      return null;
    }
    render(h(Outside));
    expect(thrown).toBeInstanceOf(TapTalkError);
    expect((thrown as TapTalkError).code).toBe('95011');
    errors.mockRestore();
  });
});
