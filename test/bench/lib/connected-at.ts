/**
 * When a session first says `connected` on `state$` (what an app sees), as `performance.now()`;
 * rejects with the first error on `errors$`. Shared by the latency and rtt parts.
 */
import { performance } from 'node:perf_hooks';
import type { Engine } from './engine.js';

type BenchSession = ReturnType<Engine['createSession']>;

export function connectedAt(session: BenchSession): Promise<number> {
  return new Promise<number>((resolve, reject) => {
    const sub = session.state$.subscribe((state) => {
      if (state !== 'connected') return;
      const end = performance.now();
      queueMicrotask(() => sub.unsubscribe());
      resolve(end);
    });
    session.errors$.subscribe((error) => reject(error));
  });
}
