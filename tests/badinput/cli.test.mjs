// Every hostile variant of badinput.mjs through the native CLI, beside the good
// files of the same session: exit 0 or 2 (never a signal, never another code,
// never a hang), a message naming the file on stderr when it is rejected, and a
// valid JSON report on stdout that lists every input with its status and still
// analyzes the good files. Plus a 1 GiB input.
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { after, describe, test } from 'node:test';

import { KNOWN_BUGS, ROOT, stableCli, inputsFor, isUtf8, makeBase, makeVariants, reportProblems, summary, tempDir } from './badinput.mjs';
import { byCategory, checkCategory, writeVariants } from './runner.mjs';

const TIMEOUT_MS = 20000;

const CLI = stableCli();
const base = makeBase();
// JSONTestSuite goes through the CLI in tests/cli already; the dashboard samples it.
const variants = makeVariants(base).filter((v) => v.category !== 'json-test-suite');
const dir = tempDir('cli');
const paths = writeVariants(variants, dir);
const goodPath = new Map(base.clean.map((f) => [f.name, f.path]));
const index = new Map(variants.map((v, i) => [v.id, i]));

after(() => {
  fs.rmSync(dir, { recursive: true, force: true });
  base.remove();
});

/** Runs the CLI: {status, signal, timedOut, stdout (Buffer), stderr (Buffer), ms}. */
function runCli(args, { timeout = TIMEOUT_MS } = {}) {
  return new Promise((resolve) => {
    const t0 = performance.now();
    const child = spawn(CLI, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    const out = [];
    const err = [];
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      child.kill('SIGKILL');
    }, timeout);
    child.stdout.on('data', (b) => out.push(b));
    child.stderr.on('data', (b) => err.push(b));
    child.on('error', (e) => err.push(Buffer.from(String(e))));
    child.on('close', (status, signal) => {
      clearTimeout(timer);
      resolve({ status, signal, timedOut, stdout: Buffer.concat(out), stderr: Buffer.concat(err), ms: performance.now() - t0 });
    });
  });
}

/** The problems of one CLI run over `inputs` (from inputsFor), given as `names` (paths). */
function cliProblems(r, inputs, names, v) {
  const problems = [];
  if (r.timedOut) return [`no answer within ${TIMEOUT_MS} ms`];
  if (r.signal) return [`killed by ${r.signal}: ${r.stderr.toString().slice(-500)}`];
  if (r.status !== 0 && r.status !== 2) problems.push(`exit ${r.status}: ${r.stderr.toString().slice(-500)}`);
  if (!isUtf8(r.stdout)) problems.push('stdout is not valid UTF-8');
  if (!isUtf8(r.stderr)) problems.push('stderr is not valid UTF-8');
  let report;
  try {
    report = JSON.parse(r.stdout.toString('utf8'));
  } catch (e) {
    return [...problems, `stdout is not JSON (${e.message}): ${r.stdout.toString().slice(0, 200)}`];
  }
  problems.push(...reportProblems(report, inputs, names, base, v));
  const rejected = (report.inputs ?? []).filter((i) => i.status === 'rejected');
  if (rejected.length && r.status !== 2) problems.push(`exit ${r.status} although ${rejected.map((i) => i.name).join(', ')} was rejected`);
  if (!rejected.length && r.status !== 0) problems.push(`exit ${r.status} although no input was rejected`);
  const stderr = r.stderr.toString('utf8');
  for (const i of rejected) if (!stderr.includes(`${i.name}: `)) problems.push(`stderr does not name the rejected ${i.name}`);
  if (r.status === 2 && !stderr.trim()) problems.push('exit 2 with nothing on stderr');
  for (const line of stderr.split('\n').filter(Boolean)) {
    if (!names.some((n) => line.startsWith(`${n}: `))) problems.push(`a stderr line that names no input: ${line.slice(0, 200)}`);
  }
  return problems;
}

