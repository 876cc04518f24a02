/**
 * Public types of the emulator (`taptalk-session/emulator`). Behaviour lives elsewhere; this file
 * only describes what callers can pass in and get back.
 */

/**
 * An id + secret pair, as TapTalk's dashboard issues for App Keys and Server Keys.
 *
 * @example
 * ```ts
 * const appKey: KeyPair = { id: 'my-app', secret: 'dev-secret' };
 * ```
 */
export interface KeyPair {
  /** Key id (must not contain `:`, which separates id and secret on the wire). */
  id: string;
  /** Key secret. */
  secret: string;
}

/**
 * A page served by `GET <path>` (see {@link EmulatorOptions.pages}). The content type follows the
 * path's extension: none or `.html` → HTML, `.js`/`.mjs`, `.css`, `.json`, `.svg`, `.txt`.
 *
 * @example
 * ```ts
 * await startEmulator({ admin: true, pages: { '/': () => '<!doctype html><title>Playground</title>' } });
 * ```
 */
export type EmulatorPage = () => string | Promise<string>;

/**
 * Options of {@link startEmulator}; every one has a default.
 *
 * @example
 * ```ts
 * let clock = Date.now();
 * const emulator = await startEmulator({ now: () => clock, accessTokenTtlMs: 60_000 });
 * clock += 60_000; // access tokens now answer 40104
 * ```
 */
export interface EmulatorOptions {
  /** Interface to bind. @default '127.0.0.1' */
  host?: string;
  /** Port to bind; 0 picks a free one. @default 0 */
  port?: number;
  /** How long an auth ticket stays valid (reference §3.1). @default 3_600_000 */
  ticketTtlMs?: number;
  /** Whether a ticket can be exchanged only once. @default true */
  singleUseTickets?: boolean;
  /** Access-token lifetime. @default 3_600_000 */
  accessTokenTtlMs?: number;
  /** Refresh-token lifetime. @default 2_592_000_000 (30 days) */
  refreshTokenTtlMs?: number;
  /**
   * false: HTTP 200 with the outcome in the envelope's `status`, as the official SDKs need
   * (reference §1.3); true: the HTTP status equals the envelope status. @default false
   */
  mirrorHttpStatus?: boolean;
  /** Interval of server WebSocket pings; a socket that missed one pong is terminated. @default 30_000 */
  pingIntervalMs?: number;
  /** Deliver a client's `chat/sendMessage` back to all of that user's sockets. @default true */
  echo?: boolean;
  /** The App Key clients must present. @default generated per instance */
  appKey?: KeyPair;
  /** The Server Key the customer backend must present. @default generated per instance */
  serverKey?: KeyPair;
  /** Enable the loopback-only `/_emulator/*` endpoints. @default false */
  admin?: boolean;
  /**
   * Host names (no port) the admin endpoints answer besides `localhost`, `*.localhost`, `127.x.x.x`
   * and `[::1]`: a request whose `Host` header names anything else gets `40301`, so a page that
   * rebinds its own domain to 127.0.0.1 cannot read the keys. Add a name here when you reach the
   * emulator through one (an `/etc/hosts` alias, a container name). @default []
   */
  allowedHosts?: string[];
  /** The server's clock for ticket and token expiry (epoch ms). @default Date.now */
  now?: () => number;
  /** Largest accepted request body, and largest WebSocket frame (a larger one closes the socket with 1009). @default 1_048_576 */
  maxBodyBytes?: number;
  /**
   * How long a connection may take to send a request's headers (an upgrade's too); a slower one
   * (a slowloris client) is closed. At most `requestTimeoutMs`. @default 10_000
   */
  headersTimeoutMs?: number;
  /** How long a connection may take to send a whole request, body included; a slower one is closed. @default 30_000 */
  requestTimeoutMs?: number;
  /**
   * Extra `GET` routes, e.g. a playground page at `/`, served from the same origin as the API.
   * API routes win over pages with the same path. @default {}
   */
  pages?: Record<string, EmulatorPage>;
  /**
   * Serve `https://` and `wss://`. `true` makes a throwaway CA and a certificate for `localhost`,
   * `127.0.0.1` and `::1` at start; or pass your own certificate. The handle's `tls` says what to
   * trust. @default false
   */
  tls?: boolean | EmulatorTls;
  /**
   * Keep every request (method, path, query, headers, body) for {@link Emulator.recorded}: for
   * tests that compare what two clients send. @default false
   */
  record?: boolean;
}

