/**
 * The `lowrank` command line: commands, their options and help, and error handling (one line on stderr,
 * non-zero exit: 2 for usage errors, 1 for everything else).
 * @module
 */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Command, CommanderError, Option } from 'commander';
import { LowrankError } from '../index.js';
import { type BackendName } from '../advanced.js';
import type { CommonFlags, Ctx } from './context.js';
import { FORMAT_CHOICES } from './data.js';
import { MODEL_CHOICES } from './models.js';
import { processIo, type Io } from './output.js';
import { intIn, nonNegative, openUnit, positiveNumber } from './parse.js';
import { demoCommand } from './commands/demo.js';
import { evaluateCommand } from './commands/evaluate.js';
import { fitCommand } from './commands/fit.js';
import { recommendCommand } from './commands/recommend.js';
import { similarCommand } from './commands/similar.js';
import { svdCommand } from './commands/svd.js';
import { tuneCommand } from './commands/tune.js';

/** The package version, from the nearest package.json above this file (dist/ or src/cli/). */
function version(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (let i = 0; i < 4; i++) {
    const p = join(dir, 'package.json');
    if (existsSync(p)) {
      const pkg = JSON.parse(readFileSync(p, 'utf8')) as { name?: string; version?: string };
      if (pkg.name === 'lowrank' && pkg.version) return pkg.version;
    }
    dir = dirname(dir);
  }
  return '0.0.0';
}

/** Options every command takes. */
function common(cmd: Command): Command {
  return cmd
    .option('--json', 'print one JSON document on stdout (no progress bars), for scripts')
    .option('-q, --quiet', 'no progress bars or notes on stderr')
    .addOption(
      new Option(
        '--backend <name>',
        'kernel backend (default: wasm-threads on every core where threads work, else wasm)',
      ).choices(['wasm', 'wasm-threads', 'js']),
    )
    .option(
      '--threads <n>',
      'threads for the wasm-threads backend (default: every core; 1 runs on the calling thread alone)',
      intIn(1, 256),
    );
}

/** How a ratings file is laid out: everything is detected from its content unless given. */
function input(cmd: Command): Command {
  return cmd
    .addOption(
      new Option('--format <name>', 'input format (auto: detected from the content)')
        .choices([...FORMAT_CHOICES])
        .default('auto'),
    )
    .option(
      '--columns <list>',
      'which field is what: roles in field order (user,item,rating; - skips a field) or header names (user=uid,item=sku,value=qty); default: from the header, else user,item,value,timestamp',
    )
    .option(
      '--delimiter <d>',
      'field delimiter: a character or string, or tab, comma, semicolon, pipe, space (default: detected)',
    )
    .option('--header', 'the first line is a header (default: detected)')
    .option('--no-header', 'the first line is data')
    .option(
      '--skip-bad-rows',
      'skip rows that cannot be read (a missing field, a value that is not a number, …) and count them, instead of stopping at the first',
    )
    .option(
      '--zeros <how>',
      'values of 0: keep (default), drop, or a number to read them as (e.g. 1 where 0 means seen, not rated)',
    )
    .option('--no-quotes', 'quote characters are data (default: RFC 4180 quoting)')
    .option(
      '--max-bytes <size>',
      "what reading the file may allocate, e.g. 500M, 8G, Infinity (default: the machine's memory)",
    );
}

/** Collect a repeatable option's values. */
const collect = (v: string, all: string[] | undefined): string[] => [...(all ?? []), v];

