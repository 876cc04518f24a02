/**
 * Item 1: ticket → connected, the engine beside two plain scripts, interleaved, against the
 * emulator in another process: the three exchanges (ticket exchange, token probe, upgrade) and the
 * two a token issued a moment ago needs (exchange, upgrade). The engine's time runs from `authenticate(ticket, { connect:
 * true })` to `state$` saying `connected` (what an app sees); the session is created and ready
 * before the clock starts, as an app creates it once at start-up.
 *
 * Both sides note when each request leaves and its response headers arrive, and when the socket is
 * constructed and open (the engine through a `fetch` and a `ws` subclass passed as options, a
 * function call each), so the time on the wire can be told from the time spent between exchanges.
 */
import { performance } from 'node:perf_hooks';
import WebSocket from 'ws';
import { connectedAt } from './lib/connected-at.js';
import { loadEngine } from './lib/engine.js';
import { median, p90, pool, sleep } from './lib/stats.js';
import { clientHeaders, requestTicket, type Target } from './lib/plain.js';

const quiet = { warn: () => {}, error: () => {} };
const { createSession } = await loadEngine();

/** Moments of one login, ms on performance.now(). */
interface Marks {
  start: number;
  exchangeSent: number;
  exchangeHeaders: number;
  /** Absent when the login made no probe. */
  probeSent?: number;
  probeHeaders?: number;
  socketCreated: number;
  socketOpen: number;
  end: number;
}

/** The moment the last HTTP answer before the socket arrived: the probe's, or the exchange's when there was none. */
const lastAnswer = (m: Marks) => m.probeHeaders ?? m.exchangeHeaders;

/** Segments of a login: a name and its duration in one login (undefined when that login has no such step). */
export const SEGMENTS: readonly [string, (m: Marks) => number | undefined][] = [
  ['call → exchange request sent', (m) => m.exchangeSent - m.start],
  ['exchange on the wire (sent → response headers)', (m) => m.exchangeHeaders - m.exchangeSent],
  ['response → probe request sent', (m) => (m.probeSent === undefined ? undefined : m.probeSent - m.exchangeHeaders)],
  ['probe on the wire', (m) => (m.probeSent === undefined || m.probeHeaders === undefined ? undefined : m.probeHeaders - m.probeSent)],
  ['last response → socket created', (m) => m.socketCreated - lastAnswer(m)],
  ['socket handshake (created → open)', (m) => m.socketOpen - m.socketCreated],
  ['open → connected seen', (m) => m.end - m.socketOpen],
];

async function engineOnce(target: Target, ticket: string): Promise<Marks> {
  const m = {} as Marks;
  const timedFetch = (async (input: string | URL | Request, init?: RequestInit) => {
    const probe = String(input).includes('check=1');
    m[probe ? 'probeSent' : 'exchangeSent'] = performance.now();
    const response = await fetch(input, init);
    m[probe ? 'probeHeaders' : 'exchangeHeaders'] = performance.now();
    return response;
  }) as typeof fetch;
  class TimedSocket extends WebSocket {
    constructor(url: string, options: WebSocket.ClientOptions) {
      m.socketCreated = performance.now();
      super(url, options);
      this.once('open', () => (m.socketOpen = performance.now()));
    }
  }
  const session = createSession({ baseUrl: target.url, appID: target.appKey.id, appSecret: target.appKey.secret, logger: quiet, fetch: timedFetch, WebSocket: TimedSocket as never });
  await session.whenReady();
  const connected = connectedAt(session);
  m.start = performance.now();
  session.authenticate(ticket, { connect: true }).catch(() => {});
  m.end = await connected;
  session.dispose();
  return m;
}

interface Envelope<T> {
  error: { code: string; message: string };
  data: T;
}

/** A plain login with `fetch` and `ws`: the exchange, the probe when `probe` is set, the upgrade. */
async function plainOnce(target: Target, ticket: string, deviceID: string, probe: boolean): Promise<Marks> {
  const headers = clientHeaders(target, deviceID);
  const m = {} as Marks;
  m.start = m.exchangeSent = performance.now();
  const exchanged = await fetch(`${target.url}/v1/auth/access_token/request`, {
    method: 'POST',
    headers: { ...headers, Authorization: `Bearer ${ticket}`, 'Content-Type': 'application/json' },
    body: '{}',
  });
  m.exchangeHeaders = performance.now();
  const grant = (await exchanged.json()) as Envelope<{ accessToken: string }>;
  if (grant.error.code !== '') throw new Error(`exchange: ${grant.error.code}`);
  const bearer = { ...headers, Authorization: `Bearer ${grant.data.accessToken}` };
  if (probe) {
    m.probeSent = performance.now();
    const probed = await fetch(`${target.url}/connect?check=1`, { headers: bearer });
    m.probeHeaders = performance.now();
    const answer = (await probed.json()) as Envelope<unknown>;
    if (answer.error.code !== '') throw new Error(`probe: ${answer.error.code}`);
  }
  m.socketCreated = performance.now();
  const ws = new WebSocket(`${target.url.replace(/^http/, 'ws')}/connect`, { headers: bearer, perMessageDeflate: false });
  await new Promise<void>((resolve, reject) => {
    ws.once('open', () => resolve());
    ws.once('error', reject);
  });
  m.socketOpen = m.end = performance.now();
  ws.close(1000, 'client closed');
  return m;
}

export interface Summary {
  median: number;
  p90: number;
  /** Median of each of SEGMENTS over the logins that had it (NaN when none did). */
  segments: number[];
}

export interface LatencyResult {
  iterations: number;
  engine: Summary;
  /** The plain three exchanges: exchange, probe, upgrade. */
  plain: Summary;
  /** The plain two exchanges: exchange, upgrade. */
  plainTwo: Summary;
}

function summary(samples: Marks[]): Summary {
  const totals = samples.map((m) => m.end - m.start);
  const segments = SEGMENTS.map(([, of]) => median(samples.map(of).filter((v): v is number => v !== undefined)));
  return { median: median(totals), p90: p90(totals), segments };
}

export async function runLatency(target: Target, iterations: number, warmup: number): Promise<LatencyResult> {
  const total = warmup + iterations;
  const tickets: string[] = new Array(total * 3);
  await pool(total * 3, 16, async (i) => {
    tickets[i] = await requestTicket(target, `latency-${i}`);
  });
  const samples: Record<'engine' | 'plain' | 'plainTwo', Marks[]> = { engine: [], plain: [], plainTwo: [] };
  for (let i = 0; i < total; i++) {
    const sides: ['engine' | 'plain' | 'plainTwo', () => Promise<Marks>][] = [
      ['engine', () => engineOnce(target, tickets[3 * i]!)],
      ['plain', () => plainOnce(target, tickets[3 * i + 1]!, `bench-device-${i}`, true)],
      ['plainTwo', () => plainOnce(target, tickets[3 * i + 2]!, `bench-device-two-${i}`, false)],
    ];
    // The order rotates and reverses (ABC, BCA, CAB, CBA, ...): no side always runs right after another's socket closed.
    const order = i % 6 < 3 ? [0, 1, 2].map((k) => (i + k) % 3) : [2, 1, 0].map((k) => (i + k) % 3);
    for (const k of order) {
      const [name, run] = sides[k]!;
      const marks = await run();
      if (i >= warmup) samples[name].push(marks);
      await sleep(3);
    }
  }
  return { iterations, engine: summary(samples.engine), plain: summary(samples.plain), plainTwo: summary(samples.plainTwo) };
}
