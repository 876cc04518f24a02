/**
 * A deterministic, in-memory TapTalk server for the model test: a `fetch` for the endpoints the
 * engine uses, with TapTalk envelopes, token issue, rotation and expiry on the simulated clock,
 * fault switches, and everything the invariants need to know (who sent which token when, how many
 * refreshes are in flight, what was written to which socket).
 *
 * Nothing here uses real time or real I/O: an answer comes on a microtask, or after a latency on
 * the simulated clock (such timers are tagged as the server's, so the "no timer left after
 * dispose" invariant can tell them from the session's).
 */
import type { ScenarioClock } from '../../src/testing/index.js';
import type { FakeSocket } from './fake-sockets.js';

/** Endpoints by the key the faults use. */
export const ENDPOINTS = {
  exchange: 'POST /v1/auth/access_token/request',
  probe: 'GET /connect',
  refresh: 'POST /v1/auth/access_token/refresh',
  logout: 'POST /v1/client/logout',
  configs: 'POST /v1/client/project_configs',
  user: 'POST /v1/client/user/get_by_id',
} as const;
export type Endpoint = keyof typeof ENDPOINTS | 'socket';

/** What an injected failure answers. */
export type FailureKind =
  | '5xx' // HTTP 500, envelope 50001
  | 'html502' // a proxy's HTML page
  | '401' // envelope 40104 (HTTP 200, TapTalk style)
  | '401http' // HTTP 401 with the envelope (mirror style)
  | 'malformed' // 200 with JSON that is not an envelope
  | 'truncated' // 200 with half an envelope
  | 'oversized' // Content-Length over 1 MiB
  | 'badGrant'; // a 200 envelope whose data lacks the tokens

interface Grant {
  id: number;
  /** The login this grant descends from (the exchange's grant id; refreshes keep it). */
  chain: number;
  userID: string;
  accessToken: string;
  refreshToken: string;
  accessExpiry: number;
  refreshExpiry: number;
  accessForcedExpired: boolean;
  revoked: boolean;
}

/** One request as the server saw it (at the moment `fetch` was called). */
export interface RequestRecord {
  endpoint: Endpoint | string;
  bearer: string | undefined;
  instance: number;
  at: number;
}

export interface ServerOptions {
  clock: ScenarioClock;
  accessTtlMs: number;
  refreshTtlMs: number;
}

class AbortError extends Error {
  override name = 'AbortError';
}

const envelope = (status: number, code: string, data: unknown = {}, message = '') =>
  JSON.stringify({ status, error: { code, message, field: '' }, data });

/** The fake server of one model run. */
export class FakeServer {
  readonly clock: ScenarioClock;
  readonly opts: ServerOptions;
  /** Server wall time minus the session clock; grows when a sleep stopped the monotonic clock. */
  offsetMs = 0;
  readonly faults = {
    networkDown: false,
    refuseSockets: false,
    latencyMs: 0,
    /** Requests are processed but their answers never arrive (the client's timeout ends them). */
    blackhole: false,
    failNext: new Map<Endpoint, FailureKind[]>(),
  };
  readonly tickets = new Map<string, { userID: string; used: boolean }>();
  readonly grants: Grant[] = [];
  /** Tokens the app has given up (logout, reauthenticate, refresh token refused): never to be sent again. */
  readonly retired = new Set<string>();
  /**
   * Off once the storage refused or ignored a write: a restart then restores what is stored, which
   * may be tokens the session had already rotated or given up (SES-57: a failed save does not
   * survive a restart). The server's refusal of them is the client's right answer.
   */
  checkRetired = true;
  readonly requests: RequestRecord[] = [];
  readonly sockets: FakeSocket[] = [];
  /** Every frame a client wrote, in order, with the socket it went to. */
  readonly written: { socket: FakeSocket; data: string }[] = [];
  /** Ids of the clock's timers that belong to the server, not the session. */
  readonly timerIds = new Set<unknown>();
  readonly violations: string[] = [];
  /** Exchange requests per ticket, and 401-class answers given (to tell a refusal from a transient failure). */
  readonly exchangesPerTicket = new Map<string, number>();
  unauthorizedAnswers = 0;
  /** Refresh requests the session itself aborted (not a timeout), by instance; the world checks why. */
  readonly abandonedRefreshes: number[] = [];
  /** The login chain of each try of each app call, by call number. */
  readonly callTries = new Map<number, number[]>();
  refreshInFlight = 0;
  maxRefreshInFlight = 0;
  private nextID = 1;

