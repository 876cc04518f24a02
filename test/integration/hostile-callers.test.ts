/**
 * Hostile callers and servers (issue 13, branch issue-13b): loggers that throw or lack methods,
 * tickets with control characters, refused upgrades that echo credentials, secrets in snapshots.
 * Each is the app's or the server's fault and must reach the app as a typed error, never as a
 * throw, an unhandled rejection or a leaked secret.
 */
import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Duplex } from 'node:stream';
import { afterEach, describe, expect, it } from 'vitest';
import { sessionMachine } from '../../machines/session.machine.js';
import { TapTalkError } from '../../src/errors.js';
import { createSession } from '../../src/session/create-session.js';
import { createTapTalk } from '../../src/taptalk.js';

const valid = { baseUrl: 'https://chat.example.com', appID: 'app', appSecret: 'secret', environment: false as const };
const offline = () => Promise.reject(new TypeError('fetch failed'));

/** Lets the pending reactions and Node's unhandled-rejection check run (a few macrotasks). */
const settle = async () => {
  for (let i = 0; i < 5; i++) await new Promise((r) => setImmediate(r));
};

describe('loggers (SES-64)', () => {
  const rejections: unknown[] = [];
  const onRejection = (reason: unknown) => void rejections.push(reason);
  afterEach(() => {
    process.off('unhandledRejection', onRejection);
    rejections.length = 0;
  });

  it.each([
    ['an empty logger', {}],
    ['a logger without error', { warn() {} }],
    ['a logger whose warn is no function', { warn: 'console', error() {} }],
  ])('SES-64: createSession with %s throws 95011 naming the logger', (_name, logger) => {
    let thrown: unknown;
    try {
      createSession({ ...valid, logger } as never);
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(TapTalkError);
    expect(thrown).toMatchObject({ code: '95011', message: 'Invalid options: logger must have warn and error' });
  });

  it('SES-64: a logger that throws never escapes: no throw into the app, no unhandled rejection', async () => {
    process.on('unhandledRejection', onRejection);
    const logged: string[] = [];
    const logger = {
      warn: (message: string) => {
        logged.push(message);
        throw new Error('logger down');
      },
      error: (message: string) => {
        logged.push(message);
        throw new Error('logger down');
      },
    };
    const inspect = () => {
      throw new Error('inspector down');
    };
    const session = createSession({ ...valid, logger, inspect, fetch: offline });
    session.dispose();

    const tap = createTapTalk();
    tap.init('app', 'secret', 'https://chat.example.com', { logger, environment: false, fetch: offline });
    tap.refreshAccessToken({
      onError: () => {
        throw new Error('app callback down');
      },
    });
    for (let i = 0; i < 100 && !logged.includes('a TapTalk callback threw; ignored'); i++) await settle();
    for (let i = 0; i < 100 && !logged.some((m) => m.startsWith('project configs unavailable')); i++) await settle();
    await settle();
    tap.session.dispose();

    expect(logged).toContain('the inspect callback threw; ignored');
    expect(logged).toContain('a TapTalk callback threw; ignored');
    expect(logged).toContainEqual(expect.stringMatching(/^project configs unavailable/));
    expect(rejections).toEqual([]);
  });
});

describe('tickets with control characters (SES-10)', () => {
  const tickets = [
    ['NUL', 'tic\0ket'],
    ['CR LF', 'ticket\r\nX-Injected: 1'],
    ['LF', 'ticket\n'],
    ['another C0 character', '\x01ticket'],
    ['DEL', 'ticket\x7f'],
  ];

  it.each(tickets)('SES-10: a ticket with %s is refused with 90005, not retryable, and no request is made', async (_name, ticket) => {
    const requests: string[] = [];
    const fetch = (input: RequestInfo | URL) => {
      requests.push(String(input));
      return offline();
    };
    const session = createSession({ ...valid, fetch });
    await session.whenReady();
    const before = requests.length;
    const error = await session.authenticate(ticket).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TapTalkError);
    expect(error).toMatchObject({ code: '90005', retryable: false });
    expect(requests.slice(before)).toEqual([]);
    expect(session.state).toBe('unauthenticated');
    session.dispose();
  });

  it('SES-10: the machine ignores such a ticket in every state, as a blank one', () => {
    const guard = sessionMachine.implementations.guards.hasTicket as unknown as (args: unknown, ticket: string) => boolean;
    for (const [, ticket] of tickets) expect(guard({}, ticket!)).toBe(false);
    expect(guard({}, 'a.ticket-with_printable~characters')).toBe(true);
  });

  it('SES-10: the facade answers onError("90005") for a ticket with CR LF, with no request', async () => {
    const requests: string[] = [];
    const tap = createTapTalk();
    tap.init('app', 'secret', 'https://chat.example.com', {
      environment: false,
      fetch: (input: RequestInfo | URL) => {
        requests.push(String(input));
        return offline();
      },
    });
    await tap.session.whenReady();
    const before = requests.filter((url) => url.includes('access_token')).length;
    const code = await new Promise((resolve) => tap.authenticateWithAuthTicket('t\r\nx', false, { onSuccess: () => resolve('ok'), onError: (c: string) => resolve(c) }));
    expect(code).toBe('90005');
    expect(requests.filter((url) => url.includes('access_token')).length).toBe(before);
    tap.session.dispose();
  });
});

