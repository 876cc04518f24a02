/**
 * Bad input through the session and the TapTalk facade (issue 3, "Proof"): malformed envelopes,
 * non-JSON and HTML bodies, truncated and oversized bodies, invalid frames and invalid options.
 * Each reaches the app as a `TapTalkError` with a code, over real HTTP and WebSocket; the only
 * throw is an invalid option at `createSession` / `init` (95011). The codec itself is covered by
 * test/unit/protocol-*.test.ts; here the whole path is.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ServerResponse } from 'node:http';
import { TapTalkError } from '../../src/errors.js';
import { createSession } from '../../src/session/create-session.js';
import type { Session } from '../../src/session/types.js';
import { createTapTalk } from '../../src/taptalk.js';
import { reply, startBadServer, type BadServer, type Handler } from '../support/bad-server.js';
import { next, quietLogger, reach } from '../support/emulator-session.js';

const MiB = 1024 * 1024;
const TIMINGS = { backoffBaseMs: 50, backoffCapMs: 200, firstRetryMaxMs: 50, suspendedRetryMs: 200, pingIntervalMs: 60_000 };

let server: BadServer;
beforeAll(async () => {
  server = await startBadServer();
});
afterAll(() => server.close());

const EXCHANGE = 'POST /v1/auth/access_token/request';
const REFRESH = 'POST /v1/auth/access_token/refresh';
const PROBE = 'GET /connect';

function sessionOnBad(url = server.url): Session {
  return createSession({ baseUrl: url, appID: 'app', appSecret: 'secret', logger: quietLogger, environment: false, timings: TIMINGS });
}

const env = (data: unknown) => JSON.stringify({ status: 200, error: { code: '', message: '', field: '' }, data });
const html = '<!doctype html><html><head><title>Oops</title></head><body><h1>Something went wrong</h1></body></html>';
const big = (bytes: number) => JSON.stringify({ status: 200, error: { code: '', message: '', field: '' }, data: { pad: 'x'.repeat(bytes) } });

/** Bad answers, what the app must get for them, and whether trying again may help. */
const answers: [string, Handler, string, boolean][] = [
  ['JSON with no error object', (_q, r) => reply(r, 200, '{"status":200,"data":{}}'), '95002', false],
  ['an error object without a string code', (_q, r) => reply(r, 200, '{"status":200,"error":{},"data":{}}'), '95002', false],
  ['data that is not an object', (_q, r) => reply(r, 200, env('x')), '95002', false],
  ['a JSON array', (_q, r) => reply(r, 200, '[]'), '95002', false],
  ['a success envelope whose grant lacks the tokens', (_q, r) => reply(r, 200, env({ user: { userID: 'u1' } })), '95002', false],
  ['a body that is not JSON', (_q, r) => reply(r, 200, 'hello', { 'Content-Type': 'text/plain' }), '95002', false],
  ['an HTML page with status 200', (_q, r) => reply(r, 200, html, { 'Content-Type': 'text/html' }), '95002', false],
  ["a proxy's HTML 502", (_q, r) => reply(r, 502, html, { 'Content-Type': 'text/html' }), '95002', true],
  ['an empty body', (_q, r) => reply(r, 200, ''), '95002', false],
  ['a truncated envelope', (_q, r) => reply(r, 200, '{"status":200,"error":{"code":"","mess'), '95002', false],
  [
    'a body cut off mid-stream (Content-Length promises more)',
    (_q, r: ServerResponse) => {
      r.writeHead(200, { 'Content-Type': 'application/json', 'Content-Length': '500' });
      r.write('{"status":200,"error":');
      setTimeout(() => r.socket?.destroy(), 20);
    },
    '90004',
    true,
  ],
  ['a body over 1 MiB announced by Content-Length', (_q, r) => reply(r, 200, big(MiB + 10)), '95003', false],
  [
    'a body over 1 MiB sent chunked, without Content-Length',
    (_q, r: ServerResponse) => {
      r.writeHead(200, { 'Content-Type': 'application/json' });
      const chunk = 'x'.repeat(64 * 1024);
      for (let i = 0; i < 20; i++) r.write(chunk);
      r.end();
    },
    '95003',
    false,
  ],
];

