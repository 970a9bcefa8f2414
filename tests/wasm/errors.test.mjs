// Bad input, bad config, bad arguments: clean rejections, and the engine keeps working.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { pathToFileURL } from 'node:url';

import { generateFixtures, installPackage, JSON_TEST_SUITE, nativeAnalyze, readInputs, rejection } from './helpers.mjs';

let pkg;
let fixtures;
let callsight;
let engine;
let good;  // one good peer-stats file of the `clean` scenario

before(async () => {
  pkg = installPackage();
  fixtures = generateFixtures(['clean', 'sample']);
  callsight = await pkg.importPackage('callsight');
  engine = await callsight.createEngine();
  good = fixtures.scenarios.clean.find((p) => path.basename(p).startsWith('peer-stats-'));
});
after(() => {
  engine?.dispose();
  pkg?.remove();
  fixtures?.remove();
});

describe('rejected inputs', () => {
  test('a broken JSON file beside a good one: CallsightInputError with the CLI messages and report', async () => {
    const bad = path.join(fixtures.dir, 'bad.json');
    fs.writeFileSync(bad, '{"peer_id": "p1", "session_id": ');
    const paths = [good, bad];
    const native = nativeAnalyze(paths);
    assert.equal(native.status, 2);

    const e = await rejection(engine.analyze(readInputs(paths)));
    assert.ok(e instanceof callsight.CallsightInputError, `got ${e}`);
    assert.ok(e instanceof Error);
    assert.equal(e.name, 'CallsightInputError');
    assert.match(e.message, /bad\.json/);
    assert.ok(e.messages.length >= 1);
    assert.ok(e.messages.every((m) => m.startsWith(`${bad}: `)), e.messages.join('\n'));
    assert.deepEqual(e.messages, native.stderr, 'messages = the CLI stderr lines');
    assert.deepEqual(e.report, native.report, 'report = the CLI stdout');
    assert.equal(e.report.inputs[0].status, 'ok');
    assert.equal(e.report.inputs[1].status, 'rejected');
    assert.equal(e.report.sessions.length, 1, 'the good file is analyzed');

    // The engine is fine afterwards, and the bad file is not carried over.
    const report = await engine.analyze(readInputs([good]));
    assert.deepEqual(report.inputs.map((i) => i.status), ['ok']);
    assert.deepEqual(report, nativeAnalyze([good]).report);
  });

  test('input names and messages keep non-ASCII text', async () => {
    const e = await rejection(engine.analyze([{ name: 'données/Élif 🎥.json', data: 'nope' }]));
    assert.ok(e instanceof callsight.CallsightInputError);
    assert.equal(e.report.inputs[0].name, 'données/Élif 🎥.json');
    assert.ok(e.messages[0].startsWith('données/Élif 🎥.json: '), e.messages[0]);
  });

  test('unknown kinds, empty files, hostile nesting are rejected cleanly', async () => {
    const deep = '['.repeat(100000) + ']'.repeat(100000);
    const files = [
      { name: 'empty.json', data: '' },
      { name: 'unknown.json', data: '{"hello": "world"}' },
      { name: 'deep.json', data: deep },
      { name: 'binary.bin', data: new Uint8Array([0, 1, 2, 255, 254, 0]) },
      { name: 'zero-length-buffer', data: new ArrayBuffer(0) },
    ];
    const e = await rejection(engine.analyze(files));
    assert.ok(e instanceof callsight.CallsightInputError, `got ${e}`);
    assert.deepEqual(e.report.inputs.map((i) => i.status), files.map(() => 'rejected'));
    for (const f of files) assert.ok(e.messages.some((m) => m.startsWith(`${f.name}: `)), `a message names ${f.name}`);
  });

  test('a file over the 1 GiB limit is rejected by its size, without copying it into the engine', async () => {
    const huge = new Uint8Array((1 << 30) + 1);  // zero pages: never touched
    const t0 = performance.now();
    const e = await rejection(engine.analyze([{ name: 'huge.json', data: huge }, ...readInputs([good])]));
    assert.ok(performance.now() - t0 < 5000);
    assert.ok(e instanceof callsight.CallsightInputError, `got ${e}`);
    assert.deepEqual(e.report.inputs.map((i) => i.status), ['rejected', 'ok']);
    assert.equal(e.report.inputs[0].bytes, huge.byteLength);
    assert.match(e.messages[0], /^huge\.json: .*limit/);
  });

  test('every file of JSONTestSuite test_parsing rejects cleanly through one engine', async (t) => {
    if (!fs.existsSync(JSON_TEST_SUITE)) {
      t.skip(`JSONTestSuite not found at ${JSON_TEST_SUITE}`);
      return;
    }
    const names = fs.readdirSync(JSON_TEST_SUITE).filter((n) => n.endsWith('.json')).sort();
    assert.ok(names.length > 100);
    for (const name of names) {
      const data = fs.readFileSync(path.join(JSON_TEST_SUITE, name));
      // None of them is a 100ms export, valid JSON or not: each one is rejected.
      const e = await rejection(engine.analyze([{ name, data }]));
      assert.ok(e instanceof callsight.CallsightInputError, `${name}: ${e?.stack ?? e}`);
      assert.equal(e.report.inputs[0].status, 'rejected', name);
      assert.ok(e.messages.length > 0 && e.messages.every((m) => m.startsWith(`${name}: `)), name);
    }
    // Still fine afterwards.
    const report = await engine.analyze(readInputs(fixtures.scenarios.clean));
    assert.deepEqual(report, nativeAnalyze(fixtures.scenarios.clean).report);
  });
});

