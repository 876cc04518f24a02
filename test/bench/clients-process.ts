/**
 * A process of many clients against the emulator: engine sessions or plain `ws` clients. Used
 * for memory per client (item 2) and the reconnect storm (item 4). Commands over IPC.
 */
import { performance } from 'node:perf_hooks';
import WebSocket from 'ws';
import type { Session } from '../../src/session/types.js';
import { loopDelay, serve, settledMemory } from './lib/child.js';
import { loadEngine } from './lib/engine.js';
import { clientHeaders, exchangeTicket, openSocket, probeToken, requestTicket, type Target } from './lib/plain.js';
import { pool } from './lib/stats.js';

const quiet = { warn: () => {}, error: () => {} };
const { createSession } = await loadEngine();

interface ConnectArgs {
  target: Target;
  mode: 'engine' | 'plain';
  count: number;
  concurrency: number;
  /** Count connection attempts per client and, for plain clients, reconnect at once on close. */
  storm: boolean;
}

/** One client's storm record: when it lost its socket, its attempts since, when it was back. */
interface Track {
  droppedAt: number | null;
  backAt: number | null;
  attempts: number[];
  /** When the engine scheduled its first retry for (drop + the drawn `retryIn`). */
  scheduledAt: number | null;
}

let tracks: Track[] = [];

let armed = false;
let armedCpu = process.cpuUsage();
const delay = loopDelay();
let stopping = false;
const sessions: Session[] = [];
const sockets: WebSocket[] = [];

const newTrack = (): Track => ({ droppedAt: null, backAt: null, attempts: [], scheduledAt: null });

function whenConnected(session: Session): Promise<void> {
  return new Promise((resolve, reject) => {
    const sub = session.state$.subscribe((state) => {
      if (state !== 'connected') return;
      queueMicrotask(() => sub.unsubscribe());
      resolve();
    });
    const errors = session.errors$.subscribe((error) => {
      errors.unsubscribe();
      reject(error);
    });
    void (async () => {
      await new Promise<void>((r) => sub.add(() => r()));
      errors.unsubscribe();
    })();
  });
}

async function addEngine(target: Target, i: number, storm: boolean): Promise<void> {
  const ticket = await requestTicket(target, `client-${process.pid}-${i}`);
  const track = newTrack();
  const note = () => {
    if (armed) track.attempts.push(performance.now());
  };
  // Only the storm counts attempts: its per-client wrappers would otherwise show in the memory figure.
  // An attempt starts with the probe where the engine probes first (SES-29), else with the socket (SES-90).
  let probed = false;
  class CountedSocket extends WebSocket {
    constructor(url: string, options: WebSocket.ClientOptions) {
      super(url, options);
      if (!probed) note();
      probed = false;
    }
  }
  const counting = storm
    ? {
        fetch: ((input: string | URL | Request, init?: RequestInit) => {
          if (String(input).includes('check=1')) {
            note();
            probed = true;
          }
          return fetch(input, init);
        }) as typeof fetch,
        WebSocket: CountedSocket as never,
      }
    : {};
  const session = createSession({ baseUrl: target.url, appID: target.appKey.id, appSecret: target.appKey.secret, logger: quiet, ...counting });
  const connected = whenConnected(session);
  await session.authenticate(ticket, { connect: true });
  await connected;
  if (storm) {
    session.state$.subscribe((state) => {
      if (!armed) return;
      if (state === 'connected') track.backAt ??= performance.now();
      else track.droppedAt ??= performance.now();
    });
    session.transitions$.subscribe((t) => {
      if (armed && t.retryIn !== undefined && track.scheduledAt === null) track.scheduledAt = performance.now() + t.retryIn;
    });
    tracks[i] = track;
  }
  sessions[i] = session;
}

const ignore = () => {};

/**
 * Where a session's heap goes, with the network taken out: an empty xstate actor, the session
 * machine with fake actors (connected), and `createSession` over a fake fetch and socket.
 */
