/**
 * Where the CLI's interactions come from: a file (format, columns, delimiter and header detected from
 * its content unless given) or the built-in synthetic data (`synthetic`, `synthetic:implicit`).
 * @module
 */
import { existsSync, statSync } from 'node:fs';
import { totalmem } from 'node:os';
// Only the public API (../index.js): the bundle imports it from dist/index.mjs, so error classes are shared.
import {
  ColumnsError,
  ParseError,
  SizeLimitError,
  ValidationError,
  datasets,
  readInteractions,
  type Interactions,
} from '../index.js';
import { FORMATS, type ColumnSpec, type FormatName } from '../advanced.js';
import type { Ctx } from './context.js';
import { startBar } from './progress.js';

/** `--format` values: `auto` (the default: detected from the content) and every named format. */
export const FORMAT_CHOICES = Object.keys(FORMATS) as FormatName[];

/** Size of the built-in synthetic data: large enough to be interesting, small enough for a minute on 2 cores. */
export const SYNTHETIC_SHAPE = { users: 3000, items: 2000, density: 0.02, rank: 10 } as const;

/** How a file's fields are laid out, as given on the command line (undefined: detected). */
export interface InputFlags {
  format?: string;
  /** `--columns`: `user,item,rating` (roles by position) or `user=uid,item=sku` (header names). */
  columns?: string;
  /** `--delimiter`: a character or string, or tab / comma / semicolon / pipe / space. */
  delimiter?: string;
  /** `--header` (true) / `--no-header` (false). */
  header?: boolean;
  /** `--max-bytes`: what reading may allocate (default: the machine's memory). */
  maxBytes?: string;
  /** `--skip-bad-rows`: skip (and count) rows that cannot be read instead of stopping. */
  skipBadRows?: boolean;
  /** `--zeros keep|drop|<number>`: what values of 0 become. */
  zeros?: string;
  /** `--no-quotes` (false): quote characters are data. */
  quotes?: boolean;
}

/** Options of {@link loadInteractions}. */
export interface LoadOptions extends InputFlags {
  seed?: number;
  progress?: boolean;
}

const DELIMITER_NAMES: Record<string, string> = {
  tab: '\t',
  '\\t': '\t',
  comma: ',',
  semicolon: ';',
  pipe: '|',
  space: 'whitespace',
  whitespace: 'whitespace',
  colons: '::',
};

/** `--delimiter` as readInteractions takes it. */
export function parseDelimiter(raw: string): string {
  const d = DELIMITER_NAMES[raw.toLowerCase()] ?? raw;
  if (d === '' || /[\r\n]/.test(d))
    throw new ValidationError(
      `--delimiter must be a character or string (or tab, comma, semicolon, pipe, space), got ${JSON.stringify(raw)}`,
    );
  return d;
}

const ROLE_WORDS = ['user', 'item', 'value', 'timestamp'] as const;

/**
 * `--columns` as readInteractions takes it: `user,item,rating` lists the roles by position (`-` skips a
 * field); `user=uid,item=sku,value=qty` names the header's columns.
 */
export function parseColumns(raw: string): ColumnSpec {
  const parts = raw.split(',').map((s) => s.trim());
  const usage =
    '--columns lists the fields in order (user,item,rating; - skips one) or names header columns (user=uid,item=sku,value=qty)';
  if (parts.some((p) => p === '')) throw new ValidationError(`${usage}; ${JSON.stringify(raw)} has an empty entry`);
  if (!parts.some((p) => p.includes('='))) return parts.map((p) => (p === '-' ? null : p));
  const spec: Record<string, string> = {};
  for (const p of parts) {
    const [role, name, ...rest] = p.split('=').map((s) => s.trim());
    const r = role.toLowerCase() === 'rating' ? 'value' : role.toLowerCase();
    if (name === undefined || name === '' || rest.length || !(ROLE_WORDS as readonly string[]).includes(r)) {
      throw new ValidationError(
        `${usage}; ${JSON.stringify(p)} is not role=column with a role of user, item, value, timestamp`,
      );
    }
    if (r in spec) throw new ValidationError(`--columns names ${r} twice`);
    spec[r] = name;
  }
  if (!spec.user || !spec.item)
    throw new ValidationError(`--columns must name both user and item (got ${JSON.stringify(raw)})`);
  return spec;
}

const UNITS: Record<string, number> = { '': 1, k: 2 ** 10, m: 2 ** 20, g: 2 ** 30, t: 2 ** 40 };

/** `--max-bytes`: bytes, with an optional K/M/G/T suffix (binary), or `Infinity`. */
export function parseSize(raw: string): number {
  if (/^inf(inity)?$/i.test(raw.trim())) return Infinity;
  const m = /^\s*(\d+(?:\.\d+)?)\s*([kmgt]?)(?:i?b)?\s*$/i.exec(raw);
  const v = m ? Math.floor(Number(m[1]) * UNITS[m[2].toLowerCase()]) : NaN;
  if (!(v > 0))
    throw new ValidationError(`--max-bytes takes a size such as 500M, 8G or Infinity, got ${JSON.stringify(raw)}`);
  return v;
}

