#!/usr/bin/env node
// Checks that a recording folder (tests/dumps/record.mjs) holds real dumps of
// the call its truth.json describes:
//   - both files of every dump are present and gunzip;
//   - the webrtc-internals dump is JSON with PeerConnections whose stats
//     series (the "<id>-timestamp" series) cover the call, and every
//     connection truth.json names is in it or (closed, so removed from
//     webrtc-internals) in the rtcstats dump, found by its RTP stats ids;
//   - the rtcstats dump starts with "RTCStatsDump" and a format line, every
//     line is JSON, and it has getStats lines for those connections covering
//     the call;
//   - every time in truth.json falls inside the dump's stats times, or up to
//     its last logged state change when truth.call.statsStopEarly says the
//     stats stopped before the call's end;
//   - each logged kind (getUserMedia failure, icecandidateerror, failed
//     setRemoteDescription/addIceCandidate, connection failed) has the dump's
//     own entry within 2 s of the truth's time.
//
//   node tests/dumps/verify.mjs DIR...      (exits 1 naming what is wrong)
//
// record.mjs calls verifyRecording(dir, { annotate: true }), which also writes
// into truth.json each connection's id in the dumps ("<rid>-<lid>").
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import zlib from 'node:zlib';

const DUMP_FILE = 'webrtc-internals.json.gz';
const RTCSTATS_FILE = 'rtcstats.gz';
// Stats are sampled once a second; a call's ends may fall this far from a sample.
const SAMPLE_SLACK_MS = 2500;

async function gunzipFile(file) {
  const raw = await fs.readFile(file).catch(() => {
    throw new Error(`${file}: missing`);
  });
  try {
    return zlib.gunzipSync(raw).toString('utf8');
  } catch (e) {
    throw new Error(`${file}: not gzip (${e.message})`);
  }
}

/** The webrtc-internals dump's connections with the time range of their stats. */
export function readInternalsDump(text, file) {
  let dump;
  try {
    dump = JSON.parse(text);
  } catch (e) {
    throw new Error(`${file}: not JSON (${e.message})`);
  }
  const pcs = dump.PeerConnections;
  if (!pcs || typeof pcs !== 'object' || !Object.keys(pcs).length) throw new Error(`${file}: no PeerConnections`);
  const connections = {};
  for (const [id, pc] of Object.entries(pcs)) {
    let first = Infinity;
    let last = -Infinity;
    for (const [key, series] of Object.entries(pc.stats ?? {})) {
      if (!key.endsWith('-timestamp')) continue;
      for (const t of JSON.parse(series.values)) {
        first = Math.min(first, t);
        last = Math.max(last, t);
      }
    }
    connections[id] = { first, last, statsKeys: new Set(Object.keys(pc.stats ?? {})) };
  }
  return { dump, connections };
}

/**
 * The rtcstats dump (file format 3): per connection id, the stats ids its
 * getStats lines name and the time of its first and last one. A line's last
 * element is the time since the previous line (ms); the first line's is a
 * Unix time.
 */
export function readRtcstatsDump(text, file) {
  const lines = text.split('\n').filter((l) => l.length);
  if (lines[0] !== 'RTCStatsDump') throw new Error(`${file}: first line is not RTCStatsDump`);
  let meta;
  try {
    meta = JSON.parse(lines[1]);
  } catch {
    throw new Error(`${file}: line 2 is not the JSON metadata line`);
  }
  const getstats = {};
  const times = {};
  let now = null;
  for (let i = 2; i < lines.length; i++) {
    let entry;
    try {
      entry = JSON.parse(lines[i]);
    } catch (e) {
      throw new Error(`${file}:${i + 1}: not JSON (${e.message})`);
    }
    if (!Array.isArray(entry) || typeof entry.at(-1) !== 'number') throw new Error(`${file}:${i + 1}: not an array ending in a time`);
    now = now === null ? entry.at(-1) : now + entry.at(-1);
    if (entry[0] === 'getStats') {
      const ids = (getstats[entry[1]] ??= new Set());
      for (const id of Object.keys(entry[2] ?? {})) ids.add(id);
      const span = (times[entry[1]] ??= { first: now, last: now });
      span.last = now;
    }
  }
  return { meta, lines: lines.length, getstats, times };
}

