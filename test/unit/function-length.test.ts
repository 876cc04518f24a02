/**
 * No function in the library (src/ without the emulator and the playground, and machines/) is
 * longer than 120 lines: a longer one is doing several things, and the session once grew into one.
 */
import ts from 'typescript';
import { describe, expect, it } from 'vitest';
import { libraryFiles, readSource } from '../support/source-files.js';

const MAX_LINES = 120;

/** Every function in `text` longer than `max` lines, as `file:line name (N lines)`. */
function longFunctions(file: string, text: string, max = MAX_LINES): string[] {
  const source = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, true);
  const found: string[] = [];
  const visit = (node: ts.Node) => {
    if (ts.isFunctionLike(node) && 'body' in node && node.body) {
      const start = source.getLineAndCharacterOfPosition(node.getStart(source)).line;
      const end = source.getLineAndCharacterOfPosition(node.getEnd()).line;
      const lines = end - start + 1;
      const name = node.name && ts.isIdentifier(node.name) ? node.name.text : '(anonymous)';
      if (lines > max) found.push(`${file}:${start + 1} ${name} (${lines} lines)`);
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return found;
}

describe('function length', () => {
  it(`no library function is longer than ${MAX_LINES} lines`, () => {
    const files = libraryFiles();
    expect(files).toContain('src/session/create-session.ts');
    expect(files.flatMap((file) => longFunctions(file, readSource(file)))).toEqual([]);
  });

  it('fails for a function one line too long, nested or not (the check can fail)', () => {
    const body = (n: number) => Array.from({ length: n - 2 }, (_, i) => `  const v${i} = ${i};`).join('\n');
    const exact = `export function ok() {\n${body(MAX_LINES)}\n}\n`;
    const long = `export function outer() {\n${body(MAX_LINES + 1)}\n}\n`;
    const nested = `export const wrap = {\n  method: () => {\n${body(MAX_LINES + 1)}\n  },\n};\n`;
    expect(longFunctions('ok.ts', exact)).toEqual([]);
    expect(longFunctions('long.ts', long)).toEqual([`long.ts:1 outer (${MAX_LINES + 1} lines)`]);
    expect(longFunctions('nested.ts', nested)).toEqual([`nested.ts:2 (anonymous) (${MAX_LINES + 1} lines)`]);
  });
});
