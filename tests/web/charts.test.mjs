// The participant's charts say what they mean (issue 23, item 2), on the
// bundled sample: concealment in % with its threshold lines, units on the
// axes, a tooltip at the pointer with the hovered sample's value, breach bands
// at least 4 px wide, layers told apart by line style, the sent video's
// all-layers threshold drawn against a total line, the legend's hint and the
// audio / video / screen and sent / received filters.
// The sent video's frame-rate limit is drawn against its highest sending layer.
import assert from 'node:assert/strict';
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { SAMPLE_DIR, analyzeWithPicker, checkWatch, cliReport, launch, listFiles, openPage, screenshot, startServer } from './helpers.mjs';

const AISHA = '51a70ea1-9679-4e20-8ffb-6f3dc3f1ba43';
const BEN = 'b1416d25-6e92-4636-b0fe-177123812443';

let srv;
let browser;
let page;
let watch;
let context;
let report; // the engine's report of the sample (native CLI)
let rules; // report.charts

before(async () => {
  srv = await startServer();
  browser = await launch();
  ({ page, watch, context } = await openPage(browser, srv.base));
  await page.goto(srv.base);
  const files = await listFiles(SAMPLE_DIR);
  const full = cliReport(files);
  report = full.sessions[0];
  rules = full.charts;
  await analyzeWithPicker(page, files);
});
after(async () => {
  await context?.close();
  await browser?.close();
  await srv?.close();
});

async function openPeer(id) {
  await page.evaluate((x) => (location.hash = `#/peer/${x}`), id);
  await page.waitForFunction((x) => document.body.dataset.view === 'peer' && document.querySelector('h1.peer-title'), id);
}

// Waits until a chart card has drawn its plot (charts draw when scrolled into view).
async function drawn(card) {
  await card.scrollIntoViewIfNeeded();
  await card.locator('.uplot').waitFor({ timeout: 20000 });
  return card;
}

// The raw samples of a peer's input file: {timestamps, <metric>: [...]} of a track.
async function rawTrack(peerId, direction, kind, index) {
  const doc = JSON.parse(await fs.readFile(path.join(SAMPLE_DIR, `peer-stats-${peerId}.json`), 'utf8'));
  return doc[direction][kind][index].time_series;
}

// Pixels of one row of a chart's canvas, at `dy` CSS px below the plot's top.
async function plotRow(card, dy) {
  return card.evaluate((el, y) => {
    const canvas = el.querySelector('.uplot canvas');
    const over = el.querySelector('.u-over');
    const ratio = canvas.width / canvas.getBoundingClientRect().width;
    const top = Math.round((over.offsetTop + y) * ratio);
    const left = Math.round(over.offsetLeft * ratio);
    const width = Math.round(over.offsetWidth * ratio);
    const data = canvas.getContext('2d').getImageData(left, top, width, 1).data;
    const out = [];
    for (let i = 0; i < width; i++) out.push([data[4 * i], data[4 * i + 1], data[4 * i + 2], data[4 * i + 3]]);
    return { ratio, pixels: out };
  }, dy);
}

// Every pixel of a chart's canvas close to the colour [r, g, b].
async function countColour(card, rgb, tolerance = 30) {
  return card.evaluate(
    (el, [c, tol]) => {
      const canvas = el.querySelector('.uplot canvas');
      const d = canvas.getContext('2d').getImageData(0, 0, canvas.width, canvas.height).data;
      let n = 0;
      for (let i = 0; i < d.length; i += 4) {
        if (d[i + 3] > 200 && Math.abs(d[i] - c[0]) + Math.abs(d[i + 1] - c[1]) + Math.abs(d[i + 2] - c[2]) <= tol) n++;
      }
      return n;
    },
    [rgb, tolerance],
  );
}

