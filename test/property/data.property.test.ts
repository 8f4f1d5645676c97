// Properties of the data layer, checked on arbitrary inputs (fast-check): parsing what was written gives back
// the same triples, whatever the delimiter, padding and line endings; fromCOO equals a dense accumulation;
// transposing twice is the identity (through the validating constructor, not the cache).
import { expect } from 'vitest';
import { fc, test } from '@fast-check/vitest';
import { SparseMatrix } from '../../src/data/csr.js';
import { readInteractions } from '../../src/data/parse/read.js';
import { params } from './runs.js';

/** Distinct (user, item) pairs with values exactly representable as float32. */
const triples = fc
  .uniqueArray(
    fc.record({
      u: fc.integer({ min: 0, max: 50 }),
      i: fc.integer({ min: 0, max: 50 }),
      v: fc.float({ noNaN: true, noDefaultInfinity: true, min: -1e6, max: 1e6 }),
    }),
    {
      minLength: 1,
      maxLength: 40,
      selector: (t) => `${t.u}:${t.i}`,
    },
  )
  .map((ts) => ts.map((t) => ({ ...t, v: Object.is(t.v, -0) ? 0 : t.v })));

const layout = fc.record({
  delimiter: fc.constantFrom(',', '\t', ';', '|', '::', ' '),
  pad: fc.constantFrom('', ' ', '  '),
  eol: fc.constantFrom('\n', '\r\n'),
  trailingEol: fc.boolean(),
  header: fc.boolean(),
  blankLines: fc.boolean(),
  bytes: fc.boolean(),
  chunk: fc.integer({ min: 1, max: 64 }),
});

test.prop([triples, layout], params('parser round trip (write → parse → same triples)'))(
  'parser round trip on arbitrary delimiters, padding, CRLF, headers and chunking',
  async (ts, o) => {
    // Padding around fields is only meaningful (and only trimmed) with a non-space delimiter.
    const pad = o.delimiter === ' ' ? '' : o.pad;
    const line = (f: (string | number)[]) => f.map((x) => `${pad}${x}${pad}`).join(o.delimiter);
    const lines = ts.map((t) => line([t.u, t.i, t.v]));
    if (o.blankLines) lines.splice(lines.length >> 1, 0, '');
    if (o.header) lines.unshift(line(['user', 'item', 'rating']));
    const text = lines.join(o.eol) + (o.trailingEol ? o.eol : '');
    const bytes = new TextEncoder().encode(text);
    // Stream it in arbitrary chunks, so lines (and CRLF pairs) are split across chunk boundaries.
    const chunks: Uint8Array[] = [];
    for (let a = 0; a < bytes.length; a += o.chunk) chunks.push(bytes.subarray(a, a + o.chunk));
    const data = await readInteractions(o.bytes ? bytes : chunks, {
      delimiter: o.delimiter === ' ' ? 'whitespace' : o.delimiter,
      header: o.header,
      duplicates: 'error',
    });
    const got = new Map<string, number>();
    const m = data.matrix;
    for (let r = 0; r < m.rows; r++)
      for (let p = m.indptr[r]; p < m.indptr[r + 1]; p++)
        got.set(`${data.users.id(r)}:${data.items.id(m.indices[p])}`, m.data[p]);
    expect(got.size).toBe(ts.length);
    for (const t of ts) expect(got.get(`${t.u}:${t.i}`)).toBe(t.v);
    expect(data.report?.records).toBe(ts.length);
  },
);

const coo = fc
  .record({ rows: fc.integer({ min: 1, max: 8 }), cols: fc.integer({ min: 1, max: 8 }) })
  .chain(({ rows, cols }) =>
    fc.record({
      rows: fc.constant(rows),
      cols: fc.constant(cols),
      entries: fc.array(
        fc.tuple(
          fc.integer({ min: 0, max: rows - 1 }),
          fc.integer({ min: 0, max: cols - 1 }),
          fc.integer({ min: -40, max: 40 }).map((x) => x / 4),
        ),
        { maxLength: 60 },
      ),
    }),
  );

test.prop([coo, fc.constantFrom('sum', 'last')], params('fromCOO equals a dense accumulate'))(
  'fromCOO equals a dense accumulation (sum / last), in CSR order',
  (c, policy) => {
    const A = SparseMatrix.fromCOO({
      rows: c.entries.map((e) => e[0]),
      cols: c.entries.map((e) => e[1]),
      values: c.entries.map((e) => e[2]),
      shape: [c.rows, c.cols],
      duplicates: policy,
    });
    const dense = new Float64Array(c.rows * c.cols);
    const stored = new Uint8Array(c.rows * c.cols);
    for (const [r, col, v] of c.entries) {
      const k = r * c.cols + col;
      dense[k] = policy === 'sum' && stored[k] ? Math.fround(dense[k] + v) : v;
      stored[k] = 1;
    }
    expect(Array.from(A.toDense())).toEqual(Array.from(dense));
    expect(A.nnz).toBe(stored.reduce((s, x) => s + x, 0));
    // The result passes the validating constructor: sorted, unique, in range.
    expect(() => new SparseMatrix(A.indptr, A.indices, A.data, A.shape)).not.toThrow();
  },
);

test.prop([coo], params('transpose twice is identity'))(
  'transpose twice is the identity, and the transpose is the dense transpose',
  (c) => {
    const A = SparseMatrix.fromCOO({
      rows: c.entries.map((e) => e[0]),
      cols: c.entries.map((e) => e[1]),
      values: c.entries.map((e) => e[2]),
      shape: [c.rows, c.cols],
    });
    const T = A.transpose();
    // Rebuild through the checked constructor so the second transpose is computed, not the cached original.
    const fresh = new SparseMatrix(T.indptr.slice(), T.indices.slice(), T.data.slice(), T.shape);
    const back = fresh.transpose();
    expect(back).not.toBe(A);
    expect(back.shape).toEqual(A.shape);
    expect(Array.from(back.indptr)).toEqual(Array.from(A.indptr));
    expect(Array.from(back.indices)).toEqual(Array.from(A.indices));
    expect(Array.from(back.data)).toEqual(Array.from(A.data));
    const d = A.toDense();
    const dt = fresh.toDense();
    for (let r = 0; r < c.rows; r++)
      for (let col = 0; col < c.cols; col++) expect(dt[col * c.rows + r]).toBe(d[r * c.cols + col]);
  },
);
