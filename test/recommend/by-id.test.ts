// The by-id twins and fold-in, on a real ImplicitALS fitted from Interactions whose item ids are numbers that
// are not the indices (as MovieLens ids are): every …ById call equals its index-based call with the ids
// mapped by hand (the oracle), fold-in by id equals recalculateUser + scoring, and passing ids where indices
// are expected is an error that names the by-id call, never a silent answer for other items.
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { init } from '../../src/runtime/backend.js';
import { Interactions } from '../../src/data/interactions.js';
import { ImplicitALS } from '../../src/models/als/implicit.js';
import { ValidationError } from '../../src/errors.js';
import { rng } from './fixture-model.js';

let model: ImplicitALS;
let data: Interactions;

beforeAll(async () => {
  await init({ backend: 'wasm', threads: 1 });
  const rand = rng(11);
  const rows: [string, number, number][] = [];
  // Users 'u0'…'u29', items 1001…1040 (ids never in [0, 40)), about a third of the pairs seen.
  for (let u = 0; u < 30; u++)
    for (let i = 0; i < 40; i++) if (rand() < 0.35) rows.push([`u${u}`, 1001 + i, 1 + Math.floor(rand() * 5)]);
  data = Interactions.fromRows(rows);
  model = await new ImplicitALS({ factors: 6, iterations: 4, seed: 3 }).fit(data);
});
afterAll(() => model.dispose());

const ids = (indices: ArrayLike<number>) => Array.from(indices, (i) => data.items.id(i));

describe('by-id serving', () => {
  it('recommendBatchById is recommendById for each user, in order', () => {
    const users = ['u3', 'u0', 'u17'];
    const batch = model.recommendBatchById(users, { n: 5, filterItems: [1002, 'unknown'] });
    expect(batch).toHaveLength(3);
    users.forEach((u, r) => {
      const one = model.recommendById(u, { n: 5, filterItems: [1002] });
      expect(batch[r].ids).toEqual(one.ids);
      expect(Array.from(batch[r].scores)).toEqual(Array.from(one.scores));
    });
    expect(() => model.recommendBatchById(['u1', 'nobody'])).toThrow(/recommendBatchById: unknown user id "nobody"/);
  });

  it('similarUsersById takes and returns user ids; filterUsers / users are user ids', () => {
    const u = data.users.index('u4');
    const byIndex = model.similarUsers(u, { n: 4, filterUsers: [u] });
    const byId = model.similarUsersById('u4', { n: 4, filterUsers: ['u4'] });
    expect(Array.from(byId.items)).toEqual(Array.from(byIndex.items));
    expect(byId.ids).toEqual(Array.from(byIndex.items, (i) => data.users.id(i)));
    const among = ['u1', 'u2', 'u4', 'u9'];
    expect(model.similarUsersById('u4', { n: 2, users: among }).ids.every((x) => among.includes(x as string))).toBe(
      true,
    );
    expect(() => model.similarUsersById('u4', { users: ['zz'] })).toThrow(/unknown user id "zz"/);
  });

  it('explainById is explain with the ids mapped, contributions by item id', () => {
    const item = model.recommendById('u5', { n: 1 }).ids[0];
    const byId = model.explainById('u5', item, { n: 3 });
    const byIndex = model.explain(data.users.index('u5'), data.items.index(item), { n: 3 });
    expect(byId.score).toBe(byIndex.score);
    expect(byId.contributions.ids).toEqual(ids(byIndex.contributions.items));
    expect(() => model.explainById('u5', 99999)).toThrow(/explainById: unknown item id 99999/);
  });
});

