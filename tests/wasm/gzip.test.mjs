// Gzip-compressed inputs through the npm package in Node: decompressed with
// node:zlib by the Node entry and with DecompressionStream by the browser entry
// (which runs in Node too), giving the native CLI's report; damaged files and
// zip bombs are rejected per file, never losing the others.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { pathToFileURL } from 'node:url';
import zlib from 'node:zlib';

import { generateFixtures, installPackage, nativeAnalyze, readInputs, rejection, ROOT } from './helpers.mjs';

// The gzipped webrtc-internals dump Chromium saved, in ../shared beside the
// clone (CI) or two levels up (a worktree).
const REAL_GZ = ['..', '../..']
  .map((up) => path.resolve(ROOT, up, 'shared/testdata/real/rtcstats-rtcstats/internals-gumonly.gz'))
  .find((p) => fs.existsSync(p));

let pkg;
let fixtures;
let entries;  // {node, browser}: each entry's module
let engines;  // {node, browser}: an engine of each
let plain;    // the clean scenario's files
let gzipped;  // the same, its peer-stats file as peer-stats.json.gz
let gz;       // that file's path

before(async () => {
  pkg = installPackage();
  fixtures = generateFixtures(['clean']);
  entries = {
    node: await pkg.importPackage('callsight'),
    browser: await import(pathToFileURL(path.join(pkg.dir, 'node_modules', 'callsight', 'dist', 'browser.js')).href),
  };
  engines = { node: await entries.node.createEngine(), browser: await entries.browser.createEngine() };
  plain = fixtures.scenarios.clean;
  const stats = plain.find((p) => path.basename(p).startsWith('peer-stats-'));
  gz = path.join(fixtures.dir, 'peer-stats.json.gz');
  fs.writeFileSync(gz, zlib.gzipSync(fs.readFileSync(stats)));
  gzipped = plain.map((p) => (p === stats ? gz : p));
});
after(() => {
  for (const e of Object.values(engines ?? {})) e.dispose();
  pkg?.remove();
  fixtures?.remove();
});

/** A file of `n` bytes of zeros in gzip members of 8 MiB: about n / 1000 bytes. */
function zipBomb(n) {
  const member = zlib.gzipSync(Buffer.alloc(8 << 20), { level: 9 });
  return Buffer.concat(Array(Math.ceil(n / (8 << 20))).fill(member));
}

