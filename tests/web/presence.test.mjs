// A session with a failed join (generated scenario "failures"): the page says
// "never joined" and draws no bar for that peer, shows no 1970 anywhere, leads
// with the report's verdict and lists the worst peers in the report's order.
import assert from 'node:assert/strict';
import { promises as fs } from 'node:fs';
import { after, before, describe, it } from 'node:test';
import { analyzeWithPicker, checkWatch, clickTab, cliReport, generateScenario, openPage, screenshot, scrollThrough, startSiteAndBrowser, stopSiteAndBrowser } from './helpers.mjs';

let srv;
let browser;
let generated;
before(async () => {
  ({ srv, browser } = await startSiteAndBrowser());
  generated = await generateScenario('failures');
});
after(async () => {
  await stopSiteAndBrowser(srv, browser);
  if (generated) await fs.rm(generated.dir, { recursive: true, force: true });
});

const VIEWS = ['overview', 'peers', 'issues', 'compare', 'errors', 'settings'];

describe('a session with a failed join', () => {
  it('never joined, no 1970, the verdict and ranking of the report', async () => {
    const { page, watch, context } = await openPage(browser, srv.base);
    await page.goto(srv.base);
    const { files } = generated;
    await analyzeWithPicker(page, files);
    const report = cliReport(files);

    // The verdict leads the overview and never says "no problems" here.
    const verdict = await page.textContent('.overview .verdict');
    assert.match(verdict, /^Verdict \(critical\): .*failure events? \(\d+ terminal\).*never joined/);
    assert.doesNotMatch(verdict, /No problems/);

    // The diagnosis card: the top issues (the failures among them, as the report
    // links each failure event to its issue), then the failure events no issue
    // reports, first when no top issue is critical and one of them was terminal.
    const session = report.sessions[0];
    const errs = session.errors.events;
    assert.ok(errs.some((e) => e.is_terminal));
    for (const e of errs.filter((x) => x.issue !== null)) assert.equal(session.issues[e.issue].peer_id, e.peer_id);
    const unreported = errs.filter((e) => e.issue === null);
    const criticalTop = session.summary.top_issues.some((n) => session.issues[n].severity === 'critical');
    assert.ok(criticalTop, 'a terminal join failure is a critical issue');
    const card = page.locator('.overview .diagnosis');
    const failures = card.locator('.top-failure');
    assert.equal(await failures.count(), Math.min(5, unreported.length));
    const first = await card.locator('.top-issue').first().textContent();
    assert.ok(first.includes(session.issues[session.summary.top_issues[0]].title), first);
    for (const e of unreported.filter((x) => x.is_terminal)) {
      const item = failures.filter({ hasText: e.detail });
      assert.equal(await item.count(), 1, e.detail);
      assert.ok((await item.textContent()).includes(e.advice));
    }
    assert.equal(await card.locator('.top-issue:not(.top-failure)').count(), session.summary.top_issues.length);

    // The never-joined peers' timeline rows have no bar.
    const neverJoined = session.peers.filter((p) => p.attendance === 'never_joined');
    assert.ok(neverJoined.length >= 1);
    const ghostRows = page.locator('.tl-row', { has: page.locator('.tl-never') });
    assert.equal(await ghostRows.count(), neverJoined.length);
    assert.equal(await ghostRows.locator('.tl-bar').count(), 0);

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
    // every participant's page, charts drawn (their axes and hover values are text too)
    for (const p of report.sessions[0].peers) {
      await page.goto(`${srv.base}#/peer/${encodeURIComponent(p.peer_id)}`);
      await page.waitForFunction((id) => document.querySelector('.view.peer .view-head .mono')?.textContent === id, p.peer_id);
      await scrollThrough(page);
      assert.doesNotMatch(await page.textContent('main'), /1970/, `no 1970 on the page of ${p.name || p.peer_id}`);
    }
    // the never-joined peer as sender and as receiver in the compare view
    const ghost = report.sessions[0].peers.find((p) => p.joined === false);
    for (const q of [`from=${ghost.peer_id}`, `to=${ghost.peer_id}`]) {
      await page.goto(`${srv.base}#/compare?${q}`);
      await page.waitForFunction(() => document.body.dataset.view === 'compare');
      assert.doesNotMatch(await page.textContent('main'), /1970/, `no 1970 in compare ${q}`);
    }
    await clickTab(page, 'peers');
    const never = page.locator('.vt-body-row', { has: page.locator('.never-joined') });
    assert.equal(await never.count(), neverJoined.length);
    for (const text of await never.allTextContents()) assert.match(text, /user with 2 peer ids/);
    await never.first().click();
    await page.waitForFunction(() => document.body.dataset.view === 'peer');
    const details = await page.textContent('main');
    assert.match(details, /Joined\s*Never joined/);
    assert.doesNotMatch(details, /1970/);
    checkWatch(assert, watch);
    await context.close();
  });
});
