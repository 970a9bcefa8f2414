#!/usr/bin/env node
// The callsight benchmark (run it through scripts/bench, which builds what is
// missing, installs the packed npm package into a temporary project and calls
// this). Measures side by side, in one run:
//   1. throughput: engine.analyze (wasm, the npm package, in Node) vs JSON.parse of
//      the same files, and the native CLI;
//   2. memory: native peak RSS, peak wasm heap (Node and Chromium), × input bytes;
//   3. scale: a 500-peer webinar in the dashboard (headless Chromium): drop ->
//      overview, then the participants table (open, jump to end, scroll, sort,
//      open a participant);
//   4. the dashboard's drop -> overview for the main session, split into phases;
//   5. the ratio and peak memory on the main session written in seven shapes;
//   6. the payload of build/site (wasm + JS + CSS), raw and gzipped;
//   7. browser stats dumps (issue 21): a generated webrtc-internals dump (1000
//      samples, 3 connections, 20 received tracks) and a 60-minute rtcstats dump,
//      engine.analyze vs the floor of a JavaScript importer (JSON.parse of the file
//      and of every `values` string / of every line), and the native CLI.
//   8. a fleet (issue 22): 1,000 generated sessions of 2-50 peers and 5-60 minutes,
//      `analyze --tables` session by session and all at once (time, peak RSS),
//      the largest session alone, and `fleet` (bench/fleet.mjs).
// `--only dumps` runs section 7 alone, `--only fleet` section 8. Prints a table
// and writes OUT/results.json.
// See docs/PERFORMANCE.md.
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import zlib from 'node:zlib';
import { fleetBench, printFleet } from './fleet.mjs';

const BENCH = path.dirname(fileURLToPath(import.meta.url));
const ROOT = path.dirname(BENCH);

function parseArgs(argv) {
  const o = {
    quick: false,
    build: path.join(ROOT, 'build'),
    out: null,
    app: null,
    peers: null,
    minutes: null,
    scalePeers: null,
    scaleMinutes: null,
    runs: null,
    warmup: null,
    browserRuns: null,
    scaleRuns: null,
    browser: true,
    only: null,
    fleetSessions: null,
  };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const num = () => {
      const v = Number(argv[++i]);
      if (!Number.isFinite(v) || v < 0) throw new Error(`${a} needs a number`);
      return v;
    };
    if (a === '--quick') o.quick = true;
    else if (a === '--build') o.build = path.resolve(argv[++i]);
    else if (a === '--out') o.out = path.resolve(argv[++i]);
    else if (a === '--app') o.app = path.resolve(argv[++i]);
    else if (a === '--peers') o.peers = num();
    else if (a === '--minutes') o.minutes = num();
    else if (a === '--scale-peers') o.scalePeers = num();
    else if (a === '--scale-minutes') o.scaleMinutes = num();
    else if (a === '--runs') o.runs = num();
    else if (a === '--warmup') o.warmup = num();
    else if (a === '--browser-runs') o.browserRuns = num();
    else if (a === '--scale-runs') o.scaleRuns = num();
    else if (a === '--fleet-sessions') o.fleetSessions = num();
    else if (a === '--no-browser') o.browser = false;
    else if (a === '--only') {
      o.only = argv[++i];
      if (o.only !== 'dumps' && o.only !== 'fleet') throw new Error('--only takes one section: dumps or fleet');
    }
    else throw new Error(`unknown argument ${a}`);
  }
  const d = o.quick
    ? { peers: 16, minutes: 15, scalePeers: 100, scaleMinutes: 20, runs: 3, warmup: 1, browserRuns: 1, scaleRuns: 1, fleetSessions: 100 }
    : { peers: 40, minutes: 60, scalePeers: 500, scaleMinutes: 30, runs: 7, warmup: 2, browserRuns: 5, scaleRuns: 3, fleetSessions: 1000 };
  for (const k of Object.keys(d)) o[k] ??= d[k];
  o.out ??= path.join(o.build, 'bench');
  if (!o.app && o.only !== 'fleet') throw new Error('--app DIR (a project with the callsight package installed) is required');
  return o;
}

// ------------------------------------------------------------------ helpers --
const median = (xs) => {
  const s = xs.filter((x) => x !== null && x !== undefined && Number.isFinite(x)).sort((a, b) => a - b);
  if (!s.length) return null;
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};
/** Median of every numeric leaf across a list of like-shaped objects. */
function medianOf(objs) {
  const first = objs.find((x) => x !== null && x !== undefined);
  if (first === undefined) return null;
  if (typeof first === 'number') return median(objs);
  if (typeof first !== 'object' || Array.isArray(first)) return first;
  const out = {};
  for (const k of Object.keys(first)) out[k] = medianOf(objs.map((x) => x?.[k]));
  return out;
}
const MB = 1e6;
const log = (msg) => process.stderr.write(`\x1b[1m==> ${msg}\x1b[0m\n`);
const listFiles = (dir) =>
  fs
    .readdirSync(dir)
    .filter((n) => !n.startsWith('.'))
    .sort()
    .map((n) => path.join(dir, n));
