/**
 * `#platform` for Node, Deno and Bun (the `node` export condition): Node's built-ins, imported statically
 * so bundlers targeting Node see plain built-in imports (never a computed `import()`).
 * @module
 */
import * as crypto from 'node:crypto';
import * as fs from 'node:fs';
import * as fsPromises from 'node:fs/promises';
import * as os from 'node:os';
import * as path from 'node:path';
import * as url from 'node:url';
import * as v8 from 'node:v8';
import * as workerThreads from 'node:worker_threads';
import * as zlib from 'node:zlib';
import type { NodeBuiltins, Platform } from './types.js';

const builtins: NodeBuiltins = {
  fs,
  'fs/promises': fsPromises,
  path,
  os,
  url,
  crypto,
  zlib,
  worker_threads: workerThreads,
  v8,
};

export const platform: Platform['platform'] = 'node';

export const nodeBuiltin: Platform['nodeBuiltin'] = async (name) => builtins[name];
