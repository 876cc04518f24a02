/**
 * The fault matrix (issue 3, "Proof"): every emulator fault at every phase of a session, over
 * real HTTP and WebSocket on 127.0.0.1, with the outcome asserted. The same case list renders the
 * table of docs/reliability.md: the test writes it to .tmp/fault-matrix.md and fails when the doc
 * holds another one (copy the file between the doc's `fault-matrix` markers).
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { PublicState } from '../../machines/session.types.js';
import type { Emulator } from '../../src/emulator/index.js';
import { enter, PHASE_PATH, PHASES, REQUEST_TIMEOUT_MS, TIMINGS, type Observed, type Phase, type Run } from '../support/fault-phases.js';

type Fault =
  | 'drop connections'
  | 'expire access tokens'
  | 'revoke refresh tokens'
  | 'refuse connections'
  | 'accept then close'
  | 'latency'
  | 'failNext 5xx'
  | 'failNext 401'
  | 'halfOpen'
  | 'sibling refreshes'
  | 'sibling logs out'
  | 'storage refuses';

const settledOr300 = (p: Promise<unknown>) => Promise.race([p.then(() => {}, () => {}), new Promise<void>((r) => setTimeout(r, 300))]);

/** How each fault is switched on (and, for a switch, how long it stays on). */
const FAULTS: Record<Fault, { label: string; apply(em: Emulator, phase: Phase, run: Run): void | Promise<void>; offAfterMs?: number }> = {
  'drop connections': { label: '`dropConnections()` (1006)', apply: (em) => void em.faults.dropConnections() },
  'expire access tokens': { label: '`expireAccessTokens()`', apply: (em) => em.faults.expireAccessTokens() },
  'revoke refresh tokens': { label: '`revokeRefreshTokens()`', apply: (em) => em.faults.revokeRefreshTokens() },
  'refuse connections': { label: '`refuseConnections(400)`', apply: (em) => em.faults.refuseConnections(400) },
  // Longer than the refuse window: the first socket after a ticket exchange must still meet it under load.
  'accept then close': { label: '`closeOnAccept(1000)` (1011 at once)', apply: (em) => em.faults.closeOnAccept(1_000) },
  latency: {
    label: `\`latency(600)\` for 700 ms (request timeout ${REQUEST_TIMEOUT_MS} ms)`,
    apply: (em) => em.faults.latency(600),
    offAfterMs: 700,
  },
  'failNext 5xx': {
    label: '`failNext(path, 500/50001)`',
    apply: (em, phase) => em.faults.failNext(PHASE_PATH[phase], { status: 500, code: '50001' }),
  },
  'failNext 401': {
    label: '`failNext(path, 401/40104)`',
    apply: (em, phase) => em.faults.failNext(PHASE_PATH[phase], { status: 401, code: '40104' }),
  },
  halfOpen: { label: '`halfOpen()`', apply: (em) => em.faults.halfOpen() },
  // SES-80..89: a second tab on the same storage, opened now, refreshes or logs out.
  // The parked request is released once the sibling is done, or after 300 ms when it waits for the
  // lock that request holds: either way the order of events is the same in every run.
  'sibling refreshes': { label: 'a sibling on the storage `refresh()`es', apply: (_em, _phase, run) => settledOr300(run.sibling().refresh()) },
  'sibling logs out': { label: 'a sibling on the storage `logout()`s', apply: (_em, _phase, run) => settledOr300(run.sibling().logout()) },
  // SES-55, SES-57: every write throws from now on (a quota); reads still work.
  'storage refuses': { label: 'the storage throws on every write', apply: (_em, _phase, run) => run.refuseStorage() },
};

/** What a case must come to. */
interface Expect {
  state: PublicState;
  /** The app's call of that phase: `ok` or its error code (the connected phase has none). */
  call?: string;
  /** Transition reasons after the fault, in this order (others may come between). */
  reasons: string[];
  /** Reasons that must also appear, in any order. */
  also?: string[];
  /** Exactly the distinct codes on `errors$`. */
  codes: string[];
  stats?: { refreshes?: number; ticketsExchanged?: number; logouts?: number; refused?: true; flapped?: true };
  stored: boolean;
  rule: string;
  /** What the table says. */
  cell: string;
}