async function checkVariant(v) {
  const i = index.get(v.id);
  const inputs = inputsFor(base, v, i);
  const own = paths.get(v.id);
  let k = 0;
  const names = inputs.map((inp) => (inp.role === 'good' ? goodPath.get(inp.name) : own[k++]));
  const r = await runCli(['analyze', ...names]);
  const problems = cliProblems(r, inputs, names, v);
  problems.outcome = r.status === 2 ? 'rejected' : 'accepted';
  return problems;
}

describe(`hostile variants through the CLI (${summary(variants)})`, () => {
  for (const [category, vs] of byCategory(variants)) {
    test(`${category}: ${vs.length} variants exit 0 or 2 with a valid report, the good files analyzed`, async (t) => {
      await checkCategory(t, vs, checkVariant);
    });
  }

  test('all hostile variants of a category in one run: every input listed, the good session analyzed', async () => {
    // One CLI run per category with all its files at once (and the clean session):
    // one bad file rejects that file only.
    for (const [category, vs] of byCategory(variants)) {
      if (category === 'mixed') continue;
      const own = vs.flatMap((v) => paths.get(v.id));
      const good = base.clean.map((f) => f.path);
      const names = [...good, ...own];
      const r = await runCli(['analyze', ...names], { timeout: 60000 });
      assert.equal(r.signal, null, `${category}: killed by ${r.signal}`);
      assert.ok(r.status === 0 || r.status === 2, `${category}: exit ${r.status}`);
      const report = JSON.parse(r.stdout.toString('utf8'));
      assert.equal(report.inputs.length, names.length, category);
      assert.deepEqual(report.inputs.map((x) => x.name), names, category);
      assert.ok(report.inputs.slice(0, good.length).every((x) => x.status === 'ok'), `${category}: the good files stay ok`);
      const clean = report.sessions.find((s) => s.session_id === base.cleanSession);
      assert.ok(clean, `${category}: the clean session is reported`);
      assert.ok(clean.peers.length >= 4, `${category}: its peers are there`);
    }
  });
});

// ----------------------------------------------------------------- 1 GiB ----

const GiB = 2 ** 30;
function freeBytes(p) {
  const s = fs.statfsSync(p);
  return s.bavail * s.bsize;
}
test('every known engine bug has its repro under tests/badinput/repro/', () => {
  for (const bug of KNOWN_BUGS) {
    for (const file of bug.repro.split(', ')) assert.ok(fs.existsSync(path.join(ROOT, file)), `${bug.id}: ${file} is missing`);
    assert.match(bug.todo, /^engine bug: /);
  }
});

let tooLargeReport = null;

