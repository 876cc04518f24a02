/**
 * docs/architecture.md is true to the code: every file it names exists, and the imports between
 * the units of src/ are those its table allows.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { folderGraph, nodeOf } from '../support/folder-graph.js';
import { readSource, ROOT, tsFiles } from '../support/source-files.js';

const doc = readSource('docs/architecture.md');


/** The table of units: what each may import, by unit name. */
function allowedImports(text: string): Map<string, Set<string> | 'all'> {
  const section = text.slice(text.indexOf('## Folders'), text.indexOf('## The one-way flow'));
  const rows = section.split('\n').filter((line) => line.startsWith('| `src/'));
  const allowed = new Map<string, Set<string> | 'all'>();
  for (const row of rows) {
    const cells = row.split('|').map((c) => c.trim());
    const units = [...cells[1]!.matchAll(/`(src\/[^`]+)`/g)].map((m) => nodeOf(m[1]!));
    const may = cells[3]!;
    const set = may === 'everything below' ? 'all' : new Set(may.startsWith('(') || may.startsWith('nothing') ? [] : may.split(',').map((w) => w.trim()));
    for (const unit of units) allowed.set(unit, set);
  }
  return allowed;
}

/** Imports the table does not allow, as `from → to`. */
function violations(graph: Map<string, Set<string>>, allowed: Map<string, Set<string> | 'all'>): string[] {
  const found: string[] = [];
  for (const [from, tos] of graph) {
    const may = allowed.get(from);
    for (const to of tos) if (may !== 'all' && !may?.has(to)) found.push(`${from} → ${to}`);
  }
  return found.sort();
}

describe('docs/architecture.md', () => {
  const graph = folderGraph(tsFiles('src'), readSource);
  const allowed = allowedImports(doc);

  it('names only files and folders that exist', () => {
    const named = [...doc.matchAll(/`((?:src|machines|test|docs|scripts)\/[\w./-]*)`/g)].map((m) => m[1]!);
    expect(named.length).toBeGreaterThan(20);
    expect(named.filter((path) => !existsSync(join(ROOT, path)))).toEqual([]);
  });

  it('lists every unit of src/, and the imports between them are the ones it allows', () => {
    const units = new Set(tsFiles('src').map(nodeOf));
    expect([...units].filter((u) => !allowed.has(u))).toEqual([]);
    expect(violations(graph, allowed)).toEqual([]);
  });

  it('catches an import the table does not allow (the check can fail)', () => {
    const mutated = new Map(graph);
    mutated.set('protocol', new Set([...(graph.get('protocol') ?? []), 'session']));
    expect(violations(mutated, allowed)).toEqual(['protocol → session']);
  });
});
