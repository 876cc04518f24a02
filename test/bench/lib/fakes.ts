/**
 * I/O-free stand-ins for `fetch` and `ws`, enough for a session to log in and stay connected:
 * the engine's own cost with the network taken out.
 */

import { fromCallback, fromPromise } from 'xstate';

const HOUR = 3_600_000;

/**
 * The session machine's actors and effects with the network taken out, for
 * `sessionMachine.provide(fakeMachineImplementations(...))`: nothing stored, every exchange
 * answered with `grant()`, the socket open (and able to ping) on the next microtask.
 */
export function fakeMachineImplementations(grant: () => unknown) {
  return {
    actors: {
      loadSession: fromPromise(async () => ({ kind: 'none' as const })),
      exchangeTicket: fromPromise(async () => grant()),
      refreshTokens: fromPromise(async () => grant()),
      probeToken: fromPromise(async () => undefined),
      revokeSession: fromPromise(async () => undefined),
      openSocket: fromCallback(({ sendBack }) => {
        queueMicrotask(() => sendBack({ type: 'socket.opened', canPing: true }));
        return () => {};
      }),
    },
    actions: { clearStoredSession: () => {} },
  };
}

function envelope(data: unknown): string {
  return JSON.stringify({ status: 200, error: { code: '', message: '', field: '' }, data });
}

/** A `fetch` answering the ticket exchange, refresh and probe at once. */
export function fakeFetch(now: () => number = Date.now): typeof fetch {
  let n = 0;
  return (async (input: string | URL | Request) => {
    const url = String(input);
    let data: unknown = {};
    if (url.includes('/access_token/')) {
      n += 1;
      const t = now();
      data = {
        accessToken: `access-${n}`,
        accessTokenExpiry: t + HOUR,
        refreshToken: `refresh-${n}`,
        refreshTokenExpiry: t + 720 * HOUR,
        user: { userID: 'u1', xcUserID: 'x1', fullname: 'Bench' },
      };
    }
    return new Response(envelope(data), { status: 200, headers: { 'content-type': 'application/json' } });
  }) as typeof fetch;
}

type Listener = (...args: any[]) => void;

/** Looks like `ws` to the engine (it has `ping`): opens on the next microtask, answers pings. */
export class FakeWebSocket {
  static opened = 0;
  /** Whether `ping()` is answered; the throughput bench sends the pongs itself. */
  static autoPong = true;
  readyState = 0;
  #listeners = new Map<string, Listener[]>();

  constructor(_url: string, _options?: unknown) {
    FakeWebSocket.opened++;
    queueMicrotask(() => {
      if (this.readyState !== 0) return;
      this.readyState = 1;
      this.#emit('open');
    });
  }

  on(event: string, listener: Listener): void {
    const list = this.#listeners.get(event) ?? [];
    list.push(listener);
    this.#listeners.set(event, list);
  }

  addEventListener(event: string, listener: Listener): void {
    this.on(event, listener);
  }

  removeEventListener(): void {}

  #emit(event: string, ...args: unknown[]): void {
    for (const listener of this.#listeners.get(event) ?? []) listener(...args);
  }

  send(): void {}

  ping(): void {
    if (FakeWebSocket.autoPong) queueMicrotask(() => this.#emit('pong'));
  }

  close(code = 1000): void {
    if (this.readyState > 1) return;
    this.readyState = 3;
    queueMicrotask(() => this.#emit('close', code, new Uint8Array()));
  }

  terminate(): void {
    this.close(1006);
  }
}
