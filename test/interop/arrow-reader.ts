/**
 * Test helper: read Parquet with parquet-wasm (arrow-rs compiled to WASM), an implementation independent
 * of hyparquet, and walk the result through the Arrow C Data Interface structs in its WASM memory
 * (wasm32 layout: pointers 4 bytes, int64 fields 8-aligned). Only what the interop tests need: the schema
 * (format, name, nullability) and int32 / float32 / list<float32> / utf8 / int64 / float64 columns.
 */
import * as pw from 'parquet-wasm/node';

export interface ArrowField {
  format: string;
  name: string | null;
  nullable: boolean;
  children: ArrowField[];
}

interface ArrowArray {
  length: number;
  nullCount: number;
  offset: number;
  buffers: number[];
  children: ArrowArray[];
}

const mem = () => pw.wasmMemory().buffer as ArrayBuffer;

function cstr(p: number): string | null {
  if (!p) return null;
  const u = new Uint8Array(mem());
  let e = p;
  while (u[e]) e++;
  return new TextDecoder().decode(u.subarray(p, e));
}

function field(p: number): ArrowField {
  const d = new DataView(mem());
  const n = Number(d.getBigInt64(p + 24, true));
  const ch = d.getUint32(p + 32, true);
  const children: ArrowField[] = [];
  for (let i = 0; i < n; i++) children.push(field(d.getUint32(ch + 4 * i, true)));
  // ARROW_FLAG_NULLABLE = 2
  return {
    format: cstr(d.getUint32(p, true))!,
    name: cstr(d.getUint32(p + 4, true)),
    nullable: (Number(d.getBigInt64(p + 16, true)) & 2) !== 0,
    children,
  };
}

function array(p: number): ArrowArray {
  const d = new DataView(mem());
  const nb = Number(d.getBigInt64(p + 24, true));
  const nc = Number(d.getBigInt64(p + 32, true));
  const bp = d.getUint32(p + 40, true);
  const cp = d.getUint32(p + 44, true);
  const buffers: number[] = [];
  for (let i = 0; i < nb; i++) buffers.push(d.getUint32(bp + 4 * i, true));
  const children: ArrowArray[] = [];
  for (let i = 0; i < nc; i++) children.push(array(d.getUint32(cp + 4 * i, true)));
  return {
    length: Number(d.getBigInt64(p, true)),
    nullCount: Number(d.getBigInt64(p + 8, true)),
    offset: Number(d.getBigInt64(p + 16, true)),
    buffers,
    children,
  };
}

function values(f: ArrowField, a: ArrowArray): unknown[] {
  const out: unknown[] = [];
  const buf = mem();
  const valid = (i: number) =>
    a.nullCount === 0 ||
    !a.buffers[0] ||
    ((new Uint8Array(buf, a.buffers[0])[(a.offset + i) >> 3] >> ((a.offset + i) & 7)) & 1) === 1;
  for (let i = 0; i < a.length; i++) {
    if (!valid(i)) {
      out.push(null);
      continue;
    }
    const k = a.offset + i;
    switch (f.format) {
      case 'i':
        out.push(new Int32Array(buf, a.buffers[1], k + 1)[k]);
        break;
      case 'l':
        out.push(new BigInt64Array(buf, a.buffers[1], k + 1)[k]);
        break;
      case 'f':
        out.push(new Float32Array(buf, a.buffers[1], k + 1)[k]);
        break;
      case 'g':
        out.push(new Float64Array(buf, a.buffers[1], k + 1)[k]);
        break;
      case 'u': {
        const off = new Int32Array(buf, a.buffers[1], k + 2);
        out.push(new TextDecoder().decode(new Uint8Array(buf, a.buffers[2] + off[k], off[k + 1] - off[k])));
        break;
      }
      case '+l': {
        const off = new Int32Array(buf, a.buffers[1], k + 2);
        const inner = values(f.children[0], a.children[0]);
        out.push(inner.slice(off[k], off[k + 1]));
        break;
      }
      default:
        throw new Error(`arrow-reader: format ${f.format} not handled`);
    }
  }
  return out;
}

/** Read a Parquet file with parquet-wasm: the Arrow schema and every column's values, row order. */
export function readWithParquetWasm(bytes: Uint8Array): { schema: ArrowField; columns: Record<string, unknown[]> } {
  const stream = pw.readParquet(bytes).intoFFI();
  try {
    const schema = field(stream.schemaAddr());
    const columns: Record<string, unknown[]> = {};
    for (const c of schema.children) columns[c.name!] = [];
    for (let b = 0; b < stream.numArrays(); b++) {
      const batch = array(stream.arrayAddr(b));
      schema.children.forEach((c, j) => columns[c.name!].push(...values(c, batch.children[j])));
    }
    return { schema, columns };
  } finally {
    stream.free();
  }
}

/** Re-encode a Parquet file with parquet-wasm using another codec (to test reading what others write). */
export function recompress(
  bytes: Uint8Array,
  codec: 'ZSTD' | 'GZIP' | 'BROTLI' | 'LZ4_RAW' | 'UNCOMPRESSED',
): Uint8Array {
  const table = pw.readParquet(bytes);
  const props = new pw.WriterPropertiesBuilder().setCompression(pw.Compression[codec]).build();
  return pw.writeParquet(table, props);
}
