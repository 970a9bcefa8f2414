// Words and times (issue 23, item 6) and large sessions (item 7): a UTC /
// local-time switch that every time on the page and the engine's own sentences
// follow (the page's issue details equal the CLI's with --utc-offset), one
// duration format, and a large session's joins, publishes and subscribes over
// time. Screenshots land in build/screenshots/.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { BUILD, SAMPLE_DIR, analyzeWithPicker, checkWatch, clickTab, generateScenario, launch, listFiles, screenshot, startServer } from './helpers.mjs';

let srv;
let browser;
before(async () => {
  srv = await startServer();
  browser = await launch();
});
after(async () => {
  await browser?.close();
  await srv?.close();
});

function cli(args) {
  const r = spawnSync(path.join(BUILD, 'native', 'callsight'), ['analyze', ...args], { maxBuffer: 1 << 28, encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`callsight analyze failed (${r.status}): ${r.stderr}`);
  return JSON.parse(r.stdout);
}

// A page in a browser whose zone is India's (UTC+05:30 all year, no daylight saving).
async function indiaPage(viewport = { width: 1440, height: 900 }) {
  const context = await browser.newContext({ viewport, timezoneId: 'Asia/Kolkata' });
  const page = await context.newPage();
  const watch = { offOrigin: [], dialogs: [], pageErrors: [], consoleErrors: [], requests: [] };
  page.on('pageerror', (e) => watch.pageErrors.push(String(e?.message ?? e)));
  page.on('console', (m) => m.type() === 'error' && watch.consoleErrors.push(m.text()));
  await page.goto(srv.base);
  return { context, page, watch };
}

const topDetails = (page) => page.$$eval('.top-issue-detail p', (ps) => ps.map((p) => p.textContent));

describe('times: the UTC / local switch', () => {
  it('local time moves every time and the engine sentences by the browser offset, as the CLI does', async () => {
    const files = await listFiles(SAMPLE_DIR);
    const utc = cli(files);
    const local = cli(['--utc-offset', '+05:30', ...files]);
    assert.equal(local.time_zone, 'UTC+05:30');
    const want = (report) => report.sessions[0].summary.top_issues.map((i) => report.sessions[0].issues[i].detail).filter(Boolean);
    assert.notDeepEqual(want(utc), want(local));

    const { context, page, watch } = await indiaPage();
    try {
      await page.evaluate(() => localStorage.clear());
      await analyzeWithPicker(page, files);
      assert.deepEqual(await topDetails(page), want(utc));
      assert.match(await page.textContent('.view.overview'), /UTC\b/);

      await clickTab(page, 'settings');
      await page.check('input[name="time-zone"][value="local"]');
      await page.waitForFunction(() => document.querySelector('.times-form')?.textContent.includes('Now: UTC+05:30'), null, { timeout: 30000 });
      await clickTab(page, 'overview');
      assert.deepEqual(await topDetails(page), want(local));
      const overview = await page.textContent('.view.overview');
      assert.match(overview, /UTC\+05:30/);
      assert.doesNotMatch(overview, /\bUTC\b(?!\+)/);
      await screenshot(page, 'times-local-overview-1440');

      // Every time label of the Issues and Errors views names the zone.
      await clickTab(page, 'issues');
      assert.match(await page.textContent('.view'), /Start \(UTC\+05:30\)/);

      // The choice is kept on this device: a new page of the same browser starts in local time.
      const again = await context.newPage();
      await again.goto(srv.base);
      await analyzeWithPicker(again, files);
      assert.deepEqual(await topDetails(again), want(local));
      await again.close();

      // Back to UTC: the report's own words again.
      await clickTab(page, 'settings');
      await page.check('input[name="time-zone"][value="utc"]');
      await page.waitForFunction(() => document.querySelector('.times-form')?.textContent.includes('Now: UTC.'), null, { timeout: 30000 });
      await clickTab(page, 'overview');
      assert.deepEqual(await topDetails(page), want(utc));
      checkWatch(assert, watch);
    } finally {
      await context.close();
    }
  });

  it('one duration format: the participants table says "14 min 57 s", never "00:14:57"', async () => {
    const { context, page } = await indiaPage();
    try {
      await analyzeWithPicker(page, await listFiles(SAMPLE_DIR));
      await clickTab(page, 'peers');
      const text = await page.textContent('.view');
      assert.match(text, /\d+ min( \d+ s)?/);
      // (the sample's clock times are 15:30 and later here: an hour of 00 is a duration)
      assert.doesNotMatch(text, /\b00:\d\d:\d\d\b/);
    } finally {
      await context.close();
    }
  });
});

describe('times: a large session\'s activity', () => {
  it('the webinar shows joins over time with its burst of failed joins, and participants by role', async () => {
    const { files } = await generateScenario('webinar');
    const report = cli(files);
    const activity = report.sessions[0].activity;
    assert.ok(activity, 'the CLI report of a 150-peer webinar has an activity');
    const failedJoins = activity.operations.join.failed.reduce((a, v) => a + v, 0);
    assert.equal(failedJoins, report.sessions[0].errors.failure_rates.join.failures);

    const { context, page, watch } = await indiaPage();
    try {
      await analyzeWithPicker(page, files);
      await page.waitForSelector('#activity-plot canvas', { timeout: 30000 });
      const joinRow = await page.$$eval('.activity-totals tbody tr', (rows) => rows.map((r) => [...r.cells].map((c) => c.textContent)));
      const join = joinRow.find((r) => r[0] === 'Joins');
      assert.equal(Number(join[2]), failedJoins);
      assert.match(join[3], /^\d+ at \d\d:\d\d:\d\d–\d\d:\d\d:\d\d$/);
      const roles = await page.$$eval('.activity-roles tbody tr', (rows) => rows.map((r) => r.cells[0].textContent));
      assert.deepEqual(roles, activity.roles.map((r) => r.role || 'no role given'));
      await page.click('button[data-operation="subscribe"]');
      assert.equal(await page.getAttribute('button[data-operation="subscribe"]', 'aria-pressed'), 'true');
      assert.equal(await page.getAttribute('button[data-operation="join"]', 'aria-pressed'), 'false');
      await page.locator('#activity-plot').scrollIntoViewIfNeeded();
      await screenshot(page, 'activity-webinar-1440');
      checkWatch(assert, watch);
    } finally {
      await context.close();
    }
  });

  it('the large session\'s overview and Settings fit a phone', async () => {
    const { files } = await generateScenario('webinar');
    const { context, page } = await indiaPage({ width: 390, height: 844 });
    try {
      await analyzeWithPicker(page, files);
      await page.waitForSelector('#activity-plot canvas', { timeout: 30000 });
      const fits = () => page.evaluate(() => document.scrollingElement.scrollWidth <= window.innerWidth);
      assert.ok(await fits(), 'the overview does not scroll sideways at 390 px');
      await page.locator('#activity-plot').scrollIntoViewIfNeeded();
      await screenshot(page, 'activity-webinar-390');
      await clickTab(page, 'settings');
      assert.ok(await fits(), 'Settings does not scroll sideways at 390 px');
      await screenshot(page, 'settings-times-390');
    } finally {
      await context.close();
    }
  });

  it('a small session has no activity card', async () => {
    const { context, page } = await indiaPage();
    try {
      await analyzeWithPicker(page, await listFiles(SAMPLE_DIR));
      assert.equal(await page.$('#activity-plot'), null);
    } finally {
      await context.close();
    }
  });
});

describe('times: the Errors view\'s input files', () => {
  it('a small file reads in bytes, and its messages do not repeat its name', async () => {
    const { context, page } = await indiaPage();
    try {
      const broken = { name: 'broken.json', mimeType: 'application/json', buffer: Buffer.from('{"peers": [\n1,\n') };
      // (Playwright takes paths or buffers, not both: the sample's files as buffers.)
      const sample = await Promise.all((await listFiles(SAMPLE_DIR)).map(async (f) => ({ name: path.basename(f), mimeType: 'application/json', buffer: await fs.readFile(f) })));
      await page.setInputFiles('#file-input', [...sample, broken]);
      await page.waitForSelector('.view.overview', { timeout: 30000 });
      await clickTab(page, 'errors');
      const row = await page.$$eval('tr', (rows) => rows.map((r) => [...r.cells].map((c) => c.textContent)).find((c) => c[0] === 'broken.json'));
      assert.ok(row, 'the broken file has a row');
      assert.equal(row[3], `${Buffer.byteLength('{"peers": [\n1,\n')} B`);
      assert.match(row[4], /^line 3, at \/peers\/1: invalid JSON/);
      assert.doesNotMatch(row[4], /broken\.json/);
    } finally {
      await context.close();
    }
  });
});
