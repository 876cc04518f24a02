/**
 * The statechart as Graphviz DOT. Compound and parallel states are clusters; every state and
 * every arrow carries an `id` (`state-<state id>`, `transition-<key>`) that Graphviz copies into
 * the SVG, so a page can light up the active states of a running session.
 */
import { drawnEdges, type GraphState, type MachineGraph } from './machine-graph.js';

/** Fill colour per public state (SES-1); the token region runs beside the link and is neutral. */
const FILL: Record<string, string> = {
  unauthenticated: '#f1f5f9',
  authenticating: '#e0f2fe',
  authenticated: '#dcfce7',
  connecting: '#fef3c7',
  connected: '#bbf7d0',
  loggedOut: '#e5e7eb',
};
// Graphviz in WebAssembly has metrics for Helvetica only; browsers fall back to any sans-serif.
const FONT = 'Helvetica';

/** Escapes text for a Graphviz HTML-like label. */
function html(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

/** A quoted DOT id. */
function q(text: string): string {
  return `"${text.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`;
}

const anchorOf = (id: string) => `${id}::initial`;
const clusterOf = (id: string) => `cluster_${id}`;

/** The small print under a state's name: what it invokes and the events it handles in place. */
function details(graph: MachineGraph, state: GraphState): string[] {
  const lines = state.invokes.map((src) => `invoke ${src}`);
  for (const t of graph.transitions) {
    if (t.source === state.id && t.targets.length === 0) lines.push(`on ${t.label}${t.guard ? ` [${t.guard}]` : ''}`);
  }
  return lines;
}

function label(graph: MachineGraph, state: GraphState, title: string): string {
  const small = details(graph, state).map((l) => `<br/><font point-size="8">${html(l)}</font>`);
  return `<<b>${html(title)}</b>${small.join('')}>`;
}

/**
 * Renders the machine graph as DOT. Pure and deterministic: the same machine gives the same text.
 *
 * @param publicStates public state (SES-1) of each atomic state id outside the token region, for colour
 * @example
 * ```ts
 * const dot = machineToDot(machineGraph(sessionMachine), publicStatesOf(sessionMachine));
 * ```
 */
export function machineToDot(graph: MachineGraph, publicStates: Record<string, string | null> = {}): string {
  const out: string[] = [];
  const byId = new Map(graph.states.map((s) => [s.id, s]));
  const isCluster = (s: GraphState) => s.type === 'compound' || s.type === 'parallel';
  out.push(`digraph ${q(graph.root)} {`);
  out.push(`  graph [id="machine-${graph.root}", compound=true, newrank=true, rankdir=LR, nodesep=0.3, ranksep=0.4, fontname="${FONT}", fontsize=11, bgcolor="transparent"];`);
  out.push(`  node [fontname="${FONT}", fontsize=10, shape=box, style="rounded,filled", fillcolor="#ffffff", color="#475569", penwidth=1, margin="0.12,0.05"];`);
  out.push(`  edge [fontname="${FONT}", fontsize=8, color="#475569", fontcolor="#334155", arrowsize=0.6];`);

  const emit = (state: GraphState, indent: string): void => {
    if (!isCluster(state)) {
      const fill = FILL[publicStates[state.id] ?? ''] ?? '#ffffff';
      if (state.transient) {
        out.push(`${indent}${q(state.id)} [id=${q(`state-${state.id}`)}, shape=diamond, style=filled, fillcolor="${fill}", label=<${html(state.key)}?>, fontsize=8, margin="0.02,0.02"];`);
      } else {
        out.push(`${indent}${q(state.id)} [id=${q(`state-${state.id}`)}, fillcolor="${fill}", label=${label(graph, state, state.key)}];`);
      }
      return;
    }
    const title = state.type === 'parallel' ? `${state.key} (parallel regions)` : state.key;
    out.push(`${indent}subgraph ${q(clusterOf(state.id))} {`);
    out.push(`${indent}  id=${q(`state-${state.id}`)}; label=${label(graph, state, title)}; labeljust="l";`);
    out.push(`${indent}  style="rounded${state.type === 'parallel' ? ',dashed' : ''}"; color="#64748b"; penwidth=1;`);
    const anchorStyle = state.initial ? 'fillcolor="#1e293b", color="#1e293b"' : 'style=invis';
    out.push(`${indent}  ${q(anchorOf(state.id))} [id=${q(`initial-${state.id}`)}, shape=point, width=0.09, label="", ${anchorStyle}];`);
    for (const child of graph.states.filter((s) => s.parent === state.id)) emit(child, `${indent}  `);
    if (state.initial) {
      out.push(`${indent}  ${q(anchorOf(state.id))} -> ${q(endpoint(state.initial))} [id=${q(`initial-edge-${state.id}`)}${headAttr(state.initial, state.id)}];`);
    }
    out.push(`${indent}}`);
  };
  const endpoint = (id: string) => (isCluster(byId.get(id)!) ? anchorOf(id) : id);
  const inside = (id: string, ancestor: string) => id === ancestor || id.startsWith(`${ancestor}.`);
  const headAttr = (to: string, from: string) =>
    isCluster(byId.get(to)!) && !inside(from, to) ? `, lhead=${q(clusterOf(to))}` : '';
  const tailAttr = (from: string, to: string) =>
    isCluster(byId.get(from)!) && !inside(to, from) ? `, ltail=${q(clusterOf(from))}` : '';

  emit(byId.get(graph.root)!, '  ');
  for (const e of drawnEdges(graph)) {
    const t = e.transition;
    const text = `${t.label}${t.guard ? ` [${t.guard}]` : ''}`;
    const style = t.kind === 'always' ? ', style=dashed' : t.kind === 'after' ? ', color="#b45309", fontcolor="#92400e"' : '';
    out.push(
      `  ${q(endpoint(e.from))} -> ${q(endpoint(e.to))} [id=${q(`transition-${e.id}`)}, label=<${html(text)}>${tailAttr(e.from, e.to)}${headAttr(e.to, e.from)}${style}];`,
    );
  }
  out.push('}');
  return `${out.join('\n')}\n`;
}
