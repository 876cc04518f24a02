/**
 * The wire between the app's sessions and the emulator: real loopback I/O, watched. It knows what
 * is still in flight (so the runner can wait until the app has settled instead of sleeping), holds
 * answers on the simulated clock for the `latency` fault, and records what the engine's invariants
 * need: the tokens the server issued and every refresh.
 */
import WebSocket from 'ws';
import type { WebSocketConstructor } from '../index.js';
import type { ScenarioClock } from './clock.js';

/** One refresh request, as the wire saw it. */
export interface RefreshRecord {
  /** The page (session) that sent it: 0 the main one, 1.. siblings. */
  page: number;
  /** The refresh token it presented. */
  token: string;
  /** Simulated time it was sent. */
  at: number;
  /** `rotated`: the server issued new tokens; `refused`: an error envelope; `failed`: no answer. */
  outcome: 'pending' | 'rotated' | 'refused' | 'failed';
}

/** What the engine's invariants read about the traffic of one scenario. */
export interface Traffic {
  /** Every access and refresh token the server has issued in this scenario. */
  readonly issuedTokens: ReadonlySet<string>;
  /** Every refresh request, oldest first. */
  readonly refreshes: readonly RefreshRecord[];
  /** The most refresh requests that were ever in flight at once, over all pages. */
  readonly maxRefreshesInFlight: number;
}

const GRANT_PATHS = new Set(['/v1/auth/access_token/request', '/v1/auth/access_token/refresh']);
const REFRESH_PATH = '/v1/auth/access_token/refresh';
const NULL_BODY_STATUS = new Set([101, 103, 204, 205, 304]);
const OPEN = 1;

/** Reads `data.accessToken` / `data.refreshToken` from an envelope, if it has them. */
function grantOf(body: ArrayBuffer): { accessToken: string; refreshToken: string } | undefined {
  try {
    const data = (JSON.parse(new TextDecoder().decode(body)) as { data?: { accessToken?: unknown; refreshToken?: unknown } }).data;
    if (typeof data?.accessToken === 'string' && typeof data.refreshToken === 'string') return { accessToken: data.accessToken, refreshToken: data.refreshToken };
  } catch {
    // Not an envelope: no grant.
  }
  return undefined;
}

function bearerOf(init: RequestInit | undefined): string | undefined {
  return new Headers(init?.headers).get('authorization')?.replace(/^Bearer /, '') ?? undefined;
}

function abortError(signal: AbortSignal): unknown {
  return signal.reason ?? new DOMException('The operation was aborted', 'AbortError');
}

/** The watched wire of one scenario. */
export class Network implements Traffic {
  /** Simulated milliseconds every HTTP answer is held (the `latency` fault). */
  latencyMs = 0;
  /** Bumped by everything that happens on the wire: the runner waits for it to stand still. */
  activity = 0;
  readonly issuedTokens = new Set<string>();
  readonly refreshes: RefreshRecord[] = [];
  maxRefreshesInFlight = 0;
  /** Ids of the clock's timers that hold answers (not the session's own). */
  readonly heldTimers = new Set<number>();
  #inFlight = 0;
  #refreshesInFlight = 0;
  /** Pings awaiting their pong, on healthy sockets. */
  #pendingPongs = 0;
  /** Frames written on healthy open sockets (lines), for the runner to match with what the emulator received. */
  framesSent = 0;
  readonly #sockets = new Set<WebSocket>();
  readonly #halfOpen = new WeakSet<WebSocket>();

  constructor(readonly clock: ScenarioClock) {}

  /** Whether real I/O is still under way (a request, a handshake, a closing handshake, a pong). */
  get busy(): boolean {
    return this.#inFlight > 0 || this.#pendingPongs > 0 || this.#handshaking() > 0;
  }

  /** Sockets opening or closing: their handshake is real I/O the app is waiting for. */
  #handshaking(): number {
    let n = 0;
    for (const ws of this.#sockets) if (ws.readyState !== OPEN) n++;
    return n;
  }

  /** What is still under way, for a "did not settle" report. */
  describeBusy(): string {
    return `${this.#inFlight} request(s), ${this.#handshaking()} socket handshake(s) and ${this.#pendingPongs} ping(s) outstanding`;
  }

