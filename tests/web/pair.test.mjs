// The right pair first (issue 23 item 3): the engine names each issue's
// sender -> receiver pair (issues[].pair) and the worst issue that has one
// (summary.top_pair); the compare view opens on that pair, not on the first
// sender and its first receiver; every issue row, issue card and "affected
// by" card links to its pair at its time; the grid shows no placeholder for
// metrics one side does not report. On a generated 50-peer session (the
// benchmark's scenario, 20 minutes) and the bundled sample.
import assert from 'node:assert/strict';
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { ROOT, SAMPLE_DIR, analyzeWithPicker, checkWatch, clickTab, listFiles, openPage, screenshot, startSiteAndBrowser, stopSiteAndBrowser } from './helpers.mjs';

const SEV = { critical: 2, warning: 1, info: 0 };
let srv;
let browser;
let work;

before(async () => {
  ({ srv, browser } = await startSiteAndBrowser());
  work = await fs.mkdtemp(path.join(os.tmpdir(), 'callsight-web-pair-'));
  const lib = await import(path.join(ROOT, 'scripts/gen/lib.mjs'));
  lib.writeSession(path.join(work, 'b50'), lib.streamSession(lib.scenarioSpec('bench', { peers: 50, minutes: 20 })));
});
after(async () => {
  await stopSiteAndBrowser(srv, browser);
  if (work) await fs.rm(work, { recursive: true, force: true });
});

// The page's report, as its Export card downloads it.
async function pageReport(page) {
  const [dl] = await Promise.all([page.waitForEvent('download'), page.click('#export-json')]);
  return JSON.parse(await fs.readFile(await dl.path(), 'utf8'));
}

// Read from the report's facts, not from issues[].pair: whether an issue is
// between two peers (an uplink issue that other peers suffered from, or a
// downlink issue on a track whose sender is known), and who they are.
function twoPeers(session, issue) {
  if (!issue.peer_id) return null;
  if (issue.direction === 'uplink') {
    const others = [...new Set([...(issue.affected_peers || []), ...(issue.explains || []).map((e) => e.peer_id)])].filter((id) => id && id !== issue.peer_id);
    return others.length ? { from: issue.peer_id, receivers: others } : null;
  }
  if (issue.direction === 'downlink') {
    const me = session.peers.find((p) => p.peer_id === issue.peer_id);
    const senders = (me?.tracks || []).filter((t) => t.direction === 'subscriber' && issue.track_ids.includes(t.track_id) && t.remote_peer_id && t.remote_peer_id !== issue.peer_id).map((t) => t.remote_peer_id);
    return senders.length ? { to: issue.peer_id, senders: [...new Set(senders)] } : null;
  }
  return null;
}

// The worst issue between two peers: severity, then the longer, then the earlier, then the first.
function worstTwoPeerIssue(session) {
  const list = session.issues.filter((i) => twoPeers(session, i));
  list.sort((a, b) => SEV[b.severity] - SEV[a.severity] || b.end_ms - b.start_ms - (a.end_ms - a.start_ms) || a.start_ms - b.start_ms || a.index - b.index);
  return list[0] || null;
}

// The pair the compare view opened on before: the first sender, its first receiver.
function firstPair(session) {
  const sender = session.peers.find((p) => (p.tracks || []).some((t) => t.direction === 'publisher') && (p.received_by || []).length);
  return { from: sender.peer_id, to: sender.received_by[0].peer_id };
}

