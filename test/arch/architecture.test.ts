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
  assemblyExports,
  folderCycles,
  cycles,
  entriesExports,
  functionsOf,
  importGraph,
  lineCount,
  parseSources,
  ts,
  twinParameters,
  walk,
} from '../../scripts/structure.mjs';
import { KERNELS, type ArgKind, type KernelDecl } from '../../src/kernels/declarations.js';
import { kernelModule } from '../../src/runtime/wasm.js';
import { threadsModule } from '../../src/runtime/threads.js';

/**
 * The layers, lowest first: a file may import its own layer or lower ones. Matched by path prefix under
 * src/ (the longest prefix wins). README's "Architecture" section shows this table.
 */
const LAYERS: [string, string[]][] = [
  ['base', ['errors.ts', 'deprecation.ts', 'limits.ts', 'options.ts', 'random.ts', 'tasks.ts', 'platform/']],
  ['kernels', ['kernels/']],
  ['runtime', ['runtime/']],
  ['data', ['data/']],
  ['svd', ['svd/']],
  ['recommend', ['recommend/']],
  ['eval', ['eval/']],
  ['models', ['models/']],
  ['interop', ['interop/']],
  ['package', ['index.ts', 'formats.ts', 'advanced.ts', 'internal.ts']],
  ['cli', ['cli/']],
];
/** Model families (src/models/<family>/) import src/models/common/ (shared helpers), never each other. */
function siblingImport(f: string, t: string): boolean {
  const family = (p: string) => /^models\/([^/]+)\//.exec(p)?.[1];
  const a = family(f);
  const b = family(t);
  return a !== undefined && b !== undefined && a !== b && b !== 'common';
}

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
        if (siblingImport(f, t)) upward.push(`${f} → ${t} (model families import models/common, not each other)`);
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

/**
 * The functions over 80 lines, each with its reason: `comment` when the function carries it itself (a
 * comment starting "Over 80 lines:" right before it), else the reason is here — code whose owners split
 * it in their own work.
 */
const LONG_FUNCTIONS: Record<string, string> = {
  'kernels/als.ts alsKernels': 'comment',
  'kernels/als.ts alsImplicitCg': 'comment',
  'kernels/als-subspace.ts alsSubspaceKernels': 'comment',
  'kernels/als-subspace.ts alsImplicitSubspace': 'comment',
  'kernels/bidiag.ts bidiagKernels': 'comment',
  'kernels/bidiag.ts bidiagQrF64': 'comment',
  'kernels/lanczos.ts lanczosKernels': 'comment',
  'kernels/knn.ts knnKernels': 'comment',
  'kernels/knn.ts knnScoreTopk': 'comment',
  'kernels/dense64.ts dense64Kernels': 'comment',
  'kernels/ease.ts easeKernels': 'comment',
  'cli/program.ts buildProgram': 'the CLI (issues 26, 27): the commander program, one block per command',
  'cli/commands/demo.ts demoCommand': 'the CLI: the demo walk-through, split with the CLI work',
  'eval/search.ts searchPoints': 'tune() (issue 27): split with its search work',
  'data/parse/read.ts readInteractions': 'the readers (issue 26): split with their rework',
  'data/zip.ts zipEntries': 'the readers (issue 26): split with their rework',
};

describe('src/ functions', () => {
  const functions = [...parsed].flatMap(([f, sf]) => functionsOf(f, sf));
  const long = functions.filter((fn) => fn.lines > 80);

  it('are at most 80 lines, or listed in LONG_FUNCTIONS with a reason', () => {
    expect(long.map((fn) => `${fn.file} ${fn.name}`).sort()).toEqual(Object.keys(LONG_FUNCTIONS).sort());
  });

  it('listed for their own comment carry it: "Over 80 lines: …"', () => {
    const missing = long
      .filter((fn) => LONG_FUNCTIONS[`${fn.file} ${fn.name}`] === 'comment' && !/Over 80 lines:/.test(fn.comment))
      .map((fn) => `${fn.file}:${fn.line} ${fn.name}`);
    expect(missing).toEqual([]);
  });
});

/** Implementation details no public entry exports (bench/ and tests reach them through src/internal.ts). */
const INTERNALS = [
  'getBackend',
  'crc32',
  'formatBytes',
  'MODEL_MAGIC',
  'npySize',
  'npyScalar',
  'npyToFloat64',
  'parseSparkALSMetadata',
  'readSparkALSData',
  'sparkALSFiles',
  'writeSparkFactors',
  'Heap',
  'HeapArray',
  'jsKernels',
];

