// Bad inputs to truncatedSVD, the splits, the metrics, cross-validation and the validation hook.
import { beforeAll, describe } from 'vitest';
import { init } from '../../src/runtime/backend.js';
import { runCatalogue } from './catalogue.js';
import { evalCases, svdCases } from './tables/svd-eval.js';

beforeAll(() => init({ backend: 'wasm' }));
describe('truncatedSVD', () => runCatalogue('truncatedSVD', svdCases));
describe('evaluation', () => runCatalogue('evaluation', evalCases));