/** `--zeros`: keep, drop, or the number to read 0 as. */
export function parseZeros(raw: string): 'keep' | 'drop' | number {
  const t = raw.trim().toLowerCase();
  if (t === 'keep' || t === 'drop') return t;
  const v = Number(t);
  if (t === '' || !Number.isFinite(v))
    throw new ValidationError(`--zeros takes keep, drop or a number to read 0 as (e.g. 1), got ${JSON.stringify(raw)}`);
  return v;
}

/** True for the names that select the built-in synthetic data. */
export function isSynthetic(source: string): boolean {
  return source === 'synthetic' || source === 'synthetic:implicit' || source === 'synthetic:explicit';
}

/**
 * Check a data source and its layout flags before any work (a model's options are checked too, so a bad
 * flag is reported before a large file is read or a model trained). Returns the readInteractions options.
 */
export function checkSource(
  source: string,
  flags: InputFlags,
): {
  format: FormatName;
  columns?: ColumnSpec;
  delimiter?: string;
  header?: boolean;
  maxBytes: number;
  onError?: 'skip';
  zeros?: 'keep' | 'drop' | number;
  quote?: null;
} {
  // The command line reads the user's own files: the cap is the machine's memory (what could not be held
  // anyway), not the library's default for untrusted input.
  const maxBytes = flags.maxBytes !== undefined ? parseSize(flags.maxBytes) : totalmem();
  if (isSynthetic(source)) {
    for (const [flag, v] of [
      ['--columns', flags.columns],
      ['--delimiter', flags.delimiter],
      ['--header', flags.header],
      ['--max-bytes', flags.maxBytes],
      ['--skip-bad-rows', flags.skipBadRows],
      ['--zeros', flags.zeros],
      ['--no-quotes', flags.quotes === false ? true : undefined],
    ] as const) {
      if (v !== undefined)
        throw new ValidationError(`${flag} applies to ratings files, not the built-in ${source} data`);
    }
    return { format: 'auto', maxBytes };
  }
  if (!existsSync(source))
    throw new ValidationError(`no such file: ${source} (give a ratings file, or 'synthetic' for the built-in data)`);
  if (!statSync(source).isFile()) throw new ValidationError(`not a file: ${source}`);
  const fmt = flags.format ?? 'auto';
  if (!(FORMAT_CHOICES as readonly string[]).includes(fmt)) {
    throw new ValidationError(`unknown format ${JSON.stringify(fmt)}; expected one of ${FORMAT_CHOICES.join(', ')}`);
  }
  return {
    format: fmt as FormatName,
    maxBytes,
    ...(flags.columns !== undefined ? { columns: parseColumns(flags.columns) } : {}),
    ...(flags.delimiter !== undefined ? { delimiter: parseDelimiter(flags.delimiter) } : {}),
    ...(flags.header !== undefined ? { header: flags.header } : {}),
    ...(flags.skipBadRows ? { onError: 'skip' as const } : {}),
    ...(flags.zeros !== undefined ? { zeros: parseZeros(flags.zeros) } : {}),
    ...(flags.quotes === false ? { quote: null } : {}),
  };
}

/** The library's option names in a message, as the command line's flags. */
function asFlags(message: string): string {
  return message
    .replace("pass onError: 'skip'", 'pass --skip-bad-rows')
    .replaceAll("format: 'counted-lists'", '--format counted-lists')
    .replaceAll("format: 'lists'", '--format lists')
    .replace('pass quote: null', 'pass --no-quotes')
    .replace(/zeros: ('drop'|1)/g, (_, v) => `--zeros ${v === "'drop'" ? 'drop' : v}`);
}

