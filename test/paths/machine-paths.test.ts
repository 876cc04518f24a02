/**
 * Path coverage of the session machine. A breadth-first search generates paths (sequences of
 * commands: app calls, actor answers, socket and environment events, time passing) and replays
 * each from scratch against the real actor, with the harness's fake actors and xstate's
 * SimulatedClock. It stops when no new abstract state appears. Every state node of the
 * definition (atomic, compound, parallel and its regions) and every transition (each entry of
 * every `on`, `after`, `always`, `onDone`, `onError`) must have been reached; the test prints the
 * figures and fails below 100 %.
 *
 * `xstate/graph`'s `createTestModel` refuses machines with `invoke` and `after`, and its pure
 * traversal cannot see time-guarded branches (TTL, late timers); driving the real actor can. The
 * denominators are checked against `xstate/graph` instead: its `getStateNodes` for the states,
 * its `toDirectedGraph` edges (which leave out `always`) for the transitions.
 */
import { getStateNodes, toDirectedGraph, type DirectedGraphNode } from 'xstate/graph';
import { expect, test } from 'vitest';
import { sessionMachine } from '../../machines/index.js';
import { machineGraph } from '../../scripts/machine-graph.js';
import { abstractKey, enabledCommands, replay, ROOTS, type Command, type Coverage } from './path-model.js';

/**
 * Transitions no path may reach, each with the reason it exists anyway. Empty today: every edge
 * of the machine is reachable. A transition listed here that a path does reach fails the test,
 * so the list cannot go stale.
 */
const UNREACHABLE_BY_DESIGN: Record<string, string> = {};

/** Every transition `toDirectedGraph` knows, as `<source id>|<event type>|<index>` keys. */
function directedGraphKeys(node: DirectedGraphNode): string[] {
  const own = node.edges.map((e) => {
    const list = e.source.transitions.get(e.transition.eventType) ?? [];
    return `${e.source.id}|${e.transition.eventType}|${list.indexOf(e.transition)}`;
  });
  return [...new Set(own), ...node.children.flatMap(directedGraphKeys)];
}

const MAX_DEPTH = 40;
const MAX_NODES = 20_000;

interface Node {
  root: string;
  path: Command[];
  /** What can be done at the end of `path` (commands address calls by index, so they replay). */
  next: Command[];
}

/**
 * Breadth-first over abstract states, each path replayed from scratch. Stops as soon as `done`
 * says everything is covered (or when nothing new can be found, and the assertions report what
 * is missing).
 */
async function explore(coverage: Coverage, done: () => boolean) {
  const seen = new Set<string>();
  const queue: Node[] = [];
  let replays = 0;
  let longest = 0;
  // Roots share one set: a state reached from any storage is explored once.
  for (const root of Object.keys(ROOTS)) {
    const h = await replay(root, [], coverage);
    replays++;
    if (seen.has(abstractKey(h))) continue;
    seen.add(abstractKey(h));
    queue.push({ root, path: [], next: enabledCommands(h) });
  }
  while (queue.length > 0 && !done()) {
    const node = queue.shift()!;
    if (node.path.length >= MAX_DEPTH) continue;
    for (const command of node.next) {
      const path = [...node.path, command];
      const h = await replay(node.root, path, coverage);
      replays++;
      if (done()) break;
      const key = abstractKey(h);
      if (seen.has(key)) continue;
      seen.add(key);
      longest = Math.max(longest, path.length);
      queue.push({ root: node.root, path, next: enabledCommands(h) });
      if (seen.size > MAX_NODES) throw new Error(`more than ${MAX_NODES} abstract states: the key is too fine`);
    }
  }
  return { states: seen.size, replays, longest };
}

test('generated paths reach every state node and every transition of the session machine', async () => {
  const graph = machineGraph(sessionMachine);
  const allStates = getStateNodes(sessionMachine.root).map((n) => n.id);
  allStates.unshift(sessionMachine.root.id);
  const allTransitions = graph.transitions.map((t) => t.key);
  expect(new Set(allStates)).toEqual(new Set(graph.states.map((s) => s.id)));
  expect(new Set(directedGraphKeys(toDirectedGraph(sessionMachine)))).toEqual(
    new Set(graph.transitions.filter((t) => t.kind !== 'always').map((t) => t.key)),
  );

  const coverage: Coverage = { states: new Set(), transitions: new Set() };
  const expected = allTransitions.filter((k) => !(k in UNREACHABLE_BY_DESIGN));
  const run = await explore(
    coverage,
    () => allStates.every((id) => coverage.states.has(id)) && expected.every((k) => coverage.transitions.has(k)),
  );

  const statesHit = allStates.filter((id) => coverage.states.has(id));
  const transitionsHit = expected.filter((k) => coverage.transitions.has(k));
  console.log(
    [
      `machine paths: ${run.states} abstract states, ${run.replays} paths replayed (longest ${run.longest} steps)`,
      `  states      ${statesHit.length}/${allStates.length} (${((100 * statesHit.length) / allStates.length).toFixed(1)} %)`,
      `  transitions ${transitionsHit.length}/${expected.length} (${((100 * transitionsHit.length) / expected.length).toFixed(1)} %)` +
        ` + ${Object.keys(UNREACHABLE_BY_DESIGN).length} unreachable by design`,
    ].join('\n'),
  );

  expect(allStates.filter((id) => !coverage.states.has(id)), 'state nodes never entered').toEqual([]);
  expect(expected.filter((k) => !coverage.transitions.has(k)), 'transitions never taken').toEqual([]);
  expect(Object.keys(UNREACHABLE_BY_DESIGN).filter((k) => coverage.transitions.has(k)), 'listed as unreachable, yet taken').toEqual([]);
  expect(Object.keys(UNREACHABLE_BY_DESIGN).filter((k) => !allTransitions.includes(k)), 'listed as unreachable, not in the machine').toEqual([]);
}, 600_000);
