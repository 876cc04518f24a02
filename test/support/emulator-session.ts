/**
 * Integration helpers: an emulator on 127.0.0.1:0 and sessions pointed at it, plus a way to wait
 * for a stream value with a bounded timeout (no sleeps).
 */
import { firstValueFrom, filter, timeout, type Observable } from 'rxjs';
import { startEmulator } from '../../src/emulator/index.js';
import type { Emulator, EmulatorOptions } from '../../src/emulator/index.js';
import { createSession } from '../../src/session/create-session.js';
import type { SessionOptions } from '../../src/options.js';
import type { Session } from '../../src/session/types.js';
import type { PublicState } from '../../machines/session.types.js';

export const quietLogger = { warn: () => {}, error: () => {} };

export async function emulator(options: EmulatorOptions = {}): Promise<Emulator> {
  return startEmulator({ host: '127.0.0.1', port: 0, ...options });
}

/** A session on the emulator with quiet logs and no sleep detector (tests control the environment). */
export function sessionOn(em: Emulator, options: Partial<SessionOptions> = {}): Session {
  return createSession({
    baseUrl: em.url,
    appID: em.appKey.id,
    appSecret: em.appKey.secret,
    logger: quietLogger,
    environment: false,
    ...options,
  });
}

/** The first value matching `predicate`, or a timeout error naming what was awaited. */
export function next<T>(source: Observable<T>, predicate: (value: T) => boolean = () => true, ms = 5_000): Promise<T> {
  return firstValueFrom(source.pipe(filter(predicate), timeout({ first: ms })));
}

/** Resolves when the session reaches `state`. */
export function reach(session: Session, state: PublicState, ms = 5_000): Promise<PublicState> {
  return next(session.state$, (s) => s === state, ms);
}

let counter = 0;
/** A fresh user id, so tests never share a user by accident. */
export function uniqueUser(prefix = 'user'): { xcUserID: string; fullName: string } {
  counter += 1;
  return { xcUserID: `${prefix}-${counter}`, fullName: `Test ${prefix} ${counter}` };
}

/** Every value stored whose content looks like one of the tokens. */
export function tokensIn(values: Record<string, string>, tokens: string[]): string[] {
  return Object.entries(values)
    .filter(([, v]) => tokens.some((t) => t !== '' && v.includes(t)))
    .map(([k]) => k);
}