const cases: [Fault, Phase, Expect][] = [];
const c = (fault: Fault, phase: Phase, e: Expect) => cases.push([fault, phase, e]);
/** No rule to cite: the fault does not touch what the session is doing. */
const NONE = '—';
const connects = (reasons: string[], cell: string, extra: Partial<Expect> = {}): Expect => ({
  state: 'connected', call: 'ok', reasons, codes: [], stored: true, rule: NONE, cell, ...extra,
});
const untouched = (cell: string, extra: Partial<Expect> = {}): Expect => ({
  state: 'connected', reasons: [], codes: [], stored: true, rule: NONE, cell, ...extra,
});
const logsOut = (cell: string, logouts: number, rule = 'SES-52'): Expect => ({
  state: 'loggedOut', call: 'ok', reasons: [], codes: [], stored: false, rule, cell, stats: { logouts },
});

// ---- drop connections
c('drop connections', 'authenticating', connects(['ticket_exchanged', 'socket_opened'], 'no socket yet: no effect', { stats: { ticketsExchanged: 1 } }));
c('drop connections', 'connecting', connects(['socket_opened'], 'no socket yet: no effect'));
c('drop connections', 'connected', untouched('reconnects at once (`95013`, first retry < 50 ms)', { reasons: ['socket_closed', 'retry', 'socket_opened'], codes: ['95013'], rule: 'SES-20' }));
c('drop connections', 'refreshing', connects(['socket_closed', 'socket_opened'], 'reconnects while the refresh completes (`95013`)', { also: ['token_refreshed'], codes: ['95013'], stats: { refreshes: 1 }, rule: 'SES-20' }));
c('drop connections', 'logging out', logsOut('the client already closed its socket; logout completes', 1, 'SES-50'));
// ---- expire access tokens
c('expire access tokens', 'authenticating', connects(['ticket_exchanged', 'socket_opened'], 'the new tokens are fresh: no effect', { stats: { ticketsExchanged: 1 } }));
c('expire access tokens', 'connecting', connects(['access_token_expired', 'token_refreshed', 'socket_opened'], 'probe `40104` → one refresh → probe again', { codes: ['40104'], stats: { refreshes: 1 }, rule: 'SES-22' }));
c('expire access tokens', 'connected', untouched('the open socket stays; the next probe or refresh finds out', { stats: { refreshes: 0 } }));
c('expire access tokens', 'refreshing', connects(['token_refreshed'], 'the refresh token still works: refreshed, no interruption', { stats: { refreshes: 1 }, rule: 'SES-8' }));
c('expire access tokens', 'logging out', logsOut('server logout refused, ignored: local data already gone', 0));
// ---- revoke refresh tokens
c('revoke refresh tokens', 'authenticating', connects(['ticket_exchanged', 'socket_opened'], 'the new session is not revoked: no effect', { stats: { ticketsExchanged: 1 } }));
c('revoke refresh tokens', 'connecting', {
  state: 'loggedOut', call: '40103', reasons: ['access_token_expired', 'refresh_token_expired'], codes: ['40103'], stored: false, rule: 'SES-6',
  cell: 'probe `40103` → refresh `40103` → **loggedOut** once, storage cleared', stats: { refreshes: 0 },
});
c('revoke refresh tokens', 'connected', untouched('the open socket stays; the next refresh ends the session'));
c('revoke refresh tokens', 'refreshing', {
  state: 'loggedOut', call: '40103', reasons: ['refresh_token_expired'], codes: ['40103'], stored: false, rule: 'SES-6',
  cell: 'refresh `40103` → **loggedOut** once, storage cleared',
});
c('revoke refresh tokens', 'logging out', logsOut('server logout refused, ignored', 0));
// ---- refuse connections
c('refuse connections', 'authenticating', connects(['ticket_exchanged', 'socket_closed', 'retry', 'socket_opened'], 'upgrades refused (503, `50001`), backoff until the window ends', { codes: ['50001'], stats: { ticketsExchanged: 1, refused: true }, rule: 'SES-21' }));
c('refuse connections', 'connecting', connects(['socket_closed', 'retry', 'socket_opened'], 'upgrades refused (`50001`), backoff until the window ends', { codes: ['50001'], stats: { refused: true }, rule: 'SES-21' }));
c('refuse connections', 'connected', untouched('only new sockets are refused: no effect'));
c('refuse connections', 'refreshing', connects(['token_refreshed'], 'no effect on the refresh', { stats: { refreshes: 1 } }));
c('refuse connections', 'logging out', logsOut('no effect; logout completes', 1));
// ---- accept then close (a flapping server)
c('accept then close', 'authenticating', connects(['ticket_exchanged', 'socket_opened', 'socket_closed', 'socket_opened'], 'each socket opened and closed at once (`95013`), retried until the window ends', { codes: ['95013'], stats: { ticketsExchanged: 1, flapped: true }, rule: 'SES-20' }));
c('accept then close', 'connecting', connects(['socket_opened', 'socket_closed', 'socket_opened'], 'each socket opened and closed at once (`95013`), retried until the window ends', { codes: ['95013'], stats: { flapped: true }, rule: 'SES-20' }));
c('accept then close', 'connected', untouched('only new sockets are closed: no effect'));
c('accept then close', 'refreshing', connects(['token_refreshed'], 'no effect on the refresh', { stats: { refreshes: 1 } }));
c('accept then close', 'logging out', logsOut('no effect; logout completes', 1));
// ---- latency beyond the request timeout
c('latency', 'authenticating', {
  state: 'unauthenticated', call: '95001', reasons: ['ticket_exchange_failed'], codes: ['95001'], stored: false, rule: 'SES-12',
  cell: 'exchange times out (`95001`), not retried; the server spent the ticket anyway', stats: { ticketsExchanged: 1 },
});
c('latency', 'connecting', connects(['probe_failed', 'retry', 'socket_opened'], 'probes time out (`95001`), retried with backoff', { codes: ['95001'], rule: 'SES-21' }));
c('latency', 'connected', untouched('no request while connected: no effect'));
c('latency', 'refreshing', {
  state: 'loggedOut', call: '95001', reasons: ['refresh_token_expired'], codes: ['95001', '40103'], stored: false, rule: 'SES-6, SES-7',
  cell: 'refresh times out (`95001`) but the server rotated; the retry\'s old token is refused (`40103`) → **loggedOut**, see note 1', stats: { refreshes: 1 },
});
c('latency', 'logging out', logsOut('local data gone at once; the server completes the abandoned logout', 1, 'SES-50'));
// ---- failNext 5xx on the phase's request
c('failNext 5xx', 'authenticating', {
  state: 'unauthenticated', call: '50001', reasons: ['ticket_exchange_failed'], codes: ['50001'], stored: false, rule: 'SES-12',
  cell: 'exchange `50001`, reported, not retried', stats: { ticketsExchanged: 0 },
});
c('failNext 5xx', 'connecting', connects(['probe_failed', 'retry', 'socket_opened'], 'probe `50001`, retried with backoff', { codes: ['50001'], rule: 'SES-29' }));
c('failNext 5xx', 'connected', untouched('no request while connected: no effect'));
c('failNext 5xx', 'refreshing', connects(['token_refreshed'], '`refresh()` rejects `50001`; the backoff retry refreshes; never logs out', { call: '50001', codes: ['50001'], stats: { refreshes: 1 }, rule: 'SES-7' }));
c('failNext 5xx', 'logging out', logsOut('server logout `50001`, ignored', 0));
// ---- failNext 401 on the phase's request
c('failNext 401', 'authenticating', {
  state: 'unauthenticated', call: '40104', reasons: ['ticket_rejected'], codes: ['40104'], stored: false, rule: 'SES-12',
  cell: 'ticket rejected (`40104`), not retried', stats: { ticketsExchanged: 0 },
});
c('failNext 401', 'connecting', connects(['access_token_expired', 'token_refreshed', 'socket_opened'], 'probe `40104` → one refresh → probe again', { codes: ['40104'], stats: { refreshes: 1 }, rule: 'SES-22' }));
c('failNext 401', 'connected', untouched('no request while connected: no effect'));
c('failNext 401', 'refreshing', {
  state: 'loggedOut', call: '40104', reasons: ['refresh_token_expired'], codes: ['40104'], stored: false, rule: 'SES-6',
  cell: 'refresh refused → **loggedOut** once, storage cleared',
});
c('failNext 401', 'logging out', logsOut('server logout refused, ignored', 0));
// ---- half-open sockets
c('halfOpen', 'authenticating', connects(['ticket_exchanged', 'socket_opened'], 'no socket yet: no effect', { stats: { ticketsExchanged: 1 } }));
c('halfOpen', 'connecting', connects(['socket_opened'], 'no socket yet: no effect'));
c('halfOpen', 'connected', untouched('no pong → dead (`95014`) → reconnects', { reasons: ['liveness_timeout', 'retry', 'socket_opened'], codes: ['95014'], rule: 'SES-31' }));
c('halfOpen', 'refreshing', connects(['liveness_timeout', 'socket_opened'], 'refreshes over HTTP; the dead socket is replaced (`95014`)', { also: ['token_refreshed'], codes: ['95014'], stats: { refreshes: 1 }, rule: 'SES-31' }));
c('halfOpen', 'logging out', logsOut('the client closes its socket itself; logout completes', 1, 'SES-50'));