describe('bad config and arguments', () => {
  test('an invalid config rejects with CallsightConfigError naming the field, and nothing is kept', async () => {
    for (const config of [
      { thresholds: { rtt_ms: { warning: 'high' } } },
      { no_such_key: 1 },
      '{"thresholds": ',
      { window_seconds: -5 },
    ]) {
      const e = await rejection(engine.analyze(readInputs([good]), { config }));
      assert.ok(e instanceof callsight.CallsightConfigError, `${JSON.stringify(config)}: got ${e}`);
      assert.ok(e instanceof Error);
      assert.match(e.message, /config/);
    }
    const e = await rejection(engine.analyze([], { config: { thresholds: { rtt_ms: { warning: 'x' } } } }));
    assert.match(e.message, /rtt_ms/);
    // A warning beyond its critical level, in the metric's direction: ParseConfig's words.
    const order = await rejection(engine.analyze(readInputs([good]), { config: { thresholds: { fps: { warning: 5, critical: 7 } } } }));
    assert.ok(order instanceof callsight.CallsightConfigError, `got ${order}`);
    assert.match(order.message, /^callsight: config: thresholds\.fps: the warning level \(5\) is beyond the critical level \(7\): for this metric lower is worse/);
    // The files of the rejected call are not carried into the next one.
    const report = await engine.analyze(readInputs(fixtures.scenarios.sample));
    assert.deepEqual(report, nativeAnalyze(fixtures.scenarios.sample).report);
  });

  test('arguments of the wrong type reject with TypeError; the engine stays usable', async () => {
    for (const files of [undefined, 'a.json', [{ name: 'a.json' }], [{ data: '{}' }], [{ name: 'a', data: 42 }],
      [{ name: 'a', data: { length: 1 } }], [null]]) {
      const e = await rejection(engine.analyze(files));
      assert.ok(e instanceof TypeError, `${JSON.stringify(files)}: got ${e}`);
    }
    const e = await rejection(engine.analyze([], { config: 42 }));
    assert.ok(e instanceof TypeError);
    // A progress callback that throws rejects the call; the next one is fine.
    const boom = await rejection(engine.analyze(readInputs([good]), { onProgress: () => { throw new Error('boom'); } }));
    assert.equal(boom.message, 'boom');
    const report = await engine.analyze(readInputs(fixtures.scenarios.clean));
    assert.deepEqual(report, nativeAnalyze(fixtures.scenarios.clean).report);
  });

  test('a disposed engine refuses calls', async () => {
    const e2 = await callsight.createEngine();
    await e2.analyze(readInputs([good]));
    e2.dispose();
    e2.dispose();  // twice is fine
    await assert.rejects(e2.analyze([]), /disposed/);
    assert.throws(() => e2.series('s', 'p', 't', 'bitrate'), /disposed/);
  });

  test('createEngine with a wasm binary that is not one rejects', async () => {
    await assert.rejects(callsight.createEngine({ wasmBinary: new Uint8Array([1, 2, 3, 4]) }));
  });
});

