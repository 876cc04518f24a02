import { rmSync } from 'node:fs';
import { defineConfig } from 'tsup';
import { ALL_CONFIGS } from './scripts/build-config.js';

// The builds run side by side and share dist/, so dist/ is emptied once here, not per build.
export default defineConfig(() => {
  rmSync('dist', { recursive: true, force: true });
  return [...ALL_CONFIGS];
});
