/**
 * `lowrank/formats`: other tools' files and their building blocks — NumPy .npy/.npz, scipy sparse .npz,
 * Parquet interaction data, Spark ML ALS model folders, implicit's .npz models (the top-level
 * import/export/read/write functions are also in the root).
 * @module
 */
export type { FileLike, FileMap, FileTree } from './interop/files.js';
export { exportImplicit, importImplicit } from './interop/implicit.js';
export type { ExportImplicitOptions, ImportImplicitOptions } from './interop/implicit.js';
export { writeNpy } from './interop/npy-write.js';
export { readNpy } from './interop/npy.js';
export type { NpyArray, NpyDataTypes, NpyDtype } from './interop/npy.js';
export { readNpz, readNpzMembers, writeNpz } from './interop/npz.js';
export type { WriteNpzOptions } from './interop/npz.js';
export { readParquet, writeParquet } from './interop/parquet-data.js';
export type { InteractionColumns, ReadParquetOptions, WriteParquetOptions } from './interop/parquet-data.js';
export { readScipyNpz, writeScipyNpz } from './interop/scipy.js';
export type { WriteScipyNpzOptions } from './interop/scipy.js';
export { SPARK_ALS_CLASS, readSparkFactors } from './interop/spark-format.js';
export type {
  LowrankSparkExtra,
  SparkALSData,
  SparkALSMetadata,
  SparkFactorTable,
  SparkWriteOptions,
} from './interop/spark-format.js';
export { exportSparkALS, importSparkALS } from './interop/spark.js';
export type { ExportSparkALSOptions, ImportSparkALSOptions } from './interop/spark.js';
// Renamed in 0.2 (README "API at a glance"): the old names work for one release, warning once.
export { fromParquet, fromScipyNpz, toParquet, toScipyNpz } from './interop/renamed.js';
export type { FromParquetOptions, ToParquetOptions, ToScipyNpzOptions } from './interop/renamed.js';
