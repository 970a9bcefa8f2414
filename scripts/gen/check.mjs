#!/usr/bin/env node
// Self-check of generated sessions against their truth.json. Exits 1 on any failure.
//
//   node scripts/gen/check.mjs              generate every fixture into a temp dir, check them all,
//                                           check determinism and the committed samples/sample-session
//   node scripts/gen/check.mjs DIR...       check DIR (holding input/ and truth.json) or every such
//                                           subfolder of DIR (e.g. the output of fixtures.mjs)
//   node scripts/gen/check.mjs --bench      also generate and check the bench scenario (40 x 60 min), timed
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { performance } from 'node:perf_hooks';
import { DELIVERY_FAILED, DELIVERY_SUCCESS, DETECTION_SCENARIOS, ERROR_SHAPES, FIXTURE_SCENARIOS, NOT_SET, SESSIONLESS_TYPES, THRESHOLDS as T, browserOf,
  computeMeetings, generateSession, parseRfc3339, scenarioSpec, streamSession, writeSession } from './lib.mjs';
import { writeFixtures } from './fixtures.mjs';

const HERE = path.dirname(fileURLToPath(import.meta.url));
const REPO = path.resolve(HERE, '..', '..');

// "Comfortable" limits every sample not inside an injection window must respect.
const COMFORT = { loss: 1, rtt: 200, jitter: 15, audio_bitrate: 27000, video_total: 400000, fps_top: 24, screen_fps: 4,
  sub_fps: 20, sub_video_bitrate: 300000, conceal: 0.01 };

// Received audio whose effective loss (the higher of loss and concealment, in %) is at least this has an
// E-model MOS below 3.1 at any delay (the engine's AudioMos, Opus: 3.04 at RTT 20 ms and jitter 2 ms, the best
// the generator writes; lower with more delay). Lower losses may be below 3.1 too, with enough delay: this
// is a sufficient condition, used to find the low_received_audio_mos breaches the data certainly has.
const MOS_LOSS = 13.5;
// Issue 19 item 6 (provisional): a sender's camera total below this share of its own median is a collapse...
const COLLAPSE_RATIO = 1 / 3;
// ...and breaches of these codes start a session_degradation of each family, within this span.
const DEGRADATION_FAMILY = { loss: ['high_packet_loss'], delay: ['high_rtt', 'high_jitter'], video_quality: ['low_fps', 'low_video_bitrate', 'video_freeze'],
  audio: ['audio_concealment', 'low_received_audio_mos'] };
const DEGRADATION_SPAN_MS = 60000;

/**
 * The first run of >= 3 rejoins within 10 minutes in a rejoin_cycles entry (issue 19 item 6), computed here
 * independently of the generator: {start_ms: first drop, end_ms: last return, cycles}, or null.
 */
function rejoinRun(c) {
  const d = c.disconnect_ms, r = c.rejoin_ms ?? [];
  const fits = (i, j) => j < r.length && r[j] - d[i] <= 600000;
  const i = d.findIndex((_, n) => fits(n, n + 2));
  if (i < 0) return null;
  let j = i + 2;
  while (fits(j - 1, j + 1)) j++;
  return { start_ms: d[i], end_ms: r[j], cycles: j - i + 1 };
}

const median = (xs) => { const a = [...xs].sort((x, y) => x - y); const n = a.length; return n ? (n % 2 ? a[(n - 1) / 2] : (a[n / 2 - 1] + a[n / 2]) / 2) : NaN; };
/** The index of the timestamp in ts nearest to t and at most tol away, or -1. */
const nearest = (ts, t, tol) => {
  let lo = 0, hi = ts.length;
  while (lo < hi) { const mid = (lo + hi) >> 1; if (ts[mid] < t) lo = mid + 1; else hi = mid; }
  const c = [lo - 1, lo].filter((i) => i >= 0 && i < ts.length && Math.abs(ts[i] - t) <= tol);
  return c.length ? c.reduce((a, b) => (Math.abs(ts[a] - t) <= Math.abs(ts[b] - t) ? a : b)) : -1;
};

const decimals = (x) => { const s = String(x); const i = s.indexOf('.'); return i < 0 ? 0 : s.length - i - 1; };

const PUB_VIDEO_KEYS = ['timestamps', 'bitrate', 'fps', 'packet_loss_percent', 'rtt_ms'];
const PUB_AUDIO_KEYS = ['timestamps', 'bitrate', 'packet_loss_percent', 'rtt_ms', 'jitter_ms'];
const SUB_VIDEO_KEYS = ['timestamps', 'bitrate', 'fps', 'freeze_count'];
const SUB_AUDIO_KEYS = ['timestamps', 'bitrate', 'concealed_samples', 'packet_loss_percent'];