// ---- a sibling on the same storage (SES-80..89)
const loggedOutElsewhere = (call: string | undefined, cell: string): Expect => ({
  state: 'loggedOut', ...(call ? { call } : {}), reasons: ['logged_out_elsewhere'], codes: [], stored: false, rule: 'SES-84', cell, stats: { logouts: 1 },
});
c('sibling refreshes', 'authenticating', connects(['ticket_exchanged', 'socket_opened'], 'nothing stored yet: the sibling has no session; no effect', { stats: { ticketsExchanged: 1, refreshes: 0 }, rule: 'SES-80' }));
c('sibling refreshes', 'connecting', connects(['sibling_refreshed', 'socket_opened'], 'adopted without a request (`sibling_refreshed`); the probe goes again with the new token', { stats: { refreshes: 1 }, rule: 'SES-82, SES-8' }));
c('sibling refreshes', 'connected', untouched('adopted without a request (`sibling_refreshed`); the socket stays up', { reasons: ['sibling_refreshed'], stats: { refreshes: 1 }, rule: 'SES-82' }));
c('sibling refreshes', 'refreshing', connects(['token_refreshed'], 'the sibling waits for the lock, then adopts this refresh: one request for both', { stats: { refreshes: 1 }, rule: 'SES-81, SES-82' }));
c('sibling refreshes', 'logging out', logsOut('the storage is already clear: the sibling has no session', 1, 'SES-50'));
c('sibling logs out', 'authenticating', connects(['ticket_exchanged', 'socket_opened'], 'nothing stored yet: the sibling\'s logout clears nothing; the login goes on', { stats: { ticketsExchanged: 1 }, rule: 'SES-80' }));
c('sibling logs out', 'connecting', loggedOutElsewhere('95016', '**loggedOut** (`logged_out_elsewhere`), `connect()` rejects `95016`'));
c('sibling logs out', 'connected', loggedOutElsewhere(undefined, '**loggedOut** (`logged_out_elsewhere`), the socket closed'));
c('sibling logs out', 'refreshing', loggedOutElsewhere('95016', '**loggedOut** (`logged_out_elsewhere`), the refresh abandoned, `refresh()` rejects `95016`'));
c('sibling logs out', 'logging out', logsOut('both logged out; one server logout', 1, 'SES-50'));

