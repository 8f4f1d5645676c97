// Running the CLI in-process for tests: exit code and what it printed on stdout and stderr.
import { run } from '../../src/cli/program.js';
import type { Io } from '../../src/cli/output.js';

export interface Result {
  code: number;
  out: string;
  err: string;
}

/** `lowrank …args`, captured. */
export async function cli(...args: string[]): Promise<Result> {
  let out = '';
  let err = '';
  const io: Io = { out: (t) => void (out += t.endsWith('\n') ? t : t + '\n'), err: (t) => void (err += t.endsWith('\n') ? t : t + '\n') };
  const code = await run(args, io);
  return { code, out, err };
}

/** stdout as JSON (`--json`). */
export const json = (r: Result): any => JSON.parse(r.out); // eslint-disable-line @typescript-eslint/no-explicit-any
