// Evaluation: rankingMetrics@10 (precision, MAP, NDCG, AUC, …) of the fixture model over every user with
// held-out items: one recommendBatch per 256 users plus the tally.
import { servingFixture, modelOn } from '../lib/serving.mjs';

export const name = 'ranking';
export const title = 'rankingMetrics@10 (the first 1,000 users)';

export async function cases({ lib, quick }) {
  const fx = await servingFixture(lib, quick);
  return [
    {
      id: 'ranking/metrics',
      label: 'rankingMetrics k=10',
      dataset: `${fx.name}, ${fx.test.nnz} test interactions`,
      setup(b) {
        const m = modelOn(lib, b);
        let r;
        return {
          run: () => {
            r = lib.rankingMetrics(m, fx.train, fx.test, { k: 10, users: fx.evalUsers });
          },
          check: () => ({ precision: r.precision, ndcg: r.ndcg, users: r.users }),
          dispose: () => m.dispose(),
        };
      },
    },
  ];
}