describe('failures cross from the engine as status codes', () => {
  // The binding itself (wasm/src/binding.cpp), as index.js drives it: every
  // call that can fail answers {code, message}, code a Status::CodeId.
  let native;
  let module;
  before(async () => {
    const dist = path.join(pkg.dir, 'node_modules', 'callsight', 'dist');
    const create = (await import(pathToFileURL(path.join(dist, 'engine.js')).href)).default;
    module = await create({ wasmBinary: fs.readFileSync(path.join(dist, 'engine.wasm')) });
    native = new module.Engine(1);
  });
  after(() => native?.delete());

  test('ok, invalid_argument for a bad config, not_found for what is missing', () => {
    native.begin();
    assert.deepEqual(native.checkConfig('{}'), { code: 'ok', message: '' });
    const bad = native.checkConfig('{"no_such_key": 1}');
    assert.equal(bad.code, 'invalid_argument');
    assert.match(bad.message, /no_such_key/);
    assert.doesNotMatch(bad.message, /^config: /, 'the code says what failed, not a prefix');
    assert.deepEqual(native.run('{"window_seconds": -5}').code, 'invalid_argument');
    assert.equal(native.series('s', 'p', 't', 'rtt_ms', 10).code, 'not_found');

    const bytes = fs.readFileSync(good);
    const ptr = module._malloc(bytes.length);
    module.HEAPU8.set(bytes, ptr);
    // The fourth argument: "gzip" when index.js decompressed the file, else "".
    assert.deepEqual(native.addFile('good.json', ptr, bytes.length, ''), { code: 'ok', message: '' });
    // Another peer's file (the same one twice would be a duplicate), as if it came gzipped.
    const other = fs.readFileSync(fixtures.scenarios.clean.find((p) => path.basename(p).startsWith('peer-stats-') && p !== good));
    const copy = module._malloc(other.length);
    module.HEAPU8.set(other, copy);
    assert.deepEqual(native.addFile('good.json.gz', copy, other.length, 'gzip'), { code: 'ok', message: '' });
    assert.deepEqual(native.addUnread('cut.json.gz', 40, 'the gzip data ends early', 'gzip'), { code: 'ok', message: '' });
    assert.deepEqual(native.run(''), { code: 'ok', message: '' });
    const missing = native.series('no-such-session', 'p', 't', 'rtt_ms', 10);
    assert.deepEqual(missing, { code: 'not_found', message: 'no session no-such-session' });
    let parts = 0;
    let head;
    assert.deepEqual(native.writeReportParts((session, list, part) => {
      parts += 1;
      if (session < 0) head = JSON.parse(new TextDecoder().decode(part.slice()));
    }), { code: 'ok', message: '' });
    assert.ok(parts >= 1);
    assert.deepEqual(head.inputs.map((i) => [i.name, i.status, i.compression, i.bytes]), [
      ['good.json', 'ok', undefined, bytes.length],
      ['good.json.gz', 'ok', 'gzip', other.length],
      ['cut.json.gz', 'rejected', 'gzip', 40],
    ]);
    assert.equal(head.inputs[2].messages[0].message, 'cut.json.gz: cannot read: the gzip data ends early');
  });

  test('series() names what is missing in an Error, not a CallsightConfigError', async () => {
    await engine.analyze(readInputs([good]));
    const e = (() => {
      try {
        engine.series('no-such-session', 'p', 't', 'rtt_ms');
      } catch (err) {
        return err;
      }
      return assert.fail('expected an error');
    })();
    assert.ok(!(e instanceof callsight.CallsightConfigError));
    assert.equal(e.message, 'callsight: no session no-such-session');
  });
});

test('series() still answers after an analysis that rejected an input', async () => {
  const e = await rejection(engine.analyze([{ name: 'broken.json', data: '{"oops": ' }, ...readInputs([good])]));
  assert.ok(e instanceof callsight.CallsightInputError, `got ${e}`);
  const session = e.report.sessions[0];
  const peer = session.peers.find((p) => p.tracks.length > 0);
  const track = peer.tracks[0];
  const metric = Object.keys(track.stats)[0];
  const s = engine.series(session.session_id, peer.peer_id, track.key, metric, { maxPoints: 50 });
  assert.ok(s.t.length > 0, 'points from the last analysis');
  assert.equal(s.t.length, s.values.length);
});
