// Landing page, the static server, file intake (picker, drop, sample) and
// rejected files.
import assert from 'node:assert/strict';
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import {
  SAMPLE_DIR,
  SITE,
  analyzeWithPicker,
  checkWatch,
  dropFiles,
  filePayloads,
  listFiles,
  openPage,
  scenarioFiles,
  screenshot,
  startSiteAndBrowser,
  stopSiteAndBrowser,
} from './helpers.mjs';

const CSP =
  "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; style-src 'self'; img-src 'self' data: blob:; connect-src 'self'; worker-src 'self' blob:; object-src 'none'; base-uri 'none'; form-action 'none'";

let srv;
let browser;
before(async () => ({ srv, browser } = await startSiteAndBrowser()));
after(() => stopSiteAndBrowser(srv, browser));

describe('static site and server', () => {
  it('has the files the page needs, with relative paths', async () => {
    for (const f of ['index.html', 'app.js', 'app.css', 'engine/worker.js', 'engine/engine.wasm', 'sample/index.json']) {
      await fs.access(path.join(SITE, f));
    }
    const html = await fs.readFile(path.join(SITE, 'index.html'), 'utf8');
    assert.ok(html.includes(`content="${CSP}"`), 'the CSP meta tag');
    assert.doesNotMatch(html, /(src|href)="(\/|https?:)/, 'only relative URLs');
    assert.doesNotMatch(html, /<script(?![^>]*\bsrc=)[^>]*>/, 'no inline script');
    assert.doesNotMatch(html, /style=|<style/, 'no inline style');
    const index = JSON.parse(await fs.readFile(path.join(SITE, 'sample/index.json'), 'utf8'));
    const sample = (await fs.readdir(SAMPLE_DIR)).filter((n) => !n.startsWith('.')).sort();
    assert.deepEqual([...index.files].sort(), sample);
  });

  it('serves with the CSP header and correct MIME types', async () => {
    const get = async (p) => fetch(new URL(p, srv.base));
    const page = await get('');
    assert.equal(page.status, 200);
    assert.equal(page.headers.get('content-security-policy'), CSP);
    assert.match(page.headers.get('content-type'), /^text\/html/);
    assert.equal((await get('engine/engine.wasm')).headers.get('content-type'), 'application/wasm');
    assert.match((await get('app.js')).headers.get('content-type'), /^text\/javascript/);
    assert.match((await get('app.css')).headers.get('content-type'), /^text\/css/);
    assert.match((await get('sample/index.json')).headers.get('content-type'), /^application\/json/);
    assert.equal((await get('nope.html')).status, 404);
    for (const evil of ['..%2f..%2f..%2fetc%2fpasswd', '%2e%2e/%2e%2e/%2e%2e/etc/passwd', '..%5c..%5cetc%5cpasswd']) {
      const r = await get(evil);
      assert.ok(r.status === 403 || r.status === 404, `${evil} -> ${r.status}`);
      assert.doesNotMatch(await r.text(), /root:/);
    }
    assert.equal((await fetch(new URL('', srv.base), { method: 'POST' })).status, 405);
  });
});

describe('landing', () => {
  it('shows the drop zone, the pickers, the sample button and the privacy line', async () => {
    const { page, watch, context } = await openPage(browser, srv.base);
    await page.goto(srv.base);
    await page.waitForSelector('#try-sample');
    assert.equal(await page.locator('#file-input').getAttribute('type'), 'file');
    assert.equal(await page.locator('#file-input').evaluate((el) => el.multiple), true);
    assert.match(await page.textContent('.privacy'), /never leave the browser/);
    assert.equal(await page.locator('.tab[data-view="overview"]').isHidden(), true, 'data tabs hidden without a report');
    await screenshot(page, '01-landing');
    checkWatch(assert, watch);
    await context.close();
  });

  it('analyzes the bundled sample session', async () => {
    const { page, watch, context } = await openPage(browser, srv.base);
    await page.goto(srv.base);
    await page.click('#try-sample');
    await page.waitForSelector('.view.overview', { timeout: 30000 });
    assert.equal(new URL(page.url()).hash, '#/overview');
    const facts = await page.textContent('.overview .facts');
    assert.match(facts, /Participants\s*6/);
    assert.equal(await page.locator('.tl-rows .tl-row').count(), 6, 'one timeline row per peer');
    assert.match(await page.textContent('table.meetings'), /Multiparty/);
    assert.ok((await page.locator('.tl-marker').count()) > 0, 'issue markers on the timeline');
    assert.ok(watch.requests.some((u) => u.endsWith('/engine/engine.wasm')), 'the engine was loaded');
    assert.ok(watch.requests.some((u) => u.endsWith('/sample/index.json')));
    checkWatch(assert, watch);
    await context.close();
  });

  it('shows progress while analyzing', async () => {
    const { page, watch, context } = await openPage(browser, srv.base);
    await page.goto(srv.base);
    await page.evaluate(() => {
      window.__progress = [];
      const box = document.querySelector('.progress');
      new MutationObserver(() => {
        if (!box.hidden) window.__progress.push(box.textContent);
      }).observe(box, { attributes: true, childList: true, subtree: true, characterData: true });
    });
    await analyzeWithPicker(page, await listFiles(SAMPLE_DIR));
    const seen = await page.evaluate(() => window.__progress);
    assert.ok(seen.some((t) => /Reading|Parsing|Analyzing/.test(t)), `progress shown: ${seen.slice(0, 3)}`);
    assert.equal(await page.locator('.progress').isHidden(), true, 'progress hidden when done');
    checkWatch(assert, watch);
    await context.close();
  });

  it('analyzes files dropped on the page', async () => {
    const { page, watch, context } = await openPage(browser, srv.base);
    await page.goto(srv.base);
    await page.waitForSelector('#try-sample');
    const files = [];
    for (const f of await scenarioFiles('break-15min')) {
      files.push({ name: path.basename(f), text: await fs.readFile(f, 'utf8'), type: 'application/json' });
    }
    await dropFiles(page, files);
    assert.match(await page.textContent('.overview .facts'), /Meetings\s*2/);
    assert.equal(await page.locator('.drop-overlay').isHidden(), true);
    checkWatch(assert, watch);
    await context.close();
  });

  it('analyzes a folder chosen with the folder picker', async () => {
    const { page, watch, context } = await openPage(browser, srv.base);
    await page.goto(srv.base);
    await page.waitForSelector('#try-sample');
    await page.setInputFiles('#folder-input', SAMPLE_DIR);
    await page.waitForSelector('.view.overview', { timeout: 30000 });
    assert.match(await page.textContent('.overview .facts'), /Participants\s*6/);
    checkWatch(assert, watch);
    await context.close();
  });

  it('lists a rejected file with its message and analyzes the others', async () => {
    const { page, watch, context } = await openPage(browser, srv.base);
    await page.goto(srv.base);
    await page.setInputFiles('#file-input', [
      ...(await filePayloads(await listFiles(SAMPLE_DIR))),
      { name: 'broken.json', mimeType: 'application/json', buffer: Buffer.from('{"peer_id": "x", oops') },
      { name: 'unknown.json', mimeType: 'application/json', buffer: Buffer.from('{"hello": "world"}') },
    ]);
    await page.waitForSelector('.view.overview', { timeout: 30000 });
    const notice = await page.textContent('#rejected-files');
    assert.match(notice, /2 files were rejected/);
    assert.match(notice, /broken\.json/);
    assert.match(notice, /unknown\.json/);
    assert.match(notice, /invalid JSON|JSON/i);
    assert.match(await page.textContent('.overview .facts'), /Participants\s*6/, 'the good files are analyzed');
    await screenshot(page, '02-rejected-file');
    checkWatch(assert, watch);
    await context.close();
  });

  it('after a reload, the files given again open in the view of the URL', async () => {
    const { page, watch, context } = await openPage(browser, srv.base);
    await page.goto(`${srv.base}#/issues`);
    await page.waitForSelector('#try-sample');
    assert.equal(await page.evaluate(() => document.body.dataset.view), 'landing', 'no report yet: the landing page');
    await analyzeWithPicker(page, await listFiles(SAMPLE_DIR), { expectView: '.view.issues' });
    assert.equal(new URL(page.url()).hash, '#/issues');
    checkWatch(assert, watch);
    await context.close();
  });

  it('says so when every file is rejected', async () => {
    const { page, watch, context } = await openPage(browser, srv.base);
    await page.goto(srv.base);
    await page.setInputFiles('#file-input', [{ name: 'x.bin', mimeType: 'application/octet-stream', buffer: Buffer.from([0, 1, 2, 255, 254]) }]);
    await page.waitForSelector('#rejected-files', { timeout: 30000 });
    assert.match(await page.textContent('#rejected-files'), /x\.bin/);
    assert.ok(await page.locator('#try-sample').isVisible(), 'still on the landing page');
    checkWatch(assert, watch);
    await context.close();
  });
});
