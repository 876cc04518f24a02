/**
 * docs/errors.md and ERROR_CODES describe the same codes with the same message and retryable flag
 * (architecture §7: one table, documented, each code with `retryable`).
 */
import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { ERROR_CODES, TapTalkError } from '../../src/errors.js';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const DOC = 'docs/errors.md';

interface DocRow {
  code: string;
  message: string;
  retryable: string;
  line: number;
}

/** Cells of a Markdown table row (`| a | b |`), trimmed; no escaped pipes in this table. */
function cells(line: string): string[] {
  return line.trim().replace(/^\|/, '').replace(/\|$/, '').split('|').map((c) => c.trim());
}

/** Rows of every code table in the doc: rows whose first cell is a backticked five-digit code. */
function docRows(): DocRow[] {
  const rows: DocRow[] = [];
  readFileSync(resolve(ROOT, DOC), 'utf8')
    .split(/\r?\n/)
    .forEach((text, index) => {
      if (!text.trimStart().startsWith('|')) return;
      const [first = '', message = '', retryable = ''] = cells(text);
      const code = /^`(\d{5})`$/.exec(first)?.[1];
      if (code !== undefined) rows.push({ code, message, retryable, line: index + 1 });
    });
  return rows;
}

/** The keys as written in the source: a duplicate key would silently collapse in the object. */
function sourceKeys(): string[] {
  const source = readFileSync(resolve(ROOT, 'src/errors.ts'), 'utf8');
  const table = /export const ERROR_CODES = \{([\s\S]*?)\n\}/.exec(source)?.[1] ?? '';
  return [...table.matchAll(/^\s*'(\d+)':/gm)].map((m) => m[1] ?? '');
}

const codes = Object.keys(ERROR_CODES) as (keyof typeof ERROR_CODES)[];
const rows = docRows();

describe('ERROR_CODES', () => {
  it('has each code once, as written in the source', () => {
    const keys = sourceKeys();
    expect(keys.length).toBeGreaterThan(0);
    expect(keys.filter((k, i) => keys.indexOf(k) !== i)).toEqual([]);
    expect([...keys].sort()).toEqual([...codes].sort());
  });

  it('uses five-digit codes, with a non-empty message and a boolean retryable', () => {
    for (const code of codes) {
      expect(code, code).toMatch(/^\d{5}$/);
      expect(ERROR_CODES[code].message.trim(), code).not.toBe('');
      expect(typeof ERROR_CODES[code].retryable, code).toBe('boolean');
    }
  });

  it('gives a TapTalkError the table message and retryable flag by default, isAuthError for 401xx only', () => {
    for (const code of codes) {
      const error = new TapTalkError(code);
      expect(error.message, code).toBe(ERROR_CODES[code].message);
      expect(error.retryable, code).toBe(ERROR_CODES[code].retryable);
      expect(error.isAuthError, code).toBe(code.startsWith('401'));
    }
  });
});

describe(DOC, () => {
  it('documents every code of ERROR_CODES exactly once', () => {
    const documented = rows.map((r) => r.code);
    expect(documented.filter((c, i) => documented.indexOf(c) !== i), 'codes with two rows').toEqual([]);
    expect(codes.filter((c) => !documented.includes(c)), 'codes without a row').toEqual([]);
  });

  it('documents no code that ERROR_CODES lacks', () => {
    const unknown = rows.filter((r) => !(r.code in ERROR_CODES)).map((r) => `${DOC}:${r.line} ${r.code}`);
    expect(unknown).toEqual([]);
  });

  it("states each code's message and retryable flag as the table does", () => {
    const mismatches = rows.flatMap((r) => {
      const info = ERROR_CODES[r.code as keyof typeof ERROR_CODES];
      if (info === undefined) return [];
      const problems: string[] = [];
      if (r.retryable !== 'yes' && r.retryable !== 'no') problems.push(`retryable must be yes or no, not "${r.retryable}"`);
      else if ((r.retryable === 'yes') !== info.retryable) problems.push(`retryable says ${r.retryable}, table says ${info.retryable}`);
      if (r.message !== info.message) problems.push(`message "${r.message}" differs from "${info.message}"`);
      return problems.map((p) => `${DOC}:${r.line} ${r.code}: ${p}`);
    });
    expect(mismatches).toEqual([]);
  });
});
