// Thin wrapper (kept for earlier commands): node bench/als.mjs [options] = node bench/run.mjs --only implicit,explicit [options].
import { runWorkloads } from './lib/wrapper.mjs';

runWorkloads('implicit,explicit', process.argv.slice(2));
