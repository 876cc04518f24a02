/**
 * Item 2: heap and RSS per connected idle client, the engine beside plain `ws` clients, each in
 * its own process (run with --expose-gc) against its own emulator process; and the emulator's own
 * memory with that many sockets. Figures are deltas after a full collection, divided by the count.
 *
 * Engine sessions use every default an app gets in Node: the `ws` socket, memory storage and the
 * environment watcher (one sleep detector shared by the process's sessions).
 */
import { startChild } from './lib/child.js';
import type { Target } from './lib/plain.js';
import { sleep } from './lib/stats.js';

type Memory = { heapUsed: number; rss: number; external: number; arrayBuffers: number };

export interface MemorySide {
  clients: number;
  connectMs: number;
  heapPerClient: number;
  rssPerClient: number;
  externalPerClient: number;
  emulator: { heapPerSocket: number; rssPerSocket: number; heapUsed: number; rss: number };
}

async function side(mode: 'engine' | 'plain', clients: number): Promise<MemorySide> {
  const emulator = await startChild<Target>('emulator-process.ts');
  const runner = await startChild('clients-process.ts');
  try {
    const emulatorBefore = await emulator.call<Memory>('memory');
    const before = await runner.call<Memory>('memory');
    const { ms: connectMs } = await runner.call<{ ms: number }>('connect', { target: emulator.info, mode, count: clients, concurrency: 64, storm: false });
    await sleep(1_000); // idle: pending microtasks, timers and handshakes are done
    const after = await runner.call<Memory>('memory');
    const emulatorAfter = await emulator.call<Memory>('memory');
    const stats = await emulator.call<{ openSockets: number }>('stats');
    if (stats.openSockets !== clients) throw new Error(`${stats.openSockets} sockets open, expected ${clients}`);
    return {
      clients,
      connectMs,
      heapPerClient: (after.heapUsed - before.heapUsed) / clients,
      rssPerClient: (after.rss - before.rss) / clients,
      externalPerClient: (after.external - before.external) / clients,
      emulator: {
        heapPerSocket: (emulatorAfter.heapUsed - emulatorBefore.heapUsed) / clients,
        rssPerSocket: (emulatorAfter.rss - emulatorBefore.rss) / clients,
        heapUsed: emulatorAfter.heapUsed,
        rss: emulatorAfter.rss,
      },
    };
  } finally {
    await runner.call('closeAll').catch(() => {});
    await runner.stop();
    await emulator.stop();
  }
}

/** Heap per instance with the network taken out (see clients-process.ts `breakdown`). */
export interface Breakdown {
  emptyActor: number;
  /** `createActor(sessionMachine)` started: the machine's own floor, no actor provided, no I/O. */
  bareMachine: number;
  machine: number;
  session: number;
  sessionNoEnvironment: number;
  fakeSocket: number;
}

export interface MemoryResult {
  engine: MemorySide;
  plain: MemorySide;
  breakdown: Breakdown;
}

export async function runMemory(clients: number): Promise<MemoryResult> {
  const engine = await side('engine', clients);
  const plain = await side('plain', clients);
  const runner = await startChild('clients-process.ts');
  try {
    const breakdown = await runner.call<Breakdown>('breakdown', { count: 2_000 });
    return { engine, plain, breakdown };
  } finally {
    await runner.stop();
  }
}
