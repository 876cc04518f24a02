/**
 * Child processes of the bench: each runs one script under the same tsx loader as the bench, with
 * `--expose-gc`, and answers commands over IPC. Its first stdout line is JSON (the emulator prints
 * its url and keys there).
 */
import { fork, type ChildProcess } from 'node:child_process';
import { monitorEventLoopDelay, type IntervalHistogram } from 'node:perf_hooks';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';

type Reply = { id: number; ok: true; value: unknown } | { id: number; ok: false; error: string };

export interface Child<Info> {
  readonly pid: number;
  /** The JSON the child printed on its first stdout line. */
  readonly info: Info;
  call<T>(command: string, args?: unknown): Promise<T>;
  /** Ends the child (SIGTERM) and waits for its exit. */
  stop(): Promise<void>;
}

/** Starts `script` (a path relative to test/bench) and waits for its first stdout line. */
export async function startChild<Info = unknown>(script: string, timeoutMs = 30_000): Promise<Child<Info>> {
  const file = fileURLToPath(new URL(`../${script}`, import.meta.url));
  const proc: ChildProcess = fork(file, [], {
    execArgv: [...process.execArgv, '--expose-gc', '--max-old-space-size=4096'],
    stdio: ['ignore', 'pipe', 'inherit', 'ipc'],
  });
  const pending = new Map<number, { resolve(v: unknown): void; reject(e: Error): void }>();
  let nextId = 1;
  proc.on('message', (message: Reply) => {
    const waiter = pending.get(message.id);
    if (!waiter) return;
    pending.delete(message.id);
    if (message.ok) waiter.resolve(message.value);
    else waiter.reject(new Error(`${script}: ${message.error}`));
  });
  const exited = new Promise<void>((resolve) => proc.once('exit', () => resolve()));
  void exited.then(() => {
    for (const waiter of pending.values()) waiter.reject(new Error(`${script} exited`));
    pending.clear();
  });
  const lines = createInterface({ input: proc.stdout! });
  const info = await new Promise<Info>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${script} did not start within ${timeoutMs} ms`)), timeoutMs);
    lines.once('line', (line) => {
      clearTimeout(timer);
      try {
        resolve(JSON.parse(line) as Info);
      } catch (error) {
        reject(error as Error);
      }
    });
    proc.once('exit', (code) => reject(new Error(`${script} exited with ${code} before starting`)));
  });
  lines.on('line', (line) => process.stderr.write(`[${script}] ${line}\n`));
  return {
    pid: proc.pid!,
    info,
    call<T>(command: string, args?: unknown) {
      const id = nextId++;
      return new Promise<T>((resolve, reject) => {
        pending.set(id, { resolve: resolve as (v: unknown) => void, reject });
        proc.send({ id, command, args });
      });
    },
    async stop() {
      if (proc.exitCode === null && proc.signalCode === null) proc.kill('SIGTERM');
      await exited;
    },
  };
}

/** The child's side: answers commands with `handlers`, prints `info` as its first stdout line. */
export function serve(info: unknown, handlers: Record<string, (args: any) => unknown>): void {
  process.on('message', async (message: { id: number; command: string; args: unknown }) => {
    const handler = handlers[message.command];
    try {
      if (!handler) throw new Error(`unknown command ${message.command}`);
      const value = await handler(message.args);
      process.send!({ id: message.id, ok: true, value: value ?? null });
    } catch (error) {
      process.send!({ id: message.id, ok: false, error: error instanceof Error ? (error.stack ?? error.message) : String(error) });
    }
  });
  process.on('disconnect', () => process.exit(0));
  // A normal exit on SIGTERM, so `--cpu-prof` (inherited from the bench's flags) writes its profile.
  process.on('SIGTERM', () => process.exit(0));
  process.stdout.write(`${JSON.stringify(info)}\n`);
}

/** Heap and RSS after a full collection (needs `--expose-gc`). */
export async function settledMemory(): Promise<{ heapUsed: number; rss: number; external: number; arrayBuffers: number }> {
  const gc = (globalThis as { gc?: () => void }).gc;
  if (!gc) throw new Error('run with --expose-gc');
  for (let i = 0; i < 4; i++) {
    gc();
    await new Promise((resolve) => setImmediate(resolve));
  }
  const { heapUsed, rss, external, arrayBuffers } = process.memoryUsage();
  return { heapUsed, rss, external, arrayBuffers };
}

/** Event-loop delay of this process from `start()` to `stop()`, ms (a busy loop delays every timer and socket). */
export function loopDelay() {
  let histogram: IntervalHistogram | undefined;
  return {
    start() {
      histogram?.disable();
      histogram = monitorEventLoopDelay({ resolution: 10 });
      histogram.enable();
    },
    stop() {
      if (!histogram) return { max: 0, p99: 0 };
      histogram.disable();
      return { max: histogram.max / 1e6, p99: histogram.percentile(99) / 1e6 };
    },
  };
}
