// Mutation fuzzing of lowrank's readers of outside bytes, shared by bench/fuzz/run.mjs (≥ 10,000 cases per
// reader, each reader in a watched child process) and test/fuzz/readers.test.ts (a seeded 500-case subset).
// `lib` is the library: the built bundle (bench) or the sources (tests). Case `i` of a reader is fully
// determined by (reader, i), so any finding is replayed with `node bench/fuzz/run.mjs --reader R --case i`.

/** Cap every reader gets: a case that allocated past it would show as a SizeLimitError-less blow-up. */
export const FUZZ_CAP = 64 << 20;

/** mulberry32: small, fast, seeded. */
export function rng(seed) {
  let a = seed >>> 0;
  const next = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  return { next, int: (n) => Math.floor(next() * n), pick: (xs) => xs[Math.floor(next() * xs.length)] };
}

const INTERESTING_8 = [0, 1, 0x7f, 0x80, 0xff, 0x20, 0x30, 0x39];
const INTERESTING_32 = [
  0,
  1,
  2,
  0x7f,
  0xff,
  0xffff,
  0x10000,
  0x7fffffff,
  0x80000000,
  0xffffffff,
  0xfffffffe,
  1 << 20,
  1 << 30,
];

function concat(...parts) {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let o = 0;
  for (const p of parts) {
    out.set(p, o);
    o += p.length;
  }
  return out;
}

/** One to four random mutations of `input` (a fresh array). `others` are seeds to splice from. */
export function mutate(r, input, others = []) {
  let b = input.slice();
  const n = 1 + r.int(4);
  for (let k = 0; k < n; k++) {
    if (b.length === 0) b = new Uint8Array([r.int(256)]);
    const at = r.int(b.length);
    switch (r.int(9)) {
      case 0: // bit flips
        for (let j = 1 + r.int(8); j > 0; j--) {
          const p = r.int(b.length);
          b[p] ^= 1 << r.int(8);
        }
        break;
      case 1:
        b[at] = r.pick(INTERESTING_8);
        break;
      case 2: {
        const v = r.pick(INTERESTING_32);
        const p = Math.min(at, Math.max(0, b.length - 4));
        if (b.length >= 4) new DataView(b.buffer).setUint32(p, v >>> 0, r.next() < 0.7);
        break;
      }
      case 3:
        b[at] = (b[at] + (r.int(33) - 16)) & 0xff;
        break;
      case 4: // truncate
        b = b.slice(0, at);
        break;
      case 5: {
        // delete a chunk
        const len = 1 + r.int(Math.min(64, b.length - at));
        b = concat(b.subarray(0, at), b.subarray(at + len));
        break;
      }
      case 6: {
        // duplicate a chunk
        const len = 1 + r.int(Math.min(64, b.length - at));
        const to = r.int(b.length + 1);
        b = concat(b.subarray(0, to), b.slice(at, at + len), b.subarray(to));
        break;
      }
      case 7: {
        // random bytes
        const len = 1 + r.int(16);
        for (let j = 0; j < len && at + j < b.length; j++) b[at + j] = r.int(256);
        break;
      }
      default: {
        // splice from another seed
        const o = others.length ? r.pick(others) : b;
        if (o.length === 0) break;
        const from = r.int(o.length);
        const len = 1 + r.int(Math.min(256, o.length - from));
        b = concat(b.subarray(0, at), o.subarray(from, from + len), b.subarray(Math.min(b.length, at + len)));
      }
    }
  }
  return b;
}

/** Text-aware mutations for delimited files: separators, quotes, numbers and odd characters. */
const TOKENS = [
  ',',
  '\t',
  ';',
  '::',
  ' ',
  '"',
  "'",
  '\n',
  '\r\n',
  '\r',
  '#',
  '-',
  '.',
  'e',
  'e308',
  '1e400',
  'NaN',
  'Infinity',
  '-0',
  '0x1f',
  '9007199254740993',
  '\u00e9',
  '\ufeff',
  '\u0000',
  '\u2028',
  'user',
  'item',
  'rating',
  'userId',
  '%%MatrixMarket matrix coordinate real general\n',
  '5 5 3\n',
];
function mutateText(r, input, others) {
  if (r.next() < 0.5) return mutate(r, input, others);
  const enc = new TextEncoder();
  let s = new TextDecoder().decode(input);
  for (let k = 1 + r.int(6); k > 0; k--) {
    const at = r.int(s.length + 1);
    const tok = r.pick(TOKENS);
    s = r.next() < 0.7 ? s.slice(0, at) + tok + s.slice(at) : s.slice(0, at) + tok + s.slice(at + 1 + r.int(4));
  }
  return enc.encode(s);
}

