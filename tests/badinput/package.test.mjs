// Every hostile variant of badinput.mjs through the npm package, installed from
// the packed tarball into a temp dir and imported as 'callsight', with ONE engine
// for all variants: each analyze resolves, or rejects with CallsightInputError
// (never another error, never a hang); its report and messages are the CLI's for
// the same files; the good files beside the bad one are analyzed; and a good
// analysis right after it still gives the CLI's report.
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { isDeepStrictEqual } from 'node:util';
import { Worker } from 'node:worker_threads';

import { BUILD, HERE, stableCli, ROOT, inputsFor, makeBase, makeVariants, reportProblems, summary, tempDir } from './badinput.mjs';
import { byCategory, checkCategory, writeVariants } from './runner.mjs';

const TIMEOUT_MS = 20000;

function projectVersion() {
  return /project\(callsight VERSION ([0-9.]+)/.exec(fs.readFileSync(path.join(ROOT, 'CMakeLists.txt'), 'utf8'))[1];
}

/** npm install of the packed tarball into a fresh folder, as a user would; returns its loader module. */
function installPackage(dir) {
  const tgz = path.join(BUILD, 'wasm', `callsight-${projectVersion()}.tgz`);
  assert.ok(fs.existsSync(tgz), `${tgz} is missing: run scripts/build first`);
  fs.writeFileSync(path.join(dir, 'package.json'), JSON.stringify({ name: 'badinput-user', private: true, type: 'module' }));
  const npm = spawnSync('npm', ['install', '--no-audit', '--no-fund', '--offline', '--loglevel=error', tgz], { cwd: dir, encoding: 'utf8' });
  assert.equal(npm.status, 0, `npm install failed:\n${npm.stdout}\n${npm.stderr}`);
  // A module in the user's folder, so 'callsight' resolves through its node_modules.
  const loader = path.join(dir, 'load.mjs');
  fs.writeFileSync(loader, 'export const load = (s) => import(s);\n');
  return loader;
}

/** The engine in a worker thread; call() answers or times out (then the worker is replaced). */
class EngineWorker {
  constructor(init) {
    this.init = init;
    this.seq = 0;
    this.pending = new Map();
    this.restarts = 0;
  }

  async start() {
    this.worker = new Worker(path.join(HERE, 'package-worker.mjs'));
    this.worker.on('message', (m) => {
      const p = this.pending.get(m.seq);
      if (!p) return;
      this.pending.delete(m.seq);
      clearTimeout(p.timer);
      p.resolve(m);
    });
    this.worker.on('error', (e) => this.failAll(`worker error: ${e?.stack ?? e}`));
    this.worker.on('exit', (code) => this.failAll(`worker exited (${code})`));
    const ready = await this.call({ type: 'init', ...this.init }, 60000, 0);
    assert.equal(ready.outcome, 'ready', ready.message);
    this.version = ready.version;
  }

  failAll(message) {
    for (const [seq, p] of this.pending) {
      clearTimeout(p.timer);
      p.resolve({ seq, outcome: 'worker-failure', message });
    }
    this.pending.clear();
  }

  call(msg, timeout = TIMEOUT_MS, seq = ++this.seq) {
    return new Promise((resolve) => {
      const timer = setTimeout(async () => {
        this.pending.delete(seq);
        resolve({ seq, outcome: 'timeout', message: `no answer within ${timeout} ms` });
        // A hung engine cannot be used again: a new worker (and engine) for the rest.
        const old = this.worker;
        this.restarts++;
        this.failAll('worker replaced after a timeout');
        await old.terminate();
        await this.start();
      }, timeout);
      this.pending.set(seq, { resolve, timer });
      this.worker.postMessage({ ...msg, seq });
    });
  }

  async stop() {
    this.worker?.removeAllListeners('exit');
    await this.worker?.terminate();
  }
}

function runCli(names) {
  return new Promise((resolve) => {
    const child = spawn(CLI, ['analyze', ...names], { stdio: ['ignore', 'pipe', 'pipe'] });
    const out = [];
    const err = [];
    const timer = setTimeout(() => child.kill('SIGKILL'), TIMEOUT_MS);
    child.stdout.on('data', (b) => out.push(b));
    child.stderr.on('data', (b) => err.push(b));
    child.on('error', (e) => err.push(Buffer.from(`spawn failed: ${e.message}\n`)));
    child.on('close', (status, signal) => {
      clearTimeout(timer);
      const stdout = Buffer.concat(out).toString('utf8');
      let report = null;
      try {
        report = JSON.parse(stdout);
      } catch {
        /* compared below */
      }
      resolve({ status, signal, report, stderr: Buffer.concat(err).toString('utf8').split('\n').filter(Boolean) });
    });
  });
}

function firstDifference(a, b, where = '') {
  if (isDeepStrictEqual(a, b)) return null;
  if (a && b && typeof a === 'object' && typeof b === 'object') {
    for (const k of new Set([...Object.keys(a), ...Object.keys(b)])) {
      const d = firstDifference(a[k], b[k], `${where}/${k}`);
      if (d) return d;
    }
    return `${where}: ${Array.isArray(a) ? 'array' : 'object'} differs`;
  }
  return `${where || '/'}: package ${JSON.stringify(a)?.slice(0, 120)} vs CLI ${JSON.stringify(b)?.slice(0, 120)}`;
}

const CLI = stableCli();
const base = makeBase();
// JSONTestSuite goes through the package in tests/wasm already; the dashboard samples it.
const variants = makeVariants(base).filter((v) => v.category !== 'json-test-suite');
const dir = tempDir('package');
const paths = writeVariants(variants, path.join(dir, 'variants'));
const goodPath = new Map(base.clean.map((f) => [f.name, f.path]));
const index = new Map(variants.map((v, i) => [v.id, i]));
let engine;

before(async () => {
  const appDir = path.join(dir, 'app');
  fs.mkdirSync(appDir);
  const loader = installPackage(appDir);
  const good = base.clean.map((f) => f.path);
  const cli = await runCli(good);
  assert.equal(cli.status, 0, cli.stderr.join('\n'));
  engine = new EngineWorker({
    loader,
    goodFiles: base.clean.map((f) => ({ name: f.path, data: f.data })),
    goodExpected: JSON.stringify(cli.report),
  });
  await engine.start();
});

after(async () => {
  await engine?.stop();
  fs.rmSync(dir, { recursive: true, force: true });
  base.remove();
});

async function checkVariant(v) {
  const inputs = inputsFor(base, v, index.get(v.id));
  const own = paths.get(v.id);
  let k = 0;
  const names = inputs.map((inp) => (inp.role === 'good' ? goodPath.get(inp.name) : own[k++]));
  const [r, cli] = await Promise.all([
    engine.call({ type: 'analyze', files: inputs.map((inp, i) => ({ name: names[i], data: inp.data })), checkGood: true }),
    runCli(names),
  ]);
  const problems = [];
  if (r.outcome !== 'resolved' && r.outcome !== 'input-error') {
    return [`${r.outcome}: ${r.name ?? ''} ${r.message ?? ''} ${r.stack ?? ''}`.slice(0, 800)];
  }
  const rejected = r.report.inputs.filter((i) => i.status === 'rejected');
  if (r.outcome === 'resolved' && rejected.length) problems.push(`resolved although ${rejected.map((i) => i.name).join(', ')} was rejected`);
  if (r.outcome === 'input-error') {
    if (!rejected.length) problems.push('CallsightInputError although no input was rejected');
    if (r.name !== 'CallsightInputError') problems.push(`error name ${r.name}`);
    for (const i of rejected) {
      if (!r.message.includes(i.name)) problems.push(`the error message does not name ${i.name}`);
      if (!r.messages.some((m) => m.startsWith(`${i.name}: `))) problems.push(`no message names the rejected ${i.name}`);
    }
    for (const m of r.messages) if (!names.some((n) => m.startsWith(`${n}: `))) problems.push(`a message that names no input: ${m.slice(0, 200)}`);
  }
  problems.push(...reportProblems(r.report, inputs, names, base, v));
  // The same files give the same report and messages from the CLI.
  if (cli.signal || !cli.report) problems.push(`the CLI failed (${cli.signal ?? cli.status}) where the package did not`);
  else {
    const diff = firstDifference(r.report, cli.report);
    if (diff) problems.push(`report differs from the CLI's ${diff}`);
    if (r.outcome === 'input-error' && !isDeepStrictEqual(r.messages, cli.stderr)) problems.push(`messages differ from the CLI's stderr: ${JSON.stringify(r.messages).slice(0, 300)} vs ${JSON.stringify(cli.stderr).slice(0, 300)}`);
    if ((cli.status === 2) !== (r.outcome === 'input-error')) problems.push(`CLI exit ${cli.status} but the package ${r.outcome}`);
  }
  if (!r.good?.matches) problems.push(`the next good analysis differs from the CLI's: ${r.good?.detail}`);
  problems.outcome = r.outcome === 'input-error' ? 'rejected' : 'accepted';
  return problems;
}

describe(`hostile variants through the npm package, one engine (${summary(variants)})`, () => {
  for (const [category, vs] of byCategory(variants)) {
    test(`${category}: ${vs.length} variants resolve or reject with CallsightInputError, as the CLI, and the engine keeps working`, async (t) => {
      await checkCategory(t, vs, checkVariant, { limit: 2 });
    });
  }

  test('the engine was never replaced (no hang)', () => {
    assert.equal(engine.restarts, 0);
  });
});

describe('inputs over the size limit (1 GiB)', () => {
  for (const kind of ['uint8array', 'arraybuffer']) {
    test(`a ${kind} one byte over the limit rejects at once with a clear message, without being copied`, async (t) => {
      const r = await engine.call({ type: 'huge', kind, bytes: 2 ** 30 + 1 }, 60000);
      assert.equal(r.outcome, 'input-error', `${r.outcome}: ${r.message}`);
      t.diagnostic(`${r.ms.toFixed(0)} ms, RSS +${(r.rssGrowth / 2 ** 20).toFixed(0)} MiB`);
      assert.equal(r.report.inputs[0].status, 'rejected');
      assert.equal(r.report.inputs[0].bytes, 2 ** 30 + 1);
      assert.match(r.messages[0], /^huge\.json: .*larger than the limit/);
      assert.ok(r.report.inputs.slice(1).every((i) => i.status === 'ok'), 'the good files beside it are ok');
      assert.ok(r.report.sessions.some((s) => s.session_id === base.cleanSession));
      assert.ok(r.ms < 5000, `${r.ms} ms`);
      assert.ok(r.rssGrowth < 256 * 2 ** 20, `RSS grew by ${r.rssGrowth} bytes: the bytes were copied`);
      assert.ok(r.good.matches, r.good.detail);
    });
  }

  test('a string whose UTF-8 form is over the limit rejects with a clear message', async (t) => {
    // A JS string has at most 2^29-24 UTF-16 units (~512 Mi): as ASCII it can never
    // reach the 1 GiB limit. Of 3-byte characters, the longest one is 1.5 GiB of
    // UTF-8, which the package must encode (and copy) before the engine sees its size.
    const chars = 2 ** 29 - 24;
    const free = (await import('node:os')).freemem();
    if (free < 8 * 2 ** 30) return t.skip(`needs ~6 GiB of free memory (${(free / 2 ** 30).toFixed(1)} GiB free)`);
    const r = await engine.call({ type: 'huge-string', chars }, 120000);
    assert.equal(r.outcome, 'input-error', `${r.outcome}: ${r.message}`);
    t.diagnostic(`${r.ms.toFixed(0)} ms, RSS +${(r.rssGrowth / 2 ** 20).toFixed(0)} MiB`);
    assert.equal(r.report.inputs[0].status, 'rejected');
    assert.match(r.messages[0], /^huge-string\.json: .*larger than the limit/);
    assert.ok(r.report.inputs.slice(1).every((i) => i.status === 'ok'));
    assert.ok(r.good.matches, r.good.detail);
  });
});
