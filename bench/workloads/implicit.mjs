// Implicit ALS (Hu–Koren–Volinsky), factors 64, λ 0.01, seconds per iteration, against benfred/implicit
// 0.7.3 timed in the same run, interleaved (issue 16): lowrank on 1 thread ('wasm') and N ('wasm-threads'),
// implicit with num_threads 1 ('implicit') and N ('implicit-threads'), the same work — same solver, CG
// steps (3), factors, λ, confidences (implicit is fed lowrank's 1 + α·r) and iterations. A run is a fit
// of 5 iterations; its sample is the mean iteration time as each library reports it (lowrank's
// onIteration, implicit's fit callback: both half-steps with their Grams, not the fit's set-up). A third
// case per data set runs both as a user would, with their defaults (only factors and λ given; lowrank's
// init() and implicit's num_threads=0 use every core). Rows also show a `before` build (--baseline).
import { binary, lastfmTrain, ratingsTrain } from '../lib/data.mjs';

export const name = 'implicit';
export const title = 'Implicit ALS (factors 64, λ 0.01), per iteration, with benfred/implicit in the same run';

const ALPHA = 40;
const ITERATIONS = 5;

/** Mean of a fit's per-iteration seconds, in ms. */
const perIteration = (secs) => (1000 * secs.reduce((a, b) => a + b, 0)) / secs.length;

export async function cases({ lib, quick, data, anchor }) {
  const sets = [];
  if (quick) sets.push(binary(lib, 2000, 1500, 60_000, 7));
  else {
    const lf = await lastfmTrain(lib, data);
    if (lf) sets.push(lf);
    sets.push(ratingsTrain(lib));
  }
  if (anchor?.available) for (const d of sets) await anchor.load(d.short, d.matrix, ALPHA);
  const iterations = quick ? 2 : ITERATIONS;
  const out = [];
  for (const d of sets) {
    // implicit's objective normaliser Σc + (rows·cols − nnz), so that both report the same loss figure.
    let confSum = 0;
    for (let p = 0; p < d.matrix.nnz; p++) confSum += 1 + ALPHA * Math.abs(d.matrix.data[p]);
    const norm = confSum + d.matrix.rows * d.matrix.cols - d.matrix.nnz;
    for (const solver of ['cg', 'cholesky', 'defaults']) {
      const ours =
        solver === 'defaults'
          ? { factors: 64, regularization: 0.01, alpha: ALPHA, iterations }
          : {
              factors: 64,
              regularization: 0.01,
              alpha: ALPHA,
              iterations,
              solver,
              ...(solver === 'cg' ? { cgSteps: 3 } : {}),
              seed: 1,
            };
      const theirs =
        solver === 'defaults'
          ? { factors: 64, regularization: 0.01, iterations }
          : {
              factors: 64,
              regularization: 0.01,
              iterations,
              use_cg: solver === 'cg',
              cg_steps: solver === 'cg' ? 3 : null,
            };
      out.push({
        id: `implicit/${d.short}/${solver}`,
        label:
          solver === 'defaults'
            ? 'ImplicitALS, both libraries’ defaults (all cores)'
            : `ImplicitALS ${solver === 'cg' ? 'CG (3 steps)' : 'Cholesky'}`,
        dataset: d.name,
        unit: 's/iteration',
        runs: quick ? 2 : 3,
        backends:
          solver === 'defaults'
            ? ['default', 'implicit-default']
            : [
                'wasm',
                'wasm-threads',
                'before',
                'before-threads',
                'implicit',
                'implicit-threads',
                ...(quick ? ['js'] : []),
              ],
        setup(b) {
          let facts;
          if (b.anchor) {
            return {
              run: async () => {
                const r = await b.anchor.fit({
                  name: d.short,
                  ...theirs,
                  threads: solver === 'defaults' ? 0 : b.threads,
                  seed: 1,
                });
                facts = { loss: r.loss };
                return { ms: perIteration(r.seconds) };
              },
              check: () => facts,
            };
          }
          const L = b.lib ?? lib;
          // Another build has its own SparseMatrix class.
          const M = b.lib
            ? new L.SparseMatrix(d.matrix.indptr, d.matrix.indices, d.matrix.data, d.matrix.shape)
            : d.matrix;
          return {
            run: async () => {
              // The same model as implicit's (confidence 1 + α·r, plain λ): since issue 17 lowrank's defaults
              // differ (log confidence, scaled, frequency-scaled λ); a build without those options has this model.
              let model;
              try {
                model = new L.ImplicitALS(
                  solver === 'defaults'
                    ? ours
                    : { ...ours, confidence: 'linear', scaleConfidence: false, frequencyScaling: 0 },
                );
              } catch {
                model = new L.ImplicitALS(ours);
              }
              const secs = [];
              await model.fit(M, { onIteration: (r) => secs.push(r.seconds) });
              facts = { loss: model.loss() / norm };
              model.dispose();
              return { ms: perIteration(secs) };
            },
            check: () => facts,
          };
        },
      });
    }
  }
  return out;
}
