/**
 * The statechart as plain data: every state node and every transition of its definition, in
 * document order. The diagrams, the playground description and the path-coverage test all read
 * the machine through this one walk, so they can never disagree about what the machine contains.
 */
import type { AnyStateMachine, AnyTransitionDefinition, StateNode } from 'xstate';

type AnyStateNode = StateNode<any, any>;

/** How a transition is triggered. */
export type TransitionKind = 'on' | 'after' | 'always' | 'done' | 'error';

/** One state node. */
export interface GraphState {
  /** Full id, e.g. `session.active.link.connecting`. */
  id: string;
  /** Last path segment, e.g. `connecting`. */
  key: string;
  /** Id of the parent state node; `null` for the root. */
  parent: string | null;
  type: 'atomic' | 'compound' | 'parallel' | 'final' | 'history';
  /** Id of the initial child of a compound state. */
  initial: string | null;
  /** Left as soon as it is entered (only eventless transitions): a decision point. */
  transient: boolean;
  /** Sources of the actors the state invokes. */
  invokes: string[];
  /** Depth below the root (the root is 0). */
  depth: number;
}

/** One transition of the definition (one entry of an `on`/`after`/`always`/`onDone`/`onError` array). */
export interface GraphTransition {
  /** Stable key: `<source id>|<event type>|<index in that event's array>`. */
  key: string;
  source: string;
  /** Target state ids; empty for a targetless (actions-only) transition. */
  targets: string[];
  kind: TransitionKind;
  /** The xstate event type (`xstate.after.retryDelay.session...` for delays, `''` for always). */
  eventType: string;
  /** A short human label: `user.logout`, `after retryDelay`, `done probeToken`, `always`. */
  label: string;
  /** Guard name, if the transition is guarded. */
  guard: string | null;
  /** Re-enters its target even when it is already active. */
  reenter: boolean;
}

/** The whole graph. */
export interface MachineGraph {
  root: string;
  states: GraphState[];
  transitions: GraphTransition[];
}

/** The name of a guard: a named guard's type, or the function's own name for an inline one. */
function guardName(guard: unknown): string | null {
  if (guard === undefined || guard === null) return null;
  if (typeof guard === 'string') return guard;
  if (typeof guard === 'function') return guard.name || 'guard';
  if (typeof guard === 'object' && 'type' in guard && typeof guard.type === 'string') return guard.type;
  return 'guard';
}

function kindOf(eventType: string): TransitionKind {
  if (eventType.startsWith('xstate.after.')) return 'after';
  if (eventType.startsWith('xstate.done.actor.')) return 'done';
  if (eventType.startsWith('xstate.error.actor.')) return 'error';
  return 'on';
}

/** `xstate.after.retryDelay.session.a.b` → `after retryDelay`; `xstate.done.actor.x` → `done probeToken`. */
function labelOf(node: AnyStateNode, eventType: string, kind: TransitionKind): string {
  if (kind === 'after') {
    const rest = eventType.slice('xstate.after.'.length);
    return `after ${rest.slice(0, rest.length - node.id.length - 1)}`;
  }
  if (kind === 'done' || kind === 'error') {
    const invokeId = eventType.slice(`xstate.${kind}.actor.`.length);
    const def = node.invoke.find((i) => i.id === invokeId);
    const src = def && typeof def.src === 'string' ? def.src : invokeId;
    return `${kind} ${src}`;
  }
  return eventType;
}

function typeOf(node: AnyStateNode): GraphState['type'] {
  return node.type as GraphState['type'];
}

function children(node: AnyStateNode): AnyStateNode[] {
  return Object.values(node.states ?? {}) as AnyStateNode[];
}

/** Every state node below (and including) `node`, in document order. */
export function allStateNodes(node: AnyStateNode): AnyStateNode[] {
  return [node, ...children(node).flatMap(allStateNodes)];
}

