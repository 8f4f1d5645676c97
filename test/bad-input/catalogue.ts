// The bad-input catalogue runner: each table is an array of { name, call, error, message } — one bad input
// and the error class and message fragment it must produce. A case with `bug` is a known defect in code this
// suite may not edit (src/models, src/cli, src/runtime): it runs as `it.fails`, so the catalogue still shows it
// and the day it is fixed the suite says so.
import { afterAll, expect, it } from 'vitest';

/** Any error class (LowrankError subclasses, or built-ins for the few Node errors passed through). */
export type ErrorClass = abstract new (...args: any[]) => Error; // eslint-disable-line @typescript-eslint/no-explicit-any

export interface BadInput {
  name: string;
  call: () => unknown | Promise<unknown>;
  error: ErrorClass;
  message: RegExp | string;
  /** Known defect (owner, observed, expected): the case is expected to fail until fixed. */
  bug?: string;
}

/** What the call did: threw/rejected (with what), or returned. */
async function outcome(call: () => unknown): Promise<{ threw: true; e: unknown } | { threw: false; value: unknown }> {
  try {
    return { threw: false, value: await call() };
  } catch (e) {
    return { threw: true, e };
  }
}

/** Assert one case: it must throw an instance of `error` whose message matches `message`. */
export async function expectBadInput(c: BadInput): Promise<void> {
  const r = await outcome(c.call);
  if (!r.threw)
    throw new Error(
      `${c.name}: expected ${c.error.name} /${String(c.message)}/ but the call returned ${describe(r.value)}`,
    );
  const e = r.e as Error;
  if (!(e instanceof c.error)) {
    const got = r.e as { constructor?: { name?: string }; message?: string } | undefined;
    throw new Error(
      `${c.name}: expected ${c.error.name} but got ${got?.constructor?.name ?? typeof got}: ${got?.message ?? String(got)}`,
    );
  }
  if (typeof c.message === 'string') expect(e.message, c.name).toContain(c.message);
  else expect(e.message, c.name).toMatch(c.message);
}

function describe(v: unknown): string {
  if (v === undefined) return 'undefined';
  if (v === null || typeof v !== 'object') return String(v);
  return Object.prototype.toString.call(v);
}

/** Register one test per case and print the table's size after it ran. */
export function runCatalogue(label: string, cases: BadInput[]): void {
  const names = new Set<string>();
  for (const c of cases) {
    if (names.has(c.name)) throw new Error(`duplicate catalogue case name: ${c.name}`);
    names.add(c.name);
  }
  const ok = cases.filter((c) => !c.bug);
  const known = cases.filter((c) => c.bug);
  if (ok.length) it.each(ok.map((c) => [c.name, c] as const))('%s', async (_n, c) => expectBadInput(c), 20_000);
  if (known.length)
    it.fails.each(known.map((c) => [`${c.name} [known bug: ${c.bug}]`, c] as const))(
      '%s',
      async (_n, c) => expectBadInput(c),
      20_000,
    );
  afterAll(() => {
    console.log(
      `bad-input catalogue (${label}): ${cases.length} cases${known.length ? ` (${known.length} known bugs outside this suite's files, run as it.fails)` : ''}`,
    );
  });
}
