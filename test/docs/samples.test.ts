/**
 * Every ```ts / ```typescript / ```tsx block of README.md and docs/**\/*.md compiles against the
 * source, as a module importing `taptalk-session` or one of its subpaths (`/emulator`, `/machines`,
 * `/testing`, `/react`, `/react-native`).
 * A block whose first line is `// @noCheck` is skipped (and counted). All samples go through one
 * TypeScript program, so the cost is one type-check however many samples there are.
 *
 * A block after the note `<!-- run, prints: a | b -->` is also run exactly as written, by tsx in
 * a child process of its own (issue 10 §3, §4): it must exit on its own with code 0 within a
 * bound, print those lines and nothing on stderr. The child is killed when the bound passes.
 */
import { spawn } from 'node:child_process';
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

/** Where runnable samples are written; its tsconfig maps the package names to the Node entries. */
const RUN_OUT = join(ROOT, '.tmp', 'doc-samples-run');
const TSX = join(ROOT, 'node_modules', 'tsx', 'dist', 'cli.mjs');
/** A sample that has not exited by then is killed and fails. */
const RUN_BOUND_MS = 60_000;

/** Runs one sample file with tsx; resolves to its exit code and output, killing it at the bound. */
function runSample(file: string, tsconfig: string): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolvePromise) => {
    // Its own process group: tsx runs the sample in a child process, which must die with it.
    const child = spawn(process.execPath, [TSX, '--tsconfig', tsconfig, file], { cwd: RUN_OUT, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const timer = setTimeout(() => {
      stderr += `\n[killed: still running after ${RUN_BOUND_MS} ms]`;
      try {
        if (child.pid !== undefined) process.kill(-child.pid, 'SIGKILL');
      } catch {
        // Already gone.
      }
    }, RUN_BOUND_MS);
    child.on('exit', (code) => {
      clearTimeout(timer);
      resolvePromise({ code, stdout, stderr });
    });
  });
}

/** The runnable samples of every doc. */
function runnableSamples(): Sample[] {
  return docFiles().flatMap((doc) => extractTsBlocks(readFileSync(join(ROOT, doc), 'utf8')).flatMap((block) => (block.run ? [{ ...block, doc }] : [])));
}

describe('runnable docs samples', () => {
  const samples = runnableSamples();
  it('are marked in the README and the testing guide', () => {
    expect(samples.map((s) => s.doc)).toEqual(expect.arrayContaining(['README.md', 'docs/testing-your-app.md']));
  });
  rmSync(RUN_OUT, { recursive: true, force: true });
  mkdirSync(RUN_OUT, { recursive: true });
  const fromOut = (path: string) => relative(RUN_OUT, path).split('\\').join('/');
  const tsconfig = join(RUN_OUT, 'tsconfig.json');
  const paths = Object.fromEntries(Object.entries(pathMappings()).map(([name, [target]]) => [name, [fromOut(resolve(OUT, target!))]]));
  // An app on Node gets the Node entry of the package.
  paths['taptalk-session'] = [fromOut(join(ROOT, 'src', 'node.ts'))];
  writeFileSync(tsconfig, JSON.stringify({ extends: fromOut(join(ROOT, 'tsconfig.json')), compilerOptions: { paths } }, null, 2));
  samples.forEach((sample, n) => {
    it(`${sample.doc}:${sample.line} runs as written, prints what the doc says and exits`, { timeout: RUN_BOUND_MS + 15_000 }, async () => {
      const file = join(RUN_OUT, `sample-${n + 1}.ts`);
      writeFileSync(file, `${sample.code}\n`);
      const result = await runSample(file, tsconfig);
      expect(result.stderr).toBe('');
      expect(result.stdout.trimEnd().split('\n')).toEqual(sample.run!.prints);
      expect(result.code).toBe(0);
    });
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
