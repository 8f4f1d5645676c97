// The README's examples, executed against the built package (dist/) so they cannot rot: every ```ts/```js
// block type-checks and runs (blocks of one section continue each other, as one .mjs file), every block with
// an import line imports what it uses, every `lowrank …` line of the ```sh blocks runs, and every relative
// link resolves. The data is generated here, small, under the names the README uses (never ../shared).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';
import { synthetic } from '../../src/data/synthetic.js';
import { cliLines, codeBlocks, missingImports, sessionModule, sessions } from './blocks.js';

const root = join(dirname(fileURLToPath(import.meta.url)), '../..');
const dist = join(root, 'dist/index.mjs');
const readme = readFileSync(join(root, 'README.md'), 'utf8');
const blocks = codeBlocks(readme);
const built = existsSync(dist) && existsSync(join(root, 'dist/cli.mjs'));

let dir = '';

/** Write the files the examples read: MovieLens-style u.data (with user 196 and items 50, 172, 181), and the CSV/TSV files of "Read your data". */
function writeData(): void {
  const s = synthetic({ users: 220, items: 260, density: 0.06, seed: 5 });
  const lines: string[] = [];
  const seen = new Set<string>();
  for (let u = 0; u < s.matrix.rows; u++) {
    const { indices, values } = s.matrix.row(u);
    for (let q = 0; q < indices.length; q++) {
      seen.add(`${u + 1}:${indices[q] + 1}`);
      lines.push(`${u + 1}\t${indices[q] + 1}\t${values[q]}\t${881250000 + lines.length}`);
    }
  }
  for (const i of [50, 172, 181, 1, 2])
    if (!seen.has(`196:${i}`)) lines.push(`196\t${i}\t4\t${881250000 + lines.length}`);
  const udata = lines.join('\n') + '\n';
  mkdirSync(join(dir, 'ml-100k'));
  writeFileSync(join(dir, 'ml-100k/u.data'), udata);
  writeFileSync(join(dir, 'u.data'), udata);
  const fields = lines.map((l) => l.split('\t'));
  writeFileSync(
    join(dir, 'plays.csv'),
    'product;uid;plays\n' + fields.map((f) => `${f[1]};${f[0]};${Number(f[2]) * 3}`).join('\n') + '\n',
  );
  writeFileSync(join(dir, 'export.txt'), fields.map((f) => `${f[1]}|${f[0]}|${f[2]}`).join('\n') + '\n');
  writeFileSync(
    join(dir, 'ratings.csv'),
    'user,title,year,stars\n' + fields.map((f) => `${f[0]},Film ${f[1]},1990,${f[2]}`).join('\n') + '\n',
  );
}

beforeAll(() => {
  if (!built) return;
  dir = mkdtempSync(join(tmpdir(), 'lowrank-readme-'));
  // `import … from 'lowrank'` resolves to this checkout, as an installed package would.
  mkdirSync(join(dir, 'node_modules'));
  symlinkSync(root, join(dir, 'node_modules/lowrank'), 'dir');
  writeFileSync(join(dir, 'package.json'), JSON.stringify({ type: 'module', private: true }));
  writeData();
});
afterAll(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe('README', () => {
  it('has examples to run', () => {
    expect(sessions(blocks).length).toBeGreaterThanOrEqual(2);
    expect(cliLines(blocks).length).toBeGreaterThanOrEqual(5);
  });

  it.skipIf(!built)('every block with an import line imports what it uses from the package', async () => {
    const names = Object.keys(await import(/* @vite-ignore */ dist));
    for (const s of sessions(blocks)) {
      for (const b of s.blocks)
        expect(missingImports(b, names), `README line ${b.line} uses but does not import`).toEqual([]);
    }
  });

  it.skipIf(!built)(
    'the examples type-check against dist/index.d.ts (strict TypeScript)',
    () => {
      const files = sessions(blocks).map((s, k) => {
        const f = join(dir, `session-${k + 1}.ts`);
        writeFileSync(f, sessionModule(s.blocks));
        return f;
      });
      const program = ts.createProgram(files, {
        target: ts.ScriptTarget.ES2022,
        module: ts.ModuleKind.ESNext,
        moduleResolution: ts.ModuleResolutionKind.Bundler,
        lib: ['lib.es2022.d.ts', 'lib.dom.d.ts'],
        types: ['node'],
        typeRoots: [join(root, 'node_modules/@types')],
        strict: true,
        noEmit: true,
        skipLibCheck: true,
      });
      const problems = ts.getPreEmitDiagnostics(program).map((d) => {
        const where =
          d.file && d.start !== undefined
            ? `${d.file.fileName.split('/').pop()}:${d.file.getLineAndCharacterOfPosition(d.start).line + 1}: `
            : '';
        return where + ts.flattenDiagnosticMessageText(d.messageText, '\n');
      });
      // A promise left floating (`terminate();`) finishes after the code that relies on it.
      const checker = program.getTypeChecker();
      for (const f of files) {
        const sf = program.getSourceFile(f)!;
        const visit = (node: ts.Node): void => {
          if (ts.isExpressionStatement(node) && ts.isCallExpression(node.expression)) {
            const type = checker.getTypeAtLocation(node.expression);
            if (type.getSymbol()?.getName() === 'Promise') {
              problems.push(
                `${f.split('/').pop()}:${sf.getLineAndCharacterOfPosition(node.getStart()).line + 1}: a promise is not awaited: ${node.getText()}`,
              );
            }
          }
          ts.forEachChild(node, visit);
        };
        visit(sf);
      }
      expect(problems).toEqual([]);
    },
    60_000,
  );

  for (const [k, s] of sessions(blocks).entries()) {
    it.skipIf(!built)(
      `the "${s.section}" examples run as a .mjs file (README lines ${s.blocks.map((b) => b.line).join(', ')})`,
      () => {
        const file = join(dir, `session-${k + 1}.mjs`);
        writeFileSync(file, sessionModule(s.blocks));
        const r = spawnSync(process.execPath, [file], { cwd: dir, encoding: 'utf8', timeout: 180_000 });
        expect(r.stderr, r.stdout).toBe('');
        expect(r.status).toBe(0);
      },
      200_000,
    );
  }

  it.skipIf(!built)(
    'every `lowrank …` command line runs, in order',
    () => {
      for (const { args, line } of cliLines(blocks)) {
        const r = spawnSync(process.execPath, [join(root, 'dist/cli.mjs'), ...args, '--quiet'], {
          cwd: dir,
          encoding: 'utf8',
          timeout: 180_000,
        });
        expect(r.stderr, `README line ${line}: lowrank ${args.join(' ')}`).toBe('');
        expect(r.status, `README line ${line}`).toBe(0);
        expect(r.stdout.length, `README line ${line}`).toBeGreaterThan(0);
      }
    },
    300_000,
  );

  it('every relative link points to a file of the repository', () => {
    const links = [...readme.matchAll(/\]\(([^)\s]+)\)/g)]
      .map((m) => m[1])
      .filter((l) => !/^[a-z]+:/i.test(l) && !l.startsWith('#'));
    expect(links.length).toBeGreaterThan(0);
    for (const l of links) expect(existsSync(join(root, l.split('#')[0])), `README links to ${l}`).toBe(true);
  });
});
