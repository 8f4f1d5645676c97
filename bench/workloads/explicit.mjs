// Explicit ALS (ALS-WR with biases), factors 50, seconds per iteration (one-iteration fits, as implicit.mjs).
import { ratings, ml100k } from '../lib/data.mjs';

export const name = 'explicit';
export const title = 'Explicit ALS (ALS-WR + biases, factors 50), per iteration';

export async function cases({ lib, quick, data }) {
  const sets = [];
  const real = await ml100k(lib, data);
  if (real) sets.push(real);
  else if (quick) sets.push(ratings(lib, 943, 1682, 100_000, 100));
  if (!quick) sets.push(ratings(lib));
  return sets.map((d) => ({
    id: `explicit/${d.short}`,
    label: 'ALS (explicit)',
    dataset: d.name,
    unit: 's/iteration',
    setup() {
      let facts;
      return {
        run: async () => {
          const model = new lib.ALS({ factors: 50, iterations: 1, seed: 1 });
          const c0 = process.cpuUsage();
          let sample;
          await model.fit(d.matrix, {
            onIteration: (r) => {
              const c = process.cpuUsage(c0);
              sample = { ms: r.seconds * 1000, cpuMs: (c.user + c.system) / 1000 };
            },
          });
          facts = { score00: model.recommend(0, { n: 1, filterAlreadyLiked: false }).scores[0] };
          model.dispose();
          return sample;
        },
        check: () => facts,
      };
    },
  }));
}
