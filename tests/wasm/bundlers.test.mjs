// The package as bundlers see it: a tiny browser app that imports `callsight`
// by name, built with Vite 5 and with webpack 5 (their default settings, as a
// user starts), served over http from 127.0.0.1 and run in headless Chromium.
// The bundle must hold what browsers run (engine.wasm) and nothing of the
// threaded Node build (dist/node/, the Node entry), and the app must give the
// native CLI's report for the sample session, on the page and in the Worker.
import assert from 'node:assert/strict';
import crypto from 'node:crypto';
import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import zlib from 'node:zlib';

import { chromiumPath, launchChromium } from '../../scripts/lib/chromium.mjs';
import { installPackage, listFiles, nativeAnalyze, ROOT } from './helpers.mjs';

const CHROMIUM = chromiumPath();
const tryImport = async (name) => {
  try {
    return await import(name);
  } catch {
    return null;  // reported by the skip below
  }
};
const playwright = await tryImport('playwright-core');
const vite = await tryImport('vite');
const webpack = (await tryImport('webpack'))?.default;
const skip = !CHROMIUM ? 'chromium not found (apt-get install chromium, or set CHROMIUM_PATH)'
  : !playwright || !vite || !webpack ? 'playwright-core, vite or webpack not installed (npm ci in tests/wasm)' : false;

const SAMPLE = path.join(ROOT, 'samples', 'sample-session');
const CSP = "default-src 'none'; script-src 'self' 'wasm-unsafe-eval'; worker-src 'self'; connect-src 'self'";
const TYPES = { '.html': 'text/html', '.js': 'text/javascript', '.wasm': 'application/wasm' };

// The app: the engine on the page and the Worker client, as the README shows them.
const APP_JS = `import { createEngine, createWorkerClient } from 'callsight';

async function analyzeOnPage(files) {
  const engine = await createEngine();
  try {
    return await engine.analyze(files);
  } finally {
    engine.dispose();
  }
}

async function analyzeInWorker(files) {
  const client = createWorkerClient();
  try {
    return await client.analyze(files);
  } finally {
    client.terminate();
  }
}

window.analyzeSample = async (samples) => {
  const fetchAll = () => Promise.all(samples.map(async ({ name, url }) => ({ name, data: await (await fetch(url)).arrayBuffer() })));
  return { page: await analyzeOnPage(await fetchAll()), worker: await analyzeInWorker(await fetchAll()) };
};
document.title = 'ready';
`;

/** Vite 5's production build of the app (index.html + main.js in appDir). */
async function buildWithVite(appDir, outDir) {
  fs.writeFileSync(path.join(appDir, 'index.html'),
    '<!doctype html><meta charset="utf-8"><title>app</title><script type="module" src="/main.js"></script>\n');
  await vite.build({
    root: appDir,
    configFile: false,
    logLevel: 'error',
    build: { outDir, emptyOutDir: true },
    // As wasm/README.md asks: keep the package's modules beside engine.wasm.
    optimizeDeps: { exclude: ['callsight'] },
  });
}

/** webpack 5's production build of the app (main.js in appDir), and its page. */
async function buildWithWebpack(appDir, outDir) {
  const compiler = webpack({
    mode: 'production',
    context: appDir,
    entry: './main.js',
    output: { path: outDir, filename: 'main.js', clean: true },
    performance: { hints: false },
  });
  const stats = await new Promise((resolve, reject) => {
    compiler.run((error, result) => compiler.close(() => (error ? reject(error) : resolve(result))));
  });
  assert.ok(!stats.hasErrors(), stats.toString('errors-only'));
  fs.writeFileSync(path.join(outDir, 'index.html'),
    '<!doctype html><meta charset="utf-8"><title>app</title><script defer src="main.js"></script>\n');
}

/** Serves dir at / and the sample session at /sample/, under a strict CSP. */
function serve(dir) {
  return http.createServer((req, res) => {
    const url = new URL(req.url, 'http://x');
    const [root, rel] = url.pathname.startsWith('/sample/')
      ? [SAMPLE, url.pathname.slice('/sample/'.length)]
      : [dir, url.pathname === '/' ? 'index.html' : url.pathname.slice(1)];
    const file = path.resolve(root, decodeURIComponent(rel));
    if (!file.startsWith(root + path.sep) || !fs.existsSync(file) || !fs.statSync(file).isFile()) {
      res.writeHead(404, { 'Content-Type': 'text/plain' });
      res.end('not found');
      return;
    }
    res.writeHead(200, {
      'Content-Type': TYPES[path.extname(file)] ?? 'application/octet-stream',
      'Content-Security-Policy': CSP,
      'Cache-Control': 'no-store',
    });
    res.end(fs.readFileSync(file));
  });
}

