/**
 * Pure generators of the state-machine documentation: DOT, SVG, Mermaid and a JSON description
 * for a playground page. `scripts/diagram.ts` writes them to docs/; `test/unit/diagram.test.ts`
 * regenerates them in memory and fails when the committed files are stale.
 */
import { instance } from '@viz-js/viz';
import { getStateNodes, pathToStateValue, type AnyStateMachine } from 'xstate';
import { publicStateOf } from '../machines/public-state.js';
import type { PublicState } from '../machines/session.types.js';
import { machineToDot } from './diagram-dot.js';
import { machineToMermaid } from './diagram-mermaid.js';
import { drawnEdges, machineGraph, type GraphState, type MachineGraph } from './machine-graph.js';

export { machineGraph, drawnEdges, machineToDot, machineToMermaid };
export type { MachineGraph };

/** Markers around the generated Mermaid block in docs/state-machine.md. */
export const MERMAID_START = '<!-- mermaid:start -->';
export const MERMAID_END = '<!-- mermaid:end -->';

/**
 * The public state (SES-1) each atomic state stands for, or `null` for the token region, whose
 * states run beside the link and never decide the public state alone.
 */
export function publicStatesOf(graph: MachineGraph): Record<string, PublicState | null> {
  const result: Record<string, PublicState | null> = {};
  for (const s of graph.states) {
    if (s.type !== 'atomic') continue;
    const path = s.id.split('.').slice(1);
    if (path[0] === 'active' && path[1] === 'token') {
      result[s.id] = null;
      continue;
    }
    const value = pathToStateValue(path);
    const matches = (v: unknown): boolean => matchesValue(v, value);
    result[s.id] = publicStateOf({ matches });
  }
  return result;
}

/** `matchesState` for a partial value (a leaf path), without needing the sibling region. */
function matchesValue(parent: unknown, child: unknown): boolean {
  if (typeof parent === 'string') {
    return typeof child === 'string' ? parent === child : parent in (child as object);
  }
  if (typeof child === 'string') return false;
  return Object.entries(parent as Record<string, unknown>).every(
    ([k, v]) => k in (child as object) && matchesValue(v, (child as Record<string, unknown>)[k]),
  );
}

/** One state of the playground description. */
export interface LayoutState extends GraphState {
  /** Id of its group in docs/state-machine.svg. */
  domId: string;
  publicState: PublicState | null;
}

/** What a playground page needs to draw the machine and light up the active states. */
export interface MachineLayout {
  machine: string;
  /** The SVG this description goes with, relative to docs/. */
  svg: string;
  states: LayoutState[];
  transitions: { key: string; source: string; targets: string[]; label: string; guard: string | null; domIds: string[] }[];
}

/**
 * A small JSON description of the machine for a browser playground: every state with its parent,
 * type and the id of its group in the SVG, every transition with the ids of its arrows.
 *
 * @example
 * ```ts
 * const layout = machineToLayout(sessionMachine);
 * document.getElementById(layout.states[0].domId)?.classList.add('active');
 * ```
 */
export function machineToLayout(machine: AnyStateMachine): MachineLayout {
  const graph = machineGraph(machine);
  const publicStates = publicStatesOf(graph);
  const edges = drawnEdges(graph);
  return {
    machine: graph.root,
    svg: 'state-machine.svg',
    states: graph.states.map((s) => ({ ...s, domId: `state-${s.id}`, publicState: publicStates[s.id] ?? null })),
    transitions: graph.transitions.map((t) => ({
      key: t.key,
      source: t.source,
      targets: t.targets,
      label: t.label,
      guard: t.guard,
      domIds: edges.filter((e) => e.transition === t).map((e) => `transition-${e.id}`),
    })),
  };
}

/**
 * Ids of the SVG groups to light up for a snapshot's value: every active state, outermost first.
 *
 * @example
 * ```ts
 * activeDomIds(sessionMachine, actor.getSnapshot().value); // ['state-session', 'state-session.active', ...]
 * ```
 */
export function activeDomIds(machine: AnyStateMachine, value: Parameters<typeof getStateNodes>[1]): string[] {
  const active = new Set(getStateNodes(machine.root, value).map((n) => n.id));
  return machineGraph(machine).states.filter((s) => active.has(s.id)).map((s) => `state-${s.id}`);
}

/** Renders DOT to SVG with Graphviz compiled to WebAssembly (no system binary). */
export async function dotToSvg(dot: string): Promise<string> {
  const viz = await instance();
  const result = viz.render(dot, { format: 'svg', engine: 'dot' });
  if (result.status !== 'success') {
    throw new Error(`Graphviz failed: ${result.errors.map((e) => e.message).join('; ')}`);
  }
  const problems = result.errors.filter((e) => e.level === 'error' || e.level === 'warning');
  if (problems.length > 0) throw new Error(`Graphviz complained: ${problems.map((e) => e.message).join('; ')}`);
  return result.output;
}

/** The layout as JSON, one state or transition a line: small, and readable in a diff. */
export function layoutJson(layout: MachineLayout): string {
  const list = (items: unknown[]) => items.map((i) => `    ${JSON.stringify(i)}`).join(',\n');
  return [
    '{',
    `  "machine": ${JSON.stringify(layout.machine)},`,
    `  "svg": ${JSON.stringify(layout.svg)},`,
    `  "states": [\n${list(layout.states)}\n  ],`,
    `  "transitions": [\n${list(layout.transitions)}\n  ]`,
    '}',
    '',
  ].join('\n');
}

/** Replaces the Mermaid block between the markers of a Markdown text. */
export function embedMermaid(markdown: string, mermaid: string): string {
  const start = markdown.indexOf(MERMAID_START);
  const end = markdown.indexOf(MERMAID_END);
  if (start < 0 || end < start) throw new Error(`markers ${MERMAID_START} / ${MERMAID_END} not found`);
  const block = `${MERMAID_START}\n\`\`\`mermaid\n${mermaid.trimEnd()}\n\`\`\`\n`;
  return markdown.slice(0, start) + block + markdown.slice(end);
}

/** Everything `npm run diagram` writes, generated in memory. */
export interface Diagrams {
  dot: string;
  svg: string;
  mermaid: string;
  layout: string;
}

/** Generates every artefact from the machine. */
export async function generateDiagrams(machine: AnyStateMachine): Promise<Diagrams> {
  const graph = machineGraph(machine);
  const dot = machineToDot(graph, publicStatesOf(graph));
  return {
    dot,
    svg: await dotToSvg(dot),
    mermaid: machineToMermaid(graph),
    layout: layoutJson(machineToLayout(machine)),
  };
}
