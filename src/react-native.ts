/**
 * The main entry as React Native gets it (the `react-native` condition): everything in the main
 * entry, with React Native's platform behind `#platform`, plus the helpers that turn the app's
 * `AppState`, NetInfo, `Platform` and AsyncStorage into session options.
 */
export * from './index.js';
export { asyncStorage, reactNative, reactNativeEnvironment } from './react-native/index.js';
export type {
  AppStateLike,
  AsyncStorageLike,
  NetInfoLike,
  NetInfoStateLike,
  PlatformLike,
  ReactNativeEnvironmentModules,
  ReactNativeModules,
} from './react-native/index.js';