const sizeOf = (files) => files.reduce((a, f) => a + fs.statSync(f).size, 0);

function run(cmd, args, opts = {}) {
  const r = spawnSync(cmd, args, { encoding: 'utf8', maxBuffer: 64 << 20, ...opts });
  if (r.error) throw r.error;
  if (r.status !== 0) throw new Error(`${path.basename(cmd)} ${args.slice(0, 3).join(' ')}… failed (${r.status}): ${r.stderr}`);
  return r.stdout;
}

// ------------------------------------------------------------------ inputs --
function generate(o) {
  const data = path.join(o.out, 'data');
  const main = path.join(data, `bench-${o.peers}x${o.minutes}`);
  const scale = path.join(data, `webinar-${o.scalePeers}x${o.scaleMinutes}`);
  log(`generating the sessions -> ${data}`);
  run(process.execPath, [path.join(ROOT, 'scripts/gen/generate.mjs'), '--scenario', 'bench', '--peers', String(o.peers), '--minutes', String(o.minutes), '--quiet', '--out', main]);
  run(process.execPath, [path.join(BENCH, 'gen-webinar.mjs'), '--peers', String(o.scalePeers), '--minutes', String(o.scaleMinutes), '--out', scale]);
  const describe = (dir, shape) => {
    const files = listFiles(path.join(dir, 'input'));
    const peerStats = files.filter((f) => path.basename(f).startsWith('peer-stats')).length;
    return { dir: path.join(dir, 'input'), files: files.length, peer_stats_files: peerStats, bytes: sizeOf(files), shape };
  };
  return {
    main: describe(main, `bench scenario (scripts/gen/generate.mjs --scenario bench): ${o.peers} peers x ${o.minutes} min, everyone publishes audio + video and is subscribed to everyone else`),
    scale: describe(scale, `webinar (bench/gen-webinar.mjs): ${o.scalePeers} peers x ${o.scaleMinutes} min, 4 on stage publishing audio + video (one screen share), ${o.scalePeers - 4} viewer-realtime peers publishing nothing and receiving the stage`),
  };
}

// ------------------------------------------------------------------ shapes --
// The main session written seven ways, so the ratio cannot hang on one shape of
// file: as generated (compact, one file per peer), pretty-printed (2-space
// indent), with a space after every separator, null-heavy (3 of every 4
// received bitrates null), at 30 s spacing (the generator's --spacing 30), as
// one array file and as NDJSON (the generator's --layout array / ndjson). The
// rewritten shapes keep every file's values; NDJSON files stay one document a
// line.
function spaced(v) {
  if (Array.isArray(v)) return `[${v.map(spaced).join(', ')}]`;
  if (v && typeof v === 'object') return `{${Object.entries(v).map(([k, x]) => `${JSON.stringify(k)}: ${spaced(x)}`).join(', ')}}`;
  return JSON.stringify(v);
}
function nullHeavy(doc) {
  for (const t of Object.values(doc?.subscriber ?? {}).flat()) {
    const b = t?.time_series?.bitrate;
    if (Array.isArray(b)) for (let i = 0; i < b.length; i++) if (i % 4) b[i] = null;
  }
  return doc;
}
function rewrite(fromDir, toDir, write) {
  fs.rmSync(toDir, { recursive: true, force: true });
  fs.mkdirSync(toDir, { recursive: true });
  for (const f of listFiles(fromDir)) {
    const text = fs.readFileSync(f, 'utf8');
    const out = f.endsWith('.ndjson')
      ? text.split('\n').filter((l) => l.trim()).map((l) => write(JSON.parse(l), true)).join('\n') + '\n'
      : write(JSON.parse(text), false) + '\n';
    fs.writeFileSync(path.join(toDir, path.basename(f)), out);
  }
}
function shapes(o, main) {
  const data = path.join(o.out, 'data', 'shapes');
  const gen = (name, extra) => {
    const out = path.join(data, name);
    run(process.execPath, [path.join(ROOT, 'scripts/gen/generate.mjs'), '--scenario', 'bench', '--peers', String(o.peers), '--minutes', String(o.minutes), '--quiet', '--out', out, ...extra]);
    return path.join(out, 'input');
  };
  const made = (name, fn) => {
    const dir = path.join(data, name, 'input');
    rewrite(main.dir, dir, fn);
    return dir;
  };
  log(`writing the main session in seven shapes -> ${data}`);
  const list = [
    ['compact', 'as generated: compact, one peer-stats file per peer', main.dir],
    ['pretty', 'pretty-printed, 2-space indent', made('pretty', (v, line) => (line ? JSON.stringify(v) : JSON.stringify(v, null, 2)))],
    ['spaced', 'a space after every , and :', made('spaced', (v) => spaced(v))],
    ['null-heavy', '3 of 4 received bitrates null', made('null-heavy', (v) => JSON.stringify(nullHeavy(v)))],
    ['spacing-30s', 'samples every 30 s (generator --spacing 30)', gen('spacing-30s', ['--spacing', '30'])],
    ['array', 'one peer-stats.json holding an array (--layout array)', gen('array', ['--layout', 'array'])],
    ['ndjson', 'one peer-stats.ndjson, a document a line (--layout ndjson)', gen('ndjson', ['--layout', 'ndjson'])],
  ];
  return list.map(([name, how, dir]) => {
    const files = listFiles(dir);
    return { name, how, dir, files: files.length, bytes: sizeOf(files) };
  });
}

