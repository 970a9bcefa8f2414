// A recorded browser dump (Chrome's webrtc-internals download, tests/data/dumps)
// dropped on the page: the participant's details show each track's stream facts
// (tracks[].stream) and each connection's facts beyond its table row, as the
// report (the native CLI's, of the same file) carries them.
import assert from 'node:assert/strict';
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { ROOT, checkWatch, cliReport, dropFiles, openPage, screenshot, startSiteAndBrowser, stopSiteAndBrowser } from './helpers.mjs';

const DUMP = path.join(ROOT, 'tests', 'data', 'dumps', 'freeze', 'webrtc-internals.json.gz');

let srv;
let browser;
before(async () => ({ srv, browser } = await startSiteAndBrowser()));
after(() => stopSiteAndBrowser(srv, browser));

// The page's number format (format.js fmtNum).
const fmt = (v, digits) => (Math.round(v * 10 ** digits) / 10 ** digits).toLocaleString('en-US', { maximumFractionDigits: digits });

async function openDumpParticipant(page) {
  await page.goto(srv.base);
  await page.waitForSelector('#try-sample');
  await dropFiles(page, [{ name: path.basename(DUMP), bytes: [...(await fs.readFile(DUMP))] }]);
  await page.locator('.overview a[href^="#/peer/"]').first().click();
  await page.waitForSelector('.view.peer');
}

describe('stream and connection facts in the participant details', () => {
  const report = cliReport([DUMP]);
  const peer = report.sessions.flatMap((s) => s.peers).find((p) => p.data_source);

  it('the report of the recorded dump carries the facts the page is checked against', () => {
    assert.ok(peer, 'a participant read from the dump');
    assert.ok(peer.tracks.some((t) => t.stream?.frame_count > 0), 'a video track with its frame count');
    assert.ok(peer.connections.some((c) => c.tls_version && c.srtp_cipher), 'a connection with its DTLS facts');
  });

  it('each track with stream facts shows them; each connection its DTLS, candidates and bitrates', async () => {
    const { page, watch, context } = await openPage(browser, srv.base);
    await openDumpParticipant(page);
    let checked = 0;
    for (const t of peer.tracks.filter((x) => x.stream)) {
      const block = page.locator(`.stream-facts-block[data-track="${t.key}"]`);
      if (!(await block.count())) continue; // another layer of the same track carries them
      const text = await block.first().textContent();
      const s = t.stream;
      if (s.codec) assert.ok(text.includes(s.codec), `${t.key}: codec ${s.codec}`);
      if (s.frame_count !== undefined) assert.ok(text.includes(`Frames${fmt(s.frame_count, 0)}`), `${t.key}: frames ${s.frame_count}`);
      if (s.jitter_buffer_ms !== undefined) assert.ok(text.includes(`${fmt(s.jitter_buffer_ms, 1)} ms`), `${t.key}: jitter buffer ${s.jitter_buffer_ms}`);
      if (s.concealed_percent !== undefined) assert.ok(text.includes(`${fmt(s.concealed_percent, 1)} %`), `${t.key}: concealed ${s.concealed_percent}`);
      if (s.common_size_px) assert.ok(text.includes(`${s.common_size_px.width}×${s.common_size_px.height}`), `${t.key}: size`);
      if (s.freeze_count !== undefined) assert.match(text, new RegExp(`Freezes${fmt(s.freeze_count, 0)}`), `${t.key}: freezes`);
      ++checked;
    }
    assert.ok(checked >= 2, `stream facts shown for ${checked} tracks`);
    for (const c of peer.connections) {
      const text = await page.locator(`.connection-facts-block[data-connection="${c.id}"]`).textContent();
      if (c.tls_version) assert.ok(text.includes(c.tls_version), `${c.id}: TLS version`);
      if (c.srtp_cipher) assert.ok(text.includes(c.srtp_cipher), `${c.id}: SRTP cipher`);
      if (c.gathered_candidates?.includes('host')) assert.match(text, /Candidates gathered[^]*host/);
      if (c.stun_rtt_ms !== undefined) assert.ok(text.includes(`${fmt(c.stun_rtt_ms, 1)} ms`), `${c.id}: STUN RTT`);
    }
    // Addresses stay masked: the facts add none.
    assert.doesNotMatch(await page.locator('.connection-facts-block').first().textContent(), /\d+\.\d+\.\d+\.\d+/);
    checkWatch(assert, watch);
    await context.close();
  });

  for (const width of [390, 1440]) {
    it(`the details at ${width} px: nothing wider than the screen (screenshot)`, async () => {
      const { page, watch, context } = await openPage(browser, srv.base, { viewport: { width, height: 900 } });
      await openDumpParticipant(page);
      // The block with the most facts (the received video's).
      const blocks = page.locator('.stream-facts-block');
      const counts = await blocks.evaluateAll((els) => els.map((e) => e.querySelectorAll('dt').length));
      const fullest = blocks.nth(counts.indexOf(Math.max(...counts)));
      await fullest.evaluate((e) => e.closest('details')?.setAttribute('open', ''));
      await fullest.scrollIntoViewIfNeeded();
      const overflow = await page.evaluate(() => [...document.querySelectorAll('.stream-facts-block, .connection-facts-block')].filter((b) => b.getBoundingClientRect().right > document.documentElement.clientWidth + 1).length);
      assert.equal(overflow, 0, 'every facts block fits the screen');
      await screenshot(page, `stream-facts-${width}`);
      await page.locator('.connection-facts-block').first().scrollIntoViewIfNeeded();
      await screenshot(page, `connection-facts-${width}`);
      checkWatch(assert, watch);
      await context.close();
    });
  }
});
