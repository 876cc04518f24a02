/**
 * No folder of src/ imports another that imports it back: the layout is a one-way map
 * (docs/architecture.md). Each folder of src/ is one node; each file at src/'s top level is its own.
 */
import { describe, expect, it } from 'vitest';
import { cycles, folderGraph } from '../support/folder-graph.js';
import { readSource, tsFiles } from '../support/source-files.js';

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
