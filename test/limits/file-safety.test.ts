// File safety: saveFile never leaves a partial file at the target path, even when the process is killed
// mid-write (a child process running the built bundle, SIGKILLed while its temporary file is being written);
// and data set downloads never write outside the cache directory, whatever the archive's entry names say.
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync, zipSync } from 'fflate';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { init } from '../../src/runtime/backend.js';
import { SparseMatrix } from '../../src/data/csr.js';
import { ImplicitALS } from '../../src/models/als/index.js';
import { loadModelFile } from '../../src/models/load.js';
import { DatasetError, datasets } from '../../src/data/index.js';

const repo = resolve(fileURLToPath(new URL('../..', import.meta.url)));
const bundle = join(repo, 'dist', 'index.mjs');

/** Every file and directory under `dir`, relative. */
function tree(dir: string): string[] {
  const out: string[] = [];
  const walk = (d: string) => {
    for (const e of readdirSync(d, { withFileTypes: true })) {
      const p = join(d, e.name);
      out.push(relative(dir, p));
      if (e.isDirectory()) walk(p);
    }
  };
  if (existsSync(dir)) walk(dir);
  return out.sort();
}

describe.skipIf(!existsSync(bundle))(
  'saveFile killed mid-write (child process on dist/index.mjs; run `npm run build` first)',
  () => {
    let dir: string;
    const ROWS = 500_000; // 500k users × 64 factors: a ~128 MB file, so the write takes long enough to be hit
    beforeAll(async () => {
      dir = mkdtempSync(join(tmpdir(), 'lowrank-kill-'));
      writeFileSync(
        join(dir, 'child.mjs'),
        `import { init, ImplicitALS, SparseMatrix } from ${JSON.stringify(bundle)};
await init({ backend: 'wasm' });
const rows = Number(process.argv[2]);
const m = SparseMatrix.fromCOO({ rows: [0, rows - 1], cols: [0, 1], values: [1, 2], shape: [rows, 2] });
const model = await new ImplicitALS({ factors: 64, iterations: 0, seed: 1 }).fit(m);
process.stdout.write('ready\\n');
await model.saveFile(process.argv[3]);
process.stdout.write('done\\n');
`,
      );
      await init({ backend: 'wasm' });
    });
    afterAll(() => rmSync(dir, { recursive: true, force: true }));

    /** Run the child; SIGKILL it as soon as its temporary file has bytes (unless `kill` is false). */
    function runChild(
      target: string,
      kill: boolean,
    ): Promise<{ killedMidWrite: boolean; code: number | null; tmpSizeAtKill: number }> {
      return new Promise((resolvePromise, reject) => {
        const child = spawn(process.execPath, [join(dir, 'child.mjs'), String(ROWS), target], {
          stdio: ['ignore', 'pipe', 'inherit'],
        });
        let killedMidWrite = false;
        let tmpSizeAtKill = 0;
        let timer: NodeJS.Timeout | undefined;
        child.stdout.on('data', (b: Buffer) => {
          if (!kill || !b.toString().includes('ready') || timer) return;
          const base = target.slice(target.lastIndexOf('/') + 1);
          timer = setInterval(() => {
            const tmp = readdirSync(dir).find((f) => f.startsWith(`${base}.`) && f.endsWith('.tmp'));
            if (!tmp) return;
            const size = statSync(join(dir, tmp), { throwIfNoEntry: false })?.size ?? 0;
            if (size === 0) return;
            child.kill('SIGKILL');
            killedMidWrite = true;
            tmpSizeAtKill = size;
            clearInterval(timer);
          }, 0);
        });
        child.on('error', reject);
        child.on('exit', (code) => {
          if (timer) clearInterval(timer);
          resolvePromise({ killedMidWrite, code, tmpSizeAtKill });
        });
      });
    }

    it('without a kill, the file is complete and loads', async () => {
      const target = join(dir, 'control.lrk');
      const r = await runChild(target, false);
      expect(r.code).toBe(0);
      const m = await loadModelFile(target);
      expect(m.userCount).toBe(ROWS);
      m.dispose();
    }, 60_000);

    it('killed mid-write with no previous file: nothing at the target path', async () => {
      const target = join(dir, 'fresh.lrk');
      const r = await runChild(target, true);
      expect(r.killedMidWrite).toBe(true);
      expect(r.code).toBe(null); // killed by the signal
      expect(existsSync(target)).toBe(false);
      console.log(
        `saveFile kill test: killed with ${r.tmpSizeAtKill} bytes of the temporary file written; target absent`,
      );
    }, 60_000);

    it('killed mid-write over a previous model: the previous complete file is still there and loads', async () => {
      const target = join(dir, 'existing.lrk');
      const old = await new ImplicitALS({ factors: 2, iterations: 1, seed: 5 }).fit(
        SparseMatrix.fromCOO({ rows: [0, 1, 2], cols: [0, 1, 1], shape: [3, 2] }),
      );
      await old.saveFile(target);
      const before = old.userFactors;
      const r = await runChild(target, true);
      expect(r.killedMidWrite).toBe(true);
      const m = (await loadModelFile(target)) as ImplicitALS;
      expect(m.userCount).toBe(3);
      expect(m.userFactors).toEqual(before);
      console.log(
        `saveFile kill test: killed with ${r.tmpSizeAtKill} bytes written; the previous model loads unchanged`,
      );
    }, 60_000);
  },
);

