// Bad inputs to loading: saved models (load / loadModel / loadFile) that are truncated, corrupted, oversized,
// of the wrong kind or internally inconsistent (re-encoded with a valid CRC, so the checks behind the CRC run),
// and the importers of other tools' files (NumPy .npy/.npz, implicit, scipy, Parquet, Spark).
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ModelFormatError, SizeLimitError, ValidationError } from '../../../src/errors.js';
import { init } from '../../../src/runtime/backend.js';
import { SparseMatrix } from '../../../src/data/csr.js';
import { Interactions } from '../../../src/data/interactions.js';
import { ImplicitALS, ALS } from '../../../src/models/als/index.js';
import { PureSVD } from '../../../src/models/puresvd/puresvd.js';
import { loadModel, loadModelFile } from '../../../src/models/load.js';
import { FactorModel } from '../../../src/models/common/factor-model.js';
import { decodeModelFile, encodeModelFile, type StoredArray } from '../../../src/recommend/persist.js';
import {
  readParquet,
  readScipyNpz,
  importImplicit,
  importSparkALS,
  readNpy,
  readNpz,
  writeNpy,
  writeNpz,
} from '../../../src/formats.js';
import type { BadInput } from '../catalogue.js';

const any = (v: unknown) => v as never;
const M = () =>
  SparseMatrix.fromCOO({
    rows: [0, 0, 1, 2, 2, 3],
    cols: [0, 1, 1, 2, 3, 0],
    values: [1, 2, 3, 4, 5, 3],
    shape: [4, 4],
  });

let ials: Uint8Array; // a saved ImplicitALS, with interactions and id maps
let psvd: Uint8Array; // a saved PureSVD
let dir: string;

export async function setup(): Promise<void> {
  await init({ backend: 'wasm' });
  const data = Interactions.fromRows([
    ['u1', 'a', 1],
    ['u1', 'b', 2],
    ['u2', 'b', 1],
    ['u3', 'c', 4],
    ['u3', 'a', 1],
    ['u4', 'd', 2],
  ]);
  ials = (await new ImplicitALS({ factors: 2, iterations: 2, seed: 1 }).fit(data)).save();
  psvd = (await new PureSVD({ factors: 2 }).fit(M())).save();
  void ALS;
  dir = mkdtempSync(join(tmpdir(), 'lowrank-bad-files-'));
  writeFileSync(join(dir, 'empty.lrk'), new Uint8Array(0));
  writeFileSync(join(dir, 'text.lrk'), 'user,item\n1,2\n');
  writeFileSync(join(dir, 'half.lrk'), ials.subarray(0, ials.length >> 1));
  mkdirSync(join(dir, 'a-directory.lrk'));
  mkdirSync(join(dir, 'spark-empty'));
}

/** The saved ImplicitALS with its header and arrays changed, re-encoded (so the CRC is valid). */
function tampered(
  edit: (h: Record<string, unknown>, a: Map<string, StoredArray>) => void,
  source = () => ials,
): () => Uint8Array {
  return () => {
    const { header, arrays } = decodeModelFile(source());
    edit(header, arrays);
    return encodeModelFile(header, [...arrays]);
  };
}
function patched(at: number, bytes: number[], source = () => ials): () => Uint8Array {
  return () => {
    const b = source().slice();
    b.set(bytes, at);
    return b;
  };
}
const u32 = (v: number) => [v & 255, (v >>> 8) & 255, (v >>> 16) & 255, (v >>> 24) & 255];
const load = (bytes: () => Uint8Array) => () => loadModel(bytes());

