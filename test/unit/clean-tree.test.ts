/** The clean-tree guard of `npm test` (test/support/clean-tree-setup.ts) sees what a run dirties. */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, expect, it } from 'vitest';
import { newlyDirty, porcelain } from '../support/clean-tree.js';

const repo = mkdtempSync(join(tmpdir(), 'taptalk-clean-tree-'));
afterAll(() => rmSync(repo, { recursive: true, force: true }));

it('reports a tracked file rewritten and an untracked file left behind, and nothing that was dirty before', () => {
  const git = (...args: string[]) => execFileSync('git', ['-c', 'user.email=t@example.com', '-c', 'user.name=t', ...args], { cwd: repo });
  git('init', '-q');
  writeFileSync(join(repo, 'picture.png'), 'old');
  writeFileSync(join(repo, 'mine.txt'), 'work in progress');
  git('add', 'picture.png');
  git('commit', '-qm', 'init');
  const before = porcelain(repo)!;
  expect(newlyDirty(before, porcelain(repo)!)).toEqual([]);
  // The mutation: what a test that rewrites docs/playground.png or leaves a file would do.
  writeFileSync(join(repo, 'picture.png'), 'new');
  writeFileSync(join(repo, 'stray.log'), 'x');
  expect(newlyDirty(before, porcelain(repo)!)).toEqual([' M picture.png', '?? stray.log']);
});
