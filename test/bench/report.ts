/**
 * The bench's table and docs/benchmarks.md, from one run's results. The explanations of missed
 * targets quote this run's own figures next to what the profiles showed (see the bench sources).
 */
import { cpus, platform, release, totalmem } from 'node:os';
import type { BundleResult } from './bundle.js';
import type { LoadResult } from './emulator-load.js';
import type { FramesFigures, FramesResult } from './frames.js';
import { SEGMENTS, type LatencyResult, type Summary } from './latency.js';
import { fmt, fmtInt, kib } from './lib/stats.js';
import type { MemoryResult } from './memory.js';
import type { RttResult } from './rtt.js';
import type { ChromiumRttResult } from './rtt-chromium.js';
import type { StormResult } from './storm.js';
import type { ThroughputResult } from './throughput.js';

export interface Results {
  config: Record<string, number>;
  latency?: LatencyResult;
  rtt?: RttResult;
  rttChromium?: ChromiumRttResult;
  memory?: MemoryResult;
  throughput?: ThroughputResult;
  frames?: FramesResult;
  storm?: StormResult;
  bundle?: BundleResult;
  emulator?: LoadResult;
  durationMs?: number;
}

/** Anchors §3.2: esbuild min, gzip −9, measured for the anchors (not in this run). */
const PEERS: [string, number][] = [
  ['phoenix 1.8.16', 7.6],
  ['socket.io-client 4.8.4', 13.2],
  ['@supabase/auth-js 2.109.0', 22.8],
  ['firebase app + auth', 34.0],
  ['ably 2.28.0 modular', 36.5],
  ['ably 2.28.0', 56.6],
  ['stream-chat 9.53.0', 102.1],
  ['@sendbird/chat 4.22.12', 127.2],
];

const FIRST_RETRY_MAX_MS = 1_000;

