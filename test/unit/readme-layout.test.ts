/**
 * The README's layout section is true to the code: every folder and file it names exists, and it
 * names every folder and every file at the top level of src/.
 */
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readSource, ROOT } from '../support/source-files.js';

/** The names in the layout block's first column, as paths from the root (`src/session/`, `src/index.ts`). */
function layoutNames(readme: string): string[] {
  const start = readme.indexOf('```', readme.indexOf('## Layout'));
  const block = readme.slice(start + 3, readme.indexOf('```', start + 3));
  return block.split('\n').flatMap((line) => {
    const inSrc = line.startsWith('  ');
    // The names come first; two or more spaces start the description.
    const names = line.trim().split(/\s{2,}/).filter((part) => /^[\w.-]+(\/|\.ts)/.test(part));
    const column = inSrc ? names.slice(0, 1) : names;
    return column.flatMap((part) => part.split(/,\s*|\s+/)).filter((n) => /^[\w-]+(\/|\.ts)$/.test(n)).map((n) => (inSrc ? `src/${n}` : n));
  });
}

/** What src/ holds at its top level: folders with `/`, and its `.ts` files. */
function srcTopLevel(): string[] {
  return readdirSync(join(ROOT, 'src'), { withFileTypes: true })
    .filter((e) => e.isDirectory() || e.name.endsWith('.ts'))
    .map((e) => `src/${e.name}${e.isDirectory() ? '/' : ''}`);
}

/** What the layout gets wrong: names that do not exist, and top-level entries of src/ it leaves out. */
function layoutErrors(readme: string): string[] {
  const names = layoutNames(readme);
  const missing = names.filter((n) => !existsSync(join(ROOT, n))).map((n) => `names ${n}, which does not exist`);
  const unnamed = srcTopLevel().filter((n) => !names.includes(n)).map((n) => `leaves out ${n}`);
  return [...missing, ...unnamed];
}

describe('README layout', () => {
  const readme = readSource('README.md');

  it('names what exists, and every folder and file at the top of src/', () => {
    expect(layoutNames(readme)).toContain('src/session/');
    expect(layoutErrors(readme)).toEqual([]);
  });

  it('catches a folder left out and a file that is gone (the check can fail)', () => {
    const mutated = readme.replace(/\n {2}react\/ .*\n/, '\n').replace('  events.ts ', '  signals.ts ');
    expect(layoutErrors(mutated)).toEqual(['names src/signals.ts, which does not exist', 'leaves out src/events.ts', 'leaves out src/react/']);
  });
});