/**
 * Every Unix-ms time truth.json states for injections and expectations, but
 * a getUserMedia call and the logged kinds (checked against the dump's own
 * entries: they may come before the stats start).
 */
function truthTimes(truth) {
  const times = [];
  for (const e of [...truth.injected, ...truth.expect]) {
    if (e.kind === 'gum-failure' || e.kind === 'ice-server-error' || /getUserMedia/.test(e.action ?? '')) continue;
    for (const k of ['from', 'to', 'at', 'negotiated', 'disconnectedAt']) {
      if (typeof e[k] === 'number') times.push({ what: `${e.kind ?? e.action} ${k}`, t: e[k] });
    }
  }
  return times;
}

/**
 * Which connection ("<rid>-<lid>") holds each of the truth's connections, by
 * their RTP stats ids: in the webrtc-internals dump, else only in the rtcstats
 * dump (Chromium removes a closed connection from webrtc-internals).
 */
function matchConnections(truth, internals, rtcstats) {
  const found = {};
  for (const [name, conn] of Object.entries(truth.connections)) {
    const ids = conn.rtp.map((r) => r.id);
    if (!ids.length) continue;
    const hit = Object.entries(internals.connections).find(([, c]) => ids.every((id) => c.statsKeys.has(`${id}-ssrc`)));
    if (hit) {
      found[name] = { id: hit[0], inInternals: true };
      continue;
    }
    const only = Object.entries(rtcstats.getstats).find(([, set]) => ids.every((id) => set.has(id)));
    if (only) found[name] = { id: only[0], inInternals: false };
  }
  return found;
}

/** The latest updateLog time of the dump's connections (state changes after stats stop). */
function lastEventTime(internals) {
  let last = -Infinity;
  for (const pc of Object.values(internals.dump.PeerConnections)) {
    for (const e of pc.updateLog ?? []) if (typeof e.timestamp === 'number') last = Math.max(last, e.timestamp);
  }
  return last;
}

/**
 * Truth kinds that are logged events, not stats: where the dump logs each
 * (getUserMedia entries, or a connection's updateLog type and value), so the
 * truth's `at` is checked against the dump's own entry instead of stats times.
 */
const LOGGED_KINDS = {
  'gum-failure': { getUserMedia: (g) => g.error !== undefined },
  'ice-server-error': { type: 'onicecandidateerror' },
  'sdp-error': { type: 'setRemoteDescriptionOnFailure' },
  'ice-candidate-error': { type: 'addIceCandidateFailed' },
  'connection-failed': { type: 'onconnectionstatechange', value: '"failed"' },
};
const LOG_SLACK_MS = 2000;

/** kind -> the times the dump logged an entry of that kind. */
function loggedTimes(internals) {
  const out = {};
  for (const [kind, rule] of Object.entries(LOGGED_KINDS)) {
    const times = (out[kind] = []);
    if (rule.getUserMedia) {
      for (const g of internals.dump.getUserMedia ?? []) if (rule.getUserMedia(g)) times.push(g.timestamp);
      continue;
    }
    for (const pc of Object.values(internals.dump.PeerConnections)) {
      for (const e of pc.updateLog ?? []) {
        if (e.type === rule.type && (rule.value === undefined || e.value === rule.value)) times.push(e.timestamp);
      }
    }
  }
  return out;
}

function checkLogged(truth, logged, dir) {
  for (const e of truth.expect.filter((x) => x.kind in LOGGED_KINDS)) {
    const times = logged[e.kind];
    if (!times.length) throw new Error(`${dir}: the dumps log no ${e.kind} entry for the truth's ${e.at}`);
    if (!times.some((t) => Math.abs(t - e.at) <= LOG_SLACK_MS)) {
      throw new Error(`${dir}: the dumps' ${e.kind} entries (${times.join(', ')}) are not within 2 s of the truth's ${e.at}`);
    }
  }
}

