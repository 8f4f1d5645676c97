// The structure of src/, checked on every run by reading the sources with the TypeScript compiler API
// (scripts/structure.mjs): the import graph has no cycles, between files or between folders (type-only
// imports included), and no import goes up the layer table (which README's "Architecture" draws: checked
// here too); no file is over 450 lines; every kernel the WASM modules export is declared in the kernel
// contract and called from library code (not only by its twin), and no library code calls kernels
// positionally.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  ROOT,
  folderCycles,
  cycles,
  importGraph,
  lineCount,
  parseSources,
  ts,
  walk,
} from '../../scripts/structure.mjs';
import { KERNELS } from '../../src/kernels/declarations.js';
import { kernelModule } from '../../src/runtime/wasm.js';
import { threadsModule } from '../../src/runtime/threads.js';

/**
 * The layers, lowest first: a file may import its own layer or lower ones. Matched by path prefix under
 * src/ (the longest prefix wins). README's "Architecture" section shows this table.
 */
const LAYERS: [string, string[]][] = [
  ['base', ['errors.ts', 'limits.ts', 'options.ts', 'random.ts', 'platform/']],
  ['kernels', ['kernels/']],
  ['runtime', ['runtime/']],
  ['data', ['data/']],
  ['recommend', ['recommend/']],
  ['eval', ['eval/']],
  ['models', ['svd/', 'als/']],
  ['interop', ['interop/']],
  ['package', ['index.ts', 'internal.ts']],
  ['cli', ['cli/']],
];
/** Folders of one layer that must not import each other. */
const SIBLINGS = [['svd/', 'als/']];

function layerOf(file: string): number {
  let best = -1;
  let len = -1;
  LAYERS.forEach(([, prefixes], i) => {
    for (const p of prefixes) if (file.startsWith(p) && p.length > len) [best, len] = [i, p.length];
  });
  if (best < 0) throw new Error(`architecture test: ${file} is in no layer; add it to LAYERS`);
  return best;
}

const parsed = parseSources();
const files = [...parsed.keys()];
const graph = importGraph(parsed);

/** Text of the string and template literals of a file (code that runs elsewhere, e.g. the worker's source). */
function literalText(sf: ts.SourceFile): string {
  const out: string[] = [];
  walk(sf, (n) => {
    if (ts.isStringLiteralLike(n) || ts.isTemplateExpression(n)) out.push(n.getText(sf));
  });
  return out.join('\n');
}

describe('src/ import graph', () => {
  it('resolves every relative import to a file', () => {
    const missing = [...graph].flatMap(([f, ts]) => ts.filter((t) => !parsed.has(t)).map((t) => `${f} → ${t}`));
    expect(missing).toEqual([]);
  });

  it('has no cycles between files, type-only imports included', () => {
    expect(cycles(new Map(graph))).toEqual([]);
  });

  it('has no cycles between folders, type-only imports included', () => {
    expect(folderCycles(graph)).toEqual([]);
  });

  it(`imports only down the layers: ${LAYERS.map(([n]) => n).join(' → ')}`, () => {
    const upward: string[] = [];
    for (const [f, targets] of graph) {
      for (const t of targets) {
        if (layerOf(t) > layerOf(f)) upward.push(`${f} (${LAYERS[layerOf(f)][0]}) → ${t} (${LAYERS[layerOf(t)][0]})`);
        for (const group of SIBLINGS) {
          const a = group.find((p) => f.startsWith(p));
          const b = group.find((p) => t.startsWith(p));
          if (a && b && a !== b) upward.push(`${f} → ${t} (siblings ${group.join(', ')} stay independent)`);
        }
      }
    }
    expect(upward).toEqual([]);
  });

  it("is drawn in README's Architecture section: the same layers, lowest first", () => {
    const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');
    const section = readme.slice(readme.indexOf('### Architecture'));
    const rows = section
      .split('\n')
      .filter((l) => /^\| \*\*/.test(l))
      .map((l) => l.split('|')[1].replace(/\*/g, '').trim());
    expect(rows).toEqual(LAYERS.map(([name]) => name));
  });

  it('leaves memory.buffer to the heap (and the workers, which make their own views)', () => {
    const touching = files.filter((f) => {
      const sf = parsed.get(f)!;
      let found = /\bmemory\.buffer\b/.test(literalText(sf));
      walk(sf, (n) => {
        if (
          ts.isPropertyAccessExpression(n) &&
          n.name.text === 'buffer' &&
          /(^|\.)memory$/.test(n.expression.getText(sf))
        )
          found = true;
      });
      return found;
    });
    expect(touching).toEqual(['runtime/heap.ts', 'runtime/worker-source.ts']);
  });
});

describe('src/ files', () => {
  it('are at most 450 lines each', () => {
    const long = files
      .map((f) => [f, lineCount(parsed.get(f)!.text)] as const)
      .filter(([, n]) => n > 450)
      .map(([f, n]) => `${f}: ${n} lines`);
    expect(long).toEqual([]);
  });
});

describe('kernels', () => {
  it('every function either WASM module exports is declared in the kernel contract', async () => {
    const declared = new Set(Object.keys(KERNELS));
    for (const mod of [await kernelModule(), await threadsModule()]) {
      const undeclared = WebAssembly.Module.exports(mod)
        .filter((e) => e.kind === 'function' && !declared.has(e.name))
        .map((e) => e.name);
      expect(undeclared).toEqual([]);
    }
  });

  it('every declared kernel is called by name from src/ outside src/kernels', () => {
    const named = new Set<string>();
    for (const [f, sf] of parsed) {
      if (f.startsWith('kernels/')) continue;
      walk(sf, (n) => {
        if (ts.isStringLiteral(n) || ts.isNoSubstitutionTemplateLiteral(n)) named.add(n.text);
        // exports.heapBase(): a kernel the loader calls itself
        if (ts.isCallExpression(n) && ts.isPropertyAccessExpression(n.expression)) named.add(n.expression.name.text);
      });
    }
    expect(Object.keys(KERNELS).filter((name) => !named.has(name))).toEqual([]);
  });

  it('library code calls kernels by name through the runner, never positionally', () => {
    const positional: string[] = [];
    for (const [f, sf] of parsed) {
      if (f.startsWith('runtime/') || f.startsWith('kernels/')) continue;
      walk(sf, (n) => {
        // backend.k (the raw positional table) and pool.run (positional jobs)
        if (!ts.isPropertyAccessExpression(n)) return;
        const on = n.expression.getText(sf);
        if ((n.name.text === 'k' && /(^|\.)backend$/.test(on)) || (n.name.text === 'run' && /(^|\.)pool$/.test(on)))
          positional.push(`${f}: ${n.getText(sf)}`);
      });
    }
    expect(positional).toEqual([]);
  });
});
