/**
 * Outgoing frames (SES-60..63): written at once to the open socket, queued (bounded) while the
 * session is on its way to one, flushed in order when it opens, rejected when it will not come.
 * A frame is never written to a socket that is not open.
 */
import { TapTalkError } from '../errors.js';
import type { Transport } from '../platform/transport.js';

interface Queued {
  text: string;
  resolve(): void;
  reject(error: TapTalkError): void;
}

/** The session's outbox. */
export interface Outbox {
  /** Writes or queues one encoded frame; `queueable` says whether a socket is on its way. */
  send(text: string, queueable: boolean): Promise<void>;
  attach(transport: Transport): void;
  detach(transport: Transport): void;
  /** Rejects every queued frame with `code` (`95006` on logout/dispose, `95007` when the link gives up). */
  drop(code: '95006' | '95007' | '95012'): void;
}

export function createOutbox(limit: number): Outbox {
  const queue: Queued[] = [];
  let transport: Transport | null = null;

  return {
    send(text, queueable) {
      if (transport && queue.length === 0 && transport.send(text)) return Promise.resolve();
      if (!queueable && !transport) return Promise.reject(new TapTalkError('95007'));
      if (queue.length >= limit) {
        return Promise.reject(new TapTalkError('95005', { message: `Outgoing queue is full (${limit} frames)` }));
      }
      return new Promise<void>((resolve, reject) => {
        queue.push({ text, resolve, reject });
      });
    },
    attach(t) {
      transport = t;
      // Flush in order; a socket closing under us keeps the rest for the next one.
      while (transport && queue.length > 0 && transport.send(queue[0]!.text)) queue.shift()!.resolve();
    },
    detach(t) {
      if (transport === t) transport = null;
    },
    drop(code) {
      for (const frame of queue.splice(0)) frame.reject(new TapTalkError(code));
    },
  };
}
