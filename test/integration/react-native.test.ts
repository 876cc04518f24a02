/**
 * React Native without a phone: the package as Metro resolves it (the `react-native` condition and
 * main fields), bundled by esbuild with no Node built-in allowed, run in a `node:vm` context shaped
 * like Hermes (test/support/react-native-world.ts) against the emulator: authenticate, connect,
 * receive an event, background and foreground through a fake `AppState`, offline and online
 * through a fake NetInfo, log out.
 */
import { mkdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import vm from 'node:vm';
import { build as esbuild, type Metafile } from 'esbuild';
import { build as tsup } from 'tsup';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ROOT } from '../../scripts/build-iife.js';
import { REACT_NATIVE_DIR, reactNativeConfig } from '../../scripts/build-config.js';
import type { Emulator } from '../../src/emulator/index.js';
import type { Session } from '../../src/session/types.js';
import { emulator, quietLogger, uniqueUser } from '../support/emulator-session.js';
import { fakeAppState, fakeAsyncStorage, fakeNetInfo, hermesContext, reactNativeWebSocketClass, suspendableTimers, type SocketCall } from '../support/react-native-world.js';

/** Metro's resolver settings (React Native's metro-config defaults). */
const METRO = { conditions: ['react-native', 'require', 'import'], mainFields: ['react-native', 'browser', 'main'] };

/** An app beside a `node_modules/taptalk-session` that is this repository, as an installed package is. */
const APP_DIR = join(ROOT, '.tmp', `react-native-app-${process.pid}`);
const APP = `
import { createSession, reactNative } from 'taptalk-session';
globalThis.startSession = (options, modules) => createSession({ ...options, ...reactNative(modules) });
`;

/** Bundles the app for React Native; fails on anything unresolved (a Node built-in has no resolution here). */
async function bundleApp(settings: { conditions: string[]; mainFields: string[] }) {
  const result = await esbuild({
    entryPoints: [join(APP_DIR, 'app.js')],
    absWorkingDir: APP_DIR,
    bundle: true,
    format: 'iife',
    platform: 'neutral',
    ...settings,
    metafile: true,
    // The app's own settings, not this repository's tsconfig (whose `paths` map the package to src/).
    tsconfigRaw: '{}',
    write: false,
    logLevel: 'silent',
  });
  return { code: result.outputFiles[0]!.text, inputs: Object.keys((result.metafile as Metafile).inputs) };
}

/** The first value of `source` matching `predicate`, within `ms` (the VM's streams, subscribed plainly). */
function waitFor<T>(source: Session['state$'] | Session['transitions$'] | Session['events$'], predicate: (value: any) => boolean, ms = 5_000): Promise<T> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => (subscription.unsubscribe(), reject(new Error('timed out'))), ms);
    const subscription = (source as { subscribe(fn: (v: unknown) => void): { unsubscribe(): void } }).subscribe((value) => {
      if (!predicate(value)) return;
      clearTimeout(timer);
      queueMicrotask(() => subscription.unsubscribe());
      resolve(value as T);
    });
  });
}