/** The transitions defined on one state node, in definition order, each with its stable key. */
export function ownTransitions(node: AnyStateNode): { key: string; transition: AnyTransitionDefinition }[] {
  const out: { key: string; transition: AnyTransitionDefinition }[] = [];
  for (const [eventType, list] of node.transitions) {
    list.forEach((transition, i) => out.push({ key: `${node.id}|${eventType}|${i}`, transition }));
  }
  (node.always ?? []).forEach((transition, i) => out.push({ key: `${node.id}|always|${i}`, transition }));
  return out;
}

/**
 * Walks a machine's definition into plain data.
 *
 * @example
 * ```ts
 * const graph = machineGraph(sessionMachine);
 * graph.states.find((s) => s.id === 'session.active')?.type; // 'parallel'
 * ```
 */
export function machineGraph(machine: AnyStateMachine): MachineGraph {
  const nodes = allStateNodes(machine.root);
  const states: GraphState[] = nodes.map((node) => {
    const own = ownTransitions(node);
    return {
      id: node.id,
      key: node.key,
      parent: node.parent ? node.parent.id : null,
      type: typeOf(node),
      initial: node.type === 'compound' && node.initial ? (node.initial.target[0]?.id ?? null) : null,
      transient: node.type === 'atomic' && own.length > 0 && own.every((t) => t.key.includes('|always|')),
      invokes: node.invoke.map((i) => (typeof i.src === 'string' ? i.src : i.id)),
      depth: node.path.length,
    };
  });
  const transitions: GraphTransition[] = nodes.flatMap((node) =>
    ownTransitions(node).map(({ key, transition }) => {
      const eventType = transition.eventType;
      const kind: TransitionKind = key.includes('|always|') ? 'always' : kindOf(eventType);
      return {
        key,
        source: node.id,
        targets: (transition.target ?? []).map((t: AnyStateNode) => t.id),
        kind,
        eventType: kind === 'always' ? '' : eventType,
        label: kind === 'always' ? 'always' : labelOf(node, eventType, kind),
        guard: guardName(transition.guard),
        reenter: transition.reenter === true,
      };
    }),
  );
  return { root: machine.root.id, states, transitions };
}

/** One arrow to draw: a transition, or one of the arrows a transition of a compound state stands for. */
export interface DrawnEdge {
  /** Unique: the transition key, plus `@<state id>` when drawn from one child of its source. */
  id: string;
  transition: GraphTransition;
  from: string;
  to: string;
}

function isInside(id: string, ancestor: string): boolean {
  return id === ancestor || id.startsWith(`${ancestor}.`);
}

/**
 * The arrows a diagram draws. A compound state's transition to a state inside itself (the root's
 * `user.logout` → `loggedOut`, `open`'s `env.wake` → `checking`) cannot start at its own border, so
 * it is drawn from each child that can take it: not a decision point (left at once), and not a
 * child that handles the same event itself (`loggedOut` has its own `user.logout`).
 * Targetless transitions draw no arrow: they belong in the state's label.
 */
export function drawnEdges(graph: MachineGraph): DrawnEdge[] {
  const byId = new Map(graph.states.map((s) => [s.id, s]));
  const handles = new Set(graph.transitions.map((t) => `${t.source}|${t.eventType}`));
  const edges: DrawnEdge[] = [];
  for (const t of graph.transitions) {
    for (const to of t.targets) {
      const key = t.targets.length > 1 ? `${t.key}>${to}` : t.key;
      const source = byId.get(t.source)!;
      if (source.type === 'atomic' || !isInside(to, t.source) || to === t.source) {
        edges.push({ id: key, transition: t, from: t.source, to });
        continue;
      }
      for (const child of graph.states.filter((s) => s.parent === t.source)) {
        if (child.transient || handles.has(`${child.id}|${t.eventType}`)) continue;
        if (isInside(to, child.id) && to !== child.id) continue;
        edges.push({ id: `${key}@${child.id}`, transition: t, from: child.id, to });
      }
    }
  }
  return edges;
}
