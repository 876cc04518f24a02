/** Architectural rules that a refactor could silently break. */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { SDK_VERSION } from '../../src/version.js';

const root = join(import.meta.dirname, '..', '..');

function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? sources(path) : name.endsWith('.ts') ? [path] : [];
  });
}

function imports(file: string): string[] {
  const text = readFileSync(file, 'utf8');
  return [...text.matchAll(/(?:import|export)[^'"]*?from\s*['"]([^'"]+)['"]|import\(\s*['"]([^'"]+)['"]\s*\)/g)].map((m) => m[1] ?? m[2]!);
}

describe('boundaries', () => {
  it('machines/ imports nothing but xstate and its own files', () => {
    const offenders = sources(join(root, 'machines')).flatMap((file) =>
      imports(file)
        .filter((spec) => spec !== 'xstate' && !(spec.startsWith('./') || (spec.startsWith('../') && !spec.startsWith('../../'))))
        .map((spec) => `${relative(root, file)} imports ${spec}`),
    );
    expect(offenders).toEqual([]);
  });

  it('machines/ touches no I/O, timer or clock global', () => {
    const globals = /\b(fetch|WebSocket|setTimeout|setInterval|Date\.now|localStorage|performance\.now|Math\.random)\b/;
    const offenders = sources(join(root, 'machines')).filter((file) =>
      readFileSync(file, 'utf8')
        .split('\n')
        .some((line) => !/^\s*(\*|\/\/|\/\*)/.test(line) && globals.test(line)),
    );
    expect(offenders.map((f) => relative(root, f))).toEqual([]);
  });

  it('SDK_VERSION matches package.json', () => {
    expect(SDK_VERSION).toBe(JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')).version);
  });
});
