/**
 * Turns the IIFE's ESM bundle into a classic script that defines one global: `var <name> =
 * (() => { "use strict"; …bundle…; return { …exports… }; })();`.
 *
 * Why not esbuild's own `format: 'iife'`: it builds the global with `__export` getters and a
 * `__toCommonJS` copy loop (an `__esModule` marker, property descriptors), about 290 bytes gzip
 * that a script tag has no use for. The exports here are plain properties, read once.
 */
import type { TsupPlugin } from './terser-pass.js';

/** esbuild's ESM output ends with one `export { local as name, … };` clause. */
const EXPORT_CLAUSE = /\bexport\s*\{([^}]*)\}\s*;?\s*$/;

/**
 * Rewrites an ESM bundle with a single trailing export clause into a script defining `globalName`.
 *
 * @throws Error when the code has no trailing export clause, or imports something (it must be a
 *   self-contained bundle).
 * @example
 * ```ts
 * wrapAsGlobal('var a=1;export{a as one};', 'Lib'); // 'var Lib=(()=>{"use strict";var a=1;return{one:a}})();'
 * ```
 */
export function wrapAsGlobal(code: string, globalName: string): string {
  const clause = EXPORT_CLAUSE.exec(code);
  if (!clause) throw new Error('global-wrapper: no trailing export clause in the bundle');
  if (/(^|[;}\s])import\s*[{*\w]/.test(code.slice(0, clause.index))) throw new Error('global-wrapper: the bundle still imports a module');
  const members = clause[1]!
    .split(',')
    .map((item) => item.trim())
    .filter((item) => item !== '')
    .map((item) => {
      const [local, exported = local] = item.split(/\s+as\s+/);
      return `${exported}:${local}`;
    });
  return `var ${globalName}=(()=>{"use strict";${code.slice(0, clause.index)}return{${members.join(',')}}})();\n`;
}

/**
 * A tsup plugin for an `esm` build: each `.js` chunk becomes a script defining `globalName`.
 *
 * @example
 * ```ts
 * export const iifeConfig: Options = { ...rest, format: ['esm'], plugins: [globalWrapper('TapTalkSession'), terserPass()] };
 * ```
 */
export function globalWrapper(globalName: string): TsupPlugin {
  return {
    name: 'global-wrapper',
    renderChunk(code, info) {
      if (!info.path.endsWith('.js')) return undefined;
      return { code: wrapAsGlobal(code, globalName) };
    },
  };
}
