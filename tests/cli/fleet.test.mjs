// End-to-end tests of the fleet commands: `analyze --tables` on a generated
// fleet (scripts/gen/fleet.mjs), re-run byte-identical, merge by session, and
// `fleet` finding what the generator injected (fleet-truth.json).
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync, execFileSync } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const root = resolve(here, '../..');
const cli = process.env.CALLSIGHT_CLI || join(root, 'build/native/callsight');
const TABLES = ['sessions', 'participants', 'issues', 'breaches', 'errors'];
let work, fleet, truth;

function run(args) {
  const r = spawnSync(cli, args, { encoding: 'utf8', maxBuffer: 1 << 28, timeout: 120000 });
  assert.equal(r.error, undefined, `spawn failed: ${r.error}`);
  assert.equal(r.signal, null, `killed by ${r.signal}: ${args.join(' ')}`);
  return r;
}
const readTables = (dir) => Object.fromEntries(TABLES.map((t) => [t, readFileSync(join(dir, `${t}.ndjson`))]));
const rows = (dir, t) => readFileSync(join(dir, `${t}.ndjson`), 'utf8').split('\n').filter(Boolean).map((l) => JSON.parse(l));

before(() => {
  assert.ok(existsSync(cli), `CLI not built at ${cli}`);
  work = mkdtempSync(join(tmpdir(), 'callsight-fleet-'));
  fleet = join(work, 'fleet');
  execFileSync('node', [join(root, 'scripts/gen/fleet.mjs'), '--out', fleet, '--sessions', '40'], { stdio: 'ignore' });
  truth = JSON.parse(readFileSync(join(fleet, 'fleet-truth.json'), 'utf8'));
});

test('analyze --tables writes the five tables, one sessions row per session, no report', () => {
  const dir = join(work, 't1');
  const r = run(['analyze', '--tables', dir, join(fleet, 'sessions')]);
  assert.equal(r.status, 0, r.stderr);
  assert.equal(r.stdout, '', 'no report without --format');
  assert.match(r.stderr, /read \d+ files, 40 sessions/);
  for (const t of TABLES) assert.ok(existsSync(join(dir, `${t}.ndjson`)), t);
  const sessions = rows(dir, 'sessions');
  assert.deepEqual(sessions.map((s) => s.session_id).sort(), truth.session_list.map((s) => s.session_id).sort());
  // Every row of a table has the same columns, in the same order.
  for (const t of TABLES) {
    const all = rows(dir, t);
    const keys = JSON.stringify(Object.keys(all[0]));
    for (const row of all) assert.equal(JSON.stringify(Object.keys(row)), keys, `${t}: ${JSON.stringify(row)}`);
  }
  const days = new Map(truth.session_list.map((s) => [s.session_id, s.day]));
  for (const s of sessions) assert.equal(s.day, days.get(s.session_id));
});

test('analyze --tables with --format prints the report too', () => {
  const folder = join(fleet, 'sessions', readdirSync(join(fleet, 'sessions')).sort()[0]);
  const dir = join(work, 'with-report');
  const r = run(['analyze', '--tables', dir, '--format', 'text', folder]);
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stdout, new RegExp(truth.session_list[0].session_id));
  assert.equal(rows(dir, 'sessions').length, 1);
});

test('re-running on the same inputs gives byte-identical tables', () => {
  const a = join(work, 'a'), b = join(work, 'b');
  assert.equal(run(['analyze', '--tables', a, join(fleet, 'sessions')]).status, 0);
  assert.equal(run(['analyze', '--tables', b, join(fleet, 'sessions')]).status, 0);
  const first = readTables(a);
  assert.deepEqual(readTables(b), first);
  // Into the folder that already holds them: every session replaced, same bytes.
  assert.equal(run(['analyze', '--tables', a, join(fleet, 'sessions')]).status, 0);
  assert.deepEqual(readTables(a), first);
  assert.deepEqual(readdirSync(a).sort(), TABLES.map((t) => `${t}.ndjson`).sort(), 'no temporary file left');
});

