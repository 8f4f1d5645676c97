// Command-line options of bench/run.mjs (plain argv parsing: no dependency, flags as in the issue).
export const HELP = `npm run bench [-- options]   (or: node bench/run.mjs [options] after npm run build)

  --quick              small sizes, 3 runs (about 1–2 minutes)
  --only a,b,...       workloads: kernels, svd, implicit, factors, explicit, sgd (BPR, LogisticMF),
                       items (ItemKNN, EASE), foldin, recommend, ranking, parse, splits, limits
                       (als = implicit + explicit, serving = foldin + recommend)
  --json out.json      write every sample and the metadata
  --data dir           real data: <dir>/ml-100k/u.data and <dir>/lastfm-2k/user_artists.dat
  --runs N             timed runs per case and backend (default 5, --quick 3)
  --backends a,b       subset of js, wasm, wasm-threads (default: all available)
  --threads N          workers of the wasm-threads backend (default 2)
  --readme [file]      write the README performance section from this run (default README.md)
  --dump dir           keep the SVD matrices (raw COO, as bench/svd_scipy.py reads them) in dir
  --filter regexp      only the cases whose id matches (e.g. 'svd/ml100k', 'k(10|20)$')
  --baseline dist      another build of lowrank (its dist/ folder, e.g. of main) timed in the same run on
                       the ALS and SVD rows, as columns 'before' and 'before-threads'
  --no-anchor          do not build or time benfred/implicit (LOWRANK_IMPLICIT_SRC=<built src> reuses a build)
  --help`;

const ALIASES = { als: ['implicit', 'explicit'], serving: ['foldin', 'recommend'] };

export function parseArgs(argv) {
  const o = {
    quick: false,
    only: undefined,
    json: undefined,
    data: undefined,
    runs: undefined,
    backends: undefined,
    threads: 2,
    readme: undefined,
    dump: undefined,
    filter: undefined,
    baseline: undefined,
    anchor: true,
    help: false,
  };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const next = () => {
      if (i + 1 >= argv.length || argv[i + 1].startsWith('--')) throw new Error(`bench: ${a} needs a value`);
      return argv[++i];
    };
    switch (a) {
      case '--quick':
        o.quick = true;
        break;
      case '--only':
        o.only = next()
          .split(',')
          .flatMap((w) => ALIASES[w] ?? [w]);
        break;
      case '--json':
        o.json = next();
        break;
      case '--data':
        o.data = next();
        break;
      case '--runs':
        o.runs = Number(next());
        break;
      case '--backends':
        o.backends = next().split(',');
        break;
      case '--threads':
        o.threads = Number(next());
        break;
      case '--readme':
        o.readme = i + 1 < argv.length && !argv[i + 1].startsWith('--') ? argv[++i] : 'README.md';
        break;
      case '--dump':
        o.dump = next();
        break;
      case '--filter':
        o.filter = new RegExp(next());
        break;
      case '--baseline':
        o.baseline = next();
        break;
      case '--no-anchor':
        o.anchor = false;
        break;
      case '--help':
      case '-h':
        o.help = true;
        break;
      default:
        throw new Error(`bench: unknown option ${a}\n\n${HELP}`);
    }
  }
  if (o.runs !== undefined && !(Number.isInteger(o.runs) && o.runs >= 1))
    throw new Error('bench: --runs must be an integer ≥ 1');
  o.runs ??= o.quick ? 3 : 5;
  return o;
}
