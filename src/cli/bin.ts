/**
 * Entry point of the `lowrank` executable (bundled to dist/cli.mjs with a `#!/usr/bin/env node` banner).
 * @module
 */
import { run } from './program.js';

process.exitCode = await run(process.argv.slice(2));
