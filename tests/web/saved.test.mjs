// Saved sessions, on this device only (issue 23, item 5): "Save" keeps the
// session shown (its files or its report, a name and tags) in IndexedDB; a
// reload keeps the session being viewed; the landing page lists the saved
// sessions to open, rename, tag and delete; the report after reopening is the
// report before; nothing leaves the page.
import assert from 'node:assert/strict';
import { promises as fs } from 'node:fs';
import { after, before, describe, it } from 'node:test';
import { SAMPLE_DIR, analyzeWithPicker, checkWatch, clickTab, launch, listFiles, openPage, screenshot, startServer } from './helpers.mjs';

let srv;
let browser;
let context;
let page;
let watch;
let reportBefore; // the report JSON the page exported before saving

before(async () => {
  srv = await startServer();
  browser = await launch();
  ({ context, page, watch } = await openPage(browser, srv.base));
  await page.goto(srv.base);
  await analyzeWithPicker(page, await listFiles(SAMPLE_DIR));
});
after(async () => {
  await context?.close();
  await browser?.close();
  await srv?.close();
});

// The page's "Report (JSON)" export, parsed.
async function exportedReport(p = page) {
  const [dl] = await Promise.all([p.waitForEvent('download'), p.click('#export-json')]);
  return JSON.parse(await fs.readFile(await dl.path(), 'utf8'));
}

