// One label per code (issue 23, item 6): the page names issue codes and
// metrics only with the engine's labels (report.labels, docs/REPORT.md) and
// makes none up from the codes ("High rtt", "Low audio mos"). Screenshots of
// the Issues view at 390 and 1440 px.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { SAMPLE_DIR, analyzeWithPicker, checkWatch, clickTab, cliReport, listFiles, openPage, screenshot, startSiteAndBrowser, stopSiteAndBrowser } from './helpers.mjs';

let srv;
let browser;
let page;
let watch;
let context;
let report; // the engine's report of the sample (native CLI)
let labels; // its labels table

// What a page that invents labels would print for a code: "high_rtt" -> "High rtt".
const madeUp = (code) => code.charAt(0).toUpperCase() + code.slice(1).replace(/_/g, ' ');
// Made-up names that differ from the engine's label for the same code.
const inventedNames = () =>
  Object.entries(labels.issue_codes)
    .map(([code, label]) => ({ code, label, invented: madeUp(code) }))
    .filter((x) => x.invented !== x.label);
const codeOfHref = (href) => new URLSearchParams(href.split('?')[1] || '').get('code');
const escape = (t) => t.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
// The made-up names a page text shows, once the engine's own labels are taken
// out of it ("Relayed connection" is part of "Relayed connection (TURN)").
function inventedIn(text) {
  let rest = text;
  for (const label of Object.values(labels.issue_codes)) rest = rest.split(label).join(' ');
  return inventedNames().filter((x) => new RegExp(`\\b${escape(x.invented)}\\b`).test(rest));
}

before(async () => {
  ({ srv, browser } = await startSiteAndBrowser());
  ({ page, watch, context } = await openPage(browser, srv.base, { viewport: { width: 1440, height: 900 } }));
  await page.goto(srv.base);
  const files = await listFiles(SAMPLE_DIR);
  report = cliReport(files);
  labels = report.labels;
  await analyzeWithPicker(page, files);
});
after(async () => {
  await context?.close();
  await stopSiteAndBrowser(srv, browser);
});

describe('labels: the engine names the codes, the page shows its names', () => {
  it('the report carries a label for every issue code it uses', () => {
    assert.ok(labels && labels.issue_codes && labels.metrics, 'report.labels');
    assert.equal(labels.issue_codes.high_rtt, 'High round-trip time');
    for (const issue of report.sessions[0].issues) assert.ok(labels.issue_codes[issue.code], `a label for ${issue.code}`);
  });

  it('Issues view: the most common issues and the code filter use the report labels', async () => {
    await clickTab(page, 'issues');
    const common = await page.$$eval('.common-issue', (els) => els.map((e) => ({ label: e.querySelector('.ci-label').textContent, text: e.textContent })));
    const codes = [...new Set(report.sessions[0].issues.map((i) => i.code))];
    assert.equal(common.length, codes.length, 'one entry per code of the session');
    const expected = new Set(codes.map((c) => labels.issue_codes[c]));
    assert.deepEqual(new Set(common.map((c) => c.label)), expected);
    // Each button is named by its content (axe's label-content-name-mismatch): the label first.
    for (const c of common) assert.ok(c.text.startsWith(c.label), c.text);
    // The code filter: each option is its code's label and count.
    const options = await page.$$eval('#issue-code option', (els) => els.filter((o) => o.value).map((o) => ({ code: o.value, text: o.textContent })));
    assert.equal(options.length, codes.length);
    for (const o of options) assert.match(o.text, new RegExp(`^${escape(labels.issue_codes[o.code])} \\(\\d+\\)$`));
    // The issue rows show the engine's titles.
    const titles = await page.$$eval('.issue-title', (els) => els.map((e) => e.textContent));
    const engineTitles = new Set(report.sessions[0].issues.map((i) => i.title));
    assert.ok(titles.length > 0);
    for (const t of titles) assert.ok(engineTitles.has(t), `an engine title: ${t}`);
    await screenshot(page, 'labels-issues-1440');
    await page.setViewportSize({ width: 390, height: 844 });
    await page.evaluate(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r))));
    await screenshot(page, 'labels-issues-390');
    await screenshot(page, 'labels-issues-390-full', { fullPage: true });
    // At 390 px the most common issues fit the screen (label, bar and counts stack).
    const overflow = await page.$$eval('.common-issue', (els) =>
      els.filter((e) => e.getBoundingClientRect().right > window.innerWidth || e.scrollWidth > e.clientWidth).map((e) => e.textContent),
    );
    assert.deepEqual(overflow, [], 'most common issues wider than the phone');
    await page.setViewportSize({ width: 1440, height: 900 });
  });

  it('Overview: the most common issues and the metric names are the report labels', async () => {
    await clickTab(page, 'overview');
    const links = await page.$$eval('.overview a[href*="code="]', (els) => els.map((e) => ({ href: e.getAttribute('href'), text: e.textContent })));
    assert.ok(links.length > 0, 'the most common issues link to the Issues view');
    for (const l of links) assert.equal(l.text, labels.issue_codes[codeOfHref(l.href)], l.href);
    const topTitles = await page.$$eval('.top-issue-title', (els) => els.map((e) => e.textContent));
    const engineTitles = new Set(report.sessions[0].issues.map((i) => i.title));
    for (const t of topTitles) assert.ok(engineTitles.has(t), `an engine title: ${t}`);
    // The metric distributions name each metric by the engine's label.
    const metricNames = new Set(Object.values(labels.metrics));
    const shown = await page.$$eval('.overview table', (tables) => {
      const t = tables.find((x) => [...x.querySelectorAll('th')].some((th) => th.textContent === 'Metric'));
      if (!t) return [];
      const col = [...t.querySelectorAll('thead th')].findIndex((th) => th.textContent === 'Metric');
      return [...t.querySelectorAll('tbody tr')].map((tr) => tr.children[col].textContent);
    });
    assert.ok(shown.length > 0, 'a metric distributions table');
    for (const m of shown) assert.ok(metricNames.has(m), `an engine label: ${m}`);
  });

  it('no view shows a name made up from a code ("High rtt")', async () => {
    const invented = inventedNames();
    assert.ok(invented.some((x) => x.invented === 'High rtt'), 'the check covers "High rtt"');
    for (const view of ['overview', 'peers', 'issues', 'compare', 'errors']) {
      await clickTab(page, view);
      const text = await page.evaluate(() => document.body.innerText);
      assert.deepEqual(inventedIn(text), [], `${view} shows no name made up from a code`);
    }
    // A participant's page, with its issue cards and charts.
    const worst = report.sessions[0].issues.find((i) => i.peer_id)?.peer_id;
    await page.goto(`${srv.base}#/peer/${encodeURIComponent(worst)}`);
    await page.waitForSelector('.view.peer');
    const text = await page.evaluate(() => document.body.innerText);
    assert.deepEqual(inventedIn(text), [], 'the participant page shows no name made up from a code');
    // The check itself finds a made-up name.
    assert.deepEqual(inventedIn('High rtt on Ines').map((x) => x.code), ['high_rtt']);
    checkWatch(assert, watch);
  });
});