/** `binary, 10 per frame` and the like. */
const variantName = (f: { perFrame: number; text: boolean }) => `${f.text ? 'text' : 'binary'}, ${f.perFrame === 1 ? 'one per frame' : `${f.perFrame} per frame (\`\\n\`)`}`;
const WINDOW_MS = 100;

const ms = (value: number) => `${fmt(value, 2)} ms`;
const x = (value: number) => `${fmt(value, 2)}×`;
const perSec = (value: number) => `${fmtInt(value)}/s`;
const verdict = (met: boolean) => (met ? '**met**' : '**missed**');
const mib = (bytes: number) => `${fmt(bytes / 1048576, 1)} MiB`;

interface Row {
  item: string;
  what: string;
  ours: string;
  beside: string;
  figure: string;
  target: string;
  result: string;
}

function rows(r: Results): Row[] {
  const out: Row[] = [];
  const { latency, memory, throughput, storm, bundle, emulator } = r;
  for (const f of r.rtt ?? []) {
    const ticket = f.ticket.engine / f.ticket.floor;
    const restore = f.restore.engine / f.restore.floor;
    out.push(
      { item: '1b', what: `Ticket → connected at ${f.rttMs} ms RTT, median of ${f.iterations}`, ours: ms(f.ticket.engine), beside: `floor (exchange + upgrade) ${ms(f.ticket.floor)}; 3 exchanges ${ms(f.ticket.threeExchanges)}; TapTalk ${ms(f.ticket.taptalk)}`, figure: x(ticket), target: '≤ 1.10×', result: verdict(ticket <= 1.1) },
      { item: '1b', what: `Restore → connected at ${f.rttMs} ms RTT, median of ${f.iterations}`, ours: ms(f.restore.engine), beside: `floor (one upgrade) ${ms(f.restore.floor)}`, figure: x(restore), target: '≤ 1.15×', result: verdict(restore <= 1.15) },
    );
  }
  for (const f of r.rttChromium?.figures ?? []) {
    const multiple = f.ours / f.rttMs;
    out.push({
      item: '1c',
      what: `Chromium, cross-origin, ticket → connected at ${f.rttMs} ms RTT, median of ${f.iterations}`,
      ours: `${ms(f.ours)} (${rtts(f.ours, f.rttMs)})`,
      beside: `official ${r.rttChromium!.officialVersion} ${ms(f.official)} (${rtts(f.official, f.rttMs)}); floor (preflight + exchange + upgrade) ${ms(f.floor)} (${rtts(f.floor, f.rttMs)})`,
      figure: `${x(f.ours / f.official)} official`,
      target: '≤ 4 RTT',
      result: verdict(multiple <= 4),
    });
  }
  if (latency) {
    const ratio = latency.engine.median / latency.plain.median;
    out.push({
      item: '1',
      what: `Ticket → connected, median of ${latency.iterations} interleaved`,
      ours: ms(latency.engine.median),
      beside: `plain 3 exchanges ${ms(latency.plain.median)}`,
      figure: x(ratio),
      target: '≤ 1.10×',
      result: verdict(ratio <= 1.1),
    });
    const two = latency.engine.median / latency.plainTwo.median;
    out.push({
      item: '1',
      what: 'Ticket → connected, beside the two exchanges a fresh token needs',
      ours: ms(latency.engine.median),
      beside: `plain 2 exchanges (exchange + upgrade) ${ms(latency.plainTwo.median)}`,
      figure: x(two),
      target: '',
      result: '',
    });
    out.push({
      item: '1',
      what: 'Ticket → connected, p90',
      ours: ms(latency.engine.p90),
      beside: `plain ${ms(latency.plain.p90)}`,
      figure: x(latency.engine.p90 / latency.plain.p90),
      target: '',
      result: '',
    });
  }
  if (memory) {
    const ratio = memory.engine.heapPerClient / memory.plain.heapPerClient;
    out.push({
      item: '2',
      what: `Heap per connected idle client (${fmtInt(memory.engine.clients)})`,
      ours: kib(memory.engine.heapPerClient),
      beside: `plain \`ws\` ${kib(memory.plain.heapPerClient)}`,
      figure: x(ratio),
      target: '≤ 4×',
      result: verdict(ratio <= 4),
    });
    out.push({
      item: '2',
      what: 'RSS per connected idle client',
      ours: kib(memory.engine.rssPerClient),
      beside: `plain \`ws\` ${kib(memory.plain.rssPerClient)}`,
      figure: x(memory.engine.rssPerClient / memory.plain.rssPerClient),
      target: '',
      result: '',
    });
    out.push({
      item: '2',
      what: `Emulator with ${fmtInt(memory.engine.clients)} sockets`,
      ours: `heap ${mib(memory.engine.emulator.heapUsed)}, RSS ${mib(memory.engine.emulator.rss)}`,
      beside: `per socket: heap ${kib(memory.engine.emulator.heapPerSocket)}, RSS ${kib(memory.engine.emulator.rssPerSocket)}`,
      figure: '',
      target: '',
      result: '',
    });
  }
  if (throughput) {
    out.push({
      item: '3',
      what: 'Events/s through one session actor (fake actors, SimulatedClock)',
      ours: perSec(throughput.machine),
      beside: `two-state xstate toggle ${perSec(throughput.toggle)}`,
      figure: x(throughput.machine / throughput.toggle),
      // Information, not a target: an absolute rate on two shared cores says how busy they were.
      target: '',
      result: '',
    });
    out.push({
      item: '3',
      what: 'Events/s through the whole `createSession` (streams, real socket actor, fake `ws`)',
      ours: perSec(throughput.session),
      beside: `the machine alone ${perSec(throughput.machine)}`,
      figure: x(throughput.session / throughput.machine),
      target: '',
      result: '',
    });
  }
  for (const f of r.frames?.variants ?? []) {
    const ratio = f.ratio;
    out.push({
      item: '3b',
      what: `Server events to \`events$\` per CPU-second, ${variantName(f)}, bursts of ${fmtInt(r.frames!.burst)} × ${fmtInt(r.frames!.lineBytes)} B`,
      ours: perSec(f.engine),
      beside: `plain \`ws\` client parsing the same ${perSec(f.plain)}`,
      figure: x(ratio),
      target: '≥ 0.90×',
      result: verdict(ratio >= 0.9),
    });
  }
  if (storm) {
    const { engine, immediate } = storm;
    const scheduled = engine.peakScheduled / immediate.clients;
    out.push({
      item: '4',
      what: `Storm, ${fmtInt(engine.clients)} clients dropped: peak of the engine's own schedule (drop + drawn delay) per 100 ms`,
      ours: fmtInt(engine.peakScheduled),
      beside: `immediate retry: all ${fmtInt(immediate.clients)} at once`,
      figure: x(scheduled),
      target: '≤ 0.20×',
      result: verdict(scheduled <= 0.2),
    });
    out.push({
      item: '4',
      what: 'Storm: peak attempts per 100 ms, at the emulator',
      ours: fmtInt(engine.peakAttemptsServer),
      beside: `immediate retry ${fmtInt(immediate.peakAttemptsServer)}`,
      figure: x(engine.peakAttemptsServer / immediate.peakAttemptsServer),
      target: '',
      result: '',
    });
    if (engine.listenOverflows !== null && immediate.listenOverflows !== null) {
      out.push({
        item: '4',
        what: 'Storm: connections dropped at a full listen queue, host-wide (each waits a 1 s SYN retry)',
        ours: fmtInt(engine.listenOverflows),
        beside: `immediate retry ${fmtInt(immediate.listenOverflows)}`,
        figure: '',
        target: '',
        result: '',
      });
    }
    out.push({
      item: '4',
      what: 'Storm: peak attempts per 100 ms as the clients started them',
      ours: fmtInt(engine.peakAttemptsClient),
      beside: `immediate retry ${fmtInt(immediate.peakAttemptsClient)}`,
      figure: x(engine.peakAttemptsClient / immediate.peakAttemptsClient),
      target: '',
      result: '',
    });
    out.push({
      item: '4',
      what: 'Storm: all back after the drop',
      ours: `${ms(engine.allBackMs)} (${engine.maxAttemptsPerClient === 1 ? 'one attempt each' : `up to ${engine.maxAttemptsPerClient} attempts`})`,
      beside: `immediate retry ${ms(immediate.allBackMs)}`,
      // Reported, not targeted: on two shared cores the reconnection work, not the schedule, sets it.
      figure: engine.complete && engine.maxAttemptsPerClient === 1 && engine.allBackMs <= FIRST_RETRY_MAX_MS + WINDOW_MS ? 'within the first window' : `first window is ${fmtInt(FIRST_RETRY_MAX_MS)} ms + ${WINDOW_MS}`,
      target: '',
      result: '',
    });
  }
  if (bundle) {
    const ably = PEERS.find(([name]) => name === 'ably 2.28.0 modular')![1];
    out.push({
      item: '5',
      what: 'Browser IIFE, min + gzip −9',
      ours: `${kib(bundle.ourGzip)} (${kib(bundle.ourMin)} min)`,
      beside: `xstate + rxjs alone, same build, ${kib(bundle.floorGzip)}; Ably modular ${fmt(ably, 1)} KiB`,
      figure: `${x(bundle.ourGzip / 1024 / ably)} Ably modular`,
      target: bundle.budgetKiB === null ? '' : `≤ ${bundle.budgetKiB} KiB (npm run size)`,
      result: bundle.budgetKiB === null ? '' : verdict(bundle.ourGzip / 1024 <= bundle.budgetKiB),
    });
  }
  if (emulator) {
    out.push({
      item: '6',
      what: `Emulator ticket exchanges (${fmtInt(emulator.count)}, ${emulator.concurrency} in flight)`,
      ours: perSec(emulator.exchange.perSec),
      beside: `probes ${perSec(emulator.probe.perSec)}, tickets issued ${perSec(emulator.issue.perSec)}`,
      figure: `${fmtInt(emulator.exchange.cpuUs)} µs emulator CPU each`,
      target: '',
      result: '',
    });
  }
  return out;
}

function table(r: Results): string {
  const header = '| # | Measure | taptalk-session | Beside it (same run) | Ratio / figure | Target | |';
  const lines = rows(r).map((row) => `| ${row.item} | ${row.what} | ${row.ours} | ${row.beside} | ${row.figure} | ${row.target} | ${row.result} |`);
  return [header, '|---|---|---|---|---|---|---|', ...lines].join('\n');
}