// ------------------------------------------------------------------- dumps --
// Browser stats dumps (issue 21, item 5), made by scripts/gen/dump.mjs in the
// layouts Chromium 156 writes: a webrtc-internals dump at Chrome's 1000-sample cap
// (3 connections, 2 sent and 20 received tracks) and a 60-minute rtcstats dump of
// a one-to-one call (1 connection, audio and video each way; a getStats report a
// second). Uncompressed, so the floor parses the very bytes the engine reads.
const DUMPS = [
  {
    name: 'webrtc-internals',
    file: 'webrtc_internals_dump.json',
    args: ['--kind', 'webrtc-internals', '--connections', '3', '--received', '20', '--sent', '2', '--samples', '1000'],
    shape: 'webrtc-internals dump: 1000 samples (Chrome\'s cap) x 3 connections, 2 sent + 20 received tracks',
    floor: 'JSON.parse(file) + JSON.parse of every stats `values` string',
  },
  {
    name: 'rtcstats',
    file: 'rtcstats_dump.txt',
    args: ['--kind', 'rtcstats', '--connections', '1', '--received', '2', '--sent', '2', '--minutes', '60'],
    shape: 'rtcstats dump (file format 3): 60 min of getStats once a second, 1 connection, 2 sent + 2 received tracks',
    floor: 'JSON.parse of every line after RTCStatsDump',
  },
];

// Runs of a section measured in a fresh Node process per input. Node 20
// compiles WebAssembly with its baseline compiler first and the optimizing
// one in the background, function by function as they get hot; with the
// engine's threads on both cores that takes a few analyses (the generated
// webrtc-internals dump, 2 threads: 282, 207, 130, 96, 63, 60 ms). Three
// warm-ups measure the engine as a long-lived process (the CLI's and a
// fleet's use) sees it; the first analysis of a fresh engine is printed too.
const FRESH_PROCESS_RUNS = { runs: 5, warmup: 3 };

async function dumps(o) {
  const few = { ...o, ...FRESH_PROCESS_RUNS };
  const out = [];
  for (const d of DUMPS) {
    const dir = path.join(o.out, 'data', 'dumps', d.name);
    fs.rmSync(dir, { recursive: true, force: true });
    fs.mkdirSync(dir, { recursive: true });
    log(`generating the ${d.name} dump -> ${dir}`);
    run(process.execPath, [path.join(ROOT, 'scripts/gen/dump.mjs'), ...d.args, '--out', path.join(dir, d.file)]);
    const session = { dir, files: 1, bytes: sizeOf(listFiles(dir)) };
    log(`${d.name}: native CLI and wasm vs the importer floor, ${few.warmup} warm-up + ${few.runs} runs`);
    const nat = await native(few, session);
    const wasm = wasmNode(few, session, ['--floor', 'dump']);
    out.push({ name: d.name, shape: d.shape, floor: d.floor, generator: `node scripts/gen/dump.mjs ${d.args.join(' ')}`, ...session, native: nat, wasm });
  }
  return out;
}

// ------------------------------------------------------------------ native --
function peakRss(cli, args, cwd) {
  if (fs.existsSync('/usr/bin/time')) {
    const tmp = path.join(os.tmpdir(), `callsight-bench-time-${process.pid}`);
    spawnSync('/usr/bin/time', ['-f', '%M', '-o', tmp, cli, ...args], { cwd, stdio: ['ignore', 'ignore', 'ignore'] });
    const kb = Number(fs.readFileSync(tmp, 'utf8').trim().split('\n').pop());
    fs.rmSync(tmp, { force: true });
    return Promise.resolve({ bytes: kb * 1024, how: '/usr/bin/time -f %M (GNU time: maximum resident set size)' });
  }
  // No GNU time: poll VmHWM (the peak RSS so far) while it runs; a lower bound.
  return new Promise((resolve, reject) => {
    const child = spawn(cli, args, { cwd, stdio: ['ignore', 'ignore', 'ignore'] });
    let hwm = 0;
    const poll = () => {
      try {
        const m = /VmHWM:\s+(\d+) kB/.exec(fs.readFileSync(`/proc/${child.pid}/status`, 'utf8'));
        if (m) hwm = Math.max(hwm, Number(m[1]) * 1024);
      } catch {
        /* exited */
      }
    };
    const timer = setInterval(poll, 2);
    child.on('error', reject);
    child.on('exit', () => {
      clearInterval(timer);
      resolve({ bytes: hwm, how: 'VmHWM of /proc/<pid>/status polled every 2 ms (lower bound; /usr/bin/time is missing)' });
    });
  });
}

