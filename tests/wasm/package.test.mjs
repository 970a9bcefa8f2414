// The npm package as a user gets it: install the packed tarball, import it by
// name, and check that it gives the native CLI's report for the same files.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';

import {
  generateFixtures, installPackage, nativeAnalyze, nativeVersion, PACKAGE_DIR, projectVersion, readInputs, ROOT, tempDir,
} from './helpers.mjs';

let pkg;
let fixtures;
let callsight;
let engine;

before(async () => {
  pkg = installPackage();
  fixtures = generateFixtures();
  callsight = await pkg.importPackage('callsight');
  engine = await callsight.createEngine();
});
after(() => {
  engine?.dispose();
  pkg?.remove();
  fixtures?.remove();
});

describe('package', () => {
  test('package.json: name, version, module type, exports', () => {
    const json = JSON.parse(fs.readFileSync(path.join(pkg.dir, 'node_modules', 'callsight', 'package.json'), 'utf8'));
    assert.equal(json.name, 'callsight');
    assert.equal(json.version, projectVersion());
    assert.equal(json.license, 'MIT');
    assert.equal(json.type, 'module');
    assert.equal(json.sideEffects, false);
    for (const key of ['.', './worker']) {
      assert.equal(Object.keys(json.exports[key])[0], 'types', `exports["${key}"] lists "types" first`);
    }
    // Browsers and bundles for them get the single-threaded build; Node the threaded one.
    assert.deepEqual(json.exports['.'], {
      types: './dist/index.d.ts', browser: './dist/browser.js', node: './dist/node.js', default: './dist/browser.js',
    });
    assert.equal(json.exports['./engine.wasm'], './dist/engine.wasm');
    assert.equal(json.exports['./package.json'], './package.json');
    assert.equal(json.scripts, undefined, 'the package runs no scripts (the template\'s prepack stays behind)');
    for (const file of ['dist/index.js', 'dist/browser.js', 'dist/node.js', 'dist/worker.js', 'dist/client.js',
      'dist/engine.js', 'dist/engine.wasm',
      'dist/node/engine.cjs', 'dist/node/engine.worker.js', 'dist/node/engine.wasm', 'dist/node/package.json',
      'dist/index.d.ts', 'dist/worker.d.ts', 'README.md', 'LICENSE']) {
      assert.ok(fs.existsSync(path.join(pkg.dir, 'node_modules', 'callsight', file)), `${file} is in the package`);
    }
  });

  test('Node resolves the Node entry; the browser condition, the browser entry (which runs in Node too)', async () => {
    assert.equal(path.basename(fileURLToPath(await pkg.resolve('callsight'))), 'node.js');
    const script = `
      import fs from 'node:fs';
      const { createEngine } = await import('callsight');
      const entry = import.meta.resolve('callsight');
      const engine = await createEngine();
      const files = ${JSON.stringify(fixtures.scenarios.sample)};
      const report = await engine.analyze(files.map((name) => ({ name, data: fs.readFileSync(name) })));
      console.log(JSON.stringify({ entry, threads: engine.threads, report }));
      engine.dispose();`;
    const file = path.join(pkg.dir, 'browser-condition.mjs');
    fs.writeFileSync(file, script);
    const r = spawnSync(process.execPath, ['--conditions=browser', file], { encoding: 'utf8', maxBuffer: 1 << 28 });
    assert.equal(r.status, 0, r.stderr);
    const out = JSON.parse(r.stdout);
    assert.equal(path.basename(fileURLToPath(out.entry)), 'browser.js');
    assert.equal(out.threads, 1, 'the single-threaded build');
    assert.deepEqual(out.report, nativeAnalyze(fixtures.scenarios.sample).report);
  });

  test('npm pack: the built package packs its engine; wasm/, the template, refuses with a message', () => {
    const copy = (from) => {
      const dir = tempDir('pack');
      fs.cpSync(from, dir, { recursive: true });
      return dir;
    };
    const pack = (dir) => spawnSync('npm', ['pack', '--dry-run', '--json', '--loglevel=error'], { cwd: dir, encoding: 'utf8' });
    const built = copy(PACKAGE_DIR);
    const template = copy(path.join(ROOT, 'wasm'));
    try {
      const ok = pack(built);
      assert.equal(ok.status, 0, ok.stderr);
      const files = JSON.parse(ok.stdout)[0].files.map((f) => f.path);
      for (const file of ['dist/browser.js', 'dist/node.js', 'dist/engine.wasm', 'dist/node/engine.wasm']) {
        assert.ok(files.includes(file), `${file} is packed`);
      }
      const refused = pack(template);
      assert.notEqual(refused.status, 0, 'npm pack in wasm/ fails');
      assert.match(refused.stderr, /not packed: wasm\/ is the template/);
      assert.match(refused.stderr, /wasm\/build\.sh/);
      assert.ok(!refused.stdout.includes('"filename"'), `no package listed: ${refused.stdout}`);
    } finally {
      fs.rmSync(built, { recursive: true, force: true });
      fs.rmSync(template, { recursive: true, force: true });
    }
  });

  test('every export resolves', async () => {
    for (const specifier of ['callsight', 'callsight/worker', 'callsight/client', 'callsight/engine.wasm', 'callsight/package.json']) {
      const url = await pkg.resolve(specifier);
      assert.ok(fs.existsSync(fileURLToPath(url)), `${specifier} -> ${url}`);
    }
  });

  test('exports the documented API', () => {
    assert.equal(typeof callsight.createEngine, 'function');
    assert.equal(typeof callsight.createWorkerClient, 'function');
    assert.ok(new callsight.CallsightConfigError('x') instanceof Error);
    assert.equal(typeof engine.analyze, 'function');
    assert.equal(typeof engine.series, 'function');
    assert.equal(typeof engine.dispose, 'function');
  });

  test('version is the project version and the CLI version', () => {
    assert.equal(engine.version, projectVersion());
    assert.equal(engine.version, nativeVersion());
  });

  test('loading sets no global process handlers', async () => {
    const events = ['uncaughtException', 'unhandledRejection', 'exit'];
    const before = events.map((e) => process.listenerCount(e));
    const e2 = await callsight.createEngine();
    assert.deepEqual(events.map((e) => process.listenerCount(e)), before);
    e2.dispose();
  });

  test('createEngine({wasmBinary}) and createEngine({wasmUrl})', async () => {
    const wasmPath = fileURLToPath(await pkg.resolve('callsight/engine.wasm'));
    const bytes = fs.readFileSync(wasmPath);
    for (const options of [
      { wasmBinary: bytes },
      { wasmBinary: bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) },
      { wasmUrl: new URL(`file://${wasmPath}`) },
    ]) {
      const e = await callsight.createEngine(options);
      const report = await e.analyze(readInputs(fixtures.scenarios.clean));
      assert.equal(report.sessions.length, 1);
      e.dispose();
    }
  });

  test('TypeScript declarations compile against a typical use', (t) => {
    const tsc = path.join(ROOT, 'tests', 'wasm', 'node_modules', 'typescript', 'bin', 'tsc');
    if (!fs.existsSync(tsc)) {
      t.skip('typescript is not installed (run npm ci in tests/wasm)');
      return;
    }
    const src = path.join(pkg.dir, 'use.ts');
    fs.writeFileSync(src, `
import { createEngine, createWorkerClient, CallsightInputError, CallsightConfigError,
         type Report, type Progress, type InputFile, type Engine, type WorkerClient } from 'callsight';
import type { WorkerClient as WC } from 'callsight/client';
import 'callsight/worker';
async function main(): Promise<void> {
  const engine: Engine = await createEngine({ wasmUrl: new URL('https://example.com/engine.wasm') });
  const files: InputFile[] = [{ name: 'a.json', data: '{}' }, { name: 'b.json', data: new Uint8Array(2) },
                              { name: 'c.json', data: new ArrayBuffer(2) }];
  try {
    const report: Report = await engine.analyze(files, {
      config: { thresholds: { rtt_ms: { warning: 250 } } },
      onProgress: (p: Progress) => console.log(p.phase, p.file ?? '', p.bytesDone / p.bytesTotal),
    });
    const s = report.sessions[0];
    const peer = s.peers[0];
    const cqs: number | null = peer.cqs;
    const key: string = peer.tracks[0].key;
    const series = engine.series(s.session_id, peer.peer_id, key, 'bitrate', { maxPoints: 500 });
    const t: Float64Array = series.t;
    const v: Float64Array = series.values;
    const code: string = s.issues[0].code;
    const health: 'none' | 'good' | 'moderate' | 'poor' = peer.call_health.audio;
    console.log(cqs, t, v, code, health, s.errors.failure_rates.join.rate, s.summary.issues_by_severity.critical,
                report.inputs[0].messages[0]?.message, engine.version);
  } catch (e) {
    if (e instanceof CallsightInputError) console.log(e.messages.join('\\n'), e.report.inputs.length);
    else if (e instanceof CallsightConfigError) console.log(e.message);
  }
  engine.dispose();
  const client: WorkerClient & WC = createWorkerClient();
  const r: Report = await client.analyze(files, { onProgress: (p) => p.filesDone });
  const s2 = await client.series('s', 'p', 'k', 'mos');
  console.log(r.schema_version, s2.values.length);
  client.terminate();
}
void main();
`);
    // Real reports are Reports (excess property checks: no field is missing from the types).
    const reports = ['sample', 'failures', 'layers', 'break-15min'].filter((n) => fixtures.scenarios[n]);
    assert.ok(reports.length >= 3);
    for (const name of reports) {
      const report = nativeAnalyze(fixtures.scenarios[name]).report;
      fs.writeFileSync(path.join(pkg.dir, `report-${name}.ts`),
        `import type { Report } from 'callsight';\nexport const report: Report = ${JSON.stringify(report)};\n`);
    }
    fs.writeFileSync(path.join(pkg.dir, 'tsconfig.json'), JSON.stringify({
      compilerOptions: {
        strict: true, noEmit: true, target: 'es2022', module: 'nodenext', moduleResolution: 'nodenext',
        lib: ['es2022', 'dom'], types: [], skipLibCheck: false,
      },
      files: ['use.ts', ...reports.map((n) => `report-${n}.ts`)],
    }));
    const r = spawnSync(process.execPath, [tsc, '-p', pkg.dir], { encoding: 'utf8' });
    assert.equal(r.status, 0, `tsc:\n${r.stdout}${r.stderr}`);
  });
});

