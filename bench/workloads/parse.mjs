// Parsing: readInteractions on a generated MovieLens-1M-like '::' file (and the real ML-100k / Last.fm-2k
// files with --data). Parsing is plain JS whatever the backend, so it runs once, in the js column.
import { createWriteStream, statSync, unlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ml100kPath, lastfmPath } from '../lib/data.mjs';

export const name = 'parse';
export const title = 'Parsing (readInteractions; pure JS, backend-independent)';

async function generate(lines) {
  const file = join(tmpdir(), `lowrank-bench-${process.pid}-${lines}.dat`);
  let s = 12345;
  const rnd = (n) => {
    let t = (s = (s + 0x6d2b79f5) | 0);
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return Math.floor((((t ^ (t >>> 14)) >>> 0) / 4294967296) * n);
  };
  await new Promise((done, fail) => {
    const out = createWriteStream(file);
    out.on('error', fail);
    let buf = '';
    for (let i = 0; i < lines; i++) {
      buf += `${1 + rnd(6040)}::${1 + rnd(3952)}::${1 + rnd(5)}::${956703932 + rnd(90000000)}\n`;
      if (buf.length > 1 << 20) out.write(buf), (buf = '');
    }
    out.end(buf, done);
  });
  return file;
}

export async function cases({ lib, quick, data }) {
  const lines = quick ? 200_000 : 1_000_000;
  const files = [
    {
      path: await generate(lines),
      format: 'movielens-1m',
      what: `generated ML-1M-like '::' file, ${lines / 1e6}M lines`,
      tmp: true,
      duplicates: 'last',
    },
  ];
  const ml = ml100kPath(data);
  if (ml) files.push({ path: ml, format: 'movielens-100k', what: 'ML-100k u.data' });
  const lf = lastfmPath(data);
  if (lf) files.push({ path: lf, format: 'lastfm-2k', what: 'Last.fm-2k user_artists.dat' });
  return files.map((f) => {
    const mb = statSync(f.path).size / 1e6;
    return {
      id: `parse/${f.format}`,
      label: `readInteractions '${f.format}'`,
      dataset: `${f.what} (${mb.toFixed(1)} MB)`,
      backends: ['js'],
      setup() {
        let r;
        return {
          run: async () => {
            r = await lib.readInteractions(f.path, {
              format: f.format,
              ...(f.duplicates ? { duplicates: f.duplicates } : {}),
            });
          },
          check: () => ({ nnz: r.matrix.nnz, lines: r.report.lines, megabytes: +mb.toFixed(2) }),
          dispose: () => f.tmp && unlinkSync(f.path),
        };
      },
    };
  });
}