async function native(o, session) {
  const cli = path.join(o.build, 'native', 'callsight');
  const names = listFiles(session.dir).map((f) => path.basename(f));
  const args = ['analyze', ...names];
  const devnull = fs.openSync('/dev/null', 'w');
  const times = [];
  for (let i = 0; i < o.warmup + o.runs; i++) {
    const t0 = performance.now();
    const r = spawnSync(cli, args, { cwd: session.dir, stdio: ['ignore', devnull, 'pipe'] });
    const ms = performance.now() - t0;
    if (r.status !== 0) throw new Error(`native analyze failed (${r.status}): ${r.stderr}`);
    if (i >= o.warmup) times.push(ms);
  }
  fs.closeSync(devnull);
  const rss = await peakRss(cli, args, session.dir);
  const ms = median(times);
  return { command: `build/native/callsight analyze FILES > /dev/null (cwd: the input folder)`, times_ms: times, median_ms: ms, mb_per_s: session.bytes / MB / (ms / 1000), peak_rss_bytes: rss.bytes, peak_rss_how: rss.how };
}

// -------------------------------------------------------------------- wasm --
function wasmNode(o, session, extra = []) {
  const out = run(process.execPath, ['--expose-gc', path.join(o.app, 'engine-node.mjs'), '--dir', session.dir, '--runs', String(o.runs), '--warmup', String(o.warmup), ...extra], { cwd: o.app });
  const r = JSON.parse(out.trim().split('\n').pop());
  r.mb_per_s = {};
  for (const [k, v] of Object.entries(r.median_ms)) r.mb_per_s[k] = r.bytes / MB / (v / 1000);
  r.ratio_analyze_to_json_parse = r.median_ms.analyze / r.median_ms.json_parse;
  return r;
}