  constructor(opts: ServerOptions) {
    this.clock = opts.clock;
    this.opts = opts;
  }

  now(): number {
    return this.clock.now() + this.offsetMs;
  }

  violation(message: string): void {
    this.violations.push(message);
  }

  mintTicket(): string {
    const ticket = `ticket-${this.nextID++}`;
    this.tickets.set(ticket, { userID: `u${this.nextID}`, used: false });
    return ticket;
  }

  /** The tokens issued so far become off limits (the app logged out or replaced the session). */
  retireAll(): void {
    for (const g of this.grants) {
      this.retired.add(g.accessToken);
      this.retired.add(g.refreshToken);
    }
  }

  queueFailure(endpoint: Endpoint, kind: FailureKind, count: number): void {
    const list = this.faults.failNext.get(endpoint) ?? [];
    for (let i = 0; i < count; i++) list.push(kind);
    this.faults.failNext.set(endpoint, list);
  }

  takeFailure(endpoint: Endpoint): FailureKind | undefined {
    return this.faults.failNext.get(endpoint)?.shift();
  }

  resetFaults(): void {
    this.faults.networkDown = false;
    this.faults.refuseSockets = false;
    this.faults.latencyMs = 0;
    this.faults.blackhole = false;
    this.faults.failNext.clear();
    for (const s of this.sockets) s.heal();
  }

  /**
   * Runs `fn` after `ms` of simulated time: on a microtask when `ms` is 0, else on a clock timer
   * tagged as the server's. Returns a cancel function.
   */
  after(ms: number, fn: () => void): () => void {
    if (ms <= 0) {
      let cancelled = false;
      queueMicrotask(() => {
        if (!cancelled) fn();
      });
      return () => void (cancelled = true);
    }
    const id = this.clock.setTimeout(() => {
      this.timerIds.delete(id);
      fn();
    }, ms);
    this.timerIds.add(id);
    return () => {
      this.timerIds.delete(id);
      this.clock.clearTimeout(id);
    };
  }

  /** After the current latency (a whole round trip). */
  later(fn: () => void): () => void {
    return this.after(this.faults.latencyMs, fn);
  }

  /** Checks a token a client presents, on any channel: no retired token may be sent again. */
  noteToken(token: string | undefined, endpoint: string): void {
    if (this.checkRetired && token !== undefined && this.retired.has(token) && endpoint !== ENDPOINTS.logout) {
      this.violation(`a token given up before is sent again on ${endpoint}`);
    }
  }

  // ---- tokens -------------------------------------------------------------------------------

  private issue(userID: string, chain?: number): Grant {
    const now = this.now();
    const id = this.nextID++;
    const g: Grant = {
      id,
      chain: chain ?? id,
      userID,
      accessToken: `at-${this.nextID}`,
      refreshToken: `rt-${this.nextID}`,
      accessExpiry: now + this.opts.accessTtlMs,
      refreshExpiry: now + this.opts.refreshTtlMs,
      accessForcedExpired: false,
      revoked: false,
    };
    this.grants.push(g);
    return g;
  }

  /** The live grant of an access token, or the 401xx code it earns. */
  checkAccess(token: string | undefined): Grant | '40103' | '40104' {
    const g = this.grants.find((x) => x.accessToken === token);
    if (!g || g.revoked) return '40103';
    if (g.accessForcedExpired || this.now() >= g.accessExpiry) return '40104';
    return g;
  }

  expireAccessTokens(): void {
    for (const g of this.grants) g.accessForcedExpired = true;
  }

  revokeAll(): void {
    for (const g of this.grants) g.revoked = true;
  }

  private grantData(g: Grant) {
    return {
      accessToken: g.accessToken,
      accessTokenExpiry: g.accessExpiry,
      refreshToken: g.refreshToken,
      refreshTokenExpiry: g.refreshExpiry,
      user: { userID: g.userID, xcUserID: `x-${g.userID}`, fullname: `User ${g.userID}` },
    };
  }

  // ---- HTTP ---------------------------------------------------------------------------------