// Waits until the page's IndexedDB databases include `name` (the app keeps the
// session being viewed without waiting for the storage).
async function waitForDb(p, name) {
  for (let i = 0; i < 100; i++) {
    if ((await dbNames(p)).includes(name)) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  assert.fail(`no IndexedDB database ${name}`);
}

const savedParam = (p = page) => new URL(p.url()).hash.match(/[?&]saved=(\d+)/)?.[1];
const dbNames = (p = page) => p.evaluate(async () => (await indexedDB.databases()).map((d) => d.name));

async function save(name, tags, kind) {
  await page.fill('#save-name', name);
  await page.fill('#save-tags', tags);
  await page.check(`#save-kind-${kind}`);
  await page.click('#save-session');
  await page.waitForFunction(() => /Saved as/.test(document.querySelector('.save-status').textContent));
}

// The landing page's saved list: [{name, tags, meta}].
async function savedList(p) {
  await p.waitForSelector('.saved-sessions:not([hidden]) .saved-item, .saved-sessions[hidden]');
  return p.locator('.saved-item').evaluateAll((items) =>
    items.map((li) => ({
      name: li.querySelector('.saved-name')?.textContent,
      tags: [...li.querySelectorAll('.saved-tags .tag')].map((t) => t.textContent),
      meta: li.querySelector('.saved-meta')?.textContent,
    })),
  );
}

describe('saved sessions', () => {
  it('saves the files with a name and tags; a reload keeps the session and view', async () => {
    await waitForDb(page, 'callsight-current');
    assert.deepEqual(await dbNames(), ['callsight-current'], 'before Save: only the session being viewed, kept for a reload');
    reportBefore = await exportedReport();
    await save('Weekly sync', 'customer-x, escalation, customer-x', 'files');
    assert.match(await page.textContent('.save-status'), /Saved as “Weekly sync” on this device \(its files\)/);
    assert.deepEqual((await dbNames()).sort(), ['callsight', 'callsight-current']);
    assert.ok(savedParam(), 'the hash names the saved session');
    await clickTab(page, 'peers');
    assert.ok(savedParam(), 'and keeps naming it across views');
    const hash = new URL(page.url()).hash;
    await page.reload();
    await page.waitForFunction(() => document.body.dataset.view === 'peers' && document.querySelectorAll('.vt-body-row').length > 0, null, { timeout: 30000 });
    assert.equal(new URL(page.url()).hash, hash);
    await clickTab(page, 'overview');
    assert.deepEqual(await exportedReport(), reportBefore, 'the report after the reload is the report before');
  });

  it('saves the report only; the landing lists both; rename, tag, reopen, delete', async () => {
    await clickTab(page, 'overview');
    await save('Report copy', 'archive', 'report');
    // A second tab of the same browser profile (the same storage).
    const other = await context.newPage();
    const offOrigin = [];
    other.on('request', (req) => {
      if (!req.url().startsWith(srv.base) && !/^(blob|data):/.test(req.url())) offOrigin.push(req.url());
    });
    await other.goto(srv.base);
    let list = await savedList(other);
    assert.deepEqual(
      list.map((i) => [i.name, i.tags]),
      [
        ['Report copy', ['archive']],
        ['Weekly sync', ['customer-x', 'escalation']],
      ],
    );
    assert.match(list[1].meta, /10 files/);
    assert.match(list[0].meta, /report only/);
    await screenshot(other, 'saved-sessions-landing');

    // Rename and tag the files copy.
    const weekly = other.locator('.saved-item', { hasText: 'Weekly sync' });
    await weekly.locator('.saved-rename').click();
    await other.fill('.saved-edit-input', 'Weekly sync (Aisha’s loss)');
    await other.click('.saved-ok');
    await other.waitForFunction(() => [...document.querySelectorAll('.saved-name')].some((n) => n.textContent === 'Weekly sync (Aisha’s loss)'));
    const renamed = other.locator('.saved-item', { hasText: 'Weekly sync (Aisha’s loss)' });
    await renamed.locator('.saved-tag').click();
    await other.fill('.saved-edit-input', 'customer-x, resolved');
    await other.click('.saved-ok');
    await other.waitForFunction(() => [...document.querySelectorAll('.saved-item .tag')].some((n) => n.textContent === 'resolved'));
    await other.reload();
    list = await savedList(other);
    assert.deepEqual(list.find((i) => i.name.startsWith('Weekly')).tags, ['customer-x', 'resolved'], 'kept across a reload');

    // The report-only copy opens as it was; its charts say why they are missing.
    await other.locator('.saved-item', { hasText: 'Report copy' }).locator('.saved-open').click();
    await other.waitForSelector('.view.overview');
    assert.deepEqual(await exportedReport(other), reportBefore, 'the saved report equals the report before');
    await other.evaluate(() => (location.hash = location.hash.replace('#/overview', '#/peer/51a70ea1-9679-4e20-8ffb-6f3dc3f1ba43')));
    await other.locator('.chart-card[data-metric="cqs"]').scrollIntoViewIfNeeded();
    await other.waitForFunction(() => /saved as its report only/.test(document.querySelector('.chart-card[data-metric="cqs"]')?.textContent || ''), null, { timeout: 20000 });

    // The files copy opens analyzed again: the same report.
    await other.evaluate(() => (location.hash = '#/landing'));
    await other.locator('.saved-item', { hasText: 'Weekly sync' }).locator('.saved-open').click();
    await other.waitForSelector('.view.overview');
    await other.waitForFunction(() => /[?&]saved=/.test(location.hash));
    assert.deepEqual(await exportedReport(other), reportBefore, 'the reopened files give the report before');

    // Delete the report copy (after a confirmation on the page, no dialog).
    await other.evaluate(() => (location.hash = '#/landing'));
    await other.locator('.saved-item', { hasText: 'Report copy' }).locator('.saved-delete').click();
    await other.locator('.saved-item .saved-confirm').click();
    await other.waitForFunction(() => document.querySelectorAll('.saved-item').length === 1);
    await other.reload();
    list = await savedList(other);
    assert.deepEqual(list.map((i) => i.name), ['Weekly sync (Aisha’s loss)']);
    await other.close();
    assert.deepEqual(offOrigin, [], 'nothing leaves the page');
    checkWatch(assert, watch);
  });
});

describe('the session being viewed, never saved', () => {
  it('a reload shows it again on the same view; after "Forget it" a reload opens the start page; a new tab does not open it', async () => {
    const { context: ctx2, page: p, watch: w } = await openPage(browser, srv.base);
    try {
      await p.goto(srv.base);
      await analyzeWithPicker(p, await listFiles(SAMPLE_DIR));
      await waitForDb(p, 'callsight-current');
      const before = await exportedReport(p);
      await clickTab(p, 'peers');
      const hash = new URL(p.url()).hash;
      await p.reload();
      await p.waitForFunction(() => document.body.dataset.view === 'peers' && document.querySelectorAll('.vt-body-row').length > 0, null, { timeout: 30000 });
      assert.equal(new URL(p.url()).hash, hash);
      await clickTab(p, 'overview');
      assert.deepEqual(await exportedReport(p), before, 'the report after the reload is the report before');
      // A new tab of the same browser starts on the start page.
      const other = await ctx2.newPage();
      await other.goto(srv.base);
      await other.waitForSelector('#try-sample');
      assert.equal(await other.$('.view.overview'), null);
      await other.close();
      // Forget: the kept files are gone, and a reload opens the start page.
      await p.click('#forget-current');
      await p.waitForFunction(() => /Forgotten/.test(document.querySelector('.forget-status')?.textContent || ''));
      assert.ok(!(await dbNames(p)).includes('callsight-current'));
      await p.reload();
      await p.waitForSelector('#try-sample');
      await new Promise((r) => setTimeout(r, 500));
      assert.equal(await p.$('.view.overview'), null, 'nothing reopened');
      checkWatch(assert, w);
    } finally {
      await ctx2.close();
    }
  });
});
