// The demo checks of the model selector, the side-by-side comparison, the library's defaults, the plots'
// axes and captions, explanations and score scales, plurals and the items-file hint. Each function takes
// the Playwright page and demo-e2e.mjs's `check(name, ok, detail)`.

/** Every model the package exports today, by the selector's keys. */
export const EXPECTED_MODELS = ['implicit-als', 'als', 'puresvd', 'bpr', 'lmf'];

const waitTrained = (page) =>
  page.waitForFunction(() => window.lowrankDemo.phase === 'trained' || window.lowrankDemo.phase === 'error', null, {
    timeout: 120_000,
  });

export async function checkSelector(page, check) {
  const keys = await page.locator('#model option').evaluateAll((os) => os.map((o) => o.value));
  const fields = await page
    .locator('#params input, #params select')
    .evaluateAll((xs) => xs.map((x) => ({ id: x.id, value: x.value, placeholder: x.placeholder ?? '' })));
  check(
    'the model selector lists every model the package exports',
    EXPECTED_MODELS.every((k) => keys.includes(k)) && fields.length > 0 && fields.every((f) => f.value === ''),
    `${keys.join(', ')}; ImplicitALS fields ${fields.map((f) => `${f.id}=${f.value || `(${f.placeholder})`}`).join(' ')}`,
  );
}

/** After training ImplicitALS with an untouched form. */
export async function checkDefaults(page, check) {
  const s = await page.evaluate(() => ({
    passed: window.lowrankDemo.passed,
    used: window.lowrankDemo.used,
    defaults: window.lowrankDemo.models[0].defaults,
    info: document.getElementById('train-info').textContent,
  }));
  // Every default the library states as a number before the fit is the value used; 'auto' ones are derived.
  const same = Object.entries(s.defaults).every(([key, d]) => typeof d !== 'number' || s.used[key] === d);
  const shown = Object.entries(s.used).every(
    ([, v]) => typeof v !== 'number' || s.info.includes(String(+v.toPrecision(4))),
  );
  check(
    'an empty form trains with the library defaults, and the values used are shown',
    Object.keys(s.passed).length === 0 && same && shown && /the library's defaults/.test(s.info),
    `passed ${JSON.stringify(s.passed)}; used ${JSON.stringify(s.used)}; "${s.info}"`,
  );
}

export async function checkPlots(page, check) {
  const p = await page.evaluate(() => {
    const texts = (sel) => [...document.querySelectorAll(sel)].map((t) => t.textContent);
    return {
      lossTitles: texts('#loss-plot text.title'),
      lossX: texts('#loss-plot text.tick.x'),
      lossY: texts('#loss-plot text.tick.y'),
      specTitles: texts('#spectrum-plot text.title'),
      specY: texts('#spectrum-plot text.tick.y'),
      caption: document.getElementById('spectrum-caption').textContent,
    };
  });
  check(
    'loss plot: both axes ticked and titled (iteration, training loss)',
    p.lossTitles.some((t) => /^iteration/.test(t)) &&
      p.lossTitles.includes('training loss') &&
      p.lossX.length >= 3 &&
      p.lossY.length >= 3 &&
      p.lossX.every((t) => Number.isInteger(Number(t))),
    `titles ${p.lossTitles.join(' | ')}; x ticks ${p.lossX.join(' ')}; y ticks ${p.lossY.join(' ')}`,
  );
  check(
    'spectrum: axes titled, a caption saying what singular values tell',
    p.specTitles.length === 2 && p.specY.length >= 3 && /singular value/i.test(p.caption) && /\d+\s%/.test(p.caption),
    `${p.specTitles.join(' | ')}; "${p.caption.slice(0, 160)}…"`,
  );
}

/** "name 42 % · other 18 %" → [{ name, share }]. */
const parseBecause = (text) =>
  text
    .split(' · ')
    .filter(Boolean)
    .map((part) => {
      const m = /^(.*)\s(-?\d+)\s%$/.exec(part);
      return m ? { name: m[1], share: Number(m[2]) } : { name: part, share: Number.NaN };
    });

