// Safety (SPEC §6): strings from input are shown as text and run nothing, the
// Content-Security-Policy holds, no request leaves the site, and hostile or broken
// files are reported without breaking the page.
import assert from 'node:assert/strict';
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import {
  SAMPLE_DIR,
  SITE,
  analyzeWithPicker,
  checkWatch,
  clickTab,
  filePayloads,
  listFiles,
  openPage,
  scenarioFiles,
  screenshot,
  scrollThrough,
  startSiteAndBrowser,
  stopSiteAndBrowser,
} from './helpers.mjs';

const HOSTILE = 'Mallory <img src=x onerror=alert(1)>';

let srv;
let browser;
before(async () => ({ srv, browser } = await startSiteAndBrowser()));
after(() => stopSiteAndBrowser(srv, browser));

const noMarkupRan = async (page) => {
  assert.equal(await page.evaluate(() => document.querySelectorAll('img, iframe, object, embed, script:not([src])').length), 0, 'no element made from input text');
  assert.equal(await page.evaluate(() => window.__pwned === undefined), true);
};

describe('hostile strings', () => {
  it('shows a peer named like markup as text in every view, and runs nothing', async () => {
    const { page, watch, context } = await openPage(browser, srv.base);
    await page.addInitScript(() => {
      window.alert = () => {
        window.__pwned = true;
      };
    });
    await page.goto(srv.base);
    await analyzeWithPicker(page, await scenarioFiles('ten-peers'));
    // overview timeline
    assert.ok((await page.locator('.tl-label', { hasText: HOSTILE }).count()) === 1, 'timeline label is the literal text');
    await noMarkupRan(page);
    // participants table
    await clickTab(page, 'peers');
    const cell = page.locator('.vt-body-row .peer-name', { hasText: 'Mallory' });
    assert.equal(await cell.textContent(), HOSTILE);
    await screenshot(page, '12-hostile-name');
    // detail page: title, card, issues, charts' legends
    await cell.click();
    await page.waitForFunction(() => document.body.dataset.view === 'peer');
    assert.equal(await page.textContent('h1'), HOSTILE);
    await scrollThrough(page);
    await noMarkupRan(page);
    // issues list and filter options
    await clickTab(page, 'issues');
    const opts = await page.$$eval('#issue-peer option', (o) => o.map((x) => x.textContent));
    if (opts.some((t) => t.includes('Mallory'))) assert.ok(opts.includes(HOSTILE));
    // sender vs receiver with the hostile peer as sender, then as receiver
    await clickTab(page, 'compare');
    const senders = await page.$$eval('#compare-from option', (o) => o.map((x) => [x.value, x.textContent]));
    const mallory = senders.find(([, t]) => t === HOSTILE);
    if (mallory) {
      await page.selectOption('#compare-from', mallory[0]);
      await page.waitForFunction((id) => decodeURIComponent(location.hash).includes(id), mallory[0]);
      assert.match(await page.textContent('.view.compare h2'), /^Mallory <img src=x onerror=alert\(1\)> → /);
      await scrollThrough(page);
    }
    // a receiver's charts of what it got from the hostile peer: legends are text
    await clickTab(page, 'peers');
    await page.locator('.vt-body-row .peer-name', { hasText: 'Ines Duarte' }).click();
    await page.waitForFunction(() => document.body.dataset.view === 'peer');
    const group = page.locator('details.track-group', { hasText: 'From Mallory' });
    if (!(await group.evaluate((d) => d.open))) await group.locator('summary').click();
    // Charts are drawn when they come into view (web/src/lazycharts.js): bring
    // the group's first one there rather than rely on where the page stands.
    await group.locator('.chart-card').first().scrollIntoViewIfNeeded();
    await group.locator('.uplot').first().waitFor({ timeout: 20000 });
    assert.match(await group.locator('.u-legend').first().textContent(), /from Mallory <img src=x onerror=alert\(1\)>/);
    await noMarkupRan(page);
    await clickTab(page, 'errors');
    await clickTab(page, 'overview');
    await noMarkupRan(page);
    checkWatch(assert, watch);
    await context.close();
  });

  it('shows hostile file names and broken files as text, analyzing the rest', async () => {
    const { page, watch, context } = await openPage(browser, srv.base);
    await page.goto(srv.base);
    const deep = '['.repeat(200000) + ']'.repeat(200000);
    await page.setInputFiles('#file-input', [
      ...(await filePayloads(await listFiles(SAMPLE_DIR))),
      { name: '<img src=x onerror=alert(2)>.json', mimeType: 'application/json', buffer: Buffer.from('not json at all') },
      { name: 'deep.json', mimeType: 'application/json', buffer: Buffer.from(deep) },
      { name: 'empty.json', mimeType: 'application/json', buffer: Buffer.alloc(0) },
      { name: 'binary.json', mimeType: 'application/json', buffer: Buffer.from([0xff, 0xfe, 0x00, 0x7b, 0x22, 0xc3]) },
    ]);
    await page.waitForSelector('.view.overview', { timeout: 30000 });
    const notice = await page.textContent('#rejected-files');
    assert.match(notice, /<img src=x onerror=alert\(2\)>\.json/);
    assert.match(notice, /deep\.json/);
    assert.match(notice, /binary\.json/);
    assert.match(await page.textContent('.overview .facts'), /Participants\s*6/);
    await clickTab(page, 'errors');
    assert.match(await page.textContent('.view.errors'), /<img src=x onerror=alert\(2\)>\.json/);
    await noMarkupRan(page);
    checkWatch(assert, watch);
    await context.close();
  });
});

describe('content security policy', () => {
  it('blocks inline scripts and requests to other origins', async () => {
    const { page, context } = await openPage(browser, srv.base);
    await page.goto(srv.base);
    await page.waitForSelector('#try-sample');
    const result = await page.evaluate(async () => {
      const s = document.createElement('script');
      s.textContent = 'window.__inline = 1';
      document.body.append(s);
      let fetched = 'no';
      try {
        await fetch('https://example.com/x');
        fetched = 'yes';
      } catch {
        fetched = 'blocked';
      }
      const div = document.createElement('div');
      div.setAttribute('style', 'color: red');
      document.body.append(div);
      return { inline: window.__inline, fetched, color: getComputedStyle(div).color };
    });
    assert.equal(result.inline, undefined, 'inline script blocked');
    assert.equal(result.fetched, 'blocked', 'cross-origin fetch blocked');
    assert.notEqual(result.color, 'rgb(255, 0, 0)', 'style attribute blocked');
    await context.close();
  });

  it('the page and its worker load only files of the site', async () => {
    const { page, watch, context } = await openPage(browser, srv.base);
    await page.goto(srv.base);
    await page.click('#try-sample');
    await page.waitForSelector('.view.overview', { timeout: 30000 });
    for (const v of ['peers', 'issues', 'compare', 'errors', 'settings']) await clickTab(page, v);
    const origin = new URL(srv.base).origin;
    assert.ok(watch.requests.length > 5);
    for (const u of watch.requests) assert.ok(u.startsWith(origin + '/') || u.startsWith('blob:') || u.startsWith('data:'), u);
    const sources = await fs.readFile(path.join(SITE, 'app.js'), 'utf8');
    assert.doesNotMatch(sources, /https?:\/\/(?!www\.w3\.org\/2000\/svg)[a-z0-9.-]+\.[a-z]{2,}\//i, 'no absolute URL in the bundle');
    checkWatch(assert, watch);
    await context.close();
  });
});
