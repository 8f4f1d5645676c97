// Explicit ALS (ALS-WR with biases), factors 64, seconds per iteration: fits of 5 iterations, the sample is
// the mean iteration time from onIteration (the fit's set-up excluded). With --baseline, the same fits on
// another build ('before', 'before-threads') in the same run.
import { ratings, ml100k, ratingsTrain } from '../lib/data.mjs';

export const name = 'explicit';
export const title = 'Explicit ALS (ALS-WR + biases, factors 64), per iteration';

export async function cases({ lib, quick, data }) {
  const sets = [];
  const real = await ml100k(lib, data);
  if (real) sets.push(real);
  else if (quick) sets.push(ratings(lib, 943, 1682, 100_000, 100));
  if (!quick) sets.push(ratingsTrain(lib));
  const iterations = quick ? 2 : 5;
  return sets.map((d) => ({
    id: `explicit/${d.short}`,
    label: 'ALS (explicit)',
    dataset: d.name,
    unit: 's/iteration',
    runs: quick ? 2 : 3,
    backends: ['wasm', 'wasm-threads', 'before', 'before-threads', ...(quick ? ['js'] : [])],
    setup(b) {
      let facts;
      const L = b.lib ?? lib;
      // Another build has its own SparseMatrix class.
      const M = b.lib ? new L.SparseMatrix(d.matrix.indptr, d.matrix.indices, d.matrix.data, d.matrix.shape) : d.matrix;
      return {
        run: async () => {
          const model = new L.ALS({ factors: 64, iterations, seed: 1 });
          const secs = [];
          await model.fit(M, { onIteration: (r) => secs.push(r.seconds) });
          facts = { score00: model.recommend(0, { n: 1, filterAlreadyLiked: false }).scores[0] };
          model.dispose();
          return { ms: (1000 * secs.reduce((a, c) => a + c, 0)) / secs.length };
        },
        check: () => facts,
      };
    },
  }));
}
