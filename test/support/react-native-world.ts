/**
 * A React Native world without a phone: fake `AppState` and NetInfo, React Native's WebSocket
 * (WHATWG events, `{ headers }` as the third constructor argument, `ping()` on its prototype, no
 * pong) over `ws`, React Native's fetch (no body stream) and `URL` (getters "not implemented"),
 * timers that stop while the app is in the background, and a `node:vm` context shaped like Hermes:
 * no window, document, localStorage, TextDecoder, process, Buffer or require.
 */
import vm from 'node:vm';
import WsClient from 'ws';

/** `AppState` from `react-native`, driven by `set(state)`. */
export function fakeAppState(initial: string = 'active') {
  const listeners = new Set<(state: string) => void>();
  return {
    currentState: initial,
    addEventListener(_type: 'change', listener: (state: string) => void) {
      listeners.add(listener);
      return { remove: () => void listeners.delete(listener) };
    },
    set(state: string) {
      this.currentState = state;
      for (const listener of [...listeners]) listener(state);
    },
    listeners: () => listeners.size,
  };
}

interface NetInfoState {
  isConnected: boolean | null;
  isInternetReachable?: boolean | null;
}

/** NetInfo's default export: reports the current state to a new listener at once, as it does. */
export function fakeNetInfo(initial: NetInfoState = { isConnected: true, isInternetReachable: true }) {
  const listeners = new Set<(state: NetInfoState) => void>();
  let current = initial;
  return {
    addEventListener(listener: (state: NetInfoState) => void) {
      listeners.add(listener);
      queueMicrotask(() => listeners.has(listener) && listener(current));
      return () => void listeners.delete(listener);
    },
    set(state: NetInfoState) {
      current = state;
      for (const listener of [...listeners]) listener(state);
    },
    listeners: () => listeners.size,
  };
}

/** AsyncStorage: asynchronous, backed by a map the test can read. */
export function fakeAsyncStorage() {
  const entries = new Map<string, string>();
  return {
    entries,
    getItem: async (key: string) => entries.get(key) ?? null,
    setItem: async (key: string, value: string) => void entries.set(key, value),
    removeItem: async (key: string) => void entries.delete(key),
  };
}

/** One `new WebSocket(...)` as React Native's is called. */
export interface SocketCall {
  url: string;
  protocols: unknown;
  options: { headers?: Record<string, string> } | undefined;
}

type Listener = (event: Record<string, unknown>) => void;

