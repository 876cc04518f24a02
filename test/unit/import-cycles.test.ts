/**
 * No folder of src/ imports another that imports it back: the layout is a one-way map
 * (docs/architecture.md). Each folder of src/ is one node; each file at src/'s top level is its own.
 */
import { dirname, join, normalize } from 'node:path';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';
import { readSource, tsFiles } from '../support/source-files.js';

/** The node of a root-relative path under src/: its folder, or the file itself at the top level. */
const nodeOf = (file: string) => file.split('/')[1]!.replace(/\.ts$/, '');

/** Module specifiers of every import and re-export in `text`. */
function specifiers(file: string, text: string): string[] {
  const { importedFiles } = ts.preProcessFile(text, true, true);
  return importedFiles.map((f) => f.fileName);
}

/** Edges between the nodes of src/ (`from → to`, `from` ≠ `to`). */
export function folderGraph(files: string[], read: (file: string) => string): Map<string, Set<string>> {
  const graph = new Map<string, Set<string>>();
  for (const file of files) {
    const from = nodeOf(file);
    for (const spec of specifiers(file, read(file))) {
      const target = spec === '#platform' ? 'src/platform/node.ts' : spec.startsWith('.') ? normalize(join(dirname(file), spec)).split('\\').join('/') : null;
      if (!target?.startsWith('src/')) continue;
      const to = nodeOf(target.replace(/\.js$/, '.ts'));
      if (to !== from) graph.set(from, (graph.get(from) ?? new Set()).add(to));
    }
  }
  return graph;
}

/** Every cycle between nodes, as `a → b → a`, found by a depth-first walk. */
export function cycles(graph: Map<string, Set<string>>): string[] {
  const found = new Set<string>();
  const walk = (node: string, path: string[]) => {
    for (const next of graph.get(node) ?? []) {
      const at = path.indexOf(next);
      if (at >= 0) {
        const loop = path.slice(at);
        const first = loop.indexOf([...loop].sort()[0]!);
        found.add([...loop.slice(first), ...loop.slice(0, first), loop[first]!].join(' → '));
      } else walk(next, [...path, next]);
    }
  };
  for (const node of graph.keys()) walk(node, [node]);
  return [...found].sort();
}

describe('folders of src/', () => {
  const files = tsFiles('src');
  const graph = folderGraph(files, readSource);

  it('import one another one way only (no cycle between folders)', () => {
    expect(graph.get('session')).toContain('actors');
    expect(graph.get('actors')).toContain('platform');
    expect(cycles(graph)).toEqual([]);
  });

  it('finds the cycle when platform/ imports session/ (the check can fail)', () => {
    const mutated = (file: string) =>
      file === 'src/platform/node.ts' ? `${readSource(file)}\nimport { createSession } from '../session/create-session.js';\n` : readSource(file);
    expect(cycles(folderGraph(files, mutated))).toContain('actors → platform → session → actors');
  });
});
