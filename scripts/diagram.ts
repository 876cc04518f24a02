/**
 * `npm run diagram`: regenerates the state-machine pictures from machines/ and writes
 * docs/state-machine.svg, docs/state-machine.mmd, docs/state-machine.json and the Mermaid block
 * of docs/state-machine.md. test/unit/diagram.test.ts fails while any of them is stale.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { sessionMachine } from '../machines/session.machine.js';
import { embedMermaid, generateDiagrams } from './diagram-lib.js';

const DOCS = join(dirname(fileURLToPath(import.meta.url)), '..', 'docs');

async function main(): Promise<void> {
  const d = await generateDiagrams(sessionMachine);
  writeFileSync(join(DOCS, 'state-machine.svg'), d.svg);
  writeFileSync(join(DOCS, 'state-machine.mmd'), d.mermaid);
  writeFileSync(join(DOCS, 'state-machine.json'), d.layout);
  const page = join(DOCS, 'state-machine.md');
  writeFileSync(page, embedMermaid(readFileSync(page, 'utf8'), d.mermaid));
  console.log('wrote docs/state-machine.{svg,mmd,json} and the Mermaid block of docs/state-machine.md');
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
