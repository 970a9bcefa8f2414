// The dump generator (scripts/gen/dumps.mjs) against the real recordings in
// tests/data/dumps/ (Chromium 156): the same top-level layout, the same stats
// types, the property names of each type (and kind) a subset of the recorded
// ones, and the engine (build/native/callsight) reads what it writes.
//   node --test tests/gen/     (tests/gen/run.sh)
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import zlib from 'node:zlib';

import { rtcstatsDump, webrtcInternalsDump } from '../../scripts/gen/dumps.mjs';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const RECORDED = path.join(ROOT, 'tests/data/dumps');
const CLI = process.env.CALLSIGHT_BIN ?? path.join(ROOT, 'build/native/callsight');
const SMALL = { seed: 5, connections: 2, received: 6, sent: 2, samples: 40 };

/** Every recorded dump of one kind, parsed: [{ name, text }]. */
function recorded(file) {
  const out = [];
  const walk = (dir) => {
    for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
      const p = path.join(dir, e.name);
      if (e.isDirectory()) walk(p);
      else if (e.name === file) out.push({ name: path.relative(RECORDED, p), text: zlib.gunzipSync(fs.readFileSync(p)).toString('utf8') });
    }
  };
  walk(RECORDED);
  assert.ok(out.length >= 5, `recordings of ${file} under ${RECORDED}`);
  return out;
}

const typeKey = (o) => `${o.type}${o.kind ? `/${o.kind}` : ''}`;

/** statsType(/kind) -> Set of property names, from webrtc-internals series keys. */
function internalsProps(dump) {
  const props = new Map();
  for (const pc of Object.values(dump.PeerConnections)) {
    const kinds = new Map(); // stats id -> kind
    for (const [key, s] of Object.entries(pc.stats)) {
      if (key.endsWith('-kind')) kinds.set(key.slice(0, -5), JSON.parse(s.values)[0]);
    }
    for (const [key, s] of Object.entries(pc.stats)) {
      // A stats id may hold '-' (never does in Chromium's ids); a property never
      // starts with one, so the id ends at the first '-' followed by a property.
      const id = [...kinds.keys()].find((k) => key.startsWith(`${k}-`)) ?? key.slice(0, key.indexOf('-'));
      const t = typeKey({ type: s.statsType, kind: kinds.get(id) });
      if (!props.has(t)) props.set(t, new Set());
      props.get(t).add(key.slice(id.length + 1));
    }
  }
  return props;
}

/** statsType(/kind) -> Set of property names, from rtcstats getStats lines. */
function rtcstatsProps(lines) {
  const props = new Map();
  for (const l of lines) {
    if (l[0] !== 'getStats') continue;
    for (const o of Object.values(l[2])) {
      const t = typeKey(o);
      if (!props.has(t)) props.set(t, new Set());
      for (const k of Object.keys(o)) props.get(t).add(k);
    }
  }
  return props;
}

function union(maps) {
  const out = new Map();
  for (const m of maps) for (const [t, set] of m) out.set(t, new Set([...(out.get(t) ?? []), ...set]));
  return out;
}

/** The generated types and properties are recorded ones; the main types are all there. */
function assertSubset(generated, recordedUnion, label) {
  for (const [t, set] of generated) {
    assert.ok(recordedUnion.has(t), `${label}: stats type ${t} is in no recording`);
    const extra = [...set].filter((p) => !recordedUnion.get(t).has(p));
    assert.deepEqual(extra, [], `${label}: ${t} properties no recording has`);
  }
  for (const t of ['outbound-rtp/audio', 'outbound-rtp/video', 'inbound-rtp/audio', 'inbound-rtp/video', 'remote-inbound-rtp/audio',
    'remote-inbound-rtp/video', 'candidate-pair', 'transport', 'media-source/audio', 'media-source/video']) {
    assert.ok(generated.has(t), `${label}: no ${t}`);
  }
}

function parseRtcstats(text) {
  const lines = text.split('\n').filter((l) => l);
  assert.equal(lines[0], 'RTCStatsDump');
  assert.deepEqual(JSON.parse(lines[1]), { fileFormat: 3 });
  return lines.slice(2).map((l) => JSON.parse(l));
}

function analyze(file) {
  const r = spawnSync(CLI, ['analyze', '--format', 'json', file], { encoding: 'utf8', maxBuffer: 1 << 28 });
  assert.equal(r.status, 0, `callsight analyze ${path.basename(file)} exited ${r.status}: ${r.stderr}`);
  return JSON.parse(r.stdout);
}

/** The report's tracks of each direction, as "kind" lists. */
function tracksOf(report) {
  const tracks = (report.sessions ?? []).flatMap((s) => s.peers ?? []).flatMap((p) => p.tracks ?? []);
  const of = (direction) => tracks.filter((t) => t.direction === direction).map((t) => t.kind).sort();
  return { publisher: of('publisher'), subscriber: of('subscriber'), all: tracks };
}
const kinds = (n) => Array.from({ length: n }, (_, i) => (i % 2 ? 'video' : 'audio')).sort();

