/**
 * What every command receives: output streams and the output mode, plus small shared helpers.
 * @module
 */
import { init } from '../index.js';
import { type Backend, type BackendName } from '../advanced.js';
import type { Io } from './output.js';

/** A command's environment. */
export interface Ctx {
  io: Io;
  /** Print one JSON document on stdout instead of text; no progress bars. */
  json: boolean;
  /** Draw progress bars on stderr. */
  progress: boolean;
  /** Print notes (what was read, …) on stderr. */
  notes: boolean;
  /** Kernel backend to use (undefined: init's default, wasm-threads on every core where threads work). */
  backend: BackendName | undefined;
  /** Worker threads for the 'wasm-threads' backend. */
  threads?: number;
}

/** Options every command accepts. */
export interface CommonFlags {
  json?: boolean;
  quiet?: boolean;
  backend?: string;
  threads?: number;
}

/** Start the kernel backend the flags ask for. */
export async function start(ctx: Ctx): Promise<Backend> {
  return init({ backend: ctx.backend, ...(ctx.threads !== undefined ? { threads: ctx.threads } : {}) });
}

/** Seconds as text, e.g. `1.23s`. */
export function secs(s: number): string {
  return `${s.toFixed(2)}s`;
}