/** Checks one scenario. Returns { errors: [...], info: {...} }. */
export function checkScenario(inputDir, truthPath) {
  const errors = [];
  const err = (m) => { if (errors.length < 200) errors.push(m); };
  let truth;
  try { truth = JSON.parse(fs.readFileSync(truthPath, 'utf8')); } catch (e) { return { errors: [`${truthPath}: ${e.message}`], info: {} }; }
  if (path.resolve(path.dirname(truthPath)).startsWith(path.resolve(inputDir) + path.sep)) err('truth.json lies inside the input folder');
  const tol = truth.spacing_ms + 3000;

  // ---- parse and classify every document
  const docs = { stats: [], session: [], pages: [], hooks: [], history: [] };
  let bytes = 0;
  const files = fs.readdirSync(inputDir).sort();
  for (const f of files) {
    const p = path.join(inputDir, f);
    const text = fs.readFileSync(p, 'utf8');
    bytes += Buffer.byteLength(text);
    let items = [];
    try {
      if (f.endsWith('.ndjson')) items = text.split('\n').filter((l) => l.trim()).map((l, i) => { try { return JSON.parse(l); } catch (e) { throw new Error(`line ${i + 1}: ${e.message}`); } });
      else { const v = JSON.parse(text); items = Array.isArray(v) ? v : [v]; }
    } catch (e) { err(`${f}: does not parse: ${e.message}`); continue; }
    items.forEach((d, i) => {
      const where = items.length > 1 ? `${f}[${i}]` : f;
      if (d && d.peer_id && d.publisher && d.subscriber) docs.stats.push({ where, d });
      else if (d && Array.isArray(d.events) && d.pagination) docs.history.push({ where, d, file: f });
      else if (d && Array.isArray(d.events)) docs.pages.push({ where, d, file: f });
      else if (d && d.id && d.room_id && d.peers) docs.session.push({ where, d });
      else if (d && d.version && d.type && d.data) docs.hooks.push({ where, d });
      else err(`${where}: unknown document kind`);
    });
  }

  const truthPeers = new Map(truth.peers.map((p) => [p.peer_id, p]));
  const joined = truth.peers.filter((p) => p.joined);
  // presence intervals: ordered, disjoint, first join / last leave = joined_ms / left_ms
  const present = (p, t) => p.presence.some((v) => t > v.joined_ms && t <= v.left_ms);
  for (const p of truth.peers) {
    const v = p.presence;
    if (!Array.isArray(v) || (p.joined ? !v.length : v.length)) { err(`peer ${p.name}: bad presence list`); p.presence = []; continue; }
    if (!p.joined) continue;
    if (v[0].joined_ms !== p.joined_ms || v[v.length - 1].left_ms !== p.left_ms || v[v.length - 1].end_reason !== p.end_reason)
      err(`peer ${p.name}: joined_ms/left_ms/end_reason are not the first join / last leave of presence`);
    v.forEach((x, i) => { if (!(x.joined_ms < x.left_ms) || (i && !(v[i - 1].left_ms < x.joined_ms))) err(`peer ${p.name}: presence intervals overlap or are empty`); });
  }

  // ---- peer-stats structure
  const byPeer = new Map();
  const trackOwner = new Map(); // track_id -> peer_id
  for (const { where, d } of docs.stats) {
    if (byPeer.has(d.peer_id)) err(`${where}: duplicate peer-stats for ${d.peer_id}`);
    byPeer.set(d.peer_id, d);
    if (d.session_id !== truth.session_id) err(`${where}: session_id ${d.session_id} != truth ${truth.session_id}`);
    if (d.room_id !== truth.room_id) err(`${where}: room_id mismatch`);
    const tp = truthPeers.get(d.peer_id);
    if (!tp || !tp.joined) { err(`${where}: peer ${d.peer_id} not a joined peer in truth`); continue; }
    const sections = [['publisher', 'video', PUB_VIDEO_KEYS], ['publisher', 'audio', PUB_AUDIO_KEYS], ['subscriber', 'video', SUB_VIDEO_KEYS], ['subscriber', 'audio', SUB_AUDIO_KEYS]];
    for (const [dir, kind, keys] of sections) {
      const arr = d[dir]?.[kind];
      if (!Array.isArray(arr)) { err(`${where}: /${dir}/${kind} is not an array`); continue; }
      arr.forEach((tr, ti) => {
        const loc = `${where} /${dir}/${kind}/${ti}`;
        if (typeof tr.track_id !== 'string') err(`${loc}: no track_id`);
        if (kind === 'video' && !['regular', 'screen'].includes(tr.type)) err(`${loc}: bad type ${tr.type}`);
        if (dir === 'publisher' && kind === 'video' && !(tr.type === 'screen' ? tr.rid === null : ['h', 'm', 'l'].includes(tr.rid))) err(`${loc}: bad rid ${tr.rid}`);
        const ts = tr.time_series || {};
        const n = ts.timestamps?.length;
        if (!n) err(`${loc}: empty time series`);
        for (const k of keys) {
          if (!Array.isArray(ts[k])) { err(`${loc}/time_series/${k}: missing`); continue; }
          if (ts[k].length !== n) err(`${loc}/time_series/${k}: length ${ts[k].length} != timestamps ${n}`);
          ts[k].forEach((v, i) => {
            if (v === null && k === 'bitrate' && dir === 'subscriber') return;
            if (typeof v !== 'number' || !Number.isFinite(v) || v < 0) { err(`${loc}/time_series/${k}/${i}: bad value ${v}`); return; }
            if (['timestamps', 'bitrate', 'rtt_ms', 'freeze_count', 'concealed_samples'].includes(k) && !Number.isInteger(v)) err(`${loc}/time_series/${k}/${i}: not an integer: ${v}`);
            if (k === 'packet_loss_percent' && decimals(v) > 2) err(`${loc}/time_series/${k}/${i}: more than 2 decimals: ${v}`);
            if ((k === 'fps' || k === 'jitter_ms') && decimals(v) > 1) err(`${loc}/time_series/${k}/${i}: more than 1 decimal: ${v}`);
          });
        }
        for (let i = 1; i < n; i++) if (!(ts.timestamps[i] > ts.timestamps[i - 1])) { err(`${loc}: timestamps not strictly increasing at ${i}`); break; }
        if (ts.timestamps.some((t) => !present(tp, t))) err(`${loc}: samples outside the peer's presence`);
        if (dir === 'publisher') {
          const o = trackOwner.get(tr.track_id);
          if (o && o !== d.peer_id) err(`${loc}: track ${tr.track_id} published by two peers`);
          trackOwner.set(tr.track_id, d.peer_id);
        }
      });
    }
    // simulcast layers of one track share timestamps
    const groups = new Map();
    for (const tr of d.publisher.video) if (tr.type === 'regular') (groups.get(tr.track_id) ?? groups.set(tr.track_id, []).get(tr.track_id)).push(tr);
    for (const [id, ls] of groups) {
      if (ls.length !== 3 || new Set(ls.map((x) => x.rid)).size !== 3) err(`${where}: track ${id} does not have exactly the h/m/l layers`);
      if (ls.some((x) => JSON.stringify(x.time_series.timestamps) !== JSON.stringify(ls[0].time_series.timestamps))) err(`${where}: layers of ${id} have different timestamps`);
    }
    const published = new Set([...d.publisher.video, ...d.publisher.audio].map((x) => x.track_id)).size;
    if (published !== tp.published_tracks) err(`${where}: ${published} published tracks, truth says ${tp.published_tracks}`);
    if ((published > 0) !== tp.publishes) err(`${where}: publishes mismatch`);
  }
  for (const p of joined) if (!byPeer.has(p.peer_id)) err(`no peer-stats for joined peer ${p.peer_id} (${p.name})`);
  for (const [pid, d] of byPeer) {
    for (const kind of ['video', 'audio'])
      for (const tr of d.subscriber[kind]) {
        const o = trackOwner.get(tr.track_id);
        if (!o) err(`${pid}: subscribes to unknown track ${tr.track_id}`);
        else if (o === pid) err(`${pid}: subscribes to its own track`);
        else {
          const sp = truthPeers.get(o), ts = tr.time_series.timestamps;
          if (ts[0] < sp.joined_ms - tol || ts[ts.length - 1] > sp.left_ms + tol) err(`${pid}: receives ${o}'s track outside ${o}'s presence`);
        }
      }
  }

  // ---- breaches (beyond warning thresholds) and comfort
  const expected = truth.expected_issues;
  const covers = (e, t) => t >= e.start_ms - tol && t <= e.end_ms + tol;
  const expOn = (peer, dir) => expected.filter((e) => e.peer_id === peer && e.direction === dir && e.start_ms != null);
  const SENDER_FAMILY = { high_packet_loss: ['high_packet_loss'], audio_concealment: ['high_packet_loss'], video_freeze: ['high_packet_loss'],
    low_video_bitrate: ['low_video_bitrate', 'simulcast_layer_off', 'bitrate_collapse'], low_fps: ['low_fps', 'simulcast_layer_off', 'low_video_bitrate', 'low_received_fps'],
    low_received_audio_mos: ['high_packet_loss'] };
  const RECEIVER_FAMILY = { high_packet_loss: ['high_packet_loss'], audio_concealment: ['audio_concealment', 'high_packet_loss'], video_freeze: ['video_freeze'],
    low_fps: ['low_fps', 'low_received_fps', 'nothing_received'], low_video_bitrate: ['low_video_bitrate', 'nothing_received'],
    low_received_audio_mos: ['low_received_audio_mos', 'high_packet_loss', 'audio_concealment'] };
  // an uplink breach explained by another code of the same sender (the layer off first halves the total)
  const UPLINK_FAMILY = { bitrate_collapse: ['bitrate_collapse', 'simulcast_layer_off', 'low_video_bitrate'] };
  // session-level expected issues (peer_id ""): their peers' breaches in their window are theirs
  const sessionWide = expected.filter((e) => e.peer_id === '' && Array.isArray(e.peers));
  const inSessionIssue = (peer, t) => sessionWide.some((e) => e.peers.includes(peer) && covers(e, t));
  // camera totals each sender sent, by track id: a receiver's empty track is "nothing received" only while it sends
  const sentVideo = new Map();
  for (const [, d] of byPeer) {
    const layers = d.publisher.video.filter((v) => v.type === 'regular');
    for (const v of layers) {
      const e = sentVideo.get(v.track_id) ?? sentVideo.set(v.track_id, { ts: v.time_series.timestamps, total: v.time_series.bitrate.map(() => 0) }).get(v.track_id);
      v.time_series.bitrate.forEach((b, i) => (e.total[i] += b));
    }
  }
  const sendsAt = (track, t) => { const e = sentVideo.get(track); const i = e ? nearest(e.ts, t, tol) : -1; return i >= 0 && e.total[i] > 0; };
  const forbidden = truth.forbidden_issues ?? [];
  const isForbidden = (peer, dir, code) => forbidden.some((f) => f.peer_id === peer && (!f.direction || f.direction === dir) && f.codes.includes(code));
  // forbidden_issues never lists a code allowed on that peer and direction (at another time)
  const isAllowed = (peer, dir, code) => (truth.allowed_issues ?? []).some((f) => f.peer_id === peer && (!f.direction || f.direction === dir) && f.codes.includes(code));
  const breaches = []; // {peer, dir, code, t, track}
  const uncomfortable = [];
  const window = (ts, i) => (i > 0 ? ts[i] - ts[i - 1] : truth.spacing_ms) / 1000;
  for (const [pid, d] of byPeer) {
    const add = (dir, code, t, track) => breaches.push({ peer: pid, dir, code, t, track });
    const unc = (dir, what, t, track) => uncomfortable.push({ peer: pid, dir, what, t, track });
    for (const a of d.publisher.audio) {
      const s = a.time_series;
      s.timestamps.forEach((t, i) => {
        if (s.packet_loss_percent[i] > T.packet_loss_percent.warning) add('uplink', 'high_packet_loss', t, a.track_id);
        if (s.rtt_ms[i] > T.rtt_ms.warning) add('uplink', 'high_rtt', t, a.track_id);
        if (s.jitter_ms[i] > T.jitter_ms.warning) add('uplink', 'high_jitter', t, a.track_id);
        if (s.bitrate[i] > 1000 && s.bitrate[i] < T.audio_bitrate_bps.warning) add('uplink', 'low_audio_bitrate', t, a.track_id);
        if (s.packet_loss_percent[i] > COMFORT.loss) unc('uplink', `audio loss ${s.packet_loss_percent[i]}`, t, a.track_id);
        if (s.rtt_ms[i] > COMFORT.rtt) unc('uplink', `audio rtt ${s.rtt_ms[i]}`, t, a.track_id);
        if (s.jitter_ms[i] > COMFORT.jitter) unc('uplink', `jitter ${s.jitter_ms[i]}`, t, a.track_id);
        if (s.bitrate[i] !== 0 && s.bitrate[i] < COMFORT.audio_bitrate) unc('uplink', `audio bitrate ${s.bitrate[i]}`, t, a.track_id);
      });
    }
    const groups = new Map();
    for (const v of d.publisher.video) {
      if (v.type === 'screen') {
        const s = v.time_series;
        s.timestamps.forEach((t, i) => {
          if (s.fps[i] < T.screen_fps.critical) add('uplink', 'low_fps', t, v.track_id);
          if (s.packet_loss_percent[i] > T.packet_loss_percent.warning) add('uplink', 'high_packet_loss', t, v.track_id);
          if (s.rtt_ms[i] > T.rtt_ms.warning) add('uplink', 'high_rtt', t, v.track_id);
          if (s.fps[i] < COMFORT.screen_fps) unc('uplink', `screen fps ${s.fps[i]}`, t, v.track_id);
          if (s.packet_loss_percent[i] > COMFORT.loss || s.rtt_ms[i] > COMFORT.rtt) unc('uplink', 'screen loss/rtt', t, v.track_id);
        });
      } else (groups.get(v.track_id) ?? groups.set(v.track_id, {}).get(v.track_id))[v.rid] = v.time_series;
    }
    for (const [id, L] of groups) {
      if (!L.h || !L.m || !L.l) continue;
      const usual = median(sentVideo.get(id).total.filter((x) => x > 0));
      L.h.timestamps.forEach((t, i) => {
        const layers = ['h', 'm', 'l'].map((r) => ({ r, b: L[r].bitrate[i], f: L[r].fps[i], loss: L[r].packet_loss_percent[i], rtt: L[r].rtt_ms[i] }));
        const sending = layers.filter((x) => x.b > 0 || x.f > 0);
        const total = layers.reduce((a, x) => a + x.b, 0);
        if (total < T.video_bitrate_bps.warning) add('uplink', 'low_video_bitrate', t, id);
        else if (total < usual * COLLAPSE_RATIO) add('uplink', 'bitrate_collapse', t, id);
        if (sending.length && sending[0].f < T.fps.warning) add('uplink', 'low_fps', t, id);
        if (layers.some((x, j) => x.b === 0 && x.f === 0 && layers.slice(j + 1).some((y) => y.b > 0))) add('uplink', 'simulcast_layer_off', t, id);
        if (sending.some((x) => x.loss > T.packet_loss_percent.warning)) add('uplink', 'high_packet_loss', t, id);
        if (sending.some((x) => x.rtt > T.rtt_ms.warning)) add('uplink', 'high_rtt', t, id);
        if (total < COMFORT.video_total) unc('uplink', `video total ${total}`, t, id);
        if (sending.length < 3) unc('uplink', 'layer off', t, id);
        if (sending.length && sending[0].f < COMFORT.fps_top) unc('uplink', `top layer fps ${sending[0].f}`, t, id);
        if (sending.some((x) => x.loss > COMFORT.loss || x.rtt > COMFORT.rtt)) unc('uplink', 'video loss/rtt', t, id);
      });
    }
    for (const v of d.subscriber.video) {
      const s = v.time_series;
      s.timestamps.forEach((t, i) => {
        if (s.freeze_count[i] >= T.freeze_count.warning) add('downlink', 'video_freeze', t, v.track_id);
        if (v.type === 'screen') { if (s.fps[i] < T.screen_fps.critical) add('downlink', 'low_fps', t, v.track_id); if (s.fps[i] < COMFORT.screen_fps) unc('downlink', 'screen fps', t, v.track_id); return; }
        if (s.fps[i] < T.fps.warning) add('downlink', 'low_fps', t, v.track_id);
        if (s.fps[i] === 0 && s.bitrate[i] === 0 && sendsAt(v.track_id, t)) add('downlink', 'nothing_received', t, v.track_id);
        if (s.bitrate[i] !== null && s.bitrate[i] < T.video_bitrate_bps.warning) add('downlink', 'low_video_bitrate', t, v.track_id);
        if (s.freeze_count[i] > 0 || s.fps[i] < COMFORT.sub_fps || (s.bitrate[i] !== null && s.bitrate[i] < COMFORT.sub_video_bitrate)) unc('downlink', `video fps ${s.fps[i]} bitrate ${s.bitrate[i]} freezes ${s.freeze_count[i]}`, t, v.track_id);
      });
    }
    for (const a of d.subscriber.audio) {
      const s = a.time_series;
      s.timestamps.forEach((t, i) => {
        const ratio = s.concealed_samples[i] / (T.audio_sample_rate * window(s.timestamps, i));
        if (s.packet_loss_percent[i] > T.packet_loss_percent.warning) add('downlink', 'high_packet_loss', t, a.track_id);
        if (ratio > T.concealment_ratio.warning) add('downlink', 'audio_concealment', t, a.track_id);
        if (Math.max(s.packet_loss_percent[i], ratio * 100) >= MOS_LOSS) add('downlink', 'low_received_audio_mos', t, a.track_id);
        if (s.packet_loss_percent[i] > COMFORT.loss || ratio > COMFORT.conceal) unc('downlink', `audio loss ${s.packet_loss_percent[i]} concealment ${(ratio * 100).toFixed(2)} %`, t, a.track_id);
      });
    }
  }
  const explain = (b) => {
    const family = (b.dir === 'downlink' ? RECEIVER_FAMILY : UPLINK_FAMILY)[b.code] ?? [];
    if (expOn(b.peer, b.dir).some((e) => covers(e, b.t) && (e.code === b.code || family.includes(e.code)))) return 'self';
    if (inSessionIssue(b.peer, b.t)) return 'session';
    if (b.dir === 'downlink') {
      const sender = trackOwner.get(b.track);
      if (expOn(sender, 'uplink').some((e) => covers(e, b.t) && (SENDER_FAMILY[b.code] ?? []).includes(e.code))) return 'sender';
    }
    return null;
  };
  const unexplained = new Map();
  const notForbidden = new Set();
  for (const b of breaches) {
    const why = explain(b);
    if (!why) {
      const key = `${b.peer}|${b.dir}|${b.code}`;
      unexplained.set(key, (unexplained.get(key) ?? 0) + 1);
    } else if (why === 'sender' && !isForbidden(b.peer, 'downlink', b.code) && !isAllowed(b.peer, 'downlink', b.code) && !expOn(b.peer, 'downlink').some((e) => e.code === b.code))
      notForbidden.add(`${truthPeers.get(b.peer).name}: downlink ${b.code} caused by a sender's injection is not listed in forbidden_issues`);
  }
  notForbidden.forEach(err);
  for (const [key, n] of unexplained) {
    const [peer, dir, code] = key.split('|');
    err(`${truthPeers.get(peer)?.name ?? peer}: ${n} ${dir} ${code} breach sample(s) not explained by any expected issue`);
  }
  // an uplink issue explains exactly the receivers the truth lists (none for RTT or jitter alone)
  for (const e of expected.filter((x) => x.direction === 'uplink' && x.explains)) {
    const got = new Set(breaches.filter((b) => b.dir === 'downlink' && trackOwner.get(b.track) === e.peer_id && covers(e, b.t) &&
      (SENDER_FAMILY[b.code] ?? []).includes(e.code) && explain(b) === 'sender').map((b) => b.peer));
    if ([...got].sort().join() !== [...e.explains].sort().join())
      err(`expected ${e.code} on ${truthPeers.get(e.peer_id)?.name}: explains ${e.explains.length} receiver(s), the data has breaches it explains on ${got.size}`);
  }
  const anyWindow = (peer, dir, t) => expOn(peer, dir).some((e) => covers(e, t));
  let uncN = 0;
  for (const u of uncomfortable) {
    const sender = u.dir === 'downlink' ? trackOwner.get(u.track) : null;
    if (anyWindow(u.peer, u.dir, u.t) || (sender && anyWindow(sender, 'uplink', u.t)) || inSessionIssue(u.peer, u.t)) continue;
    if (uncN++ < 5) err(`${truthPeers.get(u.peer).name}: ${u.dir} sample at ${u.t} outside any injection is not comfortably clean: ${u.what}`);
  }
  if (uncN > 5) err(`... ${uncN - 5} more uncomfortable samples`);
  // clean peers: no breach on their own publisher side at all, and nothing self-explained
  for (const p of joined.filter((x) => x.clean)) {
    const own = breaches.filter((b) => b.peer === p.peer_id && (b.dir === 'uplink' || explain(b) !== 'sender'));
    if (own.length) err(`clean peer ${p.name} has ${own.length} breach sample(s) of its own (${[...new Set(own.map((b) => b.code))].join(', ')})`);
  }

  // ---- expected issues are supported by the data
  const byCode = new Map();
  for (const b of breaches) { const k = `${b.peer}|${b.dir}|${b.code}`; (byCode.get(k) ?? byCode.set(k, []).get(k)).push(b); }
  // the breaches behind an expected issue: a sender's low_received_fps is its receivers' low frame rate
  const breachesOf = (e) => (e.code === 'low_received_fps' && e.direction === 'uplink'
    ? breaches.filter((b) => b.dir === 'downlink' && b.code === 'low_fps' && trackOwner.get(b.track) === e.peer_id)
    : byCode.get(`${e.peer_id}|${e.direction}|${e.code === 'low_received_fps' ? 'low_fps' : e.code}`) ?? []).filter((b) => covers(e, b.t));
  for (const e of expected) {
    if (!['warning', 'critical'].includes(e.min_severity)) err(`expected issue ${e.code}: bad min_severity`);
    if (e.code === 'session_degradation') { checkDegradation(e); continue; }
    if (!truthPeers.has(e.peer_id)) err(`expected issue ${e.code} on unknown peer ${e.peer_id}`);
    if (e.code === 'repeated_rejoins') { checkRepeatedRejoins(e); continue; }
    if (e.direction === '') continue;
    const bs = breachesOf(e);
    if (e.code === 'nothing_received' && bs.some((b) => !e.track_ids.includes(b.track))) err(`expected nothing_received on ${truthPeers.get(e.peer_id)?.name}: another track is empty too`);
    const n = new Set(bs.map((b) => b.t)).size;
    if (n < 3) err(`expected ${e.code} (${e.direction}) on ${truthPeers.get(e.peer_id)?.name}: only ${n} breaching samples in its window`);
    if (e.samples !== undefined && n < e.samples) err(`expected ${e.code} on ${truthPeers.get(e.peer_id)?.name}: truth says ${e.samples} samples, data has ${n}`);
    if (e.min_severity === 'critical') {
      const crit = bs.filter((b) => isCritical(byPeer.get(b.peer), b)).length;
      if (crit < 3) err(`expected critical ${e.code} on ${truthPeers.get(e.peer_id)?.name}: only ${crit} critical samples`);
    }
    // downlink injections hit every sender (nothing_received: one)
    const kind = e.code === 'nothing_received' ? null : ['video_freeze', 'low_received_fps'].includes(e.code) ? 'video' : 'audio';
    if (e.direction === 'downlink' && e.injection !== 'loss_burst' && kind) {
      const d = byPeer.get(e.peer_id);
      for (const tr of d.subscriber[kind]) {
        if (tr.type === 'screen') continue;
        const s = tr.time_series;
        const inWin = s.timestamps.map((t, i) => [t, i]).filter(([t]) => t >= e.start_ms && t <= e.end_ms);
        const active = inWin.filter(([, i]) => kind === 'video' || s.bitrate[i] !== 0);
        if (active.length && !bs.some((b) => b.track === tr.track_id)) err(`downlink ${e.code} on ${truthPeers.get(e.peer_id)?.name}: sender track ${tr.track_id} unaffected`);
      }
    }
  }

  // A session_degradation: its peers (>= 3, >= half of those present) start breaches of its family within
  // one span, and no one peer is to blame for most of them (a publisher for its own, a sender for its receivers').
  function checkDegradation(e) {
    const codes = DEGRADATION_FAMILY[e.family];
    if (!codes || e.direction !== '' || !Array.isArray(e.peers)) { err(`session_degradation: bad family, direction or peers`); return; }
    const inSpan = breaches.filter((b) => codes.includes(b.code) && b.t >= e.start_ms - tol && b.t <= e.start_ms + DEGRADATION_SPAN_MS);
    const peers = [...new Set(inSpan.map((b) => b.peer))].sort();
    const here = joined.filter((p) => present(p, e.start_ms) || peers.includes(p.peer_id)).length;
    if (peers.join() !== [...e.peers].sort().join()) err(`session_degradation at ${e.start_ms}: peers with ${e.family} breaches differ from its peers`);
    if (e.peers_present !== here) err(`session_degradation at ${e.start_ms}: ${here} peers present, truth says ${e.peers_present}`);
    if (peers.length < Math.max(3, here / 2)) err(`session_degradation at ${e.start_ms}: only ${peers.length} of ${here} peers start a breach`);
    const blame = new Map();
    for (const b of new Map(inSpan.map((b) => [`${b.peer}|${b.dir}|${b.track}|${b.code}`, b])).values()) {
      const who = b.dir === 'uplink' ? b.peer : trackOwner.get(b.track);
      blame.set(who, (blame.get(who) ?? 0) + 1);
    }
    const total = [...blame.values()].reduce((a, n) => a + n, 0);
    if (Math.max(...blame.values()) >= 0.6 * total) err(`session_degradation at ${e.start_ms}: one peer accounts for most breaches`);
    for (const b of breaches.filter((x) => covers(e, x.t) && !e.peers.includes(x.peer) && explain(x) !== 'sender'))
      err(`session_degradation at ${e.start_ms}: ${truthPeers.get(b.peer)?.name} breaches but is not one of its peers`);
  }
  // A repeated_rejoins: the first run of >= 3 rejoins within 10 min of a user in rejoin_cycles, on its latest peer id.
  function checkRepeatedRejoins(e) {
    const c = (truth.rejoin_cycles ?? []).find((x) => x.user_id === e.user_id);
    const run = c && rejoinRun(c);
    if (!run) { err(`expected repeated_rejoins for ${e.user_id}: rejoin_cycles has no 3 rejoins within 10 min`); return; }
    const latest = c.peer_ids.filter((id) => truthPeers.get(id).joined_ms <= run.end_ms).pop();
    if (e.start_ms !== run.start_ms || e.end_ms !== run.end_ms || e.cycles !== run.cycles || e.peer_id !== latest || e.direction !== '')
      err(`expected repeated_rejoins for ${c.name}: not the run of rejoin_cycles (${run.start_ms}..${run.end_ms}, ${run.cycles} cycles, on ${latest})`);
  }

  // ---- session document
  if (docs.session.length !== 1) err(`expected 1 session document, found ${docs.session.length}`);
  for (const { where, d } of docs.session) {
    if (d.id !== truth.session_id || d.room_id !== truth.room_id) err(`${where}: id/room mismatch`);
    const ids = Object.keys(d.peers);
    if (ids.length !== joined.length) err(`${where}: ${ids.length} peers, truth has ${joined.length} joined`);
    for (const [id, p] of Object.entries(d.peers)) {
      const tp = truthPeers.get(id);
      if (!tp) { err(`${where}: unknown peer ${id}`); continue; }
      if (p.id !== id || p.name !== tp.name || p.role !== tp.role || p.user_id !== tp.user_id) err(`${where}: peer ${id} identity mismatch`);
      if (parseRfc3339(p.joined_at) !== tp.joined_ms || parseRfc3339(p.left_at) !== tp.left_ms) err(`${where}: peer ${id} joined/left mismatch`);
    }
    if (parseRfc3339(d.created_at) !== truth.start_ms || parseRfc3339(d.updated_at) !== truth.end_ms) err(`${where}: created/updated != truth start/end`);
  }

  // ---- events pages
  const pages = docs.pages.sort((a, b) => a.file.localeCompare(b.file, 'en', { numeric: true }));
  if (pages.length < 2) err(`events split over ${pages.length} page(s), want >= 2`);
  const events = pages.flatMap((p) => p.d.events);
  pages.forEach((p, i) => {
    if (p.d.total !== events.length) err(`${p.where}: total ${p.d.total} != ${events.length} events`);
    if ((i < pages.length - 1) !== (typeof p.d.next === 'string' && p.d.next.length > 0)) err(`${p.where}: bad next cursor`);
    if (!(p.d.limit >= p.d.events.length)) err(`${p.where}: more events than limit`);
  });
  let last = -Infinity;
  const agents = new Map();
  const sessionless = [];
  for (const ev of events) {
    const t = parseRfc3339(ev.timestamp);
    const d = ev.data;
    if (ev.version !== '2.0' || !ev.id || t === null) err(`event ${ev.id}: bad envelope`);
    if (t < last) err(`event ${ev.id}: out of order`);
    last = t;
    if (!('session_id' in d)) sessionless.push({ source: 'events', type: ev.type, peer_id: d.peer_id, time_ms: t });
    if (SESSIONLESS_TYPES.includes(ev.type) ? 'session_id' in d : d.session_id !== truth.session_id) err(`event ${ev.id} (${ev.type}): session_id ${d.session_id} wrong`);
    if (ev.type.startsWith('track.')) checkTrackEvent(ev);
    if (ev.type.startsWith('client.')) checkErrorEvent(ev);
    if (d.agent) agents.set(d.peer_id, d.agent);
  }
  function checkTrackEvent(ev) {
    const d = ev.data;
    const keys = ['room_id', 'session_id', 'room_name', 'peer_id', 'user_id', 'user_name', 'joined_at', 'role', 'track_id', 'stream_id', 'type', 'source', 'mute', 'started_at'];
    if (ev.type === 'track.remove.success') keys.push('stopped_at');
    if (Object.keys(d).join() !== keys.join()) err(`event ${ev.id}: ${ev.type} fields ${Object.keys(d).join()} are not the documented track event object`);
    const tp = truthPeers.get(d.peer_id);
    if (!tp) { err(`event ${ev.id}: unknown peer`); return; }
    if (!tp.presence.some((v) => parseRfc3339(d.joined_at) === v.joined_ms)) err(`event ${ev.id}: joined_at is none of the peer's joins`);
    if (trackOwner.size && !trackOwner.has(d.track_id) && ev.type !== 'track.update.success') err(`event ${ev.id}: unknown track ${d.track_id}`);
    for (const k of ['started_at', 'stopped_at']) if (k in d && parseRfc3339(d[k]) === null) err(`event ${ev.id}: bad ${k}`);
  }
  function checkErrorEvent(ev) {
    const d = ev.data;
    const shape = Object.values(ERROR_SHAPES).find((e) => e.type === ev.type && e.error_code === d.error_code);
    if (!shape) { err(`event ${ev.id}: ${ev.type} with error_code ${JSON.stringify(d.error_code)} is no known 100ms error`); return; }
    for (const k of ['error_name', 'error_message', 'error_description', 'action', 'is_terminal'])
      if (d[k] !== shape[k]) err(`event ${ev.id}: ${k} ${JSON.stringify(d[k])} != ${JSON.stringify(shape[k])}`);
    if (!/^[A-Z_]+$/.test(d.action)) err(`event ${ev.id}: action ${d.action} is not an HMSAction name`);
    const need = ['user_id', 'user_name', 'peer_id', 'account_id', 'room_id', 'agent'];
    if (ev.type !== 'client.connect.failed') need.push('room_name', 'template_id', 'role');
    for (const k of need) if (!(k in d)) err(`event ${ev.id}: ${ev.type} without ${k}`);
    const a = d.agent ?? {};
    const str = Object.fromEntries(String(a.string ?? '').split(',').map((kv) => [kv.slice(0, kv.indexOf(':')), kv.slice(kv.indexOf(':') + 1)]));
    for (const k of ['os', 'os_version', 'sdk', 'sdk_version', 'device_model', 'framework'])
      if (str[k] !== String(a[k])) err(`event ${ev.id}: agent.string disagrees on ${k}`);
  }
  for (const p of truth.peers) {
    const a = agents.get(p.peer_id);
    if ((a?.os ?? null) !== p.os || (a?.sdk ?? null) !== p.sdk || browserOf(a).browser !== p.browser) err(`peer ${p.name}: agent in events does not match truth (os/sdk/browser)`);
  }
  for (const x of truth.error_events ?? [])
    if (!events.some((ev) => ev.type === x.type && ev.data.peer_id === x.peer_id && parseRfc3339(ev.timestamp) === x.time_ms && ev.data.is_terminal === x.is_terminal &&
        ev.data.action === x.action && ev.data.error_code === x.error_code && ev.data.error_name === x.error_name && ('session_id' in ev.data) === x.has_session_id))
      err(`error event ${x.type} for ${x.peer_id} missing from events`);
  const EVENT_OF = { publish_failed: 'client.publish.failed', subscribe_failed: 'client.subscribe.failed', connect_failed: 'client.connect.failed',
    join_failed: 'client.join.failed' };
  const hooks = docs.hooks.map((h) => h.d);
  for (const e of expected.filter((x) => EVENT_OF[x.code])) {
    const term = e.min_severity === 'critical';
    const ok = events.some((ev) => ev.type === EVENT_OF[e.code] && ev.data.peer_id === e.peer_id && ev.data.is_terminal === term && parseRfc3339(ev.timestamp) === e.start_ms) ||
      (e.code === 'join_failed' && !term && hooks.some((h) => h.type === 'peer.join.failure' && h.data.peer_id === e.peer_id && parseRfc3339(h.timestamp) === e.start_ms));
    if (!ok) err(`expected ${e.code} (${e.min_severity}) on ${e.peer_id}: no matching ${EVENT_OF[e.code]} event`);
  }

  // ---- webhooks
  if (!hooks.length) err('no webhook events');
  if (hooks[0] && hooks[0].type !== 'session.open.success') err('first webhook is not session.open.success');
  if (hooks.length && hooks[hooks.length - 1].type !== 'session.close.success') err('last webhook is not session.close.success');
  for (const h of hooks) {
    if (!/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/.test(h.timestamp)) err(`webhook ${h.id}: timestamp ${h.timestamp} is not in whole seconds`);
    if (('app_id' in h) !== h.type.startsWith('session.')) err(`webhook ${h.id}: app_id on a ${h.type}`);
    if (h.type === 'peer.join.failure') {
      if ('session_id' in h.data || h.data.joined_at !== NOT_SET || typeof h.data.error_message !== 'string') err(`webhook ${h.id}: peer.join.failure not as 100ms writes it`);
      sessionless.push({ source: 'webhooks', type: h.type, peer_id: h.data.peer_id, time_ms: parseRfc3339(h.timestamp) });
    } else if (h.data.session_id !== truth.session_id || h.data.template_id === undefined) err(`webhook ${h.id}: session_id/template_id wrong`);
  }
  for (const p of joined) {
    const js = hooks.filter((h) => h.type === 'peer.join.success' && h.data.peer_id === p.peer_id);
    const ls = hooks.filter((h) => h.type === 'peer.leave.success' && h.data.peer_id === p.peer_id);
    const same = (list, k, ms) => list.map((h) => parseRfc3339(h.data[k])).join() === ms.join();
    if (!same(js, 'joined_at', p.presence.map((v) => v.joined_ms))) err(`webhooks peer.join.success for ${p.name} do not match its presence`);
    if (!same(ls, 'left_at', p.presence.map((v) => v.left_ms)) || ls.some((h, i) => h.data.reason !== p.presence[i].end_reason))
      err(`webhooks peer.leave.success for ${p.name} do not match its presence`);
  }
  for (const e of expected.filter((x) => x.code === 'disconnected'))
    if (!hooks.some((h) => h.type === 'peer.leave.success' && h.data.peer_id === e.peer_id && h.data.reason === 'websocket closed' && parseRfc3339(h.data.left_at) === e.start_ms))
      err(`expected disconnected on ${e.peer_id}: no peer.leave.success with reason "websocket closed"`);

  // ---- events without session_id: every one is in the truth, which says where it belongs
  const key = (x) => `${x.source}|${x.type}|${x.peer_id}|${x.time_ms}`;
  const listed = truth.sessionless_events ?? [];
  if (sessionless.map(key).sort().join('\n') !== listed.map(key).sort().join('\n')) err('events without session_id differ from truth.sessionless_events');
  for (const x of listed) {
    if (x.session_id !== truth.session_id) err(`sessionless ${x.type}: belongs to an unknown session`);
    const tp = truthPeers.get(x.peer_id);
    if (x.attach_by === 'peer_id' && !(tp && tp.joined)) err(`sessionless ${x.type}: attach_by peer_id but ${x.peer_id} never joined`);
    if (x.attach_by === 'time' && !(x.time_ms >= truth.start_ms - T.meeting_gap_ms && x.time_ms <= truth.end_ms + T.meeting_gap_ms)) err(`sessionless ${x.type}: outside the session span +- 10 min`);
    if (!['peer_id', 'time'].includes(x.attach_by)) err(`sessionless ${x.type}: bad attach_by`);
  }

  // ---- rejoin cycles: each drop is an expected disconnect of one of the user's peer ids, followed by a rejoin
  for (const c of truth.rejoin_cycles ?? []) {
    const ps = c.peer_ids.map((id) => truthPeers.get(id));
    if (ps.some((p) => !p || !p.joined || p.user_id !== c.user_id)) { err(`rejoin_cycles ${c.name}: bad peer ids`); continue; }
    const iv = ps.flatMap((p) => p.presence).sort((a, b) => a.joined_ms - b.joined_ms);
    const drops = expected.filter((e) => e.code === 'disconnected' && c.peer_ids.includes(e.peer_id)).map((e) => e.start_ms).sort((a, b) => a - b);
    if (drops.join() !== c.disconnect_ms.join()) err(`rejoin_cycles ${c.name}: drops differ from the expected disconnects`);
    const rejoined = c.disconnect_ms.filter((t) => iv.some((v) => v.joined_ms > t)).length;
    if (rejoined !== c.cycles) err(`rejoin_cycles ${c.name}: ${rejoined} rejoins after a drop, truth says ${c.cycles}`);
    const back = c.disconnect_ms.map((t) => iv.find((v) => v.joined_ms > t)?.joined_ms).filter((t) => t !== undefined);
    if (back.join() !== (c.rejoin_ms ?? []).join()) err(`rejoin_cycles ${c.name}: rejoin_ms are not the joins after each drop`);
    if (rejoinRun(c) && !expected.some((e) => e.code === 'repeated_rejoins' && e.user_id === c.user_id) &&
        !(truth.allowed_issues ?? []).some((a) => c.peer_ids.includes(a.peer_id) && a.codes.includes('repeated_rejoins')))
      err(`rejoin_cycles ${c.name}: 3 rejoins within 10 min, but repeated_rejoins is neither expected nor allowed`);
  }

  // ---- webhook delivery log (GET /v2/analytics/webhooks)
  checkHistory(docs.history, truth, hooks, err);

  // ---- meetings: from truth presence and from the samples themselves
  const m1 = computeMeetings(truth.peers);
  if (JSON.stringify(m1) !== JSON.stringify(truth.meetings)) err('truth.meetings differ from meetings recomputed from truth.peers');
  const fromData = joined.filter((p) => byPeer.has(p.peer_id)).map((p) => {
    const all = [...byPeer.get(p.peer_id).publisher.audio, ...byPeer.get(p.peer_id).publisher.video, ...byPeer.get(p.peer_id).subscriber.audio, ...byPeer.get(p.peer_id).subscriber.video].flatMap((x) => x.time_series.timestamps);
    return { ...p, joined_ms: all.length ? Math.min(...all) : p.joined_ms, left_ms: all.length ? Math.max(...all) : p.left_ms };
  });
  const m2 = computeMeetings(fromData);
  if (m2.length !== truth.meetings.length || m2.some((m, i) => m.call_type !== truth.meetings[i].call_type || [...m.peer_ids].sort().join() !== [...truth.meetings[i].peer_ids].sort().join()))
    err('meetings derived from sample times differ from truth.meetings');
  for (const e of expected) if (!['', 'uplink', 'downlink'].includes(e.direction)) err(`bad direction ${e.direction}`);

  return { errors, info: { files: files.length, bytes, peers: truth.peers.length, breaches: breaches.length, expected: expected.length } };
}