async function breakdown(count: number) {
  const { sessionMachine } = await loadEngine();
  const { createActor, createMachine } = await import('xstate');
  const { fakeFetch, FakeWebSocket, fakeMachineImplementations } = await import('./lib/fakes.js');
  const settle = () => new Promise((r) => setTimeout(r, 0));
  /** Ends what a phase made, so its timers and promises do not linger into the next phase's figure. */
  const end = async (instances: unknown[]) => {
    for (const it of instances as { dispose?: () => void; stop?: () => void }[]) {
      if (typeof it?.dispose === 'function') it.dispose();
      else if (typeof it?.stop === 'function') it.stop();
    }
    instances.length = 0;
    await settle();
    await settledMemory();
  };
  const perInstance = async (make: () => Promise<unknown>) => {
    // A warm-up batch first, so code and feedback compiled on the way are not counted per instance.
    const keep: unknown[] = [];
    for (let i = 0; i < 100; i++) keep.push(await make());
    const before = await settledMemory();
    for (let i = 0; i < count; i++) keep.push(await make());
    const after = await settledMemory();
    // Read after the last collection: a list nothing reads after an await is not kept across it,
    // and the instances would be collected before they are counted.
    if (keep.length !== count + 100) throw new Error('breakdown: instances lost');
    await end(keep);
    return (after.heapUsed - before.heapUsed) / count;
  };
  const empty = createMachine({});
  const now = Date.now();
  const grant = { accessToken: 'a'.repeat(40), refreshToken: 'r'.repeat(40), accessTokenExpiry: now + 3.6e6, refreshTokenExpiry: now + 2.6e9, user: { userID: 'u1', xcUserID: 'x1', fullname: 'Bench' }, receivedAt: now };
  const machine = sessionMachine.provide(fakeMachineImplementations(() => grant) as Parameters<typeof sessionMachine.provide>[0]);
  const { DEFAULT_TIMINGS } = await import('../../src/options.js');
  const fakeSession = (environment: boolean) => async () => {
    const session = createSession({ baseUrl: 'http://127.0.0.1:1', appID: 'a', appSecret: 'b', logger: quiet, fetch: fakeFetch(), WebSocket: FakeWebSocket as never, ...(environment ? {} : { environment: false }) });
    await session.authenticate('ticket', { connect: true });
    await settle();
    if (session.state !== 'connected') throw new Error(`breakdown: session ${session.state}`);
    return session;
  };
  return {
    fakeSocket: await perInstance(async () => new FakeWebSocket('ws://x')),
    emptyActor: await perInstance(async () => createActor(empty).start()),
    // The floor of this machine: the session machine as published (inert placeholders), started, no I/O.
    bareMachine: await perInstance(async () =>
      createActor(sessionMachine, { input: { settings: DEFAULT_TIMINGS, now: Date.now, random: Math.random, preload: () => null } }).start(),
    ),
    machine: await perInstance(async () => {
      const actor = createActor(machine, { input: { settings: DEFAULT_TIMINGS, now: Date.now, random: Math.random, preload: () => null } }).start();
      actor.send({ type: 'user.authenticate', ticket: 't', connect: true });
      await settle();
      return actor;
    }),
    session: await perInstance(fakeSession(true)),
    sessionNoEnvironment: await perInstance(fakeSession(false)),
  };
}

async function addPlain(target: Target, i: number, storm: boolean): Promise<void> {
  const ticket = await requestTicket(target, `client-${process.pid}-${i}`);
  const headers = clientHeaders(target, `plain-device-${process.pid}-${i}`);
  const accessToken = await exchangeTicket(target, headers, ticket);
  await probeToken(target, headers, accessToken);
  const ws = await openSocket(target, headers, accessToken);
  // The floor of the memory figure: the socket and one shared no-op error listener, nothing else.
  ws.on('error', ignore);
  sockets[i] = ws;
  if (!storm) return;
  const track = newTrack();
  tracks[i] = track;
  // What TapTalk's sample app does: on close, open a new socket at once, again and again.
  const url = `${target.url.replace(/^http/, 'ws')}/connect`;
  const options = { headers: { ...headers, Authorization: `Bearer ${accessToken}` }, perMessageDeflate: false };
  const watch = (socket: WebSocket) => {
    socket.on('open', () => {
      if (armed && track.droppedAt !== null) track.backAt ??= performance.now();
    });
    socket.on('close', () => {
      if (stopping || !armed) return;
      track.droppedAt ??= performance.now();
      track.attempts.push(performance.now());
      const next = new WebSocket(url, options);
      next.on('error', ignore);
      sockets[i] = next;
      watch(next);
    });
  };
  watch(ws);
}

serve(
  { pid: process.pid },
  {
    memory: () => settledMemory(),
    connect: async ({ target, mode, count, concurrency, storm }: ConnectArgs) => {
      const start = performance.now();
      const add = mode === 'engine' ? addEngine : addPlain;
      await pool(count, concurrency, (i) => add(target, i, storm));
      return { count, ms: performance.now() - start };
    },
    arm: () => {
      for (const track of tracks) Object.assign(track, newTrack());
      armedCpu = process.cpuUsage();
      delay.start();
      armed = true;
    },
    /** Resolves once every client dropped and came back, or after `timeoutMs`. */
    awaitBack: async ({ timeoutMs }: { timeoutMs: number }) => {
      const deadline = performance.now() + timeoutMs;
      const allBack = () => tracks.every((t) => t.droppedAt !== null && t.backAt !== null);
      while (!allBack() && performance.now() < deadline) await new Promise((r) => setTimeout(r, 10));
      armed = false;
      const cpu = process.cpuUsage(armedCpu);
      // Times on a clock every process shares (epoch ms, sub-millisecond), so the bench can merge processes.
      const abs = (t: number) => performance.timeOrigin + t;
      return {
        complete: allBack(),
        dropped: tracks.map((t) => (t.droppedAt === null ? null : abs(t.droppedAt))),
        back: tracks.map((t) => (t.backAt === null ? null : abs(t.backAt))),
        attempts: tracks.flatMap((t) => t.attempts.map(abs)),
        scheduled: tracks.flatMap((t) => (t.scheduledAt === null ? [] : [abs(t.scheduledAt)])),
        attemptsPerClient: tracks.map((t) => t.attempts.length),
        loopDelay: delay.stop(),
        /** CPU this process spent from the drop until all were back (or the timeout), ms. */
        cpuMs: (cpu.user + cpu.system) / 1000,
      };
    },
    breakdown: ({ count }: { count: number }) => breakdown(count),
    closeAll: () => {
      stopping = true;
      for (const session of sessions) session?.dispose();
      for (const ws of sockets) ws?.terminate();
    },
  },
);