/** Hyperparameter options shared by fit and evaluate. */
function hyper(cmd: Command): Command {
  return cmd
    .option(
      '--factors <n>',
      'latent factors (default: implicit-als 64, als 50, puresvd 50, bpr 100, lmf 30)',
      intIn(1, 4096),
    )
    .option('--iterations <n>', 'iterations (default: implicit-als 15, als 10, bpr 100 epochs, lmf 30)', intIn(1, 1000))
    .option(
      '--regularization <x>',
      "L2 penalty λ (default: implicit-als 1, frequency-scaled; als 0.1; bpr 0.01; lmf 2.5; ease 1.5·Σd²/Σd from the data, d = each item's squared norm)",
      nonNegative,
    )
    .option('--neighbors <n>', 'item-knn: neighbours kept per item (default 20)', intIn(1, 1 << 20))
    .addOption(
      new Option(
        '--weighting <how>',
        'item-knn: weighting before item–item dot products (default tfidf; cosine, bm25 with k1 1.2 and b 0.75, none)',
      ).choices(['cosine', 'tfidf', 'bm25', 'none']),
    )
    .option(
      '--alpha <x>',
      'confidence scale α (implicit-als, default 2: the average observed entry weighs 1 + α; lmf, default 1: the weight of ln σ)',
      nonNegative,
    )
    .addOption(
      new Option(
        '--confidence <how>',
        'implicit-als confidence 1 + α·g(r)/mean g: g(r) = r (linear) or log(1 + r/ε) (log, default)',
      ).choices(['linear', 'log']),
    )
    .addOption(new Option('--solver <name>', 'implicit-als row solver (default cg)').choices(['cg', 'cholesky']))
    .option('--seed <n>', 'random seed (factor init, split, synthetic data)', intIn(0, 2 ** 32 - 1), 0)
    .option('--loss', 'implicit-als: compute the training loss each iteration (shown on the bar)')
    .option(
      '--param <model.option=value>',
      'any model option, repeatable: implicit-als.alpha=1, als.biases=false, puresvd.tol=1e-8 (without "model." for every model)',
      collect,
    );
}

function ctxOf(flags: CommonFlags, io: Io): Ctx {
  const json = flags.json === true;
  return {
    io,
    json,
    progress: !json && flags.quiet !== true,
    notes: !json && flags.quiet !== true,
    backend: flags.backend as BackendName | undefined,
    threads: flags.threads,
  };
}

