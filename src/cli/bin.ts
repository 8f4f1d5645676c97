/**
 * Entry point of the `lowrank` executable (bundled to dist/cli.mjs with a `#!/usr/bin/env node` banner).
 * @module
 */
import { run } from './program.js';

// A reader that goes away (`lowrank … | head`) ends the command quietly with exit 0, as Unix tools do:
// what was asked for has been taken. Other stdout failures end it with exit 1; there is nowhere to say
// more. A closed stderr only loses the progress bars and notes.
process.stdout.on('error', (e: NodeJS.ErrnoException) => process.exit(e.code === 'EPIPE' ? 0 : 1));
process.stderr.on('error', () => {});

process.exitCode = await run(process.argv.slice(2));
