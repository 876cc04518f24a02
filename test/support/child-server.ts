/**
 * A server started as users start it (a command in its own process group), its URL read from
 * what it prints, and every process of it killed afterwards or when it does not come up in time.
 */
import { spawn, type ChildProcess } from 'node:child_process';

/** A running command and how to stop it. */
export interface ChildServer {
  /** The URL it printed. */
  url: string;
  /** What it printed so far (stdout and stderr). */
  output(): string;
  /** Kills its whole process group (npm, the shell, tsx and node) and waits for the exit. */
  stop(): Promise<void>;
}

function killGroup(child: ChildProcess): void {
  try {
    // Negative pid: the process group the detached child leads, so npm's children die with it.
    if (child.pid !== undefined) process.kill(-child.pid, 'SIGKILL');
  } catch {
    // Already gone.
  }
}

/**
 * Spawns `command args` in `cwd` in a new process group and resolves once a line of its output
 * matches `ready` (the first group is the URL). Rejects, after killing it, if it exits first or
 * does not print the line within `timeoutMs`.
 */
export function startChildServer(command: string, args: string[], cwd: string, ready: RegExp, timeoutMs: number): Promise<ChildServer> {
  const child = spawn(command, args, { cwd, detached: true, stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, FORCE_COLOR: '0' } });
  let out = '';
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const stop = async () => {
    killGroup(child);
    await exited;
  };
  return new Promise((resolve, reject) => {
    const fail = (why: string) => {
      clearTimeout(timer);
      void stop().then(() => reject(new Error(`${command} ${args.join(' ')}: ${why}\n${out}`)));
    };
    const timer = setTimeout(() => fail(`no line matching ${ready} within ${timeoutMs} ms`), timeoutMs);
    const onData = (chunk: Buffer) => {
      out += chunk.toString();
      const match = ready.exec(out);
      if (!match) return;
      clearTimeout(timer);
      child.stdout?.off('data', onData);
      child.stdout?.on('data', (more: Buffer) => (out += more.toString()));
      resolve({ url: match[1]!, output: () => out, stop });
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', (chunk: Buffer) => (out += chunk.toString()));
    child.once('exit', (code) => fail(`exited with ${code} before it was ready`));
  });
}
