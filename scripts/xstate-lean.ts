/**
 * What the IIFE gets for `import … from 'xstate'` (see scripts/lean-setup.ts): all of xstate, with
 * a `setup()` that returns only what `machines/` calls on it.
 *
 * Why: xstate's own `setup()` returns, beside `createMachine`, every action creator (`sendTo`,
 * `log`, `emit`, `enqueueActions`, `spawnChild`, ...) as properties of one object, which no
 * bundler can drop; the engine uses none of them, and they cost about 0.8 KiB gzip. The machine's
 * source still reads `setup({...}).createMachine(...)`; Node, the tests and the browser ESM build
 * (where the app's bundler resolves xstate) use xstate's own `setup()`.
 */
import { createMachine } from 'xstate';

export * from 'xstate';

/** The part of xstate's `setup()` the engine uses, built exactly as xstate 5.33 builds it. */
export function setup({ schemas, actors, actions, guards, delays }: any): any {
  return {
    createStateConfig: (config: unknown) => config,
    createMachine: (config: object) => createMachine({ ...config, schemas } as any, { actors, actions, guards, delays } as any),
  };
}
