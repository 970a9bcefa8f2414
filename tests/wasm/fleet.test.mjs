// The package's fleet calls: engine.fleet(tables) gives the native CLI's
// `callsight fleet --format json` for the same tables, and engine.tableRows()
// after analyzing one session folder at a time gives the rows `callsight
// analyze --tables` writes, so a page can build the tables itself.
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';

import { CLI, installPackage, readInputs, rejection, ROOT, tempDir } from './helpers.mjs';

const TABLES = ['sessions', 'participants', 'issues', 'breaches', 'errors'];
let pkg;
let callsight;
let engine;
let work;
let fleetDir;
let tablesDir;
let truth;

function cli(args) {
  const r = spawnSync(CLI, args, { encoding: 'utf8', maxBuffer: 1 << 28 });
  assert.equal(r.status, 0, `callsight ${args.join(' ')}: ${r.stderr}`);
  return r.stdout;
}
const cliSummary = (dir, args = []) => JSON.parse(cli(['fleet', dir, '--format', 'json', ...args]));
const tableFiles = (dir) => TABLES.map((t) => ({ name: `${t}.ndjson`, data: fs.readFileSync(path.join(dir, `${t}.ndjson`)) }));
const sessionFolders = () => {
  const top = path.join(fleetDir, 'sessions');
  return fs.readdirSync(top).sort().map((d) => path.join(top, d));
};
const lines = (text) => text.split('\n').filter(Boolean).sort();

before(async () => {
  assert.ok(fs.existsSync(CLI), `${CLI} is missing: build the native CLI first`);
  pkg = installPackage();
  callsight = await pkg.importPackage('callsight');
  engine = await callsight.createEngine();
  work = tempDir('fleet');
  fleetDir = path.join(work, 'fleet');
  execFileSync(process.execPath, [path.join(ROOT, 'scripts/gen/fleet.mjs'), '--out', fleetDir, '--sessions', '30', '--seed', '7'], { stdio: 'ignore' });
  truth = JSON.parse(fs.readFileSync(path.join(fleetDir, 'fleet-truth.json'), 'utf8'));
  tablesDir = path.join(work, 'tables');
  cli(['analyze', '--tables', tablesDir, path.join(fleetDir, 'sessions')]);
});
after(() => {
  engine?.dispose();
  pkg?.remove();
  if (work) fs.rmSync(work, { recursive: true, force: true });
});

