#!/usr/bin/env node
// The engine against the recorded ground truth: runs
// `build/native/callsight analyze --format json` on each recording folder's
// dumps (both dumps of a two-browser call in one run, so they are joined) and
// checks that the report has an issue for each injected problem, at the time
// truth.json says, on the right track (and, across dumps, attributed to the
// sender that caused it), and no warning or critical issue on a clean call;
// other warnings and critical issues are listed as notes.
//
//   node tests/dumps/check.mjs [--require-engine] [DIR...]
//
// DIR defaults to every folder under tests/data/dumps. While the CLI rejects
// every dump file (the dump readers have not landed), it prints "skip: engine
// does not read dumps yet" and exits 0; --require-engine makes that a failure.
// CALLSIGHT_BIN overrides the CLI's path.
import { spawnSync } from 'node:child_process';
import { existsSync, promises as fs } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

// ---------------------------------------------------------------------------
// Truth kind (tests/dumps/scenarios.mjs) -> the issue the report must carry.
// `codes`: any of these issue codes matches (the codes marked "proposed" do
// not exist yet: the lead names them when the dump findings land).
// `start`/`end`: the window, in ms relative to the truth entry's own times,
// in which the issue's start_ms/end_ms must fall (stats are sampled once a
// second, so a finding may lag an event by up to two samples).
// `track`: the issue's track_ids must include the truth's trackId.
// `severity`: the issue's severity must be this one.
// `pending`: what the engine does not find yet (printed as todo, not checked).
// null: nothing may be found (no issue of severity warning or critical).
// ---------------------------------------------------------------------------
const S = 1000;
export const EXPECTED = {
  nothing: null,
  freeze: {
    codes: ['video_freeze'],
    // Freezes a few seconds apart are one issue (docs/DETECTIONS.md).
    covers: true,
    start: (e) => [e.from - 2 * S, e.from + 3 * S],
    end: (e) => [e.to - 1 * S, (e.until ?? e.to) + 3 * S],
    track: true,
  },
  'audio-concealment': {
    // Concealment of 1 s samples held under 16 s is no breach issue; the MOS
    // of what was heard (low_received_audio_mos) finds it, both drops at once.
    codes: ['audio_concealment', 'low_received_audio_mos'],
    covers: true,
    start: (e) => [e.from - 2 * S, e.from + 3 * S],
    end: (e) => [e.to - 2 * S, e.to + 3 * S],
    track: true,
  },
  stall: {
    // The truth says "the sender sends nothing" (replaceTrack(null)): the
    // application's choice, so the pause is told as info on the sender's side
    // (received_stream_stalled, severity info); a stall while the sender
    // still sends would be a warning on the receiver's downlink.
    codes: ['received_stream_stalled'],
    severity: 'info',
    start: (e) => [e.from - 1 * S, e.from + 3 * S],
    end: (e) => [e.to - 1 * S, e.to + 4 * S],
    track: true,
  },
  'bandwidth-limited': {
    codes: ['bandwidth_limited_video'],
    start: (e) => [e.from - 1 * S, (e.observedFrom ?? e.from + 10 * S) + 3 * S],
    track: true,
  },
  'resolution-drop': {
    codes: ['resolution_drop'],
    start: (e) => [e.from - 1 * S, (e.observedSent?.t ?? e.from + 15 * S) + 3 * S],
    track: true,
  },
  'ice-restart': {
    codes: ['ice_restart'],
    start: (e) => [e.from - 1 * S, e.from + 5 * S],
  },
  'connection-failed': {
    codes: ['connect_failed', 'disconnected', 'ice_failed' /* proposed */],
    start: (e) => [e.from - 1 * S, e.at + 3 * S],
  },
  'connection-disconnected': {
    codes: ['disconnected'],
    start: (e) => [e.from - 1 * S, (e.at ?? e.from + 30 * S) + 3 * S],
  },
  'gum-failure': {
    codes: ['publish_failed'],
    start: (e) => [e.at - 2 * S, e.at + 2 * S],
  },
  'ice-server-error': {
    // An icecandidateerror event (the STUN/TURN server not reachable).
    codes: ['ice_candidate_error'],
    start: (e) => [e.at - 2 * S, e.at + 2 * S],
  },
  'sdp-error': {
    codes: ['signaling_error'],
    start: (e) => [e.at - 2 * S, e.at + 2 * S],
  },
  'ice-candidate-error': {
    // ice_candidate_error is the icecandidateerror event's (ice-server-error);
    // a failed addIceCandidate is a signalling step, one issue with the SDP
    // failure seconds before it on the same browser.
    codes: ['signaling_error'],
    start: (e) => [e.at - 5 * S, e.at + 2 * S],
  },
  'jitter-buffer-delay': {
    codes: ['high_jitter_buffer_delay'],
    start: (e) => [e.from - 1 * S, e.from + 6 * S],
    track: true,
  },
};

