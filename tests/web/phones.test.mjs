// Phones and narrow windows (issue 23 item 1): at 390 and 768 px no view
// scrolls sideways (document.scrollingElement.scrollWidth <= innerWidth) —
// landing, overview, participants, a participant, issues, sender vs receiver,
// errors, settings on the sample session; a participant read from a browser
// dump (its data source and peer connections); the Fleet view of generated
// tables. The header is one line with a Menu button that opens the tabs, by
// keyboard too. Full-page screenshots of every view at 390, 768 and 1440 px:
// build/screenshots/phones-<view>-<width>.png.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { BUILD, ROOT, SAMPLE_DIR, analyzeWithPicker, checkWatch, dropFiles, listFiles, openPage, screenshot, scrollThrough, startSiteAndBrowser, stopSiteAndBrowser } from './helpers.mjs';

const WIDTHS = [390, 768, 1440];
const HEIGHT = { 390: 844, 768: 1024, 1440: 900 };
const AISHA = '51a70ea1-9679-4e20-8ffb-6f3dc3f1ba43';
const TABLES = ['sessions', 'participants', 'issues', 'breaches', 'errors'];

let srv;
let browser;
let work;

before(async () => {
  ({ srv, browser } = await startSiteAndBrowser());
  work = await fs.mkdtemp(path.join(os.tmpdir(), 'callsight-web-phones-'));
});
after(async () => {
  await stopSiteAndBrowser(srv, browser);
  if (work) await fs.rm(work, { recursive: true, force: true });
});

const frames = (page) => page.evaluate(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r))));
const waitView = (page, v) => page.waitForFunction((x) => document.body.dataset.view === x, v);

// How far the page scrolls sideways, and the widest elements when it does (to name them in a failure).
async function overflow(page) {
  return page.evaluate(() => {
    const doc = document.scrollingElement;
    const wide = [];
    if (doc.scrollWidth > window.innerWidth) {
      for (const el of document.body.querySelectorAll('*')) {
        const r = el.getBoundingClientRect();
        if (r.right > window.innerWidth + 1 && r.width > 0) wide.push(`${el.tagName.toLowerCase()}.${[...el.classList].join('.')} right=${Math.round(r.right)}`);
      }
    }
    return { scrollWidth: doc.scrollWidth, innerWidth: window.innerWidth, wide: wide.slice(0, 8) };
  });
}

// At each width: no sideways scrolling at 390 and 768 px, and a full-page screenshot.
async function checkWidths(page, name, { prepare = async () => {} } = {}) {
  for (const width of WIDTHS) {
    await page.setViewportSize({ width, height: HEIGHT[width] });
    await frames(page);
    await prepare(width);
    await scrollThrough(page);
    await frames(page);
    const o = await overflow(page);
    if (width <= 768) assert.ok(o.scrollWidth <= o.innerWidth, `${name} at ${width} px scrolls sideways: ${o.scrollWidth} > ${o.innerWidth} (${o.wide.join(', ')})`);
    if (width <= 768) {
      const bar = await page.$eval('header.topbar', (el) => el.getBoundingClientRect().height);
      assert.ok(bar < 60, `${name} at ${width} px: the header is one line (${bar} px high)`);
    }
    await screenshot(page, `phones-${name}-${width}`, { fullPage: true });
  }
}

