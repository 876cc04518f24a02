/**
 * `reactNativeEnvironment({ AppState, NetInfo })`: React Native's app state and connectivity as the
 * engine's environment events. Foreground is `env.visible` (an overdue token is refreshed and a
 * waiting socket retried at once, as when a browser tab comes back); background is `env.hidden`,
 * which leaves a healthy socket alone; NetInfo's connectivity is `env.online` / `env.offline`.
 * The modules are passed in, so this package depends on neither.
 */
import type { EnvironmentEvent, EnvironmentSource } from '../platform/ports.js';
import { watchSleep } from '../platform/sleep-detector.js';

/** The part of `AppState` (from `react-native`) used here. */
export interface AppStateLike {
  readonly currentState?: string | null;
  addEventListener(type: 'change', listener: (state: string) => void): { remove(): void };
}

/** What NetInfo reports: `null` means not known yet. */
export interface NetInfoStateLike {
  isConnected: boolean | null;
  isInternetReachable?: boolean | null;
}

/** The part of `@react-native-community/netinfo`'s default export used here. */
export interface NetInfoLike {
  addEventListener(listener: (state: NetInfoStateLike) => void): () => void;
}

/** What {@link reactNativeEnvironment} takes; NetInfo is optional (without it, no connectivity events). */
export interface ReactNativeEnvironmentModules {
  AppState: AppStateLike;
  NetInfo?: NetInfoLike;
}

/**
 * An environment source for `createSession({ environment })`: `AppState` changes, NetInfo
 * connectivity and sleep detection.
 *
 * @example
 * ```ts
 * import { AppState } from 'react-native';
 * import NetInfo from '@react-native-community/netinfo';
 * createSession({ ...options, environment: reactNativeEnvironment({ AppState, NetInfo }) });
 * ```
 */
export function reactNativeEnvironment({ AppState, NetInfo }: ReactNativeEnvironmentModules): EnvironmentSource {
  return (emit: (event: EnvironmentEvent) => void) => {
    // `inactive` (iOS: a call, the app switcher) is a pause on the way, not a change.
    let background = AppState.currentState === 'background';
    const appState = AppState.addEventListener('change', (state) => {
      if (state === 'background' && !background) {
        background = true;
        emit({ type: 'env.hidden' });
      } else if (state === 'active' && background) {
        background = false;
        emit({ type: 'env.visible' });
      }
    });
    // Online until NetInfo says otherwise, as browsers start; an unknown (`null`) answer changes nothing.
    let online = true;
    const stopNetInfo = NetInfo?.addEventListener(({ isConnected, isInternetReachable }) => {
      const known = isConnected === false || isInternetReachable === false ? false : isConnected === true ? true : undefined;
      if (known === undefined || known === online) return;
      online = known;
      emit({ type: online ? 'env.online' : 'env.offline' });
    });
    const stopSleep = watchSleep(emit);
    return () => {
      appState.remove();
      stopNetInfo?.();
      stopSleep();
    };
  };
}
