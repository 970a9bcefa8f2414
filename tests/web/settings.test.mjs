// Settings that cannot be wrong (issue 23, item 4): the engine refuses a
// warning level beyond its critical one and the page shows the engine's words
// beside the field, never "Saved"; the export controls of Overview and Issues
// download the same bytes as those of Settings. Screenshots of the refusal at
// 390 and 1440 px land in build/screenshots/.
import assert from 'node:assert/strict';
import { promises as fs } from 'node:fs';
import { after, before, describe, it } from 'node:test';
import { SAMPLE_DIR, analyzeWithPicker, checkWatch, clickTab, launch, listFiles, openPage, screenshot, startServer } from './helpers.mjs';

const KEY = 'callsight.config.v1';
const LOSS_REFUSAL =
  'thresholds.packet_loss_percent: the warning level (50) is beyond the critical level (5): for this metric higher is worse, so warning must not be above critical';

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

// A page with the sample session analyzed, at this viewport.
async function samplePage(viewport) {
  const opened = await openPage(browser, srv.base, { viewport });
  await opened.page.goto(srv.base);
  await analyzeWithPicker(opened.page, await listFiles(SAMPLE_DIR));
  return opened;
}

// Enters the levels and saves; resolves once the form says how it went.
async function saveLevels(page, key, { warning, critical }) {
  if (warning !== undefined) await page.fill(`#th-${key}-warning`, String(warning));
  if (critical !== undefined) await page.fill(`#th-${key}-critical`, String(critical));
  await page.click('#settings-save');
  await page.waitForFunction(() => /refused|Saved/.test(document.querySelector('.form-status')?.textContent || ''), null, { timeout: 30000 });
}

const statusText = (page) => page.textContent('.form-status');
const storedConfig = (page) => page.evaluate((k) => localStorage.getItem(k), KEY);

describe('settings: the engine refuses a warning beyond critical', () => {
  for (const [width, height] of [
    [1440, 900],
    [390, 844],
  ]) {
    it(`a loss warning above critical shows the engine's message beside the field, not "Saved" (${width} px)`, async () => {
      const { context, page, watch } = await samplePage({ width, height });
      try {
        await clickTab(page, 'settings');
        await saveLevels(page, 'packet_loss_percent', { warning: 50 });
        assert.equal((await page.textContent('.field-error')).trim(), LOSS_REFUSAL);
        // the message sits in the row after the packet-loss row and describes its inputs
        const row = await page.evaluate(() => document.querySelector('.field-error-row').previousElementSibling.querySelector('input').id);
        assert.equal(row, 'th-packet_loss_percent-warning');
        for (const level of ['warning', 'critical']) {
          const input = page.locator(`#th-packet_loss_percent-${level}`);
          assert.equal(await input.getAttribute('aria-invalid'), 'true');
          assert.equal(await input.getAttribute('aria-describedby'), 'settings-refusal');
        }
        // the refused values stay in the form for the user to fix
        assert.equal(await page.inputValue('#th-packet_loss_percent-warning'), '50');
        const status = await statusText(page);
        assert.ok(status.includes(`nothing was saved: ${LOSS_REFUSAL}`), status);
        assert.doesNotMatch(status, /Saved/);
        assert.equal(await storedConfig(page), null, 'nothing is kept');
        await page.evaluate(() => window.scrollTo(0, document.querySelector('.field-error-row').previousElementSibling.getBoundingClientRect().top + window.scrollY - 80));
        await screenshot(page, `23-settings-refused-${width}`);
        const beyond = await page.evaluate(() => {
          const box = (sel) => document.querySelector(sel).getBoundingClientRect();
          return Math.max(box('.field-error').right, box('#th-packet_loss_percent-critical').right) - document.documentElement.clientWidth;
        });
        assert.ok(beyond <= 0, `the message and both inputs fit the screen (${beyond} px beyond)`);
        // fixed: saved, the message gone
        await saveLevels(page, 'packet_loss_percent', { warning: 4 });
        assert.match(await statusText(page), /Saved/);
        assert.equal(await page.locator('.field-error').count(), 0);
        assert.equal(JSON.parse(await storedConfig(page)).thresholds.packet_loss_percent.warning, 4);
        checkWatch(assert, watch);
      } finally {
        await context.close();
      }
    });
  }

  it('with no files loaded: the engine\'s values are shown, and a frame-rate warning below critical is refused (lower is worse)', async () => {
    const { context, page, watch } = await openPage(browser, srv.base);
    try {
      await page.goto(`${srv.base}#/settings`);
      // the form shows the engine's values (its defaults), not empty fields that would switch levels off
      await page.waitForSelector('#settings-save:not([disabled])');
      const lossWarning = await page.inputValue('#th-packet_loss_percent-warning');
      assert.ok(Number(lossWarning) > 0, `loss warning shown: "${lossWarning}"`);
      await saveLevels(page, 'fps', { warning: 5, critical: 7 });
      assert.match(await page.textContent('.field-error'), /^thresholds\.fps: the warning level \(5\) is beyond the critical level \(7\): for this metric lower is worse/);
      assert.doesNotMatch(await statusText(page), /Saved/);
      assert.equal(await storedConfig(page), null);
      // equal levels are allowed
      await saveLevels(page, 'fps', { warning: 7, critical: 7 });
      assert.match(await statusText(page), /Saved/);
      const stored = JSON.parse(await storedConfig(page)).thresholds;
      assert.equal(stored.fps.warning, 7);
      assert.equal(stored.packet_loss_percent.warning, Number(lossWarning), 'the other levels stay as they were');
      checkWatch(assert, watch);
    } finally {
      await context.close();
    }
  });
});

describe('exports from Overview and Issues', () => {
  let opened;
  before(async () => {
    opened = await samplePage({ width: 1280, height: 800 });
  });
  after(async () => {
    await opened?.context.close();
  });

  // The three downloads of the view's export controls: {file name: bytes}.
  async function downloads(view) {
    const { page } = opened;
    await clickTab(page, view);
    const out = {};
    for (const id of ['export-json', 'export-issues', 'export-breaches']) {
      const [d] = await Promise.all([page.waitForEvent('download'), page.click(`.view.${view} #${id}`)]);
      out[d.suggestedFilename()] = await fs.readFile(await d.path());
    }
    return out;
  }

  it('download the same files as Settings, and print', async () => {
    const fromSettings = await downloads('settings');
    const names = Object.keys(fromSettings);
    assert.equal(names.length, 3);
    assert.ok(names.some((n) => n.endsWith('.json')) && names.filter((n) => n.endsWith('.csv')).length === 2, names.join(', '));
    assert.ok(JSON.parse(fromSettings[names.find((n) => n.endsWith('.json'))]).sessions.length > 0);
    for (const view of ['overview', 'issues']) {
      const got = await downloads(view);
      assert.deepEqual(Object.keys(got).sort(), [...names].sort(), `${view}: the same file names`);
      for (const n of names) assert.ok(got[n].equals(fromSettings[n]), `${view}: ${n} has the same bytes as from Settings`);
    }
    // Print: the same control on each view calls the browser's print
    const { page } = opened;
    await page.evaluate(() => {
      window.__prints = 0;
      window.print = () => (window.__prints += 1);
    });
    for (const view of ['overview', 'issues', 'settings']) {
      await clickTab(page, view);
      await page.click(`.view.${view} #export-print`);
    }
    assert.equal(await page.evaluate(() => window.__prints), 3);
    checkWatch(assert, opened.watch);
  });
});
