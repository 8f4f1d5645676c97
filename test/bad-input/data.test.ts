// Bad inputs to the data layer (SparseMatrix, IdMap, Interactions, parsers, data set options).
import { describe } from 'vitest';
import { runCatalogue } from './catalogue.js';
import { idCases, parserCases, sparseMatrixCases } from './tables/data.js';

describe('SparseMatrix', () => runCatalogue('SparseMatrix', sparseMatrixCases));
describe('IdMap / Interactions', () => runCatalogue('IdMap/Interactions', idCases));
describe('parsers and data sets', () => runCatalogue('parsers', parserCases));
