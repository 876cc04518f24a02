/**
 * Item 4: the reconnect storm. N connected clients; the emulator drops every socket at once
 * (`POST /_emulator/faults/dropConnections`, an abrupt cut: clients see 1006). Measured for the
 * engine (first retry uniform in [0, 1 s), SES-20) and for the same number of plain `ws` clients
 * that open a new socket on 'close' at once, as TapTalk's sample app does. Each side gets its own
 * emulator and client processes.
 *
 * Attempts per 100 ms window are counted where they land, in the emulator (each probe and upgrade
 * noted on arrival with its device id), and where they start, in the clients. An attempt is what
 * starts a reconnection: the engine's token probe where it probes first (SES-29), else its upgrade
 * (SES-90; lib/attempts.ts tells them apart per device), and the plain client's upgrade. The
 * emulator also counts all connection requests (probes and upgrades together).
 */
import { existsSync, readFileSync } from 'node:fs';
import { attemptTimes, type ConnectionRequest } from './lib/attempts.js';
import { startChild } from './lib/child.js';
import type { Target } from './lib/plain.js';
import { windows } from './lib/stats.js';

const WINDOW_MS = 100;

/**
 * The kernel's count of connections refused because a listen queue was full, and of SYNs sent
 * again (Linux, /proc/net/netstat; null elsewhere). A dropped SYN costs the client a 1 s
 * retransmission timeout: the cost of a herd that no request counter shows.
 */
function tcpCounters(): { listenOverflows: number; synRetrans: number } | null {
  if (!existsSync('/proc/net/netstat')) return null;
  const lines = readFileSync('/proc/net/netstat', 'utf8').split('\n').filter((line) => line.startsWith('TcpExt:'));
  if (lines.length < 2) return null;
  const names = lines[0]!.split(/\s+/);
  const values = lines[1]!.split(/\s+/).map(Number);
  const get = (name: string) => values[names.indexOf(name)] ?? 0;
  return { listenOverflows: get('ListenOverflows'), synRetrans: get('TCPSynRetrans') };
}

/** One client process's record of the storm; times in epoch ms (see clients-process.ts). */
interface Back {
  complete: boolean;
  dropped: (number | null)[];
  back: (number | null)[];
  attempts: number[];
  attemptsPerClient: number[];
  scheduled: number[];
  cpuMs: number;
  loopDelay: { max: number; p99: number };
}

interface Timeline {
  dropped: boolean;
  events: ConnectionRequest[];
  openSockets: number;
}

export interface StormSide {
  clients: number;
  /** Client processes the clients were spread over. */
  processes: number;
  /** ms from the first drop a client saw until the last client was connected again. */
  allBackMs: number;
  complete: boolean;
  /** Peak attempts in one 100 ms window: in the emulator, and as the clients started them. */
  peakAttemptsServer: number;
  peakAttemptsClient: number;
  /** Peak of all connection requests (probe + upgrade) in one window, in the emulator. */
  peakRequestsServer: number;
  maxAttemptsPerClient: number;
  totalAttempts: number;
  /** Attempts per window: in the emulator, as the clients started them, as the engine scheduled them. */
  serverWindows: number[];
  clientWindows: number[];
  scheduledWindows: number[];
  /** Peak of the engine's own schedule (drop + drawn delay): what it asks for, CPU aside. */
  peakScheduled: number;
  /** Time the emulator needed to connect the clients in the first place, for scale. */
  connectMs: number;
  /** CPU the client process and the emulator spent on the storm, ms. */
  clientCpuMs: number;
  emulatorCpuMs: number;
  /** Longest event-loop stall in the client process during the storm, ms. */
  clientLoopDelayMs: number;
  /** Connections the kernel dropped at the emulator's full listen queue, and SYNs resent (Linux). */
  listenOverflows: number | null;
  synRetrans: number | null;
}

