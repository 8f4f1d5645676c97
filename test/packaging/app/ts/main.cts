// TypeScript CommonJS consumer (module node16): compiled to require('lowrank'), typed by dist/index.d.cts.
import { init, ImplicitALS, SparseMatrix, ValidationError, type Recommendation } from 'lowrank';
// The subpaths share the root's declarations: a model is a RecommenderBase, its options a named type.
import { readNpy, writeNpy } from 'lowrank/formats';
import { RecommenderBase, type ResolvedImplicitALSOptions } from 'lowrank/advanced';

async function main(): Promise<void> {
  await init();
  const m = SparseMatrix.fromCOO({ rows: [0, 0, 1, 2, 2], cols: [0, 1, 1, 0, 2], values: [1, 2, 3, 1, 1], shape: [3, 3] });
  const model = new ImplicitALS({ factors: 2, iterations: 2, seed: 1 });
  await model.fit(m);
  const r: Recommendation = model.recommend(0, { n: 1 });
  // @ts-expect-error — real types, not `any`: factors is a number.
  const bad = () => new ImplicitALS({ factors: 'two' });
  let typed = false;
  try {
    bad();
  } catch (e) {
    typed = e instanceof ValidationError;
  }
  const options: ResolvedImplicitALSOptions = model.options;
  const npy = readNpy(writeNpy({ dtype: 'f4', shape: [2], data: new Float32Array([1, 2]) }));
  const subpaths = model instanceof RecommenderBase && options.factors === 2 && npy.data[1] === 2;
  console.log(JSON.stringify({ ok: r.items.length === 1 && typed && subpaths, module: 'cjs' }));
}
main();
