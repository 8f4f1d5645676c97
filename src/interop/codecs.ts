/**
 * Parquet's compression codecs (hyparquet-compressors with fzstd and hysnappy, ~110 KB minified) load on the
 * first read of a Parquet file, not with the library: most apps never read one, and the whole-library bundle
 * stays under vite's 500 kB chunk warning.
 * @module
 */
type Codecs = typeof import('hyparquet-compressors');

let codecs: Promise<Codecs> | undefined;
let loaded: Codecs | undefined;

/** The codecs module, imported once on first use. */
export function loadCodecs(): Promise<Codecs> {
  codecs ??= import('hyparquet-compressors').then((m) => (loaded = m));
  return codecs;
}

/** The codecs module once `loadCodecs()` has resolved (a synchronous decoder's view of it), else undefined. */
export function loadedCodecs(): Codecs | undefined {
  return loaded;
}
