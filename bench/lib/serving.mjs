// Shared fixture of the serving workloads (fold-in, recommend, ranking): an ImplicitALS model (factors 64)
// over a Last.fm-sized catalogue (17,632 items), fitted once on the wasm backend from an 80/20 split,
// saved, and loaded into each backend so every backend serves identical factors.
import { ratings } from './data.mjs';

let fixture;

export async function servingFixture(lib, quick) {
  if (fixture) return fixture;
  const users = quick ? 1000 : 5000;
  const d = ratings(lib, users, 17632, users * 50, 42);
  const { train, test } = lib.trainTestSplit(d.matrix, { testFraction: 0.2, seed: 0 });
  await lib.init({ backend: 'wasm' });
  const model = await new lib.ImplicitALS({ factors: 64, iterations: quick ? 1 : 3, seed: 1 }).fit(train);
  const bytes = model.save();
  model.dispose();
  const evalUsers = Int32Array.from({ length: Math.min(users, 1000) }, (_, i) => i);
  fixture = {
    users,
    items: 17632,
    train,
    test,
    bytes,
    evalUsers,
    name: `ImplicitALS f=64, ${users} users × 17,632 items`,
  };
  return fixture;
}

/** The fixture's model on backend b (loaded from the saved bytes). */
export function modelOn(lib, b) {
  return lib.loadModel(fixture.bytes, { backend: b.backend });
}

/** 64 new users with 100 distinct popular-skewed items each (values 1–5), for fold-in. */
export function foldInUsers(items) {
  let s = 100;
  const rnd = () => {
    s = (s + 0x6d2b79f5) | 0;
    let t = Math.imul(s ^ (s >>> 15), 1 | s);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  return Array.from({ length: 64 }, () => {
    const set = new Set();
    while (set.size < 100) set.add(Math.floor(items * rnd() ** 2));
    const indices = Int32Array.from([...set].sort((a, b) => a - b));
    return { indices, values: Float32Array.from(indices, () => 1 + Math.floor(rnd() * 5)) };
  });
}
