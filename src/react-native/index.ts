/**
 * The main entry as React Native gets it (the `react-native` condition): everything in the main
 * entry, with React Native's platform behind `#platform`, plus the helpers that turn the app's
 * `AppState`, NetInfo, `Platform` and AsyncStorage into session options.
 */
export * from '../index.js';
export { reactNativeEnvironment } from './environment.js';
export type { AppStateLike, NetInfoLike, NetInfoStateLike, ReactNativeEnvironmentModules } from './environment.js';
export { asyncStorage, reactNative } from './options.js';
export type { AsyncStorageLike, PlatformLike, ReactNativeModules } from './options.js';