function machine(): string {
  const cpu = cpus();
  return `${cpu[0]?.model.trim() ?? 'unknown CPU'}, ${cpu.length} cores, ${fmt(totalmem() / 1024 ** 3, 1)} GiB, Node ${process.version}, ${platform()} ${release()}`;
}

function command(config: Record<string, number>): string {
  const names: Record<string, string> = {
    latencyIterations: 'BENCH_LATENCY_ITERATIONS',
    latencyWarmup: 'BENCH_LATENCY_WARMUP',
    rttIterations: 'BENCH_RTT_ITERATIONS',
    rttChromiumIterations: 'BENCH_RTT_CHROMIUM_ITERATIONS',
    sessions: 'BENCH_SESSIONS',
    stormSessions: 'BENCH_STORM_SESSIONS',
    stormProcesses: 'BENCH_STORM_PROCESSES',
    events: 'BENCH_EVENTS',
    framesBurst: 'BENCH_FRAMES_BURST',
    framesRounds: 'BENCH_FRAMES_ROUNDS',
    loadCount: 'BENCH_LOAD_COUNT',
    loadConcurrency: 'BENCH_LOAD_CONCURRENCY',
  };
  return `${Object.entries(config).map(([key, value]) => `${names[key] ?? key}=${value}`).join(' ')} npm run bench`;
}

function latencySection(l: LatencyResult): string {
  const ratio = l.engine.median / l.plain.median;
  const two = l.engine.median / l.plainTwo.median;
  const cell = (value: number | undefined) => (value === undefined || Number.isNaN(value) ? '—' : ms(value));
  // The plain scripts have no call before their first request and no stream after open.
  const plainOnly = new Set([0, 6]);
  const plainSegment = (s: Summary, i: number) => (plainOnly.has(i) ? undefined : s.segments[i]);
  const diff = (i: number) => {
    const e = l.engine.segments[i]!;
    const p = plainSegment(l.plain, i) ?? 0;
    return Number.isNaN(e) ? (Number.isNaN(p) ? undefined : -p) : e - p;
  };
  const segments = SEGMENTS.map(([name], i) => `| ${name} | ${cell(l.engine.segments[i])} | ${cell(plainSegment(l.plain, i))} | ${cell(plainSegment(l.plainTwo, i))} | ${cell(diff(i))} |`);
  const probes = !Number.isNaN(l.engine.segments[3]!);
  const wire = [1, 3, 5].reduce((sum, i) => sum + (Number.isNaN(l.engine.segments[i]!) ? 0 : l.engine.segments[i]!) - l.plain.segments[i]!, 0);
  const between = [0, 2, 4, 6].reduce((sum, i) => sum + (Number.isNaN(l.engine.segments[i]!) ? 0 : l.engine.segments[i]!) - (plainSegment(l.plain, i) ?? 0), 0);
  return `## 1. Latency: ticket → connected

The emulator runs in its own process. Each iteration gets fresh tickets (issued beforehand with the
Server API) and runs three logins in turn: a new session, created and ready before the clock starts,
timed from \`authenticate(ticket, { connect: true })\` to \`state$\` saying \`connected\`; a plain script doing
the three exchanges with \`fetch\` and \`ws\` and the same headers (\`POST
/v1/auth/access_token/request\` with the ticket as bearer, \`GET /connect?check=1\` with the access
token, then the WebSocket on \`/connect\` with the credentials as headers); and a plain script doing
only the two a token issued a moment ago needs (the exchange, then the upgrade). The order rotates
and reverses each iteration, ${l.iterations} iterations after warm-up. All three note when each request
leaves and its response headers arrive and when the socket is created and open (the engine through
a \`fetch\` and a \`ws\` subclass passed as options). Medians (a step a login did not make: —):

| Segment | Engine | Plain, 3 exchanges | Plain, 2 exchanges | Engine − plain 3 |
|---|---|---|---|---|
${segments.join('\n')}
| **total** | **${ms(l.engine.median)}** | **${ms(l.plain.median)}** | **${ms(l.plainTwo.median)}** | **${ms(l.engine.median - l.plain.median)}** |

Against the three exchanges: ${x(ratio)} (target ≤ 1.10×); against the two: ${x(two)}.
${probes ? 'The engine of this run probes the token after the exchange, so its critical path has the three exchanges.' : 'The engine of this run opens the socket straight after the exchange (a token issued a moment ago needs no probe), so its critical path has the two exchanges.'}

${ratio <= 1.1 ? 'Within the target.' : `**Target missed (${x(ratio)}).** On the wire the engine's exchanges differ from the plain
three-exchange script's by ${ms(wire)} in total; the difference, ${ms(between)}, is spent between
the exchanges, in the engine's own processing on the critical path: reading the response with a
byte limit, validating the envelope and grant, writing the grant to storage before it is used
(SES-5), the machine's steps from \`authenticating\` into the parallel \`active\` state and on
to \`connected\`, starting each actor, and delivering the state on a microtask.
With the network taken out (a fake \`fetch\` and socket, thousands of logins) one login costs
about 0.35 ms of CPU; \`node --cpu-prof\` of that loop puts about half of it in xstate (macrostep
and microstep, transition selection over the parallel state, eventless transitions, snapshot and
context copies, the inspection events the session's \`inspect\` hook asks for: dropping the hook
saved only 5%), about 10% in garbage collection and about 5% in \`AbortController\`s (xstate makes
one per promise actor, \`request()\` one per call). In a real login the same code runs colder and
beside \`fetch\`'s and \`ws\`'s garbage, so the per-login CPU difference measured with
\`process.cpuUsage\` is larger, about 1 ms. Against a floor of ${ms(l.plain.median)}, the 10% budget is
${ms(l.plain.median * 0.1)} for all of it. Two fixes came out of the profiles (see *What the profiles
changed*) and took the no-I/O login from 0.57 ms to about 0.35 ms of CPU; what is left is the price of
the machine itself, not one hot spot.`}
`;
}

const rtts = (value: number, rttMs: number) => `${fmt(value / rttMs, 1)} RTT`;

/** What the engine's probes say about these figures (counted through its \`fetch\`). */
function probeNote(result: RttResult): string {
  const probes = result.reduce((n, f) => n + (f.engineProbes ?? 0), 0);
  const logins = result.reduce((n, f) => n + (f.engineLogins ?? 0), 0);
  if (logins === 0) return '';
  if (probes === 0) return `The engine made no token probe in its ${logins} measured logins: a token issued a moment ago, or a stored one whose refresh is not due, goes straight to the upgrade (SES-90).`;
  return `The engine made ${probes} token probes in its ${logins} measured logins (SES-29: a probe before the upgrade), each one RTT more than the floors.`;
}

function rttSection(result: RttResult): string {
  const lines = result.flatMap((f) => [
    `| ${f.rttMs} ms | ticket → connected | ${ms(f.ticket.engine)} (${rtts(f.ticket.engine, f.rttMs)}) | floor: exchange + upgrade | ${ms(f.ticket.floor)} (${rtts(f.ticket.floor, f.rttMs)}) | ${x(f.ticket.engine / f.ticket.floor)} | ≤ 1.10× | ${verdict(f.ticket.engine / f.ticket.floor <= 1.1)} |`,
    `| ${f.rttMs} ms | ticket → connected | | exchange + probe + upgrade | ${ms(f.ticket.threeExchanges)} (${rtts(f.ticket.threeExchanges, f.rttMs)}) | ${x(f.ticket.engine / f.ticket.threeExchanges)} | | |`,
    `| ${f.rttMs} ms | ticket → connected | | TapTalk web: 300 ms + exchange + probe + probe + upgrade | ${ms(f.ticket.taptalk)} (${rtts(f.ticket.taptalk, f.rttMs)}) | ${x(f.ticket.engine / f.ticket.taptalk)} | | |`,
    `| ${f.rttMs} ms | restore → connected | ${ms(f.restore.engine)} (${rtts(f.restore.engine, f.rttMs)}) | floor: one upgrade | ${ms(f.restore.floor)} (${rtts(f.restore.floor, f.rttMs)}) | ${x(f.restore.engine / f.restore.floor)} | ≤ 1.15× | ${verdict(f.restore.engine / f.restore.floor <= 1.15)} |`,
  ]);
  return `## Round trips (part \`rtt\`)

