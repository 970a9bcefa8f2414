// The package in headless Chromium (playwright-core with the Debian chromium):
// served over http from 127.0.0.1 under a strict Content-Security-Policy, loaded
// as an ES module, run on the page and in the Worker.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import zlib from 'node:zlib';

import { chromiumPath, launchChromium } from '../../scripts/lib/chromium.mjs';
import { generateFixtures, installPackage, readInputs } from './helpers.mjs';

const CHROMIUM = chromiumPath();
let playwright = null;
try {
  playwright = await import('playwright-core');
} catch {
  // reported by the skip below
}
const skip = !CHROMIUM ? 'chromium not found (apt-get install chromium, or set CHROMIUM_PATH)'
  : !playwright ? 'playwright-core not installed (npm ci in tests/wasm)' : false;

const CSP = "default-src 'none'; script-src 'self' 'wasm-unsafe-eval'; worker-src 'self'; connect-src 'self'";
const TYPES = { '.html': 'text/html', '.js': 'text/javascript', '.mjs': 'text/javascript', '.wasm': 'application/wasm', '.json': 'application/json' };

const PAGE_HTML = `<!doctype html><meta charset="utf-8"><title>callsight test</title>
<script type="module" src="/page.js"></script>`;
// The page imports the package as a browser user without a bundler would.
const PAGE_JS = `import * as callsight from '/pkg/dist/browser.js';
window.callsight = callsight;
try {
  window.evalBlocked = (0, eval)('1') !== 1;
} catch {
  window.evalBlocked = true;
}
document.title = 'ready';`;

let pkg;
let fixtures;
let server;
let origin;
let browser;
let page;
const pageErrors = [];

/** Serves /pkg/* (the installed package), /fixtures/*, / and /page.js. */
function serve(pkgDir, fixturesDir) {
  return http.createServer((req, res) => {
    const url = new URL(req.url, 'http://x');
    const send = (status, type, body) => {
      res.writeHead(status, { 'Content-Type': type, 'Content-Security-Policy': CSP, 'Cache-Control': 'no-store' });
      res.end(body);
    };
    if (url.pathname === '/') return send(200, TYPES['.html'], PAGE_HTML);
    if (url.pathname === '/page.js') return send(200, TYPES['.js'], PAGE_JS);
    const roots = { '/pkg/': pkgDir, '/fixtures/': fixturesDir };
    for (const [prefix, dir] of Object.entries(roots)) {
      if (!url.pathname.startsWith(prefix)) continue;
      const file = path.resolve(dir, decodeURIComponent(url.pathname.slice(prefix.length)));
      if (!file.startsWith(dir + path.sep) || !fs.existsSync(file) || !fs.statSync(file).isFile()) break;
      return send(200, TYPES[path.extname(file)] ?? 'application/octet-stream', fs.readFileSync(file));
    }
    send(404, 'text/plain', 'not found');
  });
}

before(async () => {
  if (skip) return;
  pkg = installPackage();
  fixtures = generateFixtures(['sample', 'clean']);
  server = serve(path.join(pkg.dir, 'node_modules', 'callsight'), fixtures.dir);
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  origin = `http://127.0.0.1:${server.address().port}`;
  browser = await launchChromium(playwright.chromium, CHROMIUM);
  page = await browser.newPage();
  page.on('pageerror', (e) => pageErrors.push(`pageerror: ${e.message}`));
  page.on('console', (m) => {
    // page.js tries an eval on purpose, to check that the policy is in force.
    if (m.type() === 'error' && !m.location().url.endsWith('/page.js')) pageErrors.push(`console: ${m.text()}`);
  });
  await page.goto(`${origin}/`);
  await page.waitForFunction(() => document.title === 'ready', null, { timeout: 20000 });
});
after(async () => {
  await browser?.close();
  server?.close();
  pkg?.remove();
  fixtures?.remove();
});

/** The fixture's files as the page fetches them: [{name, url}]. */
function fixtureFiles(scenario) {
  return fixtures.scenarios[scenario].map((p) => ({
    name: path.basename(p),
    url: `/fixtures/${path.relative(fixtures.dir, p).split(path.sep).join('/')}`,
  }));
}

/** The report Node's engine gives for the same files and names. */
async function nodeReport(scenario) {
  const callsight = await pkg.importPackage('callsight');
  const engine = await callsight.createEngine();
  const report = await engine.analyze(readInputs(fixtures.scenarios[scenario]).map((f) => ({ ...f, name: path.basename(f.name) })));
  engine.dispose();
  return report;
}