  private respond(status: number, body: string, headers: Record<string, string> = {}): Response {
    return new Response(body, {
      status,
      headers: { 'content-type': 'application/json', date: new Date(this.now()).toUTCString(), ...headers },
    });
  }

  private failure(kind: FailureKind): Response {
    switch (kind) {
      case '5xx':
        return this.respond(500, envelope(500, '50001', {}, 'Injected'));
      case 'html502':
        return this.respond(502, '<html><body><h1>502 Bad Gateway</h1></body></html>', { 'content-type': 'text/html' });
      case '401':
        this.unauthorizedAnswers++;
        return this.respond(200, envelope(401, '40104', {}, 'Token expired'));
      case '401http':
        this.unauthorizedAnswers++;
        return this.respond(401, envelope(401, '40104', {}, 'Token expired'));
      case 'malformed':
        return this.respond(200, JSON.stringify({ status: 200, data: {} }));
      case 'truncated':
        return this.respond(200, '{"status":200,"error":{"code":"","mess');
      case 'oversized':
        return this.respond(200, envelope(200, ''), { 'content-length': String(2 * 1024 * 1024) });
      case 'badGrant':
        return this.respond(200, envelope(200, '', { user: { userID: 'x' } }));
    }
  }

  private refused(code: '40103' | '40104'): Response {
    this.unauthorizedAnswers++;
    return this.respond(200, envelope(401, code, {}, code === '40104' ? 'Token expired' : 'Token invalid'));
  }

  /** The server's side of one request: its effects, and the answer. */
  private process(endpoint: string, bearer: string | undefined): Response {
    const key = (Object.keys(ENDPOINTS) as (keyof typeof ENDPOINTS)[]).find((k) => ENDPOINTS[k] === endpoint);
    if (key === undefined) return this.respond(200, envelope(404, '40401', {}, 'Not found'));
    const injected = this.takeFailure(key);
    if (injected) return this.failure(injected);
    switch (key) {
      case 'exchange': {
        const t = bearer === undefined ? undefined : this.tickets.get(bearer);
        if (!t || t.used) return this.refused('40103');
        t.used = true;
        return this.respond(200, envelope(200, '', this.grantData(this.issue(t.userID))));
      }
      case 'probe': {
        const g = this.checkAccess(bearer);
        return typeof g === 'string' ? this.refused(g) : this.respond(200, envelope(200, '', {}));
      }
      case 'refresh': {
        const g = this.grants.find((x) => x.refreshToken === bearer);
        if (!g || g.revoked) return this.refused('40103');
        if (this.now() >= g.refreshExpiry) return this.refused('40104');
        g.revoked = true; // rotation: the old pair stops working
        return this.respond(200, envelope(200, '', this.grantData(this.issue(g.userID, g.chain))));
      }
      case 'logout': {
        const g = this.checkAccess(bearer);
        if (typeof g === 'string') return this.refused(g);
        g.revoked = true;
        for (const s of this.sockets) if (s.grant === g) s.serverClose(1000, 'Logged out');
        return this.respond(200, envelope(200, '', { success: true }));
      }
      case 'configs':
        return this.respond(200, envelope(200, '', { core: { chatMediaMaxFileSize: '26214400' }, project: {}, custom: {} }));
      case 'user': {
        const g = this.checkAccess(bearer);
        if (typeof g === 'string') return this.refused(g);
        return this.respond(200, envelope(200, '', { user: { userID: g.userID } }));
      }
    }
  }

