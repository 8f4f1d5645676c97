// Running the CLI in-process for tests: exit code and what it printed on stdout and stderr.
import { run } from '../../src/cli/program.js';
import type { Io } from '../../src/cli/output.js';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { synthetic } from '../../src/data/synthetic.js';

export interface Result {
  code: number;
  out: string;
  err: string;
}

/** `lowrank …args`, captured. */
export async function cli(...args: string[]): Promise<Result> {
  let out = '';
  let err = '';
  const io: Io = {
    out: (t) => void (out += t.endsWith('\n') ? t : t + '\n'),
    err: (t) => void (err += t.endsWith('\n') ? t : t + '\n'),
  };
  const code = await run(args, io);
  return { code, out, err };
}

/** stdout as JSON (`--json`). */
export const json = (r: Result): any => JSON.parse(r.out); // eslint-disable-line @typescript-eslint/no-explicit-any

/**
 * A small MovieLens-100k-style file (1-based ids, tab-separated, with timestamps) from the synthetic
 * generator (120 users × 90 items, seed 4), written as `dir`/u.data; returns its path.
 */
export function writeUData(dir: string, implicit = false): string {
  const s = synthetic({ users: 120, items: 90, density: 0.08, implicit, seed: 4 });
  const lines: string[] = [];
  for (let u = 0; u < s.matrix.rows; u++) {
    const { indices, values } = s.matrix.row(u);
    for (let q = 0; q < indices.length; q++)
      lines.push(`${u + 1}\t${indices[q] + 1}\t${values[q]}\t${881250000 + lines.length}`);
  }
  const path = join(dir, 'u.data');
  writeFileSync(path, lines.join('\n') + '\n');
  return path;
}
