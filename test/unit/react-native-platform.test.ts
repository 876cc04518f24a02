/**
 * The React Native pieces one by one: telling `ws` from React Native's WebSocket, UTF-8 without
 * `TextDecoder` (Hermes), `AppState`/NetInfo as environment events, AsyncStorage, the options
 * from `Platform`, and the clock without `performance.timeOrigin`.
 */
import fc from 'fast-check';
import WebSocket from 'ws';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { EnvironmentEvent } from '../../src/platform/ports.js';
import { systemClock } from '../../src/platform/system-clock.js';
import { decodeUtf8 } from '../../src/platform/utf8.js';
import { isWsConstructor } from '../../src/platform/ws-transport.js';
import { asyncStorage, reactNative, reactNativeEnvironment } from '../../src/react-native/index.js';
import { fakeAppState, fakeNetInfo, ReactNativeWebSocket } from '../support/react-native-world.js';

afterEach(() => {
  vi.unstubAllGlobals();
  vi.useRealTimers();
});

describe('React Native pieces', () => {
  it("never takes React Native's WebSocket (ping on its prototype, no on) for ws", () => {
    expect(typeof ReactNativeWebSocket.prototype.ping).toBe('function');
    expect(isWsConstructor(ReactNativeWebSocket as never)).toBe(false);
    expect(isWsConstructor(WebSocket as never)).toBe(true);
    expect(isWsConstructor(class {} as never)).toBe(false);
  });

  it('decodes UTF-8 without TextDecoder exactly as TextDecoder does, invalid bytes included', () => {
    const reference = new TextDecoder();
    fc.assert(
      fc.property(fc.oneof(fc.uint8Array({ maxLength: 64 }), fc.string({ unit: 'grapheme', maxLength: 32 }).map((s) => new TextEncoder().encode(s))), (bytes) => {
        const expected = reference.decode(bytes);
        vi.stubGlobal('TextDecoder', undefined);
        try {
          expect(decodeUtf8(bytes)).toBe(expected);
          expect(decodeUtf8(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength))).toBe(expected);
        } finally {
          vi.unstubAllGlobals();
        }
      }),
      { numRuns: 500 },
    );
  });

  it('maps AppState and NetInfo to env events: background is hidden, foreground visible, connectivity online/offline', () => {
    const AppState = fakeAppState();
    const NetInfo = fakeNetInfo();
    const events: EnvironmentEvent['type'][] = [];
    const stop = reactNativeEnvironment({ AppState, NetInfo })((e) => events.push(e.type));
    // NetInfo reports at once: online, as assumed, so nothing is emitted.
    AppState.set('inactive');
    AppState.set('active');
    AppState.set('background');
    AppState.set('background');
    AppState.set('inactive');
    AppState.set('active');
    NetInfo.set({ isConnected: null });
    NetInfo.set({ isConnected: true, isInternetReachable: false });
    NetInfo.set({ isConnected: false });
    NetInfo.set({ isConnected: true, isInternetReachable: true });
    expect(events).toEqual(['env.hidden', 'env.visible', 'env.offline', 'env.online']);
    stop();
    AppState.set('background');
    NetInfo.set({ isConnected: false });
    expect(events).toHaveLength(4);
    expect(AppState.listeners()).toBe(0);
    expect(NetInfo.listeners()).toBe(0);
  });

  it('starts from AppState.currentState, and works without NetInfo', () => {
    const AppState = fakeAppState('background');
    const events: string[] = [];
    const stop = reactNativeEnvironment({ AppState })((e) => events.push(e.type));
    AppState.set('active');
    expect(events).toEqual(['env.visible']);
    stop();
  });

  it('asyncStorage refuses an AsyncStorage without its methods (95011) and forwards to one with them', async () => {
    expect(() => asyncStorage({} as never)).toThrow(expect.objectContaining({ code: '95011' }));
    const map = new Map<string, string>();
    const store = asyncStorage({ getItem: async (k) => map.get(k) ?? null, setItem: async (k, v) => void map.set(k, v), removeItem: async (k) => void map.delete(k) });
    await store.setItem('k', 'v');
    expect(await store.getItem('k')).toBe('v');
    await store.removeItem('k');
    expect(await store.getItem('k')).toBeNull();
  });

  it("reactNative(): Device-Platform from Platform.OS, a Device-Model with the OS version, AsyncStorage as storage", () => {
    const options = reactNative({ AppState: fakeAppState(), Platform: { OS: 'android', Version: 34 }, AsyncStorage: { getItem: async () => null, setItem: async () => {}, removeItem: async () => {} } });
    expect(options.platform).toBe('android');
    expect(options.deviceModel).toBe('React Native on android 34');
    expect(typeof options.environment).toBe('function');
    expect(typeof options.storage?.getItem).toBe('function');
    expect(reactNative({ AppState: fakeAppState(), Platform: { OS: 'ios' } }).storage).toBeUndefined();
  });

  it('the system clock works without performance.timeOrigin (Hermes) and without performance at all', () => {
    const now = performance.now.bind(performance);
    vi.stubGlobal('performance', { now });
    const hermes = systemClock().now();
    expect(Math.abs(hermes - Date.now())).toBeLessThan(1_000);
    vi.stubGlobal('performance', undefined);
    const bare = systemClock().now();
    expect(Math.abs(bare - Date.now())).toBeLessThan(1_000);
  });
});
