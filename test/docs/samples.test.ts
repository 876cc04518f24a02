/**
 * Every ```ts / ```typescript / ```tsx block of README.md and docs/**\/*.md compiles against the
 * source, as a module importing `taptalk-session` or one of its subpaths (`/emulator`, `/machines`,
 * `/testing`, `/react`, `/react-native`).
 * A block whose first line is `// @noCheck` is skipped (and counted). All samples go through one
 * TypeScript program, so the cost is one type-check however many samples there are.
 */
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';
import { extractTsBlocks, type CodeBlock } from './code-blocks.js';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
/** Inside the repo so the samples resolve `xstate`, `ws`, `@types/node` from its node_modules. */
const OUT = join(ROOT, '.tmp', 'doc-samples');
const PUBLIC_ENTRY = join(ROOT, 'src', 'index.ts');

/** README.md (when present) and every Markdown file under docs/, in a stable order. */
function docFiles(): string[] {
  const files = existsSync(join(ROOT, 'README.md')) ? ['README.md'] : [];
  const docs = join(ROOT, 'docs');
  if (existsSync(docs)) {
    const found = readdirSync(docs, { recursive: true, encoding: 'utf8' }).filter((f) => f.endsWith('.md'));
    files.push(...found.map((f) => join('docs', f).split('\\').join('/')).sort());
  }
  return files;
}

interface Sample extends CodeBlock {
  /** The Markdown file, relative to the repo root. */
  doc: string;
}

/**
 * The import specifiers an app would write, mapped to the source they will be built from. Until
 * src/index.ts exists, `taptalk-session` points at a file named to say so, and resolution fails.
 */
function pathMappings(): Record<string, string[]> {
  const fromOut = (path: string) => relative(OUT, path).split('\\').join('/');
  const main = existsSync(PUBLIC_ENTRY) ? fromOut(PUBLIC_ENTRY) : './src-index-ts-does-not-exist-yet.ts';
  return {
    'taptalk-session': [main],
    'taptalk-session/emulator': [fromOut(join(ROOT, 'src', 'emulator', 'index.ts'))],
    'taptalk-session/machines': [fromOut(join(ROOT, 'machines', 'index.ts'))],
    'taptalk-session/testing': [fromOut(join(ROOT, 'src', 'testing', 'index.ts'))],
    'taptalk-session/react': [fromOut(join(ROOT, 'src', 'react', 'index.ts'))],
    'taptalk-session/react-native': [fromOut(join(ROOT, 'src', 'react-native', 'index.ts'))],
  };
}

/** Writes the samples and a tsconfig extending the repo's; returns the config path and file→sample map. */
function writeSamples(samples: Sample[]): { config: string; byFile: Map<string, Sample> } {
  rmSync(OUT, { recursive: true, force: true });
  mkdirSync(OUT, { recursive: true });
  const byFile = new Map<string, Sample>();
  const counters = new Map<string, number>();
  for (const sample of samples) {
    const stem = sample.doc.replace(/\.md$/, '').replace(/[^A-Za-z0-9]+/g, '-');
    const n = (counters.get(stem) ?? 0) + 1;
    counters.set(stem, n);
    const file = join(OUT, `${stem}-${n}.${sample.jsx ? 'tsx' : 'ts'}`);
    writeFileSync(file, `${sample.code}\n`);
    byFile.set(file, sample);
  }
  const config = join(OUT, 'tsconfig.json');
  const tsconfig = {
    extends: relative(OUT, join(ROOT, 'tsconfig.json')).split('\\').join('/'),
    compilerOptions: {
      noEmit: true,
      module: 'esnext',
      target: 'es2022',
      // Every sample is a module, imports or not: top-level await works and names never collide.
      moduleDetection: 'force',
      jsx: 'react-jsx',
      paths: pathMappings(),
    },
    files: [...byFile.keys()].map((f) => relative(OUT, f)),
    include: [],
  };
  writeFileSync(config, `${JSON.stringify(tsconfig, null, 2)}\n`);
  return { config, byFile };
}

