/**
 * The committed diagrams are the machine's: regenerated in memory, they must equal the files in
 * docs/. When this fails after a machine change, run `npm run diagram` and commit the result.
 */
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, test } from 'vitest';
import { sessionMachine } from '../../machines/index.js';
import {
  activeDomIds,
  drawnEdges,
  embedMermaid,
  generateDiagrams,
  machineGraph,
  machineToDot,
  machineToLayout,
  machineToMermaid,
  type Diagrams,
} from '../../scripts/diagram-lib.js';

const DOCS = join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'docs');
const read = (name: string) => readFileSync(join(DOCS, name), 'utf8');
const STALE = 'docs/ is stale: run `npm run diagram` and commit the result';

let fresh: Diagrams;
beforeAll(async () => {
  fresh = await generateDiagrams(sessionMachine);
}, 60_000);

describe('committed diagrams', () => {
  test('docs/state-machine.svg matches the machine', () => {
    expect(read('state-machine.svg') === fresh.svg, STALE).toBe(true);
  });

  test('docs/state-machine.mmd matches the machine', () => {
    expect(read('state-machine.mmd') === fresh.mermaid, STALE).toBe(true);
  });

  test('docs/state-machine.json matches the machine', () => {
    expect(read('state-machine.json') === fresh.layout, STALE).toBe(true);
  });

  test('docs/state-machine.md embeds the current Mermaid source and the SVG', () => {
    const page = read('state-machine.md');
    expect(embedMermaid(page, fresh.mermaid) === page, STALE).toBe(true);
    expect(page).toContain('![The session state machine](state-machine.svg)');
  });
});

describe('generators', () => {
  test('are deterministic', async () => {
    const again = await generateDiagrams(sessionMachine);
    expect(again).toEqual(fresh);
  });

  test('every state node has a group with id state-<id> in the SVG, and every arrow its transition id', () => {
    const graph = machineGraph(sessionMachine);
    // Graphviz writes '-' in ids as '&#45;'; a browser reads it back as '-'.
    const svg = fresh.svg.replace(/&#45;/g, '-');
    for (const s of graph.states) expect(svg).toContain(`id="state-${s.id}"`);
    for (const e of drawnEdges(graph)) expect(svg).toContain(`id="transition-${e.id}"`);
  });

  test('the DOT and Mermaid sources name every state', () => {
    const graph = machineGraph(sessionMachine);
    const dot = machineToDot(graph);
    const mermaid = machineToMermaid(graph);
    for (const s of graph.states) {
      expect(dot).toContain(`"state-${s.id}"`);
      if (s.id !== graph.root) expect(mermaid).toContain(s.id.slice('session.'.length).replace(/\./g, '_'));
    }
    expect(mermaid.startsWith('stateDiagram-v2\n')).toBe(true);
  });

  test('every transition with a target is drawn at least once', () => {
    const graph = machineGraph(sessionMachine);
    const drawn = new Set(drawnEdges(graph).map((e) => e.transition.key));
    const missing = graph.transitions.filter((t) => t.targets.length > 0 && !drawn.has(t.key)).map((t) => t.key);
    expect(missing).toEqual([]);
  });

  test('the layout gives a playground the parent, type and public state of each state', () => {
    const layout = machineToLayout(sessionMachine);
    const byId = new Map(layout.states.map((s) => [s.id, s]));
    expect(byId.get('session.active')).toMatchObject({ parent: 'session', type: 'parallel' });
    expect(byId.get('session.active.link.connecting.waiting')).toMatchObject({
      parent: 'session.active.link.connecting',
      type: 'atomic',
      publicState: 'connecting',
      domId: 'state-session.active.link.connecting.waiting',
    });
    expect(byId.get('session.active.link.socket.open.healthy')?.publicState).toBe('connected');
    expect(byId.get('session.active.link.idle')?.publicState).toBe('authenticated');
    expect(byId.get('session.active.token.fresh')?.publicState).toBeNull();
  });

  test('activeDomIds lists the groups to light up for a snapshot value, outermost first', () => {
    expect(activeDomIds(sessionMachine, { active: { token: 'fresh', link: { connecting: 'waiting' } } })).toEqual([
      'state-session',
      'state-session.active',
      'state-session.active.token',
      'state-session.active.token.fresh',
      'state-session.active.link',
      'state-session.active.link.connecting',
      'state-session.active.link.connecting.waiting',
    ]);
  });
});

test('docs/state-machine.md gives the path coverage figures of the machine as it is (issue 10 §7)', () => {
  const { states, transitions } = machineGraph(sessionMachine);
  const figures = `Today: ${states.length}/${states.length} state nodes and ${transitions.length}/${transitions.length} transitions`;
  expect(read('state-machine.md'), STALE).toContain(figures);
});
