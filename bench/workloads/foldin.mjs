// Fold-in: a new user's factors solved from 100 interactions against fixed item factors (exact Cholesky
// of the implicit normal equations), and fold-in + top-10 in one call. Times are per user.
import { servingFixture, modelOn, foldInUsers } from '../lib/serving.mjs';

export const name = 'foldin';
export const title = 'Fold-in of a new user (100 interactions)';

export async function cases({ lib, quick }) {
  const fx = await servingFixture(lib, quick);
  const us = foldInUsers(fx.items);
  const per = 64;
  return [
    {
      id: 'foldin/recalculateUser',
      label: 'recalculateUser (100 items)',
      dataset: fx.name,
      per,
      setup(b) {
        const m = modelOn(lib, b);
        let f;
        return {
          run: () => {
            for (const u of us) f = m.recalculateUser(u);
          },
          check: () => ({ f0: f[0] }),
          dispose: () => m.dispose(),
        };
      },
    },
    {
      id: 'foldin/recommend',
      label: 'fold-in + recommend top-10',
      dataset: fx.name,
      per,
      setup(b) {
        const m = modelOn(lib, b);
        let r;
        return {
          run: () => {
            for (const u of us) r = m.recommend(0, { n: 10, userItems: u, recalculateUser: true });
          },
          check: () => ({ top: r.items[0] }),
          dispose: () => m.dispose(),
        };
      },
    },
  ];
}