A TCP proxy on 127.0.0.1 (test/bench/lib/rtt-proxy.ts) holds every chunk for half the RTT in each
direction, in front of the emulator; connections to the proxy open at once, so only requests and
answers pay the RTT. Medians of ${result[0]?.iterations ?? 0} interleaved rounds (the order rotates
each round; one warm-up round). The engine's time runs from \`authenticate(ticket, { connect: true })\`
(or from \`createSession\` on a storage holding an unexpired session, then \`connect()\`) to
\`state$\` saying \`connected\`; the scripts run the named exchanges with \`fetch\` and \`ws\`.

| RTT | Measure | Engine | Beside it | Its time | Ratio | Target | |
|---|---|---|---|---|---|---|---|
${lines.join('\n')}

${probeNote(result)}
`;
}

function rttChromiumSection(c: ChromiumRttResult): string {
  if (c.chromium === null) return `## Round trips in Chromium (part \`rtt\`)

Skipped: Chromium was not found (\`apt-get install -y chromium\`, or \`CHROMIUM_PATH\`).
`;
  const lines = c.figures.flatMap((f) => [
    `| ${f.rttMs} ms | taptalk-session IIFE | ${ms(f.ours)} | ${rtts(f.ours, f.rttMs)} | ≤ 4 RTT | ${verdict(f.ours / f.rttMs <= 4)} |`,
    `| ${f.rttMs} ms | @taptalk.io/web-sdk ${c.officialVersion} | ${ms(f.official)} | ${rtts(f.official, f.rttMs)} | | |`,
    `| ${f.rttMs} ms | floor: preflight + exchange + upgrade | ${ms(f.floor)} | ${rtts(f.floor, f.rttMs)} | | |`,
  ]);
  return `## Round trips in Chromium (part \`rtt\`)

Headless Chromium (${c.chromium}), cross-origin as real apps run: the page comes from one
loopback origin and the emulator, behind the same RTT proxy, is another port, so every distinct
request costs a CORS preflight (the emulator grants no preflight caching: no
\`Access-Control-Max-Age\`, as the protocol reference knows none from TapTalk's server; Chromium's
own default keeps one for 5 s). Each login runs in a fresh browser context, so nothing is cached or
stored from the one before. Our IIFE is created and ready before the clock starts, then timed from
\`authenticate(ticket, { connect: true })\` to \`state$\` saying \`connected\`. The official SDK is
initialised (its project configs loaded) before the clock starts, then timed from
\`authenticateWithAuthTicket(ticket, true, ...)\` through its last \`onSuccess\` (after its own probe)
and the \`connect()\` called there, to \`connect\`'s \`onSuccess\` (the socket open): its 300 ms wait, the
exchange, two probes and the upgrade. The floor is a script in the page: \`fetch\` of the exchange
with the SDK's headers, then a \`WebSocket\` with the credentials in the query. Medians of
${c.figures[0]?.iterations ?? 0} rounds (the order rotates; one warm-up round).

| RTT | Client | Ticket → connected | RTT multiple | Target | |
|---|---|---|---|---|---|
${lines.join('\n')}

The floor's three round trips (the preflight, the exchange, the upgrade) took ${c.figures.map((f) => `${rtts(f.floor, f.rttMs)} at ${f.rttMs} ms`).join(' and ')}:
what is above three is Chromium's own work between them (its network service, renderer and CORS
checks, on the same two loaded cores), which every client in the page pays too. Our IIFE is
${c.figures.map((f) => `${fmt((f.ours - f.floor) / f.rttMs, 1)} RTT above the floor at ${f.rttMs} ms`).join(' and ')}; the official SDK ${c.figures.map((f) => `${fmt((f.official - f.floor) / f.rttMs, 1)} RTT`).join(' and ')} (its 300 ms wait included).
`;
}