describe('public API', () => {
  const entries = entriesExports(['index.ts', 'formats.ts', 'advanced.ts']);
  const root = entries.get('index.ts') ?? [];
  it(`the root exports at most 80 names, values and types (${root.length} now)`, () => {
    expect(root.length).toBeLessThanOrEqual(80);
  });
  it('no public entry (lowrank, lowrank/formats, lowrank/advanced) exports an internal', () => {
    for (const [entry, list] of entries) {
      const names = list.map((e) => e.name);
      expect(
        names.filter((n) => INTERNALS.includes(n)),
        entry,
      ).toEqual([]);
    }
  });
  it('the root names no Resolved*Options type (lowrank/advanced does) and no deprecated standalone call', () => {
    const names = root.map((e) => e.name);
    expect(names.filter((n) => /^Resolved|^(dispose|toParquet|fromParquet|toScipyNpz|fromScipyNpz)$/.test(n))).toEqual(
      [],
    );
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

describe('heap addresses', () => {
  // One program over src/ with type information, to tell the Heap's raw byte API from other methods.
  const program = ts.createProgram(
    files.map((f) => join(ROOT, 'src', f)),
    {
      target: ts.ScriptTarget.ES2022,
      module: ts.ModuleKind.ESNext,
      moduleResolution: ts.ModuleResolutionKind.Bundler,
      strict: true,
      skipLibCheck: true,
      noEmit: true,
      types: [],
      baseUrl: ROOT,
      paths: { '#platform': ['./src/platform/node.ts'] },
    },
  );
  const checker = program.getTypeChecker();
  const outside = files.filter((f) => !f.startsWith('runtime/'));

  it('stay in src/runtime: no .ptr, no `ptr:` and no byte arithmetic outside it', () => {
    const found: string[] = [];
    for (const f of outside) {
      const sf = parsed.get(f)!;
      walk(sf, (n) => {
        const at = () => `${f}:${sf.getLineAndCharacterOfPosition(n.getStart()).line + 1}: ${n.getText(sf)}`;
        if (ts.isPropertyAccessExpression(n) && n.name.text === 'ptr') found.push(at());
        if ((ts.isPropertyAssignment(n) || ts.isShorthandPropertyAssignment(n)) && n.name.getText(sf) === 'ptr')
          found.push(at());
      });
    }
    expect(found).toEqual([]);
  });

  it("stay in src/runtime: the Heap's byte-offset methods (alloc, free, view, refresh, views) are not called outside it", () => {
    const raw = new Set(['alloc', 'free', 'view', 'refresh', 'views', 'reserveBelow']);
    const found: string[] = [];
    for (const f of outside) {
      const sf = program.getSourceFile(join(ROOT, 'src', f))!;
      walk(sf, (n) => {
        if (!ts.isPropertyAccessExpression(n) || !raw.has(n.name.text)) return;
        const decl = checker.getSymbolAtLocation(n.name)?.declarations?.[0];
        const owner = decl?.parent;
        if (
          owner &&
          ts.isClassDeclaration(owner) &&
          owner.name?.text === 'Heap' &&
          decl!.getSourceFile().fileName.endsWith('runtime/heap.ts')
        )
          found.push(`${f}:${sf.getLineAndCharacterOfPosition(n.getStart()).line + 1}: ${n.getText(sf)}`);
      });
    }
    expect(found).toEqual([]);
  });
});

describe('kernel parameters', () => {
  const decls = Object.entries(KERNELS) as [string, KernelDecl][];
  /** The AssemblyScript type each argument kind is passed as. */
  const asType = (a: ArgKind) =>
    a.kind === 'ptr' || a.kind === 'scratch' ? 'usize' : a.kind === 'scalar' ? 'f64' : 'i32';

  it('are declared as the AssemblyScript kernels take them: names, order and types', () => {
    const exported = assemblyExports();
    const wrong: string[] = [];
    for (const [name, d] of decls) {
      const as = exported.get(name);
      if (!as) {
        wrong.push(`${name}: no exported function in assembly/`);
        continue;
      }
      const declared = Object.entries(d.args).map(([n, a]) => `${n}: ${asType(a)}`);
      const actual = as.params.map((p) => `${p.name}: ${p.type}`);
      if (declared.join(', ') !== actual.join(', '))
        wrong.push(`${name} (${as.file}): declared (${declared.join(', ')}), AssemblyScript (${actual.join(', ')})`);
      const returns = d.returns === 'void' ? 'void' : d.returns;
      if (as.returns !== returns)
        wrong.push(`${name}: declared to return ${returns}, AssemblyScript returns ${as.returns}`);
    }
    expect(wrong).toEqual([]);
  });

  it('are named in the JS twins as declared', () => {
    const twins = twinParameters(parsed);
    const wrong: string[] = [];
    for (const [name, d] of decls) {
      const twin = twins.get(name);
      const declared = Object.keys(d.args).join(', ');
      if (!twin) wrong.push(`${name}: no twin in src/kernels`);
      else if (twin.params.join(', ') !== declared)
        wrong.push(`${name} (${twin.file}): declared (${declared}), twin (${twin.params.join(', ')})`);
    }
    expect(wrong).toEqual([]);
  });
});