/**
 * A certificate of your own for {@link EmulatorOptions.tls}, as PEM text.
 *
 * @example
 * ```ts
 * await startEmulator({ tls: { cert: readFileSync('cert.pem', 'utf8'), key: readFileSync('key.pem', 'utf8') } });
 * ```
 */
export interface EmulatorTls {
  cert: string;
  key: string;
  /** The certificate that clients should trust. @default cert */
  ca?: string;
}

/**
 * What a client needs to trust an emulator started with `tls`.
 *
 * @example
 * ```ts
 * const emulator = await startEmulator({ tls: true });
 * writeFileSync('.tmp/emulator-ca.pem', emulator.tls!.ca); // NODE_EXTRA_CA_CERTS=.tmp/emulator-ca.pem
 * ```
 */
export interface EmulatorTrust {
  /** PEM of the CA that signed the served certificate (the certificate itself when you passed one without `ca`). */
  ca: string;
  /** base64 SHA-256 of the served certificate's public key, for Chromium's `--ignore-certificate-errors-spki-list`. */
  spki: string;
}

/**
 * One request as the emulator saw it (with `record: true`), for wire-parity tests.
 *
 * @example
 * ```ts
 * emulator.recorded().map((r) => `${r.method} ${r.path}`); // ['POST /v1/auth/access_token/request', ...]
 * ```
 */
export interface RecordedRequest {
  /** `GET`, `POST`, ...; `UPGRADE` for a WebSocket handshake. */
  method: string;
  /** The pathname. */
  path: string;
  /** Query parameters in the order sent. */
  query: [string, string][];
  /** Headers in lower case, as received (no preflights). */
  headers: Record<string, string>;
  /** The body as text (`''` when none). */
  body: string;
}

/**
 * A frame a client sent over its WebSocket, as recorded by {@link Emulator.received}.
 *
 * @example
 * ```ts
 * emulator.received().filter((f) => f.eventName === 'chat/sendMessage');
 * ```
 */
export interface ReceivedFrame {
  /** Customer-side id of the sending user. */
  xcUserID: string;
  /** Emulator-side id of the sending user. */
  userID: string;
  /** The frame's `eventName`. */
  eventName: string;
  /** The frame's `data` (undefined when absent). */
  data: unknown;
  /** Server clock (`options.now`) when the frame was processed. */
  at: number;
}

/**
 * An injected error answer (see {@link EmulatorFaults.failNext}).
 *
 * @example
 * ```ts
 * const failure: InjectedFailure = { status: 500, code: '50001', message: 'Database down' };
 * ```
 */
export interface InjectedFailure {
  /** Envelope status (and HTTP status in mirror mode and for WebSocket upgrades). */
  status: number;
  /** Envelope `error.code`, e.g. `'50001'`. */
  code: string;
  /** Envelope `error.message`. @default 'Injected failure' */
  message?: string;
  /** Forces this HTTP status whatever `mirrorHttpStatus` says (e.g. a proxy's 502). @default none */
  httpStatus?: number;
}

/**
 * Failure switches for tests and demos.
 *
 * @example
 * ```ts
 * emulator.faults.failNext('/v1/auth/access_token/refresh', { status: 500, code: '50001' }, 2);
 * emulator.faults.dropConnections(); // clients see 1006
 * emulator.faults.reset();
 * ```
 */