  /** A `fetch` for one session instance; `alive()` says whether that instance may still call. */
  fetchFor(instance: number, alive: () => boolean): typeof fetch {
    return ((input: string | URL | Request, init: RequestInit = {}) => {
      const url = new URL(String(input));
      const method = (init.method ?? 'GET').toUpperCase();
      const endpoint = `${method} ${url.pathname}`;
      const headers = new Headers(init.headers);
      const auth = headers.get('authorization') ?? undefined;
      const bearer = auth?.replace(/^Bearer /, '');
      this.requests.push({ endpoint, bearer, instance, at: this.clock.now() });
      if (!alive()) this.violation(`a disposed session made a request: ${endpoint}`);
      if (endpoint !== ENDPOINTS.exchange) this.noteToken(bearer, endpoint);
      if (endpoint === ENDPOINTS.exchange && bearer !== undefined) {
        this.exchangesPerTicket.set(bearer, (this.exchangesPerTicket.get(bearer) ?? 0) + 1);
      }
      if (endpoint === ENDPOINTS.user) this.noteCall(init.body, bearer);
      const isRefresh = endpoint === ENDPOINTS.refresh;
      if (isRefresh) {
        this.refreshInFlight++;
        this.maxRefreshInFlight = Math.max(this.maxRefreshInFlight, this.refreshInFlight);
        if (this.refreshInFlight > 1) this.violation(`${this.refreshInFlight} refresh requests in flight at once`);
      }
      const signal = init.signal;
      return new Promise<Response>((resolve, reject) => {
        let settled = false;
        const done = () => {
          if (settled) return false;
          settled = true;
          if (isRefresh) this.refreshInFlight--;
          signal?.removeEventListener('abort', onAbort);
          return true;
        };
        const onAbort = () => {
          const reason = (signal?.reason as { code?: string } | undefined)?.code;
          if (isRefresh && reason === '95017') this.abandonedRefreshes.push(instance);
          cancel();
          if (done()) reject(new AbortError('The operation was aborted'));
        };
        let cancel = () => {};
        if (signal?.aborted) {
          done();
          reject(new AbortError('The operation was aborted'));
          return;
        }
        signal?.addEventListener('abort', onAbort);
        // Half the latency on the way there, half on the way back: a request aborted after it
        // arrived has still had its effects (a rotation, a revocation), as on a real network.
        const half = this.faults.latencyMs / 2;
        cancel = this.after(half, () => {
          if (this.faults.networkDown) {
            if (done()) reject(new TypeError('fetch failed'));
            return;
          }
          const response = this.process(endpoint, bearer);
          if (this.faults.blackhole) return; // processed, but the answer is lost
          cancel = this.after(half, () => {
            if (this.faults.networkDown) {
              if (done()) reject(new TypeError('fetch failed'));
            } else if (done()) resolve(response);
          });
        });
      });
    }) as typeof fetch;
  }

  /** SES-9: an app call is tried at most twice, and both tries carry the same login's token. */
  private noteCall(body: unknown, bearer: string | undefined): void {
    const n = (JSON.parse(String(body ?? '{}')) as { n?: number }).n;
    if (typeof n !== 'number') return;
    const chain = this.grants.find((g) => g.accessToken === bearer)?.chain ?? -1;
    const tries = this.callTries.get(n) ?? [];
    tries.push(chain);
    this.callTries.set(n, tries);
    if (tries.length > 2) this.violation(`app call ${n} sent ${tries.length} times`);
    if (new Set(tries).size > 1) this.violation(`app call ${n} retried with the token of another login`);
  }

  // ---- sockets ------------------------------------------------------------------------------

  openSockets(instance?: number): FakeSocket[] {
    return this.sockets.filter((s) => s.readyState === 1 && (instance === undefined || s.instance === instance));
  }

  /**
   * Sockets the client still holds as its connection: open, or closed by the server with the
   * close event still on its way (the client cannot know yet).
   */
  liveSockets(instance?: number): FakeSocket[] {
    return this.sockets.filter((s) => (s.readyState === 1 || s.serverClosing) && (instance === undefined || s.instance === instance));
  }

  /** Drops every open socket as the server (1006 without a code, like a cut network). */
  dropSockets(code?: number): void {
    for (const s of this.sockets) s.serverClose(code ?? 1006, code === undefined ? '' : 'Dropped');
  }

  halfOpen(): void {
    for (const s of this.sockets) {
      if (s.readyState === 1 && !s.halfOpen) {
        s.halfOpen = true;
        s.halfOpenSince = this.clock.now();
      }
    }
  }

  /** Whether a client could connect and refresh right now (no fault that refuses or delays it). */
  healthy(): boolean {
    const f = this.faults;
    // Failures queued for the exchange, the logout or the configs do not stand in a connection's way.
    const pending = (['probe', 'socket', 'refresh'] as const).some((e) => (f.failNext.get(e)?.length ?? 0) > 0);
    return !f.networkDown && !f.refuseSockets && !f.blackhole && !pending && f.latencyMs <= 1_000;
  }

  /** Pushes a frame to every healthy open socket. */
  push(text: string): number {
    let n = 0;
    for (const s of this.openSockets()) if (s.deliver(text)) n++;
    return n;
  }
}
