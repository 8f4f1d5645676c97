// README figures are printed by the build, never typed: the bundle sizes between <!-- sizes:start --> and
// <!-- sizes:end --> must be what scripts/size-report.mjs measures on this dist/ (after a change that moves
// a size: `npm run build && node scripts/size-report.mjs --readme`).
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
// @ts-expect-error — a plain .mjs script without declarations
import { END, START, sizeReport, sizesBlock } from '../../scripts/size-report.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '../..');
const built = ['index', 'formats', 'advanced', 'lowrank.min'].every((f) => existsSync(join(root, `dist/${f}.mjs`)));

describe.skipIf(!built)('README sizes', () => {
  it('the sizes block is what scripts/size-report.mjs measures on dist/ (regenerate with --readme)', async () => {
    const readme = readFileSync(join(root, 'README.md'), 'utf8');
    const a = readme.indexOf(START);
    const b = readme.indexOf(END);
    expect(a, 'README has a <!-- sizes:start --> block').toBeGreaterThanOrEqual(0);
    const block = readme.slice(a, b + END.length);
    expect(block, 'README sizes drifted: run `npm run build && node scripts/size-report.mjs --readme`').toBe(
      sizesBlock(await sizeReport()),
    );
  }, 120_000);
});