/** A React Native WebSocket class whose constructions are recorded in `calls`. */
export function reactNativeWebSocketClass(calls: SocketCall[] = []) {
  return class ReactNativeWebSocket {
    static readonly CONNECTING = 0;
    static readonly OPEN = 1;
    static readonly CLOSING = 2;
    static readonly CLOSED = 3;
    binaryType = 'blob';
    readonly #ws: WsClient;
    readonly #listeners = new Map<string, Set<Listener>>();

    constructor(url: string, protocols?: string | string[] | null, options?: { headers?: Record<string, string> }) {
      calls.push({ url, protocols, options });
      this.#ws = new WsClient(url, protocols ?? undefined, { headers: options?.headers });
      this.#ws.on('open', () => this.#dispatch('open', {}));
      this.#ws.on('message', (data: Buffer, isBinary: boolean) => {
        if (!isBinary) return this.#dispatch('message', { data: data.toString('utf8') });
        // React Native hands binary frames over as an ArrayBuffer when asked to (a Blob otherwise).
        const copy = data.buffer.slice(data.byteOffset, data.byteOffset + data.byteLength);
        this.#dispatch('message', { data: this.binaryType === 'arraybuffer' ? copy : { blob: true } });
      });
      this.#ws.on('error', (error: Error) => this.#dispatch('error', { message: error.message }));
      this.#ws.on('close', (code: number, reason: Buffer) => this.#dispatch('close', { code, reason: reason.toString('utf8') }));
    }
    get readyState(): number {
      return this.#ws.readyState;
    }
    send(data: string): void {
      this.#ws.send(data);
    }
    close(code?: number, reason?: string): void {
      this.#ws.close(code, reason);
    }
    /** React Native's: sends a ping frame; the pong is never reported. */
    ping(): void {
      this.#ws.ping();
    }
    addEventListener(type: string, listener: Listener): void {
      if (!this.#listeners.has(type)) this.#listeners.set(type, new Set());
      this.#listeners.get(type)!.add(listener);
    }
    removeEventListener(type: string, listener: Listener): void {
      this.#listeners.get(type)?.delete(listener);
    }
    #dispatch(type: string, event: Record<string, unknown>): void {
      for (const listener of [...(this.#listeners.get(type) ?? [])]) listener({ type, ...event });
    }
  };
}

/** The class itself, for prototype checks. */
export const ReactNativeWebSocket = reactNativeWebSocketClass();

/** React Native's fetch (whatwg-fetch over XMLHttpRequest): a Response with no body stream. */
function reactNativeFetch(input: string, init?: RequestInit) {
  return fetch(input, init).then(async (response) => {
    const text = await response.text();
    return { ok: response.ok, status: response.status, statusText: response.statusText, url: response.url, headers: response.headers, body: null, text: async () => text, json: async () => JSON.parse(text) };
  });
}

/** React Native's `URL`: keeps the string; its getters are not implemented. */
class ReactNativeUrl {
  constructor(readonly href: string) {}
  toString(): string {
    return this.href;
  }
}
for (const name of ['protocol', 'host', 'hostname', 'origin', 'pathname', 'username', 'password', 'search', 'hash', 'port']) {
  Object.defineProperty(ReactNativeUrl.prototype, name, {
    get() {
      throw new Error(`URL.${name} is not implemented`);
    },
  });
}

/** Timers that hold their callbacks while `pause()`d, as iOS holds a backgrounded app's JS. */
export function suspendableTimers() {
  let paused = false;
  const held = new Map<unknown, () => void>();
  const wrap = (id: () => unknown, fn: () => void) => () => {
    if (paused) held.set(id(), fn);
    else fn();
  };
  return {
    setTimeout(fn: (...args: unknown[]) => void, ms?: number, ...args: unknown[]) {
      const timer: NodeJS.Timeout = setTimeout(wrap(() => timer, () => fn(...args)), ms);
      return timer;
    },
    clearTimeout(id: NodeJS.Timeout) {
      held.delete(id);
      clearTimeout(id);
    },
    setInterval(fn: () => void, ms?: number) {
      const timer: NodeJS.Timeout = setInterval(wrap(() => timer, fn), ms);
      return timer;
    },
    clearInterval(id: NodeJS.Timeout) {
      held.delete(id);
      clearInterval(id);
    },
    pause() {
      paused = true;
    },
    /** Runs what came due meanwhile, as the JS thread does when it runs again. */
    resume() {
      paused = false;
      const due = [...held.values()];
      held.clear();
      due.forEach((fn) => fn());
    },
  };
}

/** A `node:vm` context with what Hermes and React Native provide, and nothing else. */
export function hermesContext(WebSocket: unknown, timers: ReturnType<typeof suspendableTimers>): vm.Context {
  return vm.createContext({
    fetch: reactNativeFetch,
    Headers,
    WebSocket,
    URL: ReactNativeUrl,
    URLSearchParams,
    AbortController,
    TextEncoder,
    btoa,
    atob,
    queueMicrotask,
    console,
    // Hermes has performance.now() but no timeOrigin.
    performance: { now: () => performance.now() },
    navigator: { product: 'ReactNative' },
    setTimeout: timers.setTimeout,
    clearTimeout: timers.clearTimeout,
    setInterval: timers.setInterval,
    clearInterval: timers.clearInterval,
  });
}