describe('phones: no view scrolls sideways', () => {
  it('the sample session: every view at 390, 768 and 1440 px', async () => {
    const { page, watch, context } = await openPage(browser, srv.base, { viewport: { width: 390, height: 844 } });
    await page.goto(srv.base);
    await page.waitForSelector('#try-sample');
    await checkWidths(page, 'landing');
    await page.setViewportSize({ width: 390, height: 844 });
    await analyzeWithPicker(page, await listFiles(SAMPLE_DIR));

    // One line of header on a phone: the brand, the view's name and a Menu button.
    const header = await page.$eval('header.topbar', (el) => el.getBoundingClientRect().height);
    assert.ok(header < 60, `the header is one line at 390 px (${header} px high)`);
    assert.equal(await page.locator('nav.tabs').isVisible(), false, 'the tabs are folded into the menu');
    // The menu opens and closes by keyboard: Enter opens it, a tab is reachable, Escape closes it.
    await page.focus('.menu-button');
    await page.keyboard.press('Enter');
    assert.equal(await page.getAttribute('.menu-button', 'aria-expanded'), 'true');
    assert.ok(await page.locator('.tab[data-view="issues"]').isVisible());
    await page.keyboard.press('Tab');
    assert.equal(await page.evaluate(() => document.activeElement?.dataset.view), 'overview', 'Tab goes from the Menu button to the first tab');
    await page.keyboard.press('Escape');
    assert.equal(await page.getAttribute('.menu-button', 'aria-expanded'), 'false');
    assert.equal(await page.evaluate(() => document.activeElement?.className), 'menu-button', 'Escape gives the focus back to the button');
    // Choosing a tab in the menu shows the view and folds the menu.
    await page.click('.menu-button');
    await page.click('.tab[data-view="issues"]');
    await waitView(page, 'issues');
    assert.equal(await page.getAttribute('.menu-button', 'aria-expanded'), 'false');
    assert.equal(await page.textContent('.current-view'), 'Issues', 'the header names the view');
    // The timeline shows fewer time labels on a phone than on a wide screen.
    await page.evaluate(() => (location.hash = '#/overview'));
    await waitView(page, 'overview');
    const ticksShown = () => page.$$eval('.tl-tick', (els) => els.filter((e) => e.offsetParent !== null).length);
    const phoneTicks = await ticksShown();
    await page.setViewportSize({ width: 1440, height: 900 });
    const wideTicks = await ticksShown();
    assert.ok(phoneTicks >= 2 && phoneTicks < wideTicks, `time labels: ${phoneTicks} at 390 px, ${wideTicks} at 1440 px`);
    // No two visible time labels overlap at 390 px.
    await page.setViewportSize({ width: 390, height: 844 });
    const boxes = await page.$$eval('.tl-tick', (els) => els.filter((e) => e.offsetParent !== null).map((e) => e.getBoundingClientRect()).map((r) => [r.left, r.right]));
    for (let k = 1; k < boxes.length; k++) assert.ok(boxes[k][0] >= boxes[k - 1][1], `time labels ${k - 1} and ${k} overlap`);

    const views = [
      ['overview', '#/overview', 'overview'],
      ['participants', '#/peers', 'peers'],
      ['participant', `#/peer/${AISHA}`, 'peer'],
      ['issues', '#/issues', 'issues'],
      ['compare', '#/compare', 'compare'],
      ['errors', '#/errors', 'errors'],
      ['settings', '#/settings', 'settings'],
    ];
    for (const [name, hash, view] of views) {
      await page.setViewportSize({ width: 390, height: 844 });
      await page.evaluate((x) => (location.hash = x), hash);
      await waitView(page, view);
      await page.waitForSelector(`.view.${view}`);
      await checkWidths(page, name);
    }
    checkWatch(assert, watch);
    await context.close();
  });

  it('a participant read from a browser dump: data source and peer connections', async () => {
    const { page, watch, context } = await openPage(browser, srv.base, { viewport: { width: 390, height: 844 } });
    await page.goto(srv.base);
    await page.waitForSelector('#try-sample');
    const bytes = [...(await fs.readFile(path.join(ROOT, 'tests', 'data', 'dumps', 'bandwidth', 'webrtc-internals.json.gz')))];
    await dropFiles(page, [{ name: 'webrtc-internals.json.gz', bytes }]);
    await checkWidths(page, 'dump-overview');
    await page.locator('.overview a[href^="#/peer/"]').first().click();
    await page.waitForSelector('.view.peer table.connections');
    await checkWidths(page, 'connections');
    checkWatch(assert, watch);
    await context.close();
  });

  it('the Fleet view of generated tables', async () => {
    const dir = path.join(work, 'fleet');
    const gen = spawnSync(process.execPath, [path.join(ROOT, 'scripts/gen/fleet.mjs'), '--sessions', '40', '--seed', '7', '--out', dir], { encoding: 'utf8' });
    assert.equal(gen.status, 0, gen.stderr);
    const tables = path.join(work, 'tables');
    const cli = spawnSync(path.join(BUILD, 'native', 'callsight'), ['analyze', '--tables', tables, path.join(dir, 'sessions')], { encoding: 'utf8', maxBuffer: 1 << 28 });
    assert.equal(cli.status, 0, cli.stderr);
    const { page, watch, context } = await openPage(browser, srv.base, { viewport: { width: 390, height: 844 } });
    await page.goto(srv.base);
    await page.waitForSelector('#try-sample');
    const files = await Promise.all(TABLES.map(async (t) => ({ name: `${t}.ndjson`, text: await fs.readFile(path.join(tables, `${t}.ndjson`), 'utf8') })));
    await page.evaluate((list) => {
      const dt = new DataTransfer();
      for (const f of list) dt.items.add(new File([f.text], f.name));
      for (const type of ['dragenter', 'dragover', 'drop']) document.body.dispatchEvent(new DragEvent(type, { bubbles: true, cancelable: true, dataTransfer: dt }));
    }, files);
    await page.waitForSelector('.view.fleet', { timeout: 60000 });
    await page.waitForSelector('#fleet-trend .uplot');
    await checkWidths(page, 'fleet');
    checkWatch(assert, watch);
    await context.close();
  });
});
