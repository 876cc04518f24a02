/**
 * The recipe of docs/testing-your-app.md: the emulator and the session share one simulated clock,
 * so an hour of token lifetime passes in a test without waiting.
 */
import { SimulatedClock } from 'xstate';
import { afterAll, expect, it } from 'vitest';
import { startEmulator, type Emulator } from '../../src/emulator/index.js';
import { createSession } from '../../src/session.js';
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
