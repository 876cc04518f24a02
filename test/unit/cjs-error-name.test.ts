/**
 * Issue 10 §5: in the CommonJS build `TapTalkError` keeps its name, so `console.log(error)` prints
 * `TapTalkError [...]` and `error.constructor.name` reads as the docs say (docs/errors.md). tsup
 * converts the CJS chunks with a class-field transform that wraps an initialised field's class in
 * an anonymous `_class`; the error type must not depend on that.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { inspect } from 'node:util';
import { build } from 'tsup';
import { afterAll, describe, expect, it } from 'vitest';
import { nodeConfig } from '../../scripts/build-config.js';

const outDir = mkdtempSync(join(tmpdir(), 'taptalk-cjs-name-'));
afterAll(() => rmSync(outDir, { recursive: true, force: true }));

describe('the CommonJS build of the error type', () => {
  it('names the class and its instances TapTalkError, as the ESM build does', async () => {
    // The Node config as shipped (CJS with code splitting), on the error module alone.
    await build({ ...nodeConfig, entry: { errors: 'src/errors.ts' }, format: ['cjs'], outDir, dts: false, sourcemap: false, config: false, silent: true });
    const { TapTalkError } = createRequire(import.meta.url)(join(outDir, 'errors.cjs')) as typeof import('../../src/errors.js');
    const error = new TapTalkError('90004');
    expect(TapTalkError.name).toBe('TapTalkError');
    expect(error.name).toBe('TapTalkError');
    expect(inspect(error).split('\n')[0]).toBe('TapTalkError: Network request failed');
  }, 60_000);
});
