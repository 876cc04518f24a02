/**
 * Fake WebSockets for the model test, in both shapes the Node platform's `openTransport` recognises: a
 * browser-like one (`addEventListener`, credentials in the query, no pings) and a `ws`-like one
 * (`on`, `ping`, `terminate`, credentials in headers, `unexpected-response` on a refused
 * upgrade). The handshake, pongs and closes happen on microtasks or on the server's latency
 * timer, never in real time. Every write to a socket that is not open is recorded as a violation.
 */
import type { WebSocketConstructor } from '../../src/platform/ports.js';
import type { FakeServer } from './fake-server.js';

const CONNECTING = 0;
const OPEN = 1;
const CLOSING = 2;
const CLOSED = 3;

type Listener = (...args: any[]) => void;

/** What both shapes share: the server's view of one connection. */
export abstract class FakeSocket {
  readyState = CONNECTING;
  binaryType = 'blob';
  halfOpen = false;
  /** Session-clock time at which it went half-open. */
  halfOpenSince = 0;
  /** The server's close frame arrived; the close event has not yet (readyState CLOSING meanwhile). */
  serverClosing = false;
  /** The grant whose access token opened it (set when open). */
  grant: unknown = null;
  readonly writes: string[] = [];
  protected closeEmitted = false;
  private cancelHandshake: () => void;

  constructor(
    readonly server: FakeServer,
    readonly instance: number,
    readonly token: string | undefined,
    alive: boolean,
  ) {
    server.sockets.push(this);
    if (!alive) server.violation('a disposed session opened a socket');
    server.noteToken(token, 'socket upgrade');
    this.cancelHandshake = server.later(() => this.handshake());
  }

  protected abstract emitOpen(): void;
  protected abstract emitMessage(text: string): void;
  protected abstract emitClose(code: number, reason: string, error: boolean): void;
  /** A refused upgrade: `ws` shows the HTTP answer, a browser only sees the socket fail. */
  protected abstract emitRefused(status: number, body: string): void;

  private handshake(): void {
    if (this.readyState !== CONNECTING) return;
    const s = this.server;
    if (s.faults.networkDown) return this.fail(1006, '', true);
    const injected = s.takeFailure('socket');
    if (injected === '401' || injected === '401http') return this.refuse(401, '40104');
    if (injected !== undefined || s.faults.refuseSockets) return this.refuse(503, '50001');
    const g = s.checkAccess(this.token);
    if (typeof g === 'string') return this.refuse(401, g);
    this.grant = g;
    this.readyState = OPEN;
    this.emitOpen();
  }

  private refuse(status: number, code: string): void {
    if (status === 401) this.server.unauthorizedAnswers++;
    this.emitRefused(status, JSON.stringify({ status, error: { code, message: 'Refused', field: '' }, data: {} }));
  }

  /** Ends the connection from below (network, refusal); events follow on a microtask. */
  protected fail(code: number, reason: string, error: boolean): void {
    this.readyState = CLOSING;
    queueMicrotask(() => this.finish(code, reason, error));
  }

  protected finish(code: number, reason: string, error: boolean): void {
    this.readyState = CLOSED;
    this.serverClosing = false;
    if (this.closeEmitted) return;
    this.closeEmitted = true;
    this.emitClose(code, reason, error);
  }

  send(data: string): void {
    if (this.readyState !== OPEN) {
      this.server.violation(`a frame was written to a socket in readyState ${this.readyState}`);
      if (this.readyState === CONNECTING) throw new Error('InvalidStateError: still connecting');
      return;
    }
    this.writes.push(data);
    this.server.written.push({ socket: this, data });
  }

  /** The client closes; a socket still connecting is abandoned. The closing handshake takes a round trip. */
  close(code = 1000, reason = ''): void {
    this.serverClosing = false; // given up by the client: no longer its connection
    if (this.readyState === CLOSING || this.readyState === CLOSED) return;
    const wasOpen = this.readyState === OPEN;
    this.cancelHandshake();
    this.readyState = CLOSING;
    if (wasOpen) this.server.later(() => this.finish(code, reason, false));
    else queueMicrotask(() => this.finish(1006, '', true));
  }

  /**
   * The server closes an open socket: a cut (1006) ends it at once; a clean close is received
   * first (`readyState` CLOSING, the socket still attached) and ends a round trip later.
   */
  serverClose(code: number, reason: string): void {
    if (this.readyState !== OPEN) return;
    queueMicrotask(() => {
      if (this.readyState !== OPEN) return;
      if (code === 1006) return this.finish(code, reason, true);
      this.readyState = CLOSING;
      this.serverClosing = true;
      this.server.later(() => this.finish(code, reason, false));
    });
  }

