/**
 * The import graph between the units of src/: each folder of src/ is one unit, each file at src/'s
 * top level is its own. Read with the TypeScript compiler's import scanner.
 */
import { dirname, join, normalize } from 'node:path';
import ts from 'typescript';

/** The node of a root-relative path under src/: its folder, or the file itself at the top level. */
export const nodeOf = (file: string) => file.split('/')[1]!.replace(/\.ts$/, '');

/** Module specifiers of every import and re-export in `text`. */
function specifiers(text: string): string[] {
  const { importedFiles } = ts.preProcessFile(text, true, true);
  return importedFiles.map((f) => f.fileName);
}

/** Edges between the nodes of src/ (`from → to`, `from` ≠ `to`). */
export function folderGraph(files: string[], read: (file: string) => string): Map<string, Set<string>> {
  const graph = new Map<string, Set<string>>();
  for (const file of files) {
    const from = nodeOf(file);
    for (const spec of specifiers(read(file))) {
      const target = spec === '#platform' ? 'src/platform/node.ts' : spec === '#url-parts' ? 'src/protocol/url-parts.ts' : spec.startsWith('.') ? normalize(join(dirname(file), spec)).split('\\').join('/') : null;
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

