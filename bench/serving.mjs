// Thin wrapper (kept for earlier commands): node bench/serving.mjs [options] = node bench/run.mjs --only foldin,recommend [options].
import { runWorkloads } from './lib/wrapper.mjs';

runWorkloads('foldin,recommend', process.argv.slice(2));
