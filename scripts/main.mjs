// The main job (npm start). Placeholder until the algorithms land: initialises the runtime and reports it.
import { init } from '../dist/index.mjs';
const b = await init();
console.log(`lowrank: backend ${b.name} ready`);
