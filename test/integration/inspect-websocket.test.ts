/**
 * docs/inspection.md, offline: `@statelyai/inspect`'s WebSocket inspector sends the session's
 * inspection events to a local relay (here a plain `ws` server on port 0), and the serializer the
 * docs recommend leaves no token, ticket or secret in what leaves the process.
 */
import { createWebSocketInspector } from '@statelyai/inspect';
import { WebSocketServer } from 'ws';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Emulator } from '../../src/emulator/index.js';
import { emulator as startEmulator, sessionOn, uniqueUser } from '../support/emulator-session.js';

/** The docs' serializer: every key that ends in token, ticket, authorization or secret is redacted. */
const redactSecrets = (event: unknown) =>
  JSON.parse(JSON.stringify(event, (key, value) => (/(token|ticket|authorization|secret)$/i.test(key) ? '[redacted]' : value)));

describe('@statelyai/inspect over a local WebSocket relay', () => {
  let em: Emulator;
  let relay: WebSocketServer;
  let url: string;
  const received: { type: string; snapshot?: { context?: { reason?: string } } }[] = [];
  const raw: string[] = [];

  beforeAll(async () => {
    em = await startEmulator();
    relay = new WebSocketServer({ host: '127.0.0.1', port: 0 });
    await new Promise((resolve) => relay.once('listening', resolve));
    url = `ws://127.0.0.1:${(relay.address() as { port: number }).port}`;
    relay.on('connection', (ws) =>
      ws.on('message', (data) => {
        raw.push(String(data));
        received.push(JSON.parse(String(data)));
      }),
    );
  });

  afterAll(async () => {
    await new Promise((resolve) => relay.close(resolve));
    await em.close();
  });

  it('receives the session actor and its snapshots, with every secret redacted', async () => {
    const inspector = createWebSocketInspector({ url, serialize: redactSecrets });
    // Its `inspect` is an observer; the session's option takes a function.
    const session = sessionOn(em, { inspect: (event) => inspector.inspect.next?.(event) });
    try {
      const ticket = await em.requestTicket(uniqueUser('inspect'));
      await session.authenticate(ticket, { connect: true });
      const { accessToken, refreshToken } = session.actor.getSnapshot().context.credentials!;
      await session.logout();
      // The inspector sends on idle callbacks: wait, bounded, for the logout's snapshot.
      const deadline = Date.now() + 5_000;
      while (!received.some((e) => e.snapshot?.context?.reason === 'user_logout') && Date.now() < deadline) {
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
      const types = new Set(received.map((e) => e.type));
      expect([...types]).toEqual(expect.arrayContaining(['@xstate.actor', '@xstate.event', '@xstate.snapshot']));
      expect(received.some((e) => e.snapshot?.context?.reason === 'user_logout')).toBe(true);
      const all = raw.join('\n');
      for (const secret of [accessToken, refreshToken, ticket, em.appKey.secret]) expect(all.includes(secret)).toBe(false);
      expect(all).toContain('[redacted]');
    } finally {
      inspector.stop();
      session.dispose();
    }
  });
});
