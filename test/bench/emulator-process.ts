/**
 * The emulator in its own process: `admin: true`, url and keys printed as JSON on stdout, and a
 * few IPC commands for the bench (memory after gc, a timeline of connection requests).
 *
 * The timeline needs no emulator change: this process wraps `http.Server`'s `emit` to note each
 * probe and upgrade as it arrives, with the client's device id (the storm tells attempts apart per
 * client: lib/attempts.ts).
 */
import { Server, type IncomingMessage } from 'node:http';
import { performance } from 'node:perf_hooks';
import { startEmulator } from '../../src/emulator/index.js';
import type { ConnectionRequest } from './lib/attempts.js';
import { loopDelay, serve, settledMemory } from './lib/child.js';
import { batches, burstEvents, type BurstEvent } from './lib/frame-burst.js';

let recording = false;
let requests: ConnectionRequest[] = [];

/** A probe (`GET /connect?check=1`) or an upgrade on `/connect`, or neither. */
function connectionKey(event: string, req: IncomingMessage): ConnectionRequest['key'] | undefined {
  const url = new URL(req.url ?? '/', 'http://x');
  if (url.pathname !== '/connect') return undefined;
  if (event === 'upgrade') return 'ws:/connect';
  return event === 'request' && req.method === 'GET' && url.searchParams.get('check') === '1' ? '/connect?check=1' : undefined;
}

const emit = Server.prototype.emit;
Server.prototype.emit = function (this: Server, event: string | symbol, ...args: unknown[]) {
  if (recording && (event === 'request' || event === 'upgrade')) {
    const req = args[0] as IncomingMessage;
    const key = connectionKey(event, req);
    if (key) {
      const device = req.headers['device-identifier'] ?? new URL(req.url ?? '/', 'http://x').searchParams.get('device_identifier') ?? '';
      requests.push({ t: performance.now(), key, device: String(device) });
    }
  }
  return emit.apply(this, [event, ...args] as Parameters<typeof emit>);
} as typeof emit;

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
      requests = [];
      dropAt = null;
    },
    /** Connection requests since `record`, in ms after the drop (or after `record` when none). */
    timeline: () => {
      recording = false;
      const origin = dropAt ?? 0;
      return { dropped: dropAt !== null, events: requests.map((r) => ({ ...r, t: r.t - origin })), openSockets: emulator.stats().openSockets, loopDelay: delay.stop() };
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
