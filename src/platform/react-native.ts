/**
 * React Native's defaults: its global `WebSocket` with credentials as headers, memory storage until
 * the app passes AsyncStorage, and sleep detection; `AppState` and NetInfo come from the app
 * (`reactNative()` in src/react-native/). No Node built-in and no react-native import: the
 * `react-native` condition of the exports map and of `#platform` picks this file.
 */
import type { WebSocketConstructor } from '../options.js';
import { memoryStorage } from '../storage/memory.js';
import { openReactNativeTransport } from './react-native-transport.js';
import { watchSleep } from './sleep-detector.js';
import type { Platform } from './types.js';

export const platform: Platform = {
  WebSocket: (globalThis as { WebSocket?: WebSocketConstructor }).WebSocket,
  defaultStorage: () => memoryStorage(),
  environment: (emit) => watchSleep(emit),
  deviceModel: () => 'React Native',
  openTransport: openReactNativeTransport,
};
