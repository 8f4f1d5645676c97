// One grid point of ImplicitALS on one exported split (bench/quality/implicit_split.py's .csr files):
// fit with the CG solver up to `maxIterations`, precision@10 (implicit's definition) on the test part
// every `every` iterations, through fit's validation hook (the same code as rankingMetrics). Results are
// cached in a JSONL file keyed by set, seed and settings, so a long grid resumes where it stopped and the
// stages of a coarse-to-fine search share points.
import { appendFileSync, existsSync, readFileSync } from 'node:fs';
import { readCsr } from './lib.mjs';

/** The settings that make a point (everything else is the library's default). */
export const KEYS = ['factors', 'regularization', 'alpha', 'frequencyScaling', 'confidence', 'cgSteps'];

export class PointCache {
  constructor(lib, dir, file) {
    this.lib = lib;
    this.dir = dir;
    this.file = file;
    this.map = new Map();
    this.splits = new Map();
    if (existsSync(file))
      for (const line of readFileSync(file, 'utf8').split('\n'))
        if (line.trim()) {
          const r = JSON.parse(line);
          this.map.set(r.key, r);
        }
  }

  static key(set, seed, params, every, maxIterations) {
    const p = KEYS.filter((k) => params[k] !== undefined).map((k) => `${k}=${params[k]}`);
    return `${set}|${seed}|${p.join(',')}|every ${every}|max ${maxIterations}`;
  }

  /** A cached run of the same point with more iterations, cut to `maxIterations`. */
  longer(set, seed, params, every, maxIterations) {
    for (const more of [30, 40, 50]) {
      if (more <= maxIterations) continue;
      const r = this.map.get(PointCache.key(set, seed, params, every, more));
      if (!r) continue;
      const curve = Object.fromEntries(Object.entries(r.curve).filter(([it]) => Number(it) <= maxIterations));
      let bestIteration = 0;
      for (const [it, p] of Object.entries(curve)) if (!(curve[bestIteration] >= p)) bestIteration = Number(it);
      return { ...r, curve, best: curve[bestIteration], bestIteration, maxIterations };
    }
    return undefined;
  }

  split(set, seed) {
    const id = `${set}.${seed}`;
    if (!this.splits.has(id)) {
      // Keep one split in memory at a time: the large sets are large.
      for (const [k, v] of this.splits) {
        v.train.releaseHeap?.();
        v.test.releaseHeap?.();
        this.splits.delete(k);
      }
      this.splits.set(id, {
        train: readCsr(this.lib, `${this.dir}/${set}.${seed}.train.csr`),
        test: readCsr(this.lib, `${this.dir}/${set}.${seed}.test.csr`),
      });
    }
    return this.splits.get(id);
  }

  /**
   * The precision@10 curve of one point: { curve: { [iteration]: p }, best, bestIteration, fitSeconds }.
   * `params` are ImplicitALS options; `solver: 'cg'` is implied.
   */
  async run(set, seed, params, { every = 5, maxIterations = 30, log } = {}) {
    const key = PointCache.key(set, seed, params, every, maxIterations);
    const hit = this.map.get(key) ?? this.longer(set, seed, params, every, maxIterations);
    if (hit) return hit;
    const { train, test } = this.split(set, seed);
    const model = new this.lib.ImplicitALS({ ...params, iterations: maxIterations, solver: 'cg', seed: 1 });
    const curve = {};
    let fitSeconds = 0;
    const t0 = performance.now();
    await model.fit(train, {
      validation: { data: test, metric: 'precision@10', every },
      onIteration: (info) => {
        fitSeconds += info.seconds;
        if (info.validation) curve[info.iteration + 1] = info.validation.value;
      },
    });
    model.dispose();
    let bestIteration = 0;
    for (const [it, p] of Object.entries(curve)) if (!(curve[bestIteration] >= p)) bestIteration = Number(it);
    const r = {
      key,
      set,
      seed,
      params,
      every,
      maxIterations,
      curve,
      best: curve[bestIteration],
      bestIteration,
      fitSeconds,
      seconds: (performance.now() - t0) / 1000,
    };
    this.map.set(key, r);
    appendFileSync(this.file, JSON.stringify(r) + '\n');
    log?.(r);
    return r;
  }
}