function memorySection(m: MemoryResult): string {
  const ratio = m.engine.heapPerClient / m.plain.heapPerClient;
  const b = m.breakdown;
  const layer = b.session - b.fakeSocket - b.machine;
  // The real socket, its transport and what the real exchanges leave behind, beyond the fake socket.
  const wire = m.engine.heapPerClient - (b.session - b.fakeSocket);
  const floor = b.machine + m.plain.heapPerClient;
  return `## 2. Memory per connected idle client

${fmtInt(m.engine.clients)} sessions in one process, connected to an emulator in another, then
${fmtInt(m.plain.clients)} plain \`ws\` clients (same headers, one shared no-op error listener) in a
fresh pair of processes. Each client process runs with \`--expose-gc\`; the figure is the heap (and
RSS) after a full collection, minus the same before the first client, divided by the count. Sessions
use every Node default: \`ws\`, memory storage and the environment watcher (one sleep detector for
all the sessions of the process, not one per session). The engine is the bundle an app runs
(esbuild, as published), not the TypeScript through tsx: tsx keeps function names by wrapping every
closure the engine creates, which alone added about 10 KiB per session in a heap snapshot.

Connecting took ${fmt(m.engine.connectMs / 1000, 1)} s for the sessions and ${fmt(m.plain.connectMs / 1000, 1)} s for the plain clients
(64 in flight). External memory per client: ${kib(m.engine.externalPerClient)} and ${kib(m.plain.externalPerClient)}.

The floors, with the network taken out (fake \`fetch\` and socket, 2,000 each, same run):

| Instance | Heap each |
|---|---|
| an empty xstate actor, started | ${kib(b.emptyActor)} |
| the session machine as published, started, no I/O (\`createActor(sessionMachine)\`) | ${kib(b.bareMachine)} |
| the session machine with fake actors, connected (root + socket actor) | ${kib(b.machine)} |
| \`createSession\`, connected, fake \`fetch\` and socket | ${kib(b.session)} |
| the same with \`environment: false\` (no listener on the shared watcher) | ${kib(b.sessionNoEnvironment)} |
| the fake socket alone | ${kib(b.fakeSocket)} |

Where a connected idle session's ${kib(m.engine.heapPerClient)} go:

| Part | Heap each |
|---|---|
| xstate: the connected machine's actor system (root and socket actor, context, snapshots, timers) | ${kib(b.machine)} |
| the session layer: streams, storage, HTTP settings, outbox, waiters, the session's closures | ${kib(layer)} |
| the real socket (\`ws\`), its transport, and what the real exchanges leave behind | ${kib(wire)} |
| (a plain \`ws\` client, for comparison) | ${kib(m.plain.heapPerClient)} |

${ratio <= 4 ? 'Within the target.' : `**Target missed (${x(ratio)}).** The target sits below what the design costs before any
session code: the connected machine with fake actors plus one \`ws\` client is already
${x(floor / m.plain.heapPerClient)} the plain client (xstate's own bookkeeping is most of it: ${kib(b.emptyActor)} for an empty
started actor, ${kib(b.bareMachine)} for this machine started with no I/O). What this issue cut: the
environment watcher is one per process, shared by its sessions through the platform, and heard by
the session instead of an invoked actor; the sibling watcher runs only where siblings are followed
(two child actors less per idle session in Node); the session object keeps fast properties instead
of a dictionary; the \`ws\` transport hands the socket the actor's handlers instead of wrappers.
What is left in the session layer is some forty small closures (each method, the storage, the
clock, the store's queue), four subjects and the per-session \`AbortController\`; getting near the
floor would take a session class with methods on a prototype, which changes what a detached
method call does, and streams created on first subscription.`}
`;
}

function throughputSection(t: ThroughputResult): string {
  return `## 3. Engine throughput

One connected session actor on xstate's \`SimulatedClock\`, no I/O: the machine with fake actors
(as in \`test/support/machine-harness.ts\`) and, separately, the whole \`createSession\` over a fake
\`fetch\` and socket (snapshot observer, transitions and state streams on microtasks, the real socket
actor). Events alternate \`env.visible\` (healthy → checking: watchdog timer, a ping to the socket
actor) and \`socket.pong\` (checking → healthy: the ping timer again): every event is a transition
with timers and actions. ${fmtInt(t.events)} events each in five rounds, the three actors taking turns in
every round (2,000 warm-up events each time), median of the rounds; a two-state xstate toggle
machine is the floor.

${perSec(t.machine)} through the machine, against ${perSec(t.toggle)} for the toggle in this run. This is
information, not a target: an absolute rate on two cores shared with other work says as much about
the load as about the engine, and the ratio to the toggle beside it is what moves with the engine. Before the context
fix below the machine ran at about 70,000 events/s: \`resolveAssign\` (xstate's
\`Object.assign({}, context, update)\`) was 11% of the profile, copying a 22-key context that V8 had
turned into a dictionary. Now 98% of the profile is inside xstate (macrostep, microstep, transition
selection, \`memo\` lookups, eventless-transition checks, snapshot creation) and garbage collection;
the engine's own guards and actions are about 1%. The rest is the cost of this statechart's
depth (a parallel \`active\` state, about ten active nodes) in xstate, against
${x(t.machine / t.toggle)} of a toggle with one node. The whole session runs at
${x(t.session / t.machine)} the machine's rate: the snapshot observer, the \`inspect\` hook's
inspection events and stream values on microtasks.
`;
}

