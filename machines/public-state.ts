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

/** The link or restore substate of a snapshot, for display and transition values. */
export function substateOf(value: unknown): Substate | undefined {
  const found: Substate[] = [];
  const walk = (v: unknown): void => {
    if (typeof v === 'string') {
      if ((SUBSTATES as readonly string[]).includes(v)) found.push(v as Substate);
      return;
    }
    if (v && typeof v === 'object') for (const [k, child] of Object.entries(v)) {
      if (k === 'token') continue; // the token region runs beside the link; it is reported as `refreshing`
      walk(child);
    }
  };
  walk(value);
  return found[0];
}
