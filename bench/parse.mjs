// Parse throughput: a generated MovieLens-1M-like '::' file (1M lines, ~24 MB) read with
// readInteractions. Usage: npm run build && node bench/parse.mjs [lines] [path-to-bundle]
import { createWriteStream, statSync, unlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';

const lines = Number(process.argv[2] ?? 1_000_000);
const bundle = process.argv[3] ? pathToFileURL(resolve(process.argv[3])).href : new URL('../dist/index.mjs', import.meta.url).href;
const { readInteractions } = await import(bundle);
if (typeof readInteractions !== 'function') throw new Error(`${bundle} does not export readInteractions`);

// Deterministic (mulberry32) so the file is the same every run; ratings 1-5, ML-1M-like id ranges.
const file = join(tmpdir(), `lowrank-bench-${lines}.dat`);
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
    if (buf.length > 1 << 20) {
      out.write(buf);
      buf = '';
    }
  }
  out.end(buf, done);
});
const mb = statSync(file).size / 1e6;
const runs = [];
const cpu = [];
let result;
for (let r = 0; r < 5; r++) {
  const t0 = performance.now();
  const c0 = process.cpuUsage();
  result = await readInteractions(file, { format: 'movielens-1m', duplicates: 'last' });
  runs.push(performance.now() - t0);
  const c = process.cpuUsage(c0);
  cpu.push((c.user + c.system) / 1000);
}
unlinkSync(file);
const best = Math.min(...runs);
console.log(`parse ${lines} lines (${mb.toFixed(1)} MB, '::'): wall ${runs.map((x) => x.toFixed(0)).join(', ')} ms; best ${best.toFixed(0)} ms = ${(lines / best / 1e3).toFixed(2)} M lines/s, ${((mb / best) * 1e3).toFixed(0)} MB/s`);
console.log(`  CPU time (user+sys, includes GC threads) ${cpu.map((x) => x.toFixed(0)).join(', ')} ms; load average ${(await import('node:os')).loadavg()[0].toFixed(1)}`);
console.log(`result: ${result.nnz} nonzeros, ${result.shape.join(' × ')}, report lines ${result.report.lines}`);
