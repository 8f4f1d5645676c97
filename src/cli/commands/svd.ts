/**
 * `lowrank svd <file> -k 20`: the top singular values (and convergence figures) of the interaction matrix.
 * @module
 */
import { truncatedSVD } from '../../index.js';
import { type Centering, type SVDMethod } from '../../advanced.js';
import { secs, start, type Ctx } from '../context.js';
import { loadInteractions, noteData, type InputFlags } from '../data.js';
import { startBar } from '../progress.js';
import { plural, spectrumBars, table, toJson } from '../output.js';

/** Options of `lowrank svd`. */
export interface SvdFlags extends InputFlags {
  k: number;
  center: string;
  method: string;
  tol?: number;
  seed?: number;
}

/** Read `file` and print its top-k singular values with their residuals. */
export async function svdCommand(file: string, flags: SvdFlags, ctx: Ctx): Promise<void> {
  await start(ctx);
  const data = await loadInteractions(file, { ...flags, progress: ctx.progress, seed: flags.seed });
  noteData(ctx, file, data);
  const bar = startBar('svd', flags.k, 'converged', ctx.progress);
  const t0 = performance.now();
  const r = await truncatedSVD(data.matrix, {
    k: flags.k,
    center: flags.center as Centering,
    method: flags.method as SVDMethod,
    ...(flags.tol !== undefined ? { tol: flags.tol } : {}),
    ...(flags.seed !== undefined ? { seed: flags.seed } : {}),
    onProgress: (p) => bar.update(p.converged, `restart ${p.restarts}`),
  });
  const seconds = (performance.now() - t0) / 1000;
  bar.update(flags.k);
  bar.stop(`${plural(r.restarts, 'restart')}, ${r.matvecs} matvecs`);
  if (ctx.json) {
    ctx.io.out(
      toJson({
        file,
        k: flags.k,
        center: r.center,
        method: r.method,
        s: r.s,
        converged: r.converged,
        restarts: r.restarts,
        matvecs: r.matvecs,
        residuals: r.residuals,
        seconds,
      }),
    );
    return;
  }
  const bars = spectrumBars(r.s);
  ctx.io.out(
    table(
      ['>i', '>sigma', '>residual', ''],
      Array.from(r.s, (v, i) => [i + 1, v.toFixed(4), r.residuals[i].toExponential(1), bars[i]]),
    ),
  );
  ctx.io.out(
    `${r.method}, center ${r.center}: ${r.converged ? 'converged' : 'NOT converged'} after ${plural(r.restarts, 'restart')}, ${r.matvecs} matvecs, ${secs(seconds)}`,
  );
}
