// Interleaved timing of one case on every backend: set up on each, warm up each, then `runs` rounds in
// which every backend runs once, the order rotating between rounds (so drift in machine load and JIT/GC
// state spreads evenly over the backends rather than landing on one).
import { summarize } from './stats.mjs';

/**
 * A case: { id, label, dataset, per?, warmup?, runs?, backends?, anchors?, sameRun?, setup(b) -> inst }.
 * inst: { run() -> void | { ms, cpuMs? } | Promise<...> (an object overrides the measured time of the run),
 *         check?() -> object (per-backend facts, e.g. σ₁ or matvecs, compared across backends), dispose?() }.
 * sameRun: anchors timed in this run, in the same rotation as the backends (e.g. scipy's svds in a child
 * process): [{ name, label, backend (ours to compare with), setup() -> { run() -> Promise<{ ms }>,
 * facts?() -> Promise<object> (after the timing; e.g. the anchor's product count), dispose?() } }].
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
    if (r && typeof r === 'object' && typeof r.ms === 'number')
      return { ms: r.ms, cpuMs: r.cpuMs ?? (cpu * r.ms) / Math.max(wall, 1e-9) };
    return { ms: wall / per, cpuMs: cpu / per };
  };
  const anchors = [];
  for (const a of c.sameRun ?? []) anchors.push({ ...a, inst: await a.setup() });
  const slots = [
    ...bs.map((b) => ({ name: b.name, go: () => one(b) })),
    ...anchors.map((a) => ({ name: a.name, go: async () => ({ ms: (await a.inst.run()).ms, cpuMs: NaN }) })),
  ];
  for (let w = 0; w < (c.warmup ?? warmup); w++) for (const s of slots) await s.go();
  const samples = Object.fromEntries(slots.map((s) => [s.name, []]));
  const cpu = Object.fromEntries(slots.map((s) => [s.name, []]));
  const n = c.runs ?? runs;
  for (let r = 0; r < n; r++) {
    for (let j = 0; j < slots.length; j++) {
      const slot = slots[(j + r) % slots.length];
      const s = await slot.go();
      samples[slot.name].push(s.ms);
      cpu[slot.name].push(s.cpuMs);
    }
  }
  const result = {
    id: c.id,
    workload: c.workload,
    label: c.label,
    dataset: c.dataset,
    unit: c.unit ?? 'ms',
    per,
    backends: {},
  };
  if (anchors.length) result.sameRun = {};
  for (const a of anchors) {
    result.sameRun[a.name] = {
      label: a.label,
      backend: a.backend,
      ...summarize(samples[a.name]),
      samples: samples[a.name],
      facts: await a.inst.facts?.(),
    };
    await a.inst.dispose?.();
  }
  for (const b of bs) {
    const i = inst.get(b.name);
    result.backends[b.name] = {
      ...summarize(samples[b.name]),
      cpuMedian: summarize(cpu[b.name]).median,
      samples: samples[b.name],
      cpuSamples: cpu[b.name],
      check: i.check?.(),
    };
    await b.activate();
    i.dispose?.();
  }
  return result;
}