export interface EmulatorFaults {
  /**
   * Closes every open socket with `closeCode`; without one, terminates them abruptly like a network
   * cut (clients see 1006). Throws RangeError for a code a server may not send. Returns how many.
   */
  dropConnections(closeCode?: number): number;
  /** Every access token issued so far now answers 40104. */
  expireAccessTokens(): void;
  /** Every refresh token issued so far (and its access token) now answers 40103. */
  revokeRefreshTokens(): void;
  /** For `ms`, WebSocket upgrades are refused with HTTP 503 and a 50001 envelope (0 ends it). */
  refuseConnections(ms: number): void;
  /**
   * For `ms`, every WebSocket upgrade is accepted and the socket closed at once with 1011: a server
   * that flaps, so a client opens and loses a socket on every try (0 ends it).
   */
  closeOnAccept(ms: number): void;
  /** Delays every HTTP response and upgrade by `ms` (0 turns it off). */
  latency(ms: number): void;
  /**
   * The next `count` requests to `path` answer `failure`. `path` is a pathname (`'/connect'`
   * matches both the probe and the upgrade) or a stats key (`'/connect?check=1'`, `'ws:/connect'`).
   * @default count 1
   */
  failNext(path: string, failure: InjectedFailure, count?: number): void;
  /**
   * Sockets open now stop answering pings and stop sending and processing frames without closing
   * (a half-open TCP connection); sockets opened later are healthy. `halfOpen(false)` heals all.
   * @default on true
   */
  halfOpen(on?: boolean): void;
  /** Turns every switch off (refuse, closeOnAccept, latency, failNext, halfOpen). Revoked tokens stay revoked. */
  reset(): void;
}

/**
 * Counters since start.
 *
 * @example
 * ```ts
 * expect(emulator.stats().requests['/v1/auth/access_token/refresh']).toBe(1);
 * ```
 */
export interface EmulatorStats {
  /** Requests by path (`'/connect?check=1'` for probes, `'ws:/connect'` for upgrades); excludes preflights and `/_emulator/*`. */
  requests: Record<string, number>;
  ticketsIssued: number;
  ticketsExchanged: number;
  refreshes: number;
  logouts: number;
  openSockets: number;
  connectionsAccepted: number;
  connectionsRefused: number;
}

/**
 * The user fields of a ticket request (reference E1); the emulator fills the device fields.
 *
 * @example
 * ```ts
 * const user: TicketUser = { xcUserID: 'alice', fullName: 'Alice', email: 'alice@example.test' };
 * ```
 */
export interface TicketUser {
  xcUserID: string;
  fullName?: string;
  email?: string;
  username?: string;
  [key: string]: unknown;
}

/**
 * A running emulator (see {@link startEmulator}).
 *
 * @example
 * ```ts
 * const emulator = await startEmulator();
 * const ticket = await emulator.requestTicket({ xcUserID: 'alice' });
 * emulator.emit('alice', 'user/status', { isOnline: true });
 * await emulator.close();
 * ```
 */
export interface Emulator {
  /** Base URL, e.g. `'http://127.0.0.1:41234'` (`https://` with `tls`; no trailing slash). */
  readonly url: string;
  /** With `tls`: the CA to trust and the certificate's SPKI hash; otherwise `undefined`. */
  readonly tls: EmulatorTrust | undefined;
  /** The Server Key for `/v1/server/*` calls. */
  readonly serverKey: KeyPair;
  /** The App Key for client calls. */
  readonly appKey: KeyPair;
  /**
   * Makes the Server API call a customer backend would make (E1 over HTTP to itself) and resolves
   * to the ticket. Rejects with an Error carrying `code`, `status` and `field` on an error envelope.
   */
  requestTicket(user: TicketUser): Promise<string>;
  /** Pushes `{eventName, data}` as a binary frame to the user's open sockets; returns how many got it. */
  emit(xcUserID: string, eventName: string, data: unknown): number;
  /**
   * Pushes several events as one frame, joined by `\n` as TapTalk's server batches them; binary
   * like every frame the server sends, or a text frame with `text: true` (for clients that must
   * read both). Returns how many sockets got it. Throws TypeError for an empty list.
   */
  emitBatch(xcUserID: string, events: readonly { eventName: string; data: unknown }[], options?: { text?: boolean }): number;
  /** Frames clients have sent, oldest first (the newest 10,000 are kept). */
  received(): ReceivedFrame[];
  /** With `record: true`, every request since start (the newest 10,000), oldest first; otherwise `[]`. */
  recorded(): RecordedRequest[];
  /** Failure switches. */
  readonly faults: EmulatorFaults;
  /** A snapshot of the counters. */
  stats(): EmulatorStats;
  /** Closes sockets (1001) and the server; idempotent. */
  close(): Promise<void>;
}
