// The overview leads with the diagnosis (issue 18 item 10) and charts draw the
// runs in which a track sent nothing as muted (item 3), on the bundled sample
// session. Expected texts come from the report the engine gives for the same
// files (the native CLI), never from copies of its output.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { SAMPLE_DIR, analyzeWithPicker, checkWatch, cliReport, listFiles, openPage, screenshot, scrollThrough, startSiteAndBrowser, stopSiteAndBrowser } from './helpers.mjs';

let srv;
let browser;
let report;
let files;
before(async () => {
  ({ srv, browser } = await startSiteAndBrowser());
  files = await listFiles(SAMPLE_DIR);
  report = cliReport(files).sessions[0];
});
after(() => stopSiteAndBrowser(srv, browser));

const nameOf = (id) => report.peers.find((p) => p.peer_id === id)?.name || id;

describe('the overview of the sample session', () => {
  it('its first card is the diagnosis: the top issues in the report order, linked', async () => {
    const { page, watch, context } = await openPage(browser, srv.base);
    await page.goto(srv.base);
    await analyzeWithPicker(page, files);
    const top = report.summary.top_issues.map((n) => report.issues[n]);
    assert.ok(top.length > 0, 'the sample has issues');

    // The first panel of the overview is the diagnosis, with the verdict in it.
    const firstPanel = page.locator('.overview section.panel').first();
    assert.equal(await firstPanel.getAttribute('class'), 'panel diagnosis');
    assert.match(await firstPanel.locator('.verdict').textContent(), new RegExp(`^Verdict \\(${report.summary.verdict.level}\\): `));

    // Its items are the report's top issues, in that order, with who, which way and the advice.
    const items = firstPanel.locator('.top-issue:not(.top-failure)');
    assert.equal(await items.count(), top.length);
    assert.deepEqual(await items.locator('.top-issue-title').allTextContents(), top.map((i) => i.title));
    const first = top[0];
    const firstMeta = await items.first().locator('.top-issue-meta').textContent();
    assert.ok(firstMeta.startsWith(first.peer_name || nameOf(first.peer_id)), firstMeta);
    if (first.direction) assert.match(firstMeta, new RegExp(first.direction));
    if (first.advice) assert.ok((await items.first().locator('.top-issue-advice').textContent()).includes(first.advice));
    await screenshot(page, '30-diagnosis-1440');

    // Every uplink issue with receivers links to its sender → receiver pair.
    const withPair = top.findIndex((i) => i.direction === 'uplink' && (i.affected_peers || []).length);
    if (withPair >= 0) {
      const link = items.nth(withPair).locator('.top-pair-link');
      assert.equal(await link.count(), 1);
      const href = new URL(await link.getAttribute('href'), srv.base).hash;
      const params = new URLSearchParams(href.split('?')[1]);
      assert.equal(params.get('from'), top[withPair].peer_id);
      assert.ok(top[withPair].affected_peers.includes(params.get('to')));
      await link.click();
      await page.waitForFunction(() => document.body.dataset.view === 'compare');
      assert.equal(await page.inputValue('#compare-from'), top[withPair].peer_id);
      assert.equal(await page.inputValue('#compare-to'), params.get('to'));
      assert.match(await page.textContent('.compare .zoom-bar'), /Charts zoomed to .* around “/);
      await page.goBack();
      await page.waitForSelector('.view.overview');
    }

    // The first item opens its participant zoomed to the issue.
    await items.first().locator('.top-peer-link').click();
    await page.waitForFunction(() => document.body.dataset.view === 'peer');
    const hash = new URL(page.url()).hash;
    assert.ok(hash.startsWith(`#/peer/${encodeURIComponent(first.peer_id)}?`), hash);
    assert.equal(new URLSearchParams(hash.split('?')[1]).get('issue'), String(first.index));
    assert.equal(await page.locator(`#issue-${first.index}.highlight`).count(), 1);
    assert.match(await page.textContent('.zoom-bar'), /Charts zoomed to/);
    checkWatch(assert, watch);
    await context.close();
  });

  for (const width of [390, 1440]) {
    it(`at ${width} px the diagnosis card fits the screen`, async () => {
      const { page, watch, context } = await openPage(browser, srv.base, { viewport: { width, height: 900 } });
      await page.goto(srv.base);
      await analyzeWithPicker(page, files);
      // Nothing in the card is wider than the card, and the card not wider than the window.
      const over = await page.$eval('.overview .diagnosis', (card) => {
        const box = card.getBoundingClientRect();
        const out = [];
        if (box.right > window.innerWidth + 0.5) out.push(`card ${box.right} > ${window.innerWidth}`);
        for (const el of card.querySelectorAll('*')) {
          const r = el.getBoundingClientRect();
          if (r.width && r.right > box.right + 0.5) out.push(`${el.className || el.tagName} ${r.right} > ${box.right}`);
        }
        return out;
      });
      assert.deepEqual(over, []);
      await screenshot(page, `31-overview-${width}`);
      const peerId = report.issues[report.summary.top_issues[0]].peer_id;
      await page.locator('.diagnosis .top-peer-link').first().click();
      await page.waitForFunction(() => document.body.dataset.view === 'peer');
      await screenshot(page, `32-participant-${width}`);
      assert.ok(new URL(page.url()).hash.includes(encodeURIComponent(peerId)));
      checkWatch(assert, watch);
      await context.close();
    });
  }
});

describe('charts of a track that stopped sending', () => {
  it('draw the not-sending run as a muted band with a note', async () => {
    const peer = report.peers.find((p) => p.tracks.some((t) => t.direction === 'publisher' && (t.not_sending || []).length));
    assert.ok(peer, 'the sample has a peer whose sent track was muted');
    const track = peer.tracks.find((t) => t.direction === 'publisher' && (t.not_sending || []).length);
    const { page, watch, context } = await openPage(browser, srv.base);
    await page.goto(srv.base);
    await analyzeWithPicker(page, files);
    await page.goto(`${srv.base}#/peer/${encodeURIComponent(peer.peer_id)}`);
    await page.waitForSelector('.view.peer');
    await scrollThrough(page);
    // A chart of that track draws the run in its range.
    await page.waitForSelector('.chart-card [data-muted-drawn]:not([data-muted-drawn="0"])', { timeout: 30000 });
    const notes = await page.locator('.chart-notes .muted-note').allTextContents();
    assert.ok(notes.length > 0);
    const runs = track.not_sending.length;
    assert.match(notes[0], new RegExp(`not sending \\(muted or off\\) ${runs === 1 ? 'once' : `${runs} times`}`));
    const card = page.locator('.chart-card', { has: page.locator('[data-muted-drawn]:not([data-muted-drawn="0"])') }).first();
    assert.equal(await card.locator('.muted-note').count(), 1, 'the chart that draws it says so in its notes');
    await card.scrollIntoViewIfNeeded();
    await screenshot(page, '33-muted-chart');
    checkWatch(assert, watch);
    await context.close();
  });
});