test('webrtc-internals: the recorded layout, stats types and property names', () => {
  const rec = recorded('webrtc-internals.json.gz').map((r) => ({ ...r, dump: JSON.parse(r.text) }));
  const gen = JSON.parse(webrtcInternalsDump(SMALL));
  const recTop = new Set(rec.flatMap((r) => Object.keys(r.dump)));
  assert.deepEqual(Object.keys(gen).sort(), [...recTop].sort(), 'top-level keys');
  const recConnKeys = new Set(rec.flatMap((r) => Object.values(r.dump.PeerConnections).flatMap((pc) => Object.keys(pc))));
  assert.equal(Object.keys(gen.PeerConnections).length, SMALL.connections);
  for (const [id, pc] of Object.entries(gen.PeerConnections)) {
    assert.match(id, /^\d+-\d+$/);
    assert.deepEqual(Object.keys(pc).filter((k) => !recConnKeys.has(k)), [], `connection ${id} keys`);
    for (const u of pc.updateLog) {
      assert.deepEqual(Object.keys(u).sort(), ['timestamp', 'type', 'value']);
      assert.equal(typeof u.value, 'string');
    }
    const recTypes = new Set(rec.flatMap((r) => Object.values(r.dump.PeerConnections).flatMap((p) => p.updateLog.map((u) => u.type))));
    assert.deepEqual(pc.updateLog.map((u) => u.type).filter((t) => !recTypes.has(t)), [], 'update log types');
    for (const [key, s] of Object.entries(pc.stats)) {
      assert.deepEqual(Object.keys(s).sort(), ['endTime', 'startTime', 'statsType', 'values'], key);
      assert.match(s.startTime, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
      const values = JSON.parse(s.values);
      assert.equal(values.length, SMALL.samples, `${key}: one value per sample`);
    }
    // Chrome 117+: every stats object has its -timestamp series, increasing.
    const ts = JSON.parse(pc.stats['T01-timestamp'].values);
    assert.ok(ts.every((t, i) => i === 0 || t > ts[i - 1]), 'timestamps increase');
  }
  assertSubset(internalsProps(gen), union(rec.map((r) => internalsProps(r.dump))), 'webrtc-internals');
});

test('rtcstats: file format 3, the recorded methods, stats types and property names', () => {
  const rec = recorded('rtcstats.gz').map((r) => ({ ...r, lines: parseRtcstats(r.text) }));
  const lines = parseRtcstats(rtcstatsDump(SMALL));
  const recMethods = new Set(rec.flatMap((r) => r.lines.map((l) => l[0])));
  assert.deepEqual([...new Set(lines.map((l) => l[0]))].filter((m) => !recMethods.has(m)), [], 'methods');
  for (const l of lines) assert.equal(typeof l.at(-1), 'number', 'the last element is a time');
  assert.ok(lines[0].at(-1) > 1.7e12, 'the first line has a Unix time in ms');
  assert.ok(lines.slice(1).every((l) => l.at(-1) >= 0 && l.at(-1) < 60000), 'then the ms since the previous line');
  const stats = lines.filter((l) => l[0] === 'getStats');
  assert.equal(stats.length, SMALL.connections * SMALL.samples);
  assertSubset(rtcstatsProps(lines), union(rec.map((r) => rtcstatsProps(r.lines))), 'rtcstats');
});

test('the generator is deterministic: same seed, same bytes; another seed, other values', () => {
  assert.equal(webrtcInternalsDump(SMALL), webrtcInternalsDump(SMALL));
  assert.equal(rtcstatsDump(SMALL), rtcstatsDump(SMALL));
  assert.notEqual(rtcstatsDump(SMALL), rtcstatsDump({ ...SMALL, seed: 6 }));
});

test('the engine reads the generated dumps: status ok, every track', { skip: !fs.existsSync(CLI) && `${CLI} is not built` }, () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'callsight-gen-dumps-'));
  try {
    const spec = { ...SMALL, samples: 120 };
    const files = {
      'webrtc-internals.json': webrtcInternalsDump(spec),
      'webrtc-internals.json.gz': zlib.gzipSync(webrtcInternalsDump(spec)),
      'rtcstats.txt': rtcstatsDump(spec),
    };
    for (const [name, data] of Object.entries(files)) {
      const file = path.join(dir, name);
      fs.writeFileSync(file, data);
      const report = analyze(file);
      assert.deepEqual(report.inputs.map((i) => i.status), ['ok'], `${name}: ${JSON.stringify(report.inputs)}`);
      // One browser: its sent tracks and the received ones, each once.
      assert.equal(report.sessions.length, 1, name);
      assert.equal(report.sessions[0].peers.length, 1, name);
      const { publisher, subscriber, all } = tracksOf(report);
      assert.equal(all.length, spec.sent + spec.received, `${name}: tracks`);
      assert.deepEqual(publisher, kinds(spec.sent), `${name}: sent tracks`);
      assert.deepEqual(subscriber, kinds(spec.received), `${name}: received tracks`);
    }
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});
