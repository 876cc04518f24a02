/**
 * Hostile callers and servers (issue 13, branch issue-13b): loggers that throw or lack methods,
 * tickets with control characters, refused upgrades that echo credentials, secrets in snapshots.
 * Each is the app's or the server's fault and must reach the app as a typed error, never as a
 * throw, an unhandled rejection or a leaked secret.
 */
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
