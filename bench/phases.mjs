// Where an ALS iteration's time goes, per phase (Gram, each half-step) on 1 and N threads: the kernel
// runner's gram/runRows wrapped with timers. Fits alternate wasm / wasm-threads (ABAB); per phase the
// median over runs of the mean per iteration (STAT=min: the minimum, steadier on a shared machine).
//   npm run build && node bench/phases.mjs [--data ../shared/data] [--runs 5] [--threads 2] [--only cg,cholesky,explicit]
import { lastfmTrain, ratingsTrain } from './lib/data.mjs';
const args = process.argv.slice(2);
const opt = (n, d) => (args.includes(`--${n}`) ? args[args.indexOf(`--${n}`) + 1] : d);
const runs = Number(opt('runs', 5));
const threads = Number(opt('threads', 2));
const lib = await import(new URL('../dist/internal.mjs', import.meta.url).href);
const sets = [];
const lf = await lastfmTrain(lib, opt('data', undefined));
if (lf) sets.push(lf);
sets.push(ratingsTrain(lib));
const only = opt('only', 'cg,cholesky,explicit').split(',');
const backends = [{ backend: 'wasm' }, { backend: 'wasm-threads', threads }];
for (const o of backends) await lib.init(o);
const median = process.env.STAT === 'min' ? (a) => Math.min(...a) : (a) => [...a].sort((x, y) => x - y)[a.length >> 1];
for (const d of sets) {
  for (const solver of only) {
    const acc = backends.map(() => ({}));
    const iters = backends.map(() => []);
    for (let r = 0; r < runs + 1; r++) {
      for (let b = 0; b < backends.length; b++) {
        const be = await lib.init(backends[b]);
        const K = be.kernels;
        const phases = {};
        const orig = { gram: K.gram, runRows: K.runRows };
        let inGram = false;
        K.gram = function (a, s) {
          const t = performance.now();
          inGram = true;
          orig.gram.call(this, a, s);
          inGram = false;
          (phases[`gram n=${a.n}`] ??= []).push(performance.now() - t);
        };
        K.runRows = function (k, a, plan) {
          if (inGram) return orig.runRows.call(this, k, a, plan);
          const t = performance.now();
          const x = orig.runRows.call(this, k, a, plan);
          (phases[`${k} rows=${plan.rows}`] ??= []).push(performance.now() - t);
          return x;
        };
        const model =
          solver === 'explicit'
            ? new lib.ALS({ factors: 64, iterations: 5, seed: 1 })
            : new lib.ImplicitALS({
                factors: 64,
                regularization: 0.01,
                alpha: 40,
                iterations: 5,
                solver,
                cgSteps: 3,
                seed: 1,
              });
        const secs = [];
        await model.fit(d.matrix, { onIteration: (it) => secs.push(it.seconds * 1000) });
        model.dispose();
        delete K.gram;
        delete K.runRows;
        if (r === 0) continue;
        iters[b].push(secs.reduce((x, y) => x + y) / secs.length);
        for (const [p, v] of Object.entries(phases)) (acc[b][p] ??= []).push(v.reduce((x, y) => x + y) / secs.length);
      }
    }
    const m = iters.map(median);
    console.log(
      `${d.short} ${solver}: iteration ${m.map((x) => x.toFixed(1)).join(' / ')} ms → speedup ${(m[0] / m[1]).toFixed(2)}`,
    );
    for (const p of Object.keys(acc[0])) {
      const a = median(acc[0][p]);
      const b = median(acc[1][p] ?? [NaN]);
      console.log(
        `  ${p.padEnd(24)} ${a.toFixed(2).padStart(8)} ${b.toFixed(2).padStart(8)} ms  ${(a / b).toFixed(2)}×`,
      );
    }
    const sumA = Object.values(acc[0]).reduce((s, v) => s + median(v), 0);
    const sumB = Object.values(acc[1]).reduce((s, v) => s + median(v), 0);
    console.log(
      `  ${'other'.padEnd(24)} ${(m[0] - sumA).toFixed(2).padStart(8)} ${(m[1] - sumB).toFixed(2).padStart(8)} ms`,
    );
  }
}
await lib.terminate?.();
