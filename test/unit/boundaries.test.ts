/** Architectural rules that a refactor could silently break. */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { describe, expect, it } from 'vitest';
import { SDK_VERSION } from '../../src/version.js';

const root = join(import.meta.dirname, '..', '..');

function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? sources(path) : name.endsWith('.ts') ? [path] : [];
  });
}

/** Every module specifier a source text imports or re-exports (static, dynamic, side-effect). */
function importsOf(text: string): string[] {
  return [...text.matchAll(/(?:import|export)[^'"]*?from\s*['"]([^'"]+)['"]|import\s*\(\s*['"]([^'"]+)['"]\s*\)|import\s+['"]([^'"]+)['"]/g)].map((m) => m[1] ?? m[2] ?? m[3]!);
}

const machinesDir = join(root, 'machines');

/**
 * What a file of machines/ may not import: anything but `xstate` and a relative path that stays
 * inside machines/ once resolved against the importing file.
 */
function outsideMachines(file: string, text: string): string[] {
  return importsOf(text)
    .filter((spec) => spec !== 'xstate' && !(spec.startsWith('.') && `${resolve(dirname(file), spec)}${sep}`.startsWith(`${machinesDir}${sep}`)))
    .map((spec) => `${relative(root, file)} imports ${spec}`);
}

/** Whether a source text uses an I/O, timer or clock global outside comment lines. */
function touchesIo(text: string): boolean {
  const globals = /\b(fetch|WebSocket|setTimeout|setInterval|Date\.now|localStorage|performance\.now|Math\.random)\b/;
  return text.split('\n').some((line) => !/^\s*(\*|\/\/|\/\*)/.test(line) && globals.test(line));
}

describe('boundaries', () => {
  it('machines/ imports nothing but xstate and its own files', () => {
    const offenders = sources(machinesDir).flatMap((file) => outsideMachines(file, readFileSync(file, 'utf8')));
    expect(offenders).toEqual([]);
  });

  it('the machines/ check catches an import from src/, a package, or a path that leaves machines/ (mutations)', () => {
    const index = join(machinesDir, 'index.ts');
    const text = readFileSync(index, 'utf8');
    const mutations = [
      "export { TapTalkError } from '../src/errors.js';",
      "import { TapTalkError } from '../src/errors.js';",
      "import { map } from 'rxjs';",
      "import 'node:fs';",
      "const m = await import('../src/index.js');",
      "export * from './../test/support/seeded.js';",
    ];
    for (const line of mutations) expect(outsideMachines(index, `${text}\n${line}\n`), line).toHaveLength(1);
    expect(outsideMachines(index, `${text}\nimport { setup } from 'xstate';\nexport * from './session.machine.js';\n`)).toEqual([]);
  });

  it('machines/ touches no I/O, timer or clock global', () => {
    const offenders = sources(machinesDir).filter((file) => touchesIo(readFileSync(file, 'utf8')));
    expect(offenders.map((f) => relative(root, f))).toEqual([]);
  });

  it('the I/O check catches a global used in code, not in a comment (mutations)', () => {
    for (const line of ['const now = Date.now();', 'await fetch(url);', 'setTimeout(done, 5);', 'const r = Math.random();']) expect(touchesIo(line), line).toBe(true);
    expect(touchesIo(' * uses fetch in actors, never here\n// setTimeout lives in src/')).toBe(false);
  });

  it('SDK_VERSION matches package.json', () => {
    expect(SDK_VERSION).toBe(JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')).version);
  });
});
