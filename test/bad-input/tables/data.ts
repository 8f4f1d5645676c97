// Bad inputs to the data layer: SparseMatrix (constructor, fromCOO, methods), IdMap, Interactions and the
// parsers (readInteractions on delimited text and Matrix Market), and the data set options.
import { AbortError, ParseError, ValidationError } from '../../../src/errors.js';
import { SparseMatrix } from '../../../src/data/csr.js';
import { IdMap } from '../../../src/data/idmap.js';
import { Interactions } from '../../../src/data/interactions.js';
import { readInteractions } from '../../../src/data/parse/read.js';
import { datasets } from '../../../src/data/datasets/index.js';
import type { BadInput } from '../catalogue.js';

const i32 = (...a: number[]) => Int32Array.from(a);
const f32 = (...a: number[]) => Float32Array.from(a);
const small = () => SparseMatrix.fromCOO({ rows: [0, 1], cols: [0, 1], values: [1, 2] });
const mtx = (body: string, field = 'real') => `%%MatrixMarket matrix coordinate ${field} general\n${body}`;
const read =
  (text: string | Uint8Array, o: object = {}) =>
  () =>
    readInteractions(text, o);
const any = (v: unknown) => v as never;

export const sparseMatrixCases: BadInput[] = [
  // Raw CSR through the constructor.
  {
    name: 'ctor: indptr is a plain array',
    call: () => new SparseMatrix(any([0, 0]), i32(), f32(), [1, 1]),
    error: ValidationError,
    message: 'must be Int32Array',
  },
  {
    name: 'ctor: data is Float64Array',
    call: () => new SparseMatrix(i32(0, 1), i32(0), any(new Float64Array([1])), [1, 1]),
    error: ValidationError,
    message: 'data Float32Array',
  },
  {
    name: 'ctor: shape null',
    call: () => new SparseMatrix(i32(0), i32(), f32(), any(null)),
    error: ValidationError,
    message: 'shape must be two non-negative integers',
  },
  {
    name: 'ctor: shape negative',
    call: () => new SparseMatrix(i32(0), i32(), f32(), [-1, 1]),
    error: ValidationError,
    message: 'shape must be two non-negative integers',
  },
  {
    name: 'ctor: shape fractional',
    call: () => new SparseMatrix(i32(0, 0), i32(), f32(), [1, 1.5]),
    error: ValidationError,
    message: 'shape must be two non-negative integers',
  },
  {
    name: 'ctor: shape NaN',
    call: () => new SparseMatrix(i32(0, 0), i32(), f32(), [NaN, 1]),
    error: ValidationError,
    message: 'shape must be two non-negative integers',
  },
  {
    name: 'ctor: indptr length ≠ rows + 1',
    call: () => new SparseMatrix(i32(0, 0), i32(), f32(), [2, 1]),
    error: ValidationError,
    message: 'expected rows + 1 = 3',
  },
  {
    name: 'ctor: indices and data lengths differ',
    call: () => new SparseMatrix(i32(0, 1), i32(0), f32(1, 2), [1, 1]),
    error: ValidationError,
    message: 'differ in length',
  },
  {
    name: 'ctor: indptr does not start at 0',
    call: () => new SparseMatrix(i32(1, 1), i32(0), f32(1), [1, 1]),
    error: ValidationError,
    message: 'indptr must start at 0 and end at nnz',
  },
  {
    name: 'ctor: indptr ends before nnz',
    call: () => new SparseMatrix(i32(0, 1), i32(0, 0), f32(1, 1), [1, 1]),
    error: ValidationError,
    message: 'indptr must start at 0 and end at nnz = 2',
  },
  {
    name: 'ctor: indptr decreasing',
    call: () => new SparseMatrix(i32(0, -1, 1), i32(0), f32(1), [2, 1]),
    error: ValidationError,
    message: 'indptr decreases at row 0',
  },
  {
    name: 'ctor: indptr overshoots nnz mid-way',
    call: () => new SparseMatrix(i32(0, 5, 1), i32(0), f32(1), [2, 1]),
    error: ValidationError,
    message: 'indptr[1] = 5 is outside [0, 1] (nnz)',
  },
  {
    name: 'ctor: column index negative',
    call: () => new SparseMatrix(i32(0, 1), i32(-1), f32(1), [1, 2]),
    error: ValidationError,
    message: 'column index -1 outside [0, 2)',
  },
  {
    name: 'ctor: column index = cols',
    call: () => new SparseMatrix(i32(0, 1), i32(2), f32(1), [1, 2]),
    error: ValidationError,
    message: 'column index 2 outside [0, 2)',
  },
  {
    name: 'ctor: unsorted column indices',
    call: () => new SparseMatrix(i32(0, 2), i32(1, 0), f32(1, 1), [1, 2]),
    error: ValidationError,
    message: 'unsorted or duplicate column indices (1 then 0)',
  },
  {
    name: 'ctor: duplicate column indices',
    call: () => new SparseMatrix(i32(0, 2), i32(1, 1), f32(1, 1), [1, 2]),
    error: ValidationError,
    message: 'unsorted or duplicate column indices (1 then 1)',
  },
  {
    name: 'ctor: NaN value',
    call: () => new SparseMatrix(i32(0, 1), i32(0), f32(NaN), [1, 1]),
    error: ValidationError,
    message: 'non-finite value NaN',
  },
  {
    name: 'ctor: +Infinity value',
    call: () => new SparseMatrix(i32(0, 1), i32(0), f32(Infinity), [1, 1]),
    error: ValidationError,
    message: 'non-finite value Infinity',
  },
  {
    name: 'ctor: -Infinity value',
    call: () => new SparseMatrix(i32(0, 1), i32(0), f32(-Infinity), [1, 1]),
    error: ValidationError,
    message: 'non-finite value -Infinity',
  },
  // Coordinate triples.
  {
    name: 'fromCOO: no options',
    call: () => SparseMatrix.fromCOO(any(undefined)),
    error: ValidationError,
    message: 'expected an options object',
  },
  {
    name: 'fromCOO: rows missing',
    call: () => SparseMatrix.fromCOO(any({ cols: [0] })),
    error: ValidationError,
    message: 'rows and cols must be arrays',
  },
  {
    name: 'fromCOO: cols is a number',
    call: () => SparseMatrix.fromCOO(any({ rows: [0], cols: 0 })),
    error: ValidationError,
    message: 'rows and cols must be arrays',
  },
  {
    name: 'fromCOO: rows/cols lengths differ',
    call: () => SparseMatrix.fromCOO({ rows: [0, 1], cols: [0] }),
    error: ValidationError,
    message: 'rows has 2 entries but cols has 1',
  },
  {
    name: 'fromCOO: values length differs',
    call: () => SparseMatrix.fromCOO({ rows: [0], cols: [0], values: [1, 2] }),
    error: ValidationError,
    message: 'rows has 1 entries but values has 2',
  },
  {
    name: 'fromCOO: negative row',
    call: () => SparseMatrix.fromCOO({ rows: [-1], cols: [0] }),
    error: ValidationError,
    message: 'entry 0 has row index -1',
  },
  {
    name: 'fromCOO: fractional column',
    call: () => SparseMatrix.fromCOO({ rows: [0], cols: [0.5] }),
    error: ValidationError,
    message: 'entry 0 has column index 0.5',
  },
  {
    name: 'fromCOO: NaN row',
    call: () => SparseMatrix.fromCOO({ rows: [NaN], cols: [0] }),
    error: ValidationError,
    message: 'row index NaN',
  },
  {
    name: 'fromCOO: string row ids',
    call: () => SparseMatrix.fromCOO({ rows: any(['0']), cols: [0] }),
    error: ValidationError,
    message: 'expected a non-negative integer',
  },
  {
    name: 'fromCOO: NaN value',
    call: () => SparseMatrix.fromCOO({ rows: [0], cols: [0], values: [NaN] }),
    error: ValidationError,
    message: 'non-finite value NaN',
  },
  {
    name: 'fromCOO: -Infinity value',
    call: () => SparseMatrix.fromCOO({ rows: [0], cols: [0], values: [-Infinity] }),
    error: ValidationError,
    message: 'non-finite value -Infinity',
  },
  {
    name: 'fromCOO: value beyond float32 (1e39)',
    call: () => SparseMatrix.fromCOO({ rows: [0], cols: [0], values: [1e39] }),
    error: ValidationError,
    message: 'float32',
  },
  {
    name: 'fromCOO: duplicates summing beyond float32',
    call: () => SparseMatrix.fromCOO({ rows: [0, 0], cols: [0, 0], values: [3e38, 3e38] }),
    error: ValidationError,
    message: 'float32',
  },
  {
    name: 'fromCOO: column index 2^31 (not an Int32)',
    call: () => SparseMatrix.fromCOO({ rows: [0], cols: [2 ** 31] }),
    error: ValidationError,
    message: '2^31',
  },
  {
    name: 'fromCOO: shape beyond 2^31-1',
    call: () => SparseMatrix.fromCOO({ rows: [0], cols: [0], shape: [1, 2 ** 32] }),
    error: ValidationError,
    message: '2^31',
  },
  {
    name: 'fromCOO: more than 2^31-1 nonzeros',
    call: () => SparseMatrix.fromCOO({ rows: { length: 2 ** 31 }, cols: { length: 2 ** 31 } }),
    error: ValidationError,
    message: 'exceed the 2^31-1 nonzeros',
  },
  {
    name: 'fromCOO: shape is a number',
    call: () => SparseMatrix.fromCOO({ rows: [0], cols: [0], shape: any(5) }),
    error: ValidationError,
    message: 'shape must be two non-negative integers',
  },
  {
    name: 'fromCOO: shape empty',
    call: () => SparseMatrix.fromCOO({ rows: [0], cols: [0], shape: any([]) }),
    error: ValidationError,
    message: 'shape must be two non-negative integers',
  },
  {
    name: 'fromCOO: shape too small for rows',
    call: () => SparseMatrix.fromCOO({ rows: [3], cols: [0], shape: [2, 2] }),
    error: ValidationError,
    message: 'row index 3 is outside the declared shape',
  },
  {
    name: 'fromCOO: shape too small for cols',
    call: () => SparseMatrix.fromCOO({ rows: [0], cols: [5], shape: [2, 2] }),
    error: ValidationError,
    message: 'column index 5 is outside the declared shape',
  },
  {
    name: 'fromCOO: duplicates policy unknown',
    call: () => SparseMatrix.fromCOO({ rows: [0], cols: [0], duplicates: any('max') }),
    error: ValidationError,
    message: "duplicates must be 'sum', 'last' or 'error'",
  },
  {
    name: 'fromCOO: duplicate with policy error',
    call: () => SparseMatrix.fromCOO({ rows: [1, 1], cols: [2, 2], duplicates: 'error' }),
    error: ValidationError,
    message: 'duplicate entry (row 1, column 2)',
  },
  // Methods.
  {
    name: 'row: index -1',
    call: () => small().row(-1),
    error: ValidationError,
    message: 'row index -1 is out of range',
  },
  {
    name: 'rowNnz: index = rows',
    call: () => small().rowNnz(2),
    error: ValidationError,
    message: 'row index 2 is out of range [0, 2)',
  },
  {
    name: 'sliceRows: fractional start',
    call: () => small().sliceRows(0.5),
    error: ValidationError,
    message: 'is not inside',
  },
  {
    name: 'sliceRows: end past rows',
    call: () => small().sliceRows(0, 3),
    error: ValidationError,
    message: 'range [0, 3) is not inside [0, 2]',
  },
  {
    name: 'sliceRows: row list out of range',
    call: () => small().sliceRows([0, 5]),
    error: ValidationError,
    message: 'row index 5 at position 1',
  },
  {
    name: 'binarize: NaN threshold',
    call: () => small().binarize(NaN),
    error: ValidationError,
    message: 'threshold must be a number',
  },
  {
    name: 'map: fn not a function',
    call: () => small().map(any(3)),
    error: ValidationError,
    message: 'fn must be a function',
  },
  {
    name: 'map: fn returns NaN',
    call: () => small().map(() => NaN),
    error: ValidationError,
    message: 'fn returned NaN',
  },
  {
    name: 'map: fn returns a value beyond float32',
    call: () => small().map(() => 1e39),
    error: ValidationError,
    message: 'float32',
  },
  {
    name: 'logScale: epsilon 0',
    call: () => small().logScale(0),
    error: ValidationError,
    message: 'epsilon must be a finite number > 0',
  },
  {
    name: 'bm25Weight: K1 negative',
    call: () => small().bm25Weight({ K1: -1 }),
    error: ValidationError,
    message: 'K1 must be a finite number ≥ 0',
  },
  {
    name: 'bm25Weight: negative values',
    call: () => SparseMatrix.fromCOO({ rows: [0], cols: [0], values: [-1] }).bm25Weight(),
    error: ValidationError,
    message: 'weighting needs non-negative values',
  },
  {
    name: 'tfidfWeight: negative values',
    call: () => SparseMatrix.fromCOO({ rows: [0], cols: [0], values: [-2] }).tfidfWeight(),
    error: ValidationError,
    message: 'weighting needs non-negative values',
  },
  {
    name: 'toDense: too many cells',
    call: () => SparseMatrix.fromCOO({ rows: [0], cols: [0], shape: [100000, 100000] }).toDense(),
    error: ValidationError,
    message: 'too large for a dense copy',
  },
];

