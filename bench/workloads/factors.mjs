// Large embeddings: ImplicitALS time per iteration (both half-steps, Gram included) at 64, 256, 512 and
// 1024 factors on Last.fm-2k (generated data of its shape without --data), with the defaults' CG solver and
// frequency-scaled λ, beside benfred/implicit at the same factors with its CG (3 steps, λ 0.01, fed
// confidences 1 + r) in the same run. The js backend is left out (minutes per iteration at 256 factors);
// --quick stops at 256. One run = a fit of one iteration; the sample is that iteration's time from
// onIteration (implicit: its fit callback).
import { binary, lastfm } from '../lib/data.mjs';

export const name = 'factors';
export const title = 'ImplicitALS defaults at 64–1024 factors, per iteration';

export async function cases({ lib, quick, data, anchor }) {
  const d = (await lastfm(lib, data)) ?? binary(lib, 1892, 17632, 92834, 11);
  const sizes = quick ? [64, 256] : [64, 256, 512, 1024];
  const anchorName = `factors-${d.short}`;
  if (anchor?.available) await anchor.load(anchorName, d.matrix, 1);
  return sizes.map((factors) => ({
    id: `factors/${d.short}/${factors}`,
    label: `ImplicitALS CG, ${factors} factors`,
    dataset: d.name,
    unit: 's/iteration',
    backends: ['wasm', 'wasm-threads', 'implicit', 'implicit-threads'],
    runs: factors >= 512 ? 2 : undefined,
    setup(b) {
      let facts;
      if (b.anchor) {
        return {
          run: async () => {
            const r = await b.anchor.fit({
              name: anchorName,
              factors,
              regularization: 0.01,
              iterations: 1,
              use_cg: true,
              cg_steps: 3,
              threads: b.threads,
              seed: 1,
            });
            facts = { loss: r.loss };
            return { ms: 1000 * r.seconds[0] };
          },
          check: () => facts,
        };
      }
      return {
        run: async () => {
          const model = new lib.ImplicitALS({ factors, iterations: 1, seed: 1 });
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