const HERE = path.dirname(fileURLToPath(import.meta.url));
const ROOT = path.resolve(HERE, '../..');
const BUILD = process.env.CALLSIGHT_BUILD_DIR ? path.resolve(process.env.CALLSIGHT_BUILD_DIR) : path.join(ROOT, 'build');
const CLI = process.env.CALLSIGHT_BIN ?? path.join(BUILD, 'native', 'callsight');
const SKIP_MESSAGE = 'engine does not read dumps yet';

const within = (t, [lo, hi]) => typeof t === 'number' && t >= lo && t <= hi;
const serious = (issue) => issue.severity === 'warning' || issue.severity === 'critical';

/** The report's peer that published (or received) track `trackId`. */
function peerWithTrack(report, trackId, direction) {
  for (const session of report.sessions) {
    for (const peer of session.peers ?? []) {
      if ((peer.tracks ?? []).some((t) => t.track_id === trackId && t.direction === direction)) return peer.peer_id;
    }
  }
  return null;
}

function allIssues(report) {
  return report.sessions.flatMap((s) => s.issues ?? []);
}

/** Why `issue` does not match truth entry `e` of kind `rule`, or '' when it does. */
function mismatch(issue, e, rule, report) {
  if (!rule.codes.includes(issue.code)) return 'code';
  if (rule.severity && issue.severity !== rule.severity) return `severity ${issue.severity}, not ${rule.severity}`;
  if (rule.track && !(issue.track_ids ?? []).includes(e.trackId)) return `track (${issue.track_ids})`;
  const [s0, s1] = rule.start(e);
  // `covers`: one issue may span several injections close together (it
  // starts at most 15 s before this one's window and ends no earlier).
  const covering = rule.covers && within(issue.start_ms, [s0 - 15 * S, s1]) &&
    (!rule.end || issue.end_ms >= rule.end(e)[0]);
  if (!covering && !within(issue.start_ms, [s0, s1])) return `start ${issue.start_ms} not in ${s0}..${s1}`;
  if (!covering && rule.end) {
    const [e0, e1] = rule.end(e);
    if (!within(issue.end_ms, [e0, e1])) return `end ${issue.end_ms} not in ${e0}..${e1}`;
  }
  if (e.causeDump) {
    const sender = peerWithTrack(report, e.trackId, 'publisher');
    if (!sender) return `no peer published track ${e.trackId}`;
    if (issue.peer_id !== sender || issue.direction !== 'uplink') {
      return `attributed to ${issue.peer_id} (${issue.direction}), not the sender ${sender} (uplink)`;
    }
  }
  return '';
}

/** One result per truth expectation: { kind, says, ok, why }. */
export function compare(truth, report) {
  const issues = allIssues(report);
  return truth.expect.map((e) => {
    const rule = EXPECTED[e.kind];
    if (rule === undefined) return { kind: e.kind, says: e.says, ok: false, why: `no rule for truth kind ${e.kind} in check.mjs` };
    if (rule === null) {
      const found = issues.filter(serious).filter((i) => !e.trackId || (i.track_ids ?? []).includes(e.trackId));
      return { kind: e.kind, says: e.says, ok: !found.length, why: found.map((i) => `${i.code} ${i.start_ms}..${i.end_ms}`).join(', ') };
    }
    if (rule.pending) return { kind: e.kind, says: e.says, ok: true, pending: rule.pending };
    const candidates = issues.filter((i) => rule.codes.includes(i.code));
    const whys = candidates.map((i) => mismatch(i, e, rule, report));
    const ok = whys.includes('');
    const why = ok ? '' : candidates.length ? whys.join('; ') : `no issue ${rule.codes.join('/')}`;
    return { kind: e.kind, says: e.says, ok, why };
  });
}