const sha256 = (bytes) => crypto.createHash('sha256').update(bytes).digest('hex');

/** {file: sha256} of every file under dir. */
function hashes(dir) {
  return Object.fromEntries(listFiles(dir).map((f) => [f, sha256(fs.readFileSync(path.join(dir, f)))]));
}

/** The output's size: bytes, and gzip -9 bytes file by file. */
function sizeOf(dir) {
  let bytes = 0;
  let gzipped = 0;
  for (const f of listFiles(dir)) {
    const data = fs.readFileSync(path.join(dir, f));
    bytes += data.length;
    gzipped += zlib.gzipSync(data, { level: 9 }).length;
  }
  return { bytes, gzipped };
}

let pkg;
let pkgDist;
let browser;

before(async () => {
  if (skip) return;
  pkg = installPackage();
  pkgDist = path.join(pkg.dir, 'node_modules', 'callsight', 'dist');
  fs.writeFileSync(path.join(pkg.dir, 'main.js'), APP_JS);
  browser = await launchChromium(playwright.chromium, CHROMIUM);
});
after(async () => {
  await browser?.close();
  pkg?.remove();
});

/** Checks the output of one bundler: its files, then the app in Chromium. */
async function checkBundle(t, outDir) {
  const out = hashes(outDir);
  const outFiles = Object.keys(out);
  const size = sizeOf(outDir);
  t.diagnostic(`output: ${outFiles.length} files (${outFiles.join(', ')}), ${size.bytes} bytes, ${size.gzipped} gzipped`);
  // What browsers run is there, byte for byte.
  const wasm = sha256(fs.readFileSync(path.join(pkgDist, 'engine.wasm')));
  assert.ok(Object.values(out).includes(wasm), `engine.wasm is in the output (${outFiles.join(', ')})`);
  // Nothing of the Node-only build: no copy of its files, no code that loads them.
  const nodeOnly = hashes(path.join(pkgDist, 'node'));
  for (const [file, hash] of Object.entries(out)) {
    const same = Object.keys(nodeOnly).filter((f) => nodeOnly[f] === hash);
    assert.deepEqual(same, [], `${file} is dist/node/${same[0]} of the package`);
    if (/\.(m?js|html)$/.test(file)) {
      const text = fs.readFileSync(path.join(outDir, file), 'utf8');
      for (const marker of ['node/engine.cjs', 'node/engine.wasm', 'engine.worker.js', 'worker_threads']) {
        assert.ok(!text.includes(marker), `${file} mentions ${marker}`);
      }
    }
  }

  const server = serve(outDir);
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  const page = await browser.newPage();
  const errors = [];
  page.on('pageerror', (e) => errors.push(`pageerror: ${e.message}`));
  page.on('console', (m) => m.type() === 'error' && errors.push(`console: ${m.text()}`));
  try {
    await page.goto(`http://127.0.0.1:${server.address().port}/`);
    await page.waitForFunction(() => document.title === 'ready', null, { timeout: 20000 });
    // The files by their paths, as the CLI names them in the report.
    const paths = fs.readdirSync(SAMPLE).sort().map((f) => path.join(SAMPLE, f));
    const samples = paths.map((p) => ({ name: p, url: `/sample/${encodeURIComponent(path.basename(p))}` }));
    const { page: onPage, worker: inWorker } = await page.evaluate((s) => window.analyzeSample(s), samples);
    const native = nativeAnalyze(paths);
    assert.equal(native.status, 0, native.stderr.join('; '));
    assert.deepEqual(onPage, native.report, 'the page gives the CLI report');
    assert.deepEqual(inWorker, native.report, 'the Worker gives the CLI report');
    assert.deepEqual(errors, []);
  } finally {
    await page.close();
    server.close();
  }
}

describe('bundlers: an app that imports callsight', { skip }, () => {
  test('Vite 5: the bundle has engine.wasm, no Node build, and analyzes the sample as the CLI does', async (t) => {
    const outDir = path.join(pkg.dir, 'dist-vite');
    await buildWithVite(pkg.dir, outDir);
    await checkBundle(t, outDir);
  });

  test('webpack 5: the bundle has engine.wasm, no Node build, and analyzes the sample as the CLI does', async (t) => {
    const outDir = path.join(pkg.dir, 'dist-webpack');
    await buildWithWebpack(pkg.dir, outDir);
    await checkBundle(t, outDir);
  });
});