describe('a refused upgrade that echoes the credentials (SES-65)', () => {
  const closers: (() => Promise<void>)[] = [];
  afterEach(async () => {
    await Promise.all(closers.splice(0).map((close) => close()));
  });

  /** Grants tokens over HTTP; refuses every upgrade with 401, quoting its Authorization and App-Key. */
  async function echoingServer(): Promise<{ url: string; tokens: string[] }> {
    const tokens: string[] = [];
    const envelope = (status: number, code: string, message: string, data: unknown = {}) => JSON.stringify({ status, error: { code, message, field: '' }, data });
    const server = createServer((req, res) => {
      req.resume();
      req.on('end', () => {
        let body = envelope(200, '', '', {});
        if (req.url?.startsWith('/v1/auth/access_token/')) {
          const n = tokens.length;
          tokens.push(`access-token-${n}-secret`, `refresh-token-${n}-secret`);
          const expiry = Date.now() + 3_600_000;
          body = envelope(200, '', '', { accessToken: tokens[n], accessTokenExpiry: expiry, refreshToken: tokens[n + 1], refreshTokenExpiry: expiry, user: { userID: 'u1', xcUserID: 'x1', fullname: 'Echo' } });
        }
        res.writeHead(200, { 'Content-Type': 'application/json' }).end(body);
      });
    });
    server.on('upgrade', (req: IncomingMessage, socket: Duplex) => {
      const body = envelope(401, '40103', `Rejected ${req.headers.authorization} with App-Key ${req.headers['app-key']}`);
      socket.end(`HTTP/1.1 401 Unauthorized\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`);
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    closers.push(
      () =>
        new Promise((resolve) => {
          server.closeAllConnections();
          server.close(() => resolve());
        }),
    );
    return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, tokens };
  }

  it('SES-65: errors$ carries the server code with neither the token nor the App-Key, as over HTTP', async () => {
    const { url, tokens } = await echoingServer();
    const appKey = Buffer.from('app:app-secret-value').toString('base64');
    const session = createSession({ baseUrl: url, appID: 'app', appSecret: 'app-secret-value', environment: false, logger: { warn() {}, error() {} }, timings: { firstRetryMaxMs: 20, backoffBaseMs: 20, backoffCapMs: 50 } });
    const errors: TapTalkError[] = [];
    session.errors$.subscribe((e) => errors.push(e));
    await session.authenticate('a-ticket', { connect: true }).catch(() => {});
    for (let i = 0; i < 200 && !errors.some((e) => e.code === '40103'); i++) await new Promise((r) => setTimeout(r, 10));
    session.dispose();
    const refused = errors.filter((e) => e.code === '40103');
    expect(refused.length).toBeGreaterThan(0);
    const text = JSON.stringify(errors.map((e) => [e.code, e.message, String(e.cause)]));
    expect(text).toContain('Rejected Bearer [redacted] with App-Key [redacted]');
    for (const secret of [...tokens, appKey]) expect(text).not.toContain(secret);
  });

  it('SES-65: a socket constructor that throws quoting its URL gives an error without the query', async () => {
    const { url, tokens } = await echoingServer();
    // Chromium's message for a URL it cannot open, which names the URL, query and all.
    class ThrowingSocket {
      constructor(socketUrl: string) {
        throw new SyntaxError(`Failed to construct 'WebSocket': The URL '${socketUrl}' is invalid.`);
      }
    }
    const session = createSession({ baseUrl: url, appID: 'app', appSecret: 'app-secret-value', environment: false, logger: { warn() {}, error() {} }, WebSocket: ThrowingSocket as never, timings: { firstRetryMaxMs: 20, backoffBaseMs: 20, backoffCapMs: 50 } });
    const errors: TapTalkError[] = [];
    session.errors$.subscribe((e) => errors.push(e));
    await session.authenticate('a-ticket', { connect: true }).catch(() => {});
    for (let i = 0; i < 200 && errors.length === 0; i++) await new Promise((r) => setTimeout(r, 10));
    session.dispose();
    expect(errors.length).toBeGreaterThan(0);
    const text = JSON.stringify(errors.map((e) => [e.code, e.message, String(e.cause), String((e.cause as Error | undefined)?.stack)]));
    expect(text).toContain('/connect?[redacted]');
    for (const secret of [...tokens, Buffer.from('app:app-secret-value').toString('base64')]) expect(text).not.toContain(secret);
  });
});
