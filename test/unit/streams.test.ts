/** src/streams.ts behaves like the rxjs Subject and BehaviorSubject it replaces, where the session relies on them. */
import { BehaviorSubject, Subject, type Observable } from 'rxjs';
import { describe, expect, it } from 'vitest';
import { feed } from '../../src/streams.js';

/** Runs the same script against a feed and against rxjs, and returns what each observer saw. */
function script(make: () => { stream: Observable<string>; next(v: string): void; complete(): void }): string[] {
  const seen: string[] = [];
  const f = make();
  const a = f.stream.subscribe({ next: (v) => seen.push(`a:${v}`), complete: () => seen.push('a:done') });
  f.next('1');
  const b = f.stream.subscribe({
    next: (v) => {
      seen.push(`b:${v}`);
      if (v === '2') a.unsubscribe(); // a later observer unsubscribes an earlier one mid-delivery
    },
    complete: () => seen.push('b:done'),
  });
  f.next('2');
  f.next('3');
  f.stream.subscribe({ next: (v) => seen.push(`c:${v}`), complete: () => seen.push('c:done') });
  f.complete();
  f.next('4');
  f.stream.subscribe({ next: (v) => seen.push(`d:${v}`), complete: () => seen.push('d:done') });
  b.unsubscribe();
  return seen;
}

const fromSubject = (s: Subject<string>) => () => ({ stream: s.asObservable(), next: (v: string) => s.next(v), complete: () => s.complete() });

describe('feed', () => {
  it('delivers, unsubscribes and completes as a Subject does', () => {
    expect(script(() => feed<string>())).toEqual(script(fromSubject(new Subject<string>())));
  });

  it('replays its latest value to a new subscriber as a BehaviorSubject does', () => {
    const expected = script(fromSubject(new BehaviorSubject<string>('0')));
    expect(expected).toContain('a:0');
    expect(script(() => feed<string>('0'))).toEqual(expected);
  });

  it('exposes an Observable, not something the app can push into', () => {
    const f = feed<number>();
    expect('next' in f.stream).toBe(false);
    expect(typeof f.stream.pipe).toBe('function');
  });
});
