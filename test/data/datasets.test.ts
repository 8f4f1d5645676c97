import { createHash } from 'node:crypto';
import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync, zipSync } from 'fflate';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { DatasetError, datasets } from '../../src/data/index.js';
import { TarReader, safeEntryPath } from '../../src/data/datasets/archive.js';
import { browserBytes } from '../../src/data/datasets/download.js';
import { MOVIELENS } from '../../src/data/datasets/registry.js';

const enc = new TextEncoder();
const sha = (b: Uint8Array) => createHash('sha256').update(b).digest('hex');

/** A minimal ustar writer, independent of the reader under test. */
function tar(entries: [string, Uint8Array][]): Uint8Array {
  const blocks: Uint8Array[] = [];
  for (const [name, data] of entries) {
    const h = new Uint8Array(512);
    const put = (s: string, at: number) => h.set(enc.encode(s), at);
    put(name, 0);
    put('0000644\0', 100);
    put('0000000\0', 108);
    put('0000000\0', 116);
    put(data.length.toString(8).padStart(11, '0') + '\0', 124);
    put('00000000000\0', 136);
    put('        ', 148);
    put('0', 156);
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

const uData = enc.encode('2\t20\t4\t100\n1\t10\t5\t101\n1\t20\t3\t102\n');
const mlZip = zipSync({ 'ml-100k/u.data': uData, 'ml-100k/README': enc.encode('synthetic test archive') });
const evilZip = zipSync({ 'ml-100k/u.data': uData, '../evil.txt': enc.encode('pwned') });
const lfmZip = zipSync({ 'user_artists.dat': enc.encode('userID\tartistID\tweight\r\n2\t51\t10\r\n3\t51\t5\r\n') });
const tgz = gzipSync(
  tar([
    ['lastfm-dataset-360K/README.txt', enc.encode('readme')],
    ['lastfm-dataset-360K/usersha1-artmbid-artname-plays.tsv', enc.encode('u1\tmb1\tband a\t7\nu2\t\tband b\t3\n')],
  ]),
);
const evilTgz = gzipSync(tar([['lastfm-dataset-360K/../../evil.tsv', enc.encode('x\ty\tz\t1\n')]]));

let server: Server;
let base: string;
const requests: string[] = [];
const routes = new Map<string, Uint8Array>();

beforeAll(async () => {
  server = createServer((req, res) => {
    requests.push(req.url!);
    const body = routes.get(req.url!);
    if (!body) {
      res.writeHead(404).end('not found');
      return;
    }
    res.writeHead(200, { 'content-length': body.length }).end(body);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((r) => server.close(() => r())));

function cacheDir(): string {
  return mkdtempSync(join(tmpdir(), 'lowrank-cache-'));
}

describe('datasets: download, verify, extract, cache (local HTTP server)', () => {
  it('movielens 100k: downloads, verifies the sha256, extracts, parses; a cache hit makes no request', async () => {
    routes.set('/good/ml-100k.zip', mlZip);
    const dir = cacheDir();
    const progress: string[] = [];
    const opts = {
      baseUrl: `${base}/good`,
      sha256: sha(mlZip),
      cacheDir: dir,
      onProgress: (p: { phase: string }) => progress.push(p.phase),
    };
    requests.length = 0;
    const d = await datasets.movielens('100k', opts);
    expect(d.shape).toEqual([2, 2]);
    expect(d.users.ids()).toEqual([1, 2]);
    expect(Array.from(d.matrix.data)).toEqual([5, 3, 4]);
    expect(d.info?.name).toBe('ml-100k');
    expect(progress).toContain('download');
    expect(progress).toContain('parse');
    expect(existsSync(join(dir, 'ml-100k', 'ml-100k', 'u.data'))).toBe(true);
    expect(existsSync(join(dir, 'ml-100k', 'ml-100k', 'README'))).toBe(false); // only the ratings file
    expect(requests).toEqual(['/good/ml-100k.zip']);
    const again = await datasets.movielens('100k', opts);
    expect(again.nnz).toBe(3);
    expect(requests).toHaveLength(1);
    await datasets.movielens('100k', { ...opts, force: true });
    expect(requests).toHaveLength(2);
    rmSync(dir, { recursive: true, force: true });
  });
  it('a sha256 mismatch is a DatasetError and nothing is cached', async () => {
    routes.set('/good/ml-100k.zip', mlZip);
    const dir = cacheDir();
    const p = datasets.movielens('100k', { baseUrl: `${base}/good`, sha256: '0'.repeat(64), cacheDir: dir });
    await expect(p).rejects.toThrow(DatasetError);
    await expect(p).rejects.toThrow(`sha256 mismatch: expected ${'0'.repeat(64)}, got ${sha(mlZip)}`);
    expect(readdirSync(dir)).toEqual([]);
    rmSync(dir, { recursive: true, force: true });
  });
  it('without a caller sha256 the pinned md5 of ml-100k.zip is checked', async () => {
    routes.set('/good/ml-100k.zip', mlZip);
    const dir = cacheDir();
    await expect(datasets.movielens('100k', { baseUrl: `${base}/good`, cacheDir: dir })).rejects.toThrow(
      /md5 mismatch: expected 0e33842e24a9c977be4e0107933c0723/,
    );
    expect(readdirSync(dir)).toEqual([]);
    rmSync(dir, { recursive: true, force: true });
  });
  it('a zip entry escaping the target (zip-slip) rejects the archive; nothing is written', async () => {
    routes.set('/evil/ml-100k.zip', evilZip);
    const dir = cacheDir();
    const p = datasets.movielens('100k', { baseUrl: `${base}/evil`, sha256: sha(evilZip), cacheDir: join(dir, 'c') });
    await expect(p).rejects.toThrow(/refusing to extract entry "..\/evil.txt": the path escapes the target directory/);
    expect(readdirSync(join(dir, 'c'))).toEqual([]);
    expect(existsSync(join(dir, 'evil.txt'))).toBe(false);
    rmSync(dir, { recursive: true, force: true });
  });
  it('HTTP errors and unknown sizes/options', async () => {
    const dir = cacheDir();
    await expect(datasets.movielens('1m', { baseUrl: `${base}/missing`, cacheDir: dir })).rejects.toThrow(
      /ml-1m.zip: HTTP 404/,
    );
    expect(readdirSync(dir)).toEqual([]);
    await expect(datasets.movielens('5m' as never)).rejects.toThrow(
      /unknown size "5m"; expected one of '100k', '1m', '20m', 'latest-small'/,
    );
    await expect(datasets.lastfm('2k', { cache: 'x' } as never)).rejects.toThrow(/unknown option "cache"/);
    rmSync(dir, { recursive: true, force: true });
  });
  it('lastfm 2k: root-level entry, header and CRLF; no pinned checksum → warns with the sha256', async () => {
    routes.set('/lfm/hetrec2011-lastfm-2k.zip', lfmZip);
    const dir = cacheDir();
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {});
    const d = await datasets.lastfm('2k', { baseUrl: `${base}/lfm`, cacheDir: dir });
    expect(warn).toHaveBeenCalledWith(expect.stringContaining(`has sha256 ${sha(lfmZip)}`));
    warn.mockRestore();
    expect(d.users.ids()).toEqual([2, 3]);
    expect(Array.from(d.matrix.data)).toEqual([10, 5]);
    rmSync(dir, { recursive: true, force: true });
  });
  it('lastfm 360k: .tar.gz streamed, verified, the tsv extracted; tar path traversal rejected', async () => {
    routes.set('/tgz/lastfm-dataset-360K.tar.gz', tgz);
    routes.set('/evil/lastfm-dataset-360K.tar.gz', evilTgz);
    const dir = cacheDir();
    const d = await datasets.lastfm('360k', { baseUrl: `${base}/tgz`, sha256: sha(tgz), cacheDir: dir });
    expect(d.users.ids()).toEqual(['u1', 'u2']);
    expect(d.items.ids()).toEqual(['band a', 'band b']);
    expect(readdirSync(join(dir, 'lastfm-360k')).sort()).toEqual(['.lowrank-dataset.json', 'lastfm-dataset-360K']);
    const dir2 = cacheDir();
    await expect(
      datasets.lastfm('360k', { baseUrl: `${base}/evil`, sha256: sha(evilTgz), cacheDir: dir2 }),
    ).rejects.toThrow(/escapes the target directory/);
    expect(readdirSync(dir2)).toEqual([]);
    rmSync(dir, { recursive: true, force: true });
    rmSync(dir2, { recursive: true, force: true });
  });
});

describe('archive helpers', () => {
  it('safeEntryPath normalises harmless names and rejects escapes', () => {
    expect(safeEntryPath('a/./b//c.txt', 'z')).toBe('a/b/c.txt');
    expect(safeEntryPath('a/x/../c.txt', 'z')).toBe('a/c.txt');
    for (const bad of ['../a', 'a/../../b', '/etc/passwd', 'C:/x', 'a\\..\\b'])
      expect(() => safeEntryPath(bad, 'z')).toThrow(DatasetError);
  });
  it('TarReader gives the same files for any chunking and detects truncation', () => {
    const t = tar([
      ['d/a.txt', enc.encode('hello')],
      ['d/b.bin', new Uint8Array(1000).fill(7)],
    ]);
    for (const size of [1, 100, 511, 512, 513, t.length]) {
      const got = new Map<string, number[]>();
      const r = new TarReader('t.tar', (p) => {
        got.set(p, []);
        return (c) => got.get(p)!.push(...c);
      });
      for (let a = 0; a < t.length; a += size) r.push(t.slice(a, a + size));
      r.finish();
      expect([...got.keys()]).toEqual(['d/a.txt', 'd/b.bin']);
      expect(String.fromCharCode(...got.get('d/a.txt')!)).toBe('hello');
      expect(got.get('d/b.bin')).toEqual(new Array(1000).fill(7));
    }
    const r = new TarReader('t.tar', () => undefined);
    r.push(t.slice(0, 700));
    expect(() => r.finish()).toThrow(/truncated/);
    expect(() => new TarReader('x.tar', () => undefined).push(new Uint8Array(512).fill(1))).toThrow(
      /not a tar archive/,
    );
  });
});

describe('datasets in the browser: Cache API path (stubbed caches)', () => {
  it('caches only a verified archive; a hit makes no request', async () => {
    const store = new Map<string, Response>();
    vi.stubGlobal('caches', {
      open: async () => ({
        match: async (url: string) => store.get(url)?.clone(),
        put: async (url: string, res: Response) => void store.set(url, res),
      }),
    });
    try {
      routes.set('/b/ml-100k.zip', mlZip);
      requests.length = 0;
      await expect(browserBytes(MOVIELENS['100k'], { baseUrl: `${base}/b`, sha256: 'f'.repeat(64) })).rejects.toThrow(
        /sha256 mismatch/,
      );
      expect(store.size).toBe(0);
      const bytes = await browserBytes(MOVIELENS['100k'], { baseUrl: `${base}/b`, sha256: sha(mlZip) });
      expect(bytes).toEqual(uData);
      expect([...store.keys()]).toEqual([`${base}/b/ml-100k.zip`]);
      expect(await browserBytes(MOVIELENS['100k'], { baseUrl: `${base}/b`, sha256: sha(mlZip) })).toEqual(uData);
      expect(requests).toHaveLength(2);
      routes.set('/b/ml-100k.zip', evilZip);
      await expect(
        browserBytes(MOVIELENS['100k'], { baseUrl: `${base}/b`, sha256: sha(evilZip), force: true }),
      ).rejects.toThrow(/escapes the target/);
      expect(await (await store.get(`${base}/b/ml-100k.zip`)!.clone().arrayBuffer()).byteLength).toBe(mlZip.length);
    } finally {
      vi.unstubAllGlobals();
    }
  });
});
