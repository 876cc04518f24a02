/**
 * The world the path generator explores: a command vocabulary that drives the real session actor
 * (fake actors, simulated clock) the way its surroundings can, an abstract key that tells states
 * worth exploring apart, and a replay that runs a path from scratch and records every microstep.
 */
import { getNextTransitions, type AnyStateMachine, type AnyTransitionDefinition, type InspectionEvent, type StateNode } from 'xstate';
import { MAX_TIMER_MS } from '../../machines/timers.js';
import type { Credentials, MachineSettings, SessionEvent, StoredState } from '../../machines/index.js';
import { allStateNodes, ownTransitions } from '../../scripts/machine-graph.js';
import { authError, createFakes, createHarness, grant, netError, type Fakes, type HarnessOptions } from '../support/machine-harness.js';

type Harness = ReturnType<typeof createHarness>;
type CallKind = 'load' | 'exchange' | 'refresh' | 'probe' | 'revoke' | 'reads';

/** Settings that make the time- and count-guarded branches reachable in a few steps. */
export const PATH_SETTINGS: Partial<MachineSettings> = { connectionStateTtlMs: 500, maxReconnectAttempts: 3 };

const START = 1_700_000_000_000;
const stored = (refreshAt: number): Credentials => ({
  accessToken: 'a0',
  refreshToken: 'r0',
  accessTokenExpiry: START + 3_600_000,
  refreshTokenExpiry: START + 86_400_000,
  skewMs: 0,
  refreshAt,
});

/** How a path begins: which storage the session finds. */
export const ROOTS: Record<string, HarnessOptions> = {
  // Asynchronous storage shared with siblings (SES-80..89): the lock, re-reads, sibling changes.
  'storage:async-shared': { deferLoad: true, coordinated: true },
  'storage:empty': { preloaded: null },
  // A stored session whose refresh is already due (SES-42): reaches the overdue guards.
  'storage:overdue': { preloaded: { credentials: stored(START), user: { userID: 'u1' } } },
  // One whose refresh is further away than a platform timer can wait: reaches the re-arm (SES-3).
  'storage:long-lived': { preloaded: { credentials: stored(START + 60 * 86_400_000), user: { userID: 'u1' } } },
};

let versions = 1;
/** What a sibling may leave in the storage, as seen from a harness (SES-82..87). */
const siblingStored = {
  removed: (): StoredState | null => null,
  rotated: (h: Harness): StoredState => ({ credentials: { ...stored(h.clock.now() + 1_800_000), refreshToken: `r${++versions}` }, user: { userID: 'u1' }, version: START + versions }),
  'other user': (h: Harness): StoredState => ({ credentials: { ...stored(h.clock.now() + 1_800_000), refreshToken: `r${++versions}` }, user: { userID: 'u2' }, version: START + versions }),
  unchanged: (h: Harness): StoredState | null => {
    const c = h.actor.getSnapshot().context;
    return c.credentials && c.user ? { credentials: c.credentials, user: c.user, version: c.version } : null;
  },
  // Other tokens at an older version: a write this session has already seen past.
  older: (h: Harness): StoredState => ({ credentials: { ...stored(h.clock.now()), refreshToken: 'r-old' }, user: { userID: 'u1' }, version: 0 }),
};
const SIBLING_EVENTS = Object.entries(siblingStored).map(([name, of]) => ({
  name: `sibling: ${name}`,
  run: (h: Harness) => h.send({ type: 'storage.changed', stored: of(h) }),
}));

const EVENTS: SessionEvent[] = [
  { type: 'user.authenticate', ticket: 't1', connect: true },
  { type: 'user.authenticate', ticket: 't1', connect: false },
  { type: 'user.connect' },
  { type: 'user.disconnect' },
  { type: 'user.refresh' },
  { type: 'user.logout' },
  { type: 'server.tokenExpired' },
  { type: 'env.online' },
  { type: 'env.offline' },
  { type: 'env.visible' },
  { type: 'env.hidden' },
  { type: 'env.wake', sleptMs: 7_200_000 },
  { type: 'storage.locked' },
];

