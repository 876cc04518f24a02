/**
 * Node's defaults: the `ws` client (credentials as headers, protocol pings), memory storage and one
 * sleep detector shared by the process's sessions.
 */
import WebSocket from 'ws';
import { memoryStorage } from '../storage/memory.js';
import { defaultDeviceModel } from './device-model.js';
import { openNativeTransport } from './native-transport.js';
import type { Platform } from './platform.js';
import type { WebSocketConstructor } from './ports.js';
import { shareEnvironment } from './shared-environment.js';
import { watchSleep } from './sleep-detector.js';
import { isWsConstructor, openWsTransport } from './ws-transport.js';

export const platform: Platform = {
  WebSocket: WebSocket as unknown as WebSocketConstructor,
  defaultStorage: () => memoryStorage(),
  // One sleep detector for every session of the process.
  environment: shareEnvironment((emit) => watchSleep(emit)),
  // Node 22's global WebSocket, or one an app passes, is native: it gets the query credentials.
  deviceModel: () => defaultDeviceModel(),
  // TapTalk keys are issued per platform (49104); a Node client speaks as the web SDK does.
  devicePlatform: 'web',
  openTransport: (Ctor, ...rest) => (isWsConstructor(Ctor) ? openWsTransport : openNativeTransport)(Ctor, ...rest),
};
