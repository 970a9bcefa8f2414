#!/usr/bin/env node
// Records real Chrome dumps of WebRTC calls with impairments injected at known
// times, for the engine's ground-truth tests (tests/dumps/README.md).
//
//   node tests/dumps/record.mjs [--out DIR] [scenario...]
//
// DIR defaults to tests/data/dumps; no scenario means all of them. Each
// scenario writes DIR/<scenario>/ (DIR/<scenario>/<side>/ for the two-browser
// call): webrtc-internals.json.gz and rtcstats.gz exactly as Chromium's two
// download buttons on chrome://webrtc-internals gave them, and truth.json.
//
// Debian's headless chromium with the fake camera and microphone; the call
// page (call.html + call.js) is served over http from 127.0.0.1, and
// chrome://webrtc-internals is open in another tab of the same browser context
// for the whole call (it only collects stats while open).
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';
import { CHROMIUM_ARGS, chromiumPath } from '../../scripts/lib/chromium.mjs';
import { createStaticServer } from '../../web/serve.mjs';
import { SCENARIOS } from './scenarios.mjs';
import { verifyRecording } from './verify.mjs';

const HERE = path.dirname(fileURLToPath(import.meta.url));
const ROOT = path.resolve(HERE, '../..');
const MEDIA_ARGS = ['--use-fake-device-for-media-stream', '--use-fake-ui-for-media-stream', '--autoplay-policy=no-user-gesture-required'];
export const DUMP_FILE = 'webrtc-internals.json.gz'; // "Download the "webrtc-internals dump""
export const RTCSTATS_FILE = 'rtcstats.gz'; // "Download the "rtcstats dump""

/** One browser with the call page and chrome://webrtc-internals open in one context. */
async function openSide(base) {
  const browser = await chromium.launch({
    executablePath: chromiumPath(),
    headless: true,
    args: [...CHROMIUM_ARGS, ...MEDIA_ARGS],
  });
  const context = await browser.newContext({ acceptDownloads: true });
  const internals = await context.newPage();
  await internals.goto('chrome://webrtc-internals');
  const page = await context.newPage();
  const errors = [];
  page.on('pageerror', (e) => errors.push(String(e?.message ?? e)));
  await page.goto(`${base}call.html`);
  await page.waitForFunction(() => typeof window.rec === 'object');
  const version = browser.version();
  return { browser, internals, page, errors, version };
}

/** Clicks one of webrtc-internals' download buttons and saves what it gives. */
async function download(internals, buttonText, file) {
  const [dl] = await Promise.all([
    internals.waitForEvent('download', { timeout: 30000 }),
    internals.getByRole('button', { name: buttonText, exact: true }).click(),
  ]);
  await dl.saveAs(file);
  return dl.suggestedFilename();
}

/** Both dumps of one browser into dir; returns the names Chromium suggested. */
async function saveDumps(side, dir) {
  await fs.mkdir(dir, { recursive: true });
  const { internals } = side;
  await internals.bringToFront();
  const summary = internals.locator('summary', { hasText: 'Create a WebRTC-Internals dump' });
  const details = summary.locator('xpath=..');
  if (!(await details.evaluate((d) => d.open))) await summary.click();
  const taken = Date.now();
  const dumpName = await download(internals, 'Download the "webrtc-internals dump"', path.join(dir, DUMP_FILE));
  const rtcstatsName = await download(internals, 'Download the "rtcstats dump"', path.join(dir, RTCSTATS_FILE));
  return { taken, suggested: { [DUMP_FILE]: dumpName, [RTCSTATS_FILE]: rtcstatsName } };
}

function parseArgs(argv) {
  const out = { dir: path.join(ROOT, 'tests/data/dumps'), names: [] };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--out') out.dir = path.resolve(argv[++i] ?? '');
    else if (a.startsWith('--out=')) out.dir = path.resolve(a.slice(6));
    else if (a === '-h' || a === '--help') out.help = true;
    else if (a.startsWith('-')) throw new Error(`unknown option ${a}`);
    else if (!SCENARIOS[a]) throw new Error(`unknown scenario ${a} (known: ${Object.keys(SCENARIOS).join(', ')})`);
    else out.names.push(a);
  }
  if (!out.names.length) out.names = Object.keys(SCENARIOS);
  return out;
}

/** Records one scenario into dir/<name>; returns the truth written there. */
export async function recordScenario(name, outDir, base) {
  const scenario = SCENARIOS[name];
  const dir = path.join(outDir, name);
  await fs.rm(dir, { recursive: true, force: true });
  const sides = [];
  try {
    for (const sideName of scenario.sides) sides.push({ name: sideName, ...(await openSide(base)) });
    const truth = await scenario.run(Object.fromEntries(sides.map((s) => [s.name, s])));
    truth.scenario = name;
    truth.summary = scenario.summary;
    truth.browser = `Chromium ${sides[0].version}, headless, ${MEDIA_ARGS.join(' ')}`;
    truth.recordedBy = 'tests/dumps/record.mjs';
    truth.files = { [DUMP_FILE]: 'chrome://webrtc-internals "Download the "webrtc-internals dump"" (gzip)', [RTCSTATS_FILE]: 'chrome://webrtc-internals "Download the "rtcstats dump"" (gzip)' };
    truth.dumps = {};
    for (const side of sides) {
      const sub = scenario.sides.length > 1 ? side.name : '.';
      const saved = await saveDumps(side, path.join(dir, sub));
      truth.dumps[sub] = { side: side.name, downloadedAt: saved.taken, suggestedNames: saved.suggested };
      if (side.errors.length) throw new Error(`${name}/${side.name}: page errors: ${side.errors.join('; ')}`);
    }
    await fs.writeFile(path.join(dir, 'truth.json'), JSON.stringify(truth, null, 2) + '\n');
    await verifyRecording(dir, { annotate: true });
    return truth;
  } catch (e) {
    await fs.rm(dir, { recursive: true, force: true }); // no half recording left behind
    throw e;
  } finally {
    for (const side of sides) await side.browser.close().catch(() => {});
  }
}

async function main() {
  const args = parseArgs(process.argv.slice(2));
  if (args.help) {
    console.log(`usage: node tests/dumps/record.mjs [--out DIR] [scenario...]\nscenarios: ${Object.keys(SCENARIOS).join(', ')}`);
    return;
  }
  if (!chromiumPath()) throw new Error('chromium not found: apt-get install chromium, or set CHROMIUM_PATH');
  const server = createStaticServer(HERE);
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  const base = `http://127.0.0.1:${server.address().port}/`;
  try {
    for (const name of args.names) {
      const t = Date.now();
      await recordScenario(name, args.dir, base);
      console.log(`recorded ${name} in ${((Date.now() - t) / 1000).toFixed(1)} s -> ${path.relative(process.cwd(), path.join(args.dir, name)) || '.'}`);
    }
  } finally {
    server.close();
  }
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  main().catch((e) => {
    console.error(`record.mjs: ${e.message}`);
    process.exit(1);
  });
}
