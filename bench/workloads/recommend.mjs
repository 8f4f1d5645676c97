// Serving: top-10 for one user and for a batch of 1,000 users (scores over all 17,632 items, the user's
// training items filtered out), and similar items.
import { servingFixture, modelOn } from '../lib/serving.mjs';

export const name = 'recommend';
export const title = 'Recommend (top-10, seen items filtered)';

export async function cases({ lib, quick }) {
  const fx = await servingFixture(lib, quick);
  let s = 9;
  const users = Int32Array.from({ length: 1000 }, () => (s = (s * 1103515245 + 12345) >>> 0) % fx.users);
  return [
    {
      id: 'recommend/single',
      label: 'recommend top-10 (one user)',
      dataset: fx.name,
      per: 100,
      setup(b) {
        const m = modelOn(lib, b);
        let r;
        return {
          run: () => {
            for (let i = 0; i < 100; i++) r = m.recommend(users[i], { n: 10 });
          },
          check: () => ({ top: r.items[0] }),
          dispose: () => m.dispose(),
        };
      },
    },
    {
      id: 'recommend/batch',
      label: 'recommendBatch top-10, 1,000 users',
      dataset: fx.name,
      setup(b) {
        const m = modelOn(lib, b);
        let r;
        return {
          run: () => {
            r = m.recommendBatch(users, { n: 10 });
          },
          check: () => ({ top: r.items[0] }),
          dispose: () => m.dispose(),
        };
      },
    },
    {
      id: 'recommend/similar',
      label: 'similarItems top-10',
      dataset: fx.name,
      per: 100,
      setup(b) {
        const m = modelOn(lib, b);
        let r;
        return {
          run: () => {
            for (let i = 0; i < 100; i++) r = m.similarItems(users[i] % fx.items, { n: 10 });
          },
          check: () => ({ top: r.items[1] }),
          dispose: () => m.dispose(),
        };
      },
    },
  ];
}
