// Structure counts of src/, measured with the TypeScript compiler API (no regexes over code): what issue 30
// tracks before → after.
//
//   node scripts/code-stats.mjs            a table
//   node scripts/code-stats.mjs --json     the same as JSON
//   node scripts/code-stats.mjs --list     with the offending places listed (and the root's exports)
//
// - `.ptr` uses outside src/runtime: property accesses named `ptr` (heap addresses handled by hand);
// - folder cycles: strongly connected groups of src/'s top-level folders (a root file is its own node) in
//   the import graph, type-only imports and re-exports included;
// - functions over 80 lines: every function, method, accessor, constructor and arrow, by its own span;
// - lines over 120 characters;
// - files over 450 lines;
// - duplicated helpers: hand-written copies of the helpers issue 30 names (yield to the event loop, the
//   confidence formula, "options must be an object" checks, AbortSignal type checks), plus the pair count
//   of the `duplicates` tool over src/ when it is installed;
// - root exports: names exported from src/index.ts (values and types).
import { execFileSync } from 'node:child_process';
import {
  folderCycles as folderCyclesOf,
  cycles,
  entryExports,
  functionsOf,
  importGraph,
  lineCount,
  lineOf,
  parseSources,
  SRC,
  ts,
  walk,
} from './structure.mjs';

const args = new Set(process.argv.slice(2));
const parsed = parseSources();

// -- .ptr outside src/runtime -------------------------------------------------------------------------
const ptrUses = [];
for (const [f, sf] of parsed) {
  if (f.startsWith('runtime/')) continue;
  walk(sf, (n) => {
    if (ts.isPropertyAccessExpression(n) && n.name.text === 'ptr') ptrUses.push(`${f}:${lineOf(sf, n.getStart())}`);
  });
}

// -- import graph and folder cycles -------------------------------------------------------------------
const graph = importGraph(parsed);
const folderCycles = folderCyclesOf(graph);
const fileCycles = cycles(new Map(graph));

// -- functions over 80 lines ---------------------------------------------------------------------------
const functions = [...parsed].flatMap(([f, sf]) => functionsOf(f, sf));
const longFunctions = functions.filter((x) => x.lines > 80).sort((a, b) => b.lines - a.lines);

// -- lines and files -----------------------------------------------------------------------------------
const longLines = [];
const longFiles = [];
for (const [f, sf] of parsed) {
  sf.text.split('\n').forEach((l, i) => {
    if ([...l].length > 120) longLines.push(`${f}:${i + 1}`);
  });
  const n = lineCount(sf.text);
  if (n > 450) longFiles.push(`${f}: ${n}`);
}

// -- duplicated helpers ----------------------------------------------------------------------------------
const helpers = { yieldToEventLoop: [], confidenceFormula: [], optionsObjectChecks: [], signalChecks: [] };
for (const [f, sf] of parsed) {
  walk(sf, (n) => {
    const at = () => `${f}:${lineOf(sf, n.getStart())}`;
    // A place that schedules a macrotask to let the event loop run: a call of setImmediate.
    if (ts.isCallExpression(n) && ts.isIdentifier(n.expression) && n.expression.text === 'setImmediate')
      helpers.yieldToEventLoop.push(at());
    // 1 + α·log(1 + |r|/ε): a call of Math.log whose argument is `1 + x / y`, multiplied by something.
    if (
      ts.isBinaryExpression(n) &&
      n.operatorToken.kind === ts.SyntaxKind.AsteriskToken &&
      ts.isCallExpression(n.right) &&
      n.right.expression.getText(sf) === 'Math.log' &&
      /^1 \+ .+\/.+$/.test(n.right.arguments[0]?.getText(sf) ?? '')
    )
      helpers.confidenceFormula.push(at());
    if (
      (ts.isStringLiteral(n) || ts.isNoSubstitutionTemplateLiteral(n) || ts.isTemplateExpression(n)) &&
      /must be an object/.test(n.getText(sf))
    )
      helpers.optionsObjectChecks.push(at());
    // typeof x.aborted: a hand-written AbortSignal check.
    if (ts.isTypeOfExpression(n) && ts.isPropertyAccessExpression(n.expression) && n.expression.name.text === 'aborted')
      helpers.signalChecks.push(at());
  });
}
let duplicatePairs;
try {
  const out = execFileSync('duplicates', ['--repo', SRC, '--most', '40', '--seconds', '120'], { encoding: 'utf8' });
  const m = /^(\d+) pairs? of places/m.exec(out);
  duplicatePairs = m ? Number(m[1]) : /no duplicates/.test(out) ? 0 : undefined;
} catch {
  duplicatePairs = undefined; // the tool is not installed here
}

// -- root exports ----------------------------------------------------------------------------------------
const exported = entryExports('index.ts');
const values = exported.filter((e) => e.kind === 'value').length;
const types = exported.length - values;
const rootExports = exported.map((e) => `${e.kind.padEnd(5)} ${e.name}  (${e.from})`);

const stats = {
  ptrOutsideRuntime: ptrUses.length,
  folderCycles: folderCycles.length,
  fileCycles: fileCycles.length,
  functionsOver80: longFunctions.length,
  linesOver120: longLines.length,
  filesOver450: longFiles.length,
  duplicatedHelpers: Object.values(helpers).reduce((n, l) => n + l.length, 0),
  duplicatePairs,
  rootExports: { total: exported.length, values, types },
};
const lists = {
  ptrUses,
  folderCycles,
  fileCycles,
  longFunctions: longFunctions.map((x) => `${x.file}:${x.line} ${x.name} (${x.lines} lines)`),
  longLines,
  longFiles,
  helpers,
  rootExports,
};

if (args.has('--json')) {
  console.log(JSON.stringify(args.has('--list') ? { ...stats, lists } : stats, null, 2));
} else {
  const rows = [
    ['.ptr uses outside src/runtime', stats.ptrOutsideRuntime],
    ['folder cycles (type imports included)', stats.folderCycles],
    ['file cycles', stats.fileCycles],
    ['functions over 80 lines', stats.functionsOver80],
    ['lines over 120 characters', stats.linesOver120],
    ['files over 450 lines', stats.filesOver450],
    [
      'duplicated helpers (yield / confidence / options-object / signal checks)',
      `${stats.duplicatedHelpers} (${Object.values(helpers)
        .map((l) => l.length)
        .join(' / ')})`,
    ],
    ['`duplicates` pairs in src/', duplicatePairs ?? 'n/a (tool not installed)'],
    ['root exports (values + types)', `${exported.length} (${values} + ${types})`],
  ];
  const w = Math.max(...rows.map(([a]) => a.length));
  for (const [a, b] of rows) console.log(`${a.padEnd(w)}  ${b}`);
  if (args.has('--list')) {
    for (const [k, v] of Object.entries(lists)) {
      console.log(`\n## ${k}`);
      if (Array.isArray(v)) for (const x of v) console.log(typeof x === 'string' ? x : JSON.stringify(x));
      else for (const [h, l] of Object.entries(v)) console.log(`${h}: ${l.join(', ')}`);
    }
  }
}