describe('bad HTTP answers reach the app as typed errors', () => {
  it.each(answers)('SES-12: a ticket exchange answered with %s rejects with a code, and is not retried', async (_name, handler, code, retryable) => {
    server.answer(EXCHANGE, handler);
    const before = server.count(EXCHANGE);
    const session = sessionOnBad();
    const reported = next(session.errors$);
    const transition = next(session.transitions$, (t) => t.from === 'authenticating');
    const error = await session.authenticate('ticket-1').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TapTalkError);
    expect(error).toMatchObject({ code, retryable });
    // The body is never echoed into the message (it may be a page full of markup, or a token).
    expect((error as TapTalkError).message).not.toContain('<html');
    expect(await reported).toBe(error);
    expect(await transition).toMatchObject({ to: 'unauthenticated', reason: 'ticket_exchange_failed' });
    expect(server.count(EXCHANGE) - before).toBe(1);
    session.dispose();
  });

  it.each(answers.filter(([, , code]) => code !== '90004'))('the TapTalk facade reports %s through onError with the code', async (_name, handler, code) => {
    server.answer(EXCHANGE, handler);
    const tap = createTapTalk();
    tap.init('app', 'secret', server.url, { logger: quietLogger, environment: false });
    const got = await new Promise<[string, string]>((resolve) => {
      tap.authenticateWithAuthTicket('ticket-2', true, { onSuccess: () => resolve(['success', '']), onError: (c, m) => resolve([c, m]) });
    });
    expect(got[0]).toBe(code);
    expect(typeof got[1]).toBe('string');
    expect(tap.isAuthenticated()).toBe(false);
    tap.session.dispose();
  });

  it('an error envelope with a huge message keeps its code; the message is cut to 200 characters', async () => {
    server.answer(EXCHANGE, (_q, r) => reply(r, 200, JSON.stringify({ status: 500, error: { code: '50001', message: 'boom '.repeat(5_000), field: '' }, data: {} })));
    const session = sessionOnBad();
    const error = (await session.authenticate('ticket-3').catch((e: unknown) => e)) as TapTalkError;
    expect(error).toMatchObject({ code: '50001', retryable: true });
    expect(error.message.length).toBeLessThanOrEqual(200);
    session.dispose();
  });

  it('SES-7: malformed and oversized refresh answers are retried and never log out', async () => {
    server.answer(EXCHANGE, (_q, r) => reply(r, 200, env({ accessToken: 'a1', accessTokenExpiry: Date.now() + 3_600_000, refreshToken: 'r1', refreshTokenExpiry: Date.now() + 86_400_000, user: { userID: 'u1' } })));
    const session = sessionOnBad();
    await session.authenticate('ticket-4');
    for (const [, handler, code] of answers) {
      server.answer(REFRESH, handler);
      const error = await session.refresh().catch((e: unknown) => e);
      expect(error, code).toBeInstanceOf(TapTalkError);
      expect((error as TapTalkError).code).toBe(code);
      expect(session.state).toBe('authenticated');
    }
    server.answer(REFRESH, (_q, r) => reply(r, 200, env({ accessToken: 'a2', accessTokenExpiry: Date.now() + 3_600_000, refreshToken: 'r2', refreshTokenExpiry: Date.now() + 86_400_000, user: { userID: 'u1' } })));
    await next(session.transitions$, (t) => t.reason === 'token_refreshed');
    expect(session.state).toBe('authenticated');
    session.dispose();
  });

  it('SES-29: a probe answered with HTML is a failed attempt, retried until the server makes sense', async () => {
    server.answer(EXCHANGE, (_q, r) => reply(r, 200, env({ accessToken: 'a3', accessTokenExpiry: Date.now() + 3_600_000, refreshToken: 'r3', refreshTokenExpiry: Date.now() + 86_400_000, user: { userID: 'u1' } })));
    server.answer(PROBE, (_q, r) => reply(r, 502, html, { 'Content-Type': 'text/html' }));
    const session = sessionOnBad();
    await session.authenticate('ticket-5');
    const codes: string[] = [];
    session.errors$.subscribe((e) => codes.push(String(e.code)));
    const connecting = session.connect();
    await next(session.transitions$, (t) => t.reason === 'probe_failed');
    await next(session.transitions$, (t) => t.reason === 'probe_failed');
    server.answer(PROBE, (_q, r) => reply(r, 200, env({})));
    await connecting;
    expect(session.state).toBe('connected');
    expect(new Set(codes)).toEqual(new Set(['95002']));
    session.dispose();
  });
});

