// The structure of src/, checked on every run: the import graph has no cycles (type-only imports
// included) and no import goes up the layer order; no file is over 450 lines; every kernel the WASM
// module exports is declared in the binding layer and called from library code (not only by its twin),
// and no library code calls kernels positionally.
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { dirname, join, normalize, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { KERNELS } from '../../src/runtime/declarations.js';
import { kernelModule } from '../../src/runtime/wasm.js';
import { threadsModule } from '../../src/runtime/threads.js';

const root = join(dirname(fileURLToPath(import.meta.url)), '../..');
const SRC = join(root, 'src');

/**
 * The layers, lowest first: a file may import its own layer or lower ones. Matched by path prefix under
 * src/ (the longest prefix wins).
 */
const LAYERS: [string, string[]][] = [
  ['base', ['errors.ts', 'limits.ts', 'options.ts', 'random.ts', 'wasm.d.ts', 'platform/']],
  ['runtime types', ['runtime/types.ts', 'runtime/declarations.ts']],
  ['kernels', ['kernels/']],
  ['runtime', ['runtime/']],
  ['data', ['data/']],
  ['recommend', ['recommend/']],
  ['eval', ['eval/']],
  ['models', ['svd/', 'als/', 'models/']],
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

function sourceFiles(dir: string): string[] {
  const out: string[] = [];
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) out.push(...sourceFiles(p));
    else if (p.endsWith('.ts')) out.push(relative(SRC, p));
  }
  return out.sort();
}

const files = sourceFiles(SRC);
const text = new Map(files.map((f) => [f, readFileSync(join(SRC, f), 'utf8')]));

/** Relative imports of a file (static, `import type`, re-exports and dynamic), as paths under src/. */
function importsOf(file: string): string[] {
  const re =
    /(?:^|[\s;])(?:import|export)\s+(?:type\s+)?(?:[\w*{}\s,]*?\s+from\s+)?['"](\.[^'"]+)['"]|import\(\s*['"](\.[^'"]+)['"]\s*\)/g;
  const out: string[] = [];
  for (const m of text.get(file)!.matchAll(re)) {
    const target = normalize(join(dirname(file), m[1] ?? m[2]));
    if (target.startsWith('..')) continue; // outside src/ (the built .wasm modules)
    out.push(target.replace(/\.js$/, '.ts'));
  }
  // `#platform` (package.json "imports") is one of the two platform modules, chosen by export condition.
  if (/from\s+['"]#platform['"]/.test(text.get(file)!)) out.push('platform/node.ts', 'platform/web.ts');
  return out;
}
const graph = new Map(files.map((f) => [f, importsOf(f)]));

describe('src/ import graph', () => {
  it('resolves every relative import to a file', () => {
    const missing = [...graph].flatMap(([f, ts]) => ts.filter((t) => !text.has(t)).map((t) => `${f} → ${t}`));
    expect(missing).toEqual([]);
  });

  it('has no cycles, type-only imports included', () => {
    const state = new Map<string, 1 | 2>();
    const stack: string[] = [];
    const cycles: string[] = [];
    const visit = (f: string): void => {
      state.set(f, 1);
      stack.push(f);
      for (const t of graph.get(f) ?? []) {
        if (state.get(t) === 1) cycles.push([...stack.slice(stack.indexOf(t)), t].join(' → '));
        else if (!state.has(t)) visit(t);
      }
      stack.pop();
      state.set(f, 2);
    };
    for (const f of files) if (!state.has(f)) visit(f);
    expect(cycles).toEqual([]);
  });

  it(`imports only down the layers: ${LAYERS.map(([n]) => n).join(' → ')}`, () => {
    const upward: string[] = [];
    for (const [f, ts] of graph) {
      for (const t of ts) {
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

  it('leaves memory.buffer to the heap (and the workers, which make their own views)', () => {
    const touching = files.filter((f) => /memory\.buffer/.test(text.get(f)!.replace(/^\s*\*.*$|\/\/.*$/gm, '')));
    expect(touching).toEqual(['runtime/heap.ts', 'runtime/worker-source.ts']);
  });
});

describe('src/ files', () => {
  it('are at most 450 lines each', () => {
    const long = files
      .map((f) => [f, text.get(f)!.split('\n').length - (text.get(f)!.endsWith('\n') ? 1 : 0)] as const)
      .filter(([, n]) => n > 450)
      .map(([f, n]) => `${f}: ${n} lines`);
    expect(long).toEqual([]);
  });
});

describe('kernels', () => {
  it('every function either WASM module exports is declared in the binding layer', async () => {
    const declared = new Set(Object.keys(KERNELS));
    for (const mod of [await kernelModule(), await threadsModule()]) {
      const undeclared = WebAssembly.Module.exports(mod)
        .filter((e) => e.kind === 'function' && !declared.has(e.name))
        .map((e) => e.name);
      expect(undeclared).toEqual([]);
    }
  });

  it('every declared kernel is called from src/ outside its JS twin', () => {
    const library = files.filter((f) => !f.startsWith('kernels/') && f !== 'runtime/declarations.ts');
    const uncalled = Object.keys(KERNELS).filter((name) => {
      const called = new RegExp(`['"]${name}['"]|\\.${name}\\(`);
      return !library.some((f) => called.test(text.get(f)!));
    });
    expect(uncalled).toEqual([]);
  });

  it('library code calls kernels by name through the runner, never positionally', () => {
    const outside = files.filter((f) => !f.startsWith('runtime/') && !f.startsWith('kernels/'));
    const positional = outside.filter((f) => /\bbackend\.k\b|\.k\.[a-z]\w*\(|\bpool\.run\(/.test(text.get(f)!));
    expect(positional).toEqual([]);
  });
});
