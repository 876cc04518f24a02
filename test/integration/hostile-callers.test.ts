/**
 * Hostile callers and servers (issue 13, branch issue-13b): loggers that throw or lack methods,
 * tickets with control characters, refused upgrades that echo credentials, secrets in snapshots.
 * Each is the app's or the server's fault and must reach the app as a typed error, never as a
 * throw, an unhandled rejection or a leaked secret.
 */
import { afterEach, describe, expect, it } from 'vitest';
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