/** One step of a path: a name for reports, and what it does to a harness. */
export interface Command {
  name: string;
  run(h: Harness): void;
}

/** Ways each kind of pending call can be settled. */
const SETTLERS: Record<CallKind, { name: string; settle: (h: Harness, p: { resolve(v: never): void; reject(e: unknown): void }) => void }[]> = {
  load: [
    { name: 'found', settle: (h, p) => p.resolve({ kind: 'found', credentials: stored(h.clock.now() + 3_540_000), user: { userID: 'u1' } } as never) },
    { name: 'none', settle: (_, p) => p.resolve({ kind: 'none' } as never) },
    { name: 'unreadable', settle: (_, p) => p.resolve({ kind: 'unreadable', failure: { code: '95009', retryable: false, unauthorized: false } } as never) },
    { name: 'throws', settle: (_, p) => p.reject({ code: '95010', retryable: true }) },
  ],
  exchange: [
    { name: 'grant', settle: (h, p) => p.resolve(grant(h.clock.now()) as never) },
    { name: 'refused', settle: (_, p) => p.reject(authError('40101')) },
    { name: 'network', settle: (_, p) => p.reject(netError()) },
  ],
  refresh: [
    { name: 'grant', settle: (h, p) => p.resolve(grant(h.clock.now(), {}, 2) as never) },
    // SES-86: the grant was not stored: a sibling changed the storage meanwhile.
    { name: 'superseded', settle: (h, p) => p.resolve(grant(h.clock.now(), { superseded: true }, 2) as never) },
    { name: 'refused', settle: (_, p) => p.reject(authError('40104')) },
    { name: 'network', settle: (_, p) => p.reject(netError()) },
  ],
  probe: [
    { name: 'ok', settle: (_, p) => p.resolve(undefined as never) },
    { name: 'refused', settle: (_, p) => p.reject(authError('40104')) },
    { name: 'network', settle: (_, p) => p.reject(netError()) },
  ],
  revoke: [
    { name: 'ok', settle: (_, p) => p.resolve(undefined as never) },
    { name: 'network', settle: (_, p) => p.reject(netError()) },
  ],
  reads: [
    ...Object.entries(siblingStored).map(([name, of]) => ({ name, settle: (h: Harness, p: { resolve(v: never): void }) => p.resolve(of(h) as never) })),
    { name: 'throws', settle: (_, p) => p.reject({ code: '95009', retryable: false }) },
  ],
};

const SOCKET_EVENTS: SessionEvent[] = [
  { type: 'socket.opened', canPing: true },
  { type: 'socket.opened', canPing: false },
  { type: 'socket.closed', code: 1006, reason: '' },
  { type: 'socket.closed', code: 1008, reason: 'unauthorized', failure: authError('40104') },
  { type: 'socket.pong' },
];

/** The commands that make sense for the harness as it is now. */
export function enabledCommands(h: Harness): Command[] {
  const snapshot = h.actor.getSnapshot();
  // Events some active state has a transition for, guarded or not, targetless included (an
  // event a state absorbs on purpose is a transition too; `snapshot.can` would skip it).
  const handled = new Set(getNextTransitions(snapshot).map((t) => t.eventType));
  const out: Command[] = [];
  for (const event of EVENTS) {
    if (handled.has(event.type)) out.push({ name: JSON.stringify(event), run: (x) => x.send(event) });
  }
  for (const kind of Object.keys(SETTLERS) as CallKind[]) {
    const settlers = SETTLERS[kind];
    const list: { aborted: boolean; settled: boolean }[] = h.calls[kind];
    const index = list.findIndex((p) => !p.aborted && !p.settled);
    if (index < 0) continue;
    for (const s of settlers) {
      out.push({
        name: `${kind} ${s.name}`,
        run: (x) => s.settle(x, x.calls[kind][index] as never),
      });
    }
  }
  // Siblings only where the session follows them: elsewhere the same edges are reached without.
  if (snapshot.context.coordinated && handled.has('storage.changed')) out.push(...SIBLING_EVENTS);
  const socket = h.openSockets().at(-1);
  if (socket) {
    const index = h.calls.sockets.indexOf(socket);
    for (const event of SOCKET_EVENTS) out.push({ name: `socket ${JSON.stringify(event)}`, run: (x) => x.calls.sockets[index]!.send(event) });
  }
  const next = h.timers()[0];
  if (next) {
    out.push({ name: 'tick', run: (x) => x.clock.increment(Math.max(0, (x.timers()[0]?.due ?? x.clock.now()) - x.clock.now())) });
    // A frozen process or a throttled tab: a minute passes at once and every due timer fires late.
    out.push({ name: 'freeze 60 s', run: (x) => x.clock.increment(60_000) });
  }
  return out;
}

