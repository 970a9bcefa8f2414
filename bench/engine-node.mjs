// Engine throughput and memory in Node, through the PACKED npm package: scripts/bench
// installs build/wasm/callsight-<version>.tgz into a temporary project and copies
// this file (and wasm-memory.mjs) there, so `import 'callsight'` below resolves
// the way it does for a user. Only Node built-ins besides the package.
//
//   node --expose-gc engine-node.mjs --dir INPUT_DIR [--runs 7] [--warmup 2] [--floor dump]
//
// Prints one JSON object on stdout. Timed, interleaved run by run:
//   analyze     `await engine.analyze(files)`: files are {name, data: Uint8Array} read
//               from disk beforehand; the time covers copying into the wasm heap,
//               parsing, analysis, writing the report and its JSON.parse into the
//               object the call returns. The engine is createEngine()'s default: in
//               Node the threaded build, one thread per core (at most 4).
//   analyze_one_thread  the same with createEngine({ threads: 1 }) (informative).
//   json_parse  `JSON.parse` of the same files as strings (decoded beforehand);
//               NDJSON files are split into lines and each line is parsed.
//   json_parse_decode  the same, plus the UTF-8 decoding of the bytes (informative).
//   With --floor dump (browser stats dumps, issue 21), json_parse is the floor of a
//   JavaScript importer of the same files instead: a webrtc-internals dump is
//   JSON.parse'd and then every `values` string in its stats series too; an
//   rtcstats dump (first line RTCStatsDump) has every line after the first parsed.
// gc() runs before every timed run when --expose-gc is given.
//
// Memory: wasm-memory.mjs keeps the Memory of the package's instance; its
// byteLength after the first analyze of a fresh engine is that analysis's peak.
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { createEngine } from 'callsight';

import { keepWasmMemories } from './wasm-memory.mjs';

const memories = keepWasmMemories();

function parseArgs(argv) {
  const o = { runs: 7, warmup: 2, floor: 'json' };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--dir') o.dir = argv[++i];
    else if (a === '--runs') o.runs = Number(argv[++i]);
    else if (a === '--warmup') o.warmup = Number(argv[++i]);
    else if (a === '--floor') o.floor = argv[++i];
    else throw new Error(`unknown argument ${a}`);
  }
  if (!o.dir) throw new Error('--dir is required');
  if (!['json', 'dump'].includes(o.floor)) throw new Error('--floor json|dump');
  return o;
}

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};
const gc = typeof globalThis.gc === 'function' ? globalThis.gc : () => {};

async function main() {
  const o = parseArgs(process.argv.slice(2));
  const names = (await fs.readdir(o.dir)).filter((n) => !n.startsWith('.')).sort();
  const files = [];
  for (const name of names) {
    const buf = await fs.readFile(path.join(o.dir, name));
    files.push({ name, data: new Uint8Array(buf.buffer, buf.byteOffset, buf.byteLength) });
  }
  const bytes = files.reduce((a, f) => a + f.data.byteLength, 0);
  const decoder = new TextDecoder();
  const texts = files.map((f) => ({ name: f.name, text: decoder.decode(f.data) }));

  // A browser dump as a JavaScript importer must read it at least.
  const parseDump = (text) => {
    let n = 0;
    if (text.startsWith('RTCStatsDump')) {
      let from = text.indexOf('\n') + 1;
      while (from < text.length) {
        let to = text.indexOf('\n', from);
        if (to < 0) to = text.length;
        if (to > from) n += JSON.parse(text.slice(from, to)) ? 1 : 0;
        from = to + 1;
      }
      return n;
    }
    const doc = JSON.parse(text);
    for (const pc of Object.values(doc.PeerConnections ?? {})) {
      for (const s of Object.values(pc.stats ?? {})) n += JSON.parse(s.values).length;
    }
    return n;
  };
  const parseTexts = (list) => {
    let n = 0;
    for (const { name, text } of list) {
      if (o.floor === 'dump') n += parseDump(text);
      else if (name.endsWith('.ndjson')) {
        for (const line of text.split('\n')) if (line.trim()) n += JSON.parse(line) ? 1 : 0;
      } else n += JSON.parse(text) ? 1 : 0;
    }
    return n;
  };
  const decodeAndParse = () => parseTexts(files.map((f) => ({ name: f.name, text: decoder.decode(f.data) })));

  // A fresh engine: its first analysis gives the peak wasm heap.
  const t0 = performance.now();
  const engine = await createEngine();
  const loadMs = performance.now() - t0;
  const memory = memories.at(-1) ?? null;
  const heapInitial = memory ? memory.buffer.byteLength : null;
  const rssBefore = process.memoryUsage().rss;
  const firstStart = performance.now();
  const firstReport = await engine.analyze(files);
  const firstMs = performance.now() - firstStart;
  const heapAfterFirst = memory ? memory.buffer.byteLength : null;
  const notRead = (firstReport.inputs ?? []).filter((i) => i.status !== 'ok');
  if (o.floor === 'dump' && notRead.length) throw new Error(`the engine did not read ${JSON.stringify(notRead)}`);
  const rssAfter = process.memoryUsage().rss;
  const sessions = firstReport.sessions?.length ?? 0;
  const peers = firstReport.sessions?.reduce((a, s) => a + (s.peers?.length ?? 0), 0) ?? 0;

  const oneThread = await createEngine({ threads: 1 });
  const timed = { analyze: [], analyze_one_thread: [], json_parse: [], json_parse_decode: [] };
  const analyzeWith = (e) => async () => {
    const r = await e.analyze(files);
    if (!r.sessions) throw new Error('no report');
  };
  const kinds = {
    analyze: analyzeWith(engine),
    analyze_one_thread: analyzeWith(oneThread),
    json_parse: () => parseTexts(texts),
    json_parse_decode: () => decodeAndParse(),
  };
  for (let i = 0; i < o.warmup + o.runs; i++) {
    for (const [kind, fn] of Object.entries(kinds)) {
      gc();
      const start = performance.now();
      await fn();
      const ms = performance.now() - start;
      if (i >= o.warmup) timed[kind].push(ms);
    }
  }
  const out = {
    files: files.length,
    bytes,
    engine_version: engine.version,
    threads: engine.threads,
    sessions,
    peers,
    engine_load_ms: loadMs,
    first_analyze_ms: firstMs,
    runs: o.runs,
    warmup: o.warmup,
    floor: o.floor,
    gc_between_runs: typeof globalThis.gc === 'function',
    times_ms: timed,
    median_ms: Object.fromEntries(Object.entries(timed).map(([k, v]) => [k, median(v)])),
    wasm_heap: {
      how: memory ? 'WebAssembly.Memory export captured by wrapping WebAssembly.instantiate' : 'unavailable',
      initial_bytes: heapInitial,
      after_first_analyze_bytes: heapAfterFirst,
      after_all_runs_bytes: memory ? memory.buffer.byteLength : null,
    },
    process_rss_delta_first_analyze_bytes: rssAfter - rssBefore,
  };
  engine.dispose();
  oneThread.dispose();
  process.stdout.write(JSON.stringify(out) + '\n');
}

main().catch((e) => {
  process.stderr.write(`engine-node: ${e && e.stack ? e.stack : e}\n`);
  process.exit(1);
});