describe('invalid frames', () => {
  let session: Session;
  beforeAll(async () => {
    server.answer(EXCHANGE, (_q, r) => reply(r, 200, env({ accessToken: 'a4', accessTokenExpiry: Date.now() + 3_600_000, refreshToken: 'r4', refreshTokenExpiry: Date.now() + 86_400_000, user: { userID: 'u1' } })));
    server.answer(PROBE, (_q, r) => reply(r, 200, env({})));
    session = sessionOnBad();
    await session.authenticate('ticket-6', { connect: true });
    await reach(session, 'connected');
  });
  afterAll(() => session.dispose());

  /** Collects what the session reports until `eventName` `done` arrives. */
  async function collect(send: () => void): Promise<{ events: unknown[]; errors: TapTalkError[] }> {
    const events: unknown[] = [];
    const errors: TapTalkError[] = [];
    const a = session.events$.subscribe((e) => e.eventName !== 'done' && events.push(e.data));
    const b = session.errors$.subscribe((e) => errors.push(e));
    const done = next(session.events$, (e) => e.eventName === 'done');
    send();
    server.push('{"eventName":"done"}');
    await done;
    a.unsubscribe();
    b.unsubscribe();
    return { events, errors };
  }

  it('a bad line is reported on errors$ with its number, and the lines after it are still delivered', async () => {
    const frame = ['{"eventName":"e","data":1}', 'not json', '{"eventName":"e","data":2}', '[1,2]', '{"eventName":""}', '{"data":3}', '{"eventName":"e","data":3}', ''].join('\n');
    const { events, errors } = await collect(() => server.push(frame));
    expect(events).toEqual([1, 2, 3]);
    expect(errors.map((e) => e.code)).toEqual(['95004', '95004', '95004', '95004']);
    expect(errors.map((e) => /line (\d+)/.exec(e.message)?.[1])).toEqual(['2', '4', '5', '6']);
    expect(errors.every((e) => e instanceof TapTalkError)).toBe(true);
    expect(session.state).toBe('connected');
  });

  it('a binary frame with invalid UTF-8 on one line spoils that line only', async () => {
    const frame = Buffer.concat([Buffer.from('{"eventName":"e","data":"a"}\n'), Buffer.from([0xff, 0xfe, 0x7b]), Buffer.from('\n{"eventName":"e","data":"b"}')]);
    const { events, errors } = await collect(() => server.push(frame));
    expect(events).toEqual(['a', 'b']);
    expect(errors.map((e) => e.code)).toEqual(['95004']);
  });

  it('empty frames and blank lines are not errors', async () => {
    const { events, errors } = await collect(() => {
      server.push('');
      server.push('\n\r\n\n');
    });
    expect(events).toEqual([]);
    expect(errors).toEqual([]);
  });

  it('a frame over 1 MiB is refused with 95003; the socket is replaced and the session connects again', async () => {
    const reported = next(session.errors$, (e) => e.code === '95003');
    const dropped = next(session.transitions$, (t) => t.from === 'connected');
    server.push(JSON.stringify({ eventName: 'huge', data: 'x'.repeat(MiB + 10) }));
    expect(await reported).toBeInstanceOf(TapTalkError);
    expect(await dropped).toMatchObject({ to: 'connecting', reason: 'socket_closed' });
    await reach(session, 'connected');
    const { events } = await collect(() => server.push('{"eventName":"e","data":"after"}'));
    expect(events).toEqual(['after']);
  });
});