// ---- a storage that refuses every write (SES-55, SES-57)
c('storage refuses', 'authenticating', connects(['ticket_exchanged', 'socket_opened'], 'the grant cannot be saved (`95010`); the session works in memory', { codes: ['95010'], stored: false, stats: { ticketsExchanged: 1 }, rule: 'SES-57' }));
c('storage refuses', 'connecting', connects(['socket_opened'], 'nothing to write: no effect'));
c('storage refuses', 'connected', untouched('nothing to write: no effect'));
c('storage refuses', 'refreshing', connects(['token_refreshed'], 'the new tokens cannot be saved (`95010`); the session works in memory, the old ones stay stored', { codes: ['95010'], stats: { refreshes: 1 }, rule: 'SES-57' }));
// The removal came first (SES-50): at the server logout there is nothing left to write. The
// removal refused is the hostile-storage test's (SES-55).
c('storage refuses', 'logging out', logsOut('the storage was cleared before the server logout: no effect', 1, 'SES-50'));

/** How long nothing more may happen once the expected outcome is reached: two liveness cycles. */
const QUIET_MS = 2 * (TIMINGS.pingIntervalMs + TIMINGS.pongTimeoutMs);
const REACH_MS = 5_000;

const inOrder = (seen: string[], wanted: string[]) => {
  let i = 0;
  for (const r of seen) if (r === wanted[i]) i++;
  return i === wanted.length;
};
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function play(fault: Fault, phase: Phase, e: Expect): Promise<Observed> {
  const run = await enter(phase, fault.startsWith('sibling'));
  try {
    const since = run.em.stats();
    const f = FAULTS[fault];
    await f.apply(run.em, phase, run);
    run.release();
    if (f.offAfterMs) setTimeout(() => run.em.faults.reset(), f.offAfterMs);
    const deadline = performance.now() + REACH_MS;
    let o = await run.observe(since);
    while (!(o.state === e.state && inOrder(o.reasons, e.reasons) && (e.also ?? []).every((r) => o.reasons.includes(r))) && performance.now() < deadline) {
      await sleep(20);
      o = await run.observe(since);
    }
    await sleep(QUIET_MS);
    return await run.observe(since);
  } finally {
    await run.close();
  }
}

