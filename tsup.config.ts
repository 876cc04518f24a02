import { rmSync } from 'node:fs';
import { defineConfig } from 'tsup';
import { browserEsmConfig, cliConfig, iifeConfig, nodeConfig, reactConfig, reactNativeConfig } from './scripts/build-config.js';

// The builds run side by side and share dist/, so dist/ is emptied once here, not per build.
export default defineConfig(() => {
  rmSync('dist', { recursive: true, force: true });
  return [nodeConfig, cliConfig, browserEsmConfig, iifeConfig, reactConfig, reactNativeConfig];
});
