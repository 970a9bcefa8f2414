// engine.series(): chart points as Float64Arrays, downsampled in C++ keeping spikes.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';

import { installPackage } from './helpers.mjs';

let pkg;
let callsight;
let engine;

const SESSION = 'sess-series';
const PEER = 'peer-a';
const TRACK = 'audio-1';
const KEY = `publisher/${TRACK}/`;
const N = 1000;
const T0 = 1714644000000;
const SPIKE_AT = 617;

/** One peer-stats document: N audio samples, 10 s apart, RTT 40 ms with one spike of 900 ms. */
function peerStats() {
  const timestamps = [];
  const rtt = [];
  const loss = [];
  const bitrate = [];
  const jitter = [];
  for (let i = 0; i < N; i++) {
    timestamps.push(T0 + i * 10000);
    rtt.push(i === SPIKE_AT ? 900 : 40 + (i % 7));
    loss.push(0.1);
    bitrate.push(32000 + (i % 5) * 100);
    jitter.push(3);
  }
  return JSON.stringify({
    peer_id: PEER, session_id: SESSION, room_id: 'room-1',
    publisher: {
      video: [],
      audio: [{ track_id: TRACK, time_series: { timestamps, bitrate, packet_loss_percent: loss, rtt_ms: rtt, jitter_ms: jitter } }],
    },
    subscriber: { video: [], audio: [] },
  });
}

before(async () => {
  pkg = installPackage();
  callsight = await pkg.importPackage('callsight');
  engine = await callsight.createEngine();
  await engine.analyze([{ name: 'peer-stats.json', data: peerStats() }]);
});
after(() => {
  engine?.dispose();
  pkg?.remove();
});

describe('series', () => {
  test('the report names the track by its key', async () => {
    const report = await engine.analyze([{ name: 'peer-stats.json', data: peerStats() }]);
    const track = report.sessions[0].peers[0].tracks[0];
    assert.equal(track.key, KEY);
    assert.equal(track.samples, N);
  });

  test('all points without maxPoints, as Float64Arrays', () => {
    const s = engine.series(SESSION, PEER, KEY, 'rtt_ms');
    assert.ok(s.t instanceof Float64Array);
    assert.ok(s.values instanceof Float64Array);
    assert.equal(s.t.length, N);
    assert.equal(s.values.length, N);
    assert.equal(s.t[0], T0);
    assert.equal(s.t[N - 1], T0 + (N - 1) * 10000);
    assert.equal(s.values[SPIKE_AT], 900);
  });

  test('downsampled to at most maxPoints, in time order, keeping the spike', () => {
    for (const maxPoints of [2, 3, 10, 100, 999]) {
      const s = engine.series(SESSION, PEER, KEY, 'rtt_ms', { maxPoints });
      assert.ok(s.t.length <= maxPoints, `${s.t.length} <= ${maxPoints}`);
      assert.equal(s.t.length, s.values.length);
      assert.ok(s.t.length >= 2);
      for (let i = 1; i < s.t.length; i++) assert.ok(s.t[i] >= s.t[i - 1], 'time order');
      assert.equal(Math.max(...s.values), 900, `spike kept with maxPoints ${maxPoints}`);
      assert.equal(Math.min(...s.values), 40, `minimum kept with maxPoints ${maxPoints}`);
      assert.ok(s.t.includes(T0 + SPIKE_AT * 10000));
    }
  });

  test('derived metrics: mos, and the CQS per window', () => {
    const mos = engine.series(SESSION, PEER, KEY, 'mos', { maxPoints: 50 });
    assert.ok(mos.values.length > 0 && mos.values.length <= 50);
    for (const v of mos.values) assert.ok(Number.isNaN(v) || (v >= 1 && v <= 4.5), `mos ${v}`);
    assert.ok(Math.min(...mos.values.filter((v) => !Number.isNaN(v))) < Math.max(...mos.values), 'the RTT spike lowers the MOS');
    const cqs = engine.series(SESSION, PEER, '', 'cqs_uplink');
    assert.ok(cqs.values.length > 0);
    for (const v of cqs.values) assert.ok(Number.isNaN(v) || (v >= 0 && v <= 5), `cqs ${v}`);
  });

  test('the arrays are copies: they survive later analyses', async () => {
    const s = engine.series(SESSION, PEER, KEY, 'rtt_ms');
    const copy = Float64Array.from(s.values);
    const other = JSON.parse(peerStats());
    other.peer_id = 'peer-b';
    await engine.analyze([{ name: 'x.json', data: JSON.stringify(other) }]);
    assert.deepEqual(s.values, copy);
    // Series follow the last analysis.
    assert.throws(() => engine.series(SESSION, PEER, KEY, 'rtt_ms'), /peer-a/);
    assert.equal(engine.series(SESSION, 'peer-b', KEY, 'rtt_ms').values.length, N);
    await engine.analyze([{ name: 'peer-stats.json', data: peerStats() }]);
  });

  test('missing things throw an Error naming them', () => {
    assert.throws(() => engine.series('nope', PEER, KEY, 'rtt_ms'), /nope/);
    assert.throws(() => engine.series(SESSION, 'nobody', KEY, 'rtt_ms'), /nobody/);
    assert.throws(() => engine.series(SESSION, PEER, 'publisher/x/', 'rtt_ms'), /publisher\/x\//);
    assert.throws(() => engine.series(SESSION, PEER, KEY, 'fps'), /fps/);
    assert.throws(() => engine.series(SESSION, PEER, KEY, 'rtt_ms', { maxPoints: 1 }), RangeError);
    assert.throws(() => engine.series(SESSION, PEER, KEY, 42), TypeError);
  });

  test('series before any analysis throws', async () => {
    const fresh = await callsight.createEngine();
    assert.throws(() => fresh.series(SESSION, PEER, KEY, 'rtt_ms'), /analy/);
    fresh.dispose();
  });
});