describe('charts that say what they mean', () => {
  it('concealment is charted in % of samples, with its threshold lines inside the plot', async () => {
    const rule = rules.find((r) => r.direction === 'subscriber' && r.kind === 'audio' && r.metric === 'concealment_percent');
    assert.ok(rule, 'the engine charts concealment in %');
    assert.deepEqual(rule.thresholds.map((t) => t.severity), ['warning', 'critical']);
    const aisha = report.peers.find((p) => p.peer_id === AISHA);
    assert.ok(aisha.tracks.some((t) => t.direction === 'subscriber' && t.kind === 'audio' && t.charts.includes('concealment_percent')));
    assert.ok(!aisha.tracks.some((t) => t.charts.includes('concealed_samples')), 'no raw-count chart');

    await openPeer(AISHA);
    const card = await drawn(page.locator('details.track-group .chart-card[data-metric="concealment_percent"]').first());
    const notes = await card.locator('.chart-notes').textContent();
    for (const t of rule.thresholds) assert.match(notes, new RegExp(`${t.severity} ${t.value}(\\.0+)? %`));
    assert.match(await card.locator('.uplot').getAttribute('aria-label'), /% of samples/);
    // The lines are drawn: the warning line's colour (#b45309) and the critical one's (#b91c1c) cross the plot.
    const width = await card.locator('.u-over').evaluate((el) => el.offsetWidth);
    assert.ok((await countColour(card, [0xb4, 0x53, 0x09])) > width / 3, 'the warning line is inside the plotted range');
    assert.ok((await countColour(card, [0xb9, 0x1c, 0x1c])) > width / 2, 'the critical line is inside the plotted range');
  });

  it('every axis says its unit', async () => {
    await openPeer(AISHA);
    const expected = { bitrate: /kbit\/s/, fps: /fps/, packet_loss_percent: /%/, rtt_ms: /ms/, cqs: /CQS \(0–5\)/ };
    for (const [metric, unit] of Object.entries(expected)) {
      const card = await drawn(page.locator(`.chart-card[data-metric="${metric}"]`).first());
      assert.match(await card.locator('.uplot').getAttribute('aria-label'), unit, metric);
    }
    await screenshot(page, 'charts-units');
  });

  it('a tooltip at the pointer shows the time and the value of the hovered sample', async () => {
    await openPeer(AISHA);
    const group = page.locator('.track-group[data-kinds="audio"][data-direction="publisher"]');
    const card = await drawn(group.locator('.chart-card[data-metric="rtt_ms"]'));
    const over = card.locator('.u-over');
    const box = await over.boundingBox();
    await page.mouse.move(box.x + box.width * 0.37, box.y + box.height / 2);
    const tip = card.locator('.chart-tip');
    await tip.waitFor({ state: 'visible' });
    // It sits at the pointer, inside the plot.
    const tbox = await tip.boundingBox();
    assert.ok(Math.abs(tbox.x - (box.x + box.width * 0.37)) < 300 && tbox.y >= box.y - 1 && tbox.y <= box.y + box.height, 'at the pointer');
    const text = await tip.textContent();
    const time = text.match(/(\d\d:\d\d:\d\d) UTC/)[1];
    const raw = await rawTrack(AISHA, 'publisher', 'audio', 0);
    const i = raw.timestamps.findIndex((t) => new Date(t).toISOString().slice(11, 19) === time);
    assert.ok(i >= 0, `a sample at ${time}`);
    assert.match(text, new RegExp(`: ${raw.rtt_ms[i]} ms`), `the RTT at ${time} (${raw.rtt_ms[i]} ms) in "${text}"`);
    // Moving on moves the tooltip to another sample; leaving hides it.
    await page.mouse.move(box.x + box.width * 0.8, box.y + box.height / 2);
    await page.waitForFunction(([el, before]) => el.textContent !== before, [await tip.elementHandle(), text]);
    await page.mouse.move(box.x + box.width / 2, box.y - 60);
    await tip.waitFor({ state: 'hidden' });
  });

  it('a one-sample breach is a band at least 4 px wide', async () => {
    const one = report.breaches.find((b) => b.peer_id === BEN && b.metric === 'mos' && b.start_ms === b.end_ms);
    assert.ok(one, 'the sample has a one-sample MOS breach for Ben');
    await openPeer(BEN);
    const group = page.locator('.track-group[data-kinds="audio"][data-direction="publisher"]');
    const card = await drawn(group.locator('.chart-card[data-metric="mos"]'));
    // The plot's top rows hold no data (the y range has headroom): only bands
    // colour them. The canvas is transparent, a band a 16 % wash of orange or
    // red (alpha about 41 of 255): a band's width is its pixels' coverage
    // summed, as its edges fall between pixels.
    const { ratio, pixels } = await plotRow(card, 3);
    const coverage = ([r, , b, a]) => (r > b + 100 && a < 100 ? Math.min(1, a / 40.8) : 0);
    const runs = [];
    let run = 0;
    for (const p of pixels) {
      const c = coverage(p);
      if (c > 0) run += c;
      else if (run) runs.push(run), (run = 0);
    }
    if (run) runs.push(run);
    const breaches = report.breaches.filter((b) => b.peer_id === BEN && b.metric === 'mos' && b.direction === 'publisher');
    assert.ok(runs.length >= 1 && runs.length <= breaches.length, `one band per breach (${runs.length} runs, ${breaches.length} breaches)`);
    assert.ok(Math.min(...runs) / ratio >= 3.9, `every band is at least 4 px wide: ${runs.map((r) => (r / ratio).toFixed(2)).join(', ')}`);
  });

  it('layers and directions differ by line style as well as colour; the legend says a click hides a line', async () => {
    await openPeer(AISHA);
    const card = await drawn(page.locator('.track-group', { hasText: 'simulcast layers' }).locator('.chart-card[data-metric="packet_loss_percent"]'));
    const styles = await card.locator('.u-legend .u-series').evaluateAll((rows) =>
      rows.slice(1).map((r) => [r.querySelector('.u-label').textContent, getComputedStyle(r.querySelector('.u-marker')).borderTopStyle]),
    );
    const byLayer = Object.fromEntries(styles.map(([label, style]) => [label.match(/layer (\w)/)?.[1], style]));
    assert.deepEqual(byLayer, { h: 'solid', m: 'dashed', l: 'dotted' });
    const cqs = await drawn(page.locator('.chart-card[data-metric="cqs"]'));
    const dirs = await cqs.locator('.u-legend .u-series .u-marker').evaluateAll((m) => m.slice(1).map((x) => getComputedStyle(x).borderTopStyle));
    assert.equal(new Set(dirs).size, 2, 'uplink and downlink lines differ in style');
    assert.match(await card.locator('.legend-hint').textContent(), /click.*hide/i);
    assert.match(await card.locator('.u-legend .u-series').nth(1).getAttribute('title'), /hide/i);
    // A click on a legend row hides its line (uPlot's toggle) and its tooltip value.
    await card.locator('.u-legend .u-series').nth(1).click();
    assert.match(await card.locator('.u-legend .u-series').nth(1).getAttribute('class'), /u-off/);
    await card.locator('.u-legend .u-series').nth(1).click();
  });

  it("a sent video's bitrate thresholds are drawn against the total of its layers", async () => {
    const rule = rules.find((r) => r.direction === 'publisher' && r.kind === 'video' && r.metric === 'bitrate');
    assert.ok(rule.thresholds.length > 0 && rule.thresholds.every((t) => t.series === 'all_layers'));
    await openPeer(AISHA);
    const card = await drawn(page.locator('.track-group', { hasText: 'simulcast layers' }).locator('.chart-card[data-metric="bitrate"]'));
    const labels = await card.locator('.u-legend .u-series .u-label').allTextContents();
    assert.ok(labels.includes('total of all layers'), labels.join(', '));
    assert.match(await card.locator('.chart-notes').textContent(), /all layers together/);
    // The total at a hovered time is the sum of the layers there.
    const box = await card.locator('.u-over').boundingBox();
    await page.mouse.move(box.x + box.width * 0.5, box.y + box.height / 2);
    const tip = card.locator('.chart-tip');
    await tip.waitFor({ state: 'visible' });
    const text = await tip.textContent();
    const time = text.match(/(\d\d:\d\d:\d\d) UTC/)[1];
    let sum = 0;
    for (let layer = 0; layer < 3; layer++) {
      const raw = await rawTrack(AISHA, 'publisher', 'video', layer);
      const i = raw.timestamps.findIndex((t) => new Date(t).toISOString().slice(11, 19) === time);
      sum += raw.bitrate[i];
    }
    const shown = text.match(/total of all layers: ([\d.,]+) (Mbps|kbps)/);
    assert.ok(shown, text);
    const value = Number(shown[1].replace(/,/g, '')) * (shown[2] === 'Mbps' ? 1e6 : 1e3);
    assert.ok(Math.abs(value - sum) <= (shown[2] === 'Mbps' ? 5000 : 500), `total ${value} vs the layers' sum ${sum}`);
    // The frame rate limit applies to the highest sending layer: that line is drawn too.
    const fpsRule = rules.find((r) => r.direction === 'publisher' && r.kind === 'video' && r.metric === 'fps');
    assert.ok(fpsRule.thresholds.every((t) => t.series === 'highest_sending_layer'));
    const fps = await drawn(page.locator('.track-group', { hasText: 'simulcast layers' }).locator('.chart-card[data-metric="fps"]'));
    assert.ok((await fps.locator('.u-legend .u-series .u-label').allTextContents()).includes('highest sending layer'));
  });

  it('filters: audio / video / screen and sent / received hide and show the charts', async () => {
    await openPeer(AISHA);
    const audioCards = page.locator('.chart-card[data-kind="audio"]');
    const videoCards = page.locator('.chart-card[data-kind="video"]');
    assert.ok((await audioCards.count()) > 0 && (await videoCards.count()) > 0);
    await page.uncheck('#chart-filter-audio');
    for (const c of await audioCards.all()) assert.equal(await c.isVisible(), false, 'audio charts hidden');
    assert.equal(await page.locator('.track-group[data-kinds="audio"][data-direction="publisher"]').isVisible(), false, 'the sent audio group hidden whole');
    assert.equal(await videoCards.first().isVisible(), true, 'video charts stay');
    await page.check('#chart-filter-audio');
    assert.equal(await audioCards.first().isVisible(), true, 'audio charts back');
    // Received only: the sent section goes.
    await page.uncheck('#chart-filter-publisher');
    assert.equal(await page.locator('[data-direction-section="publisher"]').isVisible(), false);
    for (const c of await page.locator('.chart-card[data-direction="publisher"]').all()) assert.equal(await c.isVisible(), false);
    assert.equal(await page.locator('.chart-card[data-direction="subscriber"]').first().isVisible(), true);
    await page.check('#chart-filter-publisher');
    assert.equal(await page.locator('[data-direction-section="publisher"]').isVisible(), true);
    checkWatch(assert, watch);
  });
});