describe('fleet', () => {
  test('fleet(table files) equals `callsight fleet --format json`', async () => {
    const expected = cliSummary(tablesDir);
    assert.equal(expected.sessions, 30);
    assert.equal(expected.top_issue, truth.most_common_issue, 'the generated fleet has its known top issue');
    const summary = await engine.fleet(tableFiles(tablesDir));
    assert.deepEqual(summary, expected);
  });

  test('fleet({table: text}) and since equal the CLI with --since', async () => {
    const since = truth.days[3];
    const expected = cliSummary(tablesDir, ['--since', since]);
    const byName = Object.fromEntries(tableFiles(tablesDir).map((f) => [f.name.replace('.ndjson', ''), f.data.toString('utf8')]));
    const summary = await engine.fleet(byName, { since });
    assert.deepEqual(summary, expected);
    assert.ok(summary.sessions < 30 && summary.sessions > 0, 'since keeps only the later sessions');
  });

  test('tableRows() of one session at a time: the CLI tables, and the same summary', async () => {
    const collected = Object.fromEntries(TABLES.map((t) => [t, '']));
    for (const folder of sessionFolders()) {
      const files = fs.readdirSync(folder).sort().map((f) => path.join(folder, f));
      const report = await engine.analyze(readInputs(files));
      assert.equal(report.sessions.length, 1, folder);
      const rows = engine.tableRows();
      assert.deepEqual(Object.keys(rows).sort(), [...TABLES].sort());
      assert.equal(lines(rows.sessions).length, 1);
      assert.equal(JSON.parse(rows.sessions).session_id, report.sessions[0].session_id);
      for (const t of TABLES) collected[t] += rows[t];
    }
    for (const t of TABLES) {
      assert.deepEqual(lines(collected[t]), lines(fs.readFileSync(path.join(tablesDir, `${t}.ndjson`), 'utf8')), `${t}: the CLI's rows`);
    }
    assert.deepEqual(await engine.fleet(collected), cliSummary(tablesDir));
  });

  test('fleet() leaves the last analysis for series() and tableRows()', async () => {
    const folder = sessionFolders()[0];
    const files = fs.readdirSync(folder).sort().map((f) => path.join(folder, f));
    const report = await engine.analyze(readInputs(files));
    const before = engine.tableRows();
    await engine.fleet(tableFiles(tablesDir));
    assert.deepEqual(engine.tableRows(), before);
    const peer = report.sessions[0].peers.find((p) => typeof p.cqs === 'number');
    assert.ok(engine.series(report.sessions[0].session_id, peer.peer_id, '', 'cqs').t.length > 0);
  });

  test('gzip-compressed tables are read as the plain ones', async () => {
    const zlib = await import('node:zlib');
    const files = tableFiles(tablesDir).map((f) => ({ name: `${f.name}.gz`, data: zlib.gzipSync(f.data) }));
    assert.deepEqual(await engine.fleet(files), cliSummary(tablesDir));
  });

  test('a bad row is a CallsightTableError naming the table and line', async () => {
    const files = tableFiles(tablesDir);
    const issues = files.find((f) => f.name === 'issues.ndjson');
    const text = issues.data.toString('utf8').split('\n');
    text[2] = '{"session_id": 5';
    issues.data = Buffer.from(text.join('\n'));
    const e = await rejection(engine.fleet(files));
    assert.ok(e instanceof callsight.CallsightTableError, String(e));
    assert.equal(e.name, 'CallsightTableError');
    assert.match(e.message, /issues\.ndjson/);
    assert.match(e.message, /line 3/);
    // The engine stays usable.
    assert.equal((await engine.fleet(tableFiles(tablesDir))).sessions, 30);
  });

  test('a bad since is a CallsightTableError; wrong arguments are TypeErrors', async () => {
    const e = await rejection(engine.fleet(tableFiles(tablesDir), { since: '2026-13-45' }));
    assert.ok(e instanceof callsight.CallsightTableError, String(e));
    assert.match(e.message, /2026-13-45/);
    const noSessions = tableFiles(tablesDir).filter((f) => f.name !== 'sessions.ndjson');
    assert.ok((await rejection(engine.fleet(noSessions))) instanceof TypeError);
    assert.ok((await rejection(engine.fleet([{ name: 'notes.txt', data: 'x' }]))) instanceof TypeError);
    assert.ok((await rejection(engine.fleet('sessions.ndjson'))) instanceof TypeError);
  });

  test('only the sessions table: the other tables have no rows', async () => {
    const only = tableFiles(tablesDir).filter((f) => f.name === 'sessions.ndjson');
    const summary = await engine.fleet(only);
    assert.equal(summary.sessions, 30);
    assert.deepEqual(summary.issues, []);
    assert.equal(summary.top_issue, null);
  });

  test('the types: a real summary is a FleetSummary, the calls type-check', (t) => {
    const tsc = path.join(ROOT, 'tests', 'wasm', 'node_modules', 'typescript', 'bin', 'tsc');
    if (!fs.existsSync(tsc)) {
      t.skip('typescript is not installed (run npm ci in tests/wasm)');
      return;
    }
    // Excess property checks: no field of the CLI's summary is missing from the type.
    fs.writeFileSync(path.join(pkg.dir, 'fleet-summary.ts'),
      `import type { FleetSummary } from 'callsight';\nexport const s: FleetSummary = ${JSON.stringify(cliSummary(tablesDir))};\n`);
    fs.writeFileSync(path.join(pkg.dir, 'fleet-use.ts'), `
import { createEngine, createWorkerClient, CallsightTableError, type FleetSummary, type FleetTableTexts } from 'callsight';
async function main(): Promise<void> {
  const engine = await createEngine();
  await engine.analyze([{ name: 'a.json', data: '{}' }]);
  const rows: FleetTableTexts = engine.tableRows();
  const a: FleetSummary = await engine.fleet(rows, { since: '2026-11-02' });
  const b: FleetSummary = await engine.fleet([{ name: 'sessions.ndjson', data: new Uint8Array(1) }]);
  const c: FleetSummary = await engine.fleet({ sessions: rows.sessions });
  const top: string | null = a.top_issue;
  const share: number = b.breakdowns[0].most_affected_share + c.issues[0].session_share;
  const client = createWorkerClient();
  const d: FleetSummary = await client.fleet(await client.tableRows());
  console.log(top, share, d.days.length, new CallsightTableError('x').name);
}
void main();
`);
    fs.writeFileSync(path.join(pkg.dir, 'tsconfig.json'), JSON.stringify({
      compilerOptions: {
        strict: true, noEmit: true, target: 'es2022', module: 'nodenext', moduleResolution: 'nodenext',
        lib: ['es2022', 'dom'], types: [], skipLibCheck: false,
      },
      files: ['fleet-use.ts', 'fleet-summary.ts'],
    }));
    const r = spawnSync(process.execPath, [tsc, '-p', pkg.dir], { encoding: 'utf8' });
    assert.equal(r.status, 0, `tsc:\n${r.stdout}${r.stderr}`);
  });

  test('tableRows() before any analysis throws', async () => {
    const fresh = await callsight.createEngine({ threads: 1 });
    try {
      assert.throws(() => fresh.tableRows(), /no analysis/);
    } finally {
      fresh.dispose();
    }
  });
});
