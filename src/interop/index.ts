/**
 * Interop with other tools' files: Spark ML ALS models (Parquet), benfred/implicit models (.npz), training
 * data as Parquet, scipy sparse matrices and NumPy arrays (.npy/.npz).
 * @module
 */
export { importSparkALS, exportSparkALS } from './spark.js';
export type { ImportSparkALSOptions, ExportSparkALSOptions } from './spark.js';
export {
  SPARK_ALS_CLASS,
  parseSparkALSMetadata,
  readSparkALSData,
  readSparkFactors,
  writeSparkFactors,
  sparkALSFiles,
} from './spark-format.js';
export type {
  SparkALSMetadata,
  SparkALSData,
  SparkFactorTable,
  SparkWriteOptions,
  LowrankSparkExtra,
} from './spark-format.js';
export type { FileTree, FileLike, FileMap } from './files.js';
export { importImplicit, exportImplicit } from './implicit.js';
export type { ImportImplicitOptions, ExportImplicitOptions } from './implicit.js';
export { writeParquet, readParquet } from './parquet-data.js';
export type { WriteParquetOptions, ReadParquetOptions, InteractionColumns } from './parquet-data.js';
export { writeScipyNpz, readScipyNpz } from './scipy.js';
export type { WriteScipyNpzOptions } from './scipy.js';
export { readNpy, npyScalar, npyToFloat64, npySize } from './npy.js';
export { writeNpy } from './npy-write.js';
export type { NpyArray, NpyDtype, NpyDataTypes } from './npy.js';
export { readNpz, readNpzMembers, writeNpz } from './npz.js';
export type { WriteNpzOptions } from './npz.js';