function framesSection(f: FramesResult): string {
  const row = (v: FramesFigures) =>
    `| ${variantName(v)} | ${fmt(v.engineCpuUs, 2)} µs | ${fmt(v.plainCpuUs, 2)} µs | ${perSec(v.engine)} | ${perSec(v.plain)} | ${x(v.ratio)} | ${verdict(v.ratio >= 0.9)} | ${perSec(v.engineWall)} | ${perSec(v.plainWall)} |`;
  const missed = f.variants.filter((v) => v.ratio < 0.9);
  return `## 3b. Frames: emulator → \`events$\`

One connected session and one plain \`ws\` client, each its own user, in the bench's process; the
emulator in another. A burst is ${fmtInt(f.burst)} server events of exactly ${fmtInt(f.lineBytes)} bytes of JSON each
(\`chat/sendMessage\` with a padded body), sent by the emulator (\`emitBatch\`) one per frame or ten to a
\`\\n\`-separated frame, binary as TapTalk's server sends them or as text. The receiving socket is
paused (\`ws.pause()\`) while the emulator encodes a wave of ${fmtInt(f.wave)} of them and hands it to its socket
(the emulator cuts a reader holding more than 4 MiB unsent, SES-78, so a burst goes in waves); from
\`resume()\` to the wave's last event seen, the receiving process's CPU time (user + system, all its threads)
is what reading the burst cost it, and events per CPU-second is the figure. The wall-clock rate is
beside it for information only: on two shared cores it is set as much by the emulator draining its
buffered writes (a \`writev\` of thousands of queued frames, in the same profile) and by the scheduler
as by the receiver. The engine's
events are counted by a subscriber of \`events$\`; the plain client decodes each frame as UTF-8,
splits it on \`\\n\`, \`JSON.parse\`s each line and counts those with a string \`eventName\`. Median of
${f.rounds} rounds per variant (the sides alternate; one warm-up round); the ratio is the median over the
rounds of plain CPU ÷ engine CPU per event, each pair measured back to back.

| Frames | Engine CPU / event | Plain CPU / event | Engine events / CPU-s | Plain events / CPU-s | Ratio | ≥ 0.90× | Engine wall-clock | Plain wall-clock |
|---|---|---|---|---|---|---|---|---|
${f.variants.map(row).join('\n')}

${missed.length === 0 ? 'Every variant is within the target.' : `**Target missed** for ${missed.map(variantName).join('; ')}.`} ${FRAMES_NOTE}
`;
}

/** What the profile of the frames path showed (node --cpu-prof of this part; see the bench sources). */
const FRAMES_NOTE = `\`node --cpu-prof\` of this part showed what the engine did more than the plain client: it
split each frame with a regular expression (\`/\\r?\\n/\`), which scans every character, about 0.7 µs
of CPU per 1 KiB event against the plain client's 1.5 µs for the whole event (a loop of
\`decodeFrames\` beside \`plainParse\` over the same ten-event frames). It now splits on \`\\n\` alone (a
\`\\r\` left at a line's end is JSON whitespace, so the lines, their numbers and the events are the
same), which also takes 4 bytes off the gzipped IIFE; the same loop then costs the same for both
(1.47 and 1.51 µs per event). What the engine still does besides: a \`TextDecoder\` per frame (a
shared one would save about 0.1 µs per frame, measured in a loop of \`decode\` calls, for bytes in the
browser bundle: not worth it), the check of each line's shape, the array of decoded events, and the
rxjs subject behind \`events$\`. Text frames cost both sides more
than binary ones: \`ws\` validates their UTF-8 before it hands them on. On two cores shared with other
work a burst lasts tens of milliseconds, so one descheduling moves a wall-clock figure by much.`;

function stormSection(s: StormResult): string {
  const { engine, immediate } = s;
  const scheduled = engine.peakScheduled / immediate.clients;
  const series = (w: number[]) => w.slice(0, 40).join(' ');
  const tcp = engine.listenOverflows !== null && immediate.listenOverflows !== null;
  return `## 4. Reconnect storm

${fmtInt(engine.clients)} connected clients spread over ${engine.processes} client processes, the emulator in another; \`POST
/_emulator/faults/dropConnections\` cuts every socket at once (clients see 1006). Engine sessions
wait a delay drawn uniformly in [0, 1 s) (SES-20), then reconnect (with a token probe first only
where SES-29 asks for one). The
comparison is the same number of plain \`ws\` clients that open a new socket on \`close\` at once, as
TapTalk's sample app does. Each side has fresh processes. An *attempt* is what starts a
reconnection: the engine's probe where it probes first, else its upgrade (told apart per device),
and the plain client's upgrade. The emulator's process notes the time and device of every probe and
upgrade as they arrive (the bench wraps \`http.Server\`'s \`emit\`; no emulator change), and
the clients note when they start each attempt.${tcp ? ' The kernel\'s counters (/proc/net/netstat) tell how many connection attempts found a listen queue full; they count the whole host, so another busy server on the machine during the run adds to them.' : ''}

| | Engine | Immediate retry |
|---|---|---|
| peak attempts / 100 ms at the emulator | ${fmtInt(engine.peakAttemptsServer)} | ${fmtInt(immediate.peakAttemptsServer)} |
| peak connection requests (probe + upgrade) / 100 ms at the emulator | ${fmtInt(engine.peakRequestsServer)} | ${fmtInt(immediate.peakRequestsServer)} |
| peak attempts / 100 ms as started by the clients | ${fmtInt(engine.peakAttemptsClient)} | ${fmtInt(immediate.peakAttemptsClient)} |
| peak of the drawn schedule / 100 ms | ${fmtInt(engine.peakScheduled)} | ${fmtInt(immediate.clients)} (no delay) |
${tcp ? `| connections dropped at the full listen queue (SYN resent after 1 s) | ${fmtInt(engine.listenOverflows!)} | ${fmtInt(immediate.listenOverflows!)} |\n` : ''}| all back after the first drop seen | ${ms(engine.allBackMs)} | ${ms(immediate.allBackMs)} |
| attempts per client, most | ${engine.maxAttemptsPerClient} | ${immediate.maxAttemptsPerClient} |
| CPU of the client processes during the storm | ${ms(engine.clientCpuMs)} | ${ms(immediate.clientCpuMs)} |
| CPU of the emulator during the storm | ${ms(engine.emulatorCpuMs)} | ${ms(immediate.emulatorCpuMs)} |
| longest event-loop stall in a client process | ${ms(engine.clientLoopDelayMs)} | ${ms(immediate.clientLoopDelayMs)} |

Attempts per 100 ms at the emulator, from the drop:

- engine: ${series(engine.serverWindows)}
- immediate retry: ${series(immediate.serverWindows)}

Engine attempts per 100 ms as drawn (drop seen + \`retryIn\`): ${series(engine.scheduledWindows)}

**The target is the engine's own schedule**: ${scheduled <= 0.2 ? 'met' : '**missed**'}, its peak is ${fmtInt(engine.peakScheduled)} reconnections
per 100 ms (${x(scheduled)} of a herd of ${fmtInt(immediate.clients)} retrying at once; target ≤ 0.20×). That is what the engine
decides (SES-20: each session draws its delay); what reaches the emulator is reported, not
targeted. At the emulator the engine peaks at ${fmtInt(engine.peakAttemptsServer)} attempts per 100 ms against immediate
retry's ${fmtInt(immediate.peakAttemptsServer)} (${x(engine.peakAttemptsServer / immediate.peakAttemptsServer)}), but the herd cannot show its true peak on this machine: one emulator
core accepts only so many upgrades per 100 ms, and the client processes can only start so many
sockets per 100 ms on the same two cores, so its measured peak is the server's capacity, not
${fmtInt(immediate.clients)}.${tcp ? ` What the herd does to the server shows instead in the kernel's counters:
${fmtInt(immediate.listenOverflows!)} connection attempts found the emulator's listen queue full and waited a one-second SYN
retransmission, against ${fmtInt(engine.listenOverflows!)} for the engine.` : ''} What reaches the emulator from the engine ${engine.peakAttemptsServer > engine.peakScheduled ? 'is burstier than its schedule' : 'is spread later still than its schedule'}:
the sessions share ${engine.processes} processes that need ${ms(engine.clientCpuMs)} of CPU to reconnect them (about
${ms(engine.clientCpuMs / engine.clients)} per session against ${ms(immediate.clientCpuMs / immediate.clients)} for a bare \`ws\` reconnect), so their event loops stall (up
to ${ms(engine.clientLoopDelayMs)}) and due retry timers fire late and together.

**All back: reported, not targeted.** ${engine.maxAttemptsPerClient === 1 ? 'Every session reconnected on its first attempt (no second backoff)' : `Some sessions needed up to ${engine.maxAttemptsPerClient} attempts`}; the last was back
after ${ms(engine.allBackMs)}${engine.allBackMs <= FIRST_RETRY_MAX_MS + WINDOW_MS ? ', within the first backoff window' : ''}. On two cores that moment is set by the work of reconnecting
${fmtInt(engine.clients)} sessions (${ms(engine.clientCpuMs)} of client CPU and ${ms(engine.emulatorCpuMs)} of emulator CPU), not by the schedule.
`;
}

