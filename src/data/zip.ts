/**
 * A zip reader that trusts nothing the archive says about sizes: entries are located through the central
 * directory (zip64 included, as numpy writes it), every offset is checked against the file, and an entry
 * is inflated incrementally into buffers the caller sized from what it knows (a `.npy` header, a cap) —
 * never into one sized by the archive's own "uncompressed size" field. A 1 MB entry that inflates to
 * gigabytes therefore costs only what the caller asked for.
 * @module
 */
import { Inflate } from 'fflate';

/** One member of a zip archive, as located by the central directory. */
export interface ZipEntry {
  name: string;
  /** 0 = stored, 8 = deflated (nothing else is read). */
  method: number;
  /** Bytes of (compressed) data in the archive. */
  compressedSize: number;
  /** What the archive claims the member inflates to: informative only, never used to allocate. */
  declaredSize: number;
  /** Offset of the member's data in the archive. */
  dataStart: number;
}

/** A zip that cannot be read; `ZipFormatError.message` says why. Callers wrap it in their own error type. */
export class ZipFormatError extends Error {}

const EOCD = 0x06054b50;
const ZIP64_LOCATOR = 0x07064b50;
const ZIP64_EOCD = 0x06064b50;
const CENTRAL = 0x02014b50;
const LOCAL = 0x04034b50;

function u64(dv: DataView, at: number): number {
  return dv.getUint32(at, true) + dv.getUint32(at + 4, true) * 2 ** 32;
}

/**
 * The archive's members, in central-directory order (directories only with `directories: true`, as
 * entries of size 0).
 * @throws ZipFormatError for a missing or inconsistent directory, an encrypted member, an unsupported
 *   compression method, or offsets outside the file
 */
export function zipEntries(b: Uint8Array, options: { directories?: boolean } = {}): ZipEntry[] {
  const dv = new DataView(b.buffer, b.byteOffset, b.byteLength);
  const len = b.length;
  let eocd = -1;
  for (let i = len - 22; i >= 0 && i >= len - 22 - 0xffff; i--) {
    if (dv.getUint32(i, true) === EOCD) {
      eocd = i;
      break;
    }
  }
  if (eocd < 0) throw new ZipFormatError('no end-of-central-directory record (truncated or not a zip)');
  let count = dv.getUint16(eocd + 10, true);
  let cdSize = dv.getUint32(eocd + 12, true);
  let cdOffset = dv.getUint32(eocd + 16, true);
  if (count === 0xffff || cdSize === 0xffffffff || cdOffset === 0xffffffff) {
    const loc = eocd - 20;
    if (loc < 0 || dv.getUint32(loc, true) !== ZIP64_LOCATOR)
      throw new ZipFormatError('zip64 sizes without a zip64 locator');
    const z = u64(dv, loc + 8);
    if (z + 56 > len || dv.getUint32(z, true) !== ZIP64_EOCD)
      throw new ZipFormatError('the zip64 end-of-central-directory record is missing');
    count = u64(dv, z + 32);
    cdSize = u64(dv, z + 40);
    cdOffset = u64(dv, z + 48);
  }
  if (cdOffset + cdSize > len)
    throw new ZipFormatError(
      `the central directory (${cdSize} bytes at ${cdOffset}) runs past the end of the file (${len} bytes)`,
    );
  // Each central entry is at least 46 bytes, which bounds how many a directory of this size can hold.
  if (count > cdSize / 46)
    throw new ZipFormatError(`the directory claims ${count} entries but has room for ${Math.floor(cdSize / 46)}`);
  const out: ZipEntry[] = [];
  let p = cdOffset;
  const end = cdOffset + cdSize;
  for (let k = 0; k < count; k++) {
    if (p + 46 > end || dv.getUint32(p, true) !== CENTRAL)
      throw new ZipFormatError(`central directory entry ${k} is corrupt`);
    const flags = dv.getUint16(p + 8, true);
    const method = dv.getUint16(p + 10, true);
    let csize = dv.getUint32(p + 20, true);
    let usize = dv.getUint32(p + 24, true);
    const nameLen = dv.getUint16(p + 28, true);
    const extraLen = dv.getUint16(p + 30, true);
    const commentLen = dv.getUint16(p + 32, true);
    let local = dv.getUint32(p + 42, true);
    const next = p + 46 + nameLen + extraLen + commentLen;
    if (next > end) throw new ZipFormatError(`central directory entry ${k} runs past the directory`);
    const nameBytes = b.subarray(p + 46, p + 46 + nameLen);
    const name = flags & 0x800 ? new TextDecoder().decode(nameBytes) : String.fromCharCode(...nameBytes);
    // zip64 extra field: the 8-byte values present are those whose 32-bit field is 0xffffffff, in this order.
    for (let e = p + 46 + nameLen; e + 4 <= p + 46 + nameLen + extraLen; ) {
      const id = dv.getUint16(e, true);
      const size = dv.getUint16(e + 2, true);
      if (id === 0x0001) {
        let q = e + 4;
        const stop = Math.min(e + 4 + size, p + 46 + nameLen + extraLen);
        if (usize === 0xffffffff && q + 8 <= stop) (usize = u64(dv, q)), (q += 8);
        if (csize === 0xffffffff && q + 8 <= stop) (csize = u64(dv, q)), (q += 8);
        if (local === 0xffffffff && q + 8 <= stop) local = u64(dv, q);
      }
      e += 4 + size;
    }
    p = next;
    if (name.endsWith('/')) {
      if (options.directories) out.push({ name, method: 0, compressedSize: 0, declaredSize: 0, dataStart: 0 });
      continue;
    }
    if (flags & 1) throw new ZipFormatError(`${name} is encrypted`);
    if (method !== 0 && method !== 8)
      throw new ZipFormatError(`${name} uses compression method ${method}; only stored (0) and deflate (8) are read`);
    if (local + 30 > len || dv.getUint32(local, true) !== LOCAL)
      throw new ZipFormatError(`${name}: local header missing at offset ${local}`);
    const dataStart = local + 30 + dv.getUint16(local + 26, true) + dv.getUint16(local + 28, true);
    if (dataStart + csize > len)
      throw new ZipFormatError(
        `${name}: ${csize} bytes of data at ${dataStart} run past the end of the file (${len} bytes)`,
      );
    if (method === 0 && usize !== csize)
      throw new ZipFormatError(`${name}: stored member with different sizes (${csize} stored, ${usize} declared)`);
    out.push({ name, method, compressedSize: csize, declaredSize: usize, dataStart });
  }
  return out;
}