export const modelFileCases: BadInput[] = [
  {
    name: 'load: not bytes (string)',
    call: () => loadModel(any('model.lrk')),
    error: ValidationError,
    message: 'expected the saved model as a Uint8Array',
  },
  {
    name: 'load: ArrayBuffer instead of Uint8Array',
    call: () => loadModel(any(new ArrayBuffer(8))),
    error: ValidationError,
    message: 'expected the saved model as a Uint8Array',
  },
  {
    name: 'load: empty bytes',
    call: () => loadModel(new Uint8Array(0)),
    error: ModelFormatError,
    message: 'truncated: 0 bytes, shorter than the 28-byte preamble',
  },
  {
    name: 'load: magic only',
    call: load(() => ials.subarray(0, 8)),
    error: ModelFormatError,
    message: 'truncated: 8 bytes',
  },
  {
    name: 'load: a CSV file',
    call: () => loadModel(new TextEncoder().encode('user,item\n1,2\n')),
    error: ModelFormatError,
    message: 'wrong magic bytes',
  },
  {
    name: 'load: a zip (.npz) file',
    call: () => loadModel(writeNpz({ a: writeNpyArray() })),
    error: ModelFormatError,
    message: 'not a lowrank model file',
  },
  {
    name: 'load: text-mode mangled (CRLF → LF)',
    call: load(() => Uint8Array.from([...ials.subarray(0, 4), 0x0a, ...ials.subarray(6)])),
    error: ModelFormatError,
    message: 'wrong magic bytes',
  },
  {
    name: 'load: truncated to half',
    call: load(() => ials.subarray(0, ials.length >> 1)),
    error: ModelFormatError,
    message: /truncated: \d+ bytes, but the file declares \d+/,
  },
  {
    name: 'load: last byte missing',
    call: load(() => ials.subarray(0, ials.length - 1)),
    error: ModelFormatError,
    message: 'truncated',
  },
  {
    name: 'load: trailing garbage',
    call: load(() => Uint8Array.from([...ials, 1, 2, 3])),
    error: ModelFormatError,
    message: 'corrupted: 3 unexpected bytes after the declared end',
  },
  {
    name: 'load: one bit flipped in the factors',
    call: load(() => {
      const b = ials.slice();
      b[b.length - 5] ^= 0x10;
      return b;
    }),
    error: ModelFormatError,
    message: 'corrupted: CRC-32 mismatch',
  },
  {
    name: 'load: one bit flipped in the header JSON',
    call: load(() => {
      const b = ials.slice();
      b[40] ^= 0x01;
      return b;
    }),
    error: ModelFormatError,
    message: 'CRC-32 mismatch',
  },
  {
    name: 'load: version from the future',
    call: load(patched(8, u32(2))),
    error: ModelFormatError,
    message: 'format version 2 is newer than this lowrank reads',
  },
  {
    name: 'load: version 0',
    call: load(patched(8, u32(0))),
    error: ModelFormatError,
    message: 'invalid format version 0',
  },
  {
    name: 'load: declared length oversized (2^40)',
    call: load(patched(16, [...u32(0), ...u32(256)])),
    error: ModelFormatError,
    message: 'but the file declares 1099511627776',
  },
  {
    name: 'load: ImplicitALS.load of a PureSVD file',
    call: () => ImplicitALS.load(psvd),
    error: ModelFormatError,
    message: 'holds a PureSVD model, not ImplicitALS',
  },
  {
    name: 'load: unregistered model type',
    call: load(tampered((h) => void (h.modelType = 'NeuralCF'))),
    error: ModelFormatError,
    message: 'holds a NeuralCF model, which is not registered here',
  },
  {
    name: 'load: header without modelType',
    call: load(tampered((h) => void delete h.modelType)),
    error: ModelFormatError,
    message: 'the header has no modelType',
  },
  { name: 'load: dim 0', call: load(tampered((h) => void (h.dim = 0))), error: ModelFormatError, message: 'dim = 0' },
  {
    name: 'load: negative user count',
    call: load(tampered((h) => void (h.users = -1))),
    error: ModelFormatError,
    message: 'users = -1',
  },
  {
    name: 'load: fractional item count',
    call: load(tampered((h) => void (h.items = 2.5))),
    error: ModelFormatError,
    message: 'items = 2.5',
  },
  {
    name: 'load: user count larger than X',
    call: load(tampered((h) => void (h.users = 99))),
    error: ModelFormatError,
    message: 'X must hold 99×2 f32 values',
  },
  {
    name: 'load: X missing',
    call: load(tampered((_h, a) => void a.delete('X'))),
    error: ModelFormatError,
    message: 'X must hold',
  },
  {
    name: 'load: Y stored as i32',
    call: load(tampered((_h, a) => void a.set('Y', new Int32Array(a.get('Y')!.length)))),
    error: ModelFormatError,
    message: 'Y must hold',
  },
  {
    name: 'load: NaN in the user factors',
    call: load(tampered((_h, a) => void (a.get('X')![1] = NaN))),
    error: ModelFormatError,
    message: 'X has a non-finite value at 1',
  },
  {
    name: 'load: Infinity in the item factors',
    call: load(tampered((_h, a) => void (a.get('Y')![0] = Infinity))),
    error: ModelFormatError,
    message: 'Y has a non-finite value at 0',
  },
  {
    name: 'load: user id list of wrong length',
    call: load(tampered((h) => void (h.userIds = ['a']))),
    error: ModelFormatError,
    message: 'userIds must list 4 ids',
  },
  {
    name: 'load: duplicate item ids',
    call: load(tampered((h) => void (h.itemIds = ['a', 'a', 'b', 'c']))),
    error: ModelFormatError,
    message: 'itemIds: IdMap.from: duplicate id "a"',
  },
  {
    name: 'load: id that is an object',
    call: load(tampered((h) => void (h.userIds = [{}, 'b', 'c', 'd']))),
    error: ModelFormatError,
    message: 'ids must be strings or finite numbers',
  },
  {
    name: 'load: interactions with other columns',
    call: load(tampered((h) => void (h.interactions = { rows: 4, cols: 5 }))),
    error: ModelFormatError,
    message: 'interactions have 5 columns for 4 items',
  },
  {
    name: 'load: interaction arrays missing',
    call: load(tampered((_h, a) => void a.delete('interactions.indptr'))),
    error: ModelFormatError,
    message: 'interaction arrays missing',
  },
  {
    name: 'load: unsorted interaction indices (raw CSR)',
    call: load(
      tampered((_h, a) => {
        const ix = a.get('interactions.indices') as Int32Array;
        [ix[0], ix[1]] = [ix[1], ix[0]];
      }),
    ),
    error: ModelFormatError,
    message: 'unsorted or duplicate column indices',
  },
  {
    name: 'load: interaction index out of range',
    call: load(tampered((_h, a) => void ((a.get('interactions.indices') as Int32Array)[0] = 99))),
    error: ModelFormatError,
    message: 'column index 99 outside [0, 4)',
  },
  {
    name: 'load: options the model rejects',
    call: load(tampered((h) => void ((h.options as Record<string, unknown>).factors = 0))),
    error: ModelFormatError,
    message: 'the saved ImplicitALS options were rejected: ImplicitALS: factors must be',
  },
  {
    name: 'load: unknown option in the file',
    call: load(tampered((h) => void ((h.options as Record<string, unknown>).warp = 9))),
    error: ModelFormatError,
    message: 'unknown option "warp"',
  },
  {
    name: 'load: extra array listed but missing',
    call: load(tampered((h) => void (h.extraArrays = ['bias']))),
    error: ModelFormatError,
    message: 'extra array bias missing',
  },
  {
    name: 'load: extraArrays not a list',
    call: load(tampered((h) => void (h.extraArrays = 7))),
    error: ModelFormatError,
    message: 'extraArrays',
  },
  {
    name: 'load: array table entry with a negative length',
    call: load(() => craftedTable([{ name: 'X', dtype: 'f32', length: -1 }])),
    error: ModelFormatError,
    message: 'bad array table entry',
  },
  {
    name: 'load: array table entry of dtype f64',
    call: load(() => craftedTable([{ name: 'X', dtype: 'f64', length: 1 }])),
    error: ModelFormatError,
    message: 'bad array table entry',
  },
  {
    name: 'load: array longer than the file (oversized)',
    call: load(() => craftedTable([{ name: 'X', dtype: 'f32', length: 2 ** 40 }])),
    error: ModelFormatError,
    message: 'array X (1099511627776 values) runs past the end of the file',
  },
  {
    name: 'load: header that is a JSON array',
    call: load(() => craftedHeader('[1,2]')),
    error: ModelFormatError,
    message: 'the header is not a JSON object',
  },
  {
    name: 'load: header that is not JSON',
    call: load(() => craftedHeader('{"arrays": [')),
    error: ModelFormatError,
    message: 'the header is not valid JSON',
  },
  {
    name: 'load: header that is not UTF-8',
    call: load(() => craftedHeader('\u00ff', true)),
    error: ModelFormatError,
    message: 'the header is not valid JSON',
  },
  {
    name: 'load: header length beyond the file',
    call: load(() => craftedHeader('{"arrays":[]}', false, 2 ** 31)),
    error: ModelFormatError,
    message: 'header length 2147483648 exceeds the file',
  },
  {
    name: 'loadFile: empty path',
    call: () => loadModelFile(''),
    error: ValidationError,
    message: 'loadFile: path must be a non-empty string',
  },
  { name: 'loadFile: missing file', call: () => loadModelFile(join(dir, 'nope.lrk')), error: Error, message: 'ENOENT' },
  {
    name: 'loadFile: a directory',
    call: () => loadModelFile(join(dir, 'a-directory.lrk')),
    error: Error,
    message: 'EISDIR',
  },
  {
    name: 'loadFile: empty file',
    call: () => loadModelFile(join(dir, 'empty.lrk')),
    error: ModelFormatError,
    message: 'truncated: 0 bytes',
  },
  {
    name: 'loadFile: a text file',
    call: () => loadModelFile(join(dir, 'text.lrk')),
    error: ModelFormatError,
    message: 'wrong magic bytes',
  },
  {
    name: 'loadFile: half-written file',
    call: () => FactorModel.loadFile(join(dir, 'half.lrk')),
    error: ModelFormatError,
    message: 'truncated',
  },
];