describe('a 1 GiB input', () => {
  const haveTime = fs.existsSync('/usr/bin/time');
  const bigDir = tempDir('huge');
  after(() => fs.rmSync(bigDir, { recursive: true, force: true }));
  const good = () => base.clean.map((f) => f.path);
  const enoughDisk = () => freeBytes(bigDir) > 4 * GiB;

  /** Peak RSS in bytes of `callsight analyze names` (via GNU time), with the run. */
  const measure = (names) => {
    const t0 = performance.now();
    const r = spawnSync('/usr/bin/time', ['-f', '%M', CLI, 'analyze', ...names], { maxBuffer: 1 << 28, timeout: 120000 });
    const lines = r.stderr.toString('utf8').trimEnd().split('\n');
    const rss = Number(lines.pop()) * 1024;
    return { status: r.status, signal: r.signal, error: r.error, stdout: r.stdout, stderr: Buffer.from(lines.join('\n') + '\n'), rss, ms: performance.now() - t0 };
  };

  test('a sparse file one byte over the 1 GiB limit: a clear "too large" rejection, at once, in little memory; the good files analyzed', { skip: !haveTime && '/usr/bin/time is missing' }, (t) => {
    if (!enoughDisk()) return t.skip(`less than 4 GiB free in ${bigDir}`);
    const huge = path.join(bigDir, 'huge-over-limit.json');
    fs.writeFileSync(huge, '{');
    fs.truncateSync(huge, GiB + 1); // sparse: no disk blocks
    try {
      const r = measure([...good(), huge]);
      t.diagnostic(`${(r.ms / 1000).toFixed(2)} s, peak RSS ${(r.rss / 2 ** 20).toFixed(0)} MiB`);
      assert.equal(r.error, undefined);
      assert.equal(r.signal, null);
      assert.equal(r.status, 2);
      const stderr = r.stderr.toString('utf8');
      assert.match(stderr, new RegExp(`^${huge.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')}: .*(too large|limit)`, 'm'));
      assert.ok(r.rss < 256 * 2 ** 20, `peak RSS ${r.rss} bytes: the file must not be read`);
      assert.ok(r.ms < 10000, `${r.ms} ms`);
      const report = JSON.parse(r.stdout.toString('utf8'));
      assert.ok(report.sessions.some((s) => s.session_id === base.cleanSession), 'the good files are analyzed');
      assert.ok(report.inputs.slice(0, good().length).every((x) => x.status === 'ok'));
      tooLargeReport = { report, huge };
    } finally {
      fs.rmSync(huge, { force: true });
    }
  });

  test('the too-large file is listed in report.inputs as rejected, as the npm package lists it', () => {
    assert.ok(tooLargeReport, 'the run above happened');
    const listed = tooLargeReport.report.inputs.find((x) => x.name === tooLargeReport.huge);
    assert.ok(listed, `${tooLargeReport.huge} is missing from report.inputs`);
    assert.equal(listed.status, 'rejected');
    assert.equal(listed.bytes, GiB + 1);
  });

  test('a file of exactly 1 GiB (the limit): read and rejected or analyzed, exit 0 or 2, peak memory under 1.5x its size', { skip: !haveTime && '/usr/bin/time is missing' }, async (t) => {
    if (!enoughDisk()) return t.skip(`less than 4 GiB free in ${bigDir}`);
    // 1 GiB of spaces and newlines, then a real peer-stats document: a valid file
    // that the engine has to read to the end. Written quickly in 64 MiB chunks.
    const big = path.join(bigDir, 'huge-at-limit.json');
    const doc = base.clean.find((f) => f.name.startsWith('peer-stats-'));
    const fd = fs.openSync(big, 'w');
    try {
      const chunk = Buffer.alloc(64 * 2 ** 20, 0x20);
      for (let i = 0; i < chunk.length; i += 4096) chunk[i] = 0x0a;
      let left = GiB - doc.data.length;
      while (left > 0) {
        const n = Math.min(left, chunk.length);
        fs.writeSync(fd, chunk, 0, n);
        left -= n;
      }
      fs.writeSync(fd, doc.data);
    } finally {
      fs.closeSync(fd);
    }
    try {
      assert.equal(fs.statSync(big).size, GiB);
      const others = good().filter((p) => p !== doc.path);
      const r = measure([...others, big]);
      t.diagnostic(`exit ${r.status}, ${(r.ms / 1000).toFixed(2)} s, peak RSS ${(r.rss / 2 ** 20).toFixed(0)} MiB`);
      assert.equal(r.error, undefined);
      assert.equal(r.signal, null);
      assert.ok(r.status === 0 || r.status === 2, `exit ${r.status}: ${r.stderr}`);
      assert.ok(r.rss < 1.5 * GiB, `peak RSS ${(r.rss / 2 ** 20).toFixed(0)} MiB for a 1024 MiB file`);
      const report = JSON.parse(r.stdout.toString('utf8'));
      const listed = report.inputs.find((x) => x.name === big);
      assert.ok(listed, 'the big file is listed');
      if (r.status === 2) assert.match(r.stderr.toString('utf8'), new RegExp(`${path.basename(big)}: `));
      else assert.equal(listed.status === 'rejected', false);
      assert.ok(report.sessions.some((s) => s.session_id === base.cleanSession), 'the good files are analyzed');
    } finally {
      fs.rmSync(big, { force: true });
    }
  });
});
