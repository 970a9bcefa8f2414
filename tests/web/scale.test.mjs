// Large sessions and scoping: a 520-peer session stays virtualized, a session
// split into meetings is scoped by the meeting selector, several sessions get a
// session selector.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import {
  SAMPLE_DIR,
  analyzeWithPicker,
  checkWatch,
  clickTab,
  listFiles,
  openPage,
  scenarioFiles,
  screenshot,
  startSiteAndBrowser,
  stopSiteAndBrowser,
} from './helpers.mjs';

let srv;
let browser;
before(async () => ({ srv, browser } = await startSiteAndBrowser()));
after(() => stopSiteAndBrowser(srv, browser));

describe('large sessions', () => {
  it('renders only the visible rows of a 520-peer participants table', async () => {
    const { page, watch, context } = await openPage(browser, srv.base);
    await page.goto(srv.base);
    await analyzeWithPicker(page, await scenarioFiles('many-peers'));
    assert.match(await page.textContent('.overview .facts'), /Participants\s*520/);
    await clickTab(page, 'peers');
    assert.match(await page.textContent('.vt-status'), /520 participants/);
    const inDom = await page.locator('.vt-body-row').count();
    assert.ok(inDom > 5 && inDom < 80, `rows in the DOM: ${inDom}`);
    // scroll to the end: the last rows appear, the DOM stays small
    await page.click('.vt-header button:has-text("Joined")');
    await page.evaluate(() => {
      const vp = document.querySelector('.vt-viewport');
      vp.scrollTop = vp.scrollHeight;
    });
    await page.waitForFunction(() => [...document.querySelectorAll('.vt-body-row')].some((r) => r.getAttribute('aria-rowindex') === '521'));
    assert.ok((await page.locator('.vt-body-row').count()) < 80);
    // keyboard to the end and back
    await page.locator('.vt-body-row').last().focus();
    await page.keyboard.press('Home');
    await page.waitForFunction(() => document.activeElement?.getAttribute('aria-rowindex') === '2');
    await page.keyboard.press('End');
    await page.waitForFunction(() => document.activeElement?.getAttribute('aria-rowindex') === '521');
    // filter still works
    await page.fill('#peer-filter', 'zzzz-no-such-peer');
    await page.waitForFunction(() => document.querySelectorAll('.vt-body-row').length === 0);
    assert.match(await page.textContent('.vtable'), /No participant matches/);
    await page.fill('#peer-filter', '');
    await page.waitForFunction(() => document.querySelectorAll('.vt-body-row').length > 5);
    await page.evaluate(() => (document.querySelector('.vt-viewport').scrollTop = 0));
    await page.waitForTimeout(100);
    await screenshot(page, '13-many-peers');
    checkWatch(assert, watch);
    await context.close();
  });
});

describe('scoping', () => {
  it('the meeting selector scopes the overview, participants and issues', async () => {
    const { page, watch, context } = await openPage(browser, srv.base);
    await page.goto(srv.base);
    await analyzeWithPicker(page, await scenarioFiles('break-15min'));
    assert.match(await page.textContent('.overview .facts'), /Meetings\s*2/);
    assert.ok(await page.locator('#meeting-select').isVisible());
    await clickTab(page, 'peers');
    const all = await page.locator('.vt-body-row').count();
    await page.selectOption('#meeting-select', '1');
    await page.waitForFunction(() => /[?&]m=1/.test(location.hash));
    const second = await page.locator('.vt-body-row').count();
    assert.ok(second > 0 && second < all, `${second} of ${all} peers in meeting 2`);
    await clickTab(page, 'overview');
    assert.match(new URL(page.url()).hash, /m=1/, 'the meeting stays selected across views');
    assert.match(await page.textContent('.view.overview'), /Showing meeting 2 of 2/);
    assert.equal(await page.locator('.tl-rows .tl-row').count(), second);
    await screenshot(page, '14-meeting-scope', { fullPage: true });
    await page.selectOption('#meeting-select', '');
    await page.waitForFunction(() => !/[?&]m=/.test(location.hash));
    assert.equal(await page.locator('.tl-rows .tl-row').count(), all);
    checkWatch(assert, watch);
    await context.close();
  });

  it('files of several sessions get a session selector', async () => {
    const { page, watch, context } = await openPage(browser, srv.base);
    await page.goto(srv.base);
    await analyzeWithPicker(page, [...(await listFiles(SAMPLE_DIR)), ...(await scenarioFiles('clean'))]);
    assert.ok(await page.locator('#session-select').isVisible());
    const options = await page.locator('#session-select option').count();
    assert.equal(options, 2);
    const first = await page.textContent('.overview .facts');
    await page.selectOption('#session-select', '1');
    await page.waitForFunction((f) => document.querySelector('.overview .facts')?.textContent !== f, first);
    assert.notEqual(await page.textContent('.overview .facts'), first);
    checkWatch(assert, watch);
    await context.close();
  });
});