// CRC-32 (zip/PNG), for re-sealing mutated .lrk files so the checks behind the CRC are reached.
const CRC_TABLE = (() => {
  const t = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    t[n] = c >>> 0;
  }
  return t;
})();
function crc32(b, crc, start, end) {
  let c = ~crc >>> 0;
  for (let i = start; i < end; i++) c = CRC_TABLE[(c ^ b[i]) & 0xff] ^ (c >>> 8);
  return ~c >>> 0;
}
/** Fix the length and CRC fields of a mutated .lrk (when it still has its 28-byte preamble). */
function reseal(b) {
  if (b.length < 28) return b;
  const dv = new DataView(b.buffer, b.byteOffset, b.length);
  dv.setUint32(16, b.length % 2 ** 32, true);
  dv.setUint32(20, Math.floor(b.length / 2 ** 32), true);
  dv.setUint32(24, crc32(b, crc32(b, 0, 0, 24), 28, b.length), true);
  return b;
}

/** Mutate the JSON header of a .lrk: numbers and strings changed, then resealed. */
function mutateLrkHeader(r, b) {
  if (b.length < 28) return b;
  const dv = new DataView(b.buffer, b.byteOffset, b.length);
  const jsonLen = dv.getUint32(12, true);
  if (28 + jsonLen > b.length) return b;
  let json = new TextDecoder().decode(b.subarray(28, 28 + jsonLen));
  const nums = [...json.matchAll(/-?\d+(\.\d+)?/g)];
  for (let k = 1 + r.int(3); k > 0 && nums.length; k--) {
    const m = r.pick(nums);
    const v = r.pick([
      '0',
      '-1',
      '1',
      '2',
      '3',
      '1e9',
      '4294967296',
      '9007199254740993',
      '1.5',
      'null',
      '"x"',
      '[]',
      '{}',
      String(r.int(1000)),
    ]);
    json = json.slice(0, m.index) + v + json.slice(m.index + m[0].length);
  }
  if (r.next() < 0.2)
    json = json.replace(
      r.pick(['"X"', '"Y"', '"f32"', '"i32"', '"ImplicitALS"', '"interactions"']),
      r.pick(['"Y"', '"X"', '"i32"', '"f32"', '"ALS"', '"extra"', '"__proto__"']),
    );
  const head = new TextEncoder().encode(json);
  const pad = (4 - ((28 + head.length) % 4)) % 4;
  const dataStart = 28 + jsonLen + ((4 - ((28 + jsonLen) % 4)) % 4);
  const out = concat(b.subarray(0, 28), head, new Uint8Array(pad).fill(0x20), b.subarray(dataStart));
  new DataView(out.buffer).setUint32(12, head.length, true);
  return reseal(out);
}

/**
 * The readers under fuzz: valid seeds (built with the library itself), how to mutate them, and how to
 * run one case. `run` resolves to a short description of the result; throwing a LowrankError is a pass.
 */
