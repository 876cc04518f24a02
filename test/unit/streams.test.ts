/** src/session/streams.ts: rxjs subjects inside, read-only observables outside (architecture §9). */
import { describe, expect, it } from 'vitest';
import { createStreams } from '../../src/session/streams.js';

describe('the session streams', () => {
  it('expose Observables, not something the app can push into', () => {
    const { observables } = createStreams();
    for (const stream of Object.values(observables)) {
      expect('next' in stream).toBe(false);
      expect(typeof stream.pipe).toBe('function');
    }
  });

  it('state$ replays the current state to a new subscriber; complete() ends every stream, later subscribers too', () => {
    const streams = createStreams();
    const seen: string[] = [];
    streams.observables.state$.subscribe((s) => seen.push(`a:${s}`));
    streams.state.next('authenticating');
    streams.observables.state$.subscribe({ next: (s) => seen.push(`b:${s}`), complete: () => seen.push('b:done') });
    streams.complete();
    streams.observables.transitions$.subscribe({ complete: () => seen.push('t:done') });
    expect(seen).toEqual(['a:unauthenticated', 'a:authenticating', 'b:authenticating', 'b:done', 't:done']);
  });
});