/** The webhook delivery log: its paging, its entries against the webhooks sent, and truth.webhook_deliveries. */
function checkHistory(history, truth, hooks, err) {
  const want = truth.webhook_deliveries;
  if (!want) { if (history.length) err('webhook history written but truth.webhook_deliveries is null'); return; }
  const pages = [...history].sort((a, b) => a.d.pagination.current_page - b.d.pagination.current_page);
  const entries = pages.flatMap((p) => p.d.events);
  pages.forEach((p, i) => {
    const g = p.d.pagination;
    if (g.current_page !== i + 1 || g.total_pages !== pages.length || g.total_items !== entries.length || g.has_next !== i < pages.length - 1 ||
        g.has_prev !== i > 0 || !(g.page_size >= p.d.events.length) || p.d.summary?.total_events !== entries.length) err(`${p.where}: pagination/summary inconsistent`);
  });
  const sent = new Map();
  for (const h of hooks) { const k = `${h.type}|${h.data.peer_id ?? ''}`; sent.set(k, (sent.get(k) ?? 0) + 1); }
  const failed = [];
  for (const e of entries) {
    const p = e.payload ?? {};
    const t = parseRfc3339(e.event_timestamp);
    if (typeof e.event_id !== 'string' || e.room_id !== truth.room_id || t === null || typeof p.webhook_url !== 'string') err(`history entry ${e.event_id}: bad fields`);
    if (p.event_data?.session_id !== truth.session_id) err(`history entry ${e.event_id}: event_data.session_id wrong`);
    const isFailed = e.event_name === DELIVERY_FAILED;
    if (!isFailed && e.event_name !== DELIVERY_SUCCESS) err(`history entry ${e.event_id}: event_name ${e.event_name}`);
    if (isFailed !== (typeof p.error_reason === 'string')) err(`history entry ${e.event_id}: error_reason present iff failed`);
    const k = `${p.original_event_name}|${p.event_data?.peer_id ?? ''}`;
    if (!sent.get(k)) err(`history entry ${e.event_id}: no ${k} webhook was sent (or more deliveries than webhooks)`);
    else sent.set(k, sent.get(k) - 1);
    if (isFailed) failed.push({ original_event_name: p.original_event_name, peer_id: p.event_data?.peer_id ?? null, time_ms: t, error_reason: p.error_reason });
  }
  const byEvent = {};
  for (const f of failed) byEvent[f.original_event_name] = (byEvent[f.original_event_name] ?? 0) + 1;
  if (want.total !== entries.length || want.failed !== failed.length || want.delivered !== entries.length - failed.length) err('truth.webhook_deliveries counts differ from the log');
  if (JSON.stringify(Object.entries(byEvent).sort()) !== JSON.stringify(Object.entries(want.failed_by_event).sort())) err('truth.webhook_deliveries.failed_by_event differs from the log');
  if (JSON.stringify(failed) !== JSON.stringify(want.failures)) err('truth.webhook_deliveries.failures differ from the log');
}