describe('threads (Node)', () => {
  test('the default engine is the threaded build, one thread per core up to 4', () => {
    assert.equal(engine.threads, Math.min(4, os.cpus().length));
  });

  test('threads: 1, or a smaller number, is kept to; a bad value is a RangeError', async () => {
    const one = await callsight.createEngine({ threads: 1 });
    assert.equal(one.threads, 1);
    one.dispose();
    const two = await callsight.createEngine({ threads: 2 });
    assert.equal(two.threads, Math.min(2, engine.threads));
    two.dispose();
    for (const threads of [0, -1, 1.5, '2', NaN]) {
      await assert.rejects(callsight.createEngine({ threads }), RangeError, String(threads));
    }
  });

  test('every generated scenario gives the same report on one thread and on several', async () => {
    const one = await callsight.createEngine({ threads: 1 });
    try {
      for (const [name, paths] of Object.entries(fixtures.scenarios)) {
        const inputs = readInputs(paths);
        assert.deepEqual(await engine.analyze(inputs), await one.analyze(inputs), name);
      }
    } finally {
      one.dispose();
    }
  });

  test('a script that never disposes its engine still exits', async () => {
    const script = `
      const { createEngine } = await import(${JSON.stringify(await pkg.resolve('callsight'))});
      const engine = await createEngine();
      const report = await engine.analyze([{ name: 'a.json', data: ${JSON.stringify(
        fs.readFileSync(fixtures.scenarios.clean.find((p) => p.includes('peer-stats')), 'utf8'))} }]);
      console.log(engine.threads, report.sessions.length);`;
    const r = spawnSync(process.execPath, ['--input-type=module', '-e', script], { encoding: 'utf8', timeout: 30000 });
    assert.equal(r.signal, null, 'exited by itself (not killed by the timeout)');
    assert.equal(r.status, 0, r.stderr);
    assert.equal(r.stdout.trim(), `${engine.threads} 1`);
  });
});

