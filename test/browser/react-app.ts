/**
 * The page of the React page-load test (bundled by esbuild for Chromium): a session on an
 * asynchronous storage over localStorage (as IndexedDB or AsyncStorage are), two UIs bound to it,
 * one waiting for the loading flag and one bound to the state alone, and a record of every text
 * each showed (DOM commits and animation frames).
 */
import { createElement as h } from 'react';
import { createRoot } from 'react-dom/client';
import { createSession, type Session, type StorageAdapter } from 'taptalk-session';
import { SessionProvider, useSessionState } from 'taptalk-session/react';

declare global {
  interface Window {
    session: Session;
    shown: { withFlag: string[]; stateOnly: string[] };
  }
}

const params = new URLSearchParams(location.search);
/** Reads take this long, so the restore is visible across several frames. */
const READ_DELAY_MS = 150;
const slowLocalStorage: StorageAdapter = {
  getItem: (key) => new Promise((resolve) => setTimeout(() => resolve(localStorage.getItem(key)), READ_DELAY_MS)),
  setItem: async (key, value) => localStorage.setItem(key, value),
  removeItem: async (key) => localStorage.removeItem(key),
};

const session = createSession({
  baseUrl: location.origin,
  appID: params.get('appID')!,
  appSecret: params.get('appSecret')!,
  storage: slowLocalStorage,
  logger: { warn: () => {}, error: () => {} },
});
window.session = session;

function WithFlag() {
  const { state, ready } = useSessionState();
  if (!ready) return h('p', null, 'loading');
  return h('p', null, state === 'unauthenticated' || state === 'loggedOut' ? 'sign-in' : `chat:${state}`);
}

function StateOnly() {
  const { state } = useSessionState();
  return h('p', null, state === 'unauthenticated' || state === 'loggedOut' ? 'sign-in' : `chat:${state}`);
}

window.shown = { withFlag: [], stateOnly: [] };
for (const [id, App] of [['withFlag', WithFlag], ['stateOnly', StateOnly]] as const) {
  const element = document.getElementById(id)!;
  const record = () => {
    const text = element.textContent ?? '';
    if (text !== '' && window.shown[id].at(-1) !== text) window.shown[id].push(text);
  };
  new MutationObserver(record).observe(element, { childList: true, subtree: true, characterData: true });
  const frame = () => (record(), requestAnimationFrame(frame));
  requestAnimationFrame(frame);
  createRoot(element).render(h(SessionProvider, { session }, h(App)));
}
