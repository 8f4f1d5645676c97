// Serving the browser consumers: a static server for built output, with the headers threads need
// (COOP/COEP), and a collector (also mounted in the vite dev server) that receives the page's result
// (POST /__result) and records every JavaScript file served, split at the page's mark (POST /__mark): what a
// user downloads before the first recommendation.
import { createServer } from 'node:http';
import { readFileSync, statSync } from 'node:fs';
import { extname, join, normalize } from 'node:path';
import { gzipSync } from 'node:zlib';

const TYPES = {
  '.html': 'text/html',
  '.js': 'text/javascript',
  '.mjs': 'text/javascript',
  '.cjs': 'text/javascript',
  '.map': 'application/json',
  '.json': 'application/json',
  '.wasm': 'application/wasm',
  '.css': 'text/css',
};
export const ISOLATION = {
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cross-Origin-Embedder-Policy': 'require-corp',
  'Cross-Origin-Resource-Policy': 'same-origin',
};

/**
 * Results of the page being run. `probes` (name → string): each recorded JS file notes which of the
 * strings it contains.
 */
export function collector(probes = {}) {
  let current;
  return {
    /** Handle POST /__mark and /__result; false for any other request. */
    handle(req, res) {
      const path = new URL(req.url, 'http://x').pathname;
      if (req.method !== 'POST' || (path !== '/__mark' && path !== '/__result')) return false;
      let body = '';
      req.on('data', (d) => (body += d));
      req.on('end', () => {
        res.writeHead(204, ISOLATION).end();
        if (!current) return;
        if (path === '/__mark') current.marked = true;
        else current.resolve(JSON.parse(body));
      });
      return true;
    },
    /** Note a JavaScript file sent to the page. */
    record(path, bytes) {
      if (!current) return;
      const text = Buffer.from(bytes).toString('utf8');
      current.js.push({
        path,
        bytes: bytes.length,
        gz: gzipSync(bytes, { level: 9 }).length,
        beforeMark: !current.marked,
        probes: Object.keys(probes).filter((k) => text.includes(probes[k])),
      });
    },
    /** Open `url` with `open(url)` and wait for the page's result (rejects after `timeoutMs`). */
    async page(open, url, timeoutMs = 120_000) {
      const state = { js: [], marked: false };
      const result = new Promise((resolve) => (state.resolve = resolve));
      current = state;
      let timer;
      try {
        await open(url);
        const r = await Promise.race([
          result,
          new Promise(
            (_, rej) =>
              (timer = setTimeout(
                () => rej(new Error(`no result from ${url} within ${timeoutMs / 1000} s`)),
                timeoutMs,
              )),
          ),
        ]);
        return { result: r, js: state.js };
      } finally {
        clearTimeout(timer);
        current = undefined;
      }
    },
  };
}

/** Serve `dir` on 127.0.0.1; resolves to { page(open, path) → { result, js }, close }. */
export async function serveDir(dir, probes = {}) {
  const c = collector(probes);
  const server = createServer((req, res) => {
    if (c.handle(req, res)) return;
    const url = new URL(req.url, 'http://x');
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
    if (type === 'text/javascript') c.record(url.pathname, bytes);
    res.writeHead(200, { ...ISOLATION, 'content-type': type, 'cache-control': 'no-store' }).end(bytes);
  });
  await new Promise((r) => server.listen(0, '127.0.0.1', r));
  const base = `http://127.0.0.1:${server.address().port}`;
  return {
    page: (open, path = '/', timeoutMs) => c.page(open, `${base}${path}`, timeoutMs),
    close: () => new Promise((r) => server.close(r)),
  };
}