  /** A server event; false when the socket cannot carry it. */
  deliver(text: string): boolean {
    if (this.readyState !== OPEN || this.halfOpen) return false;
    this.emitMessage(text);
    return true;
  }

  heal(): void {
    this.halfOpen = false;
  }

  /** Protocol ping (only the `ws` shape exposes it). */
  protected pingImpl(): void {
    if (this.readyState !== OPEN) throw new Error('WebSocket is not open');
    if (this.halfOpen) return;
    this.server.later(() => {
      if (this.readyState === OPEN && !this.halfOpen) this.emitPong();
    });
  }

  protected emitPong(): void {}
}

/** A browser-shaped socket: events by `addEventListener`, credentials in the query. */
function browserClass(server: FakeServer, instance: number, alive: () => boolean) {
  return class FakeBrowserSocket extends FakeSocket {
    private readonly listeners = new Map<string, Set<Listener>>();
    constructor(url: string) {
      const token = new URL(url).searchParams.get('authorization')?.replace(/^Bearer /, '');
      super(server, instance, token, alive());
    }
    addEventListener(type: string, fn: Listener): void {
      if (!this.listeners.has(type)) this.listeners.set(type, new Set());
      this.listeners.get(type)!.add(fn);
    }
    removeEventListener(type: string, fn: Listener): void {
      this.listeners.get(type)?.delete(fn);
    }
    private dispatch(type: string, event: unknown): void {
      for (const fn of [...(this.listeners.get(type) ?? [])]) fn(event);
    }
    protected emitOpen() {
      this.dispatch('open', { type: 'open' });
    }
    protected emitMessage(text: string) {
      this.dispatch('message', { type: 'message', data: text });
    }
    protected emitClose(code: number, reason: string, error: boolean) {
      if (error) this.dispatch('error', { type: 'error' });
      this.dispatch('close', { type: 'close', code, reason, wasClean: !error });
    }
    protected emitRefused() {
      this.fail(1006, '', true);
    }
  };
}

/** A `ws`-shaped socket: events by `on`, credentials in headers, pings, `unexpected-response`. */
function nodeClass(server: FakeServer, instance: number, alive: () => boolean) {
  return class FakeNodeSocket extends FakeSocket {
    private readonly handlers = new Map<string, Set<Listener>>();
    constructor(_url: string, options: { headers?: Record<string, string> } = {}) {
      super(server, instance, options.headers?.Authorization?.replace(/^Bearer /, ''), alive());
    }
    on(type: string, fn: Listener): void {
      if (!this.handlers.has(type)) this.handlers.set(type, new Set());
      this.handlers.get(type)!.add(fn);
    }
    addEventListener(): void {}
    removeEventListener(): void {}
    private emit(type: string, ...args: unknown[]): void {
      for (const fn of [...(this.handlers.get(type) ?? [])]) fn(...args);
    }
    ping(): void {
      this.pingImpl();
    }
    terminate(): void {
      if (this.readyState === CLOSED) return;
      this.close(1006, '');
    }
    protected override emitPong() {
      this.emit('pong');
    }
    protected emitOpen() {
      this.emit('open');
    }
    protected emitMessage(text: string) {
      this.emit('message', new TextEncoder().encode(text));
    }
    protected emitClose(code: number, reason: string, error: boolean) {
      if (error) this.emit('error', Object.assign(new Error('socket error'), { code: 'ECONNRESET' }));
      this.emit('close', code, new TextEncoder().encode(reason));
    }
    protected emitRefused(status: number, body: string) {
      // ws reads the answer, then the transport destroys the request and terminates the socket.
      const res = {
        statusCode: status,
        on: (event: string, fn: Listener) => {
          if (event === 'data') queueMicrotask(() => fn(new TextEncoder().encode(body)));
          if (event === 'end') queueMicrotask(() => queueMicrotask(() => fn()));
        },
      };
      this.emit('unexpected-response', { destroy: () => {} }, res);
    }
  };
}

/** The WebSocket constructor a session instance gets, in the chosen shape. */
export function socketClass(server: FakeServer, instance: number, flavor: 'browser' | 'node', alive: () => boolean): WebSocketConstructor {
  const Ctor = flavor === 'node' ? nodeClass(server, instance, alive) : browserClass(server, instance, alive);
  return Ctor as unknown as WebSocketConstructor;
}
