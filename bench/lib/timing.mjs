// Interleaved timing of one case on every backend: set up on each, warm up each, then `runs` rounds in
// which every backend runs once, the order rotating between rounds (so drift in machine load and JIT/GC
// state spreads evenly over the backends rather than landing on one).
import { summarize } from './stats.mjs';

/**
 * A case: { id, label, dataset, per?, warmup?, runs?, backends?, anchors?, setup(b) -> inst }.
 * inst: { run() -> void | { ms, cpuMs? } | Promise<...> (an object overrides the measured time of the run),
 *         check?() -> object (per-backend facts, e.g. σ₁ or matvecs, compared across backends), dispose?() }.
 * Times are ms per operation: the wall time of run() divided by `per` (operations per run, default 1).
 */
export async function timeCase(c, backends, { runs, warmup = 1 }) {
  let bs = backends.filter((b) => (c.backends ? c.backends.includes(b.name) : !b.extra));
  // A backend-independent case (parsing) runs once, on whichever backend this run has.
  if (bs.length === 0) bs = backends.slice(0, 1);
  const inst = new Map();
  for (const b of bs) {
    await b.activate();
    inst.set(b.name, await c.setup(b));
  }
  const per = c.per ?? 1;
  const one = async (b) => {
    await b.activate();
    const i = inst.get(b.name);
    const c0 = process.cpuUsage();
    const t0 = performance.now();
    const r = await i.run();
    const wall = performance.now() - t0;
    const cu = process.cpuUsage(c0);
    const cpu = (cu.user + cu.system) / 1000;
    // A run may report its own time (e.g. ALS: the iterations, not the fit's set-up) as { ms, cpuMs }.
    if (r && typeof r === 'object' && typeof r.ms === 'number') return { ms: r.ms, cpuMs: r.cpuMs ?? (cpu * r.ms) / Math.max(wall, 1e-9) };
    return { ms: wall / per, cpuMs: cpu / per };
  };
  for (let w = 0; w < (c.warmup ?? warmup); w++) for (const b of bs) await one(b);
  const samples = Object.fromEntries(bs.map((b) => [b.name, []]));
  const cpu = Object.fromEntries(bs.map((b) => [b.name, []]));
  const n = c.runs ?? runs;
  for (let r = 0; r < n; r++) {
    for (let j = 0; j < bs.length; j++) {
      const b = bs[(j + r) % bs.length];
      const s = await one(b);
      samples[b.name].push(s.ms);
      cpu[b.name].push(s.cpuMs);
    }
  }
  const result = { id: c.id, workload: c.workload, label: c.label, dataset: c.dataset, unit: c.unit ?? 'ms', per, backends: {} };
  for (const b of bs) {
    const i = inst.get(b.name);
    result.backends[b.name] = { ...summarize(samples[b.name]), cpuMedian: summarize(cpu[b.name]).median, samples: samples[b.name], cpuSamples: cpu[b.name], check: i.check?.() };
    await b.activate();
    i.dispose?.();
  }
  return result;
}
