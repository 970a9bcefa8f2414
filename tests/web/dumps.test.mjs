// Browser stats dumps dropped on the page (issue 21): the landing page names
// them; the overview shows what the recorded dumps hold (a freeze, a sender
// limited by bandwidth); the participant view shows where its data came from,
// its peer connections with masked addresses and the switch that shows them,
// and the sent video's resolution and quality-limitation bands.
import assert from 'node:assert/strict';
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { ROOT, checkWatch, dropFiles, openPage, screenshot, scrollThrough, startSiteAndBrowser, stopSiteAndBrowser } from './helpers.mjs';

const DUMPS = path.join(ROOT, 'tests', 'data', 'dumps');

let srv;
let browser;
before(async () => ({ srv, browser } = await startSiteAndBrowser()));
after(() => stopSiteAndBrowser(srv, browser));

/** Drops recorded dumps (as downloaded: gzip) on the page and waits for the
 * overview; `fresh`: on a newly loaded page, else on the page as it is. */
async function dropDump(page, scenario, { files = ['webrtc-internals.json.gz'], fresh = true } = {}) {
  const list = await Promise.all(files.map(async (f) => ({ name: path.basename(f), bytes: [...(await fs.readFile(path.join(DUMPS, scenario, f)))] })));
  if (fresh) {
    await page.goto(srv.base);
    await page.waitForSelector('#try-sample');
  }
  await dropFiles(page, list);
}

/** Opens the participant view of the dump's browser from the overview's link. */
async function openParticipant(page) {
  await page.locator('.overview a[href^="#/peer/"]').first().click();
  await page.waitForSelector('.view.peer');
}

// Masked as the report masks them: the last IPv4 octet, IPv6 groups after the third.
const MASKED = /^(\d+\.\d+\.\d+\.x|[0-9a-f]+:[0-9a-f]+:[0-9a-f]+(:x)+)$/i;

async function addressCells(page) {
  return (await page.locator('table.connections td.address').allTextContents()).map((t) => t.trim());
}

