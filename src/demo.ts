/**
 * The main job (`npm start`): an emulator on a free loopback port, a ticket requested as a
 * customer backend would, TapTalk's own three calls, and every transition printed as a timeline.
 */
import { startEmulator } from './emulator/index.js';
import { fileStorage } from './storage/file.js';
import { createTapTalk } from './taptalk.js';
import type { SessionTransition } from './session/types.js';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** `xstate.done.actor.probeToken` → `probeToken done`; other events as they are. */
const shortEvent = (event: string) => event.replace(/^xstate\.(done|error)\.actor\.(.+)$/, '$2 $1').replace(/^xstate\.after\.(\w+)\..*$/, '$1 elapsed');

const pad = (ms: number) => `${(ms / 1000).toFixed(3).padStart(7)}s`;

/** Runs the demo; resolves to the exit code. `--storage <file>` keeps the session in a file. */
export async function runDemo(argv: string[], print: (line: string) => void): Promise<number> {
  const started = performance.now();
  const at = () => pad(performance.now() - started);
  const dir = mkdtempSync(join(tmpdir(), 'taptalk-demo-'));
  const emulator = await startEmulator({ echo: true });
  const taptalk = createTapTalk();
  try {
    print(`${at()}  emulator  ${emulator.url}`);
    taptalk.init(emulator.appKey.id, emulator.appKey.secret, emulator.url, {
      storage: fileStorage(join(dir, 'session.json')),
      logger: { warn: (m) => print(`${at()}  warning   ${m}`), error: (m) => print(`${at()}  error     ${m}`) },
    });
    const session = taptalk.session;
    session.transitions$.subscribe((t: SessionTransition) => {
      const where = t.substate ? ` (${t.substate})` : '';
      const why = [t.reason ?? shortEvent(t.event), t.retryIn === undefined ? '' : `retry in ${t.retryIn} ms`].filter(Boolean).join(', ');
      print(`${at()}  ${t.from.padEnd(15)} → ${t.to}${where}${why ? `  [${why}]` : ''}`);
    });
    session.errors$.subscribe((e) => print(`${at()}  error     ${e.code} ${e.message}`));

    // What the app's backend does: ask the chat server for a one-time ticket (Server-Key).
    const ticket = await emulator.requestTicket({ xcUserID: 'demo-alice', fullName: 'Alice Demo' });
    print(`${at()}  backend   got a one-time auth ticket`);

    const eventNamed = (name: string) =>
      new Promise<string>((resolve) => {
        const sub = session.events$.subscribe((e) => {
          if (e.eventName === name) resolve(JSON.stringify(e.data)), sub.unsubscribe();
        });
      });
    const received = eventNamed('demo/welcome');
    const echoed = eventNamed('chat/sendMessage');
    const connected = new Promise<void>((resolve) => {
      const stop = taptalk.addConnectionListener({ onConnected: () => (stop(), resolve()) });
    });

    // TapTalk's documented snippet, verbatim in spirit: authenticate, then connect on success.
    await new Promise<void>((resolve, reject) => {
      taptalk.authenticateWithAuthTicket(ticket, true, {
        onSuccess: (message) => (print(`${at()}  app       onSuccess: ${message}`), resolve()),
        onError: (code, message) => reject(new Error(`authentication failed: ${code} ${message}`)),
      });
    });
    await connected;
    print(`${at()}  app       isAuthenticated() = ${taptalk.isAuthenticated()}, isConnected() = ${taptalk.isConnected()}`);

    await session.send('chat/sendMessage', { roomID: 'demo-room', body: 'Hello from the demo' });
    print(`${at()}  app       sent chat/sendMessage`);
    await echoed; // the emulator echoes a message back once it has stored it
    emulator.emit('demo-alice', 'demo/welcome', { text: 'Welcome, Alice' });
    print(`${at()}  app       received demo/welcome ${await received}`);
    const frames = emulator.received();
    print(`${at()}  emulator  received ${frames.length} frame(s) from ${frames.map((f) => f.xcUserID).join(', ')}`);

    // A server-side drop: the engine reconnects by itself, first retry within a second (SES-20).
    const back = new Promise<void>((resolve) => {
      const stop = taptalk.addConnectionListener({ onConnected: () => (stop(), resolve()) });
    });
    emulator.faults.dropConnections();
    print(`${at()}  emulator  dropped every connection`);
    await back;

    await new Promise<void>((resolve) => {
      taptalk.logoutAndClearAllTapTalkData({ onSuccess: (message) => (print(`${at()}  app       onSuccess: ${message}`), resolve()) });
    });
    print(`${at()}  app       isAuthenticated() = ${taptalk.isAuthenticated()}`);
    await new Promise((r) => setTimeout(r, 0));
    session.dispose();
    return 0;
  } finally {
    await emulator.close();
    rmSync(dir, { recursive: true, force: true });
    void argv;
  }
}
