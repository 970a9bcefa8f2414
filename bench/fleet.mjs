// Section 8 of the benchmark (bench/run.mjs; `scripts/bench --only fleet`):
// a generated fleet of many sessions (issue 22) of mixed sizes
// (scripts/gen/fleet.mjs --peers 2-50 --minutes 5-60), then, with the native
// CLI:
//   - `analyze --tables` session by session (the default): time and peak RSS;
//   - the same with --all-at-once (every file in one model, as before the
//     session index): time and peak RSS, and whether the tables are
//     byte-identical;
//   - `analyze --tables` of the largest session's folder alone: the peak RSS
//     the session-by-session run should stay near;
//   - `fleet TABLES --format json`: time and peak RSS.
// One run each (a run is minutes long); see docs/PERFORMANCE.md.
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';

const TABLES = ['sessions', 'participants', 'issues', 'breaches', 'errors'];

const sizeOfTree = (dir) => {
  let bytes = 0, files = 0;
  for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) {
      const s = sizeOfTree(p);
      bytes += s.bytes;
      files += s.files;
    } else {
      bytes += fs.statSync(p).size;
      files += 1;
    }
  }
  return { bytes, files };
};

// Runs the CLI once: wall time, and peak RSS from GNU time (else VmHWM polled
// from /proc, a lower bound), as bench/run.mjs measures the CLI.
function timed(cli, args) {
  if (fs.existsSync('/usr/bin/time')) {
    const tmp = path.join(os.tmpdir(), `callsight-bench-fleet-time-${process.pid}`);
    const t0 = performance.now();
    const r = spawnSync('/usr/bin/time', ['-f', '%M', '-o', tmp, cli, ...args], { stdio: ['ignore', 'ignore', 'pipe'], encoding: 'utf8', maxBuffer: 1 << 28 });
    const elapsed = performance.now() - t0;
    const kb = Number(fs.readFileSync(tmp, 'utf8').trim().split('\n').pop());
    fs.rmSync(tmp, { force: true });
    if (r.status !== 0) throw new Error(`callsight ${args.slice(0, 2).join(' ')}… failed (${r.status}): ${r.stderr.slice(-2000)}`);
    return Promise.resolve({ ms: elapsed, peak_rss_bytes: kb * 1024, peak_rss_how: '/usr/bin/time -f %M (GNU time: maximum resident set size)' });
  }
  return new Promise((resolve, reject) => {
    const t0 = performance.now();
    const child = spawn(cli, args, { stdio: ['ignore', 'ignore', 'ignore'] });
    let hwm = 0;
    const timer = setInterval(() => {
      try {
        const m = /VmHWM:\s+(\d+) kB/.exec(fs.readFileSync(`/proc/${child.pid}/status`, 'utf8'));
        if (m) hwm = Math.max(hwm, Number(m[1]) * 1024);
      } catch {
        /* exited */
      }
    }, 2);
    child.on('error', reject);
    child.on('exit', (code) => {
      clearInterval(timer);
      if (code !== 0) reject(new Error(`callsight ${args.slice(0, 2).join(' ')}… failed (${code})`));
      else resolve({ ms: performance.now() - t0, peak_rss_bytes: hwm, peak_rss_how: 'VmHWM of /proc/<pid>/status polled every 2 ms (lower bound; /usr/bin/time is missing)' });
    });
  });
}

const sameTables = (a, b) => TABLES.every((t) => {
  const x = path.join(a, `${t}.ndjson`), y = path.join(b, `${t}.ndjson`);
  return fs.existsSync(x) && fs.existsSync(y) && fs.readFileSync(x).equals(fs.readFileSync(y));
});