export const idCases: BadInput[] = [
  {
    name: 'IdMap.from: duplicate id',
    call: () => IdMap.from([1, 2, 1]),
    error: ValidationError,
    message: 'duplicate id 1 at position 2',
  },
  {
    name: 'IdMap.from: NaN id',
    call: () => IdMap.from([NaN]),
    error: ValidationError,
    message: 'ids must be strings or finite numbers',
  },
  {
    name: 'IdMap.from: object id',
    call: () => IdMap.from([any({})]),
    error: ValidationError,
    message: 'ids must be strings or finite numbers',
  },
  {
    name: 'IdMap.range: fractional',
    call: () => IdMap.range(1.5),
    error: ValidationError,
    message: 'n must be a non-negative integer',
  },
  {
    name: 'IdMap.range: negative',
    call: () => IdMap.range(-1),
    error: ValidationError,
    message: 'n must be a non-negative integer',
  },
  {
    name: 'IdMap.index: unknown id',
    call: () => IdMap.from(['a']).index('b', 'user'),
    error: ValidationError,
    message: 'unknown user "b"',
  },
  {
    name: 'IdMap.id: index out of range',
    call: () => IdMap.from(['a']).id(1),
    error: ValidationError,
    message: 'index 1 is out of range [0, 1)',
  },
  {
    name: 'Interactions: no matrix',
    call: () => new Interactions(any({})),
    error: ValidationError,
    message: 'expected { matrix: SparseMatrix',
  },
  {
    name: 'Interactions: users map of wrong size',
    call: () => new Interactions({ matrix: small(), users: IdMap.range(3) }),
    error: ValidationError,
    message: 'users must be an IdMap of 2 ids',
  },
  {
    name: 'Interactions: items not an IdMap',
    call: () => new Interactions({ matrix: small(), items: any([0, 1]) }),
    error: ValidationError,
    message: 'items must be an IdMap of 2 ids',
  },
  {
    name: 'Interactions: timestamps of wrong length',
    call: () => new Interactions({ matrix: small(), timestamps: new Float64Array(1) }),
    error: ValidationError,
    message: 'timestamps must be a Float64Array of 2 entries',
  },
  {
    name: 'Interactions: timestamps as plain array',
    call: () => new Interactions({ matrix: small(), timestamps: any([1, 2]) }),
    error: ValidationError,
    message: 'timestamps must be a Float64Array',
  },
  {
    name: 'fromRows: not iterable',
    call: () => Interactions.fromRows(any(5)),
    error: ValidationError,
    message: 'rows must be an iterable',
  },
  {
    name: 'fromRows: row is a number',
    call: () => Interactions.fromRows(any([7])),
    error: ValidationError,
    message: 'row 0 is 7',
  },
  {
    name: 'fromRows: user id null',
    call: () => Interactions.fromRows([any([null, 1])]),
    error: ValidationError,
    message: 'row 0 has user null',
  },
  {
    name: 'fromRows: item id NaN',
    call: () => Interactions.fromRows([[1, NaN]]),
    error: ValidationError,
    message: 'row 0 has item NaN',
  },
  {
    name: 'fromRows: value Infinity',
    call: () => Interactions.fromRows([[1, 2, Infinity]]),
    error: ValidationError,
    message: 'has value Infinity; expected a finite number',
  },
  {
    name: 'fromRows: value is a string',
    call: () => Interactions.fromRows([{ user: 1, item: 2, value: any('5') }]),
    error: ValidationError,
    message: 'has value 5; expected a finite number',
  },
  {
    name: 'fromRows: value beyond float32',
    call: () => Interactions.fromRows([[1, 2, 1e39]]),
    error: ValidationError,
    message: 'float32',
  },
  {
    name: 'fromRows: timestamp NaN',
    call: () => Interactions.fromRows([[1, 2, 3, NaN]]),
    error: ValidationError,
    message: 'timestamp NaN',
  },
  {
    name: 'fromRows: duplicates policy unknown',
    call: () => Interactions.fromRows([[1, 2]], { duplicates: any('max') }),
    error: ValidationError,
    message: "duplicates must be 'sum', 'last' or 'error'",
  },
  {
    name: 'fromRows: idOrder unknown',
    call: () => Interactions.fromRows([[1, 2]], { idOrder: any('random') }),
    error: ValidationError,
    message: "idOrder must be 'sorted' or 'first-seen'",
  },
  {
    name: 'fromRows: duplicate with policy error',
    call: () =>
      Interactions.fromRows(
        [
          [1, 2],
          [1, 2],
        ],
        { duplicates: 'error' },
      ),
    error: ValidationError,
    message: 'duplicate entry for user 1, item 2 at row 1',
  },
  {
    name: 'fromRows: user unknown to the given map',
    call: () => Interactions.fromRows([[5, 2]], { users: IdMap.from([1]) }),
    error: ValidationError,
    message: 'unknown user 5 at row 0',
  },
  {
    name: 'fromRows: users option not an IdMap',
    call: () => Interactions.fromRows([[5, 2]], { users: any([5]) }),
    error: ValidationError,
    message: 'users must be an IdMap',
  },
];