function isCritical(doc, b) {
  // re-read the value behind a breach and compare with the critical threshold
  const find = (arr) => arr.filter((x) => x.track_id === b.track);
  const at = (s) => s.timestamps.indexOf(b.t);
  if (b.dir === 'uplink') {
    for (const tr of [...find(doc.publisher.audio), ...find(doc.publisher.video)]) {
      const s = tr.time_series, i = at(s);
      if (i < 0) continue;
      if (b.code === 'high_packet_loss' && s.packet_loss_percent[i] > T.packet_loss_percent.critical) return true;
      if (b.code === 'high_rtt' && s.rtt_ms[i] > T.rtt_ms.critical) return true;
      if (b.code === 'high_jitter' && s.jitter_ms[i] > T.jitter_ms.critical) return true;
      if (b.code === 'low_fps' && s.fps[i] > 0 && s.fps[i] < T.fps.critical && (tr.rid === 'h' || tr.rid === null)) return true;
    }
    return false;
  }
  for (const tr of [...find(doc.subscriber.audio), ...find(doc.subscriber.video)]) {
    const s = tr.time_series, i = at(s);
    if (i < 0) continue;
    if (b.code === 'high_packet_loss' && s.packet_loss_percent[i] > T.packet_loss_percent.critical) return true;
    if (b.code === 'low_fps' && tr.type !== 'screen' && s.fps[i] > 0 && s.fps[i] < T.fps.critical) return true;
    if (b.code === 'audio_concealment') {
      const w = (i > 0 ? s.timestamps[i] - s.timestamps[i - 1] : 10000) / 1000;
      if (s.concealed_samples[i] / (T.audio_sample_rate * w) > T.concealment_ratio.critical) return true;
    }
  }
  return false;
}

