/**
 * Item 3: events per second through one connected session actor, no I/O, on xstate's
 * SimulatedClock. The events are a liveness round, `env.visible` (healthy → checking: watchdog
 * timer, a ping to the socket actor) then `socket.pong` (checking → healthy: the ping timer again),
 * so every event is a real transition with timers and actions, not an ignored one.
 *
 * Three figures from the same run: the machine with fake actors (as in test/support/
 * machine-harness.ts), the whole `createSession` (snapshot observer, transitions$ and state$
 * on microtasks, real socket actor over a fake `ws`), and a two-state xstate toggle as the floor.
 */
import { performance } from 'node:perf_hooks';
import { createActor, createMachine, SimulatedClock } from 'xstate';
import type { AnyActorRef } from 'xstate';
import { loadEngine } from './lib/engine.js';
import { fakeFetch, FakeWebSocket, fakeMachineImplementations } from './lib/fakes.js';
import { median } from './lib/stats.js';
import { DEFAULT_TIMINGS } from '../../src/options.js';

const ROUND = [{ type: 'env.visible' }, { type: 'socket.pong' }] as const;

const settings = { ...DEFAULT_TIMINGS };

export interface ThroughputResult {
  events: number;
  machine: number;
  session: number;
  toggle: number;
}

/** Sends `events` events (at most `maxMs` long) after a warm-up; returns events per second. */
function pump(actor: AnyActorRef, events: number, maxMs: number, round: readonly { type: string }[], check: () => void): number {
  for (let i = 0; i < 2_000; i++) actor.send(round[i % round.length]!);
  check();
  const start = performance.now();
  let sent = 0;
  while (sent < events) {
    for (let i = 0; i < 1_000; i++) actor.send(round[(sent + i) % round.length]!);
    sent += 1_000;
    if (performance.now() - start > maxMs) break;
  }
  const seconds = (performance.now() - start) / 1000;
  check();
  return sent / seconds;
}

/** A connected actor ready to be pumped, and how to end it. */
interface Subject {
  actor: AnyActorRef;
  round: readonly { type: string }[];
  check(): void;
  stop(): void;
}

const grant = (now: number) => ({
  accessToken: 'access-1',
  refreshToken: 'refresh-1',
  accessTokenExpiry: now + 3_600_000,
  refreshTokenExpiry: now + 30 * 86_400_000,
  user: { userID: 'u1', xcUserID: 'x1', fullname: 'Bench' },
  serverTime: now,
  receivedAt: now,
});

async function machineSubject(): Promise<Subject> {
  const { sessionMachine } = await loadEngine();
  const clock = new SimulatedClock();
  clock.set(1_700_000_000_000);
  const machine = sessionMachine.provide(fakeMachineImplementations(() => grant(clock.now())) as Parameters<typeof sessionMachine.provide>[0]);
  const actor = createActor(machine, { clock, input: { settings, now: () => clock.now(), random: () => 0.5, preload: () => null } });
  actor.start();
  actor.send({ type: 'user.authenticate', ticket: 'ticket', connect: true });
  for (let i = 0; i < 10; i++) await new Promise((r) => setTimeout(r, 0));
  const check = () => {
    if (!actor.getSnapshot().matches({ active: { link: { socket: 'open' } } })) throw new Error('the machine is not connected');
  };
  return { actor, round: ROUND, check, stop: () => actor.stop() };
}

async function sessionSubject(): Promise<Subject> {
  const { createSession } = await loadEngine();
  const clock = new SimulatedClock();
  clock.set(1_700_000_000_000);
  FakeWebSocket.autoPong = false;
  const session = createSession({
    baseUrl: 'http://127.0.0.1:1',
    appID: 'bench',
    appSecret: 'bench',
    fetch: fakeFetch(() => clock.now()),
    WebSocket: FakeWebSocket as never,
    clock,
    environment: false,
    logger: { warn: () => {}, error: () => {} },
  });
  let transitions = 0;
  session.transitions$.subscribe(() => transitions++);
  await session.authenticate('ticket', { connect: true });
  for (let i = 0; i < 10; i++) await new Promise((r) => setTimeout(r, 0));
  const check = () => {
    if (session.state !== 'connected') throw new Error(`the session is ${session.state}`);
    if (transitions === 0) throw new Error('no transitions reached the stream');
  };
  return {
    actor: session.actor as unknown as AnyActorRef,
    round: ROUND,
    check,
    stop: () => {
      session.dispose();
      FakeWebSocket.autoPong = true;
    },
  };
}

function toggleSubject(): Subject {
  const toggle = createMachine({ initial: 'a', states: { a: { on: { go: 'b' } }, b: { on: { go: 'a' } } } });
  const actor = createActor(toggle).start();
  return { actor, round: [{ type: 'go' }], check: () => {}, stop: () => actor.stop() };
}

/**
 * Five rounds, the three actors taking turns in each, so a burst of load from elsewhere on the
 * machine hits all three alike; each figure is the median of its rounds. Microtasks (stream
 * values) run between rounds.
 */
export async function runThroughput(events: number, maxMs = 3_000): Promise<ThroughputResult> {
  const rounds = 5;
  const subjects = { machine: await machineSubject(), session: await sessionSubject(), toggle: toggleSubject() };
  const rates: Record<keyof typeof subjects, number[]> = { machine: [], session: [], toggle: [] };
  for (let r = 0; r < rounds; r++) {
    for (const key of Object.keys(subjects) as (keyof typeof subjects)[]) {
      const { actor, round, check } = subjects[key];
      rates[key].push(pump(actor, Math.ceil(events / rounds / 1000) * 1000, maxMs / rounds, round, check));
      await new Promise((resolve) => setTimeout(resolve, 0));
    }
  }
  for (const subject of Object.values(subjects)) subject.stop();
  return { events, machine: median(rates.machine), session: median(rates.session), toggle: median(rates.toggle) };
}
