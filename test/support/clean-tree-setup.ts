/** Vitest global setup: fails the run if it dirtied the git tree (see clean-tree.ts). */
import { join } from 'node:path';
import { newlyDirty, porcelain } from './clean-tree.js';

const root = join(import.meta.dirname, '..', '..');

export default function setup(): () => void {
  const before = porcelain(root);
  return () => {
    if (before === undefined) return;
    const dirtied = newlyDirty(before, porcelain(root) ?? []);
    if (dirtied.length === 0) return;
    console.error(`the test run dirtied the git tree (git status --porcelain):\n${dirtied.join('\n')}`);
    // Vitest reports an error thrown here but still exits 0: the exit code is what CI reads.
    process.exitCode = 1;
  };
}