describe('React Native: the package under Metro, run in a Hermes-shaped VM', () => {
  let em: Emulator;
  let bundle: { code: string; inputs: string[] };

  beforeAll(async () => {
    em = await emulator({ accessTokenTtlMs: 4_000 });
    // The build the `react-native` condition points at (no type declarations needed here).
    await tsup({ ...reactNativeConfig, dts: false, sourcemap: false, config: false, silent: true });
    mkdirSync(join(APP_DIR, 'node_modules'), { recursive: true });
    symlinkSync(ROOT, join(APP_DIR, 'node_modules', 'taptalk-session'), 'dir');
    writeFileSync(join(APP_DIR, 'app.js'), APP);
    bundle = await bundleApp(METRO);
  }, 60_000);

  afterAll(async () => {
    rmSync(APP_DIR, { recursive: true, force: true });
    await em?.close();
  });

  it("resolves to the react-native build and bundles with no Node built-in or ws", async () => {
    // (esbuild names inputs by their real path: the symlinked package is this repository.)
    expect(bundle.inputs).toContain(relative(APP_DIR, join(ROOT, REACT_NATIVE_DIR, 'index.js')));
    expect(bundle.inputs.filter((input) => /(^|\/)(ws|node:|fs|path|http|net|tls|crypto|events|stream)(\/|$)/.test(input))).toEqual([]);
    // The check bites: the Node build's graph (the `node` condition of #platform) does not bundle here.
    const nodeGraph = esbuild({ stdin: { contents: "export * from './src/index.ts';", resolveDir: ROOT, loader: 'ts' }, absWorkingDir: ROOT, bundle: true, platform: 'neutral', conditions: ['node'], mainFields: ['main'], write: false, logLevel: 'silent' });
    await expect(nodeGraph).rejects.toThrow(/Could not resolve "(node:)?(events|https?|net|tls|crypto|stream|zlib|url|buffer)"/);
  });

  it('authenticates, connects, receives, survives background and offline, and logs out', async () => {
    const sockets: SocketCall[] = [];
    const timers = suspendableTimers();
    const context = hermesContext(reactNativeWebSocketClass(sockets), timers);
    // The context is shaped like Hermes: none of these exist there.
    expect(vm.runInContext("['window','document','localStorage','TextDecoder','process','Buffer','require'].filter((n) => typeof globalThis[n] !== 'undefined')", context)).toEqual([]);
    vm.runInContext(bundle.code, context);

    const AppState = fakeAppState();
    const NetInfo = fakeNetInfo();
    const AsyncStorage = fakeAsyncStorage();
    const session: Session = context.startSession(
      { baseUrl: em.url, appID: em.appKey.id, appSecret: em.appKey.secret, logger: quietLogger },
      { AppState, NetInfo, AsyncStorage, Platform: { OS: 'ios', Version: '17.4' } },
    );
    expect(session.ready).toBe(false); // AsyncStorage is read asynchronously (SES-48)
    await session.whenReady();

    // Authenticate and connect: credentials in the upgrade's headers, none in the URL.
    const user = uniqueUser('react-native');
    await session.authenticate(await em.requestTicket(user), { connect: true });
    await waitFor(session.state$, (s) => s === 'connected');
    expect(sockets).toHaveLength(1);
    expect(sockets[0]!.url).toBe(`${em.url.replace(/^http/, 'ws')}/connect`);
    expect(sockets[0]!.options?.headers).toMatchObject({
      Authorization: expect.stringMatching(/^Bearer \S+$/),
      'Device-Platform': 'ios',
      'Device-Model': 'React Native on ios 17.4',
    });
    expect([...AsyncStorage.entries.keys()].some((key) => key.endsWith(':session'))).toBe(true);

    // A binary frame, decoded without TextDecoder.
    const message = waitFor<{ eventName: string; data: { body: string } }>(session.events$, (e) => e.eventName === 'chat/sendMessage');
    em.emit(user.xcUserID, 'chat/sendMessage', { body: 'héllo ✓ 👋' });
    expect((await message).data.body).toBe('héllo ✓ 👋');

    // Background: the socket stays; the JS thread stops (timers held) until the token is overdue.
    timers.pause();
    AppState.set('background');
    const refreshAt = session.actor.getSnapshot().context.credentials!.refreshAt;
    await new Promise((resolve) => setTimeout(resolve, Math.max(0, refreshAt - Date.now()) + 200));
    expect(session.state).toBe('connected');
    // Foreground: the overdue token is refreshed at once, before any held timer runs (SES-3 via env.visible).
    AppState.set('active');
    expect(session.actor.getSnapshot().matches({ active: { token: 'refreshing' } })).toBe(true);
    timers.resume();
    await waitFor(session.transitions$, (t) => t.reason === 'token_refreshed');
    expect(session.state).toBe('connected');
    expect(sockets).toHaveLength(1);

    // Offline: a socket that cannot ping is dropped and the link waits (SES-34); online reconnects (SES-26).
    NetInfo.set({ isConnected: false, isInternetReachable: false });
    await waitFor(session.transitions$, (t) => t.reason === 'offline');
    expect(session.state).toBe('connecting');
    NetInfo.set({ isConnected: true, isInternetReachable: true });
    await waitFor(session.state$, (s) => s === 'connected');
    expect(sockets).toHaveLength(2);

    // Logout: nothing of the session left in AsyncStorage.
    const logoutsBefore = em.stats().logouts;
    await session.logout();
    expect(session.state).toBe('loggedOut');
    expect([...AsyncStorage.entries.keys()].some((key) => key.endsWith(':session'))).toBe(false);
    expect(em.stats().logouts).toBe(logoutsBefore + 1);
    session.dispose();
    expect(AppState.listeners()).toBe(0);
    expect(NetInfo.listeners()).toBe(0);
  });
});