function report(label, res) {
  const { errors, info } = res;
  const status = errors.length ? 'FAIL' : 'ok  ';
  process.stdout.write(`${status} ${label.padEnd(24)} ${String(info.files ?? 0).padStart(3)} files ${((info.bytes ?? 0) / 1024).toFixed(0).padStart(6)} KiB  ` +
    `${String(info.expected ?? 0).padStart(2)} expected issues  ${String(info.breaches ?? 0).padStart(5)} breach samples\n`);
  for (const e of errors) process.stdout.write(`     - ${e}\n`);
  return errors.length === 0;
}

function scenarioDirs(dir) {
  if (fs.existsSync(path.join(dir, 'truth.json'))) return [dir];
  return fs.readdirSync(dir).map((d) => path.join(dir, d)).filter((d) => fs.existsSync(path.join(d, 'truth.json'))).sort();
}

function main() {
  const args = process.argv.slice(2);
  if (args.includes('-h') || args.includes('--help')) {
    process.stdout.write(fs.readFileSync(fileURLToPath(import.meta.url), 'utf8').split('\n').slice(1, 8).map((l) => l.replace(/^\/\/ ?/, '')).join('\n') + '\n');
    return 0;
  }
  const bench = args.includes('--bench');
  const dirs = args.filter((a) => !a.startsWith('--'));
  let ok = true;
  if (dirs.length) {
    for (const d of dirs) for (const s of scenarioDirs(d)) ok = report(path.basename(s), checkScenario(path.join(s, 'input'), path.join(s, 'truth.json'))) && ok;
  } else {
    const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'callsight-gen-'));
    try {
      const t0 = performance.now();
      // as `fixtures.mjs --detections` writes them: every truth expects the issue 19 item 6 codes...
      const res = writeFixtures(tmp, null, { detections: true });
      // ...and as plain `fixtures.mjs` does where that differs (repeated_rejoins only allowed)
      res.push(...writeFixtures(path.join(tmp, 'plain'), ['rejoins']).map((r) => ({ ...r, name: `${r.name} (plain)` })));
      process.stdout.write(`fixtures: ${res.length} scenarios written in ${((performance.now() - t0) / 1000).toFixed(2)} s\n`);
      for (const r of res) ok = report(r.name, checkScenario(path.join(r.dir, 'input'), path.join(r.dir, 'truth.json'))) && ok;
      // determinism: same spec, same bytes
      const okBefore = ok;
      for (const name of [...FIXTURE_SCENARIOS, ...DETECTION_SCENARIOS]) {
        const a = generateSession(scenarioSpec(name, { detections: true })), b = generateSession(scenarioSpec(name, { detections: true }));
        if (JSON.stringify(a) !== JSON.stringify(b)) { ok = false; process.stdout.write(`FAIL ${name}: two runs differ\n`); }
        const onDisk = fs.readdirSync(path.join(tmp, name, 'input')).sort();
        if (onDisk.join() !== a.files.map((f) => f.name).sort().join()) { ok = false; process.stdout.write(`FAIL ${name}: file list differs between runs\n`); }
      }
      if (ok === okBefore) process.stdout.write('ok   determinism (every fixture generated twice, identical)\n');
      // the committed sample
      const sampleDir = path.join(REPO, 'samples', 'sample-session');
      const sampleTruth = path.join(REPO, 'samples', 'sample-session.truth.json');
      if (!fs.existsSync(sampleDir)) { ok = false; process.stdout.write('FAIL samples/sample-session missing\n'); }
      else {
        const gen = generateSession(scenarioSpec('sample'));
        const want = new Map(gen.files.map((f) => [f.name, f.text]));
        const have = fs.readdirSync(sampleDir).sort();
        const diff = [...new Set([...have, ...want.keys()])].filter((n) => !want.has(n) || !have.includes(n) || fs.readFileSync(path.join(sampleDir, n), 'utf8') !== want.get(n));
        const truthSame = fs.existsSync(sampleTruth) && fs.readFileSync(sampleTruth, 'utf8') === JSON.stringify(gen.truth, null, 2) + '\n';
        if (diff.length || !truthSame) { ok = false; process.stdout.write(`FAIL samples/sample-session differs from a fresh "generate.mjs --scenario sample" (${diff.slice(0, 3).join(', ')}${truthSame ? '' : ' truth'}); regenerate it (see scripts/gen/README.md)\n`); }
        else ok = report('samples/sample-session', checkScenario(sampleDir, sampleTruth)) && ok;
        const size = have.reduce((a, n) => a + fs.statSync(path.join(sampleDir, n)).size, 0);
        if (size > 1.5e6) { ok = false; process.stdout.write(`FAIL samples/sample-session is ${size} bytes (> 1.5 MB)\n`); }
      }
      if (bench) {
        const t1 = performance.now();
        const dir = path.join(tmp, 'bench');
        const w = writeSession(dir, streamSession(scenarioSpec('bench')));
        const ms = performance.now() - t1;
        const size = w.filter((x) => !x.name.startsWith('..')).reduce((a, x) => a + x.bytes, 0);
        process.stdout.write(`bench: ${(size / 1e6).toFixed(1)} MB in ${(ms / 1000).toFixed(2)} s\n`);
        ok = report('bench', checkScenario(path.join(dir, 'input'), path.join(dir, 'truth.json'))) && ok;
      }
    } finally { fs.rmSync(tmp, { recursive: true, force: true }); }
  }
  process.stdout.write(ok ? 'all checks passed\n' : 'CHECK FAILED\n');
  return ok ? 0 : 1;
}

process.exitCode = main();
