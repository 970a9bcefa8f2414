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
const { defaultName, rngFor, streamSession, writeSession } = await import(pathToFileURL(path.join(ROOT, 'scripts/gen/lib.mjs')));

export function webinarSpec({ peers: N = 500, minutes = 30, stage = 4, seed = 500 } = {}) {
  if (N < stage + 2) throw new Error(`a webinar needs more than ${stage + 1} peers`);
  if (minutes < 20) throw new Error('a webinar needs at least 20 minutes');
  const r = rngFor(seed, 'webinar');
  const r2 = (x) => Math.round(x * 100) / 100;
  const peers = [];
  for (let i = 0; i < N; i++) {
    const onStage = i < stage;
    const p = {
      name: defaultName(i),
      role: i === 0 ? 'host' : onStage ? 'panelist' : 'viewer-realtime',
      audio: onStage,
      video: onStage,
    };
    if (!onStage) {
      p.join_min = r2(r.uniform(0.1, Math.min(10, minutes * 0.3)));
      if (r.next() < 0.1) p.leave_min = r2(r.uniform(minutes * 0.5, minutes - 1));
    }
    peers.push(p);
  }
  peers[0].screens = [{ at_min: 5, minutes: 10 }];
  const viewer = (k) => stage + 1 + Math.floor((k * (N - stage - 2)) / 12);  // spread over the audience
  const at = (f) => Math.round(minutes * f * 2) / 2;
  // Receiver-side problems first, the stage's uplink loss (seen by every receiver) later.
  const injections = [
    { type: 'downlink_loss', peer: viewer(1), at_min: at(0.2), minutes: 2 },
    { type: 'freezes', peer: viewer(3), at_min: at(0.3), minutes: 2 },
    { type: 'concealment', peer: viewer(5), at_min: at(0.4), minutes: 2 },
    { type: 'downlink_loss', peer: viewer(7), at_min: at(0.5), minutes: 2 },
    { type: 'high_rtt', peer: 2 % stage, at_min: at(0.6), minutes: 2 },
    { type: 'loss_burst', peer: 1 % stage, at_min: at(0.75), minutes: 2 },
    { type: 'connect_retry', peer: viewer(9) },
    { type: 'join_failed', peer: viewer(11), at_min: Math.max(0.05, peers[viewer(11)].join_min - 0.05), retry_after_s: 30 },
  ];
  for (const inj of injections) {
    const p = peers[inj.peer];
    const join = p.join_min ?? 0.4;
    const leave = p.leave_min ?? minutes - 0.3;
    if (inj.minutes && !(inj.at_min >= join + 0.5 && inj.at_min + inj.minutes <= leave - 0.5)) {
      // keep the injection inside the viewer's stay
      p.join_min = Math.min(join, r2(inj.at_min - 1));
      delete p.leave_min;
    }
  }
  return {
    scenario: 'bench-webinar', seed, minutes, spacing_ms: 10000, start: '2024-05-07T16:00:00Z', room_name: 'webinar',
    peerStatsLayout: 'per-peer', peers, injections,
  };
}

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
