/**
 * Where the playground's IIFE and statechart come from. Two layouts:
 *
 * - the published package (`dist/cli.js`): `dist/taptalk-session.global.js`,
 *   `dist/playground/state-machine.{svg,json}` and `dist/playground/client.js`, written by
 *   `npm run build`;
 * - the repository (`npm run emulator`, run by tsx from source): the IIFE is built on demand when
 *   stale (scripts/build-iife.ts, about a second), the statechart is generated from the machine
 *   (scripts/diagram-lib.ts) and the page's script is compiled by esbuild
 *   (scripts/playground-client.ts), so the page always shows the code as it is now.
 */
import { existsSync, readFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import type { PlaygroundLayout } from './client.js';
import type { PlaygroundAssets } from './page.js';

type BuildIife = typeof import('../../scripts/build-iife.js');
type DiagramLib = typeof import('../../scripts/diagram-lib.js');
type PlaygroundClient = typeof import('../../scripts/playground-client.js');
type Machines = typeof import('../../machines/session.machine.js');

/** Assets next to the running file, if this is the built CLI. */
function builtAssets(base: URL): PlaygroundAssets | undefined {
  const iife = new URL('taptalk-session.global.js', base);
  const svg = new URL('playground/state-machine.svg', base);
  const layout = new URL('playground/state-machine.json', base);
  const client = new URL('playground/client.js', base);
  if (![iife, svg, layout, client].every((file) => existsSync(file))) return undefined;
  return {
    iife: readFileSync(iife, 'utf8'),
    svg: readFileSync(svg, 'utf8'),
    layout: JSON.parse(readFileSync(layout, 'utf8')) as PlaygroundLayout,
    client: readFileSync(client, 'utf8'),
  };
}

/** From source: the scripts are imported by URL so that no bundler follows them into dist/. */
async function sourceAssets(root: URL): Promise<PlaygroundAssets> {
  const load = <M>(path: string) => import(new URL(path, root).href) as Promise<M>;
  const [{ ensureIife }, { generateDiagrams, machineToLayout }, { buildPlaygroundClient }, { sessionMachine }] = await Promise.all([
    load<BuildIife>('scripts/build-iife.ts'),
    load<DiagramLib>('scripts/diagram-lib.ts'),
    load<PlaygroundClient>('scripts/playground-client.ts'),
    load<Machines>('machines/session.machine.ts'),
  ]);
  const [iifePath, diagrams, client] = await Promise.all([ensureIife(), generateDiagrams(sessionMachine), buildPlaygroundClient()]);
  return { iife: await readFile(iifePath, 'utf8'), svg: diagrams.svg, layout: machineToLayout(sessionMachine), client };
}

/**
 * Loads the playground's assets: the built ones beside `dist/cli.js`, else from the repository.
 *
 * @param base - the running module's URL. @default import.meta.url
 * @example
 * ```ts
 * const assets = await loadPlaygroundAssets();
 * ```
 */
export async function loadPlaygroundAssets(base: string = import.meta.url): Promise<PlaygroundAssets> {
  const built = builtAssets(new URL('./', base));
  if (built) return built;
  const root = new URL('../../', base);
  if (!existsSync(new URL('scripts/build-iife.ts', root))) {
    throw new Error('the playground needs dist/taptalk-session.global.js and dist/playground/ (npm run build)');
  }
  return sourceAssets(root);
}
