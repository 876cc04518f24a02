/**
 * The fault matrix's machinery: a session on a fresh emulator, driven into one of five phases and
 * held there (its request parked in a gated `fetch` until released), a fault switched on, and
 * everything the session and the emulator then show recorded.
 */
import type { Emulator, EmulatorStats } from '../../src/emulator/index.js';
import { TapTalkError } from '../../src/errors.js';
import type { Session, SessionTransition } from '../../src/session/types.js';
import type { CoordinatedStorage } from '../../src/storage/types.js';
import { emulator, reach, sessionOn, uniqueUser } from './emulator-session.js';
import { sharedMemoryStorage } from './shared-storage.js';

export type Phase = 'authenticating' | 'connecting' | 'connected' | 'refreshing' | 'logging out';
export const PHASES: Phase[] = ['authenticating', 'connecting', 'connected', 'refreshing', 'logging out'];

/** Small timings, so every recovery happens within a second or two of real time. */
export const TIMINGS = {
  pingIntervalMs: 200,
  pongTimeoutMs: 300,
  backoffBaseMs: 50,
  backoffCapMs: 200,
  firstRetryMaxMs: 50,
  suspendedRetryMs: 300,
  connectionStateTtlMs: 5_000,
  openTimeoutMs: 500,
  logoutTimeoutMs: 300,
};
export const REQUEST_TIMEOUT_MS = 400;

/** The request a phase parks, and the path `failNext` aims at in that phase. */
export const PHASE_PATH: Record<Phase, string> = {
  authenticating: '/v1/auth/access_token/request',
  connecting: '/connect',
  connected: '/connect',
  refreshing: '/v1/auth/access_token/refresh',
  'logging out': '/v1/client/logout',
};

/** A `fetch` that can park the next request whose URL contains `match` until released. */
function gatedFetch() {
  let hold: { match: string; arrived: () => void; released: Promise<void> } | null = null;
  const fetchFn = (async (url: string | URL | Request, init?: RequestInit) => {
    if (hold && String(url).includes(hold.match)) {
      const h = hold;
      hold = null;
      h.arrived();
      await h.released;
    }
    return fetch(url, init);
  }) as typeof fetch;
  return {
    fetch: fetchFn,
    hold(match: string) {
      let arrived!: () => void;
      let release!: () => void;
      const arrivedP = new Promise<void>((r) => (arrived = r));
      const released = new Promise<void>((r) => (release = r));
      hold = { match, arrived, released };
      return { arrived: arrivedP, release };
    },
  };
}

/** The storage, with its writes throwing while `refusing()`: a quota exceeded, a locked file. */
function refusable(storage: CoordinatedStorage, refusing: () => boolean): CoordinatedStorage {
  const refuse = () => {
    if (refusing()) throw new Error('QuotaExceededError: the storage refuses writes');
  };
  return {
    ...storage,
    setItem: (k, v) => (refuse(), storage.setItem(k, v)),
    removeItem: (k) => (refuse(), storage.removeItem(k)),
    coordination: {
      ...storage.coordination,
      update: (k, change) => (refuse(), storage.coordination.update?.(k, change)),
    },
  };
}

/** Everything a case observes. */
export interface Observed {
  state: string;
  reasons: string[];
  codes: string[];
  /** What the app's own call in that phase came to: `ok`, or its error code. */
  call: string | undefined;
  stats: Pick<EmulatorStats, 'refreshes' | 'ticketsExchanged' | 'logouts' | 'connectionsRefused' | 'connectionsAccepted' | 'openSockets'>;
  storedToken: boolean;
  elapsedMs: number;
}

export interface Run {
  em: Emulator;
  session: Session;
  /** From now on the session's storage throws on every write (`setItem`, `removeItem`), as a full quota does. */
  refuseStorage(): void;
  /** A second session on the same storage, started now (a tab opened beside the first, SES-80). */
  sibling(): Session;
  /** Lets the parked request go. */
  release(): void;
  observe(since: EmulatorStats): Promise<Observed>;
  close(): Promise<void>;
}

const outcome = (p: Promise<unknown>) => {
  const box: { value: string | undefined } = { value: undefined };
  p.then(
    () => (box.value = 'ok'),
    (e: unknown) => (box.value = e instanceof TapTalkError ? String(e.code) : 'non-TapTalkError'),
  );
  return box;
};

/**
 * Starts a session on its own emulator and drives it into `phase`, parked there. `withSiblings`:
 * its storage is shared and coordinated, for the siblings that `Run.sibling()` starts.
 */
export async function enter(phase: Phase, withSiblings = false): Promise<Run> {
  const em = await emulator();
  const gate = gatedFetch();
  const shared = sharedMemoryStorage();
  const storage = shared.store;
  // Without siblings the session is alone, as every fault but the siblings' assumes.
  const options = (view: CoordinatedStorage) => ({ storage: view, coordinate: withSiblings, timings: TIMINGS, requestTimeoutMs: REQUEST_TIMEOUT_MS });
  let refusing = false;
  const session = sessionOn(em, { fetch: gate.fetch, ...options(refusable(shared.view(), () => refusing)) });
  const siblings: Session[] = [];
  const transitions: SessionTransition[] = [];
  const codes: string[] = [];
  session.transitions$.subscribe((t) => transitions.push(t));
  session.errors$.subscribe((e) => codes.push(e instanceof TapTalkError ? String(e.code) : 'non-TapTalkError'));
  const ticket = await em.requestTicket(uniqueUser('matrix'));
  let release = () => {};
  let call: { value: string | undefined } | undefined;
  const park = async (match: string, start: () => Promise<unknown>) => {
    const held = gate.hold(match);
    call = outcome(start());
    await held.arrived;
    release = held.release;
  };
  if (phase === 'authenticating') {
    await park(PHASE_PATH.authenticating, () => session.authenticate(ticket, { connect: true }));
  } else if (phase === 'connecting') {
    await session.authenticate(ticket);
    await park('/connect?check=1', () => session.connect());
  } else {
    await session.authenticate(ticket, { connect: true });
    await reach(session, 'connected');
    if (phase === 'refreshing') await park(PHASE_PATH.refreshing, () => session.refresh());
    if (phase === 'logging out') await park(PHASE_PATH['logging out'], () => session.logout());
  }
  const marked = transitions.length;
  const started = performance.now();
  return {
    em,
    session,
    release: () => release(),
    refuseStorage: () => {
      refusing = true;
    },
    sibling() {
      const sibling = sessionOn(em, options(shared.view()));
      siblings.push(sibling);
      return sibling;
    },
    async observe(since) {
      const s = em.stats();
      return {
        state: session.state,
        reasons: transitions.slice(marked).flatMap((t) => (t.reason ? [t.reason] : [])),
        codes: [...new Set(codes)],
        call: call?.value,
        stats: {
          refreshes: s.refreshes - since.refreshes,
          ticketsExchanged: s.ticketsExchanged - since.ticketsExchanged,
          logouts: s.logouts - since.logouts,
          connectionsRefused: s.connectionsRefused - since.connectionsRefused,
          connectionsAccepted: s.connectionsAccepted - since.connectionsAccepted,
          openSockets: s.openSockets,
        },
        storedToken: Object.values(storage.snapshot()).some((v) => v.includes('accessToken')),
        elapsedMs: Math.round(performance.now() - started),
      };
    },
    async close() {
      session.dispose();
      for (const s of siblings) s.dispose();
      await em.close();
    },
  };
}
