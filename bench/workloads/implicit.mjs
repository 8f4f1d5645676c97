// Implicit ALS (Hu–Koren–Volinsky), factors 64, CG (3 steps) and exact Cholesky solvers, in seconds per
// iteration (both half-steps, Gram included), against benfred/implicit 0.7's figures. One run = a fit of
// one iteration; the sample is that iteration's time as reported by onIteration (the fit's one-off set-up
// — transpose, upload, initial factors — is excluded, as implicit's per-iteration figure excludes it).
import { binary, lastfm } from '../lib/data.mjs';

export const name = 'implicit';
export const title = 'Implicit ALS (factors 64), per iteration';

export async function cases({ lib, quick, data }) {
  const sets = [];
  if (quick) sets.push({ d: binary(lib, 2000, 1500, 60_000, 7) });
  else {
    sets.push({ d: binary(lib), anchor: '575k' });
    const lf = await lastfm(lib, data);
    if (lf) sets.push({ d: lf, anchor: 'lastfm' });
  }
  const out = [];
  for (const { d, anchor } of sets) {
    for (const solver of ['cg', 'cholesky']) {
      const anchors = [];
      if (anchor) {
        anchors.push({ key: `implicit.${solver}.1t.${anchor}`, backend: 'wasm' });
        if (anchor === '575k') anchors.push({ key: `implicit.${solver}.2t.${anchor}`, backend: 'wasm-threads' });
      }
      out.push({
        id: `implicit/${d.short}/${solver}`,
        label: `ImplicitALS ${solver === 'cg' ? 'CG (3 steps)' : 'Cholesky'}`,
        dataset: d.name,
        unit: 's/iteration',
        anchors,
        setup() {
          let facts;
          return {
            run: async () => {
              const model = new lib.ImplicitALS({ factors: 64, regularization: 0.01, alpha: 40, iterations: 1, solver, seed: 1 });
              const c0 = process.cpuUsage();
              let sample;
              await model.fit(d.matrix, {
                onIteration: (r) => {
                  const c = process.cpuUsage(c0);
                  sample = { ms: r.seconds * 1000, cpuMs: (c.user + c.system) / 1000 };
                },
              });
              // A fact that must agree across backends: the first user's score for item 0.
              facts = { score00: model.recommend(0, { n: 1, filterAlreadyLiked: false }).scores[0] };
              model.dispose();
              return sample;
            },
            check: () => facts,
          };
        },
      });
    }
  }
  return out;
}
