/**
 * Data layer: sparse matrices, id maps, interactions, parsers, data sets and weightings.
 * @module
 */
export { SparseMatrix } from './csr.js';
export type { DuplicatePolicy, FromCOOOptions, HeapCsr } from './csr.js';
export { IdMap, compareIds } from './idmap.js';
export type { Id, IdOrder } from './idmap.js';
export { Interactions } from './interactions.js';
export type { DatasetInfo, FromRowsOptions, InteractionRow, InteractionsInit, ParseReport } from './interactions.js';
export { bm25Weight, tfidfWeight, logScale } from './weighting-fns.js';
export type { Bm25Options } from './weighting.js';
export { readInteractions } from './parse/read.js';
export type { ReadInteractionsOptions, ReadProgress } from './parse/read.js';
export { FORMATS } from './parse/formats.js';
export type { FormatName, FormatSpec } from './parse/formats.js';
export type { ColumnSpec } from './parse/columns.js';
export type { OnError, RowKind, DroppedRows } from './parse/problems.js';
export type { Zeros } from './parse/context.js';
export type { Encoding } from './parse/text.js';
export type { InteractionsInput } from './parse/input.js';
export { datasets, DatasetError } from './datasets/index.js';
export type { DatasetOptions, LastfmSize, MovieLensSize } from './datasets/index.js';
export type { SyntheticInteractions, SyntheticOptions } from './synthetic.js';