test('tables written in two halves merge into the tables of the whole', () => {
  const whole = join(work, 'whole'), halves = join(work, 'halves');
  const folders = readdirSync(join(fleet, 'sessions')).sort().map((f) => join(fleet, 'sessions', f));
  assert.equal(run(['analyze', '--tables', whole, ...folders]).status, 0);
  const mid = folders.length / 2;
  assert.equal(run(['analyze', '--tables', halves, ...folders.slice(mid)]).status, 0);
  assert.equal(run(['analyze', '--tables', halves, ...folders.slice(0, mid + 3)]).status, 0);  // 3 twice
  assert.deepEqual(readTables(halves), readTables(whole));
});

test('a rejected file is named, the good ones still make the tables', () => {
  const input = join(work, 'bad-input');
  cpSync(join(fleet, 'sessions'), input, { recursive: true });
  writeFileSync(join(input, 'broken.json'), '{"peer_id": ');
  const dir = join(work, 'tbad');
  const r = run(['analyze', '--tables', dir, input]);
  assert.equal(r.status, 2);
  assert.match(r.stderr, /broken\.json/);
  assert.equal(rows(dir, 'sessions').length, 40);
});

test('fleet --format json finds the most common issue, the suffering browser and the bad day', () => {
  const dir = join(work, 't1');
  const r = run(['fleet', dir, '--format', 'json']);
  assert.equal(r.status, 0, r.stderr);
  const s = JSON.parse(r.stdout);
  assert.equal(s.sessions, 40);
  assert.equal(s.participants, rows(dir, 'participants').length);
  assert.equal(s.top_issue, truth.most_common_issue);
  assert.equal(s.issues[0].code, truth.most_common_issue);
  const browser = s.breakdowns.find((b) => b.dimension === 'browser');
  assert.equal(browser.most_affected, truth.suffering_browser);
  assert.equal(s.worst_day, truth.bad_day);
  assert.deepEqual(s.days.map((d) => d.day), truth.days);
});

test('fleet --format text names them', () => {
  const r = run(['fleet', join(work, 't1'), '--format', 'text']);
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stdout, new RegExp(`Who suffers most from [A-Z][a-z ]+ \\(${truth.most_common_issue};`));
  assert.match(r.stdout, new RegExp(`browser +${truth.suffering_browser}: `));
  assert.match(r.stdout, new RegExp(`Worst day: ${truth.bad_day}`));
});

test('fleet --since keeps the sessions from that day on', () => {
  const since = truth.days[3];
  const r = run(['fleet', join(work, 't1'), '--format', 'json', '--since', since]);
  assert.equal(r.status, 0, r.stderr);
  const s = JSON.parse(r.stdout);
  assert.equal(s.sessions, truth.session_list.filter((x) => x.day >= since).length);
  assert.ok(s.days.every((d) => d.day >= since));
  assert.equal(run(['fleet', join(work, 't1'), '--since', 'yesterday']).status, 2);
});

test('a bad row gives an error naming the file and line', () => {
  const dir = join(work, 'tbadrow');
  cpSync(join(work, 't1'), dir, { recursive: true });
  const text = readFileSync(join(dir, 'issues.ndjson'), 'utf8').split('\n');
  text[2] = '{"session_id": 7}';
  writeFileSync(join(dir, 'issues.ndjson'), text.join('\n'));
  const r = run(['fleet', dir]);
  assert.equal(r.status, 2);
  assert.match(r.stderr, /issues\.ndjson line 3: session_id must be a string/);
  rmSync(dir, { recursive: true });
});