/** Type-checks the samples in one program; returns `doc:line:col TSxxxx message` lines. */
function typeCheck(config: string, byFile: Map<string, Sample>): string[] {
  const host: ts.ParseConfigFileHost = {
    ...ts.sys,
    onUnRecoverableConfigFileDiagnostic: (d) => {
      throw new Error(ts.flattenDiagnosticMessageText(d.messageText, '\n'));
    },
  };
  const parsed = ts.getParsedCommandLineOfConfigFile(config, {}, host);
  if (parsed === undefined) throw new Error(`could not read ${config}`);
  const program = ts.createProgram({ rootNames: parsed.fileNames, options: parsed.options });
  const diagnostics: ts.Diagnostic[] = [...parsed.errors, ...program.getOptionsDiagnostics(), ...program.getGlobalDiagnostics()];
  // Only the samples' own diagnostics: the sources they import are checked by `tsc --noEmit -p .`.
  for (const file of byFile.keys()) {
    const source = program.getSourceFile(file);
    if (source === undefined) throw new Error(`sample ${file} is not in the program`);
    diagnostics.push(...program.getSyntacticDiagnostics(source), ...program.getSemanticDiagnostics(source));
  }
  return diagnostics.map((d) => {
    const text = `TS${d.code} ${ts.flattenDiagnosticMessageText(d.messageText, '\n  ')}`;
    if (d.file === undefined || d.start === undefined) return text;
    const { line, character } = d.file.getLineAndCharacterOfPosition(d.start);
    const sample = byFile.get(resolve(d.file.fileName));
    if (sample === undefined) return `${relative(ROOT, d.file.fileName)}:${line + 1}:${character + 1} ${text}`;
    return `${sample.doc}:${sample.line + line}:${character + 1} ${text}`;
  });
}

describe('extractTsBlocks', () => {
  it('finds ts and typescript blocks with the doc line of their first code line', () => {
    const md = ['# T', '```ts', 'const a = 1;', '```', '', '```typescript title="x"', 'const b = 2;', '```'].join('\n');
    expect(extractTsBlocks(md)).toEqual([
      { line: 3, code: 'const a = 1;', noCheck: false },
      { line: 7, code: 'const b = 2;', noCheck: false },
    ]);
  });

  it('skips other languages whole, including a ts fence shown inside them', () => {
    const md = ['````md', '```ts', 'not a sample', '```', '````', '```sh', 'npm test', '```', '```ts', 'real();', '```'].join('\n');
    expect(extractTsBlocks(md)).toEqual([{ line: 10, code: 'real();', noCheck: false }]);
  });

  it('removes the indentation of a fence inside a list item and flags // @noCheck', () => {
    const md = ['1. step', '   ```ts', '   // @noCheck', '     indented();', '   ```'].join('\n');
    expect(extractTsBlocks(md)).toEqual([{ line: 3, code: '// @noCheck\n  indented();', noCheck: true }]);
  });

  it('marks tsx blocks, which are compiled as .tsx modules', () => {
    expect(extractTsBlocks('```tsx\nconst a = <p />;\n```\n')).toEqual([{ line: 2, code: 'const a = <p />;', noCheck: false, jsx: true }]);
  });

  it('runs an unclosed fence to the end of the file', () => {
    expect(extractTsBlocks('```ts\nopen();\n')).toEqual([{ line: 2, code: 'open();\n', noCheck: false }]);
  });
});

describe('docs code samples', () => {
  it('type-check against the source as modules', { timeout: 120_000 }, () => {
    const samples: Sample[] = [];
    let skipped = 0;
    for (const doc of docFiles()) {
      for (const block of extractTsBlocks(readFileSync(join(ROOT, doc), 'utf8'))) {
        if (block.noCheck) skipped++;
        else samples.push({ ...block, doc });
      }
    }
    console.info(`doc samples: ${samples.length} type-checked, ${skipped} skipped (${'// @noCheck'})`);
    expect(samples.length + skipped, 'no ts blocks found: is the extractor broken?').toBeGreaterThan(0);
    const { config, byFile } = writeSamples(samples);
    const problems = typeCheck(config, byFile);
    if (problems.length > 0) {
      const hint = existsSync(PUBLIC_ENTRY)
        ? ''
        : "\n(src/index.ts does not exist yet, so samples importing 'taptalk-session' cannot resolve.)";
      expect.fail(`${problems.length} problem(s) in doc samples:\n${problems.join('\n')}${hint}`);
    }
  });
});