export async function checkExplanations(page, check) {
  const rows = await page.evaluate(() =>
    [...document.querySelectorAll('#recs tbody tr')].map((tr) => ({
      because: tr.cells[4].textContent,
      tip: tr.cells[4].title,
      rel: tr.cells[3].textContent,
    })),
  );
  const parsed = rows.map((r) => parseBecause(r.because));
  check(
    'explanations: the contributing liked items with their share of the score',
    rows.length === 10 &&
      parsed.every(
        (p) => p.length >= 1 && p.length <= 3 && p.every((b) => b.name !== '' && Number.isFinite(b.share)),
      ) &&
      rows.every((r) => /sum of one contribution per liked item/.test(r.tip)),
    `${rows[0]?.because} (${rows[0]?.tip})`,
  );
  const scale = await page.textContent('#recs-scale');
  check(
    'scores on one scale: "vs #1", and the scale named',
    /^100\s%$/.test(rows[0]?.rel ?? '') &&
      rows.every((r, i) => i === 0 || Number.parseInt(r.rel, 10) <= Number.parseInt(rows[i - 1].rel, 10)) &&
      /vs #1/.test(scale ?? '') &&
      /preference/.test(scale ?? ''),
    `${rows.map((r) => r.rel).join(', ')}; "${scale}"`,
  );
}

/** After the fold-in search step (ticks kept, search box cleared). */
export async function checkFoldinExtras(page, check) {
  await page.fill('#like-search', '');
  await page.waitForFunction(() => document.querySelectorAll('#like-list input').length > 100);
  const f = await page.evaluate(() => ({
    liked: window.lowrankDemo.foldin.liked,
    because: [...document.querySelectorAll('#foldin tbody tr')].map((tr) => tr.cells[4].textContent),
    rel: document.querySelector('#foldin tbody tr td:nth-child(4)')?.textContent,
    scale: document.getElementById('foldin-scale').textContent,
  }));
  const names = f.because.flatMap((b) => parseBecause(b).map((x) => x.name));
  check(
    'fold-in explanations name only ticked items',
    names.length > 0 &&
      names.every((n) => f.liked.includes(n)) &&
      /^100\s%$/.test(f.rel ?? '') &&
      /smaller/.test(f.scale),
    `${f.because[0]}; ticked ${f.liked.join(', ')}`,
  );
  // A query that only one item matches: the longest id of the popular list, typed in full.
  const id = await page.evaluate(() => {
    const ids = window.lowrankDemo.popularItems.map((x) => x.id);
    const width = Math.max(...ids.map((x) => x.length));
    return ids.find((x) => x.length === width);
  });
  await page.fill('#like-search', id);
  await page.waitForFunction(() => document.querySelectorAll('#like-list input').length === 1);
  const info = await page.textContent('#like-info');
  check('one match reads "1 item matching"', /^1 item matching$/.test(info ?? ''), `"${id}": ${info}`);
  await page.fill('#like-search', '');
}

