// Bad command lines of the lowrank CLI: usage errors exit 2, failed commands exit 1, each with one line.
import { beforeAll } from 'vitest';
import { runCatalogue } from './catalogue.js';
import { cases, setup } from './tables/cli.js';

beforeAll(setup);
runCatalogue('CLI', cases);