describe('data set downloads never write outside the cache directory', () => {
  const enc = new TextEncoder();
  const uData = enc.encode('1\t10\t5\t101\n2\t20\t4\t100\n');
  let server: Server;
  let base: string;
  const routes = new Map<string, Uint8Array>();
  let sandbox: string;
  const marker = `evil-${process.pid}-${Date.now()}`;

  function tar(entries: [string, Uint8Array, string?, string?][]): Uint8Array {
    const blocks: Uint8Array[] = [];
    for (const [name, data, type = '0', link = ''] of entries) {
      const h = new Uint8Array(512);
      const put = (s: string, at: number) => h.set(enc.encode(s), at);
      put(name, 0);
      put('0000644\0', 100);
      put('0000000\0', 108);
      put('0000000\0', 116);
      put(data.length.toString(8).padStart(11, '0') + '\0', 124);
      put('00000000000\0', 136);
      put('        ', 148);
      put(type, 156);
      put(link, 157);
      put('ustar\0', 257);
      put('00', 263);
      let sum = 0;
      for (const b of h) sum += b;
      put(sum.toString(8).padStart(6, '0') + '\0 ', 148);
      blocks.push(h, data, new Uint8Array((512 - (data.length % 512)) % 512));
    }
    blocks.push(new Uint8Array(1024));
    const out = new Uint8Array(blocks.reduce((n, b) => n + b.length, 0));
    let o = 0;
    for (const b of blocks) {
      out.set(b, o);
      o += b.length;
    }
    return out;
  }

  const TSV = 'lastfm-dataset-360K/usersha1-artmbid-artname-plays.tsv';
  const evilZips: [string, Uint8Array][] = [
    ['parent', zipSync({ 'ml-100k/u.data': uData, [`../${marker}.txt`]: enc.encode('x') })],
    ['grandparent', zipSync({ 'ml-100k/u.data': uData, [`../../${marker}.txt`]: enc.encode('x') })],
    [
      'climbing through a folder',
      zipSync({ 'ml-100k/u.data': uData, [`ml-100k/../../../${marker}.txt`]: enc.encode('x') }),
    ],
    ['absolute', zipSync({ 'ml-100k/u.data': uData, [`/tmp/${marker}.txt`]: enc.encode('x') })],
    ['backslashes', zipSync({ 'ml-100k/u.data': uData, [`..\\..\\${marker}.txt`]: enc.encode('x') })],
    ['the wanted file itself outside', zipSync({ [`../../${marker}/ml-100k/u.data`]: uData })],
  ];
  const evilTars: [string, Uint8Array][] = [
    [
      'tar: climbing entry',
      gzipSync(
        tar([
          [TSV, enc.encode('u\tm\ta\t1\n')],
          [`lastfm-dataset-360K/../../../${marker}.tsv`, enc.encode('x')],
        ]),
      ),
    ],
    ['tar: the wanted file outside', gzipSync(tar([[`../../${marker}/${TSV}`, enc.encode('u\tm\ta\t1\n')]]))],
    [
      'tar: absolute entry',
      gzipSync(
        tar([
          [`/tmp/${marker}.tsv`, enc.encode('x')],
          [TSV, enc.encode('u\tm\ta\t1\n')],
        ]),
      ),
    ],
    [
      'tar: symlink out of the cache, then a file through it',
      gzipSync(
        tar([
          ['lastfm-dataset-360K', new Uint8Array(0), '2', tmpdir()],
          [TSV, enc.encode('u\tm\ta\t1\n')],
        ]),
      ),
    ],
  ];

  beforeAll(async () => {
    sandbox = mkdtempSync(join(tmpdir(), 'lowrank-dl-sandbox-'));
    for (const [n, z] of evilZips) routes.set(`/zip-${encodeURIComponent(n)}/ml-100k.zip`, z);
    for (const [n, z] of evilTars) routes.set(`/tar-${encodeURIComponent(n)}/lastfm-dataset-360K.tar.gz`, z);
    server = createServer((req, res) => {
      const body = routes.get(req.url!);
      if (!body) res.writeHead(404).end();
      else res.writeHead(200, { 'content-length': body.length }).end(body);
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    await new Promise<void>((r) => server.close(() => r()));
    rmSync(sandbox, { recursive: true, force: true });
  });

  const sha = async (b: Uint8Array) => (await import('node:crypto')).createHash('sha256').update(b).digest('hex');

  it.each([...evilZips.map(([n, z]) => ['zip', n, z] as const), ...evilTars.map(([n, z]) => ['tar', n, z] as const)])(
    '%s archive, %s: refused or contained',
    async (kind, name, bytes) => {
      const cache = join(sandbox, `cache-${kind}-${name.replace(/\W+/g, '-')}`);
      mkdirSync(cache);
      const outsideBefore = tree(sandbox).filter((p) => !p.startsWith(relative(sandbox, cache)));
      const tmpBefore = readdirSync(tmpdir()).filter((f) => f.includes(marker));
      const opts = {
        baseUrl: `${base}/${kind}-${encodeURIComponent(name)}`,
        sha256: await sha(bytes),
        cacheDir: cache,
      };
      const p = kind === 'zip' ? datasets.movielens('100k', opts) : datasets.lastfm('360k', opts);
      const e = await p.then(
        () => undefined,
        (x) => x,
      );
      // Nothing new outside the cache directory: not in the sandbox, not in the system temp directory.
      expect(tree(sandbox).filter((f) => !f.startsWith(relative(sandbox, cache)))).toEqual(outsideBefore);
      expect(readdirSync(tmpdir()).filter((f) => f.includes(marker))).toEqual(tmpBefore);
      expect(tree(sandbox).some((f) => f.includes(marker))).toBe(false);
      if (e !== undefined) {
        expect(e).toBeInstanceOf(DatasetError);
        // A refused download leaves no partial directory and no marker behind.
        expect(tree(cache)).toEqual([]);
      } else {
        // Accepted (the unsafe part was a link, which is never extracted): everything it wrote is a regular file in the cache.
        for (const f of tree(cache)) expect(resolve(cache, f).startsWith(cache + '/')).toBe(true);
      }
    },
  );
});