/** The columns docs/TABLES.md documents per table: { table: Map(column -> {type, nullable}) }. */
function documentedColumns() {
  const doc = readFileSync(join(root, 'docs/TABLES.md'), 'utf8');
  const out = {};
  for (const t of TABLES) {
    const section = doc.split(`### ${t}.ndjson`)[1].split('\n### ')[0].split('\n## ')[0];
    const columns = new Map();
    for (const line of section.split('\n')) {
      const cells = line.split('|').map((c) => c.trim());
      if (cells.length < 4 || cells[1] === 'column' || cells[1].startsWith('---')) continue;
      const names = cells[1].split(',').map((x) => x.trim());
      const types = cells[2].split(',').map((x) => x.trim());
      assert.ok(types.length === 1 || types.length === names.length, `docs/TABLES.md ${t}: ${line}`);
      names.forEach((n, i) => {
        const type = types.length === 1 ? types[0] : types[i];
        columns.set(n, { type: type.replace('?', ''), nullable: type.endsWith('?') });
      });
    }
    out[t] = columns;
  }
  return out;
}

test('every table holds exactly the columns docs/TABLES.md documents, of their types', () => {
  const documented = documentedColumns();
  const fits = { string: (v) => typeof v === 'string', int: Number.isInteger, number: (v) => typeof v === 'number', bool: (v) => typeof v === 'boolean' };
  for (const t of TABLES) {
    const columns = documented[t];
    const all = rows(join(work, 't1'), t);
    assert.ok(all.length > 0, t);
    for (const row of all) {
      assert.deepEqual(Object.keys(row).sort(), [...columns.keys()].sort(), `${t} columns`);
      for (const [name, { type, nullable }] of columns) {
        const v = row[name];
        assert.ok(fits[type], `${t}.${name}: unknown type ${type}`);
        if (v === null) assert.ok(nullable, `${t}.${name} is null but not documented nullable: ${JSON.stringify(row)}`);
        else assert.ok(fits[type](v), `${t}.${name} = ${JSON.stringify(v)} is not ${type}`);
      }
    }
  }
});

// ------------------------------------------------ session by session (issue 22, item 1) --