/** The library's advice on a layout, in the CLI's options. */
function cliAdvice(e: unknown, flags: InputFlags): unknown {
  if (e instanceof ValidationError && e.message.startsWith('readInteractions: columns')) {
    const what = e.message
      .slice('readInteractions: '.length)
      .replace('pass header: true, or give a 0-based position', 'pass --header, or list the roles in field order');
    return new ValidationError(`--columns ${flags.columns}: ${what}`);
  }
  if (e instanceof ColumnsError) {
    const cut = e.message.indexOf('. Say which is which');
    const pairs = Object.entries(e.suggested).map(([role, name]) => `${role}=${name}`);
    return new ParseError(
      `${cut > 0 ? e.message.slice(0, cut) : e.message}; say which is which with --columns ${pairs.join(',')}`,
    );
  }
  if (e instanceof SizeLimitError) {
    return new SizeLimitError(
      e.message.replace(/ needs .*$/, ''),
      e.declared,
      e.limit,
      'raise it with --max-bytes (e.g. --max-bytes 16G) if the machine has the memory',
    );
  }
  if (e instanceof ParseError && !(e instanceof ColumnsError) && asFlags(e.message) !== e.message) {
    const loc = [
      e.source,
      e.line !== undefined ? `line ${e.line}` : '',
      e.column !== undefined ? `column ${e.column}` : '',
    ]
      .filter(Boolean)
      .join(', ');
    const bare = loc && e.message.startsWith(`${loc}: `) ? e.message.slice(loc.length + 2) : e.message;
    return new ParseError(asFlags(bare), { source: e.source, line: e.line, column: e.column });
  }
  if (e instanceof ParseError && e.message.includes("format 'auto' (the default)")) {
    return new ParseError(
      e.message.replace(
        "read it with format 'auto' (the default)",
        'leave out --format (auto-detection), or name the columns with --columns',
      ),
    );
  }
  return e;
}

/** Read `source` (a path, or `synthetic[:implicit|:explicit]`) into Interactions. */
export async function loadInteractions(source: string, options: LoadOptions = {}): Promise<Interactions> {
  const layout = checkSource(source, options);
  if (isSynthetic(source)) {
    return datasets.synthetic({
      ...SYNTHETIC_SHAPE,
      implicit: source === 'synthetic:implicit',
      seed: options.seed ?? 0,
    });
  }
  const size = statSync(source).size;
  const kib = Math.max(1, Math.round(size / 1024));
  const bar = startBar('read', kib, 'KiB', options.progress ?? false);
  let data: Interactions;
  try {
    data = await readInteractions(source, {
      ...layout,
      // What the library would warn about is printed with the notes (noteData), as flags.
      warnings: false,
      onProgress: (p) => bar.update(Math.round(p.bytes / 1024), `${p.lines} lines`),
    });
  } catch (e) {
    throw cliAdvice(e, options);
  }
  bar.update(kib);
  bar.stop(`${data.nnz} interactions (${data.report?.format ?? layout.format})`);
  return data;
}

/** One line describing a data set. */
export function describeData(source: string, data: Interactions): string {
  const [u, i] = data.shape;
  const density = (100 * data.nnz) / (u * i);
  const what = data.info?.description ?? source;
  return `${what}: ${u} users × ${i} items, ${data.nnz} interactions (${density.toFixed(2)}% dense)`;
}

/** How the fields were read, e.g. `columns: user "uid" (field 1), item "product" (field 2), …` ('' for synthetic data). */
export function describeColumns(data: Interactions): string {
  const r = data.report;
  if (r && (r.format === 'lists' || r.format === 'counted-lists')) {
    const d = r.delimiter === '\t' ? 'tab' : r.delimiter === 'whitespace' ? 'spaces' : JSON.stringify(r.delimiter);
    const what = r.format === 'lists' ? 'user item item …' : 'count item item …; the user is the line number, from 0';
    return `${r.source}: ${r.format} (one user per line: ${what}), ${d}-delimited`;
  }
  if (!r?.columns) return '';
  const parts = ROLE_WORDS.filter((role) => r.columns![role] >= 0).map((role) => {
    const k = r.columns![role];
    return `${role} ${r.header?.[k] !== undefined ? `${JSON.stringify(r.header[k])} ` : ''}(field ${k + 1})`;
  });
  const d = r.delimiter === '\t' ? 'tab' : r.delimiter === 'whitespace' ? 'spaces' : JSON.stringify(r.delimiter);
  return `${r.source}: ${r.format === 'delimited' ? '' : `${r.format}, `}${d}-delimited, ${r.header ? 'with' : 'no'} header; columns: ${parts.join(', ')}${r.columns.value < 0 ? ' (no value column: every interaction counts 1)' : ''}`;
}

/** Rows not read, per kind, e.g. `rows not read: 3 blank, 2 missing field (first: line 7)` ('' if none). */
export function describeDropped(data: Interactions): string {
  const d = data.report?.dropped;
  if (!d) return '';
  const parts = Object.entries(d).map(
    ([kind, r]) => `${r.count} ${kind}${kind === 'blank' ? '' : ` (first: line ${r.first[0]?.line})`}`,
  );
  return parts.length ? `rows not read: ${parts.join(', ')}` : '';
}

/** The notes on stderr after reading: the data's size, how a file's fields were read, rows not read, the reader's notes. */
export function noteData(ctx: Ctx, source: string, data: Interactions): void {
  if (!ctx.notes) return;
  ctx.io.err(describeData(source, data));
  const cols = describeColumns(data);
  if (cols) ctx.io.err(cols);
  const dropped = describeDropped(data);
  if (dropped) ctx.io.err(dropped);
  for (const note of data.report?.notes ?? []) ctx.io.err(`note: ${asFlags(note)}`);
}
