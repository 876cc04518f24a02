/**
 * The ports: what the engine needs from its runtime, as interfaces. A platform (src/platform/node.ts,
 * browser.ts) supplies defaults for them; an app or a test may pass its own through the options.
 */
import type { EnvironmentEvent } from '../../machines/session.types.js';

export type { EnvironmentEvent };

/**
 * The session's one clock. `now` is a monotonic millisecond reading; the timers drive the machine
 * and every actor's delays, so a test can pass xstate's `SimulatedClock` and run in virtual time.
 */
export interface Clock {
  now(): number;
  setTimeout(fn: (...args: unknown[]) => void, ms: number): unknown;
  clearTimeout(id: unknown): void;
}

/** The part of a WebSocket the engine uses: the WHATWG API, plus `ws`'s extras when present. */
export interface WebSocketLike {
  readonly readyState: number;
  binaryType?: string;
  send(data: string): void;
  close(code?: number, reason?: string): void;
  addEventListener(type: string, listener: (event: any) => void): void;
  removeEventListener(type: string, listener: (event: any) => void): void;
}

/** A WebSocket constructor: the browser's native one or `ws`'s (which also takes `{ headers }`). */
export type WebSocketConstructor = new (url: string, protocols?: any, options?: any) => WebSocketLike;

/** Starts watching the environment; returns the function that stops watching. */
export type EnvironmentSource = (emit: (event: EnvironmentEvent) => void) => () => void;
