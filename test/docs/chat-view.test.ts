/**
 * The property-based example of docs/testing-your-app.md, run as written (the doc holds the part
 * between the markers verbatim, with the package's own import names): a chat view model over the
 * session must never show messages while logged out. With its planted bug the kit must find the
 * failure, shrink it and print a replayable seed; without it, the same runs pass.
 */
// ---- sample: docs/testing-your-app.md ----
import { expect, it } from 'vitest';
import type { Session } from '../../src/node.js';
import { checkScenarios, engineInvariants, type Invariant } from '../../src/testing/index.js';

/** The app under test: the messages a chat screen shows. */
export interface ChatView {
  readonly messages: readonly string[];
  dispose(): void;
}

export function createChatView(session: Session, { plantedBug = false } = {}): ChatView {
  let messages: string[] = [];
  const subscriptions = [
    session.events$.subscribe((event) => {
      if (event.eventName === 'chat/sendMessage') messages = [...messages, String((event.data as { text?: unknown }).text)];
    }),
    session.transitions$.subscribe(({ to, reason }) => {
      // The planted bug: only the user's own logout clears the screen, as if the server never ended a session.
      if (to === 'loggedOut' && (reason === 'user_logout' || !plantedBug)) messages = [];
    }),
  ];
  return {
    get messages() {
      return messages;
    },
    dispose: () => subscriptions.forEach((s) => s.unsubscribe()),
  };
}

export const noMessagesWhileLoggedOut: Invariant<ChatView> = {
  name: 'no messages while logged out',
  check: ({ session, app }) => {
    if (session.state === 'loggedOut' && app.messages.length > 0) return `${app.messages.length} message(s) on screen while loggedOut`;
  },
};

it('the chat never shows messages while logged out', async () => {
  const summary = await checkScenarios({
    app: (session) => createChatView(session),
    invariants: [...engineInvariants, noMessagesWhileLoggedOut],
    scenario: { maxSteps: 12 },
    numRuns: 25,
  });
  expect(summary.numRuns).toBe(25);
}, 60_000);
// ---- end of the sample ----
