/**
 * Run as a child process (`tsx test/support/tls-client.ts`) with `NODE_EXTRA_CA_CERTS` pointing
 * at the emulator's CA, as a user would: our client in Node against an `https://` emulator.
 * Reads BASE, APP_ID, APP_SECRET, TICKET from the environment; prints one JSON line.
 */
import { createSession } from '../../src/index.js';

const env = process.env as Record<'BASE' | 'APP_ID' | 'APP_SECRET' | 'TICKET', string>;
const session = createSession({ baseUrl: env.BASE, appID: env.APP_ID, appSecret: env.APP_SECRET, environment: false, logger: { warn() {}, error() {} } });
const errors: string[] = [];
session.errors$.subscribe((e) => errors.push(e.code));
const stop = setTimeout(() => {
  console.log(JSON.stringify({ state: session.state, errors, timedOut: true }));
  process.exit(1);
}, 10_000);
try {
  const user = await session.authenticate(env.TICKET, { connect: true });
  await session.connect();
  const connected = session.state;
  await session.send('chat/startTyping', { roomID: 'tls-room' });
  await session.logout();
  console.log(JSON.stringify({ userID: user.userID, connected, state: session.state, errors }));
} catch (error) {
  console.log(JSON.stringify({ failed: (error as { code?: string }).code, message: (error as Error).message, state: session.state, errors }));
}
clearTimeout(stop);
session.dispose();
