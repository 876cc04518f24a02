/**
 * `npm test` must leave a clean clone clean: the global setup reads `git status --porcelain`
 * before the run and fails the run when an entry appears or changes afterwards (a test that
 * rewrites a tracked file or leaves an untracked one behind).
 */
import { execFileSync } from 'node:child_process';

/** `git status --porcelain` lines of `root`, or undefined outside a git checkout. */
export function porcelain(root: string): string[] | undefined {
  try {
    return execFileSync('git', ['status', '--porcelain'], { cwd: root, encoding: 'utf8' }).split('\n').filter(Boolean);
  } catch {
    return undefined;
  }
}

/** The entries of `after` that were not in `before`: what the run dirtied. */
export function newlyDirty(before: readonly string[], after: readonly string[]): string[] {
  const was = new Set(before);
  return after.filter((line) => !was.has(line));
}
