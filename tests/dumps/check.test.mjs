// The truth checker (check.mjs) on hand-made reports for the committed
// recordings: it must accept an issue at the truth's time on the truth's
// track, and reject one that is late, on another track, missing, attributed
// to the wrong peer, or any warning on the clean call. (The engine itself is
// checked against the same truths by check.mjs once it reads dumps.)
import assert from 'node:assert/strict';
import { readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { EXPECTED, compare, unexplained } from './check.mjs';

const DATA = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../data/dumps');
const truthOf = (name) => JSON.parse(readFileSync(path.join(DATA, name, 'truth.json'), 'utf8'));

function issue(code, start, end, trackIds, extra = {}) {
  return { code, severity: 'warning', start_ms: Math.round(start), end_ms: Math.round(end), track_ids: trackIds, peer_id: 'p', direction: 'downlink', ...extra };
}

function report(issues, peers = []) {
  return { sessions: [{ issues, peers }] };
}

// An issue where the truth entry says the problem was (its code from the table).
function issueFor(e, extra = {}) {
  const rule = EXPECTED[e.kind];
  const [start] = rule.start(e);
  const startMs = (start + rule.start(e)[1]) / 2;
  const endMs = rule.end ? (rule.end(e)[0] + rule.end(e)[1]) / 2 : startMs + 1000;
  const severity = rule.severity ? { severity: rule.severity } : {};
  return issue(rule.codes[0], startMs, endMs, e.trackId ? [e.trackId] : [], { ...severity, ...extra });
}

test('every truth kind of the committed recordings has a rule', () => {
  const kinds = readdirSync(DATA).flatMap((n) => truthOf(n).expect.map((e) => e.kind));
  assert.ok(kinds.length >= 15);
  for (const k of kinds) assert.ok(k in EXPECTED, `no rule for ${k}`);
});

test('freeze: accepted at the truth time on the truth track, rejected late, elsewhere or missing', () => {
  const truth = truthOf('freeze');
  const [a, b] = truth.expect;
  assert.deepEqual(compare(truth, report([issueFor(a), issueFor(b)])).map((r) => r.ok), [true, true]);
  const late = { ...issueFor(a), start_ms: a.from + 8000 };
  assert.equal(compare(truth, report([late, issueFor(b)]))[0].ok, false);
  const otherTrack = { ...issueFor(a), track_ids: ['not-the-track'] };
  assert.equal(compare(truth, report([otherTrack, issueFor(b)]))[0].ok, false);
  const endsTooEarly = { ...issueFor(a), end_ms: a.from + 500 };
  assert.equal(compare(truth, report([endsTooEarly, issueFor(b)]))[0].ok, false);
  assert.deepEqual(compare(truth, report([])).map((r) => r.ok), [false, false]);
});

test('clean: no warning or critical issue; an info issue is allowed', () => {
  const truth = truthOf('clean');
  assert.equal(compare(truth, report([])).every((r) => r.ok), true);
  assert.equal(compare(truth, report([issue('high_rtt', truth.call.connected, truth.call.end, [], { severity: 'info' })]))[0].ok, true);
  assert.equal(compare(truth, report([issue('high_rtt', truth.call.connected, truth.call.end, [])]))[0].ok, false);
});

test('two browsers: the freeze must be the sending peer\'s uplink issue', () => {
  const truth = truthOf('p2p-two-browsers');
  const freeze = truth.expect.find((e) => e.kind === 'freeze');
  const peers = [
    { peer_id: 'caller-peer', tracks: [{ track_id: freeze.trackId, direction: 'publisher' }] },
    { peer_id: 'callee-peer', tracks: [{ track_id: freeze.trackId, direction: 'subscriber' }] },
  ];
  const results = (i) => compare(truth, report([i], peers)).find((r) => r.kind === 'freeze');
  assert.equal(results(issueFor(freeze, { peer_id: 'caller-peer', direction: 'uplink' })).ok, true);
  assert.equal(results(issueFor(freeze, { peer_id: 'callee-peer', direction: 'downlink' })).ok, false);
  // The callee's clean video to the caller: a freeze on it is a failure.
  const nothing = truth.expect.find((e) => e.kind === 'nothing');
  const wrong = issue('video_freeze', truth.call.connected, truth.call.end, [nothing.trackId]);
  assert.equal(compare(truth, report([wrong], peers)).find((r) => r.kind === 'nothing').ok, false);
});

test('every other scenario: the window follows the truth times', () => {
  for (const name of ['bandwidth', 'connection-failure', 'ice-restart', 'gum-failure', 'audio-drop', 'video-stall', 'scale-down', 'signalling-errors', 'jitter-buffer']) {
    const truth = truthOf(name);
    const good = truth.expect.map((e) => issueFor(e));
    assert.ok(compare(truth, report(good)).every((r) => r.ok), name);
    const early = good.map((i) => ({ ...i, start_ms: i.start_ms - 60000 }));
    const checked = compare(truth, report(early)).filter((r) => !r.pending);
    assert.ok(checked.every((r) => !r.ok), `${name}: a minute early must fail`);
  }
});

test('video-stall: the sender stopped on purpose, so the pause must be info', () => {
  const truth = truthOf('video-stall');
  const [stall] = truth.expect;
  assert.equal(compare(truth, report([issueFor(stall)]))[0].ok, true);
  assert.equal(compare(truth, report([issueFor(stall, { severity: 'warning' })]))[0].ok, false);
});

test('unexplained: the serious issues no expectation accounts for', () => {
  const truth = truthOf('freeze');
  const [a, b] = truth.expect;
  const extra = issue('high_rtt', a.from, a.to, []);
  const quiet = issue('high_rtt', a.from, a.to, [], { severity: 'info' });
  assert.deepEqual(unexplained(truth, report([issueFor(a), issueFor(b), extra, quiet])), [extra]);
});
