/**
 * The lines of a Matrix Market coordinate file after its banner: comments, the size line (checked
 * against the cap before any entry), then one entry per line, 1-based, within the declared shape.
 * @internal
 * @module
 */
import { ParseError } from '../../errors.js';
import { cooToCsr, type DuplicatePolicy, type SparseMatrix } from '../csr.js';
import { readValue, type ReadContext, type Row } from './context.js';
import { checkSize, mirrored, type MtxHeader } from './mtx.js';
import { parseIntId } from './numbers.js';
import { decodeAs } from './text.js';

const NAMES = ['row index', 'column index'];

export class MtxRows {
  private sized = false;
  private need = 3;

  constructor(
    private readonly ctx: ReadContext,
    readonly header: MtxHeader,
  ) {
    ctx.split.setDelimiter('whitespace');
    ctx.format = 'matrix-market';
  }

  row(buf: Uint8Array, s: number, e: number, line: number): void {
    let i = s;
    while (i < e && (buf[i] === 32 || buf[i] === 9)) i++;
    if (i === e) {
      this.ctx.problems.drop('blank', buf, s, e, line);
      return;
    }
    if (buf[i] === 37 /* % */) return;
    if (!this.sized) {
      this.size(buf, s, e, line);
      return;
    }
    this.entry({ buf, s, e, line });
  }

  private size(buf: Uint8Array, s: number, e: number, line: number): void {
    const m = this.header;
    const { split } = this.ctx;
    const nf = split.split(buf, s, e, 4);
    const nums = [0, 1, 2].map((k) => (k < nf ? parseIntId(buf, split.fs[k], split.fe[k]) : NaN));
    [m.rows, m.cols, m.entries] = checkSize(nums, nf, decodeAs(buf, s, e), {
      source: this.ctx.source,
      line,
      column: 1,
    });
    this.ctx.store.budget.checkDeclared(m.symmetry === 'general' ? m.entries : 2 * m.entries, m.rows + m.cols);
    this.need = m.field === 'pattern' ? 2 : 3;
    this.sized = true;
  }

  private entry(row: Row): void {
    const m = this.header;
    const { split, store, problems } = this.ctx;
    const { buf, s, e } = row;
    if (store.records + problems.skipped + problems.count('zero') >= m.entries) {
      problems.fail('extra entry', row, s, e, `more entries than the ${m.entries} declared on the size line`);
      return;
    }
    const nf = split.split(buf, s, e, this.need);
    if (nf < this.need) {
      problems.fail(
        'missing field',
        row,
        e,
        e,
        `missing field: a ${m.field} entry has ${this.need} fields (row column${this.need === 3 ? ' value' : ''}), found ${nf}`,
        true,
      );
      return;
    }
    const lim = [m.rows, m.cols];
    const idx = [0, 0];
    for (let k = 0; k < 2; k++) {
      const a = split.fs[k];
      const b = split.fe[k];
      const v = parseIntId(buf, a, b);
      if (Number.isNaN(v)) {
        problems.fail('not a number', row, a, b, `${NAMES[k]} is not an integer`);
        return;
      }
      if (v < 1 || v > lim[k]) {
        problems.fail(
          'out of range',
          row,
          a,
          b,
          `${NAMES[k]} ${v} is outside the declared shape ${m.rows} × ${m.cols} (indices are 1-based)`,
        );
        return;
      }
      idx[k] = v;
    }
    let v = 1;
    if (this.need === 3) {
      const [a, b] = [split.fs[2], split.fe[2]];
      const got = readValue(this.ctx, row, a, b, 'value');
      if (got === undefined) return;
      if (m.field === 'integer' && !Number.isInteger(got)) {
        problems.fail(
          'not a number',
          row,
          a,
          b,
          'value is not an integer, which an "integer" Matrix Market file requires',
        );
        return;
      }
      v = got;
    }
    store.users.nums.push(idx[0] - 1);
    store.items.nums.push(idx[1] - 1);
    store.values.push(v);
    store.records++;
  }

  /** The matrix, once every line is read. */
  finish(duplicates: DuplicatePolicy, line: number): SparseMatrix {
    const m = this.header;
    const { store, problems, source } = this.ctx;
    if (!this.sized) throw new ParseError('empty input: the Matrix Market size line is missing', { source, line });
    const dropped = problems.count('zero');
    if (store.records + problems.skipped + dropped < m.entries) {
      throw new ParseError(
        `the size line declares ${m.entries} entries but the file has ${store.records + problems.skipped + dropped}`,
        { source, line },
      );
    }
    const { r, c, v } = mirrored(store.users.nums.view, store.items.nums.view, store.values.view, m.symmetry);
    return cooToCsr(
      r,
      c,
      v,
      [m.rows, m.cols],
      duplicates,
      undefined,
      (i, j) => `${source}: duplicate entry (${i + 1}, ${j + 1})`,
      source,
    ).matrix;
  }
}
