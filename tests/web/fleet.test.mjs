// The Fleet view: the tables of 200 generated sessions dropped on the page
// show, above the fold at 1440 x 900, what the CLI's `callsight fleet` and the
// generator's fleet-truth.json say (the most common issue, its share of
// sessions, the browser that suffers most from it); a folder of 20 session
// folders opens the Fleet view with a working link into one session. Phones
// (390 px) too. Screenshots: build/screenshots/fleet-*.png.
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { BUILD, ROOT, checkWatch, clickTab, openPage, screenshot, startSiteAndBrowser, stopSiteAndBrowser } from './helpers.mjs';

const CLI = path.join(BUILD, 'native', 'callsight');
const TABLES = ['sessions', 'participants', 'issues', 'breaches', 'errors'];
let srv;
let browser;
let work;
let f200;
let f20;

function cli(args) {
  const r = spawnSync(CLI, args, { encoding: 'utf8', maxBuffer: 1 << 28 });
  if (r.status !== 0) throw new Error(`callsight ${args.join(' ')} failed (${r.status}): ${r.stderr}`);
  return r.stdout;
}

// A generated fleet, its tables written by the CLI and the CLI's summary of them.
async function fleetOf(name, sessions, seed) {
  const dir = path.join(work, name);
  execFileSync(process.execPath, [path.join(ROOT, 'scripts/gen/fleet.mjs'), '--sessions', String(sessions), '--seed', String(seed), '--out', dir], { stdio: 'ignore' });
  const tables = path.join(work, `${name}-tables`);
  cli(['analyze', '--tables', tables, path.join(dir, 'sessions')]);
  const summary = JSON.parse(cli(['fleet', tables, '--format', 'json']));
  const truth = JSON.parse(await fs.readFile(path.join(dir, 'fleet-truth.json'), 'utf8'));
  return { dir, tables, summary, truth };
}

// The page's way of writing a share (format.js fmtPct, with a no-break space).
const pct = (share) => `${(Math.round(share * 1000) / 10).toLocaleString('en-US', { maximumFractionDigits: 1 })}\u00a0%`;

// Drops files ({name, text}) on the page as a user would, then waits for the Fleet view.
async function dropAndWaitFleet(page, files) {
  await page.evaluate((list) => {
    const dt = new DataTransfer();
    for (const f of list) dt.items.add(new File([f.text], f.name));
    for (const type of ['dragenter', 'dragover', 'drop']) document.body.dispatchEvent(new DragEvent(type, { bubbles: true, cancelable: true, dataTransfer: dt }));
  }, files);
  await page.waitForSelector('.view.fleet', { timeout: 60000 });
}

const noSidewaysScroll = (page) => page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth);
// The element's bottom edge in the first screen (no scrolling).
const aboveFold = (page, sel) => page.$eval(sel, (el) => el.getBoundingClientRect().bottom <= window.innerHeight && el.getBoundingClientRect().top >= 0);

before(async () => {
  work = await fs.mkdtemp(path.join(os.tmpdir(), 'callsight-web-fleet-'));
  ({ srv, browser } = await startSiteAndBrowser());
  f200 = await fleetOf('f200', 200, 22);
  f20 = await fleetOf('f20', 20, 5);
});
after(async () => {
  await stopSiteAndBrowser(srv, browser);
  if (work) await fs.rm(work, { recursive: true, force: true });
});