/** Generates the fleet and measures it; `o`: {out, build, fleetSessions, root, log}. */
export async function fleetBench(o) {
  const cli = path.join(o.build, 'native', 'callsight');
  const dir = path.join(o.out, 'data', `fleet-${o.fleetSessions}`);
  const gen = ['--sessions', String(o.fleetSessions), '--peers', '2-50', '--minutes', '5-60', '--seed', '22'];
  o.log(`generating a fleet of ${o.fleetSessions} sessions -> ${dir}`);
  const t0 = performance.now();
  const g = spawnSync(process.execPath, [path.join(o.root, 'scripts/gen/fleet.mjs'), ...gen, '--out', dir], { encoding: 'utf8' });
  if (g.status !== 0) throw new Error(`fleet.mjs failed: ${g.stderr}`);
  const generate_ms = performance.now() - t0;
  const sessionsDir = path.join(dir, 'sessions');
  const input = sizeOfTree(sessionsDir);
  const truth = JSON.parse(fs.readFileSync(path.join(dir, 'fleet-truth.json'), 'utf8'));
  const peers = truth.session_list.map((s) => s.peers).sort((a, b) => a - b);
  const folders = fs.readdirSync(sessionsDir).sort().map((n) => ({ name: n, ...sizeOfTree(path.join(sessionsDir, n)) }));
  const largest = folders.reduce((a, b) => (b.bytes > a.bytes ? b : a));

  const tables = path.join(dir, 'tables');
  const tablesAll = path.join(dir, 'tables-all-at-once');
  const tablesOne = path.join(dir, 'tables-largest');
  for (const t of [tables, tablesAll, tablesOne]) fs.rmSync(t, { recursive: true, force: true });
  o.log(`fleet: analyze --tables, session by session (${input.files} files, ${(input.bytes / 1e6).toFixed(0)} MB)`);
  const bySession = await timed(cli, ['analyze', '--tables', tables, sessionsDir]);
  o.log('fleet: analyze --tables --all-at-once (every file in one model)');
  const allAtOnce = await timed(cli, ['analyze', '--tables', tablesAll, '--all-at-once', sessionsDir]);
  o.log(`fleet: analyze --tables of the largest session alone (${largest.name})`);
  const one = await timed(cli, ['analyze', '--tables', tablesOne, path.join(sessionsDir, largest.name)]);
  o.log('fleet: callsight fleet TABLES --format json');
  const summary = await timed(cli, ['fleet', tables, '--format', 'json']);
  const rows = Object.fromEntries(TABLES.map((t) => [t, fs.readFileSync(path.join(tables, `${t}.ndjson`), 'utf8').split('\n').filter(Boolean).length]));
  return {
    generator: `node scripts/gen/fleet.mjs ${gen.join(' ')}`,
    sessions: o.fleetSessions,
    files: input.files,
    bytes: input.bytes,
    peers: { min: peers[0], median: peers[peers.length >> 1], max: peers[peers.length - 1], total: peers.reduce((a, b) => a + b, 0) },
    largest_session: { folder: largest.name, files: largest.files, bytes: largest.bytes },
    generate_ms,
    rows,
    analyze_tables: { command: 'callsight analyze --tables DIR SESSIONS_DIR', ...bySession },
    analyze_tables_all_at_once: { command: 'callsight analyze --tables DIR --all-at-once SESSIONS_DIR', ...allAtOnce },
    tables_identical: sameTables(tables, tablesAll),
    largest_session_alone: { command: 'callsight analyze --tables DIR LARGEST_SESSION_DIR', ...one },
    fleet_summary: { command: 'callsight fleet DIR --format json', ...summary },
  };
}

/** Section 8's lines of the printed table. */
export function printFleet(f, L, { ms, mb, table }) {
  const s = (x) => `${(x / 1000).toFixed(1)} s`;
  L.push(`8. Fleet (issue 22): ${f.sessions} generated sessions, ${f.peers.min}–${f.peers.max} peers (median ${f.peers.median}), 5–60 min; ${f.files} files, ${mb(f.bytes)}; generated in ${s(f.generate_ms)} (one run each)`);
  L.push(
    table(
      [
        ['analyze --tables (session by session)', s(f.analyze_tables.ms), mb(f.analyze_tables.peak_rss_bytes), `${(f.bytes / 1e6 / (f.analyze_tables.ms / 1000)).toFixed(1)} MB/s`],
        ['analyze --tables --all-at-once', s(f.analyze_tables_all_at_once.ms), mb(f.analyze_tables_all_at_once.peak_rss_bytes), `tables ${f.tables_identical ? 'byte-identical' : 'DIFFER'}`],
        [`the largest session alone (${mb(f.largest_session.bytes)})`, s(f.largest_session_alone.ms), mb(f.largest_session_alone.peak_rss_bytes), ''],
        ['fleet TABLES --format json', ms(f.fleet_summary.ms), mb(f.fleet_summary.peak_rss_bytes), `${f.rows.sessions} sessions, ${f.rows.participants} participants, ${f.rows.issues} issues`],
      ],
      ['', 'time', 'peak RSS', ''],
    ),
  );
  L.push('');
}
