// Issue 29's time-to-quality table: on an 80/20 split (trainTestSplit, seed 0), benfred/implicit's CG as a
// user runs it (its defaults: 15 iterations, 3 CG steps, λ 0.01, α 1 on the binary matrix) at 256 / 512 / 1024
// factors sets the target, the best precision@10 of its iterations (with these defaults it often peaks early
// and declines); its time is the sum of its iteration times up to that iteration. Each lowrank solver (its defaults otherwise) then
// fits until its precision@10 reaches the target (measured after every iteration through fit's `validation`,
// outside the iteration times) or its time passes `give up` × implicit's. Precision@10 on both sides:
// hits over min(10, |test items|), train items filtered, over the same sample of test users.
import { initFor } from './compare-als.mjs';

/** The test rows of at most `n` users (evenly spaced over the users with test entries); the rest emptied. */
export function sampleTestUsers(lib, test, n) {
  const { indptr, indices, data } = test;
  const users = [];
  for (let u = 0; u < test.rows; u++) if (indptr[u + 1] > indptr[u]) users.push(u);
  const step = Math.max(1, users.length / n);
  const keep = new Uint8Array(test.rows);
  for (let j = 0; Math.floor(j * step) < users.length && j < n; j++) keep[users[Math.floor(j * step)]] = 1;
  const ip = new Int32Array(test.rows + 1);
  const ix = [];
  const dv = [];
  for (let u = 0; u < test.rows; u++) {
    if (keep[u])
      for (let p = indptr[u]; p < indptr[u + 1]; p++) {
        ix.push(indices[p]);
        dv.push(data[p]);
      }
    ip[u + 1] = ix.length;
  }
  return new lib.SparseMatrix(ip, Int32Array.from(ix), Float32Array.from(dv), test.shape);
}

/** Cumulative seconds up to the first value ≥ target (undefined if never). */
function timeTo(seconds, values, target) {
  let t = 0;
  for (let i = 0; i < seconds.length; i++) {
    t += seconds[i];
    if (values[i] >= target - 1e-12) return { seconds: t, iterations: i + 1 };
  }
  return undefined;
}

/** One lowrank fit until precision@10 ≥ target or the time budget is spent. */
async function lowrankToTarget(lib, train, test, options, threads, target, budget, maxIterations) {
  await initFor(lib, threads);
  const model = new lib.ImplicitALS({ ...options, iterations: maxIterations });
  const seconds = [];
  const values = [];
  const ac = new AbortController();
  let total = 0;
  try {
    await model.fit(train, {
      signal: ac.signal,
      validation: { data: test, metric: 'precision@10', every: 1 },
      onIteration: (it) => {
        seconds.push(it.seconds);
        values.push(it.validation.value);
        total += it.seconds;
        if (it.validation.value >= target - 1e-12 || total > budget) ac.abort('done');
      },
    });
  } catch (e) {
    if (e.name !== 'AbortError') throw e;
  } finally {
    model.dispose();
  }
  return { seconds, precision: values, reached: timeTo(seconds, values, target) };
}

/**
 * The section: rows { set, factors, threads, implicit: {…}, target, solvers: { name: {…} } }.
 * `solvers`: lowrank solver names; `giveUp`: stop a lowrank fit past this multiple of implicit's time.
 */
export async function ttqSection({
  lib,
  sets,
  anchor,
  factors = [256, 512, 1024],
  threads = [2],
  solvers = ['cg', 'cholesky'],
  users = 1000,
  giveUp = 4,
  log,
}) {
  if (!anchor.available) return [];
  const rows = [];
  for (const d of sets) {
    const { train, test } = lib.trainTestSplit(d.matrix, { testFraction: 0.2, seed: 0 });
    const sample = sampleTestUsers(lib, test, users);
    await anchor.load(`${d.short}/train`, train, null);
    await anchor.load(`${d.short}/test`, sample, null);
    for (const f of factors) {
      for (const t of threads) {
        const imp = await anchor.fitq({
          name: `${d.short}/train`,
          test: `${d.short}/test`,
          factors: f,
          use_cg: true,
          threads: t,
          seed: 1,
          k: 10,
        });
        const target = Math.max(...imp.precision);
        const impAt = timeTo(imp.seconds, imp.precision, target);
        const row = {
          set: d.name,
          short: d.short,
          factors: f,
          threads: t,
          target,
          implicit: { ...imp, reached: impAt },
        };
        row.solvers = {};
        for (const s of solvers) {
          row.solvers[s] = await lowrankToTarget(
            lib,
            train,
            sample,
            { factors: f, solver: s, seed: 1 },
            t,
            target,
            giveUp * impAt.seconds,
            60,
          );
        }
        log?.(ttqLine(row));
        rows.push(row);
      }
    }
  }
  return rows;
}

const sec = (x) => (x === undefined ? '—' : x < 10 ? x.toFixed(2) : x.toFixed(1));

function best(row) {
  let b;
  for (const [name, r] of Object.entries(row.solvers))
    if (r.reached && (!b || r.reached.seconds < b.r.reached.seconds)) b = { name, r };
  return b;
}

function ttqLine(row) {
  const parts = Object.entries(row.solvers).map(
    ([n, r]) =>
      `${n} ${r.reached ? `${sec(r.reached.seconds)} s (${r.reached.iterations} it)` : `not reached in ${sec(r.seconds.reduce((a, b) => a + b, 0))} s (best ${Math.max(...r.precision).toFixed(4)})`}`,
  );
  return `${row.short} f${row.factors} ${row.threads}t: implicit p@10 ${row.target.toFixed(4)} in ${sec(row.implicit.reached.seconds)} s (${row.implicit.reached.iterations} it); ${parts.join('; ')}`;
}

/** Markdown table of the time-to-quality rows. */
export function ttqTable(rows) {
  if (!rows.length) return '';
  const solvers = Object.keys(rows[0].solvers);
  const head = [
    'data',
    'factors',
    'threads',
    'implicit CG best p@10 (target)',
    'implicit s to target',
    ...solvers.map((s) => `lowrank ${s} s (iterations)`),
    'fastest lowrank ÷ implicit',
  ];
  const out = [`| ${head.join(' | ')} |`, `|${head.map((_, i) => (i < 3 ? '---' : '---:')).join('|')}|`];
  for (const r of rows) {
    const b = best(r);
    const cells = solvers.map((s) => {
      const x = r.solvers[s];
      return x.reached
        ? `${sec(x.reached.seconds)} (${x.reached.iterations})`
        : `> ${sec(x.seconds.reduce((a, c) => a + c, 0))} (best ${Math.max(...x.precision).toFixed(3)})`;
    });
    const q = b ? b.r.reached.seconds / r.implicit.reached.seconds : undefined;
    out.push(
      `| ${[
        r.set,
        r.factors,
        r.threads,
        r.target.toFixed(4),
        `${sec(r.implicit.reached.seconds)} (${r.implicit.reached.iterations})`,
        ...cells,
        q === undefined ? 'not reached' : `${q.toFixed(2)} (${b.name})${q <= 0.8 ? ' ✓' : ''}`,
      ].join(' | ')} |`,
    );
  }
  return out.join('\n');
}
