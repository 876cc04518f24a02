/**
 * Item 1: ticket → connected, the engine beside the plain three exchanges, interleaved, against
 * the emulator in another process. The engine's time runs from `authenticate(ticket, { connect:
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
  probeSent: number;
  probeHeaders: number;
  socketCreated: number;
  socketOpen: number;
  end: number;
}

export const SEGMENTS = [
  ['call → exchange request sent', 'start', 'exchangeSent'],
  ['exchange on the wire (sent → response headers)', 'exchangeSent', 'exchangeHeaders'],
  ['response → probe request sent', 'exchangeHeaders', 'probeSent'],
  ['probe on the wire', 'probeSent', 'probeHeaders'],
  ['response → socket created', 'probeHeaders', 'socketCreated'],
  ['socket handshake (created → open)', 'socketCreated', 'socketOpen'],
  ['open → connected seen', 'socketOpen', 'end'],
] as const;

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

async function plainOnce(target: Target, ticket: string, deviceID: string): Promise<Marks> {
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
  m.probeSent = performance.now();
  const probed = await fetch(`${target.url}/connect?check=1`, { headers: bearer });
  m.probeHeaders = performance.now();
  const probe = (await probed.json()) as Envelope<unknown>;
  if (probe.error.code !== '') throw new Error(`probe: ${probe.error.code}`);
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
  /** Median of each of SEGMENTS. */
  segments: number[];
}

export interface LatencyResult {
  iterations: number;
  engine: Summary;
  plain: Summary;
}

function summary(samples: Marks[]): Summary {
  const totals = samples.map((m) => m.end - m.start);
  const segments = SEGMENTS.map(([, from, to]) => median(samples.map((m) => m[to] - m[from])));
  return { median: median(totals), p90: p90(totals), segments };
}

export async function runLatency(target: Target, iterations: number, warmup: number): Promise<LatencyResult> {
  const total = warmup + iterations;
  const tickets: string[] = new Array(total * 2);
  await pool(total * 2, 16, async (i) => {
    tickets[i] = await requestTicket(target, `latency-${i}`);
  });
  const engine: Marks[] = [];
  const plain: Marks[] = [];
  for (let i = 0; i < total; i++) {
    const runEngine = () => engineOnce(target, tickets[2 * i]!);
    const runPlain = () => plainOnce(target, tickets[2 * i + 1]!, `bench-device-${i}`);
    // ABBA order: neither side always runs right after the other's socket closed.
    let e: Marks;
    let p: Marks;
    if (i % 2 === 0) {
      e = await runEngine();
      await sleep(3);
      p = await runPlain();
    } else {
      p = await runPlain();
      await sleep(3);
      e = await runEngine();
    }
    await sleep(3);
    if (i < warmup) continue;
    engine.push(e);
    plain.push(p);
  }
  return { iterations, engine: summary(engine), plain: summary(plain) };
}