async function side(mode: 'engine' | 'plain', clients: number, processes: number): Promise<StormSide> {
  const emulator = await startChild<Target>('emulator-process.ts');
  const runners = await Promise.all(Array.from({ length: processes }, () => startChild('clients-process.ts')));
  try {
    const share = (i: number) => Math.floor(clients / processes) + (i < clients % processes ? 1 : 0);
    const connected = await Promise.all(
      runners.map((runner, i) => runner.call<{ ms: number }>('connect', { target: emulator.info, mode, count: share(i), concurrency: Math.ceil(64 / processes), storm: true })),
    );
    const connectMs = Math.max(...connected.map((c) => c.ms));
    await new Promise((r) => setTimeout(r, 500));
    await emulator.call('record');
    const cpu0 = await emulator.call<{ user: number; system: number }>('cpu');
    await Promise.all(runners.map((runner) => runner.call('arm')));
    const tcp0 = tcpCounters();
    const response = await fetch(`${emulator.info.url}/_emulator/faults/dropConnections`, { method: 'POST', body: '{}' });
    const dropped = ((await response.json()) as { data: { result: number } }).data.result;
    if (dropped !== clients) throw new Error(`dropped ${dropped} of ${clients} sockets`);
    const backs = await Promise.all(runners.map((runner) => runner.call<Back>('awaitBack', { timeoutMs: 30_000 })));
    const tcp1 = tcpCounters();
    const timeline = await emulator.call<Timeline>('timeline');
    const cpu1 = await emulator.call<{ user: number; system: number }>('cpu');
    const firstDrop = Math.min(...backs.flatMap((b) => b.dropped.map((d) => d ?? Number.POSITIVE_INFINITY)));
    const since = (times: number[]) => times.map((t) => t - firstDrop);
    const back = backs.flatMap((b) => b.back);
    const attempts = since(backs.flatMap((b) => b.attempts));
    const scheduled = since(backs.flatMap((b) => b.scheduled));
    // The engine's attempt starts with a probe only when it probes (SES-29, SES-90); the herd only upgrades.
    const attemptsAtServer = mode === 'engine' ? attemptTimes(timeline.events) : timeline.events.filter((e) => e.key === 'ws:/connect').map((e) => e.t);
    const serverWindows = windows(attemptsAtServer, 0, WINDOW_MS);
    return {
      clients,
      processes,
      allBackMs: Math.max(...back.map((b) => (b === null ? Number.POSITIVE_INFINITY : b - firstDrop))),
      complete: backs.every((b) => b.complete),
      peakAttemptsServer: Math.max(0, ...serverWindows),
      peakAttemptsClient: Math.max(0, ...windows(attempts, 0, WINDOW_MS)),
      peakRequestsServer: Math.max(0, ...windows(timeline.events.map((e) => e.t), 0, WINDOW_MS)),
      maxAttemptsPerClient: Math.max(...backs.flatMap((b) => b.attemptsPerClient)),
      totalAttempts: attemptsAtServer.length,
      serverWindows,
      clientWindows: windows(attempts, 0, WINDOW_MS),
      scheduledWindows: windows(scheduled, 0, WINDOW_MS),
      peakScheduled: Math.max(0, ...windows(scheduled, 0, WINDOW_MS)),
      connectMs,
      clientCpuMs: backs.reduce((sum, b) => sum + b.cpuMs, 0),
      emulatorCpuMs: (cpu1.user + cpu1.system - cpu0.user - cpu0.system) / 1000,
      clientLoopDelayMs: Math.max(...backs.map((b) => b.loopDelay.max)),
      listenOverflows: tcp0 && tcp1 ? tcp1.listenOverflows - tcp0.listenOverflows : null,
      synRetrans: tcp0 && tcp1 ? tcp1.synRetrans - tcp0.synRetrans : null,
    };
  } finally {
    await Promise.all(runners.map(async (runner) => {
      await runner.call('closeAll').catch(() => {});
      await runner.stop();
    }));
    await emulator.stop();
  }
}

export interface StormResult {
  engine: StormSide;
  immediate: StormSide;
}

export async function runStormSide(mode: 'engine' | 'plain', clients: number, processes: number): Promise<StormSide> {
  return side(mode, clients, processes);
}

export async function runStorm(clients: number, processes: number): Promise<StormResult> {
  const engine = await side('engine', clients, processes);
  const immediate = await side('plain', clients, processes);
  return { engine, immediate };
}
