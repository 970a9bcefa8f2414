#!/usr/bin/env node
// The scale session of the benchmark: a webinar, written with the project's
// generator library (scripts/gen/lib.mjs), same formats and same PRNG.
//
//   node bench/gen-webinar.mjs --peers 500 --minutes 30 [--stage 4] [--seed S] --out DIR
//
// Why not `generate.mjs --scenario bench --peers 500`: that scenario subscribes
// every peer to every other one, so its peer-stats grow with N² (500 peers x 30 min
// would be about 2.5 GB). A 500-peer session is a webinar in practice: a few peers
// on stage publish audio + camera (the host also shares a screen for 10 minutes),
// everybody else is a `viewer-realtime` who publishes nothing and receives the
// stage. Viewers arrive over the first 10 minutes, 10 % leave early; a few
// injected problems give the report issues to show (uplink loss and high RTT on
// stage, downlink loss / freezes / concealment at viewers, failed joins).
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const { streamSession, webinarSpec, writeSession } = await import(pathToFileURL(path.join(ROOT, 'scripts/gen/lib.mjs')));

function parseArgs(argv) {
  const o = {};
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const v = () => {
      if (i + 1 >= argv.length) throw new Error(`${a} needs a value`);
      return argv[++i];
    };
    if (a === '--peers') o.peers = Number(v());
    else if (a === '--minutes') o.minutes = Number(v());
    else if (a === '--stage') o.stage = Number(v());
    else if (a === '--seed') o.seed = Number(v());
    else if (a === '--out') o.out = v();
    else throw new Error(`unknown argument ${a}`);
  }
  if (!o.out) throw new Error('--out DIR is required');
  return o;
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  try {
    const o = parseArgs(process.argv.slice(2));
    const t0 = performance.now();
    const result = streamSession(webinarSpec(o));
    const written = writeSession(o.out, result);
    const bytes = written.filter((w) => !w.name.startsWith('..')).reduce((a, w) => a + w.bytes, 0);
    const t = result.truth;
    process.stdout.write(`webinar: ${t.peers.length} peer ids, ${t.expected_issues.length} expected issues, ${written.length - 1} input files, ` +
      `${(bytes / 1e6).toFixed(2)} MB, ${((performance.now() - t0) / 1000).toFixed(2)} s -> ${o.out}\n`);
  } catch (e) {
    process.stderr.write(`gen-webinar: ${e.message}\n`);
    process.exitCode = 1;
  }
}
