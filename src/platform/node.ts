/** Node's defaults: the `ws` client (credentials as headers, protocol pings) and memory storage. */
import WebSocket from 'ws';
import { openNativeTransport } from '../actors/transport.js';
import { defaultDeviceModel } from '../device.js';
import type { WebSocketConstructor } from '../options.js';
import { memoryStorage } from '../storage/memory.js';
import { watchSleep } from './sleep-detector.js';
import type { Platform } from './types.js';
import { isWsConstructor, openWsTransport } from './ws-transport.js';

export const platform: Platform = {
  WebSocket: WebSocket as unknown as WebSocketConstructor,
  defaultStorage: () => memoryStorage(),
  environment: (emit) => watchSleep(emit),
  // Node 22's global WebSocket, or one an app passes, is native: it gets the query credentials.
  deviceModel: () => defaultDeviceModel(),
  openTransport: (Ctor, ...rest) => (isWsConstructor(Ctor) ? openWsTransport : openNativeTransport)(Ctor, ...rest),
};
