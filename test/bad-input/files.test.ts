// Bad saved models and bad exchange files: truncated, corrupted, oversized, inconsistent, foreign.
import { beforeAll, describe } from 'vitest';
import { runCatalogue } from './catalogue.js';
import { importCases, modelFileCases, setup } from './tables/files.js';

beforeAll(setup);
describe('saved models', () => runCatalogue('saved models', modelFileCases));
describe('imports', () => runCatalogue('imports', importCases));
