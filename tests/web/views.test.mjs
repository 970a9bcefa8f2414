// Every view on the bundled sample session, with screenshots under
// build/screenshots/: overview, participants, participant detail, issues,
// sender vs receiver, errors, settings (re-analysis, exports), routing, keyboard.
import assert from 'node:assert/strict';
import { promises as fs } from 'node:fs';
import { after, before, describe, it } from 'node:test';
import { SAMPLE_DIR, analyzeWithPicker, checkWatch, clickTab, cliReport, launch, listFiles, openPage, screenshot, scrollThrough, startServer } from './helpers.mjs';

const AISHA = '51a70ea1-9679-4e20-8ffb-6f3dc3f1ba43';
const DANA = 'a3f98290-2f38-4720-8d97-86ced9c32625';

let srv;
let browser;
let page;
let watch;
let context;
// The engine's report of the sample (native CLI): counts the page must show.
let report;
// How the engine says each chart is drawn (report.charts).
let chartRules;
const count = (list, pred) => list.filter(pred).length;

before(async () => {
  srv = await startServer();
  browser = await launch();
  ({ page, watch, context } = await openPage(browser, srv.base));
  await page.goto(srv.base);
  const files = await listFiles(SAMPLE_DIR);
  const full = cliReport(files);
  report = full.sessions[0];
  chartRules = full.charts;
  await analyzeWithPicker(page, files);
});
after(async () => {
  await context?.close();
  await browser?.close();
  await srv?.close();
});

const text = (sel) => page.textContent(sel);
const waitView = (v) => page.waitForFunction((x) => document.body.dataset.view === x, v);