describe('fold-in of a new user', () => {
  const likedIds = [1003, 1010, 1024];

  it('recommendForItemsById = recommendForItems = scoring recalculateUser’s factors (the oracle)', () => {
    const indices = likedIds.map((id) => data.items.index(id));
    const byId = model.recommendForItemsById(likedIds, { n: 6 });
    const byIndex = model.recommendForItems({ indices }, { n: 6 });
    expect(Array.from(byId.items)).toEqual(Array.from(byIndex.items));
    expect(byId.ids).toEqual(ids(byIndex.items));
    // Oracle: x = recalculateUser(items); score every other item by x·y_i, best first.
    const x = model.recalculateUser({ indices });
    const Y = model.itemFactors;
    const k = model.options.factors as number;
    const scores = Array.from({ length: model.itemCount }, (_, i) => {
      let s = 0;
      for (let c = 0; c < k; c++) s += x[c] * Y[i * k + c];
      return s;
    });
    const want = scores
      .map((s, i) => [s, i] as const)
      .filter(([, i]) => !indices.includes(i))
      .sort((a, b) => b[0] - a[0] || a[1] - b[1])
      .slice(0, 6);
    expect(Array.from(byIndex.items)).toEqual(want.map(([, i]) => i));
    byIndex.scores.forEach((s, j) => {
      expect(s).toBeCloseTo(want[j][0], 4);
    });
    // The old spelling gives the same answer.
    expect(model.recommend(0, { userItems: { indices }, recalculateUser: true, n: 6 })).toEqual(byIndex);
  });

  it('takes strengths ({ ids, values }) and the filters by id', () => {
    const values = [5, 1, 2];
    const a = model.recommendForItemsById({ ids: likedIds, values }, { n: 4, filterItems: [1001] });
    const b = model.recommendForItems(
      { indices: likedIds.map((id) => data.items.index(id)), values },
      { n: 4, filterItems: [data.items.index(1001)] },
    );
    expect(Array.from(a.items)).toEqual(Array.from(b.items));
    expect(a.ids).not.toContain(1001);
    const kept = model.recommendForItemsById(likedIds, { n: 40, filterAlreadyLiked: false });
    expect(kept.ids).toEqual(expect.arrayContaining(likedIds));
  });

  it('ids where indices are expected are an error naming recommendForItemsById, not other items’ neighbours', () => {
    // A bare list could be ids: the index-based call wants { indices }.
    expect(() => model.recommendForItems(likedIds as never)).toThrow(ValidationError);
    expect(() => model.recommendForItems(likedIds as never)).toThrow(/item ids go to recommendForItemsById/);
    // Ids passed as indices are out of range here (ids 1001…, 40 items).
    expect(() => model.recommendForItems({ indices: likedIds })).toThrow(
      /userItems\.indices\[0\] = 1003 is not an item index in \[0, 40\); item ids go to recommendForItemsById/,
    );
    expect(() => model.recommendForItemsById([1003, 7])).toThrow(/recommendForItemsById: unknown item id 7/);
    expect(() => model.recommendForItemsById({ ids: likedIds, values: [1] })).toThrow(/one value per id/);
    expect(() => model.recommendForItemsById('1003' as never)).toThrow(/expected item ids/);
    expect(() => model.recommendForItems({ indices: [1] }, { recalculateUser: true } as never)).toThrow(
      /unknown option "recalculateUser"/,
    );
  });
});

describe('renamed calls', () => {
  it('keep working for one release and warn once, naming the new call', () => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {});
    try {
      expect(model.recommendFor('u2', { n: 3 })).toEqual(model.recommendById('u2', { n: 3 }));
      expect(model.recommendFor('u2', { n: 3 })).toEqual(model.recommendById('u2', { n: 3 }));
      expect(model.similarTo(1004, { n: 3 })).toEqual(model.similarItemsById(1004, { n: 3 }));
      expect(model.similarUsers(1, { n: 3, filterItems: [1] })).toEqual(
        model.similarUsers(1, { n: 3, filterUsers: [1] }),
      );
      const u = data.users.index('u2');
      expect(model.recommend(u, { n: 3, userItems: data.matrix })).toEqual(
        model.recommend(u, { n: 3, interactions: data.matrix }),
      );
      expect(model.explain(u, 0, undefined, 2)).toEqual(model.explain(u, 0, { n: 2 }));
      const messages = warn.mock.calls.map((c) => String(c[0]));
      expect(messages).toEqual([
        'lowrank: ImplicitALS.recommendFor is deprecated and will be removed in the next release; use recommendById',
        'lowrank: ImplicitALS.similarTo is deprecated and will be removed in the next release; use similarItemsById',
        'lowrank: similarUsers({ filterItems, items }) is deprecated and will be removed in the next release; use similarUsers({ filterUsers, users })',
        'lowrank: recommend({ userItems: <SparseMatrix> }) is deprecated and will be removed in the next release; use { interactions: <SparseMatrix> }',
        'lowrank: ImplicitALS.explain(user, item, userItems, n) is deprecated and will be removed in the next release; use explain(user, item, { userItems | interactions, n })',
      ]);
    } finally {
      warn.mockRestore();
    }
  });
});