function writeNpyArray() {
  return { dtype: 'f4' as const, shape: [2], data: Float32Array.of(1, 2) };
}

/** A model file whose array table is `table` (and no data), with a valid CRC. */
function craftedTable(table: unknown[]): Uint8Array {
  return craftedHeader(JSON.stringify({ modelType: 'ImplicitALS', arrays: table }));
}

/** A file with the given raw header text (and an optional declared header length), CRC fixed up. */
function craftedHeader(json: string, latin1 = false, declaredLength?: number): Uint8Array {
  const good = encodeModelFile({}, []);
  const text = latin1 ? Uint8Array.from(json, (c) => c.charCodeAt(0)) : new TextEncoder().encode(json);
  const len = (28 + text.length + 3) & ~3;
  const out = new Uint8Array(len).fill(0x20);
  out.set(good.subarray(0, 28));
  out.set(text, 28);
  const dv = new DataView(out.buffer);
  dv.setUint32(12, declaredLength ?? text.length, true);
  dv.setUint32(16, len, true);
  dv.setUint32(20, 0, true);
  // Re-compute the CRC the same way as the writer (bytes [0,24) then [28,end)).
  dv.setUint32(24, crcOf(out), true);
  return out;
}

function crcOf(b: Uint8Array): number {
  let c = ~0;
  const step = (x: number) => {
    c ^= x;
    for (let k = 0; k < 8; k++) c = c & 1 ? (c >>> 1) ^ 0xedb88320 : c >>> 1;
  };
  for (let i = 0; i < 24; i++) step(b[i]);
  for (let i = 28; i < b.length; i++) step(b[i]);
  return ~c >>> 0;
}