describe('browser (headless Chromium)', { skip }, () => {
  test('the module loads over http under a strict CSP and analyzes like Node', async () => {
    // The policy is in force: no eval for the engine's glue either.
    assert.equal(await page.evaluate(() => window.evalBlocked), true, 'the page runs under a CSP without unsafe-eval');
    const files = fixtureFiles('sample');
    const result = await page.evaluate(async (files) => {
      const engine = await window.callsight.createEngine();
      const inputs = await Promise.all(files.map(async (f) => ({ name: f.name, data: await (await fetch(f.url)).arrayBuffer() })));
      const phases = [];
      const report = await engine.analyze(inputs, { onProgress: (p) => phases.push(p.phase) });
      const s = report.sessions[0];
      const peer = s.peers[0];
      const series = engine.series(s.session_id, peer.peer_id, peer.tracks[0].key, 'bitrate', { maxPoints: 20 });
      const out = {
        report, phases, version: engine.version,
        seriesType: series.t.constructor.name, seriesLength: series.values.length,
      };
      engine.dispose();
      return out;
    }, files);
    assert.deepEqual(result.report, await nodeReport('sample'));
    assert.equal(result.phases.at(-1), 'done');
    assert.equal(result.phases.filter((p) => p === 'reading').length, files.length);
    assert.equal(result.seriesType, 'Float64Array');
    assert.ok(result.seriesLength > 0 && result.seriesLength <= 20);
    assert.deepEqual(pageErrors, []);
  });

  test('the Worker client analyzes off the main thread, with progress', async () => {
    const files = fixtureFiles('sample');
    const result = await page.evaluate(async (files) => {
      const client = window.callsight.createWorkerClient();
      const inputs = await Promise.all(files.map(async (f) => ({ name: f.name, data: await (await fetch(f.url)).arrayBuffer() })));
      // Strings and Uint8Arrays work too.
      inputs[0] = { name: inputs[0].name, data: new TextDecoder().decode(inputs[0].data) };
      inputs[1] = { name: inputs[1].name, data: new Uint8Array(inputs[1].data) };
      const progress = [];
      const report = await client.analyze(inputs, { onProgress: (p) => progress.push(p) });
      const s = report.sessions[0];
      const peer = s.peers[0];
      const series = await client.series(s.session_id, peer.peer_id, peer.tracks[0].key, 'rtt_ms', { maxPoints: 10 });
      let missing = null;
      try {
        await client.series(s.session_id, 'nobody', 'x', 'rtt_ms');
      } catch (e) {
        missing = e.message;
      }
      const out = {
        report, progress, missing,
        detached: inputs.slice(2).every((f) => f.data.byteLength === 0),
        uint8Kept: inputs[1].data.byteLength > 0,
        seriesType: series.values.constructor.name, seriesLength: series.values.length,
      };
      client.terminate();
      return out;
    }, files);
    assert.deepEqual(result.report, await nodeReport('sample'));
    const phases = result.progress.map((p) => p.phase);
    assert.equal(phases.filter((p) => p === 'reading').length, files.length);
    assert.equal(phases.filter((p) => p === 'parsing').length, files.length);
    assert.deepEqual(phases.slice(-2), ['analyzing', 'done']);
    assert.equal(result.progress.at(-1).bytesDone, result.progress.at(-1).bytesTotal);
    assert.ok(result.detached, 'ArrayBuffers are transferred to the worker');
    assert.ok(result.uint8Kept, 'Uint8Arrays are copied');
    assert.equal(result.seriesType, 'Float64Array');
    assert.ok(result.seriesLength > 0 && result.seriesLength <= 10);
    assert.match(result.missing, /nobody/);
    assert.deepEqual(pageErrors, []);
  });

  test('errors cross the Worker boundary as the engine\'s errors; the worker keeps working', async () => {
    const files = fixtureFiles('clean');
    const result = await page.evaluate(async (files) => {
      const { createWorkerClient, CallsightInputError, CallsightConfigError } = window.callsight;
      const worker = new Worker('/pkg/dist/worker.js', { type: 'module' });
      const client = createWorkerClient({ worker });
      const inputs = await Promise.all(files.map(async (f) => ({ name: f.name, data: await (await fetch(f.url)).text() })));
      const out = {};
      try {
        await client.analyze([inputs[0], { name: 'broken.json', data: '{"peer_id": ' }]);
      } catch (e) {
        out.input = { isInputError: e instanceof CallsightInputError, messages: e.messages, statuses: e.report.inputs.map((i) => i.status) };
      }
      try {
        await client.analyze(inputs, { config: { thresholds: { fps: { warning: 'x' } } } });
      } catch (e) {
        out.config = { isConfigError: e instanceof CallsightConfigError, message: e.message };
      }
      out.after = (await client.analyze(inputs)).sessions.length;
      client.terminate();
      try {
        await client.analyze(inputs);
      } catch (e) {
        out.terminated = e.message;
      }
      return out;
    }, files);
    assert.equal(result.input.isInputError, true);
    assert.deepEqual(result.input.statuses, ['ok', 'rejected']);
    assert.ok(result.input.messages[0].startsWith('broken.json: '), result.input.messages[0]);
    assert.equal(result.config.isConfigError, true);
    assert.match(result.config.message, /fps/);
    assert.equal(result.after, 1);
    assert.match(result.terminated, /terminated/);
    assert.deepEqual(pageErrors, []);
  });

  test('gzip files are decompressed with DecompressionStream, on the page and in the Worker', async () => {
    // The clean scenario with its first peer-stats file gzipped, a cut copy and
    // a two-member copy of it, and a zip bomb, served beside the fixtures.
    const stats = fixtures.scenarios.clean.find((p) => path.basename(p).startsWith('peer-stats-'));
    const text = fs.readFileSync(stats);
    const whole = zlib.gzipSync(text);
    const half = Math.floor(text.length / 2);
    const extra = {
      'peer-stats.json.gz': whole,
      'cut.json.gz': whole.subarray(0, 100),
      'two-members.json.gz': Buffer.concat([zlib.gzipSync(text.subarray(0, half)), zlib.gzipSync(text.subarray(half))]),
      // 80 MiB of zeros in one member (Chromium reads one only): about 80 kB, the cap is 64 MiB.
      'bomb.json.gz': zlib.gzipSync(Buffer.alloc(80 << 20), { level: 9 }),
    };
    for (const [name, bytes] of Object.entries(extra)) fs.writeFileSync(path.join(fixtures.dir, name), bytes);
    const url = (name) => `/fixtures/${name}`;
    const others = fixtureFiles('clean').filter((f) => f.name !== path.basename(stats));
    const gzipped = [{ name: 'peer-stats.json.gz', url: url('peer-stats.json.gz') }, ...others];
    const bad = ['cut.json.gz', 'two-members.json.gz', 'bomb.json.gz'].map((name) => ({ name, url: url(name) }));
    const result = await page.evaluate(async ({ gzipped, bad }) => {
      const load = (files) => Promise.all(files.map(async (f) => ({ name: f.name, data: new Uint8Array(await (await fetch(f.url)).arrayBuffer()) })));
      const engine = await window.callsight.createEngine();
      const client = window.callsight.createWorkerClient();
      const out = { page: await engine.analyze(await load(gzipped)), worker: await client.analyze(await load(gzipped)) };
      const t0 = performance.now();
      try {
        await engine.analyze(await load([...bad, ...gzipped]));
      } catch (e) {
        out.bad = { messages: e.messages, report: e.report, ms: performance.now() - t0 };
      }
      engine.dispose();
      client.terminate();
      return out;
    }, { gzipped, bad });
    // Node's report for the same files under the same names.
    const callsight = await pkg.importPackage('callsight');
    const engine = await callsight.createEngine();
    const node = await engine.analyze(gzipped.map((f) => ({ name: f.name, data: fs.readFileSync(path.join(fixtures.dir, f.url.slice('/fixtures/'.length))) })));
    engine.dispose();
    assert.deepEqual(result.page, node);
    assert.deepEqual(result.worker, node);
    assert.equal(result.page.inputs[0].compression, 'gzip');

    const inputs = result.bad.report.inputs;
    assert.deepEqual(inputs.map((i) => [i.name, i.status, i.compression]), [
      ['cut.json.gz', 'rejected', 'gzip'],
      // Chromium's DecompressionStream reads one member and calls the rest junk.
      ['two-members.json.gz', 'rejected', 'gzip'],
      ['bomb.json.gz', 'rejected', 'gzip'],
      ...node.inputs.map((i) => [i.name, 'ok', i.compression]),
    ]);
    assert.equal(result.bad.messages[0], 'cut.json.gz: cannot read: the gzip data is damaged or cut short (Compressed input was truncated)');
    assert.equal(result.bad.messages[1], 'two-members.json.gz: cannot read: the gzip data is damaged or cut short (Junk found after end of compressed data)');
    assert.match(result.bad.messages[2], /^bomb\.json\.gz: cannot read: the gzip data expands to more than 64 MiB \(67108864 bytes\)/);
    assert.deepEqual(result.bad.report.sessions, node.sessions, 'the good files are analyzed');
    assert.ok(result.bad.ms < 10000, `took ${result.bad.ms} ms`);
    assert.deepEqual(pageErrors, []);
  });
});
