/**
 * Progress bars for the CLI (cli-progress on stderr). On a terminal the bar redraws live; when stderr is
 * not a terminal (CI logs, pipes) one finished bar line is printed per task instead of a stream of redraws.
 * @module
 */
import cliProgress from 'cli-progress';

/** One task's bar: `update(value, extra)` while running, `stop()` once done. */
export interface Bar {
  update(value: number, extra?: string): void;
  /** Print a line above the bar (e.g. a finished step), keeping the bar below it. */
  log(line: string): void;
  setTotal(total: number): void;
  stop(extra?: string): void;
}

const WIDTH = 28;
const FORMAT = '{label} |{bar}| {percentage}% | {value}/{total} {unit} | {extra}';

function plainLine(label: string, value: number, total: number, unit: string, extra: string): string {
  const frac = total > 0 ? Math.min(1, value / total) : 1;
  const full = Math.round(frac * WIDTH);
  const bar = '\u2588'.repeat(full) + '\u2591'.repeat(WIDTH - full);
  return `${label} |${bar}| ${Math.round(frac * 100)}% | ${value}/${total} ${unit} | ${extra}`;
}

/** A silent bar, for `--json` and `--quiet`. */
const NULL_BAR: Bar = { update() {}, log() {}, setTotal() {}, stop() {} };

/**
 * Start a bar for a task of `total` steps. `label` is padded so bars of one run line up.
 * `enabled: false` returns a bar that prints nothing.
 */
export function startBar(
  label: string,
  total: number,
  unit: string,
  enabled = true,
  stream: NodeJS.WriteStream = process.stderr,
): Bar {
  if (!enabled) return NULL_BAR;
  const padded = label.padEnd(14);
  const t0 = performance.now();
  const elapsed = (): string => `${((performance.now() - t0) / 1000).toFixed(1)}s`;
  if (!stream.isTTY) {
    let value = 0;
    let last = '';
    return {
      update(v, extra) {
        value = v;
        if (extra !== undefined) last = extra;
      },
      log(line) {
        stream.write(line + '\n');
      },
      setTotal(t) {
        total = t;
      },
      stop(extra) {
        stream.write(
          plainLine(padded, value, total, unit, [elapsed(), extra ?? last].filter(Boolean).join(' | ')) + '\n',
        );
      },
    };
  }
  const bar = new cliProgress.SingleBar({
    format: FORMAT,
    barsize: WIDTH,
    hideCursor: true,
    stream,
    clearOnComplete: false,
    barCompleteChar: '\u2588',
    barIncompleteChar: '\u2591',
  });
  bar.start(total, 0, { label: padded, unit, extra: '' });
  let last = '';
  let current = 0;
  return {
    update(v, extra) {
      current = v;
      if (extra !== undefined) last = extra;
      bar.update(v, { extra: [elapsed(), last].filter(Boolean).join(' | ') });
    },
    log(line) {
      // Clear the bar's line, print above it; the bar redraws on its next tick.
      stream.write(`\r\x1b[2K${line}\n`);
      bar.update(current, { extra: [elapsed(), last].filter(Boolean).join(' | ') });
    },
    setTotal(t) {
      bar.setTotal(t);
    },
    stop(extra) {
      if (extra !== undefined) last = extra;
      bar.update({ extra: [elapsed(), last].filter(Boolean).join(' | ') });
      bar.stop();
    },
  };
}