const npz = (arrays: Record<string, ReturnType<typeof f32>>) => writeNpz(arrays);
const f32 = (shape: number[], data: number[]) => ({ dtype: 'f4' as const, shape, data: Float32Array.from(data) });
const npyBytes = (header: string, data = new Uint8Array(0)) => {
  const h = new TextEncoder().encode(header);
  const pad = 64 - ((10 + h.length + 1) % 64);
  const out = new Uint8Array(10 + h.length + pad + 1 + data.length);
  out.set([0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59, 1, 0]);
  new DataView(out.buffer).setUint16(8, h.length + pad + 1, true);
  out.set(h, 10);
  out.fill(0x20, 10 + h.length, 10 + h.length + pad);
  out[10 + h.length + pad] = 0x0a;
  out.set(data, 11 + h.length + pad);
  return out;
};

export const importCases: BadInput[] = [
  {
    name: 'readNpy: not bytes',
    call: () => readNpy(any('x.npy')),
    error: ValidationError,
    message: "readNpy: expected the file's bytes",
  },
  {
    name: 'readNpz: not bytes',
    call: () => readNpz(any('x.npz')),
    error: ValidationError,
    message: "readNpz: expected the file's bytes",
  },
  {
    name: 'readNpy: no magic',
    call: () => readNpy(new Uint8Array(20)),
    error: ModelFormatError,
    message: 'not a .npy file',
  },
  {
    name: 'readNpy: truncated header',
    call: () => readNpy(npyBytes("{'descr': '<f4', 'fortran_order': False, 'shape': (2,), }").subarray(0, 30)),
    error: ModelFormatError,
    message: 'truncated .npy header',
  },
  {
    name: 'readNpy: truncated data',
    call: () => readNpy(npyBytes("{'descr': '<f4', 'fortran_order': False, 'shape': (2,), }", new Uint8Array(4))),
    error: ModelFormatError,
    message: "truncated data: shape (2) of '<f4' needs 8 bytes, found 4",
  },
  {
    name: 'readNpy: oversized shape',
    call: () => readNpy(npyBytes("{'descr': '<f4', 'fortran_order': False, 'shape': (1000000000, 1000000000), }")),
    error: ModelFormatError,
    message: 'declares more than 2^53 bytes',
  },
  {
    name: 'readNpy: shape past the cap',
    call: () => readNpy(npyBytes("{'descr': '<f4', 'fortran_order': False, 'shape': (1000000, 1000), }")),
    error: SizeLimitError,
    message: 'over the cap of 1.00 GiB',
  },
  {
    name: 'readNpy: shape past a small cap',
    call: () =>
      readNpy(npyBytes("{'descr': '<f4', 'fortran_order': False, 'shape': (1000,), }"), '.npy', { maxBytes: 1000 }),
    error: SizeLimitError,
    message: 'needs 3.91 KiB (4000 bytes), over the cap of 1000 B',
  },
  {
    name: 'readNpy: shape past the data',
    call: () => readNpy(npyBytes("{'descr': '<f4', 'fortran_order': False, 'shape': (1000,), }")),
    error: ModelFormatError,
    message: 'truncated data',
  },
  {
    name: 'readNpy: negative dimension',
    call: () => readNpy(npyBytes("{'descr': '<f4', 'fortran_order': False, 'shape': (-1,), }")),
    error: ModelFormatError,
    message: 'expected a tuple of non-negative integers',
  },
  {
    name: 'readNpy: complex dtype',
    call: () => readNpy(npyBytes("{'descr': '<c8', 'fortran_order': False, 'shape': (1,), }", new Uint8Array(8))),
    error: ModelFormatError,
    message: "dtype '<c8' is not supported",
  },
  {
    name: 'readNpy: object dtype (pickle)',
    call: () => readNpy(npyBytes("{'descr': '|O', 'fortran_order': False, 'shape': (1,), }", new Uint8Array(8))),
    error: ModelFormatError,
    message: "dtype '|O' is not supported",
  },
  {
    name: 'readNpy: Fortran order',
    call: () => readNpy(npyBytes("{'descr': '<f4', 'fortran_order': True, 'shape': (2, 2), }", new Uint8Array(16))),
    error: ModelFormatError,
    message: 'stored in Fortran order',
  },
  {
    name: 'readNpy: header not a dict',
    call: () => readNpy(npyBytes('[1, 2]')),
    error: ModelFormatError,
    message: '.npy header is not a dict',
  },
  {
    name: 'readNpy: unparseable header',
    call: () => readNpy(npyBytes("{'descr': <f4}")),
    error: ModelFormatError,
    message: 'unreadable .npy header',
  },
  {
    name: 'readNpy: version 9',
    call: () => {
      const b = npyBytes("{'descr': '<f4', 'fortran_order': False, 'shape': (0,), }");
      b[6] = 9;
      return readNpy(b);
    },
    error: ModelFormatError,
    message: '.npy format version 9.0 is not supported',
  },
  {
    name: 'readNpz: not a zip',
    call: () => readNpz(new TextEncoder().encode('hello world')),
    error: ModelFormatError,
    message: "not a zip archive (an .npz starts with 'PK')",
  },
  {
    name: 'readNpz: truncated zip',
    call: () => {
      const z = npz({ a: f32([2], [1, 2]) });
      return readNpz(z.subarray(0, z.length - 10));
    },
    error: ModelFormatError,
    message: 'corrupt or unsupported zip archive',
  },
  {
    name: 'writeNpy: shape/data mismatch',
    call: () => writeNpy(f32([3], [1, 2])),
    error: ValidationError,
    message: 'shape (3) has 3 elements but data has 2',
  },
  {
    name: 'writeNpz: name with a slash',
    call: () => writeNpz({ 'a/b': f32([1], [1]) }),
    error: ValidationError,
    message: "array names must be non-empty and contain no '/'",
  },
  {
    name: 'importImplicit: not bytes',
    call: () => importImplicit(any('model.npz')),
    error: ValidationError,
    message: "expected the .npz file's bytes",
  },
  {
    name: 'importImplicit: garbage bytes',
    call: () => importImplicit(Uint8Array.of(1, 2, 3, 4)),
    error: ModelFormatError,
    message: 'not a zip archive',
  },
  {
    name: 'importImplicit: archive without user_factors',
    call: () => importImplicit(npz({ item_factors: f32([2, 2], [1, 2, 3, 4]) })),
    error: ModelFormatError,
    message: 'the archive has no user_factors.npy',
  },
  {
    name: 'importImplicit: factor rank mismatch',
    call: () =>
      importImplicit(npz({ user_factors: f32([2, 2], [1, 2, 3, 4]), item_factors: f32([2, 3], [1, 2, 3, 4, 5, 6]) })),
    error: ModelFormatError,
    message: 'rank mismatch: user_factors has 2 columns but item_factors has 3',
  },
  {
    name: 'importImplicit: NaN factor',
    call: () => importImplicit(npz({ user_factors: f32([1, 2], [NaN, 1]), item_factors: f32([1, 2], [1, 2]) })),
    error: ModelFormatError,
    message: /non-finite|NaN/,
  },
  {
    name: 'importImplicit: 1-d factors',
    call: () => importImplicit(npz({ user_factors: f32([2], [1, 2]), item_factors: f32([2], [1, 2]) })),
    error: ModelFormatError,
    message: /2-d|two-dimensional|shape/,
  },
  {
    name: 'readScipyNpz: not bytes',
    call: () => readScipyNpz(any([1, 2])),
    error: ValidationError,
    message: 'expected the .npz bytes',
  },
  {
    name: 'readScipyNpz: archive without format',
    call: () => readScipyNpz(npz({ data: f32([1], [1]) })),
    error: ModelFormatError,
    message: 'the archive has no format.npy',
  },
  {
    name: 'readScipyNpz: shape beyond 32 bits',
    call: () =>
      readScipyNpz(
        writeNpz({
          format: { dtype: 'U', shape: [], data: ['csr'] },
          shape: { dtype: 'f8', shape: [2], data: Float64Array.of(2 ** 33, 2) },
          data: f32([0], []),
        }),
      ),
    error: ModelFormatError,
    message: 'expected two non-negative 32-bit sizes',
  },
  {
    name: 'readScipyNpz: coo row index out of range',
    call: () =>
      readScipyNpz(
        writeNpz({
          format: { dtype: 'U', shape: [], data: ['coo'] },
          shape: { dtype: 'i8', shape: [2], data: BigInt64Array.of(2n, 2n) },
          data: f32([1], [1]),
          row: { dtype: 'i4', shape: [1], data: Int32Array.of(5) },
          col: { dtype: 'i4', shape: [1], data: Int32Array.of(0) },
        }),
      ),
    error: ModelFormatError,
    message: 'row[0] = 5 is outside [0, 1]',
  },
  {
    name: 'readScipyNpz: NaN data',
    call: () =>
      readScipyNpz(
        writeNpz({
          format: { dtype: 'U', shape: [], data: ['coo'] },
          shape: { dtype: 'i8', shape: [2], data: BigInt64Array.of(2n, 2n) },
          data: f32([1], [NaN]),
          row: { dtype: 'i4', shape: [1], data: Int32Array.of(0) },
          col: { dtype: 'i4', shape: [1], data: Int32Array.of(0) },
        }),
      ),
    error: ModelFormatError,
    message: 'data[0] is NaN; expected finite values',
  },
  {
    name: 'readParquet: garbage bytes',
    call: () => readParquet(Uint8Array.of(1, 2, 3, 4, 5, 6, 7, 8)),
    error: ModelFormatError,
    message: /Parquet|parquet/,
  },
  {
    name: 'readParquet: not bytes',
    call: () => readParquet(any('data.parquet')),
    error: ValidationError,
    message: /expected|bytes/,
  },
  {
    name: 'importSparkALS: missing directory',
    call: () => importSparkALS('/nonexistent-lowrank-spark-model'),
    error: ModelFormatError,
    message: 'directory /nonexistent-lowrank-spark-model does not exist',
  },
  {
    name: 'importSparkALS: empty directory',
    call: () => importSparkALS(join(dir, 'spark-empty')),
    error: ModelFormatError,
    message: /metadata/,
  },
  {
    name: 'importSparkALS: options null',
    call: () => importSparkALS({}, any(null)),
    error: ValidationError,
    message: 'options must be an object',
  },
  {
    name: 'importSparkALS: implicitPrefs a string',
    call: () => importSparkALS({}, any({ implicitPrefs: 'yes' })),
    error: ValidationError,
    message: 'implicitPrefs must be true or false',
  },
  {
    name: 'importSparkALS: metadata of another class',
    call: () =>
      importSparkALS({
        'metadata/part-00000': new TextEncoder().encode(
          '{"class":"org.apache.spark.ml.feature.PCAModel","paramMap":{}}',
        ),
      }),
    error: ModelFormatError,
    message: /PCAModel|ALSModel/,
  },
  {
    name: 'importSparkALS: metadata not JSON',
    call: () => importSparkALS({ 'metadata/part-00000': new TextEncoder().encode('not json') }),
    error: ModelFormatError,
    message: /metadata/,
  },
];

export const cases: BadInput[] = [...modelFileCases, ...importCases];
