#!/usr/bin/env node
/**
 * `taptalk-session <command>`:
 *   demo       the main job: emulator, ticket, authenticate, connect, a frame each way, logout
 *   emulator   a TapTalk-compatible server for your app (`--port 8080`, `--help`), with the
 *              playground at `/` (docs/browser.md)
 */
import { runDemo } from './demo.js';
import { EMULATOR_USAGE } from './emulator/cli-args.js';
import { runEmulatorCli } from './emulator/index.js';
import { playgroundPages } from './playground/index.js';

/** What `taptalk-session --help` prints. */
const USAGE = `usage: taptalk-session [command] [--help]

commands:
  demo       (the default) emulator, ticket, authenticate, connect, a frame each way, logout
  emulator   a TapTalk-compatible server with the playground at / (--help for its flags)`;

const [command = 'demo', ...rest] = process.argv.slice(2);

async function main(): Promise<number> {
  if (command === '--help' || command === '-h' || command === 'help') {
    console.log(USAGE);
    return 0;
  }
  if (command === 'demo') return runDemo(rest, (line) => console.log(line));
  if (command === 'emulator' && (rest.includes('--help') || rest.includes('-h'))) {
    console.log(EMULATOR_USAGE);
    return 0;
  }
  if (command === 'emulator') {
    const emulator = await runEmulatorCli(rest, console.log, { pages: playgroundPages() });
    console.log(`Playground: ${emulator.url}/`);
    return -1; // keeps serving until SIGINT
  }
  console.error(`Unknown command "${command}".\n${USAGE}`);
  return 2;
}

main().then(
  (code) => {
    if (code >= 0) process.exitCode = code;
  },
  (error: unknown) => {
    console.error(error instanceof Error ? `${error.name}: ${error.message}` : error);
    process.exitCode = 1;
  },
);
