/**
 * The world of the sibling model test (issue 12): 2–4 real sessions (`createSession`) over one
 * storage and one fake server, on one simulated clock. Each session's storage is a view of the one
 * shared `memoryStorage` with a fake coordination: a lock granted after a chosen delay (or never
 * in time), and change notices delivered to the other sessions after a chosen delay. `check()`
 * asserts the invariants of SES-80..89 after every step.
 */
import { PUBLIC_STATES, type PublicState } from '../../machines/session.types.js';
import { TapTalkError } from '../../src/errors.js';
import { createSession } from '../../src/session/create-session.js';
import type { Session, SessionTransition } from '../../src/session/types.js';
import { storageKeys } from '../../src/storage/keys.js';
import { memoryStorage } from '../../src/storage/memory.js';
import type { CoordinatedStorage } from '../../src/storage/types.js';
import { ScenarioClock, seeded } from '../../src/testing/index.js';
import { FakeServer } from './fake-server.js';
import { socketClass } from './fake-sockets.js';

export interface SiblingParams {
  sessions: number;
  accessTtlMs: number;
  seed: number;
  /** `false`: the sessions ignore each other (the failure of issue 12), to prove the invariants can fail. */
  coordinate?: boolean;
}

const START = 1_700_000_000_000;
const KEY = storageKeys('app').session;
const ACTIVE: readonly PublicState[] = ['authenticated', 'connecting', 'connected'];
/** SES-84's bound for the model: notices arrive within `notifyDelayMs`, the storage answers at once. */
export const FOLLOW_BOUND_MS = 1_000;
const MAX_FIRINGS = 20_000;

/** Unhandled rejections of the whole file; the test installs the listener. */
export const siblingUnhandled: unknown[] = [];

interface Member {
  id: number;
  session: Session;
  alive: boolean;
  state: PublicState;
}

export class SiblingWorld {
  readonly clock = new ScenarioClock(START);
  readonly server: FakeServer;
  readonly random: () => number;
  readonly store = memoryStorage();
  readonly members: Member[] = [];
  readonly violations: string[] = [];
  step = '(start)';
  /** Fake coordination: how long a lock takes to be granted, how long a change notice travels. */
  lockDelayMs = 0;
  notifyDelayMs = 0;
  private nextInstance = 0;
  private lockHeld = false;
  private readonly lockQueue: { grant(): void; signal: AbortSignal }[] = [];
  private readonly watchers = new Map<number, () => void>();
  /** When the last logout was asked for, and whether a login came after it. */
  private logoutAt: number | null = null;
  private lastVersion = 0;
  private lastLoginAt = -Infinity;
  /** Refresh requests per refresh token presented. */
  readonly refreshesPerToken = new Map<string, number>();

  constructor(readonly params: SiblingParams) {
    this.random = seeded(params.seed);
    this.server = new FakeServer({ clock: this.clock, accessTtlMs: params.accessTtlMs, refreshTtlMs: 30 * 86_400_000 });
    for (let i = 0; i < params.sessions; i++) this.members.push(this.start(i));
  }

  violation(message: string): void {
    this.violations.push(message);
  }

  /** The storage one session sees: the shared one, with the fake lock and notices. */
  private storageFor(instance: number): CoordinatedStorage {
    const notifyOthers = () => {
      for (const [other, onChange] of this.watchers) if (other !== instance) this.server.after(this.notifyDelayMs, onChange);
    };
    return {
      getItem: (k) => this.store.getItem(k),
      setItem: (k, v) => this.store.setItem(k, v),
      removeItem: (k) => this.store.removeItem(k),
      coordination: {
        lock: (_name, signal) =>
          new Promise((resolve) => {
            const entry = {
              signal,
              grant: () => {
                this.lockHeld = true;
                let released = false;
                resolve(() => {
                  if (released) return;
                  released = true;
                  this.lockHeld = false;
                  this.next();
                });
              },
            };
            signal.addEventListener('abort', () => {
              const at = this.lockQueue.indexOf(entry);
              if (at >= 0) this.lockQueue.splice(at, 1);
              resolve(null);
            });
            this.lockQueue.push(entry);
            if (!this.lockHeld && this.lockQueue.length === 1) this.next();
          }),
        watch: (_key, onChange) => {
          this.watchers.set(instance, onChange);
          return () => this.watchers.delete(instance);
        },
        update: (k, change) => {
          const next = change(this.store.getItem(k) as string | null);
          if (next === undefined) return;
          if (next === null) this.store.removeItem(k);
          else this.store.setItem(k, next);
          notifyOthers();
        },
      },
    };
  }

  /** Grants the lock to the first waiter after the current delay. */
  private next(): void {
    const first = this.lockQueue[0];
    if (!first || this.lockHeld) return;
    this.server.after(this.lockDelayMs, () => {
      if (this.lockHeld || this.lockQueue[0] !== first || first.signal.aborted) return this.next();
      this.lockQueue.shift();
      first.grant();
    });
  }

  private start(slot: number): Member {
    const instance = ++this.nextInstance;
    const member = { id: instance, alive: true, state: 'unauthenticated' as PublicState } as Member;
    const alive = () => member.alive;
    const session = createSession({
      baseUrl: 'https://chat.test',
      appID: 'app',
      appSecret: 'secret',
      clock: this.clock,
      random: this.random,
      storage: this.storageFor(instance),
      fetch: this.countRefreshes(this.server.fetchFor(instance, alive)),
      WebSocket: socketClass(this.server, instance, 'browser', alive),
      logger: { warn: () => {}, error: (m) => this.violation(`session ${slot}: logger.error ${m}`) },
      environment: false,
      ...(this.params.coordinate === false ? { coordinate: false } : {}),
    });
    member.session = session;
    session.state$.subscribe((s) => (member.state = s));
    session.transitions$.subscribe((t) => this.onTransition(slot, t));
    session.errors$.subscribe((e) => {
      if (!(e instanceof TapTalkError)) this.violation(`session ${slot}: errors$ carried a non-TapTalkError`);
    });
    return member;
  }

