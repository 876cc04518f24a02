/**
 * Part `frames`: server events per second from the emulator to `events$`, beside a plain `ws`
 * client that parses the same frames (lib/frame-burst.ts `plainParse`). Server frames bypass the
 * machine (socket actor → `decodeFrames` → the events subject), so this measures that path.
 *
 * A burst is sent in waves of WAVE events, each while the receiving socket is paused (`ws.pause()`),
 * so the emulator has encoded every frame of the wave and handed it to its socket before the clock
 * starts; from `resume()` to the last event
 * seen, the receiving process's CPU time (`process.cpuUsage`) is what reading the burst cost it.
 * Events per CPU-second is the figure: the wall-clock rate beside it is set as much by the emulator
 * draining its buffered writes on the same two cores as by the receiver. Variants: one event per
 * frame or `\n`-separated batches, binary (as TapTalk's server sends) or text; the sides alternate
 * in every round.
 */
import { performance } from 'node:perf_hooks';
import WebSocket from 'ws';
import { connectedAt } from './lib/connected-at.js';
import { loadEngine } from './lib/engine.js';
import { plainParse } from './lib/frame-burst.js';
import { clientHeaders, exchangeTicket, openSocket, requestTicket, type Target } from './lib/plain.js';
import { median } from './lib/stats.js';

const quiet = { warn: () => {}, error: () => {} };
const { createSession } = await loadEngine();

/** Bytes of each event's JSON line. */
export const LINE_BYTES = 1024;
/** Events per frame in the batched variants. */
export const BATCH = 10;
/**
 * Events sent while the receiver is paused, at most: the emulator cuts a socket holding more than
 * 4 MiB unsent (SES-78), so a burst goes in waves of this many, each paused, sent, then read.
 */
export const WAVE = 2_000;
/** The longest one wave may take to arrive before the part gives up. */
const BURST_DEADLINE_MS = 60_000;

export interface FramesVariant {
  perFrame: number;
  text: boolean;
}

export interface FramesFigures extends FramesVariant {
  /** Events per CPU-second of the receiving process (1e6 ÷ the median CPU µs per event). */
  engine: number;
  plain: number;
  /** Median over the rounds of plain CPU ÷ engine CPU per event, each pair measured back to back. */
  ratio: number;
  /** Median CPU of the receiving process per event, µs (user + system, all threads). */
  engineCpuUs: number;
  plainCpuUs: number;
  /** Median wall-clock events per second, resume → last event (information). */
  engineWall: number;
  plainWall: number;
}

export interface FramesResult {
  burst: number;
  /** Events per paused wave. */
  wave: number;
  rounds: number;
  lineBytes: number;
  variants: FramesFigures[];
}

export const VARIANTS: readonly FramesVariant[] = [
  { perFrame: 1, text: false },
  { perFrame: BATCH, text: false },
  { perFrame: 1, text: true },
  { perFrame: BATCH, text: true },
];

/** A connected receiver: pause, resume, and a counter of events seen. */
interface Receiver {
  readonly xcUserID: string;
  pause(): void;
  resume(): void;
  count(): number;
  close(): void;
}

async function engineReceiver(target: Target, xcUserID: string): Promise<Receiver> {
  let socket: WebSocket | undefined;
  // The engine's own `ws`, kept to pause it: ws.pause() stops reading, nothing else changes.
  class Kept extends WebSocket {
    constructor(url: string, options: WebSocket.ClientOptions) {
      super(url, options);
      socket = this;
    }
  }
  const session = createSession({ baseUrl: target.url, appID: target.appKey.id, appSecret: target.appKey.secret, logger: quiet, WebSocket: Kept as never });
  await session.whenReady();
  const connected = connectedAt(session);
  await session.authenticate(await requestTicket(target, xcUserID), { connect: true });
  await connected;
  let seen = 0;
  const sub = session.events$.subscribe(() => {
    seen++;
  });
  return {
    xcUserID,
    pause: () => socket!.pause(),
    resume: () => socket!.resume(),
    count: () => seen,
    close: () => {
      sub.unsubscribe();
      session.dispose();
    },
  };
}

