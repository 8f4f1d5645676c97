// Browser check of the demo page with Playwright (playwright-core + the system Chromium, never a
// downloaded browser): builds and serves the demo, loads it, trains every model of the selector on the
// synthetic data with the library's defaults, compares them, clicks through fold-in, and checks
// recommendations and their explanations, the plots, a responsive page, and crossOriginIsolated.
//
//   node test/browser/demo-e2e.mjs [--screenshot docs/demo.png] [--json results.json]
//
// Exit code 0 when every check passed. Also imported by demo.e2e.test.ts (runs it inside the test suite).
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';
import { buildDemo } from '../../demo/build.mjs';
import { serve } from '../../demo/server.mjs';
import { CHROMIUM_ARGS, chromiumPath } from './chromium.mjs';
import {
  checkDefaults,
  checkEveryModel,
  checkExplanations,
  checkFoldinExtras,
  checkPlots,
  checkSelector,
  checkTitlesHint,
  checkTyped,
} from './demo-e2e-models.mjs';

/** Every check `checkDemo` makes, in order (the test suite reports one test per check). */
export const DEMO_CHECKS = [
  'server sends COOP/COEP',
  'page is crossOriginIsolated',
  'worker trains on threads (the wasm-threads backend)',
  'synthetic data loaded',
  'the model selector lists every model the package exports',
  'training finished',
  'an empty form trains with the library defaults, and the values used are shown',
  'page stayed responsive during training',
  'live loss curve: one point per iteration, decreasing',
  'loss curve drawn as SVG',
  'loss plot: both axes ticked and titled (iteration, training loss)',
  'singular-value spectrum: 30 values, descending',
  'spectrum drawn as SVG bars',
  'spectrum: axes titled, a caption saying what singular values tell',
  'recommendations for the chosen user',
  'recommendations are explained',
  'explanations: the contributing liked items with their share of the score',
  'scores on one scale: "vs #1", and the scale named',
  'user search suggests matching ids',
  'choosing another user updates the list',
  'similar items',
  'fold-in recommends 10 items for 3 ticked items',
  'fold-in never recommends a ticked item',
  'fold-in is instant (< 200 ms)',
  'ticking one more item changes the recommendations',
  'fold-in table shows the new list',
  'fold-in list scrolls: no row cut off, the last item reachable',
  'fold-in search finds items and keeps the ticks',
  'fold-in explanations name only ticked items',
  'one match reads "1 item matching"',
  'the selector trains each model',
  'comparison table: held-out precision@10 and fit time of each trained model',
  "comparison: each model's top 10 for the same user side by side",
  'choosing a trained model in the selector serves it again',
  'a bad file clears the previous results',
  'a MovieLens u.data dropped on the page loads',
  'u.item dropped with it gives titles',
  'training on the dropped file works',
  'a typed setting is passed and marked, the others stay defaults',
  'train all trains each model with its defaults, naming any whose defaults do not fit',
  'the lists show titles',
  'an items file dropped later retitles the lists (movies.dat)',
  'a Last.fm user_artists.dat chosen with the file input loads',
  'items without titles show a drop zone naming the items files',
  'a file with bad rows loads with "skip bad rows", which its error names',
  'no errors in the page',
];

/** Drop files on the drop zone with a real drop event: each { name, text } or { name, bytes: number[] }. */
async function dropFiles(page, files) {
  await page.evaluate((fs) => {
    const dt = new DataTransfer();
    for (const f of fs)
      dt.items.add(new File([f.bytes ? new Uint8Array(f.bytes) : f.text], f.name, { type: 'text/plain' }));
    document
      .getElementById('drop')
      .dispatchEvent(new DragEvent('drop', { dataTransfer: dt, bubbles: true, cancelable: true }));
  }, files);
}

/**
 * Run the demo checks. Resolves to { checks: [{ name, ok, detail }], passed, failed }. `screenshot`: a PNG
 * path to write after the fold-in step. `log`: progress lines.
 */
