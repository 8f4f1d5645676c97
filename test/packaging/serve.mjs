// A static server for the browser consumers: serves one directory with the headers threads need
// (COOP/COEP), receives the page's result (POST /__result) and records every JavaScript file it served,
// split at the page's mark (POST /__mark): what a user downloads before the first recommendation.
import { createServer } from 'node:http';
import { readFileSync, statSync } from 'node:fs';
import { extname, join, normalize } from 'node:path';
import { gzipSync } from 'node:zlib';

const TYPES = { '.html': 'text/html', '.js': 'text/javascript', '.mjs': 'text/javascript', '.cjs': 'text/javascript', '.map': 'application/json', '.json': 'application/json', '.wasm': 'application/wasm', '.css': 'text/css' };
export const ISOLATION = { 'Cross-Origin-Opener-Policy': 'same-origin', 'Cross-Origin-Embedder-Policy': 'require-corp', 'Cross-Origin-Resource-Policy': 'same-origin' };

/**
 * Serve `dir` on 127.0.0.1; resolves to { url, page(open, path) → { result, js }, close }. `probes`
 * (name → string): each served JS file records which of the strings it contains.
 */
export async function serveDir(dir, probes = {}) {
  let current;
  const server = createServer((req, res) => {
    const url = new URL(req.url, 'http://x');
    if (req.method === 'POST') {
      let body = '';
      req.on('data', (d) => (body += d));
      req.on('end', () => {
        res.writeHead(204, ISOLATION).end();
        if (!current) return;
        if (url.pathname === '/__mark') current.marked = true;
        else if (url.pathname === '/__result') current.resolve(JSON.parse(body));
      });
      return;
    }
    const file = normalize(join(dir, decodeURIComponent(url.pathname === '/' ? '/index.html' : url.pathname)));
    let bytes;
    try {
      if (!file.startsWith(dir) || !statSync(file).isFile()) throw new Error('not a file');
      bytes = readFileSync(file);
    } catch {
      res.writeHead(404, ISOLATION).end();
      return;
    }
    const type = TYPES[extname(file)] ?? 'application/octet-stream';
    if (current && type === 'text/javascript') {
      const text = bytes.toString('utf8');
      current.js.push({
        path: url.pathname,
        bytes: bytes.length,
        gz: gzipSync(bytes, { level: 9 }).length,
        beforeMark: !current.marked,
        probes: Object.keys(probes).filter((k) => text.includes(probes[k])),
      });
    }
    res.writeHead(200, { ...ISOLATION, 'content-type': type, 'cache-control': 'no-store' }).end(bytes);
  });
  await new Promise((r) => server.listen(0, '127.0.0.1', r));
  const base = `http://127.0.0.1:${server.address().port}`;
  return {
    url: base,
    /** Open `path` with `open(url)` and wait for the page's result (rejects after `timeoutMs`). */
    async page(open, path = '/', timeoutMs = 120_000) {
      const state = { js: [], marked: false };
      const result = new Promise((resolve) => (state.resolve = resolve));
      current = state;
      let timer;
      try {
        await open(`${base}${path}`);
        const r = await Promise.race([result, new Promise((_, rej) => (timer = setTimeout(() => rej(new Error(`no result from ${path} within ${timeoutMs / 1000} s`)), timeoutMs)))]);
        return { result: r, js: state.js };
      } finally {
        clearTimeout(timer);
        current = undefined;
      }
    },
    close: () => new Promise((r) => server.close(r)),
  };
}
