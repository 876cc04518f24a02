/** The library's source files, for the tests that check the shape of the code. */
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The repository root. */
export const ROOT = fileURLToPath(new URL('../..', import.meta.url));

/** Every `.ts` file under `dir` (relative to the root), as root-relative paths with `/`. */
export function tsFiles(dir: string): string[] {
  const walk = (abs: string): string[] =>
    readdirSync(abs, { withFileTypes: true }).flatMap((entry) => {
      const path = join(abs, entry.name);
      if (entry.isDirectory()) return walk(path);
      return entry.name.endsWith('.ts') ? [relative(ROOT, path).split('\\').join('/')] : [];
    });
  return walk(join(ROOT, dir));
}

/** The library: src/ without the emulator and the playground, and machines/. */
export function libraryFiles(): string[] {
  return [...tsFiles('src'), ...tsFiles('machines')].filter((f) => !f.startsWith('src/emulator/') && !f.startsWith('src/playground/'));
}

export const readSource = (file: string): string => readFileSync(join(ROOT, file), 'utf8');
