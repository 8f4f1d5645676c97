// CommonJS consumer: require('lowrank') (Node ≥ 20.19 loads the ES module synchronously).
const lowrank = require('lowrank');
const { program } = require('./program.mjs');
const { report } = require('./report.mjs');

report(() =>
  program(lowrank, async () => ({ ...lowrank, ...require('lowrank/formats'), ...require('lowrank/advanced') })),
);
