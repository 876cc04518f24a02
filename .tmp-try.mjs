import { build } from 'esbuild';
const r = await build({
  stdin: { contents: "window.TapTalkOfficial = require('taptalksdk-web');", resolveDir: process.cwd(), loader: 'js', sourcefile: 'entry.cjs' },
  bundle: true, format: 'iife', platform: 'browser', write: false, logLevel: 'error',
  alias: { crypto: 'crypto-browserify' },
  inject: [],
  define: { global: 'globalThis' },
}).catch(e => { console.log(e.errors.map(x=>x.text).join('\n')); process.exit(1) });
console.log(r.outputFiles[0].text.length);
