/**
 * `lowrank tune <file>`: hyperparameter search (`tune()`) with a progress bar and a table of the trials.
 * `--space name=v1,v2,…` lists values, `--space name=min..max[:log][:int]` a range; repeat it per option.
 * @module
 */
import { ALS, BPR, EASE, ImplicitALS, ItemKNN, LogisticMF, PureSVD, ValidationError, tune } from '../../index.js';
import {
  type ParamValue,
  type SearchSpace,
  type TrialResult,
  type TuneProgress,
  type TunableClass,
} from '../../advanced.js';
import { start, secs, type Ctx } from '../context.js';
import { checkSource, loadInteractions, noteData, type InputFlags } from '../data.js';
import { modelName, type ModelName } from '../models.js';
import { num, table, toJson } from '../output.js';
import { startBar } from '../progress.js';

/** Options of `lowrank tune`. */
export interface TuneFlags extends InputFlags {
  model: string;
  metric?: string;
  trials?: number;
  /** Seconds: the search stops there and reports the best so far. */
  timeLimit?: number;
  /** false with --no-prune: every trial runs to early stopping. */
  prune?: boolean;
  grid?: boolean;
  space?: string[];
  validation?: number;
  folds?: number;
  maxIterations?: number;
  patience?: number;
  seed?: number;
  /** Rows of the trial table (best first). */
  top: number;
}

const CLASSES: Record<ModelName, TunableClass> = {
  'implicit-als': ImplicitALS,
  als: ALS,
  puresvd: PureSVD,
  bpr: BPR,
  lmf: LogisticMF,
  'item-knn': ItemKNN,
  ease: EASE,
};
/** Each model's options as CLI flags, for the "refit with" line. */
const FLAG_OF: Record<string, string> = {
  factors: '--factors',
  regularization: '--regularization',
  alpha: '--alpha',
  iterations: '--iterations',
  solver: '--solver',
  neighbors: '--neighbors',
  weighting: '--weighting',
};

function parseValue(raw: string): ParamValue {
  const t = raw.trim();
  if (t === 'true' || t === 'false') return t === 'true';
  const n = Number(t);
  return t !== '' && Number.isFinite(n) ? n : t;
}

/** `name=v1,v2` or `name=min..max[:log][:int]`, repeated: the search space. */
export function parseSpace(specs: readonly string[]): SearchSpace {
  const space: Record<string, SearchSpace[string]> = {};
  for (const spec of specs) {
    const m = /^\s*([A-Za-z][A-Za-z0-9]*)\s*=\s*(.+)$/.exec(spec);
    if (!m)
      throw new ValidationError(`--space ${JSON.stringify(spec)}: expected name=v1,v2,… or name=min..max[:log][:int]`);
    const [, name, body] = m;
    if (name in space) throw new ValidationError(`--space names ${name} twice`);
    const ends = body.trim().split('..');
    if (ends.length === 2) {
      const [hi, ...flags] = ends[1].split(':');
      const [min, max] = [Number(ends[0]), Number(hi)];
      if (ends[0].trim() === '' || hi.trim() === '' || !Number.isFinite(min) || !Number.isFinite(max)) {
        throw new ValidationError(`--space ${name}: ${JSON.stringify(body)} is not a numeric range min..max`);
      }
      const bad = flags.filter((f) => f !== 'log' && f !== 'int');
      if (bad.length > 0)
        throw new ValidationError(
          `--space ${name}: unknown range flag ${JSON.stringify(bad[0])}; expected :log and/or :int`,
        );
      space[name] = { min, max, log: flags.includes('log'), integer: flags.includes('int') };
    } else {
      space[name] = body.split(',').map(parseValue);
    }
  }
  return space;
}

function paramText(p: Record<string, ParamValue>, keys: readonly string[]): string[] {
  return keys.map((k) => {
    const v = p[k];
    return typeof v === 'number' && !Number.isInteger(v) ? Number(v.toPrecision(3)).toString() : String(v ?? '');
  });
}

/** One finished trial, as printed while the search runs. */
function trialLine(t: TrialResult, p: TuneProgress): string {
  const keys = Object.keys(t.params).filter((k) => k !== 'seed' && k !== 'iterations');
  const set = keys.map((k) => `${k} ${paramText(t.params, [k])[0]}`).join(', ');
  const its = typeof t.params.iterations === 'number' ? `, ${t.params.iterations} it.` : '';
  const how = t.error
    ? `failed: ${t.error.slice(0, 60)}`
    : `${num(t.value)}${t === p.best ? ' (best)' : ''}${t.stopped === 'pruned' ? ', stopped: behind the best' : t.stopped === 'timeLimit' ? ', stopped at the time limit' : ''}`;
  return `trial ${t.trial}: ${set} → ${how} (${t.seconds.toFixed(1)}s${its})`;
}

