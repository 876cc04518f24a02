/**
 * Following siblings: other tabs or processes on the same storage (SES-80..89). One list of
 * transitions decides what a stored session read again means, wherever it was read: after a
 * sibling's change, before a refresh, after a refused one.
 */
import { because } from './setup.js';
import type { StoredState } from './session.types.js';

/** Picks the stored session from the event that carries it. */
type StoredOf = (args: { event: any }) => StoredState | null;

/**
 * SES-84: the storage holds no session (a sibling logged out): out too, without touching the
 * storage; a session of another user: out, and this one's server session revoked. SES-82: a newer
 * session of the same user (a sibling's rotation or login): adopted, the socket left up.
 */
export const followSibling = (stored: StoredOf) => [
  {
    guard: { type: 'storedRemoved' as const, params: stored },
    target: '#session.loggedOut',
    actions: ['leaveWithSibling' as const, 'dropCredentials' as const, because('logged_out_elsewhere')],
  },
  {
    guard: { type: 'storedOtherUser' as const, params: stored },
    target: '#session.loggedOut',
    actions: ['leaveForOtherUser' as const, 'dropCredentials' as const, because('replaced_elsewhere')],
  },
  {
    guard: { type: 'storedNewer' as const, params: stored },
    target: '#session.active.token.fresh',
    actions: [
      { type: 'adoptStored' as const, params: (args: { event: any }) => stored(args)! },
      because('sibling_refreshed'),
      'announceTokens' as const,
    ],
  },
];

/**
 * SES-87: a sibling signed in while this session had none: it is this session's too, connecting
 * if the app had wanted a socket when a logout elsewhere ended the last one.
 */
export const signedInElsewhere = {
  'storage.changed': {
    guard: { type: 'storedSignedIn' as const, params: ({ event }: { event: any }) => event.stored as StoredState | null },
    target: '#session.active',
    actions: [
      { type: 'adoptStored' as const, params: ({ event }: { event: any }) => event.stored as StoredState },
      'joinSibling' as const,
      because('signed_in_elsewhere'),
    ],
  },
};
