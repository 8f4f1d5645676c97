// Bad inputs to ImplicitALS, ALS and PureSVD: constructor options, fit, serving and persistence methods.
import { beforeAll } from 'vitest';
import { runCatalogue } from './catalogue.js';
import { cases, setup } from './tables/models.js';

beforeAll(setup);
runCatalogue('models', cases);
