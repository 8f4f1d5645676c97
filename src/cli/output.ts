/**
 * Plain-text tables and JSON output for the CLI. Human output goes to stdout; with `--json` a command
 * prints exactly one JSON document on stdout (progress and notes are suppressed), for scripting.
 * @module
 */

/** Where a command writes: stdout for results, stderr for notes. Swappable in tests. */
export interface Io {
  out(text: string): void;
  err(text: string): void;
}

/** The process's streams. */
export const processIo: Io = {
  out: (t) => process.stdout.write(t.endsWith('\n') ? t : t + '\n'),
  err: (t) => process.stderr.write(t.endsWith('\n') ? t : t + '\n'),
};

/** "1 restart", "2 restarts". */
export function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}

/** Format a number for a table: fixed decimals, or '—' when absent or not finite. */
export function num(v: number | undefined, digits = 4): string {
  return v === undefined || !Number.isFinite(v) ? '—' : v.toFixed(digits);
}

/**
 * Render rows as an aligned text table. Columns whose header starts with '>' are right-aligned (the '>' is
 * dropped), others left-aligned.
 */
export function table(headers: string[], rows: (string | number)[][]): string {
  const right = headers.map((h) => h.startsWith('>'));
  const heads = headers.map((h) => (h.startsWith('>') ? h.slice(1) : h));
  const cells = rows.map((r) => r.map((c) => String(c)));
  const widths = heads.map((h, j) => Math.max(h.length, ...cells.map((r) => (r[j] ?? '').length)));
  const line = (r: string[]): string =>
    r
      .map((c, j) => (right[j] ? c.padStart(widths[j]) : c.padEnd(widths[j])))
      .join('  ')
      .trimEnd();
  return [line(heads), widths.map((w) => '-'.repeat(w)).join('  '), ...cells.map(line)].join('\n');
}

/** JSON with typed arrays as plain arrays and non-finite numbers as null. */
export function toJson(value: unknown): string {
  return JSON.stringify(
    value,
    (_k, v) => {
      if (ArrayBuffer.isView(v) && !(v instanceof DataView)) return Array.from(v as unknown as ArrayLike<number>);
      if (typeof v === 'number' && !Number.isFinite(v)) return null;
      if (typeof v === 'bigint') return Number(v);
      return v;
    },
    2,
  );
}

/** A float32 value as the shortest decimal that reads back as the same float32 (for JSON output). */
export function f32(x: number): number {
  if (!Number.isFinite(x)) return x;
  const t = Math.fround(x);
  for (let p = 1; p < 9; p++) {
    const v = Number(t.toPrecision(p));
    if (Math.fround(v) === t) return v;
  }
  return Number(t.toPrecision(9));
}

/** A bar chart line per value, scaled to the largest. */
export function spectrumBars(s: ArrayLike<number>, width = 40): string[] {
  const top = s.length > 0 ? s[0] : 0;
  return Array.from(s, (v) => '\u2587'.repeat(top > 0 ? Math.max(1, Math.round((v / top) * width)) : 0));
}
