/** The app's React Native modules (`Platform`, AsyncStorage, `AppState`, NetInfo) as session options. */
import type { SessionOptions } from '../options.js';
import type { StorageAdapter } from '../storage/types.js';
import { TapTalkError } from '../errors.js';
import { reactNativeEnvironment, type ReactNativeEnvironmentModules } from './environment.js';

/** The part of `@react-native-async-storage/async-storage` used here (its default export fits). */
export interface AsyncStorageLike {
  getItem(key: string): Promise<string | null>;
  setItem(key: string, value: string): Promise<void>;
  removeItem(key: string): Promise<void>;
}

/**
 * AsyncStorage as the session's storage. AsyncStorage already has the three methods a storage
 * needs (passing it directly works too); this checks it once and reads it asynchronously, so
 * `ready` is `false` while the stored session loads (SES-48).
 *
 * @throws TapTalkError `95011` when `store` lacks one of the methods (an AsyncStorage that failed to link).
 * @example
 * ```ts
 * import AsyncStorage from '@react-native-async-storage/async-storage';
 * createSession({ ...options, storage: asyncStorage(AsyncStorage) });
 * ```
 */
export function asyncStorage(store: AsyncStorageLike): StorageAdapter {
  for (const method of ['getItem', 'setItem', 'removeItem'] as const) {
    if (typeof store?.[method] !== 'function') throw new TapTalkError('95011', { message: `Invalid options: AsyncStorage has no ${method}` });
  }
  return {
    getItem: (key) => store.getItem(key),
    setItem: (key, value) => store.setItem(key, value),
    removeItem: (key) => store.removeItem(key),
  };
}

/** The part of `Platform` (from `react-native`) used here. */
export interface PlatformLike {
  /** `'ios'`, `'android'`, ... */
  readonly OS: string;
  readonly Version?: string | number;
}

/** What {@link reactNative} takes: React Native's modules, as the app imports them. */
export interface ReactNativeModules extends ReactNativeEnvironmentModules {
  Platform: PlatformLike;
  AsyncStorage?: AsyncStorageLike;
}

/**
 * The session options React Native needs, from its own modules: `Device-Platform` from
 * `Platform.OS`, a `Device-Model` naming the OS version, the environment from `AppState` and
 * NetInfo, and AsyncStorage as the storage (memory without it). Spread it into `createSession`.
 *
 * @example
 * ```ts
 * createSession({ baseUrl, appID, appSecret, ...reactNative({ AppState, NetInfo, Platform, AsyncStorage }) });
 * ```
 */
export function reactNative({ Platform, AsyncStorage, ...environment }: ReactNativeModules): Pick<SessionOptions, 'platform' | 'deviceModel' | 'environment' | 'storage'> {
  const options: Pick<SessionOptions, 'platform' | 'deviceModel' | 'environment' | 'storage'> = {
    platform: Platform.OS,
    deviceModel: `React Native on ${Platform.OS}${Platform.Version === undefined ? '' : ` ${Platform.Version}`}`,
    environment: reactNativeEnvironment(environment),
  };
  if (AsyncStorage) options.storage = asyncStorage(AsyncStorage);
  return options;
}