function bundleSection(b: BundleResult): string {
  const peers = PEERS.map(([name, size]) => `| ${name} | ${fmt(size, 1)} KiB | ${x(b.ourGzip / 1024 / size)} |`);
  return `## 5. Bundle

The browser IIFE (\`dist/taptalk-session.global.js\`: everything inside, minified), gzipped at level
9, measured by ${b.source}. Beside it, this run builds xstate and rxjs alone through the IIFE's own
pipeline (scripts/build-config.ts: the same conditions, esbuild's \`iife\` format and
terser), exporting what the engine's files import (${b.floorNames.map((n) => `\`${n}\``).join(', ')}):
${kib(b.floorGzip)} gzip, ${kib(b.floorMin)} min. Our own code adds about ${kib(b.ourGzip - b.floorGzip)} gzip on top of its dependencies.

| Package (anchors §3.2, esbuild min, gzip −9) | gzip | taptalk-session is |
|---|---|---|
| **taptalk-session (this run)** | **${kib(b.ourGzip)}** | |
${peers.join('\n')}
${b.budgetKiB !== null && b.ourGzip / 1024 > b.budgetKiB ? `\nOver the ${b.budgetKiB} KiB budget of \`npm run size\` by ${kib(b.ourGzip - b.budgetKiB * 1024)}; \`npm run size -- --why\` and docs/browser.md break it down, and docs/decisions/003-size-budget.md measures what meeting it would take.\n` : ''}`;
}

function emulatorSection(e: LoadResult): string {
  const row = (name: string, rate: { perSec: number; cpuUs: number }) => `| ${name} | ${perSec(rate.perSec)} | ${fmtInt(rate.cpuUs)} µs | ${perSec(1e6 / rate.cpuUs)} |`;
  return `## 6. Emulator load

A bounded loop of ${fmtInt(e.count)} calls of each kind, ${e.concurrency} in flight, over keep-alive \`node:http\`
(lighter than \`fetch\`, so the load generator takes less of the two cores), after a warm-up. The
emulator's own CPU time per call is read in its process: one core divided by it is what the emulator
could serve with the load generator elsewhere.

| Call | Rate here | Emulator CPU per call | One core's worth |
|---|---|---|---|
${row('ticket exchange (E2)', e.exchange)}
${row('ticket issue, Server API (E1)', e.issue)}
${row('token probe (E3)', e.probe)}

A load test against the emulator on a machine like this one can count on about
${perSec(Math.min(e.exchange.perSec, 1e6 / e.exchange.cpuUs))} ticket exchanges.
`;
}

const CHANGES = `## What the profiles changed

Engine edits made for these figures (each with the full test suite run after):

1. **One provided machine for all sessions** (\`src/actors/registry.ts\`, decision 004). Each
   \`createSession\` called \`sessionMachine.provide(...)\`, which builds a new tree of state nodes
   (about 65 KiB) whose transitions xstate then formats and caches on first use. A heap snapshot
   of 1,000 sessions showed it; now the provided machine is built once and the actors find their
   session's dependencies through the actor system they run in (a \`WeakMap\` from system to deps).
   Heap per connected session 115 → about 30 KiB; \`createSession\` 0.5 → 0.12 ms; no-I/O login
   0.57 → 0.46 ms of CPU.
2. **A context V8 keeps fast** (\`machines/session.machine.ts\`). xstate's \`assign\` copies the
   context with \`Object.assign({}, context, update)\`; past 16 properties V8 makes such a copy a
   dictionary unless the shape was built before by named stores. The 22-key context was a
   dictionary after the first assign: 1.5 KiB per copy and 11% of the throughput profile. The first
   context is now built by named stores, so every copy follows that shape (about 0.2 KiB). The
   throughput measurement above, run on bundles before and after: about 70,000 → 99,000 events/s
   for the machine, 50,000 → 62,000 for the whole session; no-I/O login about 0.41 → 0.36 ms. (A minifier that
   folded the stores back into an object literal would undo this; esbuild, and the terser pass of
   the IIFE, keep them.)

The bench itself measures the engine as published: tsx's \`__name\` wrappers (about 10 KiB and a
property store per closure) are not what an app runs.
`;

