/**
 * Part `rtt`: connected in round trips, through a loopback proxy that adds 60 ms and 150 ms of
 * round-trip time (lib/rtt-proxy.ts). Ticket → connected for the engine beside the floor (the
 * exchange, then the upgrade: a token issued a moment ago needs no probe), the three-exchange
 * script (exchange, probe, upgrade) and TapTalk's documented web sequence (a fixed 300 ms wait,
 * the exchange, the probe twice, the upgrade: reference §6); restore → connected for the engine
 * beside the one upgrade a stored, unexpired token needs. Interleaved per iteration.
 */
import { performance } from 'node:perf_hooks';
import WebSocket from 'ws';
import { connectedAt } from './lib/connected-at.js';
import { loadEngine } from './lib/engine.js';
import { clientHeaders, exchangeTicket, openSocket, probeToken, requestTicket, type Target } from './lib/plain.js';
import { startRttProxy } from './lib/rtt-proxy.js';
import { median, sleep } from './lib/stats.js';

const quiet = { warn: () => {}, error: () => {} };
const { createSession, memoryStorage } = await loadEngine();

/** Medians of one RTT, ms. */
export interface RttFigures {
  rttMs: number;
  iterations: number;
  ticket: { engine: number; floor: number; threeExchanges: number; taptalk: number };
  restore: { engine: number; floor: number };
  /** Token probes the engine made in its measured ticket and restore logins, and how many logins. */
  engineProbes: number;
  engineLogins: number;
}

export type RttResult = RttFigures[];

/** Counts the engine's token probes (a `fetch` passed as an option, one call each). */
let probes = 0;
const countingFetch = ((input: string | URL | Request, init?: RequestInit) => {
  if (String(input).includes('check=1')) probes++;
  return fetch(input, init);
}) as typeof fetch;

async function engineTicket(via: Target, ticket: string): Promise<number> {
  const session = createSession({ baseUrl: via.url, appID: via.appKey.id, appSecret: via.appKey.secret, logger: quiet, fetch: countingFetch });
  await session.whenReady();
  const connected = connectedAt(session);
  const start = performance.now();
  session.authenticate(ticket, { connect: true }).catch(() => {});
  const end = await connected;
  session.dispose();
  return end - start;
}

/** A stored session, made by a login straight to the emulator (no proxy), then left by dispose. */
async function storedSession(target: Target, ticket: string): Promise<Record<string, string>> {
  const storage = memoryStorage();
  const session = createSession({ baseUrl: target.url, appID: target.appKey.id, appSecret: target.appKey.secret, logger: quiet, storage });
  await session.whenReady();
  await session.authenticate(ticket);
  session.dispose();
  return storage.snapshot();
}

/** Restore → connected: from creating the session on a storage that holds one, to `connected`. */
async function engineRestore(via: Target, stored: Record<string, string>): Promise<number> {
  const start = performance.now();
  const session = createSession({ baseUrl: via.url, appID: via.appKey.id, appSecret: via.appKey.secret, logger: quiet, storage: memoryStorage(stored), fetch: countingFetch });
  const connected = connectedAt(session);
  await session.whenReady();
  session.connect().catch(() => {});
  const end = await connected;
  session.dispose();
  return end - start;
}

async function timed(fn: () => Promise<WebSocket>): Promise<number> {
  const start = performance.now();
  const ws = await fn();
  const end = performance.now();
  ws.close(1000, 'client closed');
  return end - start;
}

/** The plain sequences, with the same headers the engine sends. */
const scripts = {
  floor: (via: Target, h: Record<string, string>, ticket: string) =>
    timed(async () => openSocket(via, h, await exchangeTicket(via, h, ticket))),
  threeExchanges: (via: Target, h: Record<string, string>, ticket: string) =>
    timed(async () => {
      const token = await exchangeTicket(via, h, ticket);
      await probeToken(via, h, token);
      return openSocket(via, h, token);
    }),
  taptalk: (via: Target, h: Record<string, string>, ticket: string) =>
    timed(async () => {
      await sleep(300);
      const token = await exchangeTicket(via, h, ticket);
      await probeToken(via, h, token);
      await probeToken(via, h, token);
      return openSocket(via, h, token);
    }),
};

/** A stored token's one upgrade, as a script that trusts it would do. */
async function floorRestore(target: Target, via: Target, h: Record<string, string>, ticket: string): Promise<number> {
  const token = await exchangeTicket(target, h, ticket);
  return timed(() => openSocket(via, h, token));
}

async function oneRtt(target: Target, rttMs: number, iterations: number): Promise<RttFigures> {
  const proxy = await startRttProxy(target.url, rttMs);
  const via: Target = { ...target, url: proxy.url };
  let engineProbes = 0;
  let engineLogins = 0;
  const samples = { engine: [] as number[], floor: [] as number[], threeExchanges: [] as number[], taptalk: [] as number[], restore: [] as number[], restoreFloor: [] as number[] };
  try {
    for (let i = 0; i < iterations + 1; i++) {
      const h = clientHeaders(target, `rtt-${rttMs}-${i}`);
      const tickets = await Promise.all([0, 1, 2, 3, 4, 5].map((k) => requestTicket(target, `rtt-${rttMs}-${i}-${k}`)));
      const stored = await storedSession(target, tickets[4]!);
      const runs: [keyof typeof samples, () => Promise<number>][] = [
        ['engine', () => engineTicket(via, tickets[0]!)],
        ['floor', () => scripts.floor(via, h, tickets[1]!)],
        ['threeExchanges', () => scripts.threeExchanges(via, h, tickets[2]!)],
        ['taptalk', () => scripts.taptalk(via, h, tickets[3]!)],
        ['restore', () => engineRestore(via, stored)],
        ['restoreFloor', () => floorRestore(target, via, h, tickets[5]!)],
      ];
      // Rotated each iteration: no side always runs first on a fresh proxy connection.
      for (let k = 0; k < runs.length; k++) {
        const [name, run] = runs[(i + k) % runs.length]!;
        const before = probes;
        const t = await run();
        if (i === 0) continue; // the first round warms up
        samples[name].push(t);
        if (name === 'engine' || name === 'restore') {
          engineProbes += probes - before;
          engineLogins++;
        }
      }
    }
  } finally {
    await proxy.close();
  }
  return {
    rttMs,
    iterations,
    ticket: { engine: median(samples.engine), floor: median(samples.floor), threeExchanges: median(samples.threeExchanges), taptalk: median(samples.taptalk) },
    restore: { engine: median(samples.restore), floor: median(samples.restoreFloor) },
    engineProbes,
    engineLogins,
  };
}

/** Runs the part at each RTT (60 ms and 150 ms by default). */
export async function runRtt(target: Target, iterations: number, rtts: readonly number[] = [60, 150]): Promise<RttResult> {
  const out: RttResult = [];
  for (const rtt of rtts) out.push(await oneRtt(target, rtt, iterations));
  return out;
}
