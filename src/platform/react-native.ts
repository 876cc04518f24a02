/**
 * React Native's defaults: its global `WebSocket` with credentials as headers, memory storage until
 * the app passes AsyncStorage, and sleep detection; `AppState` and NetInfo come from the app
 * (`reactNative()` in src/react-native/). No Node built-in and no react-native import: the
 * `react-native` condition of the exports map and of `#platform` picks this file.
 */
import { memoryStorage } from '../storage/memory.js';
import type { Platform } from './platform.js';
import type { WebSocketConstructor } from './ports.js';
import { openReactNativeTransport } from './react-native-transport.js';
import { shareEnvironment } from './shared-environment.js';
import { watchSleep } from './sleep-detector.js';

export const platform: Platform = {
  WebSocket: (globalThis as { WebSocket?: WebSocketConstructor }).WebSocket,
  defaultStorage: () => memoryStorage(),
  environment: shareEnvironment((emit) => watchSleep(emit)),
  deviceModel: () => 'React Native',
  // TapTalk issues keys per platform (49104): the app passes `Platform.OS` (`reactNative()` does);
  // without it the server is told plainly that this is React Native, not a browser.
  devicePlatform: 'react-native',
  openTransport: openReactNativeTransport,
};
