/**
 * `npm run bench`: every measurement of issue 5 in one run, printed as a table and written to
 * docs/benchmarks.md with the machine, the date and the command. Every figure is a pair or a ratio
 * taken in this run; loopback only; each part bounded in count and time.
 *
 * Counts scale with BENCH_LATENCY_ITERATIONS, BENCH_RTT_ITERATIONS, BENCH_RTT_CHROMIUM_ITERATIONS, BENCH_SESSIONS, BENCH_STORM_SESSIONS,
 * BENCH_STORM_PROCESSES, BENCH_EVENTS, BENCH_FRAMES_BURST, BENCH_FRAMES_ROUNDS, BENCH_LOAD_COUNT and BENCH_LOAD_CONCURRENCY. BENCH_ONLY=latency,memory,... runs some parts and
 * leaves the document alone (BENCH_REPORT=file writes that partial document to another file;
 * BENCH_WRITE_SECTIONS=1 replaces only those parts' sections in docs/benchmarks.md).
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { performance } from 'node:perf_hooks';
import { runBundle } from './bundle.js';
import { runEmulatorLoad } from './emulator-load.js';
import { runFrames } from './frames.js';
import { runLatency } from './latency.js';
import { startChild } from './lib/child.js';
import { buildEngine } from './lib/engine.js';
import { closeBackend, type Target } from './lib/plain.js';
import { envInt } from './lib/stats.js';
import { runMemory } from './memory.js';
import { renderReport, replaceSections, type Results } from './report.js';
import { runRtt } from './rtt.js';
import { runChromiumRtt } from './rtt-chromium.js';
import { runStorm } from './storm.js';
import { runThroughput } from './throughput.js';

const PARTS = ['latency', 'rtt', 'memory', 'throughput', 'frames', 'storm', 'bundle', 'emulator'] as const;
type Part = (typeof PARTS)[number];

const config = {
  latencyIterations: envInt('BENCH_LATENCY_ITERATIONS', 200),
  latencyWarmup: envInt('BENCH_LATENCY_WARMUP', 30),
  rttIterations: envInt('BENCH_RTT_ITERATIONS', 10),
  rttChromiumIterations: envInt('BENCH_RTT_CHROMIUM_ITERATIONS', 8),
  sessions: envInt('BENCH_SESSIONS', 10_000),
  stormSessions: envInt('BENCH_STORM_SESSIONS', 2_000),
  stormProcesses: envInt('BENCH_STORM_PROCESSES', 4),
  events: envInt('BENCH_EVENTS', 200_000),
  framesBurst: envInt('BENCH_FRAMES_BURST', 10_000),
  framesRounds: envInt('BENCH_FRAMES_ROUNDS', 15),
  loadCount: envInt('BENCH_LOAD_COUNT', 5_000),
  loadConcurrency: envInt('BENCH_LOAD_CONCURRENCY', 16),
};
export type BenchConfig = typeof config;

const only = (process.env.BENCH_ONLY ?? '').split(',').map((s) => s.trim()).filter(Boolean) as Part[];
for (const part of only) if (!PARTS.includes(part)) throw new Error(`BENCH_ONLY: unknown part ${part} (${PARTS.join(', ')})`);
const runs = (part: Part) => only.length === 0 || only.includes(part);

const log = (line: string) => process.stderr.write(`${line}\n`);

type EmulatorChild = Awaited<ReturnType<typeof startChild<Target>>>;

async function withEmulator<T>(fn: (target: Target, cpu: () => Promise<{ user: number; system: number }>, child: EmulatorChild) => Promise<T>): Promise<T> {
  const emulator = await startChild<Target>('emulator-process.ts');
  try {
    return await fn(emulator.info, () => emulator.call('cpu'), emulator);
  } finally {
    await emulator.stop();
  }
}

async function main(): Promise<void> {
  const started = performance.now();
  const results: Results = { config };
  log('bench: bundling the engine as it ships (esbuild, no keepNames)');
  await buildEngine();
  if (runs('latency')) {
    log(`bench: 1. latency, ${config.latencyIterations} interleaved pairs after ${config.latencyWarmup} warm-up`);
    results.latency = await withEmulator((target) => runLatency(target, config.latencyIterations, config.latencyWarmup));
  }
  if (runs('rtt')) {
    log(`bench: 1b. rtt, ${config.rttIterations} interleaved rounds at 60 and 150 ms through a delaying proxy`);
    results.rtt = await withEmulator((target) => runRtt(target, config.rttIterations));
    log(`bench: 1c. rtt in Chromium, cross-origin, ${config.rttChromiumIterations} rounds at 60 and 150 ms`);
    results.rttChromium = await withEmulator((target) => runChromiumRtt(target, config.rttChromiumIterations));
  }
  if (runs('memory')) {
    log(`bench: 2. memory, ${config.sessions} sessions, then ${config.sessions} plain ws clients`);
    results.memory = await runMemory(config.sessions);
  }
  if (runs('throughput')) {
    log(`bench: 3. throughput, ${config.events} events`);
    results.throughput = await runThroughput(config.events);
  }
  if (runs('frames')) {
    log(`bench: 3b. frames, bursts of ${config.framesBurst} events, ${config.framesRounds} rounds of each variant`);
    results.frames = await withEmulator((target, _cpu, child) => runFrames(target, (args) => child.call('burst', args), config.framesBurst, config.framesRounds));
  }
  if (runs('storm')) {
    log(`bench: 4. reconnect storm, ${config.stormSessions} sessions, then ${config.stormSessions} immediate-retry clients, in ${config.stormProcesses} processes`);
    results.storm = await runStorm(config.stormSessions, config.stormProcesses);
  }
  if (runs('bundle')) {
    log('bench: 5. bundle');
    results.bundle = await runBundle();
  }
  if (runs('emulator')) {
    log(`bench: 6. emulator load, ${config.loadCount} calls, ${config.loadConcurrency} in flight`);
    results.emulator = await withEmulator((target, cpu) => runEmulatorLoad(target, config.loadCount, config.loadConcurrency, cpu));
  }
  closeBackend();
  results.durationMs = performance.now() - started;
  const { table, document } = renderReport(results);
  process.stdout.write(`${table}\n`);
  if (only.length === 0) {
    const file = fileURLToPath(new URL('../../docs/benchmarks.md', import.meta.url));
    writeFileSync(file, document);
    log(`bench: wrote ${file}`);
  } else if (process.env.BENCH_WRITE_SECTIONS === '1') {
    // Only the sections of the parts that ran; the summary table and closing note wait for a full run.
    const file = fileURLToPath(new URL('../../docs/benchmarks.md', import.meta.url));
    writeFileSync(file, replaceSections(readFileSync(file, 'utf8'), document));
    log(`bench: replaced the sections of ${only.join(', ')} in ${file}`);
  } else if (process.env.BENCH_REPORT) {
    // A partial run's document goes elsewhere, to read its sections without touching the real one.
    writeFileSync(process.env.BENCH_REPORT, document);
    log(`bench: BENCH_ONLY set, wrote ${process.env.BENCH_REPORT} (docs/benchmarks.md left as it was)`);
  } else {
    log('bench: BENCH_ONLY set, docs/benchmarks.md left as it was');
  }
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);