/** Train each model of the selector (other than the one trained first), then compare them. */
export async function checkEveryModel(page, check) {
  const keys = await page.locator('#model option').evaluateAll((os) => os.map((o) => o.value));
  const results = [];
  for (const key of keys.slice(1)) {
    await page.selectOption('#model', key);
    await page.click('#train');
    await waitTrained(page);
    const r = await page.evaluate(() => ({
      phase: window.lowrankDemo.phase,
      error: window.lowrankDemo.error,
      recs: document.querySelectorAll('#recs tbody tr').length,
      info: document.getElementById('train-info').textContent,
    }));
    results.push({ key, ...r });
  }
  check(
    'the selector trains each model',
    results.length === keys.length - 1 && results.every((r) => r.phase === 'trained' && r.recs === 10),
    results.map((r) => `${r.key}: ${r.phase === 'trained' ? r.info.split(' · ')[0] : r.error}`).join(' | '),
  );
  const table = await page.evaluate(() =>
    [...document.querySelectorAll('#models tbody tr')].map((tr) => [...tr.cells].map((c) => c.textContent)),
  );
  const p10 = table.map((r) => Number(r[3]));
  check(
    'comparison table: held-out precision@10 and fit time of each trained model',
    table.length === keys.length &&
      table.every((r) => /^\d+\.\d\d s/.test(r[2])) &&
      p10.every((p) => p >= 0 && p <= 1) &&
      Math.max(...p10) > 0.05,
    table.map((r) => `${r[0]}: p@10 ${r[3]}, ${r[2]}`).join(' | '),
  );
  const cmp = await page.evaluate(() => ({
    head: [...document.querySelectorAll('#compare thead th')].map((th) => th.textContent),
    rows: [...document.querySelectorAll('#compare tbody tr')].map((tr) => [...tr.cells].map((c) => c.textContent)),
    byModel: window.lowrankDemo.compare,
    info: document.getElementById('compare-info').textContent,
  }));
  check(
    "comparison: each model's top 10 for the same user side by side",
    cmp.head.length === keys.length + 1 &&
      cmp.rows.length === 10 &&
      cmp.rows.every((r) => r.length === keys.length + 1 && r.every((c) => c !== '')) &&
      keys.every((k) => cmp.byModel?.[k]?.length === 10),
    `${cmp.head.join(' | ')} — ${cmp.info}`,
  );
  await page.selectOption('#model', keys[0]);
  await page.waitForFunction(
    (k) => JSON.stringify(window.lowrankDemo.recs) === JSON.stringify(window.lowrankDemo.compare?.[k]),
    keys[0],
  );
  const back = await page.evaluate(() => ({
    info: document.getElementById('train-info').textContent,
    current: document.querySelector('#models td.current')?.textContent,
  }));
  check(
    'choosing a trained model in the selector serves it again',
    back.current === 'ImplicitALS' && /^ImplicitALS trained/.test(back.info),
    `${back.current}: ${back.info}`,
  );
}

/** After training on the dropped u.data with factors 4 typed in. */
export async function checkTyped(page, check) {
  const s = await page.evaluate(() => ({
    passed: window.lowrankDemo.passed,
    used: window.lowrankDemo.used,
    info: document.getElementById('train-info').textContent,
  }));
  check(
    'a typed setting is passed and marked, the others stay defaults',
    JSON.stringify(s.passed) === '{"factors":4}' && s.used.factors === 4 && /factors 4\*/.test(s.info),
    s.info,
  );
  await page.click('#train-all'); // sets trainingAll before its first await
  await page.waitForFunction(() => window.lowrankDemo.trainingAll === false, null, { timeout: 120_000 });
  const rows = await page.locator('#models tbody tr td:first-child').allTextContents();
  const info = (await page.textContent('#train-info')) ?? '';
  // A model whose defaults do not fit 60 × 40 data (PureSVD's 50 factors > 40 items) is named with the reason.
  const labels = await page.locator('#model option').evaluateAll((os) => os.map((o) => o.textContent.split(' — ')[0]));
  const missing = labels.length - rows.length;
  const named = labels.filter((l) => !rows.includes(l)).every((l) => info.includes(`${l}: `));
  check(
    'train all trains each model with its defaults, naming any whose defaults do not fit',
    missing <= 1 && (missing === 0 || (named && /not trained/.test(info))),
    `${rows.join(', ')}${missing ? ` — ${info}` : ''}`,
  );
}

/** `withTitles`: the hint's visibility when u.item came with u.data. */
export async function checkTitlesHint(page, check, withTitles) {
  const h = await page.evaluate(() => {
    const e = document.getElementById('titles-hint');
    return { visible: !e.hidden && e.getBoundingClientRect().height > 0, text: e.textContent };
  });
  check(
    'items without titles show a drop zone naming the items files',
    h.visible && !withTitles && /u\.item/.test(h.text) && /artists\.dat/.test(h.text) && /movies\.csv/.test(h.text),
    `shown with u.item: ${withTitles}; without: ${h.visible} — ${h.text.replace(/\s+/g, ' ').trim()}`,
  );
}