async function plainReceiver(target: Target, xcUserID: string): Promise<Receiver> {
  const headers = clientHeaders(target, `frames-${xcUserID}`);
  const ws = await openSocket(target, headers, await exchangeTicket(target, headers, await requestTicket(target, xcUserID)));
  let seen = 0;
  const onEvent = () => {
    seen++;
  };
  ws.on('message', (data: Buffer) => plainParse(data, onEvent));
  ws.on('error', () => {});
  return { xcUserID, pause: () => ws.pause(), resume: () => ws.resume(), count: () => seen, close: () => ws.close(1000, 'client closed') };
}

type Burst = (args: { xcUserID: string; count: number; lineBytes: number; perFrame: number; text: boolean }) => Promise<unknown>;

/** One wave of `count` events into `r`: the time and CPU (µs) this process spent reading it. */
async function wave(r: Receiver, burst: Burst, count: number, variant: FramesVariant): Promise<{ ms: number; cpuUs: number }> {
  const before = r.count();
  const target = before + count;
  r.pause();
  await burst({ xcUserID: r.xcUserID, count, lineBytes: LINE_BYTES, ...variant });
  const cpu = process.cpuUsage();
  const start = performance.now();
  r.resume();
  await new Promise<void>((resolve, reject) => {
    const deadline = start + BURST_DEADLINE_MS;
    const check = () => {
      if (r.count() >= target) resolve();
      else if (performance.now() > deadline) reject(new Error(`frames: ${r.count() - before} of ${count} events within ${BURST_DEADLINE_MS} ms`));
      else setImmediate(check);
    };
    check();
  });
  const used = process.cpuUsage(cpu);
  return { ms: performance.now() - start, cpuUs: used.user + used.system };
}

/** One burst of `count` events into `r`, in waves: events per second read and CPU µs per event. */
async function once(r: Receiver, burst: Burst, count: number, variant: FramesVariant): Promise<{ rate: number; cpuUs: number }> {
  let ms = 0;
  let cpuUs = 0;
  for (let sent = 0; sent < count; sent += WAVE) {
    const w = await wave(r, burst, Math.min(WAVE, count - sent), variant);
    ms += w.ms;
    cpuUs += w.cpuUs;
  }
  return { rate: (count / ms) * 1000, cpuUs: cpuUs / count };
}

/**
 * Runs `rounds` rounds (after one warm-up) of every variant, engine and plain alternating, each a
 * burst of `count` events to one connected receiver of each kind.
 */
export async function runFrames(target: Target, burst: Burst, count: number, rounds: number): Promise<FramesResult> {
  const engine = await engineReceiver(target, `frames-engine-${process.pid}`);
  const plain = await plainReceiver(target, `frames-plain-${process.pid}`);
  const variants: FramesFigures[] = [];
  try {
    for (const variant of VARIANTS) {
      const samples = { engine: [] as { rate: number; cpuUs: number }[], plain: [] as { rate: number; cpuUs: number }[] };
      for (let i = 0; i <= rounds; i++) {
        const order = i % 2 === 0 ? (['engine', 'plain'] as const) : (['plain', 'engine'] as const);
        for (const side of order) {
          const result = await once(side === 'engine' ? engine : plain, burst, count, variant);
          if (i > 0) samples[side].push(result); // round 0 warms up
        }
      }
      variants.push({
        ...variant,
        engine: 1e6 / median(samples.engine.map((s) => s.cpuUs)),
        plain: 1e6 / median(samples.plain.map((s) => s.cpuUs)),
        ratio: median(samples.engine.map((s, k) => samples.plain[k]!.cpuUs / s.cpuUs)),
        engineCpuUs: median(samples.engine.map((s) => s.cpuUs)),
        plainCpuUs: median(samples.plain.map((s) => s.cpuUs)),
        engineWall: median(samples.engine.map((s) => s.rate)),
        plainWall: median(samples.plain.map((s) => s.rate)),
      });
    }
  } finally {
    engine.close();
    plain.close();
  }
  return { burst: count, wave: WAVE, rounds, lineBytes: LINE_BYTES, variants };
}