/** The markdown table of docs/reliability.md, from the case list. */
export function renderMatrix(): string {
  const head = `| Fault | ${PHASES.join(' | ')} |\n|---|${PHASES.map(() => '---').join('|')}|`;
  const rows = (Object.keys(FAULTS) as Fault[]).map((fault) => {
    const cells = PHASES.map((phase) => {
      const e = cases.find(([f, p]) => f === fault && p === phase)![2];
      const end = e.cell.includes('**') ? '' : ` → **${e.state}**`;
      return `${e.cell}${end}${e.rule === NONE ? '' : ` (${e.rule})`}`;
    });
    return `| ${FAULTS[fault].label} | ${cells.join(' | ')} |`;
  });
  return [head, ...rows].join('\n');
}

describe('fault matrix: each emulator fault at each phase, over real sockets', () => {
  it('covers every fault at every phase once', () => {
    expect(cases).toHaveLength(Object.keys(FAULTS).length * PHASES.length);
    const keys = new Set(cases.map(([f, p]) => `${f}@${p}`));
    expect(keys.size).toBe(cases.length);
  });

  it.concurrent.each(cases.map(([fault, phase, e]) => ({ fault, phase, e, name: `${e.rule === NONE ? '' : `${e.rule}: `}${fault} while ${phase} → ${e.state}` })))('$name', async ({ fault, phase, e }) => {
    const o = await play(fault, phase, e);
    const what = `${fault} while ${phase}: ${JSON.stringify(o)}`;
    expect(o.state, what).toBe(e.state);
    expect(o.call, what).toBe(e.call);
    expect(inOrder(o.reasons, e.reasons), what).toBe(true);
    for (const r of e.also ?? []) expect(o.reasons, what).toContain(r);
    if (e.reasons.length === 0 && !e.also) expect(o.reasons, what).toEqual([]);
    expect([...o.codes].sort(), what).toEqual([...e.codes].sort());
    // SES-6: refresh_token_expired only when expected, and then exactly once (one onTapTalkRefreshTokenExpired).
    expect(o.reasons.filter((r) => r === 'refresh_token_expired'), what).toHaveLength(e.reasons.includes('refresh_token_expired') ? 1 : 0);
    expect(o.storedToken, what).toBe(e.stored);
    if (e.stats?.refreshes !== undefined) expect(o.stats.refreshes, what).toBe(e.stats.refreshes);
    if (e.stats?.ticketsExchanged !== undefined) expect(o.stats.ticketsExchanged, what).toBe(e.stats.ticketsExchanged);
    if (e.stats?.logouts !== undefined) expect(o.stats.logouts, what).toBe(e.stats.logouts);
    if (e.stats?.refused) expect(o.stats.connectionsRefused, what).toBeGreaterThan(0);
    // More than one socket accepted: at least one was opened and closed at once.
    if (e.stats?.flapped) expect(o.stats.connectionsAccepted, what).toBeGreaterThan(1);
    // Exactly one socket when connected, none otherwise, as the server counts them.
    expect(o.stats.openSockets, what).toBe(e.state === 'connected' ? 1 : 0);
  });

  it('docs/reliability.md shows this very matrix (copy .tmp/fault-matrix.md into it when this fails)', () => {
    const table = renderMatrix();
    mkdirSync('.tmp', { recursive: true });
    writeFileSync('.tmp/fault-matrix.md', `${table}\n`);
    const doc = readFileSync('docs/reliability.md', 'utf8');
    const between = /<!-- fault-matrix:start -->\n([\s\S]*?)\n<!-- fault-matrix:end -->/.exec(doc)?.[1];
    expect(between).toBe(table);
  });
});
