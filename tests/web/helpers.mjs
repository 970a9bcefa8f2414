// Shared setup of the dashboard browser tests: serve build/site with
// web/serve.mjs on a free port, drive Debian's headless chromium through
// playwright-core, generate input fixtures with scripts/gen, and watch every
// page for requests leaving the origin, dialogs and script errors.
import { spawnSync } from 'node:child_process';
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';
import { launchChromium } from '../../scripts/lib/chromium.mjs';
import { createStaticServer } from '../../web/serve.mjs';

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
export const BUILD = process.env.CALLSIGHT_BUILD_DIR ? path.resolve(process.env.CALLSIGHT_BUILD_DIR) : path.join(ROOT, 'build');
export const SITE = path.join(BUILD, 'site');
export const SHOTS = path.join(BUILD, 'screenshots');
export const SAMPLE_DIR = path.join(ROOT, 'samples', 'sample-session');

export async function startServer() {
  await fs.access(path.join(SITE, 'index.html')).catch(() => {
    throw new Error(`${SITE}/index.html is missing: build the site first (scripts/build)`);
  });
  const server = createStaticServer(SITE);
  await new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', resolve);
  });
  const base = `http://127.0.0.1:${server.address().port}/`;
  return { server, base, close: () => new Promise((r) => server.close(r)) };
}

export async function launch() {
  return launchChromium(chromium);
}

// A new page (own context: fresh localStorage) that records what must not happen.
/** The site's server and a browser, for a test file's before() hook. */
export async function startSiteAndBrowser() {
  return { srv: await startServer(), browser: await launch() };
}

/** The matching after() hook: closes both and removes the generated fixtures. */
export async function stopSiteAndBrowser(srv, browser) {
  await browser?.close();
  await srv?.close();
  await cleanupFixtures();
}

export async function openPage(browser, base, { viewport = { width: 1280, height: 800 } } = {}) {
  const context = await browser.newContext({ viewport, acceptDownloads: true });
  const page = await context.newPage();
  const watch = { offOrigin: [], dialogs: [], pageErrors: [], consoleErrors: [], requests: [] };
  const origin = new URL(base).origin;
  page.on('request', (req) => {
    const url = req.url();
    watch.requests.push(url);
    if (!url.startsWith(origin + '/') && !url.startsWith('blob:') && !url.startsWith('data:')) watch.offOrigin.push(url);
  });
  page.on('dialog', (d) => {
    watch.dialogs.push(d.message());
    d.dismiss().catch(() => {});
  });
  page.on('pageerror', (e) => watch.pageErrors.push(String(e && e.message ? e.message : e)));
  page.on('console', (m) => {
    if (m.type() === 'error') watch.consoleErrors.push(m.text());
  });
  return { context, page, watch };
}

// Asserts nothing bad happened on a page; `allowConsole` filters expected console errors.
export function checkWatch(assert, watch, { allowConsole = () => false } = {}) {
  assert.deepEqual(watch.offOrigin, [], 'no request may leave the origin');
  assert.deepEqual(watch.dialogs, [], 'no dialog may open');
  assert.deepEqual(watch.pageErrors, [], 'no uncaught script error');
  const csp = watch.consoleErrors.filter((t) => /Content Security Policy|Refused to/i.test(t));
  assert.deepEqual(csp, [], 'no CSP violation');
  assert.deepEqual(watch.consoleErrors.filter((t) => !allowConsole(t) && !/Failed to load resource/.test(t)), [], 'no console error');
}

export async function screenshot(page, name, { fullPage = false } = {}) {
  await fs.mkdir(SHOTS, { recursive: true });
  await page.screenshot({ path: path.join(SHOTS, `${name}.png`), fullPage });
}

// Scrolls through the page so lazily drawn charts get drawn. Each step waits
// for two frames, not a fixed time: the IntersectionObserver that starts a
// chart only looks during a frame, so on a busy machine a timed step could
// scroll past a chart before any frame saw it.
export async function scrollThrough(page) {
  const height = await page.evaluate(() => document.documentElement.scrollHeight);
  for (let y = 0; y < height; y += 500) {
    await page.evaluate(
      (v) =>
        new Promise((resolve) => {
          window.scrollTo(0, v);
          requestAnimationFrame(() => requestAnimationFrame(() => resolve()));
        }),
      y,
    );
  }
  await page.evaluate(() => window.scrollTo(0, 0));
}

// Files as playwright setInputFiles payloads (paths and buffers cannot be mixed).
export async function filePayloads(paths) {
  return Promise.all(paths.map(async (p) => ({ name: path.basename(p), mimeType: 'application/json', buffer: await fs.readFile(p) })));
}

