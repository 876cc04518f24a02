/** Node's defaults: the `ws` client (credentials as headers, protocol pings) and memory storage. */
import WebSocket from 'ws';
import type { WebSocketConstructor } from '../options.js';
import { memoryStorage } from '../storage/memory.js';
import { watchSleep } from './sleep-detector.js';
import type { Platform } from './types.js';

export const platform: Platform = {
  WebSocket: WebSocket as unknown as WebSocketConstructor,
  defaultStorage: () => memoryStorage(),
  environment: (emit) => watchSleep(emit),
};
