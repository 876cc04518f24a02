/**
 * Finds the TypeScript code blocks of a Markdown file, with the line each starts on, so a compiler
 * diagnostic in a sample can be reported at its place in the doc.
 */

/** One fenced ```ts / ```typescript block. */
export interface CodeBlock {
  /** 1-based line in the Markdown file of the block's first code line (the line after the fence). */
  line: number;
  /** The code, with the fence's own indentation removed (blocks inside list items are indented). */
  code: string;
  /** The first line is `// @noCheck`: the block is shown to readers but not compiled. */
  noCheck: boolean;
  /** A ```tsx block: compiled as a `.tsx` module (React's automatic JSX runtime). */
  jsx?: true;
  /**
   * The line before the fence is `<!-- run, prints: a | b -->`: the sample is also run as written
   * (a whole program that must exit on its own) and must print exactly these lines.
   */
  run?: { prints: string[] };
}

/** The invisible note (an HTML comment) that marks a sample as runnable, with the lines it prints. */
const RUN_NOTE = /^\s*<!--\s*run(?:,\s*prints:\s*(.*?))?\s*-->\s*$/;

/** Languages that are compiled; anything else (`js`, `json`, `sh`, none) is prose to the checker. */
const TS_LANGUAGES = new Set(['ts', 'typescript', 'tsx']);

/** Marker a block may start with to opt out, e.g. for a fragment that is not a whole module. */
export const NO_CHECK_MARKER = '// @noCheck';

// CommonMark: up to three spaces of indentation, then three or more backticks or tildes.
const OPENING = /^( {0,3})(`{3,}|~{3,})\s*([^\s`]*)/;

/**
 * Every TypeScript block of a Markdown text, in order. Follows CommonMark closely enough for docs:
 * a fence closes on a line of the same character, at least as long, with nothing after it; an
 * unclosed fence runs to the end of the file; blocks of other languages are skipped whole, so a
 * ```` ```ts ```` line shown inside a ```` ````md ```` block is not mistaken for a sample.
 *
 * @example
 * ```ts
 * extractTsBlocks('text\n```ts\nconst a = 1;\n```\n'); // [{ line: 3, code: 'const a = 1;', noCheck: false }]
 * ```
 */
export function extractTsBlocks(markdown: string): CodeBlock[] {
  const lines = markdown.split(/\r?\n/);
  const blocks: CodeBlock[] = [];
  for (let i = 0; i < lines.length; i++) {
    const open = OPENING.exec(lines[i] ?? '');
    if (open === null) continue;
    const [, indent = '', fence = '', info = ''] = open;
    const closing = new RegExp(`^ {0,3}${fence[0] === '`' ? '`' : '~'}{${fence.length},}\\s*$`);
    const body: string[] = [];
    let j = i + 1;
    for (; j < lines.length && !closing.test(lines[j] ?? ''); j++) body.push(lines[j] ?? '');
    if (TS_LANGUAGES.has(info.toLowerCase())) {
      // Remove at most the fence's indentation from each line, as CommonMark does.
      const code = body.map((line) => line.replace(new RegExp(`^ {0,${indent.length}}`), '')).join('\n');
      const block: CodeBlock = { line: i + 2, code, noCheck: (body[0] ?? '').trim() === NO_CHECK_MARKER };
      if (info.toLowerCase() === 'tsx') block.jsx = true;
      const note = RUN_NOTE.exec(lines[i - 1] ?? '');
      if (note) block.run = { prints: note[1] ? note[1].split(' | ').map((l) => l.trim()) : [] };
      blocks.push(block);
    }
    i = j;
  }
  return blocks;
}
