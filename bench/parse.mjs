// Thin wrapper (kept for earlier commands): node bench/parse.mjs [options] = node bench/run.mjs --only parse [options].
import { runWorkloads } from './lib/wrapper.mjs';

runWorkloads('parse', process.argv.slice(2));