describe('fleet view', () => {
  it('200 sessions as tables: the top issue, its share and the suffering browser above the fold', async () => {
    const fleet = f200;
    const { summary, truth } = fleet;
    const top = summary.issues[0];
    assert.equal(summary.sessions, 200);
    assert.equal(top.code, truth.most_common_issue, 'the CLI finds the injected issue');
    const browsers = summary.breakdowns.find((b) => b.dimension === 'browser');
    assert.equal(browsers.most_affected, truth.suffering_browser, 'the CLI finds the suffering browser');

    const { page, watch, context } = await openPage(browser, srv.base, { viewport: { width: 1440, height: 900 } });
    await page.goto(srv.base);
    await page.waitForSelector('#try-sample');
    const files = await Promise.all(TABLES.map(async (t) => ({ name: `${t}.ndjson`, text: await fs.readFile(path.join(fleet.tables, `${t}.ndjson`), 'utf8') })));
    await dropAndWaitFleet(page, files);
    await page.waitForSelector('#fleet-trend .uplot');

    assert.equal(await page.textContent('#fleet-sessions'), '200');
    assert.equal(await page.textContent('#fleet-participants'), summary.participants.toLocaleString('en-US'));
    assert.equal(await page.getAttribute('#fleet-top-code', 'data-code'), truth.most_common_issue);
    assert.equal(await page.textContent('#fleet-top-share'), pct(top.session_share));
    const safari = page.locator('#fleet-sufferers li[data-dimension="browser"] .fleet-sufferer-value');
    assert.equal(await safari.textContent(), truth.suffering_browser);
    assert.match(await page.textContent('#fleet-sufferers li[data-dimension="browser"]'), new RegExp(pct(browsers.most_affected_share)));
    for (const sel of ['#fleet-sessions', '#fleet-participants', '#fleet-minutes', '#fleet-top-code', '#fleet-top-share', '#fleet-sufferers li[data-dimension="browser"]']) {
      assert.ok(await aboveFold(page, sel), `${sel} is above the fold at 1440 x 900`);
    }
    // The bar chart of the most common issues, in the summary's order.
    const bars = await page.$$eval('#fleet-issue-bars .fleet-bar-label', (els) => els.map((e) => e.textContent));
    assert.equal(bars.length, Math.min(10, summary.issues.length));
    // Named by the engine's labels (the summary's labels table), never made up from the codes.
    assert.deepEqual(bars, summary.issues.slice(0, bars.length).map((i) => summary.labels.issue_codes[i.code]));
    assert.equal(await page.textContent('#fleet-top-code'), summary.labels.issue_codes[top.code]);
    // The breakdown by browser: Safari's bar shows its share of the top issue.
    const safariBar = await page.$$eval('#fleet-breakdown-bars .fleet-bar', (els, name) => els.find((e) => e.querySelector('.fleet-bar-label').textContent === name)?.querySelector('.fleet-bar-value').textContent, truth.suffering_browser);
    assert.match(safariBar, new RegExp(`^${pct(browsers.most_affected_share)}`));
    // By OS: the summary's OS groups, in its order.
    await page.selectOption('#fleet-dimension', 'os');
    const osGroups = summary.breakdowns.find((b) => b.dimension === 'os').groups.slice(0, 12).map((g) => g.value ?? 'not known');
    assert.deepEqual(await page.$$eval('#fleet-breakdown-bars .fleet-bar-label', (els) => els.map((e) => e.textContent)), osGroups);
    await page.selectOption('#fleet-dimension', 'browser');
    // Worst sessions by id (tables only: no files to open).
    const ids = await page.$$eval('.fleet table.data tbody tr td:first-child', (els) => els.map((e) => e.textContent));
    assert.ok(ids.includes(summary.worst_sessions[0].session_id));
    assert.equal(await page.locator('.fleet-session-link').count(), 0);
    assert.ok(await noSidewaysScroll(page));
    await screenshot(page, 'fleet-tables-1440');
    await screenshot(page, 'fleet-tables-1440-full', { fullPage: true });

    await page.setViewportSize({ width: 390, height: 844 });
    await page.evaluate(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r))));
    assert.ok(await noSidewaysScroll(page), 'no sideways scrolling at 390 px');
    assert.ok(await aboveFold(page, '#fleet-top-share'), 'the top issue share is in the first screen of a phone');
    await screenshot(page, 'fleet-tables-390');
    await screenshot(page, 'fleet-tables-390-full', { fullPage: true });
    await page.setViewportSize({ width: 768, height: 1024 });
    await page.evaluate(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r))));
    assert.ok(await noSidewaysScroll(page), 'no sideways scrolling at 768 px');
    await screenshot(page, 'fleet-tables-768-full', { fullPage: true });
    checkWatch(assert, watch);
    await context.close();
  });

  it('a folder of 20 sessions: the Fleet view, and a link into one session', async () => {
    const fleet = f20;
    const { page, watch, context } = await openPage(browser, srv.base, { viewport: { width: 390, height: 844 } });
    await page.goto(srv.base);
    await page.waitForSelector('#try-sample');
    // Every text the progress line shows while the folders are analyzed.
    await page.evaluate(() => {
      window.__progress = [];
      const label = document.querySelector('.progress-label');
      new MutationObserver(() => window.__progress.push(label.textContent)).observe(label, { childList: true, characterData: true, subtree: true });
    });
    await page.setInputFiles('#folder-input', fleet.dir);
    await page.waitForSelector('.view.fleet', { timeout: 120000 });
    const progress = await page.evaluate(() => window.__progress);
    assert.ok(progress.some((t) => /^Analyzing session folder 21 of 21: /.test(t)), `progress per folder: ${progress.slice(-3).join(' | ')}`);
    assert.ok(progress.includes('Summarizing the fleet…'));
    assert.equal(await page.textContent('#fleet-sessions'), '20');
    assert.equal(await page.getAttribute('#fleet-top-code', 'data-code'), fleet.summary.issues[0].code);
    assert.equal(await page.textContent('#fleet-top-share'), pct(fleet.summary.issues[0].session_share));
    // fleet-truth.json is a folder of its own: no session, said so.
    assert.match(await page.textContent('.fleet-skipped summary'), /1 folder gave no session/);
    assert.ok(await noSidewaysScroll(page), 'no sideways scrolling at 390 px');
    await screenshot(page, 'fleet-folder-390');
    await screenshot(page, 'fleet-folder-390-full', { fullPage: true });

    const worst = fleet.summary.worst_sessions[0].session_id;
    await page.click(`.fleet-session-link[data-session="${worst}"]`);
    await page.waitForSelector('.view.overview', { timeout: 30000 });
    assert.match(await page.textContent('.overview .facts'), new RegExp(`Session ID\\s*${worst}`));
    // The Fleet tab leads back.
    await clickTab(page, 'fleet');
    await page.waitForSelector('.view.fleet');
    assert.equal(await page.textContent('#fleet-sessions'), '20');
    checkWatch(assert, watch);
    await context.close();
  });

  it('one session whose files lie in three folders is one session: its overview, not a fleet', async () => {
    const top = path.join(f20.dir, 'sessions');
    const first = (await fs.readdir(top)).sort()[0];
    const files = (await fs.readdir(path.join(top, first))).sort();
    const split = path.join(work, 'split-session');
    for (const [i, name] of files.entries()) {
      const dir = path.join(split, `part-${i % 3}`);
      await fs.mkdir(dir, { recursive: true });
      await fs.copyFile(path.join(top, first, name), path.join(dir, name));
    }
    const { page, watch, context } = await openPage(browser, srv.base);
    await page.goto(srv.base);
    await page.waitForSelector('#try-sample');
    await page.setInputFiles('#folder-input', split);
    await page.waitForSelector('.view.overview', { timeout: 60000 });
    const id = first.replace(/^\d+-/, '');
    assert.match(await page.textContent('.overview .facts'), new RegExp(`Session ID\\s*${id}`));
    assert.equal(await page.locator('.tab[data-view="fleet"]').count(), 0, 'no Fleet tab');
    checkWatch(assert, watch);
    await context.close();
  });

  it('a session split over two folders, beside two others: three sessions, each analyzed whole', async () => {
    const top = path.join(f20.dir, 'sessions');
    const names = (await fs.readdir(top)).sort().slice(0, 3);
    const mixed = path.join(work, 'mixed');
    const files = (await fs.readdir(path.join(top, names[0]))).sort();
    for (const [i, name] of files.entries()) {
      const dir = path.join(mixed, `a-part-${i % 2}`);
      await fs.mkdir(dir, { recursive: true });
      await fs.copyFile(path.join(top, names[0], name), path.join(dir, name));
    }
    for (const n of names.slice(1)) await fs.cp(path.join(top, n), path.join(mixed, n), { recursive: true });
    const tables = path.join(work, 'mixed-tables');
    cli(['analyze', '--tables', tables, ...names.map((n) => path.join(top, n))]);
    const expected = JSON.parse(cli(['fleet', tables, '--format', 'json']));
    assert.equal(expected.sessions, 3);

    const { page, watch, context } = await openPage(browser, srv.base);
    await page.goto(srv.base);
    await page.waitForSelector('#try-sample');
    await page.setInputFiles('#folder-input', mixed);
    await page.waitForSelector('.view.fleet', { timeout: 60000 });
    assert.equal(await page.textContent('#fleet-sessions'), '3');
    // Analyzed from both its folders: its participants counted once, all of them.
    assert.equal(await page.textContent('#fleet-participants'), String(expected.participants));
    assert.equal(await page.textContent('#fleet-minutes'), Math.round(expected.participant_minutes).toLocaleString('en-US'));
    const id = names[0].replace(/^\d+-/, '');
    const whole = expected.worst_sessions.find((x) => x.session_id === id);
    await page.click(`.fleet-session-link[data-session="${id}"]`);
    await page.waitForSelector('.view.overview', { timeout: 30000 });
    assert.match(await page.textContent('.overview .facts'), new RegExp(`Session ID\\s*${id}`));
    assert.match(await page.textContent('.overview .facts'), new RegExp(`Participants\\s*${whole.participants}(?!\\d)`));
    checkWatch(assert, watch);
    await context.close();
  });
});
