// Thin wrapper (kept for earlier commands): node bench/kernels.mjs [options] = node bench/run.mjs --only kernels [options].
import { runWorkloads } from './lib/wrapper.mjs';

runWorkloads('kernels', process.argv.slice(2));
