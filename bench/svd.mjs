// Thin wrapper (kept for earlier commands): node bench/svd.mjs [options] = node bench/run.mjs --only svd [options].
import { runWorkloads } from './lib/wrapper.mjs';

runWorkloads('svd', process.argv.slice(2), { '--repeat': '--runs' });