export const parserCases: BadInput[] = [
  { name: 'read: empty string', call: read(''), error: ParseError, message: 'empty input: no lines to read' },
  { name: 'read: blank lines only', call: read('\n\n'), error: ParseError, message: 'no data lines' },
  {
    name: 'read: header only',
    call: read('user,item,rating\n'),
    error: ParseError,
    message: 'no data lines (read 1 line',
  },
  {
    name: 'read: NaN value',
    call: read('1,2,NaN\n'),
    error: ParseError,
    message: /line 1, column 5: value \(field 3\) is not finite/,
  },
  {
    name: 'read: inf value',
    call: read('1,2,inf\n'),
    error: ParseError,
    message: 'is not finite (NaN and infinity are not allowed)',
  },
  { name: 'read: -Infinity value', call: read('1,2,-Infinity\n'), error: ParseError, message: 'is not finite' },
  {
    name: 'read: value overflowing f64 (1e400)',
    call: read('1,2,1e400\n'),
    error: ParseError,
    message: 'is not finite',
  },
  { name: 'read: value beyond float32 (1e39)', call: read('1,2,1e39\n'), error: ParseError, message: 'float32' },
  {
    name: 'read: duplicates summing beyond float32',
    call: read('1,2,3e38\n1,2,3e38\n'),
    error: ValidationError,
    message: 'float32',
  },
  {
    name: 'read: value is text',
    call: read('1,2,abc\n'),
    error: ParseError,
    message: 'value (field 3) is not a number: "abc"',
  },
  { name: 'read: empty value field', call: read('1,2,\n'), error: ParseError, message: 'value (field 3) is empty' },
  {
    name: 'read: timestamp is text',
    call: read('1,2,3,x\n'),
    error: ParseError,
    message: 'timestamp (field 4) is not a number',
  },
  {
    name: 'read: missing column on line 2',
    call: read('1,2,3\n1\n'),
    error: ParseError,
    message: 'line 2, column 2: missing field: 1 field where the rows have 3',
  },
  { name: 'read: empty user field', call: read(',2,3\n'), error: ParseError, message: 'user (field 1) is empty' },
  { name: 'read: empty item field', call: read('1,,3\n'), error: ParseError, message: 'item (field 2) is empty' },
  {
    name: 'read: binary garbage',
    call: read(Uint8Array.of(0, 1, 2, 255, 254, 10, 3, 4)),
    error: ParseError,
    message: 'missing field: 1 field where a row needs at least two',
  },
  {
    name: 'read: negative rating in MovieLens format',
    call: read('1\t2\t-3\t5\n', { format: 'movielens-100k' }),
    error: ParseError,
    message: 'is negative, which the movielens-100k format does not allow',
  },
  {
    name: 'read: CRLF file with a bad line 3',
    call: read('1,2,3\r\n4,5,6\r\nx,y,z\r\n'),
    error: ParseError,
    message: 'line 3',
  },
  {
    name: 'read: duplicate with policy error',
    call: read('1,2,3\n1,2,4\n', { duplicates: 'error' }),
    error: ValidationError,
    message: 'duplicate entry for user 1, item 2',
  },
  {
    name: 'read: header column name not found',
    call: read('u,i\n1,2\n', { columns: { user: 'x', item: 'i' }, header: true }),
    error: ParseError,
    message: 'the header has no column "x"',
  },
  {
    name: 'read: header name without header',
    call: read('1,2\n', { columns: { user: 'u', item: 'i' }, header: false }),
    error: ValidationError,
    message: 'a header name, but <string> has no header line',
  },
  {
    name: 'read: column position beyond the fields',
    call: read('1,2\n', { columns: { user: 0, item: 1000 } }),
    error: ParseError,
    message: 'missing field: 2 fields but the columns option reads the item in field 1001',
  },
  {
    name: 'read: column position 1024',
    call: read('1,2\n', { columns: { user: 0, item: 1024 } }),
    error: ValidationError,
    message: 'columns.item must be a 0-based field position',
  },
  {
    name: 'read: column position negative',
    call: read('1,2\n', { columns: { user: -1, item: 1 } }),
    error: ValidationError,
    message: 'columns.user must be a 0-based field position',
  },
  {
    name: 'read: unknown column role',
    call: read('1,2\n', { columns: any({ user: 0, item: 1, rating: 2 }) }),
    error: ValidationError,
    message: 'unknown column role "rating"',
  },
  {
    name: 'read: unknown option',
    call: read('1,2\n', { foo: 1 }),
    error: ValidationError,
    message: 'unknown option "foo"',
  },
  {
    name: 'read: options null',
    call: () => readInteractions('1,2\n', any(null)),
    error: ValidationError,
    message: 'options must be an object',
  },
  {
    name: 'read: unknown format',
    call: read('1,2\n', { format: 'xlsx' }),
    error: ValidationError,
    message: 'unknown format "xlsx"',
  },
  {
    name: 'read: empty delimiter',
    call: read('1,2\n', { delimiter: '' }),
    error: ValidationError,
    message: 'delimiter must be a non-empty string',
  },
  {
    name: 'read: delimiter with a newline',
    call: read('1,2\n', { delimiter: '\n' }),
    error: ValidationError,
    message: 'without line breaks',
  },
  {
    name: 'read: two-character comment',
    call: read('1,2\n', { comment: '##' }),
    error: ValidationError,
    message: 'comment must be one character or null',
  },
  {
    name: 'read: header option not boolean',
    call: read('1,2\n', { header: any('yes') }),
    error: ValidationError,
    message: "header must be true, false or 'auto'",
  },
  {
    name: 'read: ids option unknown',
    call: read('1,2\n', { ids: any('int') }),
    error: ValidationError,
    message: "ids must be 'auto' or 'string'",
  },
  {
    name: 'read: onError unknown',
    call: read('1,2\n', { onError: any('ignore') }),
    error: ValidationError,
    message: "onError must be 'throw', 'skip' or a function",
  },
  {
    name: 'read: onProgress not a function',
    call: read('1,2\n', { onProgress: 3 }),
    error: ValidationError,
    message: 'onProgress must be a function',
  },
  {
    name: 'read: input is a number',
    call: () => readInteractions(any(42)),
    error: ValidationError,
    message: 'cannot read [object Number]',
  },
  {
    name: 'read: input is null',
    call: () => readInteractions(any(null)),
    error: ValidationError,
    message: 'cannot read [object Null]',
  },
  {
    name: 'read: missing file path',
    call: () => readInteractions('/nonexistent/ratings.csv'),
    error: ValidationError,
    message: 'no such file: /nonexistent/ratings.csv',
  },
  {
    name: 'read: directory URL',
    call: () => readInteractions(new URL('file:///tmp/')),
    error: ValidationError,
    message: 'is not a file',
  },
  {
    name: 'read: http URL',
    call: () => readInteractions(new URL('https://example.com/x.csv')),
    error: ValidationError,
    message: 'only file: URLs are read directly',
  },
  {
    name: 'read: stream of numbers',
    call: () => readInteractions(any([1, 2])),
    error: ValidationError,
    message: 'a stream chunk is [object Number]',
  },
  {
    name: 'read: already aborted',
    call: read('1,2\n', { signal: AbortSignal.abort() }),
    error: AbortError,
    message: 'readInteractions: aborted',
  },
  // Matrix Market.
  {
    name: 'mtx: array layout',
    call: read('%%MatrixMarket matrix array real general\n2 2\n1\n2\n3\n4\n'),
    error: ParseError,
    message: 'layout "array" is not supported',
  },
  {
    name: 'mtx: complex field',
    call: read('%%MatrixMarket matrix coordinate complex general\n1 1 1\n1 1 1 0\n'),
    error: ParseError,
    message: 'field "complex" is not supported',
  },
  {
    name: 'mtx: hermitian symmetry',
    call: read('%%MatrixMarket matrix coordinate real hermitian\n1 1 1\n1 1 1\n'),
    error: ParseError,
    message: 'symmetry "hermitian" is not supported',
  },
  {
    name: 'mtx: vector object',
    call: read('%%MatrixMarket vector coordinate real general\n1 1 1\n1 1 1\n'),
    error: ParseError,
    message: 'object "vector" is not supported',
  },
  {
    name: 'mtx: missing size line',
    call: read(mtx('')),
    error: ParseError,
    message: 'the Matrix Market size line is missing',
  },
  {
    name: 'mtx: negative size',
    call: read(mtx('-2 2 1\n1 1 1\n')),
    error: ParseError,
    message: 'three non-negative integers',
  },
  {
    name: 'mtx: size line with two numbers',
    call: read(mtx('2 2\n1 1 1\n')),
    error: ParseError,
    message: 'three non-negative integers',
  },
  {
    name: 'mtx: truncated (fewer entries than declared)',
    call: read(mtx('2 2 3\n1 1 1\n')),
    error: ParseError,
    message: 'declares 3 entries but the file has 1',
  },
  {
    name: 'mtx: more entries than declared',
    call: read(mtx('2 2 1\n1 1 1\n2 2 2\n')),
    error: ParseError,
    message: 'more entries than the 1 declared',
  },
  {
    name: 'mtx: index 0 (1-based format)',
    call: read(mtx('2 2 1\n0 1 1\n')),
    error: ParseError,
    message: 'row index 0 is outside the declared shape',
  },
  {
    name: 'mtx: column beyond the shape',
    call: read(mtx('2 2 1\n1 3 1\n')),
    error: ParseError,
    message: 'column index 3 is outside the declared shape 2 × 2',
  },
  {
    name: 'mtx: fractional index',
    call: read(mtx('2 2 1\n1.5 1 1\n')),
    error: ParseError,
    message: 'row index is not an integer',
  },
  {
    name: 'mtx: non-integer value in an integer file',
    call: read(mtx('2 2 1\n1 1 1.5\n', 'integer')),
    error: ParseError,
    message: 'value is not an integer',
  },
  { name: 'mtx: NaN value', call: read(mtx('2 2 1\n1 1 nan\n')), error: ParseError, message: 'is not finite' },
  {
    name: 'mtx: value beyond float32',
    call: read(mtx('2 2 1\n1 1 1e39\n')),
    error: ParseError,
    message: 'line 3, column 5: value is beyond the float32 range',
  },
  {
    name: 'mtx: missing value in a real file',
    call: read(mtx('2 2 1\n1 1\n')),
    error: ParseError,
    message: 'missing field: a real entry has 3 fields',
  },
  {
    name: 'mtx: oversized shape (rows ≥ 2^31)',
    call: read(mtx('2147483648 2 1\n1 1 1\n')),
    error: ParseError,
    message: '2^31',
  },
  {
    name: 'mtx: oversized shape (rows 1e14)',
    call: read(mtx('100000000000000 2 1\n1 1 1\n')),
    error: ParseError,
    message: '2^31',
  },
  {
    name: 'mtx: more than 2^31-1 declared entries',
    call: read(mtx('2 2 2147483648\n1 1 1\n')),
    error: ParseError,
    message: '2^31',
  },
  {
    name: 'mtx: more declared entries than cells',
    call: read(mtx('2 2 5\n1 1 1\n')),
    error: ParseError,
    message: 'more than the 2 × 2 = 4 cells',
  },
  {
    name: 'mtx: duplicate with policy error',
    call: read(mtx('2 2 2\n1 1 1\n1 1 2\n'), { duplicates: 'error' }),
    error: ValidationError,
    message: 'duplicate entry (1, 1)',
  },
  // Data set options (nothing is downloaded: every case fails before a request).
  {
    name: 'datasets.movielens: unknown size',
    call: () => datasets.movielens(any('5m')),
    error: ValidationError,
    message: 'unknown size "5m"; expected one of \'100k\'',
  },
  {
    name: 'datasets.lastfm: size not a string',
    call: () => datasets.lastfm(any(2000)),
    error: ValidationError,
    message: 'unknown size 2000',
  },
  {
    name: 'datasets.movielens: unknown option',
    call: () => datasets.movielens('100k', any({ cache: '/tmp' })),
    error: ValidationError,
    message: 'unknown option "cache"',
  },
  {
    name: 'datasets.synthetic: unknown option',
    call: () => datasets.synthetic(any({ users: 5, factors: 3 })),
    error: ValidationError,
    message: 'datasets.synthetic: unknown option "factors"',
  },
  {
    name: 'datasets.synthetic: density 0',
    call: () => datasets.synthetic({ density: 0 }),
    error: ValidationError,
    message: 'density',
  },
  {
    name: 'datasets.movielens: options null',
    call: () => datasets.movielens('100k', any(null)),
    error: ValidationError,
    message: 'options must be an object',
  },
];

export const cases: BadInput[] = [...sparseMatrixCases, ...idCases, ...parserCases];
