/**
 * The emulator in its own process: `admin: true`, url and keys printed as JSON on stdout, and a
 * few IPC commands for the bench (memory after gc, a timeline of connection requests).
 *
 * The timeline needs no emulator change: `Stats.request` is where every request and upgrade is
 * counted on arrival, so this process wraps it to note the time as well.
 */
import { performance } from 'node:perf_hooks';
import { startEmulator } from '../../src/emulator/index.js';
import { Stats } from '../../src/emulator/stats.js';
import { loopDelay, serve, settledMemory } from './lib/child.js';
import { batches, burstEvents, type BurstEvent } from './lib/frame-burst.js';

/** Stats keys of connection attempts: the token probe and the WebSocket upgrade. */
const CONNECTION_KEYS = new Set(['/connect?check=1', 'ws:/connect']);

let recording = false;
let times: number[] = [];
let kinds: string[] = [];
const original = Stats.prototype.request;
Stats.prototype.request = function request(this: Stats, key: string) {
  if (recording && CONNECTION_KEYS.has(key)) {
    times.push(performance.now());
    kinds.push(key);
  }
  original.call(this, key);
};

const emulator = await startEmulator({ admin: true });
let dropAt: number | null = null;
const delay = loopDelay();
const drop = emulator.faults.dropConnections.bind(emulator.faults);
// The admin endpoint calls emulator.faults.dropConnections: note when it ran.
(emulator.faults as { dropConnections: typeof drop }).dropConnections = (code?: number) => {
  dropAt = performance.now();
  return drop(code);
};

/** The events of the last burst asked for, kept so that building them is not part of the next one. */
let burst: { key: string; events: BurstEvent[] } | undefined;

serve(
  { url: emulator.url, appKey: emulator.appKey, serverKey: emulator.serverKey, pid: process.pid },
  {
    memory: () => settledMemory(),
    /** CPU time used so far (µs), to tell the emulator's cost from the load generator's. */
    cpu: () => process.cpuUsage(),
    stats: () => emulator.stats(),
    record: () => {
      recording = true;
      delay.start();
      times = [];
      kinds = [];
      dropAt = null;
    },
    /** Connection requests since `record`, in ms after the drop (or after `record` when none). */
    timeline: () => {
      recording = false;
      const origin = dropAt ?? 0;
      return { dropped: dropAt !== null, events: times.map((t, i) => ({ t: t - origin, key: kinds[i] })), openSockets: emulator.stats().openSockets, loopDelay: delay.stop() };
    },
    /**
     * Sends `count` events of `lineBytes` each to `xcUserID`'s sockets, `perFrame` to a frame
     * (`emitBatch`; binary unless `text`), and answers once every frame is handed to `ws`.
     */
    burst: (args: { xcUserID: string; count: number; lineBytes: number; perFrame: number; text: boolean }) => {
      const key = `${args.count}/${args.lineBytes}`;
      if (burst?.key !== key) burst = { key, events: burstEvents(args.count, args.lineBytes) };
      let frames = 0;
      for (const frame of batches(burst.events, args.perFrame)) {
        if (emulator.emitBatch(args.xcUserID, frame, { text: args.text }) !== 1) throw new Error(`${args.xcUserID} has no open socket`);
        frames++;
      }
      return { frames };
    },
    close: async () => {
      await emulator.close();
    },
  },
);