describe('views of the sample session', () => {
  it('overview: ids, times, participants, issues by severity, meetings and timeline', async () => {
    await clickTab(page, 'overview');
    const facts = await text('.overview .facts');
    assert.match(facts, /Session ID\s*873904f30e52391bb3fc7dee/);
    assert.match(facts, /Start\s*2024-05-02 10:00:01 UTC/);
    assert.match(facts, /Participant-minutes\s*78\.5/);
    const sev = report.summary.issues_by_severity;
    assert.ok(sev.critical > 0 && sev.warning > 0);
    assert.match(await text('.sev-counts'), new RegExp(`Critical\\s*${sev.critical}.*Warning\\s*${sev.warning}`, 's'));
    assert.match(await text('table.meetings'), /Multiparty/);
    assert.equal(await page.locator('.tl-rows .tl-row').count(), 6);
    await screenshot(page, '03-overview', { fullPage: true });
    // an issue marker opens that peer at that time
    const marker = page.locator('.tl-marker.sev-critical').first();
    assert.match(await marker.getAttribute('aria-label'), /^critical: /);
    await marker.click();
    await waitView('peer');
    assert.match(new URL(page.url()).hash, /^#\/peer\/[^?]+\?t=\d+&issue=\d+$/);
    await clickTab(page, 'overview');
  });

  it('participants: sortable, filterable table with CQS band and call health as text', async () => {
    await clickTab(page, 'peers');
    assert.equal(new URL(page.url()).hash, '#/peers');
    const rows = page.locator('.vt-body-row');
    assert.equal(await rows.count(), 6);
    const first = await rows.first().textContent();
    assert.match(first, /Excellent|Good|Fair|Poor|Failed/, 'CQS band as text');
    assert.match(first, /Good|Moderate|Poor|Not used/, 'health as text');
    // sort by name
    await page.click('.vt-header button:has-text("Name")');
    const names = await page.$$eval('.vt-body-row .peer-name', (els) => els.map((e) => e.textContent));
    assert.deepEqual(names, [...names].sort((a, b) => a.localeCompare(b)));
    assert.equal(await page.locator('.vt-header [aria-sort="ascending"]').count(), 1);
    await page.click('.vt-header button:has-text("Name")');
    assert.equal(await page.locator('.vt-header [aria-sort="descending"]').count(), 1);
    // filter
    // by browser: only peers with an error event carry an agent (as 100ms exports)
    const withBrowser = report.peers.filter((p) => p.browser);
    assert.ok(withBrowser.length >= 1 && withBrowser.length < report.peers.length);
    const word = withBrowser[0].browser.split(' ')[0];
    const matching = report.peers.filter((p) => (p.browser || '').startsWith(word));
    await page.fill('#peer-filter', word.toLowerCase());
    await page.waitForFunction((n) => document.querySelectorAll('.vt-body-row').length === n, matching.length);
    const shown = await page.locator('.vt-body-row').allTextContents();
    for (const p of matching) assert.ok(shown.some((t) => t.includes(p.name)), p.name);
    await page.fill('#peer-filter', '');
    await page.waitForFunction(() => document.querySelectorAll('.vt-body-row').length === 6);
    await page.check('#peer-issues-only');
    assert.equal(await rows.count(), count(report.peers, (p) => p.issue_count > 0));
    assert.ok(count(report.peers, (p) => p.issue_count > 0) < 6, 'a peer without issues is filtered out');
    await page.uncheck('#peer-issues-only');
    await screenshot(page, '04-participants');
  });

  it('keyboard: tabs are buttons, rows are focusable, Enter opens the participant', async () => {
    await clickTab(page, 'peers');
    assert.equal(await page.locator('nav.tabs button.tab').count(), 6);
    const row = page.locator('.vt-body-row').first();
    assert.equal(await row.getAttribute('tabindex'), '0');
    await row.focus();
    await page.keyboard.press('ArrowDown');
    const focusedIndex = await page.evaluate(() => document.activeElement?.dataset.index);
    assert.equal(focusedIndex, '1');
    await page.keyboard.press('Enter');
    await waitView('peer');
    assert.match(new URL(page.url()).hash, /^#\/peer\//);
  });

  it('participant detail: card, CQS chart, sent and received charts with thresholds and breaches, issues, event log', async () => {
    await page.evaluate((id) => (location.hash = `#/peer/${id}`), AISHA);
    await waitView('peer');
    assert.equal(await text('h1'), 'Aisha Khan');
    const card = await text('.view.peer .facts');
    assert.match(card, /Peer ID\s*51a70ea1/);
    assert.doesNotMatch(card, /Browser|OS/, 'no agent without an error event: nothing made up');
    assert.match(card, /End reason\s*left/);
    await scrollThrough(page);
    await page.waitForFunction(() => document.querySelectorAll('.chart-card .uplot').length >= 10, null, { timeout: 20000 });
    const cqs = page.locator('.chart-card[data-metric="cqs"] .uplot');
    assert.equal(await cqs.count(), 1, 'CQS timeline');
    assert.match(await page.locator('.chart-card[data-metric="cqs"]').textContent(), /uplink.*downlink/s);
    // layers of the sent video in one chart, thresholds and breach bands named in text
    const loss = page.locator('.track-group', { hasText: 'simulcast layers' }).locator('.chart-card[data-metric="packet_loss_percent"]');
    await loss.waitFor();
    const lossText = await loss.textContent();
    assert.match(lossText, /layer h.*layer m.*layer l/s);
    // the threshold lines the report gives that chart (tracks[].charts)
    const aisha = report.peers.find((p) => p.peer_id === AISHA);
    const video = aisha.tracks.find((t) => t.direction === 'publisher' && t.kind === 'video');
    assert.ok(video.charts.includes('packet_loss_percent'));
    const lines = chartRules.find((r) => r.direction === 'publisher' && r.kind === 'video' && r.metric === 'packet_loss_percent').thresholds;
    assert.deepEqual(lines.map((l) => l.severity), ['warning', 'critical']);
    for (const l of lines) assert.match(lossText, new RegExp(`${l.severity} ${l.value} %`));
    assert.match(lossText, /breach/);
    // received from each remote peer
    assert.ok((await page.locator('details.track-group summary').count()) >= 5);
    // hover shows values in the legend
    const plot = loss.locator('.u-over');
    await loss.scrollIntoViewIfNeeded();
    const box = await plot.boundingBox();
    await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
    const legend = await loss.locator('.u-legend').textContent();
    assert.match(legend, /\d/, 'values on hover');
    // drag to zoom: the zoom bar says so, and every chart follows
    await page.mouse.move(box.x + box.width * 0.3, box.y + box.height / 2);
    await page.mouse.down();
    await page.mouse.move(box.x + box.width * 0.6, box.y + box.height / 2, { steps: 5 });
    await page.mouse.up();
    await page.waitForFunction(() => /zoomed/.test(document.querySelector('.zoom-bar').textContent));
    await page.click('.zoom-bar button');
    await page.waitForFunction(() => !/zoomed/.test(document.querySelector('.zoom-bar').textContent));
    // issues with advice
    assert.match(await text('.issue-card'), /High packet loss.*Advice/s);
    await page.evaluate(() => window.scrollTo(0, 0));
    await screenshot(page, '05-participant-detail');
    await page.locator('.chart-card[data-metric="cqs"]').scrollIntoViewIfNeeded();
    await screenshot(page, '06-participant-charts');
  });

  it('participant detail: event log include and exclude filters', async () => {
    await page.evaluate((id) => (location.hash = `#/peer/${id}`), AISHA);
    await waitView('peer');
    const count = async () => page.locator('table.events tbody tr').count();
    const all = await count();
    assert.ok(all > 5);
    await page.fill('#event-include', 'track');
    await page.waitForFunction((n) => document.querySelectorAll('table.events tbody tr').length < n, all);
    const types = await page.$$eval('table.events tbody tr', (rows) => rows.map((r) => r.textContent));
    assert.ok(types.every((t) => /track/i.test(t)));
    await page.fill('#event-include', '');
    await page.fill('#event-exclude', 'breach');
    await page.waitForFunction(() => [...document.querySelectorAll('table.events tbody tr')].every((r) => !/breach/i.test(r.textContent)));
    await page.fill('#event-exclude', '');
    await page.waitForFunction((n) => document.querySelectorAll('table.events tbody tr').length === n, all);
    await page.locator('table.events').scrollIntoViewIfNeeded();
    await screenshot(page, '07-event-log');
  });

  it('issues: filters, most common issues, click opens the peer at that time', async () => {
    await clickTab(page, 'issues');
    const rows = page.locator('.issues .vt-body-row');
    const issues = report.issues;
    assert.equal(await rows.count(), issues.length);
    assert.match(await text('.common-issues'), /High packet loss/);
    const rowsAre = (n) => page.waitForFunction((x) => document.querySelectorAll('.issues .vt-body-row').length === x, n);
    await page.selectOption('#issue-sev', 'warning');
    await rowsAre(count(issues, (i) => i.severity === 'warning'));
    assert.match(new URL(page.url()).hash, /sev=warning/);
    await page.selectOption('#issue-sev', '');
    await page.selectOption('#issue-dir', 'downlink');
    await rowsAre(count(issues, (i) => i.direction === 'downlink'));
    await page.selectOption('#issue-dir', '');
    await page.selectOption('#issue-code', 'high_packet_loss');
    await rowsAre(count(issues, (i) => i.code === 'high_packet_loss'));
    await page.click('text=Clear filters');
    await rowsAre(issues.length);
    await screenshot(page, '08-issues');
    await page.locator('.issues .vt-body-row', { hasText: 'Aisha Khan' }).first().click();
    await waitView('peer');
    const hash = decodeURIComponent(new URL(page.url()).hash);
    assert.match(hash, new RegExp(`^#/peer/${AISHA}\\?t=\\d+&issue=\\d+`));
    assert.match(await text('.zoom-bar'), /zoomed to 10:0\d:\d\d–10:0\d:\d\d UTC/);
    assert.equal(await page.locator('.issue-card.highlight').count(), 1);
  });

  it('sender vs receiver: side-by-side charts', async () => {
    await clickTab(page, 'compare');
    await page.selectOption('#compare-from', AISHA);
    await page.waitForFunction(() => document.querySelector('#compare-to'));
    await page.selectOption('#compare-to', DANA);
    await page.waitForFunction((id) => decodeURIComponent(location.hash).includes(`to=${id}`), DANA);
    // the receivers offered are those the report says received Aisha (peers[].received_by)
    const receivers = report.peers.find((p) => p.peer_id === AISHA).received_by.map((l) => l.peer_id);
    assert.ok(receivers.length >= 2 && receivers.includes(DANA));
    assert.deepEqual(await page.$$eval('#compare-to option', (o) => o.map((x) => x.value)), receivers);
    assert.match(await text('.view.compare h2'), /Aisha Khan → Dana Levi/);
    await scrollThrough(page);
    await page.waitForFunction(() => document.querySelectorAll('.compare-row .uplot').length >= 6, null, { timeout: 20000 });
    const row = page.locator('.compare-row', { hasText: 'Packet loss sent' }).first();
    assert.match(await row.textContent(), /Packet loss received/);
    await page.evaluate(() => window.scrollTo(0, 0));
    await screenshot(page, '09-sender-vs-receiver');
  });

  it('errors: failure rates and the error log', async () => {
    await clickTab(page, 'errors');
    const rates = await text('.view.errors table');
    for (const [action, r] of Object.entries(report.errors.failure_rates)) {
      assert.match(rates, new RegExp(`${action}\\s*${r.attempts}\\s*${r.failures}\\s*${r.failures ? '✖' : '✔'}`));
    }
    assert.match(await text('.view.errors'), /CantAccessCaptureDevice/);
    await screenshot(page, '10-errors', { fullPage: true });
  });

  it('settings: thresholds saved in localStorage re-analyze the same files; exports download', async () => {
    await clickTab(page, 'settings');
    assert.equal(await page.inputValue('#th-packet_loss_percent-warning'), '3');
    await screenshot(page, '11-settings', { fullPage: true });
    // exports
    const [json] = await Promise.all([page.waitForEvent('download'), page.click('#export-json')]);
    const exported = JSON.parse(await fs.readFile(await json.path(), 'utf8'));
    assert.equal(exported.schema_version, 2);
    assert.equal(exported.sessions[0].issues.length, report.issues.length);
    const [issues] = await Promise.all([page.waitForEvent('download'), page.click('#export-issues')]);
    const csv = await fs.readFile(await issues.path(), 'utf8');
    assert.match(csv.split('\r\n')[0], /^session_id,index,code,severity,peer_id,peer_name/);
    assert.equal(csv.trim().split('\r\n').length, report.issues.length + 1);
    const [breaches] = await Promise.all([page.waitForEvent('download'), page.click('#export-breaches')]);
    assert.match(await fs.readFile(await breaches.path(), 'utf8'), /^session_id,peer_id,peer_name,track_id/);
    // raise the packet-loss thresholds: the loss issues go away
    await page.fill('#th-packet_loss_percent-warning', '40');
    await page.fill('#th-packet_loss_percent-critical', '50');
    await page.click('#settings-save');
    await page.waitForFunction(() => /analyzed again/.test(document.querySelector('.form-status')?.textContent || ''), null, { timeout: 30000 });
    const stored = await page.evaluate(() => JSON.parse(localStorage.getItem('callsight.config.v1')));
    assert.equal(stored.thresholds.packet_loss_percent.warning, 40);
    await clickTab(page, 'issues');
    const codes = await page.$$eval('.issues .vt-body-row', (rows) => rows.map((r) => r.textContent));
    // (other detections may take their place: receivers' concealment then points at the sender)
    assert.ok(report.issues.some((i) => i.code === 'high_packet_loss'));
    assert.ok(!codes.some((t) => /high_packet_loss/.test(t)), 'the loss issues are gone');
    // a bad value is refused by the page
    await clickTab(page, 'settings');
    assert.equal(await page.inputValue('#th-packet_loss_percent-warning'), '40');
    await page.click('#settings-reset');
    await page.waitForFunction(() => /Defaults restored/.test(document.querySelector('.form-status')?.textContent || ''), null, { timeout: 30000 });
    assert.equal(await page.evaluate(() => localStorage.getItem('callsight.config.v1')), null);
    assert.equal(await page.inputValue('#th-packet_loss_percent-warning'), '3');
    await clickTab(page, 'issues');
    assert.equal(await page.locator('.issues .vt-body-row').count(), report.issues.length);
  });

  it('settings the engine refuses are reported and not kept', async () => {
    await clickTab(page, 'settings');
    await page.fill('#th-packet_loss_percent-warning', '1000');
    await page.click('#settings-save');
    await page.waitForFunction(() => /refused/.test(document.querySelector('.form-status')?.textContent || ''), null, { timeout: 30000 });
    assert.match(await page.textContent('.form-status'), /packet_loss_percent/);
    assert.equal(await page.evaluate(() => localStorage.getItem('callsight.config.v1')), null);
    await page.click('#settings-reset');
    await page.waitForFunction(() => /Defaults restored/.test(document.querySelector('.form-status')?.textContent || ''), null, { timeout: 30000 });
    await clickTab(page, 'issues');
    assert.equal(await page.locator('.issues .vt-body-row').count(), report.issues.length);
  });

  it('the URL hash keeps the view; back and forward work', async () => {
    await clickTab(page, 'errors');
    await clickTab(page, 'issues');
    assert.equal(new URL(page.url()).hash, '#/issues');
    await page.goBack();
    await waitView('errors');
    await page.goForward();
    await waitView('issues');
    await page.evaluate(() => (location.hash = '#/overview'));
    await waitView('overview');
    assert.equal(await page.locator('.tab.active').textContent(), 'Overview');
    assert.equal(await page.locator('.tab.active').getAttribute('aria-current'), 'page');
  });

  it('made no request outside the site and ran into no error', async () => {
    checkWatch(assert, watch);
  });
});
