// Mutation fuzzing of the readers of outside bytes (.lrk, .npy, .npz, Parquet, delimited text) on the built
// bundle. Each reader runs in a child process watched by this one: a case that throws anything but a
// LowrankError is a bug, one that runs past --timeout seconds a hang (the child is killed and restarted after
// it), a child that dies a crash; each child's peak RSS is compared with its cap (FUZZ_CAP per case).
//
//   node bench/fuzz/run.mjs [--cases 10000] [--reader lrk,npy,npz,parquet,delimited] [--timeout 10] [--json out.json]
//   node bench/fuzz/run.mjs --reader npz --case 1234      # replay one case, printing its outcome
import { spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { FUZZ_CAP, readers, runCase } from './engine.mjs';

const args = process.argv.slice(2);
const opt = (name, dflt) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? args[i + 1] : dflt;
};
const NAMES = ['lrk', 'npy', 'npz', 'parquet', 'delimited'];
const dist = process.env.LOWRANK_DIST
  ? pathToFileURL(resolve(process.env.LOWRANK_DIST)).href
  : new URL('../../dist/internal.mjs', import.meta.url).href;

if (opt('child') !== undefined) {
  // Child: run cases [from, to) of one reader, one line of JSON per event on stdout.
  const lib = await import(dist);
  const list = await readers(lib);
  const index = list.findIndex((t) => t.name === opt('child'));
  const t = list[index];
  const from = Number(opt('from'));
  const to = Number(opt('to'));
  const heap = lib.getBackend().heap;
  const base = heap.bytesInUse;
  const rss0 = process.memoryUsage().rss;
  const say = (o) => process.stdout.write(`${JSON.stringify(o)}\n`);
  say({ start: from, rss0 });
  for (let i = from; i < to; i++) {
    const r = await runCase(lib, t, index, i);
    const leak = heap.bytesInUse - base;
    say({
      i,
      outcome: r.outcome,
      ms: +r.ms.toFixed(2),
      detail:
        r.outcome === 'bug' || r.ms > 1000 ? r.detail : r.outcome === 'error' ? r.detail.split(':')[0] : undefined,
      leak: leak || undefined,
    });
  }
  say({ end: to, maxRss: process.resourceUsage().maxRSS * 1024, rss0 });
  process.exit(0);
}

if (opt('case') !== undefined) {
  const lib = await import(dist);
  const list = await readers(lib);
  const index = list.findIndex((t) => t.name === opt('reader'));
  if (index < 0) throw new Error(`--reader must be one of ${NAMES.join(', ')}`);
  console.log(await runCase(lib, list[index], index, Number(opt('case'))));
  process.exit(0);
}

const cases = Number(opt('cases', 10000));
const timeout = Number(opt('timeout', 10)) * 1000;
const which = opt('reader', NAMES.join(',')).split(',');
const script = fileURLToPath(import.meta.url);

/** Run cases [from, cases) of `name` in children, restarting after a hang or crash. */
async function fuzzReader(name) {
  const s = {
    reader: name,
    cases: 0,
    ok: 0,
    typedErrors: {},
    bugs: [],
    hangs: [],
    crashes: [],
    leaks: [],
    slowest: { ms: 0 },
    maxRssBytes: 0,
    rssBaseBytes: 0,
    seconds: 0,
  };
  const t0 = performance.now();
  let next = 0;
  while (next < cases) {
    const end = await new Promise((done) => {
      const child = spawn(process.execPath, [script, '--child', name, '--from', String(next), '--to', String(cases)], {
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      let buf = '';
      let last = next - 1;
      let finished = false;
      let stderr = '';
      let timer;
      const arm = () => {
        clearTimeout(timer);
        timer = setTimeout(
          () => {
            s.hangs.push({ case: last + 1, after: `${timeout / 1000} s` });
            child.kill('SIGKILL');
          },
          timeout + (last < next ? 60_000 : 0),
        ); // the first case also waits for the child's setup
      };
      arm();
      child.stderr.on('data', (d) => (stderr = (stderr + d).slice(-2000)));
      child.stdout.on('data', (d) => {
        buf += d;
        let nl;
        while ((nl = buf.indexOf('\n')) >= 0) {
          const line = buf.slice(0, nl);
          buf = buf.slice(nl + 1);
          const m = JSON.parse(line);
          if (m.i !== undefined) {
            last = m.i;
            s.cases++;
            if (m.outcome === 'ok') s.ok++;
            else if (m.outcome === 'error') s.typedErrors[m.detail] = (s.typedErrors[m.detail] ?? 0) + 1;
            else s.bugs.push({ case: m.i, detail: m.detail });
            if (m.leak) s.leaks.push({ case: m.i, bytes: m.leak });
            if (m.ms > s.slowest.ms) s.slowest = { case: m.i, ms: m.ms, detail: m.detail };
            arm();
          } else if (m.end !== undefined) {
            finished = true;
            s.maxRssBytes = Math.max(s.maxRssBytes, m.maxRss);
            s.rssBaseBytes = Math.max(s.rssBaseBytes, m.rss0);
          }
        }
      });
      child.on('close', (code, signal) => {
        // 'close', not 'exit': after every line of stdout was read
        clearTimeout(timer);
        if (!finished && signal !== 'SIGKILL')
          s.crashes.push({ case: last + 1, code, signal, stderr: stderr.trim().split('\n').slice(-5).join('\n') });
        if (!finished && last < next) throw new Error(`${name}: the child died before its first case:\n${stderr}`);
        done(finished ? cases : last + 2); // skip the case that hung or crashed
      });
    });
    next = end;
  }
  s.seconds = +((performance.now() - t0) / 1000).toFixed(1);
  // Peak RSS over the child's own baseline (bundle, WASM heap, seeds) must stay within the per-case cap.
  s.peakOverBaseBytes = s.maxRssBytes - s.rssBaseBytes;
  s.withinCap = s.peakOverBaseBytes <= FUZZ_CAP * 2;
  return s;
}

const results = [];
for (const name of which) {
  if (!NAMES.includes(name)) throw new Error(`unknown reader ${name}; expected ${NAMES.join(', ')}`);
  const s = await fuzzReader(name);
  results.push(s);
  const errors = Object.entries(s.typedErrors)
    .map(([k, v]) => `${k} ${v}`)
    .join(', ');
  console.log(
    `${name.padEnd(10)} ${s.cases} cases in ${s.seconds} s: ${s.ok} loaded, typed errors {${errors}}, ${s.bugs.length} untyped errors, ${s.hangs.length} hangs, ${s.crashes.length} crashes, ${s.leaks.length} heap leaks; ` +
      `slowest ${s.slowest.ms.toFixed(0)} ms (case ${s.slowest.case}); peak RSS ${(s.maxRssBytes / 2 ** 20).toFixed(0)} MiB, ${(s.peakOverBaseBytes / 2 ** 20).toFixed(0)} MiB over the child's baseline (cap per case ${FUZZ_CAP / 2 ** 20} MiB)`,
  );
  for (const b of [...s.bugs.slice(0, 5), ...s.hangs.slice(0, 5), ...s.crashes.slice(0, 5)])
    console.log(`  case ${b.case}: ${b.detail ?? b.after ?? b.stderr}`);
}
const json = opt('json');
if (json)
  writeFileSync(
    json,
    JSON.stringify({ date: new Date().toISOString(), casesPerReader: cases, capBytes: FUZZ_CAP, results }, null, 1),
  );
process.exit(
  results.every((s) => !s.bugs.length && !s.hangs.length && !s.crashes.length && !s.leaks.length && s.withinCap)
    ? 0
    : 1,
);