/** Build the program. `io` receives all output (tests capture it). */
export function buildProgram(io: Io = processIo): Command {
  const program = new Command('lowrank');
  program
    .description(
      'Low-rank matrix factorization for recommendation: fit, serve and evaluate models (implicit ALS, explicit ALS, PureSVD, BPR, logistic MF, item kNN, EASE).',
    )
    .version(version(), '-V, --version')
    .showSuggestionAfterError(true)
    .exitOverride()
    .configureOutput({
      writeOut: (s) => io.out(s.replace(/\n$/, '')),
      writeErr: (s) => io.err(s.replace(/\n$/, '')),
      // commander's messages are one line already; say where to look next on the same line.
      outputError: (s, write) => write(`lowrank: ${s.trim().replace(/\s*\n\s*/g, ' ')} (see --help)\n`),
    })
    .addHelpText(
      'after',
      `
Data: a ratings file (MovieLens u.data / ratings.dat / ratings.csv, Last.fm user_artists.dat, any CSV/TSV of
user, item[, value[, timestamp]] with or without a header, one user's list per line as in LightGCN's train.txt
or citeulike's users.dat, Matrix Market .mtx), or "synthetic" for built-in synthetic ratings. Headers are read by
name in any order (user/userId/User-ID/uid, item/itemId/movieId/ISBN/asin/product, rating/Book-Rating/stars/
value/count/plays, timestamp/date); quoted fields and \n, \r\n or \r line ends as RFC 4180 says. --format,
--columns, --delimiter and --header/--no-header say what detection cannot; --skip-bad-rows skips (and counts)
rows that cannot be read; --zeros 1 reads values of 0 as interactions.

Examples:
  lowrank fit u.data --format movielens-100k --model implicit-als --factors 64 --iterations 15 --out model.lrk
  lowrank recommend model.lrk --user 196 -n 10 --explain
  lowrank recommend model.lrk --liked 50,172,181        # a new user, folded in without refitting
  lowrank similar model.lrk --item 50
  lowrank fit orders.csv --columns user=buyer,item=title,value=stars   # name what detection cannot tell
  lowrank evaluate u.data --model implicit-als,als,puresvd --split 0.2
  lowrank evaluate u.data --model implicit-als,puresvd --param implicit-als.alpha=1
  lowrank evaluate u.data --model item-knn,ease --weighting bm25 --neighbors 50
  lowrank tune u.data --model implicit-als --metric precision@10 --trials 24
  lowrank svd u.data -k 20
  lowrank demo                                          # the main job (npm start)`,
    );

  const fit = input(
    program
      .command('fit')
      .argument('<file>', 'ratings file, or "synthetic"')
      .description('fit a model and save it (.lrk)'),
  ).addOption(new Option('--model <name>', 'model to fit').choices([...MODEL_CHOICES]).default('implicit-als'));
  common(hyper(fit))
    .option('-o, --out <path>', 'model file to write', 'model.lrk')
    .option(
      '--no-interactions',
      'do not store the training interactions (smaller file; recommend cannot filter seen items)',
    )
    .action((file: string, flags, cmd: Command) => fitCommand(file, flags, ctxOf(cmd.opts(), io)));

  common(
    program
      .command('recommend')
      .argument('<model>', 'model file from lowrank fit')
      .description('top-N items for a user of the model, or for a new user given the items they liked')
      .option('--user <id>', 'user id (as in the training file)')
      .option('--liked <ids>', 'comma-separated item ids liked by a new user (fold-in, no refit)')
      .option('-n, --count <n>', 'how many items', intIn(1, 100000), 10)
      .option('--explain', 'implicit-als, item-knn, ease: list the liked items that contribute most to each score')
      .option('--include-seen', 'do not filter out items the user already interacted with'),
  ).action((model: string, flags, cmd: Command) =>
    recommendCommand(model, { ...flags, n: flags.count }, ctxOf(cmd.opts(), io)),
  );

  common(
    program
      .command('similar')
      .argument('<model>', 'model file from lowrank fit')
      .description(
        "items most similar to an item (cosine of the item factors; item-knn: its neighbours; ease: B's row)",
      )
      .requiredOption('--item <id>', 'item id (as in the training file)')
      .option('-n, --count <n>', 'how many items', intIn(1, 100000), 10),
  ).action((model: string, flags, cmd: Command) =>
    similarCommand(model, { item: flags.item, n: flags.count }, ctxOf(cmd.opts(), io)),
  );

  const evaluate = input(
    program
      .command('evaluate')
      .argument('<file>', 'ratings file, or "synthetic"')
      .description('fit on a random training split and report ranking metrics (and RMSE for als) on the held-out rest'),
  )
    .option(
      '--model <names>',
      `model(s), comma-separated: ${MODEL_CHOICES.join(', ')} (a hyperparameter flag applies to the models that take it)`,
      'implicit-als',
    )
    .option('--split <fraction>', 'fraction of interactions held out for testing', openUnit, 0.2)
    .option('-k, --k <k>', 'list length of the ranking metrics (@k)', intIn(1, 100000), 10);
  common(hyper(evaluate)).action((file: string, flags, cmd: Command) =>
    evaluateCommand(file, flags, ctxOf(cmd.opts(), io)),
  );

  common(
    input(
      program
        .command('tune')
        .argument('<file>', 'ratings file, or "synthetic"')
        .description('search hyperparameters on held-out data (iterations by early stopping) and print the best'),
    )
      .addOption(new Option('--model <name>', 'model to tune').choices([...MODEL_CHOICES]).default('implicit-als'))
      .option(
        '--metric <name>',
        'metric to optimise: ndcg@10, precision@10, map@k, recall@k, auc@k, rmse, mae (default: rmse for als, else ndcg@10)',
      )
      .option(
        '--trials <n>',
        'settings to try (random search refined around the best; default 24, or as many as --time-limit allows)',
        intIn(1, 100000),
      )
      .option('--time-limit <seconds>', 'stop after this many seconds and report the best so far', positiveNumber)
      .option('--no-prune', 'run every trial to early stopping (default: stop trials clearly behind the best)')
      .option('--grid', 'try every combination of the --space lists instead')
      .option(
        '--space <spec>',
        'an option to search: name=v1,v2,… or name=min..max[:log][:int]; repeat per option (default: a wide space for the model)',
        (v: string, acc: string[] = []) => [...acc, v],
      )
      .option('--validation <fraction>', 'fraction of interactions held out (default 0.2)', openUnit)
      .option('--folds <k>', 'k-fold cross-validation instead of one held-out split', intIn(2, 100))
      .option(
        '--max-iterations <n>',
        'upper bound of the iterations early stopping picks from (default 50)',
        intIn(1, 10000),
      )
      .option('--patience <n>', 'evaluations without improvement before a trial stops (default 3)', intIn(1, 10000))
      .option('--seed <n>', 'seed of the split, the search and the models', intIn(0, 2 ** 32 - 1), 0)
      .option('--top <n>', 'trials shown in the table, best first', intIn(1, 100000), 15),
  ).action((file: string, flags, cmd: Command) => tuneCommand(file, flags, ctxOf(cmd.opts(), io)));

  common(
    input(
      program
        .command('svd')
        .argument('<file>', 'ratings file, or "synthetic"')
        .description('top-k singular values of the interaction matrix (truncated SVD)'),
    )
      .option('-k, --k <k>', 'number of singular values', intIn(1, 100000), 20)
      .addOption(
        new Option('--center <how>', 'implicit centering').choices(['none', 'global', 'rows', 'cols']).default('none'),
      )
      .addOption(new Option('--method <name>', 'algorithm').choices(['lanczos', 'randomized']).default('lanczos'))
      .option('--tol <x>', 'relative residual tolerance (default 1e-10)', openUnit)
      .option('--seed <n>', 'start-vector seed', intIn(0, 2 ** 32 - 1)),
  ).action((file: string, flags, cmd: Command) => svdCommand(file, flags, ctxOf(cmd.opts(), io)));

  common(
    input(
      program
        .command('demo')
        .argument('[file]', 'ratings file (default: built-in synthetic ratings)')
        .description(
          'the main job (npm start): fit implicit ALS, explicit ALS and PureSVD, print metrics, singular values and explained recommendations',
        ),
    )
      .option('--seed <n>', 'seed of the data, split and models', intIn(0, 2 ** 32 - 1), 0)
      .option('--users <n>', 'sample users to show', intIn(0, 100), 2),
  ).action((file: string | undefined, flags, cmd: Command) => demoCommand(file, flags, ctxOf(cmd.opts(), io)));

  // Subcommands report errors the same way as the program.
  for (const c of program.commands) {
    c.exitOverride().showSuggestionAfterError(true).configureOutput(program.configureOutput());
  }
  return program;
}

/** The one-line message for an error thrown by a command. */
export function errorLine(e: unknown): string {
  if (e instanceof LowrankError) return `lowrank: error: ${e.message}`;
  if (e instanceof Error) {
    const code = (e as NodeJS.ErrnoException).code;
    return `lowrank: error: ${e.message}${code && !e.message.includes(code) ? ` (${code})` : ''}`;
  }
  return `lowrank: error: ${String(e)}`;
}

/**
 * Run the CLI on `args` (without node and script). Resolves to the exit code: 0 ok, 1 failed,
 * 2 bad usage. Never throws.
 */
export async function run(args: string[], io: Io = processIo): Promise<number> {
  const program = buildProgram(io);
  try {
    if (args.length === 0) {
      program.outputHelp();
      return 2;
    }
    await program.parseAsync(args, { from: 'user' });
    return 0;
  } catch (e) {
    if (e instanceof CommanderError) {
      // Help and version "errors" are successful exits; usage errors were already printed.
      return e.exitCode === 0 ? 0 : 2;
    }
    io.err(errorLine(e));
    if (process.env.LOWRANK_DEBUG && e instanceof Error && e.stack) io.err(e.stack);
    return 1;
  }
}