describe('parity with the native CLI', () => {
  test('every generated scenario gives the CLI report', async () => {
    const names = Object.keys(fixtures.scenarios);
    assert.ok(names.length >= 5, `generated scenarios: ${names.join(', ')}`);
    for (const name of names) {
      const paths = fixtures.scenarios[name];
      const native = nativeAnalyze(paths);
      assert.equal(native.status, 0, `${name}: CLI exit status (${native.stderr.join('; ')})`);
      const report = await engine.analyze(readInputs(paths));
      assert.deepEqual(report, native.report, `${name}: package report = CLI report`);
      // Put together from parts, it keeps the CLI's key order too.
      assert.equal(JSON.stringify(report), JSON.stringify(native.report), `${name}: key order`);
    }
  });

  test('the same files as strings, ArrayBuffers and Uint8Array views give the same report', async () => {
    const paths = fixtures.scenarios.sample;
    const bytes = readInputs(paths);
    const expected = await engine.analyze(bytes);
    const asStrings = bytes.map((f) => ({ name: f.name, data: f.data.toString('utf8') }));
    assert.deepEqual(await engine.analyze(asStrings), expected);
    const asBuffers = bytes.map((f) => ({
      name: f.name, data: f.data.buffer.slice(f.data.byteOffset, f.data.byteOffset + f.data.byteLength),
    }));
    assert.deepEqual(await engine.analyze(asBuffers), expected);
    // A view into the middle of a bigger buffer.
    const asViews = bytes.map((f) => {
      const big = new Uint8Array(f.data.byteLength + 16).fill(0x41);
      big.set(f.data, 8);
      return { name: f.name, data: big.subarray(8, 8 + f.data.byteLength) };
    });
    assert.deepEqual(await engine.analyze(asViews), expected);
  });

  test('strings are encoded as TextEncoder does (multi-byte, surrogate pairs, lone surrogates)', async () => {
    const inputs = readInputs(fixtures.scenarios.sample).map((f) => ({ name: f.name, data: f.data.toString('utf8') }));
    const session = inputs.find((f) => f.name.endsWith('session.json'));
    const names = ['Élif Yılmaz', 'Zoë 🎥🎙️', 'lone \ud800 high', 'lone \udc00 low', 'end \ud83d'];
    let k = 0;
    session.data = session.data.replace(/"name":\s*"[^"]*"/g, () => `"name": "${names[k++ % names.length]}"`);  // raw, not \u-escaped
    assert.ok(k >= 3, 'names replaced');
    const encoded = inputs.map((f) => ({ name: f.name, data: new TextEncoder().encode(f.data) }));
    const fromStrings = await engine.analyze(inputs);
    assert.deepEqual(fromStrings, await engine.analyze(encoded));
    fromStrings.inputs.forEach((input, i) => assert.equal(input.bytes, encoded[i].data.byteLength, input.name));
    const peerNames = fromStrings.sessions[0].peers.map((p) => p.name);
    assert.ok(peerNames.includes('Zoë 🎥🎙️'), peerNames.join(', '));
    assert.ok(peerNames.includes('lone \ufffd high'), peerNames.join(', '));
  });

  test('a report of many pieces, full of multi-byte characters, is the CLI\'s', async () => {
    // Long names of 2-, 3- and 4-byte characters in a report of megabytes,
    // which leaves the engine in pieces of about 64 kB.
    const dir = tempDir('pieces');
    try {
      const names = ['é', '€', '🎥'].map((c, k) => `${c.repeat(3000 + k)} ${k}`);
      let k = 0;
      const paths = fixtures.scenarios['ten-peers'].map((p) => {
        let text = fs.readFileSync(p, 'utf8');
        if (path.basename(p) === 'session.json') {
          text = text.replace(/"name":\s*"[^"]*"/g, () => `"name": "${names[k++ % names.length]}"`);
        }
        const out = path.join(dir, path.basename(p));
        fs.writeFileSync(out, text);
        return out;
      });
      assert.ok(k >= 3, 'names replaced');
      const native = nativeAnalyze(paths);
      assert.equal(native.status, 0, native.stderr.join('; '));
      assert.ok(JSON.stringify(native.report).length > 4 * 65536, 'the report spans several pieces');
      for (const e of [engine, await callsight.createEngine({ threads: 1 })]) {
        assert.deepEqual(await e.analyze(readInputs(paths)), native.report, `${e.threads} thread(s)`);
      }
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  test('a config changes the report as it does in the CLI', async () => {
    const paths = fixtures.scenarios.sample;
    const config = { thresholds: { rtt_ms: { warning: 50, critical: 80 } }, meeting_gap_minutes: 5 };
    const configFile = path.join(fixtures.dir, 'config.json');
    fs.writeFileSync(configFile, JSON.stringify(config));
    const native = nativeAnalyze(paths, ['--config', configFile]);
    assert.deepEqual(await engine.analyze(readInputs(paths), { config }), native.report);
    assert.deepEqual(await engine.analyze(readInputs(paths), { config: JSON.stringify(config) }), native.report);
    const defaults = await engine.analyze(readInputs(paths));
    assert.notDeepEqual(defaults.config, native.report.config);
  });

  test('progress: reading and parsing per file, then analyzing, then done', async () => {
    const inputs = readInputs(fixtures.scenarios.clean);
    const seen = [];
    await engine.analyze(inputs, { onProgress: (p) => seen.push({ ...p }) });
    const bytesTotal = inputs.reduce((n, f) => n + f.data.byteLength, 0);
    assert.equal(seen.length, inputs.length * 2 + 2);
    inputs.forEach((f, i) => {
      assert.deepEqual(seen[2 * i], { phase: 'reading', file: f.name, filesDone: i, filesTotal: inputs.length,
        bytesDone: inputs.slice(0, i).reduce((n, g) => n + g.data.byteLength, 0), bytesTotal });
      assert.equal(seen[2 * i + 1].phase, 'parsing');
      assert.equal(seen[2 * i + 1].file, f.name);
    });
    assert.deepEqual(seen.at(-2), { phase: 'analyzing', filesDone: inputs.length, filesTotal: inputs.length, bytesDone: bytesTotal, bytesTotal });
    assert.deepEqual(seen.at(-1), { phase: 'done', filesDone: inputs.length, filesTotal: inputs.length, bytesDone: bytesTotal, bytesTotal });
  });

  test('analyses are independent of each other', async () => {
    const a = readInputs(fixtures.scenarios.clean);
    const b = readInputs(fixtures.scenarios['screen-share']);
    const onlyB = await engine.analyze(b);
    await engine.analyze(a);
    assert.deepEqual(await engine.analyze(b), onlyB);
    const empty = await engine.analyze([]);
    assert.deepEqual(empty.inputs, []);
    assert.deepEqual(empty.sessions, []);
  });
});
