/**
 * The `openSocket` actor: one connection per invocation. It reports `socket.opened`,
 * `socket.pong` and `socket.closed` to the machine, hands frames to the session, and closes the
 * socket when the machine stops it (disconnect, logout, dispose).
 */
import { fromCallback } from 'xstate';
import { toFailure } from '../../machines/failure.js';
import type { SessionEvent } from '../../machines/session.types.js';
import type { Transport } from '../platform/transport.js';
import { unopenedSocketError } from '../protocol/envelope.js';
import { decodeFrames } from '../protocol/frames.js';
import type { DepsOf } from './registry.js';

export function socketActor(depsOf: DepsOf) {
  return fromCallback<{ type: 'ping' }, { accessToken: string }>(({ input, sendBack, receive, system }) => {
    const deps = depsOf(system);
    let stopped = false;
    let transport: Transport | undefined;
    const report = (event: SessionEvent) => {
      if (!stopped) sendBack(event);
    };
    deps
      .http()
      .then((cfg) => {
        if (stopped) return;
        const t: Transport = deps.openTransport(deps.WebSocket, cfg, input.accessToken, deps.maxFrameBytes, {
          open: () => {
            deps.outbox.attach(t);
            report({ type: 'socket.opened', canPing: t.canPing });
          },
          message: (data) => {
            const { events, errors } = decodeFrames(data, deps.maxFrameBytes);
            errors.forEach(deps.error);
            events.forEach(deps.event);
          },
          pong: () => report({ type: 'socket.pong' }),
          closed: (code, reason, failure) => {
            deps.outbox.detach(t);
            report({ type: 'socket.closed', code, reason, ...(failure ? { failure } : {}) });
          },
        });
        transport = t;
      })
      // No settings or a constructor that throws: the socket could not open.
      .catch((error: unknown) =>
        report({ type: 'socket.closed', code: 1006, reason: 'could not open', failure: toFailure(unopenedSocketError(error)) }),
      );

    // The machine sends this actor one kind of event: `ping`.
    receive(() => transport?.ping());
    return () => {
      stopped = true;
      if (transport) {
        deps.outbox.detach(transport);
        transport.close();
      }
    };
  });
}