describe('invalid options: the one programmer error that throws', () => {
  const valid = { baseUrl: 'https://chat.example.com', appID: 'app', appSecret: 'top-secret-value', environment: false as const, logger: quietLogger };
  const bad: [string, Record<string, unknown>][] = [
    ['an empty baseUrl', { baseUrl: '' }],
    ['a relative baseUrl', { baseUrl: '/api' }],
    ['a baseUrl that is no URL', { baseUrl: 'chat example com' }],
    ['an ftp: baseUrl', { baseUrl: 'ftp://chat.example.com' }],
    ['a baseUrl with credentials', { baseUrl: 'https://user:pw@chat.example.com' }],
    ['a baseUrl with a query', { baseUrl: 'https://chat.example.com/?key=1' }],
    ['a baseUrl that is not a string', { baseUrl: 42 }],
    ['an empty appID', { appID: '' }],
    ['a blank appID', { appID: '   ' }],
    ['an empty appSecret', { appSecret: '' }],
    ['timings that are not an object', { timings: 5 }],
    ['a negative timing', { timings: { pingIntervalMs: -1 } }],
    ['an unknown timing', { timings: { pingEveryMs: 1 } }],
    ['a storage without removeItem', { storage: { getItem() {}, setItem() {} } }],
    ['a clock without setTimeout', { clock: { now: () => 0 } }],
    ['a fetch that is not a function', { fetch: 'fetch' }],
    ['a negative requestTimeoutMs', { requestTimeoutMs: -5 }],
  ];

  it.each(bad)('createSession with %s throws 95011 at once, naming the option but not its value', (_name, override) => {
    let thrown: unknown;
    try {
      createSession({ ...valid, ...override } as never);
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(TapTalkError);
    expect(thrown).toMatchObject({ code: '95011' });
    expect((thrown as Error).message).not.toContain('top-secret-value');
  });

  it('the facade init throws 95011 for an empty appID or a bad baseUrl', () => {
    const tap = createTapTalk();
    expect(() => tap.init('', 'secret', 'https://chat.example.com')).toThrow(expect.objectContaining({ code: '95011' }));
    expect(() => tap.init('app', 'secret', 'ftp://chat.example.com')).toThrow(expect.objectContaining({ code: '95011' }));
  });

  it('nothing else throws: bad calls reject or call back with a code', async () => {
    const session = sessionOnBad();
    const cyclic: Record<string, unknown> = {};
    cyclic.self = cyclic;
    const calls: [Promise<unknown>, string][] = [
      [session.authenticate(undefined as never), '90005'],
      [session.authenticate('   '), '90005'],
      [session.connect(), '90002'],
      [session.refresh(), '90006'],
      [session.send('', {}), '95004'],
      [session.send('chat/x', cyclic), '95004'],
      [session.send('chat/x', { n: 1n }), '95004'],
      [session.request('client/user/get_by_id', {}), '90006'],
    ];
    for (const [promise, code] of calls) await expect(promise).rejects.toMatchObject({ code });
    session.dispose();
    await expect(session.authenticate('t')).rejects.toMatchObject({ code: '95012' });

    const tap = createTapTalk();
    const codes: string[] = [];
    const onError = (c: string) => void codes.push(c);
    tap.authenticateWithAuthTicket('t', true, { onError }); // before init
    tap.init('app', 'secret', server.url, { logger: quietLogger, environment: false });
    tap.authenticateWithAuthTicket('', true, { onError });
    tap.connect({ onError });
    tap.refreshAccessToken({ onError });
    tap.refreshAccessToken((c?: string) => void codes.push(`fn:${c}`));
    await new Promise((r) => setTimeout(r, 20));
    expect(codes).toEqual(['90000', '90005', '90002', '90006', 'fn:90006']);
    tap.session.dispose();
  });
});
