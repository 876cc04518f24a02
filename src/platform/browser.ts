/**
 * Browsers' defaults: the native `WebSocket` (credentials in the query, as the web SDK sends them),
 * `localStorage`, and the page's `online`/`offline`/`visibilitychange` events plus sleep detection.
 */
import { webStorage } from '../storage/web.js';
import { browserDeviceModel, type DeviceEnvironment } from './device-model.js';
import { openNativeTransport } from './native-transport.js';
import type { Platform } from './platform.js';
import type { EnvironmentEvent, WebSocketConstructor } from './ports.js';
import { watchSleep } from './sleep-detector.js';

interface EventSourceLike {
  addEventListener(type: string, listener: () => void): void;
  removeEventListener(type: string, listener: () => void): void;
}

function listen(target: EventSourceLike | undefined, type: string, listener: () => void): () => void {
  if (typeof target?.addEventListener !== 'function') return () => {};
  target.addEventListener(type, listener);
  return () => target.removeEventListener(type, listener);
}

function watchPage(emit: (event: EnvironmentEvent) => void): () => void {
  const g = globalThis as { window?: EventSourceLike; document?: EventSourceLike & { visibilityState?: string } };
  const doc = g.document;
  const stops = [
    listen(g.window, 'online', () => emit({ type: 'env.online' })),
    listen(g.window, 'offline', () => emit({ type: 'env.offline' })),
    listen(doc, 'visibilitychange', () => emit({ type: doc?.visibilityState === 'hidden' ? 'env.hidden' : 'env.visible' })),
    watchSleep(emit),
  ];
  return () => stops.forEach((stop) => stop());
}

export const platform: Platform = {
  WebSocket: (globalThis as { WebSocket?: WebSocketConstructor }).WebSocket,
  defaultStorage: () => webStorage(),
  environment: watchPage,
  deviceModel: () => browserDeviceModel((globalThis as DeviceEnvironment).navigator),
  devicePlatform: 'web',
  // Browsers have only the native kind (decision 001): `ws` cannot run here, and its transport stays out of the bundle.
  openTransport: openNativeTransport,
};
