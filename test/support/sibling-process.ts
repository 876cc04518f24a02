/**
 * A child process with one session on a `fileStorage` file, for the two-process sibling test
 * (SES-80..89). Started by `fork` with its settings in `SIBLING` (JSON); reports every transition
 * and error over IPC and answers `authenticate`, `logout`, `state` and `exit` messages.
 */
import { createSession } from '../../src/session/create-session.js';
import { fileStorage } from '../../src/storage/file.js';

interface Settings {
  baseUrl: string;
  appID: string;
  appSecret: string;
  path: string;
  /** `false` turns coordination off: the behaviour before issue 12. */
  coordinate?: boolean;
}

const settings = JSON.parse(process.env.SIBLING ?? '{}') as Settings;
const send = (message: unknown) => process.send?.(message);

const session = createSession({
  baseUrl: settings.baseUrl,
  appID: settings.appID,
  appSecret: settings.appSecret,
  storage: fileStorage(settings.path),
  ...(settings.coordinate === undefined ? {} : { coordinate: settings.coordinate }),
  environment: false,
  logger: { warn: () => {}, error: (m) => send({ type: 'log', message: String(m) }) },
});
session.transitions$.subscribe((t) => send({ type: 'transition', from: t.from, to: t.to, reason: t.reason, at: Date.now() }));
session.errors$.subscribe((e) => send({ type: 'error', code: e.code }));

process.on('message', (message: { type: string; ticket?: string }) => {
  const reply = (value: unknown) => send({ type: 'reply', of: message.type, value });
  if (message.type === 'authenticate') {
    session.authenticate(message.ticket!, { connect: true }).then(() => reply('ok'), (e: { code?: string }) => reply(e.code));
  } else if (message.type === 'connect') {
    session.connect().then(() => reply('ok'), (e: { code?: string }) => reply(e.code));
  } else if (message.type === 'logout') {
    session.logout().then(() => reply('ok'), (e: { code?: string }) => reply(e.code));
  } else if (message.type === 'state') {
    reply(session.state);
  } else if (message.type === 'exit') {
    session.dispose();
    process.disconnect?.();
  }
});

void session.whenReady().then((state) => send({ type: 'ready', state }));
