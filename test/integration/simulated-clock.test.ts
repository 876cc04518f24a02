/**
 * The recipe of docs/testing-your-app.md: the emulator and the session share one simulated clock,
 * so an hour of token lifetime passes in a test without waiting.
 */
import { SimulatedClock } from 'xstate';
import { afterAll, expect, it } from 'vitest';
import { startEmulator, type Emulator } from '../../src/emulator/index.js';
import { createSession } from '../../src/session/create-session.js';
import { next } from '../support/emulator-session.js';

let em: Emulator | undefined;
afterAll(() => em?.close());

it('SES-3: the proactive refresh happens before expiry in simulated time, and the socket stays up', async () => {
  const clock = new SimulatedClock();
  clock.set(Date.now());
  em = await startEmulator({ now: () => clock.now(), accessTokenTtlMs: 10 * 60_000 });
  const session = createSession({ baseUrl: em.url, appID: em.appKey.id, appSecret: em.appKey.secret, clock, environment: false });
  const ticket = await em.requestTicket({ xcUserID: 'clocked', fullName: 'Clocked' });
  await session.authenticate(ticket, { connect: true });
  await session.connect();

  const refreshed = next(session.transitions$, (t) => t.reason === 'token_refreshed');
  // Lifetime 10 min, margin 60 s: due at 9 min, give or take the Date header's one-second resolution.
  clock.increment(9 * 60_000 + 1_000);
  await refreshed;
  expect(em.stats().refreshes).toBe(1);
  expect(session.state).toBe('connected');
  session.dispose();
});

it('SES-3: a device clock 10 minutes behind the server still refreshes on time', async () => {
  const clock = new SimulatedClock();
  clock.set(Date.now() - 10 * 60_000); // the device is 10 minutes slow
  const server = await startEmulator({ now: () => clock.now() + 10 * 60_000, accessTokenTtlMs: 10 * 60_000 });
  try {
    const session = createSession({ baseUrl: server.url, appID: server.appKey.id, appSecret: server.appKey.secret, clock, environment: false });
    await session.authenticate(await server.requestTicket({ xcUserID: 'skewed', fullName: 'Skewed' }));
    // Compared naively with the device clock the token would look 20 minutes long and be refreshed
    // at 19 minutes, nine minutes after it died. Measured from the server's Date header it is 10.
    clock.increment(8 * 60_000);
    await new Promise((r) => setTimeout(r, 20));
    expect(server.stats().refreshes).toBe(0);
    const refreshed = next(session.transitions$, (t) => t.reason === 'token_refreshed');
    clock.increment(60_000 + 1_000);
    await refreshed;
    expect(server.stats().refreshes).toBe(1);
    session.dispose();
  } finally {
    await server.close();
  }
});