for (const entry of ['node', 'browser']) {
  describe(`gzip inputs (${entry} entry)`, () => {
    test('a gzipped peer-stats file gives the native CLI\'s report, with compression: gzip', async () => {
      const report = await engines[entry].analyze(readInputs(gzipped));
      const native = nativeAnalyze(gzipped);
      assert.equal(native.status, 0, native.stderr.join('\n'));
      assert.deepEqual(report, native.report);
      const i = gzipped.indexOf(gz);
      assert.equal(report.inputs[i].compression, 'gzip');
      // As the plain file: the same sessions, the same entry but for name and compression.
      const plainReport = await engines[entry].analyze(readInputs(plain));
      assert.deepEqual(report.sessions, plainReport.sessions);
      assert.ok(plainReport.inputs.every((input) => !('compression' in input)));
      const { compression, ...rest } = report.inputs[i];
      assert.deepEqual({ ...rest, name: plainReport.inputs[i].name }, plainReport.inputs[i]);
    });

    test('damaged gzip files are rejected with the reason; the good files beside them are analyzed', async () => {
      const whole = fs.readFileSync(gz);
      const bad = Buffer.from(whole);
      bad[bad.length - 8] ^= 0x55;  // the CRC-32
      const files = [
        { name: 'cut.json.gz', data: whole.subarray(0, 100) },
        { name: 'crc.json.gz', data: bad },
        ...readInputs(plain),
      ];
      const e = await rejection(engines[entry].analyze(files));
      assert.ok(e instanceof entries[entry].CallsightInputError, `got ${e?.stack ?? e}`);
      assert.deepEqual(e.report.inputs.slice(0, 2).map((i) => [i.status, i.compression, i.bytes]),
        [['rejected', 'gzip', 100], ['rejected', 'gzip', bad.length]]);
      // zlib's words: node:zlib's errors (Node entry), Node's DecompressionStream (browser entry).
      const zlibSays = entry === 'node' ? 'zlib: ' : '';
      assert.deepEqual(e.messages.slice(0, 2), [
        `cut.json.gz: cannot read: the gzip data is damaged or cut short (${zlibSays}unexpected end of file)`,
        `crc.json.gz: cannot read: the gzip data is damaged or cut short (${zlibSays}incorrect data check)`,
      ]);
      assert.ok(e.report.inputs.slice(2).every((i) => i.status === 'ok'));
      assert.equal(e.report.sessions.length, 1);
      assert.equal(e.report.sessions[0].peers.length, 4);
    });

    test('a zip bomb is refused at the cap, quickly, and the other files are read', async () => {
      const bomb = zipBomb(80 << 20);  // about 80 kB: the cap is 64 MiB
      const t0 = performance.now();
      const e = await rejection(engines[entry].analyze([{ name: 'bomb.json.gz', data: bomb }, ...readInputs(plain)]));
      const ms = performance.now() - t0;
      assert.ok(e instanceof entries[entry].CallsightInputError, `got ${e?.stack ?? e}`);
      assert.equal(e.report.inputs[0].status, 'rejected');
      assert.equal(e.report.inputs[0].compression, 'gzip');
      assert.equal(e.messages[0], `bomb.json.gz: cannot read: the gzip data expands to more than 64 MiB (67108864 bytes), ` +
        `the most callsight decompresses from a file of ${bomb.length} bytes (the larger of 64 MiB (67108864 bytes) and ` +
        '200 times the compressed size, and never more than the largest file the engine reads)');
      assert.equal(e.report.sessions.length, 1);
      assert.ok(ms < 5000, `took ${ms} ms`);  // it stops at the cap
    });

    test('Chromium\'s gzipped webrtc-internals dump is decompressed before the engine reads it', { skip: !REAL_GZ && 'no shared/testdata/real' }, async () => {
      const data = fs.readFileSync(REAL_GZ);
      let report;
      try {
        report = await engines[entry].analyze([{ name: REAL_GZ, data }]);
      } catch (e) {
        if (!(e instanceof entries[entry].CallsightInputError)) throw e;
        report = e.report;
      }
      const input = report.inputs[0];
      assert.equal(input.compression, 'gzip');
      assert.equal(input.bytes, 896);  // decompressed, as `zcat | wc -c` counts
      assert.deepEqual(report, nativeAnalyze([REAL_GZ]).report);
      // Until the dump readers land it is refused as a webrtc-internals dump, not as gzip.
      if (input.status === 'rejected') {
        assert.match(input.messages[0].text, /webrtc-internals/);
        assert.doesNotMatch(input.messages[0].text, /gzip/);
      }
    });
  });
}

test('analyses started together run one after the other, each with its own files', async () => {
  const engine = engines.node;
  const [a, b] = await Promise.all([
    engine.analyze(readInputs(gzipped)),
    engine.analyze(readInputs(plain.slice(0, 2))),
  ]);
  assert.deepEqual(a, nativeAnalyze(gzipped).report);
  assert.deepEqual(b, nativeAnalyze(plain.slice(0, 2)).report);
});

test('strings and binary data without the gzip bytes are read as they are', async () => {
  const text = fs.readFileSync(plain[0], 'utf8');
  const report = await engines.node.analyze([{ name: 'a.json', data: text }]);
  assert.equal(report.inputs[0].compression, undefined);
  const e = await rejection(engines.node.analyze([{ name: 'b.bin', data: new Uint8Array([0x1f]) }]));
  assert.equal(e.report.inputs[0].compression, undefined);
  assert.equal(e.report.inputs[0].status, 'rejected');
});