function closing(r: Results): string {
  const parts: string[] = [];
  if (r.latency) parts.push(`on loopback ticket → connected ${ms(r.latency.engine.median)} against the plain three exchanges' ${ms(r.latency.plain.median)} (${x(r.latency.engine.median / r.latency.plain.median)}, target 1.10×) and the plain two exchanges' ${ms(r.latency.plainTwo.median)} (${x(r.latency.engine.median / r.latency.plainTwo.median)})`);
  for (const f of r.rtt ?? []) {
    parts.push(`at ${f.rttMs} ms RTT ticket → connected ${ms(f.ticket.engine)} (${rtts(f.ticket.engine, f.rttMs)}) against the two-exchange floor's ${ms(f.ticket.floor)} (${x(f.ticket.engine / f.ticket.floor)}, target 1.10×) and restore → connected ${ms(f.restore.engine)} against one upgrade's ${ms(f.restore.floor)} (${x(f.restore.engine / f.restore.floor)}, target 1.15×)`);
  }
  for (const f of r.rttChromium?.figures ?? []) {
    parts.push(`in Chromium, cross-origin at ${f.rttMs} ms RTT, ticket → connected ${ms(f.ours)} (${rtts(f.ours, f.rttMs)}, target 4 RTT) against the official SDK's ${ms(f.official)} (${rtts(f.official, f.rttMs)}) and the floor's ${ms(f.floor)} (${rtts(f.floor, f.rttMs)})`);
  }
  if (r.memory) parts.push(`${kib(r.memory.engine.heapPerClient)} of heap per connected session against ${kib(r.memory.plain.heapPerClient)} for a bare \`ws\` client (${x(r.memory.engine.heapPerClient / r.memory.plain.heapPerClient)}, target 4×), with the emulator holding ${fmtInt(r.memory.engine.clients)} sockets in ${mib(r.memory.engine.emulator.heapUsed)} of heap`);
  if (r.throughput) parts.push(`${perSec(r.throughput.machine)} events through one session actor (information: the toggle ran at ${perSec(r.throughput.toggle)})`);
  if (r.frames) parts.push(`server events to \`events$\` at ${r.frames.variants.map((v) => `${x(v.ratio)} (${variantName(v)})`).join(', ')} of a plain \`ws\` client parsing the same frames (target 0.90×)`);
  if (r.storm) {
    const { engine, immediate } = r.storm;
    const drops = engine.listenOverflows !== null && immediate.listenOverflows !== null ? `, ${fmtInt(engine.listenOverflows)} connections dropped at a full listen queue against ${fmtInt(immediate.listenOverflows)}` : '';
    parts.push(`a storm of ${fmtInt(engine.clients)} whose own schedule peaks at ${fmtInt(engine.peakScheduled)} per 100 ms (${x(engine.peakScheduled / immediate.clients)} of immediate retry's ${fmtInt(immediate.clients)} at once, target 0.20×), ${fmtInt(engine.peakAttemptsServer)} attempts per 100 ms at the emulator against immediate retry's ${fmtInt(immediate.peakAttemptsServer)}${drops}, all back after ${ms(engine.allBackMs)} with at most ${engine.maxAttemptsPerClient} attempt${engine.maxAttemptsPerClient === 1 ? '' : 's'} each`);
  }
  if (r.bundle) parts.push(`a ${kib(r.bundle.ourGzip)} browser IIFE (min + gzip) of which ${kib(r.bundle.floorGzip)} is xstate and rxjs`);
  if (r.emulator) parts.push(`an emulator serving ${perSec(r.emulator.exchange.perSec)} ticket exchanges`);
  return `## Closing note

In this run: ${parts.join('; ')}.
`;
}

/** The numbered sections (`## 2. Memory ...` up to the next `## `) of a document, by number. */
function numberedSections(doc: string): Map<string, string> {
  const found = new Map<string, string>();
  for (const match of doc.matchAll(/^## (\d+)\. [^]*?(?=^## |(?![^]))/gm)) found.set(match[1]!, match[0]);
  return found;
}

/**
 * `existing` with each numbered section that `rendered` holds put in place of its own, the rest
 * untouched: how a `BENCH_ONLY` run with `BENCH_WRITE_SECTIONS=1` updates only the parts it ran.
 */
export function replaceSections(existing: string, rendered: string): string {
  const fresh = numberedSections(rendered);
  let out = existing;
  for (const [n, old] of numberedSections(existing)) {
    const section = fresh.get(n);
    if (section !== undefined) out = out.replace(old, () => section);
  }
  return out;
}

/** The console table and the whole document. */
export function renderReport(r: Results): { table: string; document: string } {
  const t = table(r);
  const sections = [
    r.latency && latencySection(r.latency),
    r.rtt && rttSection(r.rtt),
    r.rttChromium && rttChromiumSection(r.rttChromium),
    r.memory && memorySection(r.memory),
    r.throughput && throughputSection(r.throughput),
    r.frames && framesSection(r.frames),
    r.storm && stormSection(r.storm),
    r.bundle && bundleSection(r.bundle),
    r.emulator && emulatorSection(r.emulator),
  ].filter(Boolean);
  const document = `# Benchmarks

Generated by \`npm run bench\` (test/bench/run.ts); rerun it rather than editing this file. Every
figure is a pair or a ratio taken in the same run, over loopback, bounded in count and time.

- Machine: ${machine()}
- Date: ${new Date().toISOString().replace(/\.\d+Z$/, 'Z')}
- Command: \`${command(r.config)}\` (the defaults; each variable scales its part)
- Duration: ${fmt((r.durationMs ?? 0) / 1000, 0)} s

${t}

Figures move with the machine's load (other processes share these two cores), which is why each
one stands beside its baseline from the same run. \`BENCH_ONLY=latency,rtt,memory,throughput,frames,storm,bundle,emulator\`
runs some parts and leaves this file alone (\`BENCH_REPORT=file\` writes that partial document elsewhere).

${sections.join('\n')}
${CHANGES}
${closing(r)}`;
  return { table: t, document };
}
