// The README's code blocks as the README test runs them: ```ts/```js blocks grouped by their `## ` section
// into sessions (later blocks continue earlier ones, as one .mjs file), their `lowrank` imports merged and
// hoisted; and the `lowrank …` lines of ```sh blocks. `<!-- readme-test: skip -->` before a block leaves it out.

/** One fenced code block of the README. */
export interface Block {
  lang: string;
  code: string;
  /** The `## ` section it is in. */
  section: string;
  /** 1-based line of the opening fence. */
  line: number;
}

/** Every fenced block of `markdown`, except those marked to skip. */
export function codeBlocks(markdown: string): Block[] {
  const lines = markdown.split('\n');
  const out: Block[] = [];
  let section = '';
  for (let i = 0; i < lines.length; i++) {
    const l = lines[i];
    if (l.startsWith('## ')) section = l.slice(3).trim();
    const fence = /^```(\w*)\s*$/.exec(l);
    if (!fence) continue;
    const start = i;
    const body: string[] = [];
    for (i++; i < lines.length && !/^```\s*$/.test(lines[i]); i++) body.push(lines[i]);
    const skip = lines.slice(Math.max(0, start - 2), start).some((x) => x.includes('readme-test: skip'));
    if (!skip) out.push({ lang: fence[1], code: body.join('\n'), section, line: start + 1 });
  }
  return out;
}

const IMPORT = /^import\s*\{([^}]*)\}\s*from\s*'lowrank';?\s*(\/\/.*)?$/;

/** The names a block imports from 'lowrank' (any other import is an error: examples use the package only). */
export function importsOf(block: Block): string[] {
  const names: string[] = [];
  for (const l of block.code.split('\n')) {
    if (!/^\s*import\b/.test(l)) continue;
    const m = IMPORT.exec(l.trim());
    if (!m)
      throw new Error(
        `README line ${block.line}: only single-line \`import { … } from 'lowrank'\` imports are understood: ${l}`,
      );
    names.push(
      ...m[1]
        .split(',')
        .map((s) => s.trim())
        .filter(Boolean),
    );
  }
  return names;
}

/** Code with comments and string literals blanked (for finding identifiers). */
function codeOnly(code: string): string {
  return code.replace(/\/\/.*$/gm, '').replace(/'(?:[^'\\\n]|\\.)*'|"(?:[^"\\\n]|\\.)*"|`(?:[^`\\]|\\.)*`/g, "''");
}

/**
 * Exports of the package a block uses without importing them. Blocks with an import line must import
 * everything they use (a reader copies one block); blocks without one continue the previous block.
 */
export function missingImports(block: Block, exportNames: readonly string[]): string[] {
  const imported = importsOf(block);
  if (imported.length === 0) return [];
  const body = codeOnly(
    block.code
      .split('\n')
      .filter((l) => !/^\s*import\b/.test(l))
      .join('\n'),
  );
  return exportNames.filter(
    (name) =>
      !imported.includes(name) && new RegExp(`(?<![.\\w$])${name.replace(/\$/g, '\\$')}\\b(?!\\s*:)`).test(body),
  );
}

/** A session's blocks as one module: the union of their imports first, then their code in order. */
export function sessionModule(blocks: readonly Block[]): string {
  const names = [...new Set(blocks.flatMap(importsOf))];
  const body = blocks.map(
    (b) =>
      `// README line ${b.line}\n${b.code
        .split('\n')
        .filter((l) => !/^\s*import\b/.test(l))
        .join('\n')}`,
  );
  return [`import { ${names.join(', ')} } from 'lowrank';`, ...body, ''].join('\n');
}

/** The ```ts/```js blocks grouped into sessions by section, in README order. */
export function sessions(blocks: readonly Block[]): { section: string; blocks: Block[] }[] {
  const out: { section: string; blocks: Block[] }[] = [];
  for (const b of blocks) {
    if (!['ts', 'js', 'typescript', 'javascript', 'mjs'].includes(b.lang)) continue;
    const last = out.at(-1);
    if (last && last.section === b.section) last.blocks.push(b);
    else out.push({ section: b.section, blocks: [b] });
  }
  return out;
}

/** The `lowrank …` command lines of the ```sh blocks (comments dropped), with their README line. */
export function cliLines(blocks: readonly Block[]): { args: string[]; line: number }[] {
  const out: { args: string[]; line: number }[] = [];
  for (const b of blocks) {
    if (b.lang !== 'sh' && b.lang !== 'bash' && b.lang !== 'console') continue;
    b.code.split('\n').forEach((l, k) => {
      const cmd = l.replace(/\s+#.*$/, '').trim();
      if (!cmd.startsWith('lowrank ')) return;
      if (/[|&;<>$`"']/.test(cmd))
        throw new Error(`README line ${b.line + 1 + k}: the test runs plain command lines only: ${cmd}`);
      out.push({ args: cmd.split(/\s+/).slice(1), line: b.line + 1 + k });
    });
  }
  return out;
}