/**
 * Warning and critical issues that match no expectation of the truth. Printed
 * as notes, not failures: an impairment may rightly cause more than the one
 * finding named (the clean call's "nothing" already fails on any).
 */
export function unexplained(truth, report) {
  return allIssues(report)
    .filter(serious)
    .filter((i) => !truth.expect.some((e) => EXPECTED[e.kind] && mismatch(i, e, EXPECTED[e.kind], report) === ''));
}

/** Every dump file of a recording folder (one level of sub-folders for two-browser calls). */
async function dumpFiles(dir) {
  const truth = JSON.parse(await fs.readFile(path.join(dir, 'truth.json'), 'utf8'));
  const files = [];
  for (const sub of Object.keys(truth.dumps)) {
    for (const name of Object.keys(truth.files)) files.push(path.join(dir, sub, name));
  }
  return { truth, files };
}

/** Runs the CLI; { report } or { skip: reason }. Throws on anything else. */
export function analyze(files) {
  const r = spawnSync(CLI, ['analyze', '--format', 'json', ...files], { encoding: 'utf8', maxBuffer: 1 << 28 });
  if (r.error) throw r.error;
  const report = r.stdout ? JSON.parse(r.stdout) : null;
  const rejected = (report?.inputs ?? []).filter((i) => i.status === 'rejected');
  if (r.status === 2 && report && rejected.length === files.length) {
    return { skip: rejected[0].messages?.[0]?.text ?? 'rejected' };
  }
  // Both dumps of one browser's call hold the same streams: the engine reads
  // the first and refuses the second, saying so. That is the report.
  const sameBrowser = (i) => (i.messages ?? []).some((m) => m.text.includes("the same browser's call"));
  if (r.status === 2 && report && rejected.length < files.length && rejected.every(sameBrowser)) {
    return { report };
  }
  if (r.status !== 0 || !report) throw new Error(`callsight analyze exited ${r.status}: ${r.stderr.trim()}`);
  return { report };
}

async function main() {
  const args = process.argv.slice(2);
  const requireEngine = args.includes('--require-engine');
  let dirs = args.filter((a) => !a.startsWith('--'));
  if (!dirs.length) {
    const base = path.join(ROOT, 'tests/data/dumps');
    dirs = (await fs.readdir(base)).sort().map((n) => path.join(base, n));
  }
  if (!existsSync(CLI)) throw new Error(`${CLI} is missing: build it (cmake --build build/native --target callsight)`);
  let failed = 0;
  let skipped = null;
  for (const dir of dirs) {
    const { truth, files } = await dumpFiles(dir);
    const { report, skip } = analyze(files);
    if (skip) {
      console.log(`skip: ${path.basename(dir)}: ${SKIP_MESSAGE}`);
      skipped = skip;
      if (requireEngine) failed++;
      continue;
    }
    for (const r of compare(truth, report)) {
      if (r.pending) {
        console.log(`todo ${path.basename(dir)}: ${r.kind}: not checked: ${r.pending}`);
        continue;
      }
      console.log(`${r.ok ? 'ok  ' : 'FAIL'} ${path.basename(dir)}: ${r.kind}: ${r.says}${r.ok ? '' : ` -- ${r.why}`}`);
      if (!r.ok) failed++;
    }
    for (const i of unexplained(truth, report)) {
      console.log(`note ${path.basename(dir)}: also ${i.severity} ${i.code} on ${i.peer_id} ${i.start_ms}..${i.end_ms}: ${i.title}`);
    }
  }
  if (skipped) console.log(`skip: the CLI says: ${skipped}`);
  if (failed) {
    console.error(`check.mjs: ${failed} expectation(s) not met${requireEngine ? ' or folder(s) skipped' : ''}`);
    process.exit(1);
  }
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  main().catch((e) => {
    console.error(`check.mjs: ${e.message}`);
    process.exit(1);
  });
}