  private countRefreshes(fetch: typeof globalThis.fetch): typeof globalThis.fetch {
    return (input, init) => {
      if (String(input).endsWith('/v1/auth/access_token/refresh')) {
        const token = new Headers(init?.headers).get('authorization')?.replace(/^Bearer /, '') ?? '';
        this.refreshesPerToken.set(token, (this.refreshesPerToken.get(token) ?? 0) + 1);
      }
      return fetch(input, init);
    };
  }

  private onTransition(slot: number, t: SessionTransition): void {
    if (t.reason === 'ticket_exchanged') this.lastLoginAt = this.clock.now();
    if (!PUBLIC_STATES.includes(t.to)) this.violation(`session ${slot}: transition to ${String(t.to)}`);
    // SES-85: a session ends for a refused refresh only when no newer valid token is stored.
    if (t.reason === 'refresh_token_expired') {
      const stored = this.stored();
      const grant = stored && this.server.grants.find((g) => g.refreshToken === stored.refreshToken);
      if (grant && !grant.revoked && this.server.now() < grant.refreshExpiry) {
        this.violation(`session ${slot} ended (refresh_token_expired) while the stored refresh token was valid`);
      }
    }
  }

  stored(): { refreshToken?: string; accessToken?: string; version?: number } | null {
    const text = this.store.snapshot()[KEY];
    if (text === undefined) return null;
    try {
      return JSON.parse(text) as { refreshToken?: string; version?: number };
    } catch {
      return { version: this.lastVersion }; // a corrupt write, made by the test itself
    }
  }

  member(slot: number): Member {
    return this.members[slot % this.members.length]!;
  }

  /** A page reload or a process restart: the slot's session is disposed and a new one starts. */
  async reload(slot: number): Promise<void> {
    const m = this.member(slot);
    m.session.dispose();
    m.alive = false;
    await this.settle();
    this.members[slot % this.members.length] = this.start(slot % this.members.length);
  }

  /**
   * A foreign program overwrites the stored session. What a logout left there is gone, so the
   * siblings can no longer learn of that logout from the storage: they learn of it from the server
   * at their next refresh (SES-85), and SES-84's bound no longer applies to it.
   */
  foreignWrite(text: string): void {
    this.store.setItem(KEY, text);
    this.logoutAt = null;
  }

  noteLogout(): void {
    this.logoutAt = this.clock.now();
  }

  async settle(): Promise<void> {
    await new Promise<void>((r) => setImmediate(r));
  }

  async advance(ms: number): Promise<void> {
    const target = this.clock.now() + ms;
    for (let firings = 0; ; firings++) {
      const due = this.clock.nextDue();
      if (due === undefined || due > target) break;
      if (firings > MAX_FIRINGS) {
        this.violation(`more than ${MAX_FIRINGS} timer firings in ${ms} ms: a busy loop`);
        break;
      }
      this.clock.fireDue(Math.max(due, this.clock.now()), MAX_FIRINGS);
      await this.settle();
      if (this.logoutAt !== null && this.clock.now() - this.logoutAt >= FOLLOW_BOUND_MS) this.checkLoggedOut();
    }
    this.clock.set(target);
    this.clock.fireDue(target, MAX_FIRINGS);
    await this.settle();
  }

  /** SES-84: a bound after a logout, every session is out and the storage holds no token. */
  private checkLoggedOut(): void {
    // A login that completed after the logout is a new session, which the siblings follow (SES-87).
    if (this.lastLoginAt >= this.logoutAt!) {
      this.logoutAt = null;
      return;
    }
    const active = this.members.filter((m) => ACTIVE.includes(m.session.state));
    if (active.length > 0) this.violation(`${active.length} session(s) still active ${this.clock.now() - this.logoutAt!} ms after a logout`);
    const stored = this.stored();
    if (stored?.refreshToken !== undefined) this.violation('a token is still stored after a logout');
    this.logoutAt = null;
  }

  check(): void {
    const stored = this.stored();
    // SES-86: the stored version never goes back, across logouts too.
    if (stored?.version !== undefined) {
      if (stored.version < this.lastVersion) this.violation(`the stored version went back: ${this.lastVersion} → ${stored.version}`);
      this.lastVersion = stored.version;
    }
    // SES-81: one refresh request per rotation across everything sharing the storage, plus at most
    // one per sibling (a sibling whose lock came too late, caught by SES-85).
    for (const [token, n] of this.refreshesPerToken) {
      if (n > this.members.length) this.violation(`refresh token ${token} presented ${n} times by ${this.members.length} sessions`);
    }
    for (const m of this.members) {
      const state = m.session.state;
      if (!PUBLIC_STATES.includes(state)) this.violation(`public state ${String(state)}`);
      const ctx = m.session.actor.getSnapshot().context;
      if (ACTIVE.includes(state) !== (ctx.credentials !== null)) this.violation(`${state} with credentials ${ctx.credentials ? 'present' : 'absent'}`);
    }
    if (siblingUnhandled.length > 0) this.violation(`unhandled rejection: ${siblingUnhandled.map(String).join('; ')}`);
    const found = [...this.violations, ...this.server.violations.filter((v) => !v.includes('refresh requests in flight at once'))];
    if (found.length > 0) throw new Error(`after ${this.step}: ${[...new Set(found)].join(' | ')}`);
  }

  dispose(): void {
    for (const m of this.members) {
      m.session.dispose();
      m.alive = false;
    }
  }
}
