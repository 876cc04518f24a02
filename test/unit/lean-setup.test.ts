/**
 * The IIFE's `setup()` (scripts/xstate-lean.ts) must build the same machine as xstate's own, and
 * the machine may call nothing else on what `setup()` returns: the lean one has nothing else.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import * as xstate from 'xstate';
import { describe, expect, it } from 'vitest';
import { sessionMachine } from '../../machines/session.machine.js';
import { ensureIife } from '../../scripts/build-iife.js';
import * as lean from '../../scripts/xstate-lean.js';

const { actors, actions, guards, delays } = sessionMachine.implementations;
const implementations = { actors, actions, guards, delays };

describe('the lean setup() of the IIFE', () => {
  it('builds the session machine exactly as xstate setup() does', () => {
    const config = sessionMachine.config;
    const ours = lean.setup(implementations).createMachine(config);
    const theirs = xstate.setup(implementations as never).createMachine(config as never);
    expect(JSON.stringify(ours.root.definition)).toBe(JSON.stringify(theirs.root.definition));
    expect(ours.implementations).toEqual(theirs.implementations);
    expect(ours.schemas).toEqual(theirs.schemas);
    expect(lean.setup(implementations).createStateConfig(config)).toBe(config);
  });

  it('runs the same transitions as xstate setup()', () => {
    const run = (machine: object) => {
      const actor = xstate.createActor(machine as xstate.AnyStateMachine, { input: { settings: {}, now: () => 0, random: () => 0, preloaded: null } as never });
      actor.start();
      actor.send({ type: 'user.authenticate', ticket: 'ticket-1', connect: true });
      const value = actor.getSnapshot().value;
      actor.stop();
      return value;
    };
    const config = sessionMachine.config;
    expect(run(lean.setup(implementations).createMachine(config))).toEqual(run(xstate.setup(implementations as never).createMachine(config as never)));
  });

  it('re-exports the rest of xstate unchanged', () => {
    for (const name of ['createActor', 'assign', 'raise', 'fromPromise', 'fromCallback']) {
      expect((lean as Record<string, unknown>)[name], name).toBe((xstate as Record<string, unknown>)[name]);
    }
  });

  it('covers every use of setup() in machines/', () => {
    const dir = join(__dirname, '../../machines');
    const uses = readdirSync(dir)
      .filter((file) => file.endsWith('.ts'))
      .flatMap((file) => [...readFileSync(join(dir, file), 'utf8').matchAll(/sessionSetup\.(\w+)/g)].map((m) => m[1]));
    expect(uses.length).toBeGreaterThan(0);
    expect(new Set(uses)).toEqual(new Set(['createMachine', 'createStateConfig']));
  });

  it('is what the IIFE carries: none of the action creators only xstate setup() references', async () => {
    const iife = readFileSync(await ensureIife(), 'utf8');
    for (const type of ['xstate.enqueueActions', 'xstate.sendTo', 'xstate.log', 'xstate.emit']) expect(iife).not.toContain(type);
  });
});
