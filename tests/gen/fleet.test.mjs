// The fleet generator (scripts/gen/fleet.mjs): deterministic, the shape the
// brief asks for (days, rooms, 2-12 peers, 5-30 minutes, one folder per
// session), and the injected problems where fleet-truth.json says they are.
//   node --test tests/gen/     (tests/gen/run.sh)
import assert from 'node:assert/strict';
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { test } from 'node:test';

import { AGENTS, browserOf } from '../../scripts/gen/lib.mjs';
import { BAD_DAY_INDEX, FLEET_DAYS, FLEET_DAY_NAMES, fleetSessionSpec, writeFleet } from '../../scripts/gen/fleet.mjs';

const tmp = () => fs.mkdtempSync(path.join(os.tmpdir(), 'callsight-fleet-gen-'));

/** sha256 of every file under dir, by relative path. */
function digest(dir) {
  const out = {};
  const walk = (d) => {
    for (const e of fs.readdirSync(d, { withFileTypes: true })) {
      const p = path.join(d, e.name);
      if (e.isDirectory()) walk(p);
      else out[path.relative(dir, p)] = crypto.createHash('sha256').update(fs.readFileSync(p)).digest('hex');
    }
  };
  walk(dir);
  return out;
}

test('the same seed gives the same bytes, another seed other sessions', () => {
  const a = tmp(), b = tmp(), c = tmp();
  writeFleet(a, { sessions: 12, seed: 9 });
  writeFleet(b, { sessions: 12, seed: 9 });
  writeFleet(c, { sessions: 12, seed: 10 });
  assert.deepEqual(digest(a), digest(b));
  assert.notDeepEqual(Object.keys(digest(a)).sort(), Object.keys(digest(c)).sort());
  for (const d of [a, b, c]) fs.rmSync(d, { recursive: true });
});

test('one folder per session, its files carrying its ids; rooms shared; the days of the truth', () => {
  const dir = tmp();
  const truth = writeFleet(dir, { sessions: 30, seed: 3 });
  const folders = fs.readdirSync(path.join(dir, 'sessions')).sort();
  assert.equal(folders.length, 30);
  assert.equal(truth.days.length, FLEET_DAYS);
  assert.equal(truth.bad_day, truth.days[BAD_DAY_INDEX]);
  folders.forEach((f, n) => {
    const s = truth.session_list[n];
    assert.ok(f.endsWith(s.session_id), f);
    const doc = JSON.parse(fs.readFileSync(path.join(dir, 'sessions', f, 'session.json'), 'utf8'));
    assert.equal(doc.id, s.session_id);
    assert.equal(doc.room_id, s.room_id);
    assert.equal(doc.created_at.slice(0, 10), s.day);
    assert.ok(s.peers >= 2 && s.peers <= 12, `${s.peers} peer ids`);
  });
  const rooms = new Set(truth.session_list.map((s) => s.room_id));
  assert.ok(rooms.size <= 6 && rooms.size < 30, `${rooms.size} rooms`);
  fs.rmSync(dir, { recursive: true });
});

test('injected: freezes far more often on Safari, high RTT on the bad day only', () => {
  const safari = AGENTS.findIndex((a) => browserOf(a).browser === 'Safari');
  const count = { safari: [0, 0], other: [0, 0] };
  let bad = 0, badWithRtt = 0;
  for (let n = 0; n < 400; n++) {
    const { spec, day } = fleetSessionSpec(22, n, 400);
    const frozen = new Set(spec.injections.filter((x) => x.type === 'freezes').map((x) => x.peer));
    spec.peers.forEach((p, i) => {
      const c = count[p.agent === safari ? 'safari' : 'other'];
      c[0] += frozen.has(i) ? 1 : 0;
      c[1] += 1;
    });
    const rtt = spec.injections.some((x) => x.type === 'high_rtt');
    if (day !== FLEET_DAY_NAMES[BAD_DAY_INDEX]) assert.equal(rtt, false, `session ${n} (${day}) has high_rtt`);
    else badWithRtt += rtt ? 1 : 0, bad += 1;
    assert.ok(spec.minutes >= 5 && spec.minutes <= 30);
  }
  assert.ok(bad > 40 && badWithRtt / bad > 0.8, `${badWithRtt} of ${bad} bad-day sessions with high_rtt`);
  const rate = (c) => c[0] / c[1];
  assert.ok(rate(count.safari) > 0.65, `Safari ${rate(count.safari)}`);
  assert.ok(rate(count.other) < 0.25, `others ${rate(count.other)}`);
});

test('200 sessions are written in under a minute', () => {
  const dir = tmp();
  const t0 = performance.now();
  writeFleet(dir, { sessions: 200, seed: 22 });
  const s = (performance.now() - t0) / 1000;
  assert.ok(s < 60, `${s.toFixed(1)} s`);
  fs.rmSync(dir, { recursive: true });
});