/**
 * Compressed input fed to the inflater per step. At deflate's maximum ratio (1032:1) a step yields at most
 * ~8 MiB, which bounds the transient output whatever the entry holds.
 */
const STEP = 8192;
/** The first step: reading a `.npy` header must not inflate megabytes of what follows it. */
const FIRST_STEP = 256;

/**
 * The decompressed bytes of one entry, pulled on demand: `read(dst)` fills `dst` and returns how many
 * bytes it wrote (fewer only at the end of the entry). Nothing is inflated ahead of what is asked for
 * beyond one step.
 */
export class ZipEntryReader {
  private pos = 0; // compressed bytes consumed
  private pending: Uint8Array = new Uint8Array(0);
  private pendingAt = 0;
  private ended = false;
  /** Compressed bytes fed at the next step: FIRST_STEP, doubling up to STEP (never past it). */
  private stepBytes = FIRST_STEP;
  private readonly inflater: Inflate | undefined;
  /** Decompressed bytes handed out so far. */
  produced = 0;

  constructor(
    private readonly archive: Uint8Array,
    readonly entry: ZipEntry,
  ) {
    if (entry.method === 8) {
      this.inflater = new Inflate((chunk, final) => {
        this.pending = chunk;
        this.pendingAt = 0;
        if (final) this.ended = true;
      });
    }
  }

  /** Fill `dst` from the entry; returns the byte count (`< dst.length` only when the entry ends). */
  read(dst: Uint8Array): number {
    let w = 0;
    while (w < dst.length) {
      if (this.pendingAt < this.pending.length) {
        const n = Math.min(dst.length - w, this.pending.length - this.pendingAt);
        dst.set(this.pending.subarray(this.pendingAt, this.pendingAt + n), w);
        this.pendingAt += n;
        w += n;
        continue;
      }
      if (!this.step()) break;
    }
    this.produced += w;
    return w;
  }

  /** True if the entry has bytes left that `read` has not returned. */
  hasMore(): boolean {
    const probe = new Uint8Array(1);
    const n = this.read(probe);
    if (n === 0) return false;
    this.pendingAt--; // put the byte back (it came from `pending`)
    this.produced--;
    return true;
  }

  /** Produce the next chunk into `pending`; false at the end of the entry. */
  private step(): boolean {
    const { dataStart, compressedSize } = this.entry;
    if (!this.inflater) {
      if (this.pos >= compressedSize) return false;
      const end = Math.min(compressedSize, this.pos + (1 << 20));
      this.pending = this.archive.subarray(dataStart + this.pos, dataStart + end);
      this.pendingAt = 0;
      this.pos = end;
      return true;
    }
    if (this.ended) return false;
    if (this.pos >= compressedSize)
      throw new ZipFormatError(`${this.entry.name}: the deflate stream ends early (truncated data)`);
    // Small first steps, doubling: a plain size (no shift), so it cannot overflow however many steps follow.
    const end = Math.min(compressedSize, this.pos + this.stepBytes);
    if (this.stepBytes < STEP) this.stepBytes = Math.min(STEP, this.stepBytes * 2);
    const input = this.archive.subarray(dataStart + this.pos, dataStart + end);
    this.pos = end;
    this.pending = new Uint8Array(0);
    this.pendingAt = 0;
    try {
      this.inflater.push(input, end === compressedSize);
    } catch (e) {
      throw new ZipFormatError(`${this.entry.name}: corrupt deflate data (${(e as Error).message})`);
    }
    return true;
  }
}