export async function listFiles(dir) {
  const names = (await fs.readdir(dir)).filter((n) => !n.startsWith('.')).sort();
  return names.map((n) => path.join(dir, n));
}

let fixturesDir = null;
// Generates every fixture scenario once (node scripts/gen/fixtures.mjs) plus a
// 520-peer session (2 publishers, 518 viewers); returns the folder.
export async function fixtures() {
  if (fixturesDir) return fixturesDir;
  const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'callsight-web-'));
  const { spawnSync } = await import('node:child_process');
  const r = spawnSync(process.execPath, [path.join(ROOT, 'scripts/gen/fixtures.mjs'), dir], { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`fixtures.mjs failed: ${r.stderr || r.stdout}`);
  const lib = await import(path.join(ROOT, 'scripts/gen/lib.mjs'));
  const peers = [];
  for (let i = 0; i < 520; i++) peers.push(i < 2 ? { audio: true, video: true } : { audio: false, video: false, role: 'viewer-realtime' });
  lib.writeSession(
    path.join(dir, 'many-peers'),
    lib.generateSession({ scenario: 'many-peers', seed: 5, peers, minutes: 3, spacing_ms: 30000, injections: [{ type: 'loss_burst', peer: 0, at_min: 1, minutes: 1.5 }] }),
  );
  fixturesDir = dir;
  return dir;
}

export async function scenarioFiles(name) {
  return listFiles(path.join(await fixtures(), name, 'input'));
}

export async function cleanupFixtures() {
  if (fixturesDir) await fs.rm(fixturesDir, { recursive: true, force: true });
  fixturesDir = null;
}

// Picks files with the landing page's file input and waits for the overview.
export async function analyzeWithPicker(page, files, { expectView = '.view.overview' } = {}) {
  await page.setInputFiles('#file-input', files);
  if (expectView) await page.waitForSelector(expectView, { timeout: 30000 });
}

// On a phone the tabs are in the header's menu: it is opened first.
export async function clickTab(page, view) {
  if (await page.locator('.menu-button').isVisible()) {
    if ((await page.getAttribute('.menu-button', 'aria-expanded')) !== 'true') await page.click('.menu-button');
  }
  await page.click(`.tab[data-view="${view}"]`);
  await page.waitForFunction((v) => document.body.dataset.view === v, view);
}

// The same files through the native CLI (scripts/build makes it): the report the page shows.
// allowRejected: accept exit status 2 when the CLI rejected some input file but
// printed the report of the others (the page analyzes those too).
export function cliReport(files, { allowRejected = false } = {}) {
  const r = spawnSync(path.join(BUILD, 'native', 'callsight'), ['analyze', ...files], { maxBuffer: 1 << 28, encoding: 'utf8' });
  if (r.error) throw r.error;
  const report = r.status === 0 || (allowRejected && r.status === 2 && r.stdout) ? JSON.parse(r.stdout) : null;
  if (!report || (r.status === 2 && !(report.inputs || []).some((i) => i.status === 'rejected'))) {
    throw new Error(`callsight analyze failed (${r.status}): ${r.stderr}`);
  }
  return report;
}

// Generates one scenario with scripts/gen/generate.mjs into a fresh folder; returns its input files.
export async function generateScenario(scenario) {
  const dir = await fs.mkdtemp(path.join(os.tmpdir(), `callsight-web-${scenario}-`));
  const r = spawnSync(process.execPath, [path.join(ROOT, 'scripts/gen/generate.mjs'), '--scenario', scenario, '--out', dir], { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`generate.mjs --scenario ${scenario} failed: ${r.stderr || r.stdout}`);
  return { dir, files: await listFiles(path.join(dir, 'input')) };
}

/**
 * Drops files on the open page as a user would (dragenter, dragover, drop on
 * the body), then waits for the overview. Each file is {name, bytes} (an
 * array of byte values) or {name, text, type}.
 */
export async function dropFiles(page, files) {
  await page.evaluate((list) => {
    const dt = new DataTransfer();
    for (const f of list) {
      const body = f.bytes ? new Uint8Array(f.bytes) : f.text;
      dt.items.add(new File([body], f.name, f.type ? { type: f.type } : {}));
    }
    const fire = (type) => document.body.dispatchEvent(new DragEvent(type, { bubbles: true, cancelable: true, dataTransfer: dt }));
    fire('dragenter');
    fire('dragover');
    fire('drop');
  }, files);
  await page.waitForSelector('.view.overview', { timeout: 30000 });
}
