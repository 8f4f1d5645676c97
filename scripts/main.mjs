// The main job (npm start, after npm run build): the CLI's `demo` command — fits implicit ALS, explicit ALS
// and PureSVD on the built-in synthetic ratings (or the file given as an argument) and prints progress bars,
// the held-out metric table, the top singular values and explained sample recommendations.
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const cli = fileURLToPath(new URL('../dist/cli.mjs', import.meta.url));
const r = spawnSync(process.execPath, [cli, 'demo', ...process.argv.slice(2)], { stdio: 'inherit' });
process.exitCode = r.status ?? 1;