export async function checkDemo({ screenshot, log = () => {} } = {}) {
  const checks = [];
  const check = (name, ok, detail = '') => {
    if (!DEMO_CHECKS.includes(name)) throw new Error(`unlisted check ${name}`);
    checks.push({ name, ok: Boolean(ok), detail: String(detail) });
    log(`${ok ? 'ok  ' : 'FAIL'} ${name}${detail ? ` — ${detail}` : ''}`);
  };
  const exe = chromiumPath();
  if (!exe) throw new Error('no Chromium found (install it, e.g. apt-get install -y chromium, or set CHROMIUM_PATH)');
  await buildDemo();
  const { server, url } = await serve({ port: 0 });
  const profile = mkdtempSync(join(tmpdir(), 'lowrank-chromium-'));
  let context;
  try {
    context = await chromium.launchPersistentContext(profile, {
      executablePath: exe,
      headless: true,
      args: CHROMIUM_ARGS,
      viewport: { width: 1280, height: 1000 },
    });
    const page = context.pages()[0] ?? (await context.newPage());
    const errors = [];
    page.on('pageerror', (e) => errors.push(e.message));
    page.on('console', (m) => m.type() === 'error' && errors.push(m.text()));
    page.setDefaultTimeout(60_000);

    const response = await page.goto(url);
    const headers = response?.headers() ?? {};
    check(
      'server sends COOP/COEP',
      headers['cross-origin-opener-policy'] === 'same-origin' &&
        headers['cross-origin-embedder-policy'] === 'require-corp',
      `${headers['cross-origin-opener-policy']} / ${headers['cross-origin-embedder-policy']}`,
    );
    await page.waitForFunction(() => window.lowrankDemo?.phase === 'ready' || window.lowrankDemo?.error);
    const isolated = await page.evaluate(() => window.crossOriginIsolated);
    check('page is crossOriginIsolated', isolated === true, `crossOriginIsolated = ${isolated}`);
    check(
      'worker trains on threads (the wasm-threads backend)',
      (await page.evaluate(() => window.lowrankDemo.backend)) === 'wasm-threads',
      await page.evaluate(() => window.lowrankDemo.backend),
    );

    await page.click('#use-synthetic');
    await page.waitForFunction(() => window.lowrankDemo.phase === 'loaded' || window.lowrankDemo.phase === 'error');
    const info = await page.textContent('#data-info');
    check('synthetic data loaded', /3000 users × 2000 items/.test(info ?? ''), info);
    await checkSelector(page, check);

    const framesBefore = await page.evaluate(() => window.lowrankDemo.frames);
    const t0 = Date.now();
    await page.click('#train');
    await page.waitForFunction(
      () => window.lowrankDemo.phase === 'trained' || window.lowrankDemo.phase === 'error',
      null,
      { timeout: 120_000 },
    );
    const trainMs = Date.now() - t0;
    const s = await page.evaluate(() => ({ ...window.lowrankDemo, frames: window.lowrankDemo.frames }));
    check('training finished', s.phase === 'trained', s.error ?? `${(trainMs / 1000).toFixed(1)} s`);
    await checkDefaults(page, check);
    // requestAnimationFrame kept firing while the worker trained: the UI did not freeze.
    const frames = s.frames - framesBefore;
    check(
      'page stayed responsive during training',
      frames >= Math.min(10, trainMs / 100),
      `${frames} animation frames in ${trainMs} ms`,
    );
    const losses = s.losses ?? [];
    const planned = s.runs['implicit-als']?.planned;
    check(
      'live loss curve: one point per iteration, decreasing',
      losses.length === planned && losses.length > 1 && losses.at(-1) < losses[0],
      `${losses.length} points, ${losses[0]?.toExponential(3)} → ${losses.at(-1)?.toExponential(3)}`,
    );
    check('loss curve drawn as SVG', (await page.locator('#loss-plot polyline').count()) === 1);
    const sv = s.singularValues ?? [];
    check(
      'singular-value spectrum: 30 values, descending',
      sv.length === 30 && sv.every((v, i) => i === 0 || v <= sv[i - 1] * (1 + 1e-9)),
      `σ1 = ${sv[0]?.toFixed(2)}, σ30 = ${sv.at(-1)?.toFixed(2)}`,
    );
    check('spectrum drawn as SVG bars', (await page.locator('#spectrum-plot rect').count()) === 30);
    await checkPlots(page, check);

    const recRows = await page.locator('#recs tbody tr').count();
    check('recommendations for the chosen user', recRows === 10 && s.recs?.length === 10, `${recRows} rows`);
    const because = await page.locator('#recs tbody tr td:nth-child(5)').first().textContent();
    check('recommendations are explained', (because ?? '').trim() !== '', `because ${because}`);
    await checkExplanations(page, check);
    // User search: typing suggests ids starting with the text; Enter on an id shows that user.
    await page.fill('#user', '1');
    const suggested = await page.locator('#user-list option').evaluateAll((os) => os.map((o) => o.value));
    check(
      'user search suggests matching ids',
      suggested.length > 0 && suggested.length <= 50 && suggested.every((id) => id.startsWith('1')),
      `${suggested.length} suggestions: ${suggested.slice(0, 5).join(', ')}…`,
    );
    const before = s.recs;
    const other = await page.evaluate(() => window.lowrankDemo.userIds[5]);
    await page.fill('#user', other);
    await page.press('#user', 'Enter');
    await page.waitForFunction((prev) => JSON.stringify(window.lowrankDemo.recs) !== prev, JSON.stringify(before));
    check(
      'choosing another user updates the list',
      (await page.locator('#recs tbody tr').count()) === 10,
      `user ${other}: ${await page.textContent('#user-info')}`,
    );
    const simRows = await page.locator('#similar tbody tr').count();
    check('similar items', simRows === 10, `${simRows} rows for item ${await page.inputValue('#item')}`);

    // Fold-in: tick liked items; the list must follow the ticks without retraining.
    const boxes = page.locator('#like-list input[type=checkbox]');
    const liked = [];
    for (const i of [0, 3, 7]) {
      await boxes.nth(i).check();
      liked.push(await boxes.nth(i).inputValue());
      await page.waitForFunction((n) => window.lowrankDemo.foldin?.liked.length === n, liked.length);
    }
    const f1 = await page.evaluate(() => window.lowrankDemo.foldin);
    check(
      'fold-in recommends 10 items for 3 ticked items',
      f1.items.length === 10 && f1.liked.length === 3,
      `in ${f1.ms.toFixed(1)} ms: ${f1.items.slice(0, 5).join(', ')}…`,
    );
    check(
      'fold-in never recommends a ticked item',
      f1.items.every((id) => !liked.includes(id)),
    );
    check('fold-in is instant (< 200 ms)', f1.ms < 200, `${f1.ms.toFixed(1)} ms`);
    await boxes.nth(12).check();
    await page.waitForFunction(() => window.lowrankDemo.foldin?.liked.length === 4);
    const f2 = await page.evaluate(() => window.lowrankDemo.foldin);
    check(
      'ticking one more item changes the recommendations',
      JSON.stringify(f2.items) !== JSON.stringify(f1.items),
      `${f2.items.slice(0, 5).join(', ')}…`,
    );
    const shown = await page.locator('#foldin tbody tr td:nth-child(2)').allTextContents();
    check('fold-in table shows the new list', JSON.stringify(shown) === JSON.stringify(f2.items));

    // The fold-in list is a box of whole rows that scrolls: no row is cut at its edge, and the last
    // item can be scrolled to and ticked.
    const geom = await page.evaluate(() => {
      const list = document.getElementById('like-list');
      const box = list.getBoundingClientRect();
      const top = box.top + list.clientTop;
      const bottom = top + list.clientHeight;
      const rows = [...list.querySelectorAll('label')].map((l) => l.getBoundingClientRect());
      const cut = rows.filter((r) => r.top < bottom - 0.5 && r.bottom > bottom + 0.5).length;
      const visible = rows.filter((r) => r.top >= top - 0.5 && r.bottom <= bottom + 0.5).length;
      list.scrollTop = list.scrollHeight;
      const last = list.lastElementChild.getBoundingClientRect();
      const lastShown = last.top >= top - 0.5 && last.bottom <= bottom + 0.5;
      list.scrollTop = 0;
      return {
        overflowY: getComputedStyle(list).overflowY,
        scrolls: list.scrollHeight > list.clientHeight,
        rows: rows.length,
        visible,
        cut,
        lastShown,
      };
    });
    const lastBox = boxes.last();
    await lastBox.check();
    const lastId = await lastBox.inputValue();
    await page.waitForFunction((id) => window.lowrankDemo.foldin?.liked.includes(id), lastId);
    check(
      'fold-in list scrolls: no row cut off, the last item reachable',
      ['auto', 'scroll'].includes(geom.overflowY) &&
        geom.scrolls &&
        geom.cut === 0 &&
        geom.visible >= 5 &&
        geom.visible < geom.rows &&
        geom.lastShown,
      JSON.stringify(geom),
    );
    await page.fill('#like-search', '19');
    await page.waitForFunction(() =>
      [...document.querySelectorAll('#like-list input')].every((c) => c.value.startsWith('19')),
    );
    const found = await page.locator('#like-list input').evaluateAll((cs) => cs.map((c) => [c.value, c.checked]));
    const kept = await page.evaluate(() => window.lowrankDemo.foldin.liked.length);
    check(
      'fold-in search finds items and keeps the ticks',
      found.length > 0 && found.every(([id]) => id.startsWith('19')) && kept === 5,
      `${found.length} items for "19", ${kept} still ticked`,
    );
    await checkFoldinExtras(page, check);
    await checkEveryModel(page, check);

    if (screenshot) {
      await page.screenshot({ path: screenshot, fullPage: true });
      log(`screenshot: ${screenshot}`);
    }

    // A file that cannot be read leaves nothing of the previous data and model on the page.
    await dropFiles(page, [{ name: 'bad.csv', text: 'user,title,year,rating\n1,Heat,1995,4\n' }]);
    await page.waitForFunction(() => window.lowrankDemo.phase === 'error');
    const cleared = await page.evaluate(() => ({
      info: document.getElementById('data-info').textContent,
      recs: document.querySelectorAll('#recs tbody tr, #similar tbody tr, #foldin tbody tr').length,
      likes: document.querySelectorAll('#like-list input').length,
      plots: document.querySelectorAll('#loss-plot *, #spectrum-plot *').length,
      train: document.getElementById('train').disabled,
      data: window.lowrankDemo.data,
      trained: window.lowrankDemo.trained,
    }));
    check(
      'a bad file clears the previous results',
      /could not read bad\.csv: .*cannot tell which column holds the items/.test(cleared.info) &&
        cleared.recs === 0 &&
        cleared.likes === 0 &&
        cleared.plots === 0 &&
        cleared.train &&
        cleared.data === null &&
        !cleared.trained,
      JSON.stringify(cleared),
    );

    // Files: a MovieLens-100k-style u.data dropped on the drop zone (a real drop event with a DataTransfer),
    // then a Last.fm-style file (header, CRLF) through the file input. Generated here: no licensed data.
    const ml = [];
    for (let u = 1; u <= 60; u++)
      for (let i = 1; i <= 40; i++)
        if ((u * 7 + i * 13) % 5 === 0) ml.push(`${u}\t${i}\t${1 + ((u + i) % 5)}\t${881250000 + u * 100 + i}`);
    // u.item as published: pipe-separated, ISO-8859-1 ("Café" is one byte 0xE9 there).
    const uitem =
      Array.from(
        { length: 40 },
        (_, k) =>
          `${k + 1}|${k === 0 ? 'Café Society' : `Film ${k + 1}`} (1995)|01-Jan-1995||http://example.org/${k + 1}|0|1|0`,
      ).join('\n') + '\n';
    await dropFiles(page, [
      { name: 'u.data', text: ml.join('\n') + '\n' },
      { name: 'u.item', bytes: Array.from(uitem, (ch) => ch.charCodeAt(0)) },
    ]);
    await page.waitForFunction(
      () => /u\.data/.test(document.getElementById('data-info').textContent) && window.lowrankDemo.phase !== 'loading',
    );
    const mlInfo = await page.textContent('#data-info');
    check(
      'a MovieLens u.data dropped on the page loads',
      /u\.data \(movielens-100k\) — 60 users × 40 items, 480 interactions/.test(mlInfo ?? ''),
      mlInfo,
    );
    check('u.item dropped with it gives titles', /titles for 40 items from u\.item/.test(mlInfo ?? ''), mlInfo);
    await page.fill('#factors', '4');
    await page.click('#train');
    await page.waitForFunction(() => window.lowrankDemo.phase === 'trained' || window.lowrankDemo.phase === 'error');
    const ml2 = await page.evaluate(() => ({
      phase: window.lowrankDemo.phase,
      recs: window.lowrankDemo.recs,
      sv: window.lowrankDemo.singularValues.length,
    }));
    check(
      'training on the dropped file works',
      ml2.phase === 'trained' && ml2.recs?.length === 10 && ml2.sv === 30,
      JSON.stringify(ml2),
    );
    const titled = await page.evaluate(() => ({
      recs: [...document.querySelectorAll('#recs tbody td:nth-child(2)')].map((td) => td.textContent),
      likes: [...document.querySelectorAll('#like-list label span')].map((x) => x.textContent),
    }));
    check(
      'the lists show titles',
      titled.recs.length === 10 &&
        titled.recs.every((t) => /^(Film \d+|Café Society) \(1995\)$/.test(t)) &&
        titled.likes.includes('Café Society (1995)'),
      `${titled.recs.slice(0, 3).join(' | ')} … likes: ${titled.likes.slice(0, 3).join(' | ')}`,
    );
    const hintWithTitles = await page.evaluate(() => !document.getElementById('titles-hint').hidden);
    await checkTyped(page, check);
    const dat = Array.from({ length: 40 }, (_, k) => `${k + 1}::Movie ${k + 1} (2001)::Drama`).join('\n') + '\n';
    await dropFiles(page, [{ name: 'movies.dat', text: dat }]);
    await page.waitForFunction(
      () =>
        /movies\.dat/.test(document.getElementById('data-info').textContent) &&
        /^Movie /.test(document.querySelector('#recs tbody td:nth-child(2)')?.textContent ?? ''),
    );
    const retitled = await page.locator('#recs tbody td:nth-child(2)').allTextContents();
    check(
      'an items file dropped later retitles the lists (movies.dat)',
      retitled.length === 10 && retitled.every((t) => /^Movie \d+ \(2001\)$/.test(t)),
      retitled.slice(0, 3).join(' | '),
    );
    const lf = ['userID\tartistID\tweight', '2\t51\t13883', '2\t52\t11690', '3\t51\t228', '4\t53\t741', ''].join(
      '\r\n',
    );
    await page.setInputFiles('#file', { name: 'user_artists.dat', mimeType: 'text/plain', buffer: Buffer.from(lf) });
    await page.waitForFunction(
      () =>
        /user_artists/.test(document.getElementById('data-info').textContent) && window.lowrankDemo.phase !== 'loading',
    );
    const lfInfo = await page.textContent('#data-info');
    check(
      'a Last.fm user_artists.dat chosen with the file input loads',
      /user_artists\.dat \(lastfm-2k\) — 3 users × 3 items, 4 interactions/.test(lfInfo ?? ''),
      lfInfo,
    );
    await checkTitlesHint(page, check, hintWithTitles);

    // A file with a bad row (a missing field): the message says to tick "skip bad rows"; ticked, it loads and
    // the page says what was not read.
    const bad = ['user,item,rating', '1,10,4', '2,11', '3,12,5', '4,10,2', ''].join('\n');
    await page.setInputFiles('#file', { name: 'bad-rows.csv', mimeType: 'text/plain', buffer: Buffer.from(bad) });
    await page.waitForFunction(() => window.lowrankDemo.phase === 'error');
    const refusedInfo = await page.textContent('#data-info');
    await page.check('#skip-bad-rows');
    await page.setInputFiles('#file', { name: 'bad-rows2.csv', mimeType: 'text/plain', buffer: Buffer.from(bad) });
    await page.waitForFunction(
      () => /bad-rows2/.test(document.getElementById('data-info').textContent) && window.lowrankDemo.phase === 'loaded',
    );
    const skippedInfo = await page.textContent('#data-info');
    check(
      'a file with bad rows loads with "skip bad rows", which its error names',
      /could not read bad-rows\.csv: .*line 3.*missing field.*tick "skip bad rows"/.test(refusedInfo ?? '') &&
        /3 users × 2 items, 3 interactions · rows not read: 1 missing field/.test(skippedInfo ?? ''),
      `${refusedInfo} || ${skippedInfo}`,
    );

    check('no errors in the page', errors.length === 0, errors.join(' | '));
  } finally {
    await context?.close().catch(() => {});
    server.close();
    rmSync(profile, { recursive: true, force: true });
  }
  const failed = checks.filter((c) => !c.ok).length;
  return { checks, passed: checks.length - failed, failed };
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const arg = (name) => {
    const i = process.argv.indexOf(name);
    return i > 0 ? process.argv[i + 1] : undefined;
  };
  const out = arg('--json');
  let result;
  try {
    result = await checkDemo({ screenshot: arg('--screenshot'), log: (l) => console.log(l) });
  } catch (e) {
    console.error(`demo check failed to run: ${e.message}`);
    result = { checks: [], passed: 0, failed: 1, error: e.message };
  }
  console.log(`demo e2e: ${result.passed} passed, ${result.failed} failed`);
  if (out) writeFileSync(out, JSON.stringify(result, null, 2));
  process.exitCode = result.failed === 0 ? 0 : 1;
}
