/** Maps the statechart's nested state to the six public states and a short substate label. */
import type { PublicState } from './session.types.js';

/** The part of a snapshot this needs: xstate's `matches`. */
interface Matchable {
  matches(value: string | Record<string, unknown>): boolean;
}

/**
 * The public state of a snapshot (SES-1): always exactly one of the six.
 * Order matters: `connected` and `authenticated` are regions inside `active`.
 */
export function publicStateOf(snapshot: Matchable): PublicState {
  if (snapshot.matches('authenticating')) return 'authenticating';
  if (snapshot.matches('loggedOut')) return 'loggedOut';
  if (snapshot.matches({ active: { link: 'idle' } })) return 'authenticated';
  if (snapshot.matches({ active: { link: { socket: 'open' } } })) return 'connected';
  if (snapshot.matches('active')) return 'connecting';
  return 'unauthenticated';
}

const SUBSTATES = [
  'restoring',
  'probing',
  'awaitingToken',
  'waiting',
  'suspended',
  'opening',
  'checking',
  'revoking',
] as const;

/** The innermost interesting substate (`waiting`, `suspended`, ...), if any. */
export type Substate = (typeof SUBSTATES)[number];

/**
 * The link or restore substate of a snapshot, for display and transition values: the first leaf of
 * the state value that is one of {@link SUBSTATES}. The token region is not reported: its leaves
 * (`fresh`, `refreshing`, `backingOff`) are none of them.
 */
export function substateOf(value: unknown): Substate | undefined {
  if (typeof value === 'string') return SUBSTATES.find((substate) => substate === value);
  if (value && typeof value === 'object') {
    for (const child of Object.values(value)) {
      const found = substateOf(child);
      if (found) return found;
    }
  }
  return undefined;
}
