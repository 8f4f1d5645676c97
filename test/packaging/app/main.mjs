// ESM consumer: Node, Deno, Bun, and the entry every bundler builds (browser and Node targets). Imports
// only { init, ImplicitALS, SparseMatrix } statically: the size budget is measured on this graph.
import { init, ImplicitALS, SparseMatrix } from 'lowrank';
import { program } from './program.mjs';
import { report } from './report.mjs';

report(() =>
  program(
    { init, ImplicitALS, SparseMatrix },
    () => import('./more.mjs'),
    () => report.mark(),
  ),
);