export async function readers(lib) {
  await lib.init({ backend: 'wasm' });
  const enc = new TextEncoder();
  const users = lib.IdMap.from([196, 7, -3, 1000, 5]);
  const items = lib.IdMap.from([10, 20, 30, 40]);
  const matrix = lib.SparseMatrix.fromCOO({
    rows: [0, 0, 1, 2, 3, 4, 4],
    cols: [0, 1, 2, 3, 0, 1, 3],
    values: [1, 2, 3, 4, 5, 1, 2],
    shape: [5, 4],
  });
  const ials = await new lib.ImplicitALS({ factors: 3, iterations: 2, seed: 1 }).fit({ matrix, users, items });
  const named = await new lib.ImplicitALS({ factors: 2, iterations: 1, seed: 4 }).fit({
    matrix,
    users: lib.IdMap.from(['u1', 'u2', 'u3', 'u4', 'ü5']),
    items,
  });
  const als = await new lib.ALS({ factors: 2, iterations: 2, seed: 2 }).fit(matrix);
  const svd = await new lib.PureSVD({ factors: 2, seed: 3 }).fit(matrix);
  const spark = await lib.exportSparkALS(ials);
  const sparkAls = await lib.exportSparkALS(als);
  const dispose = (m) => m.dispose?.();

  const lrkSeeds = [ials.save(), als.save(), svd.save(), named.save({ includeInteractions: false })];
  const npySeeds = [
    lib.writeNpy({ dtype: 'f4', shape: [3, 2], data: Float32Array.of(1, 2, 3, 4, 5, 6) }),
    lib.writeNpy({ dtype: 'f8', shape: [2], data: Float64Array.of(1.5, -2) }),
    lib.writeNpy({ dtype: 'i8', shape: [], data: BigInt64Array.of(7n) }),
    lib.writeNpy({ dtype: 'U', shape: [2], data: ['ab', 'ç'] }),
    lib.writeNpy({ dtype: 'S', shape: [2], data: ['x', 'yz'] }),
    lib.writeNpy({ dtype: 'b1', shape: [3], data: Uint8Array.of(1, 0, 1) }),
    lib.writeNpy({ dtype: 'i4', shape: [2, 2], data: Int32Array.of(1, 2, 3, 4) }),
  ];
  // A member large enough to take many inflate steps (the step size once overflowed after ~23 steps, so
  // members with more than ~190 KB of compressed data looped forever): 300 KB of seeded noise, deflated.
  const noise = new Float32Array(75_000);
  const r = rng(0x5eed);
  for (let i = 0; i < noise.length; i++) noise[i] = r.next() * 2 - 1;
  const npzSeeds = [
    lib.exportImplicit(ials),
    lib.exportImplicit(named, { compress: true }),
    lib.exportImplicit(als),
    lib.writeScipyNpz(matrix),
    lib.writeScipyNpz(matrix, { compress: false }),
    lib.writeNpz({ big: { dtype: 'f4', shape: [300, 250], data: noise } }, { compress: true }),
  ];
  const partsOf = (files) => [...files].filter(([p]) => p.endsWith('.parquet'));
  const parquetSeeds = [...partsOf(spark), ...partsOf(sparkAls)].map(([, b]) => b);
  const interactions = lib.Interactions.fromRows([
    ['a', 1, 5, 100],
    ['b', 2, 3, 200],
    ['a', 3, 1, 300],
  ]);
  const trainingParquet = lib.writeParquet(interactions, { ids: 'string' });
  const delimitedSeeds = [
    'user,item,rating\n1,10,5\n2,20,3\n1,30,4\n',
    '196\t242\t3\t881250949\n186\t302\t3\t891717742\n22\t377\t1\t878887116\n',
    '1::1193::5::978300760\n1::661::3::978302109\n',
    'userId,movieId,rating,timestamp\n1,31,2.5,1260759144\n1,1029,3.0,1260759179\n',
    '"a b",x,1\n"c,d",y,2\n',
    '%%MatrixMarket matrix coordinate real general\n3 3 2\n1 1 1.5\n3 2 2\n',
    // Quoting across lines, CR-only and mixed line ends, a byte-order mark, lists and counted lists.
    'user,item,rating\n1,"a ""b""\nc",4\r\n2,"x,y",0\r3,z,5\n',
    '\ufeff"User-ID";"ISBN";"Book-Rating"\r"276725";"034545104X";"0"\r"276726";"0155061224";"5"\r',
    '0 10 11 12\n1 11\n2\n3 12 13 \n',
    '3 10 11 12\n1 11\n0\n2 12 13\n',
    '7 1:5 2:3.5\n8 2:1\n',
  ].map((s) => enc.encode(s));
  // Latin-1 ids (not UTF-8), CR line ends.
  delimitedSeeds.push(Uint8Array.from('u;i;r\r1;M\u00fc;3\r2;M\u00f6;4\r', (c) => c.charCodeAt(0)));

  const cap = { maxBytes: FUZZ_CAP };
  return [
    {
      name: 'lrk',
      seeds: lrkSeeds,
      mutate: (r, seed) => {
        const u = r.next();
        if (u < 0.35) return mutate(r, seed, lrkSeeds); // raw: mostly stopped by the CRC
        if (u < 0.7) return reseal(mutate(r, seed, lrkSeeds)); // resealed: reaches the header and table checks
        return mutateLrkHeader(r, seed.slice());
      },
      run: async (bytes) => {
        const m = lib.loadModel(bytes, cap);
        m.recommend(0, { n: 2 });
        dispose(m);
        return 'loaded';
      },
    },
    {
      name: 'npy',
      seeds: npySeeds,
      mutate: (r, seed) => mutate(r, seed, npySeeds),
      run: async (bytes) => {
        const a = lib.readNpy(bytes, '.npy', cap);
        return `${a.dtype}(${a.shape})`;
      },
    },
    {
      name: 'npz',
      seeds: npzSeeds,
      mutate: (r, seed) => mutate(r, seed, npzSeeds),
      run: async (bytes) => {
        let out = 'refused';
        try {
          const m = await lib.importImplicit(bytes, cap);
          dispose(m);
          out = 'implicit';
        } catch (e) {
          if (!(e instanceof lib.LowrankError)) throw e;
        }
        const z = lib.readNpz(bytes, '.npz', cap);
        try {
          lib.readScipyNpz(bytes);
        } catch (e) {
          if (!(e instanceof lib.LowrankError)) throw e;
        }
        return `${out}, ${z.size} arrays`;
      },
    },
    {
      name: 'parquet',
      seeds: [...parquetSeeds, trainingParquet],
      mutate: (r, seed) => mutate(r, seed, parquetSeeds),
      run: async (bytes) => {
        // The same bytes as a Spark factor part (both tables) and as a training-data table.
        const files = new Map(spark);
        for (const [p] of partsOf(spark)) files.set(p, bytes);
        const [a, b] = await Promise.allSettled([lib.importSparkALS(files, cap), lib.readParquet(bytes, cap)]);
        for (const r of [a, b]) if (r.status === 'rejected' && !(r.reason instanceof lib.LowrankError)) throw r.reason;
        if (a.status === 'fulfilled') dispose(a.value);
        if (a.status === 'rejected' && b.status === 'rejected') throw a.reason;
        return `${a.status === 'fulfilled' ? 'spark model' : 'not a factor table'}, ${b.status === 'fulfilled' ? `${b.value.nnz} rows` : 'not a training table'}`;
      },
    },
    {
      name: 'delimited',
      seeds: delimitedSeeds,
      mutate: (r, seed) => mutateText(r, seed, delimitedSeeds),
      run: async (bytes) => {
        const d = await lib.readInteractions(bytes, { onError: 'skip', warnings: false });
        try {
          await lib.readInteractions(bytes, { warnings: false });
        } catch (e) {
          if (!(e instanceof lib.LowrankError)) throw e;
        }
        return `${d.nnz} interactions`;
      },
    },
  ];
}

