// Reading src/ with the TypeScript compiler API, for test/arch/architecture.test.ts and scripts/code-stats.mjs:
// the files, their imports (type-only, re-exports and dynamic ones included), strongly connected groups of a
// graph, every function with its span and leading comment, and the kernels' parameter lists as the
// AssemblyScript sources and the JS twins write them.
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { dirname, join, normalize, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';

export const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
export const SRC = join(ROOT, 'src');

/** The .ts files under `dir` (default src/), relative to it, sorted. */
export function sourceFiles(dir = SRC) {
  const out = [];
  const visit = (d) => {
    for (const name of readdirSync(d)) {
      const p = join(d, name);
      if (statSync(p).isDirectory()) visit(p);
      else if (p.endsWith('.ts') && !p.endsWith('.d.ts')) out.push(relative(dir, p));
    }
  };
  visit(dir);
  return out.sort();
}

/** Parse `text` as TypeScript (no type information). */
export function parse(name, text) {
  return ts.createSourceFile(name, text, ts.ScriptTarget.Latest, true);
}

/** Every file of src/ parsed: path under src/ → SourceFile. */
export function parseSources(dir = SRC) {
  return new Map(sourceFiles(dir).map((f) => [f, parse(f, readFileSync(join(dir, f), 'utf8'))]));
}

/** Depth-first visit of `node` and everything below it. */
export function walk(node, visit) {
  visit(node);
  ts.forEachChild(node, (c) => walk(c, visit));
}

/** 1-based line of a position. */
export const lineOf = (sf, pos) => sf.getLineAndCharacterOfPosition(pos).line + 1;

/** Lines of a file (a final newline ends the last line, it does not start another). */
export function lineCount(text) {
  return text.split('\n').length - (text.endsWith('\n') ? 1 : 0);
}

/**
 * The src/ files `file` imports, as paths under src/: static imports, `import type`, re-exports, dynamic
 * `import()` and `import('…')` types. `#platform` (package.json "imports") is both platform modules.
 * Imports leaving src/ (the built .wasm modules) are left out.
 */
export function importsOf(file, sf) {
  const out = [];
  const add = (spec) => {
    if (spec === '#platform') out.push('platform/node.ts', 'platform/web.ts');
    if (!spec.startsWith('.')) return;
    const target = normalize(join(dirname(file), spec));
    if (!target.startsWith('..')) out.push(target.replace(/\.js$/, '.ts'));
  };
  walk(sf, (n) => {
    if ((ts.isImportDeclaration(n) || ts.isExportDeclaration(n)) && n.moduleSpecifier) {
      if (ts.isStringLiteral(n.moduleSpecifier)) add(n.moduleSpecifier.text);
    } else if (ts.isCallExpression(n) && n.expression.kind === ts.SyntaxKind.ImportKeyword) {
      const a = n.arguments[0];
      if (a && ts.isStringLiteral(a)) add(a.text);
    } else if (ts.isImportTypeNode(n) && ts.isLiteralTypeNode(n.argument) && ts.isStringLiteral(n.argument.literal)) {
      add(n.argument.literal.text);
    }
  });
  return [...new Set(out)];
}

/** The import graph of parsed sources: file → files it imports. */
export function importGraph(parsed) {
  return new Map([...parsed].map(([f, sf]) => [f, importsOf(f, sf)]));
}

/** The folder of a file for folder-level checks: its top-level folder under src/, or the file itself at the root. */
export const folderOf = (f) => (f.includes('/') ? f.slice(0, f.indexOf('/')) : f);

/** Strongly connected groups of more than one node (Tarjan), each sorted; `edges`: node → nodes. */
export function cycles(edges) {
  const index = new Map();
  const low = new Map();
  const stack = [];
  const onStack = new Set();
  const out = [];
  let next = 0;
  const nodes = new Set([...edges.keys(), ...[...edges.values()].flatMap((t) => [...t])]);
  const visit = (v) => {
    index.set(v, next);
    low.set(v, next++);
    stack.push(v);
    onStack.add(v);
    for (const w of edges.get(v) ?? []) {
      if (!index.has(w)) {
        visit(w);
        low.set(v, Math.min(low.get(v), low.get(w)));
      } else if (onStack.has(w)) low.set(v, Math.min(low.get(v), index.get(w)));
    }
    if (low.get(v) !== index.get(v)) return;
    const group = [];
    let w;
    do {
      w = stack.pop();
      onStack.delete(w);
      group.push(w);
    } while (w !== v);
    if (group.length > 1) out.push(group.sort());
  };
  for (const v of [...nodes].sort()) if (!index.has(v)) visit(v);
  return out;
}

/** The folder graph of an import graph (folderOf), with one import that makes each edge. */
export function folderGraph(graph) {
  const edges = new Map();
  const witness = new Map();
  for (const [f, targets] of graph) {
    for (const t of targets) {
      const a = folderOf(f);
      const b = folderOf(t);
      if (a === b) continue;
      if (!edges.has(a)) edges.set(a, new Set());
      edges.get(a).add(b);
      if (!witness.has(`${a} ${b}`)) witness.set(`${a} ${b}`, `${f} → ${t}`);
    }
  }
  return { edges, witness: (a, b) => witness.get(`${a} ${b}`) };
}

/** Folder cycles of an import graph, each with the imports that close it. */
export function folderCycles(graph) {
  const { edges, witness } = folderGraph(graph);
  return cycles(edges).map((folders) => ({
    folders,
    imports: folders.flatMap((a) => folders.filter((b) => edges.get(a)?.has(b)).map((b) => witness(a, b))),
  }));
}

function nameOf(n) {
  if (n.name && (ts.isIdentifier(n.name) || ts.isStringLiteral(n.name) || ts.isPrivateIdentifier(n.name)))
    return n.name.text;
  if (ts.isConstructorDeclaration(n)) return 'constructor';
  const p = n.parent;
  if (p && (ts.isVariableDeclaration(p) || ts.isPropertyAssignment(p) || ts.isPropertyDeclaration(p))) {
    if (ts.isIdentifier(p.name) || ts.isStringLiteral(p.name)) return p.name.text;
  }
  return '<anonymous>';
}

/** The node whose leading comments document a function: the function, or the statement declaring it. */
function documented(n) {
  let d = n;
  while (d.parent && (ts.isVariableDeclaration(d.parent) || ts.isVariableDeclarationList(d.parent))) d = d.parent;
  if (d.parent && ts.isVariableStatement(d.parent)) d = d.parent;
  if (d.parent && (ts.isPropertyAssignment(d.parent) || ts.isPropertyDeclaration(d.parent))) d = d.parent;
  return d;
}

/**
 * Every function of a file with a body — declarations, methods, accessors, constructors, function
 * expressions and arrows — by its own span (nested functions count in their parent's span too), named
 * `Class.method`, the declared name, or the variable / property it is assigned to; `comment` is the text
 * of the comments right before it (or before the statement declaring it).
 */
export function functionsOf(file, sf) {
  const out = [];
  walk(sf, (n) => {
    if (!ts.isFunctionLike(n) || !n.body) return;
    const start = lineOf(sf, n.getStart());
    const cls = n.parent && ts.isClassLike(n.parent) && n.parent.name ? `${n.parent.name.text}.` : '';
    const d = documented(n);
    const ranges = ts.getLeadingCommentRanges(sf.text, d.getFullStart()) ?? [];
    const comment = ranges.map((r) => sf.text.slice(r.pos, r.end)).join('\n');
    out.push({ file, name: `${cls}${nameOf(n)}`, line: start, lines: lineOf(sf, n.getEnd()) - start + 1, comment });
  });
  return out;
}

/**
 * The parameter names of the exported functions of AssemblyScript sources (assembly/*.ts). AssemblyScript
 * decorators on functions (`@inline`) are not TypeScript: they are blanked out before parsing.
 */
export function assemblyExports(dir = join(ROOT, 'assembly')) {
  const out = new Map();
  for (const f of readdirSync(dir).filter((x) => x.endsWith('.ts'))) {
    const text = readFileSync(join(dir, f), 'utf8').replace(/^(\s*)@\w+/gm, (m) => ' '.repeat(m.length));
    walk(parse(f, text), (n) => {
      if (!ts.isFunctionDeclaration(n) || !n.name) return;
      if (!n.modifiers?.some((m) => m.kind === ts.SyntaxKind.ExportKeyword)) return;
      out.set(n.name.text, {
        file: `assembly/${f}`,
        params: n.parameters.map((p) => ({ name: p.name.getText(), type: p.type?.getText() ?? '' })),
        returns: n.type?.getText() ?? '',
      });
    });
  }
  return out;
}

/**
 * The JS twins' parameter names: every method (or function-valued property) of an object literal in
 * src/kernels/*.ts, by name.
 */
export function twinParameters(parsed) {
  const out = new Map();
  for (const [f, sf] of parsed) {
    if (!f.startsWith('kernels/')) continue;
    walk(sf, (n) => {
      if (!ts.isObjectLiteralExpression(n)) return;
      for (const p of n.properties) {
        const fn = ts.isMethodDeclaration(p)
          ? p
          : ts.isPropertyAssignment(p) && (ts.isFunctionExpression(p.initializer) || ts.isArrowFunction(p.initializer))
            ? p.initializer
            : undefined;
        if (fn && p.name && ts.isIdentifier(p.name))
          out.set(p.name.text, { file: f, params: fn.parameters.map((q) => q.name.getText()) });
      }
    });
  }
  return out;
}

/**
 * The names each public entry (src/index.ts, src/formats.ts, …) exports, resolved by the type checker through
 * re-exports: each with its kind (value or type-only) and the file under src/ that declares it. One program
 * for all the entries given (building it is the slow part).
 */
export function entriesExports(entries = ['index.ts']) {
  const files = entries.map((e) => join(SRC, e));
  const program = ts.createProgram(files, {
    target: ts.ScriptTarget.ES2022,
    module: ts.ModuleKind.ESNext,
    moduleResolution: ts.ModuleResolutionKind.Bundler,
    skipLibCheck: true,
    noEmit: true,
    paths: { '#platform': ['./src/platform/node.ts'] },
    baseUrl: ROOT,
    types: [],
  });
  const checker = program.getTypeChecker();
  const exportsOf = (file) =>
    checker
      .getExportsOfModule(checker.getSymbolAtLocation(program.getSourceFile(file)))
      .map((s) => {
        const t = s.flags & ts.SymbolFlags.Alias ? checker.getAliasedSymbol(s) : s;
        const decl = t.declarations?.[0];
        return {
          name: s.name,
          kind: t.flags & ts.SymbolFlags.Value ? 'value' : 'type',
          from: decl ? relative(SRC, decl.getSourceFile().fileName) : '?',
        };
      })
      .sort((a, b) => (a.kind === b.kind ? a.name.localeCompare(b.name) : a.kind === 'value' ? -1 : 1));
  return new Map(entries.map((e, i) => [e, exportsOf(files[i])]));
}

/** The names one public entry exports (see entriesExports). */
export function entryExports(entry = 'index.ts') {
  return entriesExports([entry]).get(entry);
}

export { ts };