function checkCoverage(truth, first, last, what) {
  const covered = truth.call.statsStopEarly ? true : last >= truth.call.end - SAMPLE_SLACK_MS;
  if (first > truth.call.connected + SAMPLE_SLACK_MS || !covered) {
    throw new Error(`${what} ${first}..${last} do not cover the call ${truth.call.connected}..${truth.call.end}`);
  }
}

async function verifyDump(dir, sub, truth) {
  const where = path.join(dir, sub);
  const internals = readInternalsDump(await gunzipFile(path.join(where, DUMP_FILE)), path.join(where, DUMP_FILE));
  const rtcstats = readRtcstatsDump(await gunzipFile(path.join(where, RTCSTATS_FILE)), path.join(where, RTCSTATS_FILE));
  const matched = matchConnections(truth, internals, rtcstats);
  if (!Object.values(matched).some((m) => m.inInternals)) throw new Error(`${where}: no connection of truth.json is in the webrtc-internals dump`);
  let first = Infinity;
  let last = -Infinity;
  for (const [name, { id, inInternals }] of Object.entries(matched)) {
    if (!rtcstats.getstats[id]) throw new Error(`${where}: the rtcstats dump has no getStats line for ${id} (${name})`);
    if (!inInternals) continue;
    const c = internals.connections[id];
    if (!(c.last > c.first)) throw new Error(`${where}: connection ${id} (${name}) has no stats series`);
    first = Math.min(first, c.first);
    last = Math.max(last, c.last);
  }
  checkCoverage(truth, first, last, `${where}: stats`);
  const inRtcstats = Object.values(matched).map((m) => rtcstats.times[m.id]);
  const rtcFirst = Math.min(...inRtcstats.map((s) => s.first));
  const rtcLast = Math.max(...inRtcstats.map((s) => s.last));
  checkCoverage(truth, rtcFirst, rtcLast, `${where}: rtcstats getStats lines`);
  return { matched, first, last, lastEvent: Math.max(last, lastEventTime(internals)), logged: loggedTimes(internals) };
}

/** Verifies one recording folder; with annotate, writes the dump ids into truth.json. */
export async function verifyRecording(dir, { annotate = false } = {}) {
  const truthFile = path.join(dir, 'truth.json');
  const truth = JSON.parse(await fs.readFile(truthFile, 'utf8'));
  let first = Infinity;
  let last = -Infinity;
  const seen = {};
  const logged = Object.fromEntries(Object.keys(LOGGED_KINDS).map((k) => [k, []]));
  for (const [sub, info] of Object.entries(truth.dumps)) {
    const r = await verifyDump(dir, sub, truth);
    for (const [kind, times] of Object.entries(r.logged)) logged[kind].push(...times);
    first = Math.min(first, r.first);
    last = Math.max(last, r.lastEvent);
    for (const [name, m] of Object.entries(r.matched)) seen[name] = { dump: sub, ...m };
    info.statsFrom = r.first;
    info.statsTo = r.last;
  }
  for (const name of Object.keys(truth.connections)) {
    if (!seen[name]) throw new Error(`${dir}: connection ${name} of truth.json is in no dump`);
    truth.connections[name].dumpConnection = seen[name];
  }
  checkLogged(truth, logged, dir);
  for (const { what, t } of truthTimes(truth)) {
    if (t < first || t > last) throw new Error(`${dir}: truth time ${what} = ${t} is outside the dumps' stats ${first}..${last}`);
  }
  if (annotate) await fs.writeFile(truthFile, JSON.stringify(truth, null, 2) + '\n');
  return truth;
}

async function main() {
  const dirs = process.argv.slice(2);
  if (!dirs.length) throw new Error('usage: node tests/dumps/verify.mjs DIR...');
  for (const dir of dirs) {
    await verifyRecording(dir);
    console.log(`${dir}: real dumps, truth inside their stats`);
  }
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  main().catch((e) => {
    console.error(`verify.mjs: ${e.message}`);
    process.exit(1);
  });
}