describe('browser stats dumps on the page', () => {
  it('the landing page says it reads webrtc-internals and rtcstats dumps', async () => {
    const { page, watch, context } = await openPage(browser, srv.base);
    await page.goto(srv.base);
    await page.waitForSelector('#try-sample');
    const lead = await page.textContent('.landing .lead');
    assert.match(lead, /100ms session/);
    assert.match(lead, /stats dump/);
    const kinds = await page.textContent('.help .dump-kinds');
    assert.match(kinds, /chrome:\/\/webrtc-internals/);
    assert.match(kinds, /rtcstats/);
    assert.match(kinds, /\.gz as downloaded/);
    checkWatch(assert, watch);
    await context.close();
  });

  it('a dump with a frozen video: the overview shows the freeze', async () => {
    const { page, watch, context } = await openPage(browser, srv.base);
    await dropDump(page, 'freeze');
    assert.match(await page.textContent('.overview'), /Video froze \d+ times \([\d.]+ s in all\)/);
    checkWatch(assert, watch);
    await context.close();
  });

  it('a dump of a sender held back by bandwidth: the overview shows it', async () => {
    const { page, watch, context } = await openPage(browser, srv.base);
    await dropDump(page, 'bandwidth');
    assert.match(await page.textContent('.overview'), /sent video was limited by bandwidth/);
    checkWatch(assert, watch);
    await context.close();
  });

  it('the participant view shows the data source and the peer connections, addresses masked until switched on', async () => {
    const { page, watch, context } = await openPage(browser, srv.base);
    await dropDump(page, 'freeze');
    await openParticipant(page);
    const source = page.locator('section.panel', { has: page.locator('h2', { hasText: 'Data source' }) });
    const sourceText = await source.textContent();
    assert.match(sourceText, /chrome:\/\/webrtc-internals dump/);
    assert.match(sourceText, /Chrome, standard getStats\(\)/);
    assert.match(sourceText, /Chrome \d+/, 'the browser the dump names');
    assert.equal(await source.locator('.truncated-note').count(), 0, 'a short call is not truncated');

    // The freeze dump's page called itself: two peer connections, host to host over UDP.
    assert.match(await page.textContent('.view.peer'), /Peer connections \(2\)/);
    const rows = page.locator('table.connections tbody tr');
    assert.equal(await rows.count(), 2);
    assert.match(await rows.first().textContent(), /host → host/);
    assert.match(await rows.first().textContent(), /UDP/);
    const masked = await addressCells(page);
    assert.equal(masked.length, 4);
    for (const a of masked) assert.match(a, MASKED);
    assert.match(await page.textContent('#address-note'), /Addresses masked/);
    assert.equal(await page.isChecked('#show-addresses'), false);

    // The switch re-analyzes with show_addresses: the same rows, the whole addresses.
    await page.check('#show-addresses');
    await page.waitForFunction(() => document.querySelector('#show-addresses')?.checked && !document.body.classList.contains('busy'));
    await page.waitForSelector('table.connections');
    const shown = await addressCells(page);
    assert.equal(shown.length, 4);
    for (const [i, a] of shown.entries()) {
      assert.doesNotMatch(a, /x/, `address ${a} is not masked`);
      assert.ok(a.startsWith(masked[i].replace(/x.*$/, '')), `${a} is ${masked[i]} unmasked`);
    }
    assert.equal(await page.locator('.view.peer').count(), 1, 'the view stays on the participant');
    assert.doesNotMatch(await page.textContent('.address-bar'), /Addresses masked/);

    // And back.
    await page.uncheck('#show-addresses');
    await page.waitForFunction(() => document.querySelector('#show-addresses') && !document.querySelector('#show-addresses').checked && !document.body.classList.contains('busy'));
    assert.deepEqual(await addressCells(page), masked);
    checkWatch(assert, watch);
    await context.close();
  });

  it('new files are analyzed with the addresses masked again', async () => {
    const { page, watch, context } = await openPage(browser, srv.base);
    await dropDump(page, 'freeze');
    await openParticipant(page);
    await page.check('#show-addresses');
    await page.waitForFunction(() => document.querySelector('#show-addresses')?.checked && !document.body.classList.contains('busy'));
    await dropDump(page, 'bandwidth', { fresh: false });
    await openParticipant(page);
    assert.equal(await page.isChecked('#show-addresses'), false);
    for (const a of await addressCells(page)) assert.match(a, MASKED);
    checkWatch(assert, watch);
    await context.close();
  });

  it('two browsers of one call (a webrtc-internals and an rtcstats dump): every view renders, nothing undefined', async () => {
    const { page, watch, context } = await openPage(browser, srv.base);
    await dropDump(page, 'p2p-two-browsers', { files: ['caller/webrtc-internals.json.gz', 'callee/rtcstats.gz'] });
    assert.match(await page.textContent('.overview'), /Video froze/);
    for (const view of ['overview', 'peers', 'issues', 'compare', 'errors']) {
      await page.click(`.tab[data-view="${view}"]`);
      await page.waitForFunction((v) => document.body.dataset.view === v, view);
      await scrollThrough(page);
      assert.doesNotMatch(await page.textContent('#main'), /undefined|NaN/, `the ${view} view`);
    }
    const sources = [];
    for (const i of [0, 1]) {
      await page.click('.tab[data-view="peers"]');
      await page.waitForFunction(() => document.body.dataset.view === 'peers');
      assert.equal(await page.locator('.vt-body-row').count(), 2, 'two participants');
      await page.locator('.vt-body-row').nth(i).click();
      await page.waitForSelector('.view.peer');
      await scrollThrough(page);
      assert.doesNotMatch(await page.textContent('#main'), /undefined|NaN/, `participant ${i}`);
      sources.push(await page.locator('section.panel', { has: page.locator('h2', { hasText: 'Data source' }) }).textContent());
    }
    assert.equal(sources.filter((t) => /chrome:\/\/webrtc-internals dump/.test(t)).length, 1);
    assert.equal(sources.filter((t) => /rtcstats dump \(file format 3\)/.test(t)).length, 1);
    checkWatch(assert, watch);
    await context.close();
  });

  it('a connection issue names its peer connection and leads to its row', async () => {
    const { page, watch, context } = await openPage(browser, srv.base);
    await dropDump(page, 'ice-restart');
    await openParticipant(page);
    const card = page.locator('.issue-card', { has: page.locator('.code', { hasText: 'ice_restart' }) });
    assert.equal(await card.count(), 1, 'the ICE restart is an issue of this participant');
    const link = card.locator('.conn-link');
    const id = (await link.textContent()).replace('Peer connection ', '');
    const row = page.locator('table.connections tbody tr', { has: page.locator('td', { hasText: new RegExp(`^${id}$`) }) });
    assert.equal(await row.count(), 1, `the table has connection ${id}`);
    assert.match(await row.textContent(), /[1-9]\d* \(\d+ completed\)/, 'its row counts the restart');
    assert.match(await row.textContent(), /1 issue/);
    await link.click();
    await page.waitForSelector('table.connections tr.highlight');
    assert.equal(await page.locator('table.connections tr.highlight td').first().textContent(), id);
    checkWatch(assert, watch);
    await context.close();
  });

  for (const width of [390, 1440]) {
    it(`at ${width} px: the sent video's charts draw its resolution and the bandwidth-limited bands`, async () => {
      const { page, watch, context } = await openPage(browser, srv.base, { viewport: { width, height: 900 } });
      await dropDump(page, 'bandwidth');
      await openParticipant(page);
      await scrollThrough(page);
      await page.waitForSelector('.chart-card [data-limits-drawn]:not([data-limits-drawn="0"])', { timeout: 30000 });
      const limited = page.locator('.chart-card', { has: page.locator('[data-limits-drawn]:not([data-limits-drawn="0"])') });
      assert.match(await limited.first().locator('.limit-notes').textContent(), /bandwidth-limited (once|\d+ times)/);
      const resolution = page.locator('.chart-card[data-metric="frame_height"]').first();
      await resolution.scrollIntoViewIfNeeded();
      await resolution.locator('.uplot').waitFor({ timeout: 30000 });
      assert.match(await resolution.locator('figcaption').textContent(), /Resolution \(frame height\)/);
      await resolution.evaluate((el) => el.scrollIntoView({ block: 'center' }));
      await screenshot(page, `dumps-resolution-${width}`);
      // No chart, legend or table names a metric "undefined".
      assert.doesNotMatch(await page.textContent('.view.peer'), /undefined|NaN/);
      // Nothing wider than the window.
      const wide = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
      assert.ok(wide <= 1, `the page scrolls sideways by ${wide} px`);
      const panel = (title) => page.locator('.view.peer section.panel', { has: page.locator('h2', { hasText: title }) });
      await panel('Data source').evaluate((el) => el.scrollIntoView({ block: 'start' }));
      await screenshot(page, `dumps-participant-${width}`);
      await panel('Peer connections').evaluate((el) => el.scrollIntoView({ block: 'center' }));
      await screenshot(page, `dumps-connections-${width}`);
      await limited.first().scrollIntoViewIfNeeded();
      await screenshot(page, `dumps-charts-${width}`);
      checkWatch(assert, watch);
      await context.close();
    });
  }
});
