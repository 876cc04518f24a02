import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

export default defineConfig({
  // The React binding imports the engine by its package name, as an app does (tsconfig's `paths` too).
  resolve: { alias: [{ find: /^taptalk-session$/, replacement: fileURLToPath(new URL('./src/index.ts', import.meta.url)) }] },
  test: {
    include: ['test/**/*.test.ts'],
    exclude: ['test/bench/**', 'node_modules/**'],
    // Builds the browser IIFE once (only when a source is newer) for the Chromium tests, and fails
    // the run if it leaves the git tree dirtier than it found it.
    globalSetup: ['test/browser/global-setup.ts', 'test/support/clean-tree-setup.ts'],
    testTimeout: 20_000,
    hookTimeout: 20_000,
    // Two cores here: keep the file pool small so socket tests are not starved.
    maxWorkers: 2,
  },
});