// ----------------------------------------------------------------- payload --
function payload(o) {
  const site = path.join(o.build, 'site');
  const files = [];
  const walk = (dir, rel) => {
    for (const ent of fs.readdirSync(dir, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
      const r = rel ? `${rel}/${ent.name}` : ent.name;
      if (ent.isDirectory()) {
        if (r !== 'sample') walk(path.join(dir, ent.name), r);
      } else if (/\.(wasm|m?js|css)$/.test(ent.name)) {
        const buf = fs.readFileSync(path.join(dir, ent.name));
        files.push({ file: r, raw_bytes: buf.length, gzip_bytes: zlib.gzipSync(buf, { level: 9 }).length });
      }
    }
  };
  walk(site, '');
  const total = { raw_bytes: files.reduce((a, f) => a + f.raw_bytes, 0), gzip_bytes: files.reduce((a, f) => a + f.gzip_bytes, 0) };
  return { what: 'build/site/**/*.{wasm,js,mjs,css} except sample/ and source maps; gzip: zlib level 9', files, total };
}

// ----------------------------------------------------------------- browser --
async function dashboard(o, sessions) {
  const { serve, launch, dropToOverview, participants } = await import('./browser.mjs');
  const server = await serve(ROOT, path.join(o.build, 'site'));
  const browser = await launch();
  const result = { chromium: browser.version(), url: server.base };
  try {
    const mainFiles = listFiles(sessions.main.dir);
    log(`dashboard: ${sessions.main.files} files, ${(sessions.main.bytes / MB).toFixed(1)} MB; ${o.warmup ? 1 : 0} warm-up + ${o.browserRuns} runs`);
    const runs = [];
    const heaps = [];
    for (let i = 0; i < (o.warmup ? 1 : 0) + o.browserRuns; i++) {
      const r = await dropToOverview(browser, server.base, mainFiles);
      await r.context.close();
      if (i >= (o.warmup ? 1 : 0)) {
        runs.push(r.phases);
        heaps.push(r.wasm_heap_bytes);
      }
    }
    result.main = { runs, median: medianOf(runs), wasm_heap_bytes: Math.max(...heaps.filter(Number.isFinite)) };

    const scaleFiles = listFiles(sessions.scale.dir);
    log(`dashboard at scale: ${sessions.scale.files} files, ${(sessions.scale.bytes / MB).toFixed(1)} MB; ${o.warmup ? 1 : 0} warm-up + ${o.scaleRuns} runs`);
    const sruns = [];
    for (let i = 0; i < (o.warmup ? 1 : 0) + o.scaleRuns; i++) {
      const r = await dropToOverview(browser, server.base, scaleFiles);
      const p = await participants(r.page);
      await r.context.close();
      if (i >= (o.warmup ? 1 : 0)) sruns.push({ overview: r.phases, participants: p, wasm_heap_bytes: r.wasm_heap_bytes });
    }
    result.scale = { runs: sruns, median: medianOf(sruns) };
  } finally {
    await browser.close();
    await server.close();
  }
  return result;
}

// ------------------------------------------------------------------ report --
function environment(o) {
  const git = (args) => spawnSync('git', ['-C', ROOT, ...args], { encoding: 'utf8' }).stdout?.trim() ?? '';
  const cpu = /model name\s*:\s*(.*)/.exec(fs.readFileSync('/proc/cpuinfo', 'utf8'))?.[1] ?? os.cpus()[0]?.model ?? '?';
  const changed = git(['status', '--porcelain', '--', 'core', 'wasm', 'web', 'CMakeLists.txt']);
  return {
    date: new Date().toISOString(),
    commit: git(['rev-parse', '--short', 'HEAD']),
    uncommitted_engine_changes: changed.length > 0,
    cpu,
    cores: os.availableParallelism?.() ?? os.cpus().length,
    memory_bytes: os.totalmem(),
    node: process.version,
    load_average_at_start: os.loadavg(),
    quick: o.quick,
  };
}

const f1 = (x) => (x === null || x === undefined || !Number.isFinite(x) ? '—' : x.toFixed(1));
const f0 = (x) => (x === null || x === undefined || !Number.isFinite(x) ? '—' : Math.round(x).toString());
const f2 = (x) => (x === null || x === undefined || !Number.isFinite(x) ? '—' : x.toFixed(2));
const ms = (x) => (x === null || x === undefined || !Number.isFinite(x) ? '—' : `${Math.round(x)} ms`);
const mb = (x) => (x === null || x === undefined || !Number.isFinite(x) ? '—' : `${(x / MB).toFixed(1)} MB`);
const kb = (x) => `${(x / 1000).toFixed(1)} kB`;
const verdict = (ok) => (ok === null ? '' : ok ? 'ok' : 'MISSED');

function table(rows, head) {
  const all = head ? [head, ...rows] : rows;
  const widths = [];
  for (const r of all) r.forEach((c, i) => (widths[i] = Math.max(widths[i] ?? 0, String(c).length)));
  const line = (r) => '  ' + r.map((c, i) => (i === 0 ? String(c).padEnd(widths[i]) : String(c).padStart(widths[i]))).join('  ').trimEnd();
  const out = [];
  if (head) out.push(line(head));
  for (const r of rows) out.push(line(r));
  return out.join('\n');
}

function printDumps(res, L) {
  const list = res.dumps;
  L.push(`7. Browser stats dumps (issue 21; median of ${list[0].wasm.runs} after ${list[0].wasm.warmup} warm-up; first = the first analysis of a fresh engine; floor = what a JavaScript importer parses at least; × = peak ÷ input bytes)`);
  L.push(
    table(
      [
        ...list.map((d) => [
          d.name,
          mb(d.bytes),
          ms(d.wasm.median_ms.json_parse),
          ms(d.wasm.median_ms.analyze),
          ms(d.wasm.median_ms.analyze_one_thread),
          ms(d.wasm.first_analyze_ms),
          `${f2(d.wasm.ratio_analyze_to_json_parse)}×`,
          ms(d.native.median_ms),
          `${f2(d.native.peak_rss_bytes / d.bytes)}×`,
          `${f2(d.wasm.wasm_heap.after_first_analyze_bytes / d.bytes)}×`,
        ]),
        ['', '', '', '', '', '', `goal ≤ 1.0  ${verdict(res.goals.dumps_ratio.ok)}`, '', '', ''],
      ],
      ['dump', 'input', 'floor', 'analyze', '1 thread', 'first', 'ratio', 'native', 'native RSS', 'wasm heap'],
    ),
  );
  for (const d of list) L.push(`  ${d.name}: ${d.shape}; floor: ${d.floor}`);
  L.push('');
}

function print(res) {
  const { env, sessions, wasm, native: nat, payload: pay, dashboard: dash, goals } = res;
  const L = [];
  if (!sessions && res.fleet) {
    L.push('');
    L.push(`callsight benchmark, fleet only  ${env.date.slice(0, 16).replace('T', ' ')} UTC  commit ${env.commit}${env.uncommitted_engine_changes ? ' + uncommitted changes in core/wasm/web' : ''}`);
    L.push(`  ${env.cpu}, ${env.cores} cores, load average ${env.load_average_at_start[0].toFixed(2)} at start, node ${env.node}`);
    L.push('');
    printFleet(res.fleet, L, { ms, mb, table });
    return L.join('\n');
  }
  if (!sessions) {
    L.push('');
    L.push(`callsight benchmark, dumps only  ${env.date.slice(0, 16).replace('T', ' ')} UTC  commit ${env.commit}${env.uncommitted_engine_changes ? ' + uncommitted changes in core/wasm/web' : ''}`);
    L.push(`  ${env.cpu}, ${env.cores} cores, load average ${env.load_average_at_start[0].toFixed(2)} at start, node ${env.node}`);
    L.push('');
    printDumps(res, L);
    return L.join('\n');
  }
  L.push('');
  L.push(`callsight benchmark  ${env.date.slice(0, 16).replace('T', ' ')} UTC  commit ${env.commit}${env.uncommitted_engine_changes ? ' + uncommitted changes in core/wasm/web' : ''}${env.quick ? '  (--quick)' : ''}`);
  L.push(`  ${env.cpu}, ${env.cores} cores, load average ${env.load_average_at_start[0].toFixed(2)} at start, node ${env.node}${dash?.chromium ? `, chromium ${dash.chromium}` : ''}`);
  if (env.load_average_at_start[0] > 0.5) L.push('  note: the machine was busy when the benchmark started; times may be inflated');
  L.push(`  session: ${sessions.main.shape}; ${sessions.main.files} files, ${(sessions.main.bytes / MB).toFixed(2)} MB`);
  L.push(`  scale:   ${sessions.scale.shape}; ${sessions.scale.files} files, ${(sessions.scale.bytes / MB).toFixed(2)} MB`);
  L.push('');
  L.push(`1. Throughput, main session (median of ${wasm.runs} after ${wasm.warmup} warm-up runs; MB = 10^6 bytes)`);
  L.push(
    table(
      [
        ['JSON.parse of the files\' strings (Node)', ms(wasm.median_ms.json_parse), f1(wasm.mb_per_s.json_parse), ''],
        ['  incl. UTF-8 decoding of the bytes', ms(wasm.median_ms.json_parse_decode), f1(wasm.mb_per_s.json_parse_decode), ''],
        [`engine.analyze, wasm (Node, packed npm package, ${wasm.threads} threads)`, ms(wasm.median_ms.analyze), f1(wasm.mb_per_s.analyze), ''],
        ['  the same with createEngine({ threads: 1 })', ms(wasm.median_ms.analyze_one_thread), f1(wasm.mb_per_s.analyze_one_thread), `${f2(wasm.median_ms.analyze_one_thread / wasm.median_ms.json_parse)}× JSON.parse`],
        ['native CLI: callsight analyze > /dev/null (one thread per core)', ms(nat.median_ms), f1(nat.mb_per_s), ''],
        ['analyze / JSON.parse', `${f2(wasm.ratio_analyze_to_json_parse)}×`, '', `goal ≤ 1.0  ${verdict(goals.throughput_ratio.ok)}`],
      ],
      ['', 'time', 'MB/s', ''],
    ),
  );
  L.push('');
  L.push(`2. Peak memory, main session (× input bytes)${env.quick ? '; --quick: the input is too small for these ratios to mean much (16 MiB initial wasm heap)' : ''}`);
  const memRows = [
    ['native CLI, peak RSS', mb(nat.peak_rss_bytes), `${f2(nat.peak_rss_bytes / sessions.main.bytes)}×`, `goal ≤ 1.5  ${verdict(goals.native_memory.ok)}`],
    ['wasm heap (Node), first analyze of a fresh engine', mb(wasm.wasm_heap.after_first_analyze_bytes), `${f2(wasm.wasm_heap.after_first_analyze_bytes / sessions.main.bytes)}×`, `goal ≤ 1.5  ${verdict(goals.wasm_memory.ok)}`],
    [`wasm heap (Node), after ${1 + wasm.warmup + wasm.runs} analyses`, mb(wasm.wasm_heap.after_all_runs_bytes), `${f2(wasm.wasm_heap.after_all_runs_bytes / sessions.main.bytes)}×`, ''],
  ];
  if (dash?.main) memRows.push(['wasm heap (Chromium Worker), after the drop', mb(dash.main.wasm_heap_bytes), `${f2(dash.main.wasm_heap_bytes / sessions.main.bytes)}×`, '']);
  L.push(table(memRows));
  L.push('');
  if (dash?.main) {
    const m = dash.main.median;
    L.push(`3. Dashboard, main session: file input change -> overview on screen (headless Chromium, median of ${dash.main.runs.length}, fresh page each; phases from the ${dash.main.runs[0].source})`);
    L.push(
      table(
        [
          [
            ms(m.total_ms),
            ms(m.read_ms),
            ms(m.analyze_ms),
            `${ms(m.worker_start_ms)} / ${ms(m.ingest_ms)} / ${ms(m.engine_run_ms)}`,
            ms(m.render_ms),
            ms(m.longest_task_ms),
            `goal < 2 s (SPEC: 50 × 60)  ${verdict(goals.dashboard_2s.ok)}`,
          ],
        ],
        ['total', 'read', 'analyze', '(worker start / ingest / run)', 'render', 'longest main-thread task', ''],
      ),
    );
    L.push('');
    const s = dash.scale.median;
    const p = s.participants;
    L.push(`4. Scale: ${sessions.scale.peer_stats_files} peer-stats files, ${(sessions.scale.bytes / MB).toFixed(1)} MB in the dashboard (median of ${dash.scale.runs.length})`);
    L.push(
      table(
        [
          ['native CLI (for comparison)', ms(res.native_scale.median_ms), `peak RSS ${mb(res.native_scale.peak_rss_bytes)} (${f2(res.native_scale.peak_rss_bytes / sessions.scale.bytes)}× input)`],
          ['drop -> overview on screen', ms(s.overview.total_ms), `read ${ms(s.overview.read_ms)}, analyze ${ms(s.overview.analyze_ms)}, render ${ms(s.overview.render_ms)}; longest task ${ms(s.overview.longest_task_ms)}`],
          ['wasm heap (Chromium Worker)', mb(s.wasm_heap_bytes), `${f2(s.wasm_heap_bytes / sessions.scale.bytes)}× input`],
          ['Participants tab -> table on screen', ms(p.open_table_ms), `${f0(p.rows)} rows, ${f0(p.rows_in_dom)} in the DOM`],
          ['jump to the last row (scrollTop = end) -> painted', ms(p.jump_to_end_ms), `${f0(p.rows_in_dom_at_end)} rows in the DOM`],
          ['scroll top -> bottom, 10 rows per frame', ms(p.scroll.ms), `${f0(p.scroll.frames)} frames, p95 ${f1(p.scroll.p95_frame_ms)} ms, max ${f1(p.scroll.max_frame_ms)} ms, longest task ${ms(p.scroll.longest_task_ms)}`],
          ['sort by name -> painted', ms(p.sort_ms), ''],
          ['open a participant -> view / first chart', `${ms(p.open_participant_ms)} / ${ms(p.first_chart_ms)}`, `longest task in all of the above ${ms(p.whole.longest_task_ms)}`],
        ],
      ),
    );
    L.push('');
  } else {
    L.push('3./4. Dashboard: skipped (--no-browser)');
    L.push('');
  }
  L.push(`5. The main session in seven shapes (median of ${res.shapes[1]?.wasm.runs ?? wasm.runs} after ${res.shapes[1]?.wasm.warmup ?? wasm.warmup} warm-up; first = the first analysis of a fresh engine; compact is the run above; × = peak ÷ input bytes)`);
  L.push(
    table(
      [
        ...res.shapes.map((x) => [
          x.name,
          mb(x.bytes),
          ms(x.wasm.median_ms.json_parse),
          ms(x.wasm.median_ms.analyze),
          ms(x.wasm.first_analyze_ms),
          `${f2(x.wasm.ratio_analyze_to_json_parse)}×`,
          ms(x.native.median_ms),
          `${f2(x.native.peak_rss_bytes / x.bytes)}×`,
          `${f2(x.wasm.wasm_heap.after_first_analyze_bytes / x.bytes)}×`,
          x.how,
        ]),
        ['', '', '', '', '', `goal ≤ 1.0  ${verdict(goals.shapes_ratio.ok)}`, '', `goal ≤ 1.5  ${verdict(goals.shapes_memory.ok)}`, '', ''],
      ],
      ['shape', 'input', 'JSON.parse', 'analyze', 'first', 'ratio', 'native', 'native RSS', 'wasm heap', ''],
    ),
  );
  L.push('');
  L.push(`6. Payload of build/site (${pay.what})`);
  L.push(
    table(
      [...pay.files.map((f) => [f.file, kb(f.raw_bytes), kb(f.gzip_bytes)]), ['total', kb(pay.total.raw_bytes), kb(pay.total.gzip_bytes), `goal ≤ 400 kB gz  ${verdict(goals.payload.ok)}`]],
      ['', 'raw', 'gzip -9', ''],
    ),
  );
  L.push('');
  printDumps(res, L);
  if (res.fleet) printFleet(res.fleet, L, { ms, mb, table });
  return L.join('\n');
}

async function main() {
  const o = parseArgs(process.argv.slice(2));
  fs.mkdirSync(o.out, { recursive: true });
  const env = environment(o);
  const dumpGoal = (list) => ({
    goal: 'engine.analyze (wasm, default threads) / the importer floor <= 1.0 on each dump',
    value: Math.max(...list.map((d) => d.wasm.ratio_analyze_to_json_parse)),
    ok: list.every((d) => d.wasm.ratio_analyze_to_json_parse <= 1.0),
  });
  const fleetOptions = { out: o.out, build: o.build, fleetSessions: o.fleetSessions, root: ROOT, log };
  if (o.only === 'fleet') {
    const results = { env, options: { only: 'fleet', fleet_sessions: o.fleetSessions }, fleet: await fleetBench(fleetOptions) };
    const file = path.join(o.out, 'results.json');
    fs.writeFileSync(file, JSON.stringify(results, null, 2) + '\n');
    process.stdout.write(print(results) + '\n');
    process.stdout.write(`results: ${file}\n`);
    return;
  }
  if (o.only === 'dumps') {
    const dumped = await dumps(o);
    const results = { env, options: { only: 'dumps' }, goals: { dumps_ratio: dumpGoal(dumped) }, dumps: dumped };
    const file = path.join(o.out, 'results.json');
    fs.writeFileSync(file, JSON.stringify(results, null, 2) + '\n');
    process.stdout.write(print(results) + '\n');
    process.stdout.write(`results: ${file}\n`);
    return;
  }
  const sessions = generate(o);
  log(`payload of ${path.join(o.build, 'site')}`);
  const pay = payload(o);
  log(`native CLI: ${o.warmup} warm-up + ${o.runs} runs`);
  const nat = await native(o, sessions.main);
  const natScale = await native({ ...o, runs: Math.min(3, o.runs), warmup: 1 }, sessions.scale);
  log(`wasm in Node (packed npm package) vs JSON.parse: ${o.warmup} warm-up + ${o.runs} runs each, interleaved`);
  const wasm = wasmNode(o, sessions.main);
  const shaped = [];
  for (const shape of shapes(o, sessions.main)) {
    if (shape.name === 'compact') {
      shaped.push({ ...shape, wasm, native: nat });
      continue;
    }
    const few = { ...o, ...FRESH_PROCESS_RUNS };
    log(`shape ${shape.name}: native CLI and wasm vs JSON.parse, ${few.warmup} warm-up + ${few.runs} runs`);
    shaped.push({ ...shape, native: await native(few, shape), wasm: wasmNode(few, shape) });
  }
  const dumped = await dumps(o);
  const fleet = await fleetBench(fleetOptions);
  const dash = o.browser ? await dashboard(o, sessions) : null;
  const ratio = (x) => x / sessions.main.bytes;
  const goals = {
    throughput_ratio: { goal: 'analyze / JSON.parse <= 1.0', value: wasm.ratio_analyze_to_json_parse, ok: wasm.ratio_analyze_to_json_parse <= 1.0 },
    shapes_ratio: { goal: 'analyze / JSON.parse <= 1.0 on every shape', value: Math.max(...shaped.map((x) => x.wasm.ratio_analyze_to_json_parse)), ok: shaped.every((x) => x.wasm.ratio_analyze_to_json_parse <= 1.0) },
    shapes_memory: {
      goal: 'peak memory <= 1.5 x input on every shape (native RSS and wasm heap)',
      value: Math.max(...shaped.flatMap((x) => [x.native.peak_rss_bytes / x.bytes, x.wasm.wasm_heap.after_first_analyze_bytes / x.bytes])),
      ok: shaped.every((x) => x.native.peak_rss_bytes <= 1.5 * x.bytes && x.wasm.wasm_heap.after_first_analyze_bytes <= 1.5 * x.bytes),
    },
    native_memory: { goal: 'native peak RSS <= 1.5 x input', value: ratio(nat.peak_rss_bytes), ok: ratio(nat.peak_rss_bytes) <= 1.5 },
    wasm_memory: { goal: 'wasm peak heap <= 1.5 x input', value: ratio(wasm.wasm_heap.after_first_analyze_bytes), ok: ratio(wasm.wasm_heap.after_first_analyze_bytes) <= 1.5 },
    dashboard_2s: dash ? { goal: 'drop -> overview < 2 s (SPEC: 50 peers x 1 h; measured on the main session)', value: dash.main.median.total_ms, ok: dash.main.median.total_ms < 2000 } : { ok: null },
    payload: { goal: 'wasm + JS + CSS <= 400 kB gzipped', value: pay.total.gzip_bytes, ok: pay.total.gzip_bytes <= 400e3 },
    dumps_ratio: dumpGoal(dumped),
  };
  const results = { env, options: { peers: o.peers, minutes: o.minutes, scale_peers: o.scalePeers, scale_minutes: o.scaleMinutes, runs: o.runs, warmup: o.warmup, browser_runs: o.browserRuns, scale_runs: o.scaleRuns, fleet_sessions: o.fleetSessions }, sessions, goals, wasm, native: nat, native_scale: natScale, shapes: shaped, dashboard: dash, payload: pay, dumps: dumped, fleet };
  const file = path.join(o.out, 'results.json');
  fs.writeFileSync(file, JSON.stringify(results, null, 2) + '\n');
  process.stdout.write(print(results) + '\n');
  process.stdout.write(`results: ${file}\n`);
}

main().catch((e) => {
  process.stderr.write(`bench: ${e && e.stack ? e.stack : e}\n`);
  process.exit(1);
});