/** The input of case `i` of reader `t`: seed i mod |seeds|, mutated with a generator seeded from (t, i). */
export function caseInput(t, readerIndex, i) {
  const r = rng(0x9e3779b9 ^ (readerIndex * 0x1000193) ^ Math.imul(i + 1, 0x85ebca6b));
  const seed = t.seeds[i % t.seeds.length];
  return t.mutate(r, seed);
}

/**
 * Run case `i`: `{ outcome: 'ok' | 'error' | 'bug', detail, ms }` — 'error' is a typed LowrankError (a pass),
 * 'bug' any other exception (a finding).
 */
export async function runCase(lib, t, readerIndex, i) {
  const bytes = caseInput(t, readerIndex, i);
  const t0 = performance.now();
  try {
    const detail = await t.run(bytes);
    return { outcome: 'ok', detail, ms: performance.now() - t0 };
  } catch (e) {
    const ms = performance.now() - t0;
    if (e instanceof lib.LowrankError) return { outcome: 'error', detail: `${e.name}: ${e.message.slice(0, 160)}`, ms };
    return {
      outcome: 'bug',
      detail: `${e?.name ?? typeof e}: ${String(e?.message ?? e).slice(0, 300)}\n${String(e?.stack ?? '')
        .split('\n')
        .slice(1, 6)
        .join('\n')}`,
      ms,
    };
  }
}