  /** The `halfOpen` fault reached the sockets open now (the emulator ignores what they send). */
  markHalfOpen(on: boolean): void {
    for (const ws of this.#sockets) {
      if (on && ws.readyState === OPEN) this.#halfOpen.add(ws);
      else this.#halfOpen.delete(ws);
    }
  }

  /** A `fetch` for one page: the real one, its answer read whole, then held for the latency. */
  fetchFor(page: number): typeof fetch {
    return (async (input: string | URL | Request, init?: RequestInit) => {
      const path = new URL(input instanceof Request ? input.url : String(input)).pathname;
      const bearer = bearerOf(init);
      const refresh = path === REFRESH_PATH && bearer !== undefined ? { page, token: bearer, at: this.clock.now(), outcome: 'pending' as RefreshRecord['outcome'] } : undefined;
      if (refresh) {
        this.refreshes.push(refresh);
        this.maxRefreshesInFlight = Math.max(this.maxRefreshesInFlight, ++this.#refreshesInFlight);
      }
      try {
        const { response, body } = await this.#real(input, init);
        const grant = GRANT_PATHS.has(path) ? grantOf(body) : undefined;
        if (grant) {
          this.issuedTokens.add(grant.accessToken);
          this.issuedTokens.add(grant.refreshToken);
        }
        if (this.latencyMs > 0) await this.#hold(this.latencyMs, init?.signal ?? undefined);
        // Only an answer that reached the session counts as a rotation it knew of.
        if (refresh) refresh.outcome = grant ? 'rotated' : 'refused';
        const status = response.status;
        return new Response(NULL_BODY_STATUS.has(status) ? null : body, { status, statusText: response.statusText, headers: response.headers });
      } catch (error) {
        if (refresh) refresh.outcome = 'failed';
        throw error;
      } finally {
        if (refresh) this.#refreshesInFlight--;
      }
    }) as typeof fetch;
  }

  /** The real request, its body read whole (so nothing of it is left on the wire). */
  async #real(input: string | URL | Request, init: RequestInit | undefined): Promise<{ response: Response; body: ArrayBuffer }> {
    this.#inFlight++;
    this.activity++;
    try {
      const response = await fetch(input, init);
      return { response, body: await response.arrayBuffer() };
    } finally {
      this.#inFlight--;
      this.activity++;
    }
  }

  /** Waits `ms` of simulated time, or rejects as an abort would. */
  #hold(ms: number, signal: AbortSignal | undefined): Promise<void> {
    return new Promise((resolve, reject) => {
      if (signal?.aborted) return reject(abortError(signal));
      const onAbort = () => {
        this.clock.clearTimeout(id);
        this.heldTimers.delete(id);
        reject(abortError(signal!));
      };
      const id = this.clock.setTimeout(() => {
        this.heldTimers.delete(id);
        signal?.removeEventListener('abort', onAbort);
        resolve();
      }, ms);
      this.heldTimers.add(id);
      signal?.addEventListener('abort', onAbort, { once: true });
    });
  }

  /** The `ws` client, watched: handshakes, closes, pings, frames sent. */
  webSocketFor(): WebSocketConstructor {
    const network = this;
    class WatchedWebSocket extends WebSocket {
      #pings = 0;
      constructor(...args: ConstructorParameters<typeof WebSocket>) {
        super(...args);
        network.#sockets.add(this);
        network.activity++;
        this.on('open', () => network.activity++);
        this.on('message', () => network.activity++);
        this.on('pong', () => {
          network.activity++;
          if (this.#pings > 0) this.#pings--, network.#pendingPongs--;
        });
        this.on('close', () => {
          network.activity++;
          network.#pendingPongs -= this.#pings;
          this.#pings = 0;
          network.#sockets.delete(this);
        });
      }
      override ping(...args: Parameters<WebSocket['ping']>): void {
        // A half-open socket never answers: its ping is not worth waiting for.
        if (this.readyState === OPEN && !network.#halfOpen.has(this)) {
          this.#pings++;
          network.#pendingPongs++;
        }
        super.ping(...args);
      }
      override send(data: Parameters<WebSocket['send']>[0], ...rest: any[]): void {
        if (this.readyState === OPEN && !network.#halfOpen.has(this)) {
          network.framesSent += String(data).split(/\r?\n/).filter((line) => line.trim() !== '').length;
        }
        network.activity++;
        (super.send as (...args: unknown[]) => void)(data, ...rest);
      }
    }
    return WatchedWebSocket as unknown as WebSocketConstructor;
  }
}