/** Read `file`, search the model's hyperparameters, print the best settings and the trials. */
export async function tuneCommand(file: string, flags: TuneFlags, ctx: Ctx): Promise<void> {
  const name = modelName(flags.model);
  const Model = CLASSES[name];
  const space = flags.space && flags.space.length > 0 ? parseSpace(flags.space) : undefined;
  checkSource(file, flags);
  await start(ctx);
  const data = await loadInteractions(file, {
    format: flags.format,
    columns: flags.columns,
    delimiter: flags.delimiter,
    header: flags.header,
    maxBytes: flags.maxBytes,
    progress: ctx.progress,
    seed: flags.seed,
  });
  noteData(ctx, file, data);
  // The bar counts trials, or seconds with a time limit (ticking between trials too).
  const timed = flags.timeLimit !== undefined;
  const bar = startBar('tune', timed ? flags.timeLimit! : (flags.trials ?? 24), timed ? 's' : 'trials', ctx.progress);
  const t0 = performance.now();
  const tick = timed
    ? setInterval(() => bar.update(Math.min(flags.timeLimit!, Math.floor((performance.now() - t0) / 1000))), 1000)
    : undefined;
  tick?.unref?.();
  let result: Awaited<ReturnType<typeof tune>>;
  try {
    result = await tune(Model, data, {
      ...(space ? { space } : {}),
      ...(flags.grid ? { grid: true } : flags.trials !== undefined || !timed ? { trials: flags.trials ?? 24 } : {}),
      ...(timed ? { timeLimit: flags.timeLimit } : {}),
      ...(flags.prune === false ? { prune: false } : {}),
      ...(flags.metric !== undefined ? { metric: flags.metric } : {}),
      ...(flags.folds !== undefined ? { folds: flags.folds } : { validation: flags.validation }),
      ...(flags.maxIterations !== undefined ? { maxIterations: flags.maxIterations } : {}),
      ...(flags.patience !== undefined ? { patience: flags.patience } : {}),
      seed: flags.seed ?? 0,
      onTrial: (trial: TrialResult, progress: TuneProgress) => {
        bar.log(trialLine(trial, progress));
        if (!timed) bar.setTotal(progress.total);
        bar.update(
          timed ? Math.min(flags.timeLimit!, Math.floor(progress.seconds)) : progress.done,
          progress.best ? `best ${num(progress.best.value)}` : '',
        );
      },
    });
  } finally {
    if (tick) clearInterval(tick);
  }
  bar.stop(`best ${num(result.bestTrial.value)}`);
  if (ctx.json) ctx.io.out(toJson({ file, model: name, ...result }));
  else printResult(result, file, name, flags, ctx);
}

/** The trials (best first, `--top` of them), the best settings and the command to refit with them. */
function printResult(
  result: Awaited<ReturnType<typeof tune>>,
  file: string,
  name: ModelName,
  flags: TuneFlags,
  ctx: Ctx,
): void {
  const keys = Object.keys(result.best).filter((k) => k !== 'seed');
  const order = result.results.slice().sort((a, b) => {
    if (!Number.isFinite(a.value)) return 1;
    if (!Number.isFinite(b.value)) return -1;
    return result.higherIsBetter ? b.value - a.value : a.value - b.value;
  });
  const shown = order.slice(0, flags.top);
  ctx.io.out(
    `${result.results.length} trials of ${CLASSES[name].name} in ${secs(result.seconds)}${result.timedOut ? ' (time limit)' : ''}, ${result.metric} on held-out data (best first${shown.length < order.length ? `, top ${shown.length}` : ''}):`,
  );
  ctx.io.out(
    table(
      ['#', ...keys.map((k) => `>${k}`), `>${result.metric}`, '>time'],
      shown.map((t) => [
        String(t.trial),
        ...paramText(t.params, keys),
        t.error ? `failed: ${t.error.slice(0, 40)}` : `${num(t.value)}${t.stopped === 'pruned' ? ' (stopped)' : ''}`,
        `${t.seconds.toFixed(1)}s`,
      ]),
    ),
  );
  const refit = keys.filter((k) => FLAG_OF[k]).map((k) => `${FLAG_OF[k]} ${paramText(result.best, [k])[0]}`);
  ctx.io.out(
    `best: ${keys.map((k) => `${k} ${paramText(result.best, [k])[0]}`).join(', ')} (${result.metric} ${num(result.bestTrial.value)})`,
  );
  const q = (v: string) => (/^[\w.,=@:+-]+$/.test(v) ? v : `'${v.replace(/'/g, `'\\''`)}'`);
  const input = [
    flags.format && flags.format !== 'auto' ? ` --format ${flags.format}` : '',
    flags.columns !== undefined ? ` --columns ${q(flags.columns)}` : '',
    flags.delimiter !== undefined ? ` --delimiter ${q(flags.delimiter)}` : '',
    flags.header === true ? ' --header' : flags.header === false ? ' --no-header' : '',
  ].join('');
  if (refit.length === keys.length)
    ctx.io.out(`refit with: lowrank fit ${file}${input} --model ${name} ${refit.join(' ')}`);
}