describe('the right pair first', () => {
  it('50 peers: the compare view opens on the pair of the most severe two-peer issue', async () => {
    const { page, watch, context } = await openPage(browser, srv.base, { viewport: { width: 1440, height: 900 } });
    await page.goto(srv.base);
    await analyzeWithPicker(page, await listFiles(path.join(work, 'b50', 'input')));
    const report = await pageReport(page);
    const session = report.sessions[0];
    assert.ok(session.peers.length >= 50, `${session.peers.length} peers`);

    // Every issue's pair is one of the two-peer facts of that issue; the others have none.
    for (const issue of session.issues) {
      const facts = twoPeers(session, issue);
      if (!facts) {
        assert.equal(issue.pair, null, `issue ${issue.index} (${issue.code}) involves one peer`);
        continue;
      }
      assert.ok(issue.pair, `issue ${issue.index} (${issue.code}, ${issue.direction}) has a pair`);
      if (facts.from) {
        assert.equal(issue.pair.from, facts.from);
        assert.ok(facts.receivers.includes(issue.pair.to));
        assert.equal(issue.pair.others, facts.receivers.length - 1);
      } else {
        assert.equal(issue.pair.to, facts.to);
        assert.ok(facts.senders.includes(issue.pair.from));
      }
    }
    const worst = worstTwoPeerIssue(session);
    assert.ok(worst, 'the session has an issue between two peers');
    assert.equal(session.summary.top_pair, worst.index, 'summary.top_pair is the worst two-peer issue');
    const old = firstPair(session);
    assert.notDeepEqual({ from: worst.pair.from, to: worst.pair.to }, old, 'the worst pair is not the first sender and its first receiver');
    assert.ok(!session.issues.some((i) => i.pair && i.pair.from === old.from && i.pair.to === old.to), 'the first pair has no issue between them');

    await clickTab(page, 'compare');
    assert.equal(await page.inputValue('#compare-from'), worst.pair.from);
    assert.equal(await page.inputValue('#compare-to'), worst.pair.to);
    const note = await page.textContent('.compare .opened-note');
    assert.ok(note.includes(worst.title), note);
    // No half-empty rows: a metric one side does not report is no placeholder.
    assert.equal(await page.locator('.compare .chart-card.placeholder').count(), 0);
    await screenshot(page, 'pair-50-compare');
    // "Zoom to that issue" keeps the pair and zooms to the issue.
    await page.click('.compare .opened-note a');
    await page.waitForFunction(() => /[?&]issue=/.test(location.hash));
    assert.equal(await page.inputValue('#compare-from'), worst.pair.from);
    assert.match(await page.textContent('.compare .zoom-bar'), /around “/);

    // The Issues table: each issue with a pair links to it at its time.
    await clickTab(page, 'issues');
    const links = await page.$$eval('.issues .vt-body-row .pair-link', (els) => els.map((a) => a.getAttribute('href')));
    assert.ok(links.length > 0);
    for (const href of links) {
      const p = new URLSearchParams(href.split('?')[1]);
      const issue = session.issues[Number(p.get('issue'))];
      assert.deepEqual([p.get('from'), p.get('to'), p.get('t')], [issue.pair.from, issue.pair.to, String(issue.start_ms)]);
    }
    checkWatch(assert, watch);
    await context.close();
  });

  it('the sample: issue cards and "affected by" cards link to their pair at their time', async () => {
    const { page, watch, context } = await openPage(browser, srv.base, { viewport: { width: 1440, height: 900 } });
    await page.goto(srv.base);
    await analyzeWithPicker(page, await listFiles(SAMPLE_DIR));
    const session = (await pageReport(page)).sessions[0];
    const uplink = session.issues.find((i) => i.pair && i.direction === 'uplink');
    assert.ok(uplink, 'the sample has an uplink issue others suffered from');
    // The sender's own card links to the engine's pair.
    await page.evaluate((id) => (location.hash = `#/peer/${id}`), uplink.peer_id);
    await page.waitForSelector(`#issue-${uplink.index} .pair-link`);
    const own = new URLSearchParams((await page.getAttribute(`#issue-${uplink.index} .pair-link`, 'href')).split('?')[1]);
    assert.deepEqual([own.get('from'), own.get('to'), own.get('t'), own.get('issue')], [uplink.pair.from, uplink.pair.to, String(uplink.start_ms), String(uplink.index)]);
    // Each affected receiver's "affected by" card links to the sender and that receiver.
    for (const receiver of uplink.affected_peers) {
      await page.evaluate((id) => (location.hash = `#/peer/${id}`), receiver);
      await page.waitForFunction((id) => decodeURIComponent(location.hash).includes(id), receiver);
      const href = await page.getAttribute(`#issue-${uplink.index} .pair-link`, 'href');
      const p = new URLSearchParams(href.split('?')[1]);
      assert.deepEqual([p.get('from'), p.get('to'), p.get('t')], [uplink.peer_id, receiver, String(uplink.start_ms)]);
    }
    await page.click(`#issue-${uplink.index} .pair-link`);
    await page.waitForFunction(() => document.body.dataset.view === 'compare');
    assert.equal(await page.inputValue('#compare-from'), uplink.peer_id);
    assert.equal(await page.inputValue('#compare-to'), uplink.affected_peers.at(-1));
    assert.match(await page.textContent('.compare .zoom-bar'), /around “/);
    checkWatch(assert, watch);
    await context.close();
  });
});