// Peak RSS of one run, in kB: GNU time when installed, else VmHWM polled from
// /proc (a lower bound, as bench/run.mjs does).
async function peakRssKb(args) {
  if (existsSync('/usr/bin/time')) {
    const out = join(work, 'time.txt');
    const r = spawnSync('/usr/bin/time', ['-f', '%M', '-o', out, cli, ...args], { encoding: 'utf8', timeout: 120000 });
    assert.equal(r.status, 0, r.stderr);
    return Number(readFileSync(out, 'utf8').trim().split('\n').pop());
  }
  const { spawn } = await import('node:child_process');
  return new Promise((resolveKb, reject) => {
    const child = spawn(cli, args, { stdio: 'ignore' });
    let hwm = 0;
    const timer = setInterval(() => {
      try {
        const m = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${child.pid}/status`, 'utf8'));
        if (m) hwm = Math.max(hwm, Number(m[1]));
      } catch { /* exited */ }
    }, 1);
    child.on('error', reject);
    child.on('exit', (code) => { clearInterval(timer); code === 0 ? resolveKb(hwm) : reject(new Error(`exit ${code}`)); });
  });
}

test('analyze --tables session by session: the tables of reading everything at once, with progress', () => {
  const bySession = join(work, 'by-session'), allAtOnce = join(work, 'all-at-once');
  const r = run(['analyze', '--tables', bySession, join(fleet, 'sessions')]);
  assert.equal(r.status, 0, r.stderr);
  const files = readdirSync(join(fleet, 'sessions')).reduce((n, d) => n + readdirSync(join(fleet, 'sessions', d)).length, 0);
  assert.match(r.stderr, new RegExp(`indexing ${files} files`));
  const steps = r.stderr.split('\n').filter((l) => /callsight: session \d+\/\d+: /.test(l));
  assert.ok(steps.length >= 30 && steps.length <= 40, `${steps.length} session steps`);
  assert.match(steps[0], /^callsight: session 1\/\d+: [0-9a-f]{24}.* \(\d+ files\)$/);
  assert.match(r.stderr, new RegExp(`read ${files} files, 40 sessions`));
  const a = run(['analyze', '--tables', allAtOnce, '--all-at-once', join(fleet, 'sessions')]);
  assert.equal(a.status, 0, a.stderr);
  assert.doesNotMatch(a.stderr, /indexing/);
  assert.deepEqual(readTables(bySession), readTables(allAtOnce));
  // --fail-on judges every session's verdict, one step at a time as at once.
  for (const level of ['warning', 'critical']) {
    const x = run(['analyze', '--tables', join(work, `fail-on-${level}`), '--fail-on', level, join(fleet, 'sessions')]);
    const y = run(['analyze', '--tables', join(work, `fail-on-${level}-at-once`), '--all-at-once', '--fail-on', level, join(fleet, 'sessions')]);
    assert.equal(x.status, 1, `${level}: the fleet has issues of that level`);
    assert.equal(x.status, y.status, level);
  }
});

test('session by session on a mix (fleet, browser dumps, gzip, 100ms docs, a bad file): the same tables and exit status', () => {
  const input = join(work, 'mix');
  const folders = readdirSync(join(fleet, 'sessions')).sort().slice(0, 6);
  for (const f of folders) cpSync(join(fleet, 'sessions', f), join(input, 'fleet', f), { recursive: true });
  cpSync(join(root, 'tests/data/dumps'), join(input, 'dumps'), { recursive: true });
  // The real 100ms examples beside the clone (../shared), or two levels up (a worktree).
  const real = ['../shared', '../../shared'].map((d) => resolve(root, d, 'testdata/real/100ms-docs')).find((d) => existsSync(d));
  if (real) cpSync(real, join(input, 'real'), { recursive: true, filter: (p) => !p.endsWith('LICENSE') });
  writeFileSync(join(input, 'broken.json'), '{"peer_id": ');
  const bySession = join(work, 'mix-by-session'), allAtOnce = join(work, 'mix-all-at-once');
  const r = run(['analyze', '--tables', bySession, input]);
  const a = run(['analyze', '--tables', allAtOnce, '--all-at-once', input]);
  assert.equal(r.status, a.status, `${r.stderr}\n---\n${a.stderr}`);
  assert.equal(r.status, 2, 'broken.json is rejected');
  assert.match(r.stderr, /broken\.json/);
  const sessions = rows(allAtOnce, 'sessions');
  assert.ok(sessions.some((s) => s.source === 'dump'), 'the dumps make sessions');
  assert.ok(sessions.length > folders.length);
  assert.deepEqual(readTables(bySession), readTables(allAtOnce));
  // Each rejected file is named once, not once per session reading it.
  const named = (text) => text.split('\n').filter((l) => l.startsWith(join(input, 'broken.json'))).length;
  assert.equal(named(r.stderr), named(a.stderr));
});

test('analyze --tables of 40 sessions peaks near the memory of its largest session, not of all of them', async () => {
  const sizes = readdirSync(join(fleet, 'sessions')).map((d) => {
    const dir = join(fleet, 'sessions', d);
    return { dir, bytes: readdirSync(dir).reduce((n, f) => n + readFileSync(join(dir, f)).length, 0) };
  });
  const largest = sizes.reduce((a, b) => (b.bytes > a.bytes ? b : a));
  const one = await peakRssKb(['analyze', '--threads', '2', '--tables', join(work, 'rss-one'), largest.dir]);
  const all = await peakRssKb(['analyze', '--threads', '2', '--tables', join(work, 'rss-all'), join(fleet, 'sessions')]);
  const atOnce = await peakRssKb(['analyze', '--threads', '2', '--tables', join(work, 'rss-at-once'), '--all-at-once', join(fleet, 'sessions')]);
  // 40 sessions' rows and index beside one session at a time; reading them
  // all at once holds every session's model.
  assert.ok(all < 1.5 * one, `40 sessions ${all} kB vs the largest alone ${one} kB`);
  assert.ok(atOnce > 2 * all, `all at once ${atOnce} kB vs session by session ${all} kB`);
});
