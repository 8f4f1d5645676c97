// BPR and LogisticMF, seconds per iteration, against implicit 0.7.3's BayesianPersonalizedRanking and
// LogisticMatrixFactorization timed in the same run, interleaved: lowrank on 1 thread ('wasm') and N
// ('wasm-threads'), implicit with num_threads 1 ('implicit') and N ('implicit-threads'), through
// bench/models/implicit_sgd_worker.py (a Python process that fits only when asked). A run is one fit
// (set-up included, in both libraries) divided by its iterations. Two cases per model and data set: the
// same work — BPR at implicit's settings (factors, learning rate, λ, popularity negatives, one sample per
// interaction per epoch), LogisticMF at implicit's settings with as many negative draws per epoch as
// implicit makes (it caps them at factors + 2 per row, bench/models/settings.mjs) — and both libraries'
// defaults as a user runs them (all cores; only the iterations fixed). bench/models/sgd.mjs measures
// precision and longer fits; this is the suite's row of them.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { binary, lastfmTrain } from '../lib/data.mjs';
import { writeCsr } from '../quality/lib.mjs';
import { startImplicitSgd } from '../models/implicit-sgd.mjs';
import { IMPLICIT_SETTINGS, implicitDraws } from '../models/settings.mjs';

export const name = 'sgd';
export const title = 'BPR and LogisticMF, per iteration, with benfred/implicit in the same run';

const CLASS = { bpr: 'BPR', lmf: 'LogisticMF' };
let worker;
let dir;

/** lowrank's options and implicit's params of one case, with `iterations` iterations. */
function settings(model, variant, train, iterations) {
  if (variant === 'defaults') return { ours: { iterations }, theirs: { iterations } };
  const ours = { ...IMPLICIT_SETTINGS[model].ours, iterations, seed: 1 };
  if (model === 'lmf') ours.negProp = implicitDraws(train, ours.factors + 2) / (2 * train.nnz);
  return { ours, theirs: { ...IMPLICIT_SETTINGS[model].params, iterations } };
}

export async function cases({ lib, quick, data, anchor }) {
  const sets = [];
  if (quick) sets.push(binary(lib, 2000, 1500, 60_000, 7));
  else {
    const lf = await lastfmTrain(lib, data);
    if (lf) sets.push(lf);
    sets.push(binary(lib));
  }
  // implicit's columns exist when bench/run.mjs started its implicit anchor; its SGD models run here.
  if (anchor?.available) {
    worker = await startImplicitSgd();
    if (!worker.available) console.log(`  implicit's BPR/LMF not timed: ${worker.why}`);
    dir = mkdtempSync(join(tmpdir(), 'lowrank-sgd-'));
    for (const d of sets) writeCsr(join(dir, `${d.short}.0.train.csr`), d.matrix);
  }
  const theirsToo = worker?.available === true;
  const out = [];
  for (const d of sets) {
    for (const model of ['bpr', 'lmf']) {
      const iterations = quick ? 2 : model === 'bpr' ? 10 : 5;
      for (const variant of ['same', 'defaults']) {
        const { ours, theirs } = settings(model, variant, d.matrix, iterations);
        out.push({
          id: `sgd/${d.short}/${model}${variant === 'defaults' ? '/defaults' : ''}`,
          label:
            variant === 'defaults'
              ? `${CLASS[model]}, both libraries’ defaults (all cores)`
              : `${CLASS[model]} at implicit's settings${model === 'lmf' ? ', the same draws' : ''}`,
          dataset: d.name,
          unit: 's/iteration',
          runs: quick ? 2 : 3,
          backends: (variant === 'defaults'
            ? ['default', 'implicit-default']
            : ['wasm', 'wasm-threads', 'implicit', 'implicit-threads', ...(quick ? ['js'] : [])]
          ).filter((n) => theirsToo || !n.startsWith('implicit')),
          setup(b) {
            let facts;
            if (b.anchor) {
              return {
                run: async () => {
                  const r = await worker.ask({
                    cmd: 'fit',
                    model,
                    set: d.short,
                    seed: 0,
                    threads: variant === 'defaults' ? 0 : b.threads,
                    params: theirs,
                    dir,
                    evaluate: false,
                  });
                  return { ms: (1000 * r.seconds) / iterations, cpuMs: (1000 * r.cpu) / iterations };
                },
              };
            }
            return {
              run: async () => {
                const m = new lib[CLASS[model]](ours);
                const t0 = performance.now();
                await m.fit(d.matrix);
                const ms = (performance.now() - t0) / iterations;
                let sum = 0;
                for (const v of m.itemFactors) sum += v;
                facts = { itemFactorSum: sum };
                m.dispose();
                return { ms };
              },
              check: () => facts,
            };
          },
        });
      }
    }
  }
  return out;
}

export async function close() {
  await worker?.close?.();
  if (dir) rmSync(dir, { recursive: true, force: true });
  worker = undefined;
  dir = undefined;
}
