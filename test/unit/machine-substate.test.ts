/** `substateOf` reports the link or restore substate only (docs/state-machine.md, Substates). */
import { describe, expect, test } from 'vitest';
import { sessionMachine, substateOf } from '../../machines/index.js';

/** The states of the token region of `active`. */
const tokenStates = Object.keys(sessionMachine.root.states.active?.states.token?.states ?? {});

describe('substateOf', () => {
  test('names no state of the token region, which runs beside the link', () => {
    const keys = tokenStates;
    expect(keys).toEqual(['fresh', 'refreshing', 'backingOff']);
    for (const key of keys) expect(substateOf({ active: { token: key, link: 'idle' } })).toBeUndefined();
  });

  test('finds the link substate beside any token state', () => {
    for (const key of tokenStates) {
      expect(substateOf({ active: { token: key, link: { connecting: 'waiting' } } })).toBe('waiting');
      expect(substateOf({ active: { token: key, link: { socket: { open: 'checking' } } } })).toBe('checking');
    }
    expect(substateOf({ unauthenticated: 'restoring' })).toBe('restoring');
    expect(substateOf('authenticating')).toBeUndefined();
  });
});
