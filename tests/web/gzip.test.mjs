// Gzip-compressed exports dropped on the page: handed to the engine as they
// are, decompressed by the package (DecompressionStream), giving the overview
// of the plain files; a damaged one is listed as rejected with its reason.
import assert from 'node:assert/strict';
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { after, before, describe, it } from 'node:test';
import { SAMPLE_DIR, checkWatch, dropFiles, listFiles, openPage, startSiteAndBrowser, stopSiteAndBrowser } from './helpers.mjs';

let srv;
let browser;
before(async () => ({ srv, browser } = await startSiteAndBrowser()));
after(() => stopSiteAndBrowser(srv, browser));

/** Drops files ({name, bytes: number[]}) on the page as a user would, and waits for the overview. */
async function drop(page, files) {
  await page.goto(srv.base);
  await page.waitForSelector('#try-sample');
  await dropFiles(page, files);
  return page.textContent('.overview .facts');
}

/** The sample session's files, those whose names match `gzipped` compressed as name.gz. */
async function sampleFiles(gzipped = () => false) {
  const out = [];
  for (const p of await listFiles(SAMPLE_DIR)) {
    const bytes = await fs.readFile(p);
    const name = path.basename(p);
    out.push(gzipped(name) ? { name: `${name}.gz`, bytes: [...gzipSync(bytes)] } : { name, bytes: [...bytes] });
  }
  return out;
}

describe('gzip files dropped on the page', () => {
  it('the landing page says gzip files are read', async () => {
    const { page, watch, context } = await openPage(browser, srv.base);
    await page.goto(srv.base);
    await page.waitForSelector('#try-sample');
    assert.match(await page.textContent('.help'), /gzip-compressed files \(\.gz\) are decompressed on this page/);
    assert.equal(await page.locator('#file-input').getAttribute('accept'), null, 'the picker filters no file type');
    checkWatch(assert, watch);
    await context.close();
  });

  it('a gzipped export gives the same overview as the plain one', async () => {
    const { page, watch, context } = await openPage(browser, srv.base);
    const plain = await drop(page, await sampleFiles());
    const files = await sampleFiles((name) => name.startsWith('peer-stats'));
    assert.ok(files.some((f) => f.name.endsWith('.gz')), 'the sample has a peer-stats file to compress');
    const gzipped = await drop(page, files);
    assert.equal(gzipped, plain);
    assert.match(gzipped, /Participants\s*6/);
    assert.equal(await page.locator('#rejected-files').count() === 0 || await page.locator('#rejected-files').isHidden(), true,
      'no file was rejected');
    checkWatch(assert, watch);
    await context.close();
  });

  it('a damaged gzip file is listed as rejected with its reason; the others are analyzed', async () => {
    const { page, watch, context } = await openPage(browser, srv.base);
    const files = await sampleFiles();
    const whole = gzipSync(Buffer.from(files[0].bytes));
    files.push({ name: 'cut.json.gz', bytes: [...whole.subarray(0, 40)] });
    const facts = await drop(page, files);
    assert.match(facts, /Participants\s*6/, 'the good files are analyzed');
    const notice = await page.textContent('#rejected-files');
    assert.match(notice, /cut\.json\.gz/);
    assert.match(notice, /the gzip data is damaged or cut short/);
    checkWatch(assert, watch);
    await context.close();
  });
});