/** What tells two moments apart for exploration: the state plus the context the guards read. */
export function abstractKey(h: Harness): string {
  const s = h.actor.getSnapshot();
  const c = s.context;
  const now = h.clock.now();
  return JSON.stringify([
    s.value,
    c.wantConnected,
    c.connectAfterAuth,
    c.authRefreshUsed,
    c.canPing,
    c.online,
    c.revokeToken !== null,
    c.coordinated,
    c.credentials !== null && now >= c.credentials.refreshAt,
    c.credentials !== null && c.credentials.refreshAt - now > MAX_TIMER_MS,
    Math.min(c.attempts, 3),
    c.failingSince !== null && now - c.failingSince >= 500,
    h.openSockets().length,
  ]);
}

type AnyNode = StateNode<any, any>;

const keysByMachine = new WeakMap<object, Map<AnyTransitionDefinition, string>>();

/** Stable keys of a machine's transitions by object identity (each `.provide()` makes new ones). */
function transitionKeys(machine: AnyStateMachine): Map<AnyTransitionDefinition, string> {
  let map = keysByMachine.get(machine);
  if (!map) {
    map = new Map();
    for (const node of allStateNodes(machine.root as AnyNode)) {
      for (const { key, transition } of ownTransitions(node)) map.set(transition, key);
    }
    keysByMachine.set(machine, map);
  }
  return map;
}

/** What one or more replays reached. */
export interface Coverage {
  states: Set<string>;
  transitions: Set<string>;
}

/** Lets promise callbacks of the fake actors run. */
async function settle(): Promise<void> {
  for (let i = 0; i < 6; i++) await Promise.resolve();
}

/** One set of fakes per root, reused by its replays (they run one after another). */
const fakesByRoot: Record<string, Fakes> = {};

/**
 * Replays a path from scratch on a new actor and records what it reached into `coverage`.
 * Returns the harness at the end of the path.
 */
export async function replay(root: string, path: Command[], coverage: Coverage): Promise<Harness> {
  const inspect = (e: InspectionEvent) => {
    if (e.type !== '@xstate.microstep') return;
    const keys = transitionKeys((e.actorRef as unknown as { logic: AnyStateMachine }).logic);
    for (const t of e._transitions) {
      const key = keys.get(t);
      if (key === undefined) continue;
      coverage.transitions.add(key);
      // A transition taken from a state proves the state was active (decision points are
      // entered and left inside one macrostep, so no snapshot at rest shows them).
      coverage.states.add(key.slice(0, key.indexOf('|')));
    }
    for (const n of (e.snapshot as unknown as { _nodes: AnyNode[] })._nodes) coverage.states.add(n.id);
  };
  const h = createHarness({ ...ROOTS[root], settings: PATH_SETTINGS, inspect }, (fakesByRoot[root] ??= createFakes(ROOTS[root])));
  for (const n of (h.actor.getSnapshot() as unknown as { _nodes: AnyNode[] })._nodes) coverage.states.add(n.id);
  await settle();
  for (const command of path) {
    command.run(h);
    await settle();
  }
  return h;
}
