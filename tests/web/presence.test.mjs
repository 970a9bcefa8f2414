// A session with a failed join (generated scenario "failures"): the page says
// "never joined" and draws no bar for that peer, shows no 1970 anywhere, leads
// with the report's verdict and lists the worst peers in the report's order.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { BUILD, analyzeWithPicker, checkWatch, clickTab, openPage, scenarioFiles, screenshot, startSiteAndBrowser, stopSiteAndBrowser } from './helpers.mjs';

// The same files through the native CLI (scripts/build makes it): the report the page shows.
function cliReport(files) {
  const r = spawnSync(path.join(BUILD, 'native', 'callsight'), ['analyze', ...files], { maxBuffer: 1 << 28, encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
  return JSON.parse(r.stdout);
}

let srv;
let browser;
before(async () => ({ srv, browser } = await startSiteAndBrowser()));
after(() => stopSiteAndBrowser(srv, browser));

const VIEWS = ['overview', 'peers', 'issues', 'errors'];

describe('a session with a failed join', () => {
  it('never joined, no 1970, the verdict and ranking of the report', async () => {
    const { page, watch, context } = await openPage(browser, srv.base);
    await page.goto(srv.base);
    const files = await scenarioFiles('failures');
    await analyzeWithPicker(page, files);
    const report = cliReport(files);

    // The verdict leads the overview and never says "no problems" here.
    const verdict = await page.textContent('.overview .verdict');
    assert.match(verdict, /^Verdict \(critical\): .*failure events? \(\d+ terminal\).*never joined/);
    assert.doesNotMatch(verdict, /No problems/);

    // The never-joined peer's timeline row has no bar.
    const ghostRow = page.locator('.tl-row', { has: page.locator('.tl-never') });
    assert.equal(await ghostRow.count(), 1);
    assert.equal(await ghostRow.locator('.tl-bar').count(), 0);

    // Worst peers: the rows follow the report's ranking, as it is.
    const rows = await page.$$eval('.overview section.panel', (panels) => {
      const p = panels.find((s) => s.querySelector('h2')?.textContent === 'Worst peers');
      return p ? [...p.querySelectorAll('tbody tr td:first-child')].map((td) => td.textContent) : [];
    });
    const ranked = report.sessions[0].summary.worst_peers;
    assert.ok(ranked.length > 1);
    assert.deepEqual(rows, ranked.slice(0, 10).map((w) => w.name || w.peer_id));
    await screenshot(page, '20-failed-join-overview', { fullPage: true });

    for (const view of VIEWS) {
      await clickTab(page, view);
      assert.doesNotMatch(await page.textContent('main'), /1970/, `no 1970 in ${view}`);
    }
    await clickTab(page, 'peers');
    const never = page.locator('.vt-body-row', { has: page.locator('.never-joined') });
    assert.equal(await never.count(), 1);
    assert.match(await never.textContent(), /user with 2 peer ids/);
    await never.click();
    await page.waitForFunction(() => document.body.dataset.view === 'peer');
    const details = await page.textContent('main');
    assert.match(details, /Joined\s*Never joined/);
    assert.doesNotMatch(details, /1970/);
    checkWatch(assert, watch);
    await context.close();
  });
});
