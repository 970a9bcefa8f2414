// Read-only helpers over the engine's report (docs/REPORT.md). They select and
// group what the report holds for display; they compute nothing the engine computes.
import { isNum, shortId } from './format.js';

export const arr = (v) => (Array.isArray(v) ? v : []);
export const obj = (v) => (v && typeof v === 'object' && !Array.isArray(v) ? v : {});
export const str = (v) => (typeof v === 'string' ? v : v === undefined || v === null ? '' : String(v));

export function sessionsOf(report) {
  return arr(report?.sessions);
}

export function peerIndex(session) {
  const map = new Map();
  for (const p of arr(session?.peers)) map.set(p.peer_id, p);
  return map;
}

export function peerLabel(session, peerId, index) {
  const p = (index || peerIndex(session)).get(peerId);
  return p && p.name ? p.name : shortId(peerId);
}

function overlaps(aStart, aEnd, bStart, bEnd) {
  if (!isNum(aStart)) return true;
  const ae = isNum(aEnd) ? aEnd : aStart;
  return aStart <= bEnd && ae >= bStart;
}

// What one meeting (or the whole session when meeting is null) contains.
export function scopeOf(session, meeting) {
  const peers = arr(session?.peers);
  const issues = arr(session?.issues);
  const events = arr(session?.events);
  const errorEvents = arr(session?.errors?.events);
  const breaches = arr(session?.breaches);
  if (!meeting) {
    return {
      meeting: null,
      start: session?.start_ms,
      end: session?.end_ms,
      peers,
      issues,
      events,
      errorEvents,
      breaches,
    };
  }
  const ids = new Set(arr(meeting.peer_ids));
  const s = meeting.start_ms;
  const e = meeting.end_ms;
  return {
    meeting,
    start: s,
    end: e,
    peers: peers.filter((p) => ids.has(p.peer_id)),
    // Session-wide issues (peer_id "") belong to every meeting they overlap.
    issues: issues.filter((i) => (!i.peer_id || ids.has(i.peer_id)) && overlaps(i.start_ms, i.end_ms, s, e)),
    events: events.filter((ev) => !isNum(ev.time_ms) || (ev.time_ms >= s && ev.time_ms <= e)),
    errorEvents: errorEvents.filter((ev) => !isNum(ev.time_ms) || (ev.time_ms >= s && ev.time_ms <= e)),
    breaches: breaches.filter((b) => ids.has(b.peer_id) && overlaps(b.start_ms, b.end_ms, s, e)),
  };
}

// Published tracks grouped by track id (simulcast layers together, h before m before l).
export function publishedGroups(peer) {
  const groups = new Map();
  for (const t of arr(peer?.tracks)) {
    if (t.direction !== 'publisher') continue;
    if (!groups.has(t.track_id)) groups.set(t.track_id, { track_id: t.track_id, kind: t.kind, tracks: [] });
    groups.get(t.track_id).tracks.push(t);
  }
  const rank = { h: 0, m: 1, l: 2 };
  for (const g of groups.values()) g.tracks.sort((a, b) => (rank[a.rid] ?? 3) - (rank[b.rid] ?? 3));
  const kindRank = { audio: 0, video: 1, screen: 2 };
  return [...groups.values()].sort((a, b) => (kindRank[a.kind] ?? 3) - (kindRank[b.kind] ?? 3));
}

// Received tracks grouped by the remote peer that published them.
export function receivedGroups(peer) {
  const groups = new Map();
  for (const t of arr(peer?.tracks)) {
    if (t.direction !== 'subscriber') continue;
    const key = t.remote_peer_id || '';
    if (!groups.has(key)) {
      groups.set(key, { remote_peer_id: t.remote_peer_id, remote_peer_name: t.remote_peer_name, tracks: [] });
    }
    groups.get(key).tracks.push(t);
  }
  const kindRank = { audio: 0, video: 1, screen: 2 };
  for (const g of groups.values()) g.tracks.sort((a, b) => (kindRank[a.kind] ?? 3) - (kindRank[b.kind] ?? 3));
  return [...groups.values()];
}

// Metrics a track can be charted with, in display order: those in its stats that the
// engine can give a series for, plus the MOS for audio.
const SERIES_METRICS = ['bitrate', 'fps', 'packet_loss_percent', 'rtt_ms', 'jitter_ms', 'freeze_count', 'concealed_samples'];
export function chartMetrics(tracks) {
  const present = new Set();
  for (const t of tracks) for (const k of Object.keys(obj(t.stats))) present.add(k);
  const out = SERIES_METRICS.filter((m) => present.has(m));
  if (tracks.some((t) => t.kind === 'audio' && (isNum(t.mos) || present.has('packet_loss_percent')))) out.push('mos');
  return out;
}

function level(cfgEntry, scale = 1) {
  const out = [];
  const e = obj(cfgEntry);
  if (isNum(e.warning)) out.push({ value: e.warning * scale, severity: 'warning' });
  if (isNum(e.critical)) out.push({ value: e.critical * scale, severity: 'critical' });
  return out;
}

// Threshold lines (in the chart's unit) for a metric of a track, from report.config.
export function thresholdsFor(config, direction, kind, metric) {
  const th = obj(obj(config).thresholds);
  const pub = direction === 'publisher';
  switch (metric) {
    case 'packet_loss_percent':
      return pub || kind === 'audio' ? level(th.packet_loss_percent) : [];
    case 'rtt_ms':
      return pub ? level(th.rtt_ms) : [];
    case 'jitter_ms':
      return pub && kind === 'audio' ? level(th.jitter_ms) : [];
    case 'bitrate':
      if (!pub) return [];
      if (kind === 'audio') return level(th.audio_bitrate_kbps, 1000);
      if (kind === 'video') return level(th.video_bitrate_kbps, 1000).map((l) => ({ ...l, note: 'all layers together' }));
      return [];
    case 'fps':
      if (!pub) return [];
      if (kind === 'screen') return level(th.screen_fps);
      if (kind === 'video') return level(th.fps).map((l) => ({ ...l, note: 'highest sending layer' }));
      return [];
    case 'freeze_count':
      return !pub && kind !== 'audio' && isNum(th.freeze_warning_count)
        ? [{ value: th.freeze_warning_count, severity: 'warning' }]
        : [];
    case 'mos': {
      const low = obj(config).low_mos;
      return isNum(low) ? [{ value: low, severity: 'warning' }] : [];
    }
    default:
      return [];
  }
}

// Breach metrics shown on a chart of `metric`.
const BREACH_METRICS = {
  bitrate: ['bitrate', 'video_bitrate_total', 'layer_off'],
  fps: ['fps', 'layer_off'],
  packet_loss_percent: ['packet_loss_percent'],
  rtt_ms: ['rtt_ms'],
  jitter_ms: ['jitter_ms'],
  freeze_count: ['freeze_count'],
  concealed_samples: ['concealed_samples', 'concealment_percent'],
  mos: ['mos'],
};

// Breaches of this peer on these tracks shown on a chart of `metric`.
export function breachesFor(session, peerId, tracks, metric) {
  const metrics = new Set(BREACH_METRICS[metric] || [metric]);
  const keys = new Set(tracks.map((t) => `${t.direction}|${t.track_id}`));
  const rids = new Set(tracks.map((t) => t.rid || ''));
  return arr(session?.breaches).filter(
    (b) =>
      b.peer_id === peerId &&
      metrics.has(b.metric) &&
      keys.has(`${b.direction}|${b.track_id}`) &&
      (!b.rid || rids.has(b.rid) || b.metric === 'video_bitrate_total'),
  );
}

// Runs in which these tracks sent nothing (tracks[].not_sending, carried on a
// track's first layer), merged where they overlap: drawn as muted on charts.
export function notSendingOf(tracks) {
  const runs = tracks
    .flatMap((t) => arr(t?.not_sending))
    .filter((r) => isNum(r.start_ms) && isNum(r.end_ms))
    .sort((a, b) => a.start_ms - b.start_ms);
  const out = [];
  for (const r of runs) {
    const last = out[out.length - 1];
    if (last && r.start_ms <= last.end_ms) last.end_ms = Math.max(last.end_ms, r.end_ms);
    else out.push({ start_ms: r.start_ms, end_ms: r.end_ms });
  }
  return out;
}

// Issues counted per code, most frequent first.
export function countByCode(issues) {
  const counts = new Map();
  for (const i of issues) {
    const c = counts.get(i.code) || { code: i.code, count: 0, critical: 0, warning: 0, info: 0, peers: new Set() };
    c.count++;
    if (c[i.severity] !== undefined) c[i.severity]++;
    c.peers.add(i.peer_id);
    counts.set(i.code, c);
  }
  return [...counts.values()].sort((a, b) => b.count - a.count || String(a.code).localeCompare(String(b.code)));
}

export function severityCounts(issues) {
  const out = { critical: 0, warning: 0, info: 0 };
  for (const i of issues) if (out[i.severity] !== undefined) out[i.severity]++;
  return out;
}

// The analysis's verdict (summary.verdict) as a sentence, as the text report says it.
export function verdictText(v) {
  if (!v || !v.level) return '';
  if (v.level === 'ok') return 'No problems found';
  const i = v.issues || {};
  const counts = ['critical', 'warning', 'info'].filter((s) => i[s] > 0).map((s) => `${i[s]} ${s}`);
  const total = (i.critical || 0) + (i.warning || 0) + (i.info || 0);
  const parts = [];
  if (counts.length) {
    const list = counts.length > 1 ? `${counts.slice(0, -1).join(', ')} and ${counts[counts.length - 1]}` : counts[0];
    parts.push(`${list} issue${total === 1 ? '' : 's'}`);
  }
  if (v.failures > 0) parts.push(`${v.failures} failure event${v.failures === 1 ? '' : 's'} (${v.terminal_failures || 0} terminal)`);
  const people = `${v.peers} participant${v.peers === 1 ? '' : 's'}`;
  let text = parts.length
    ? `${parts.join(', ')}${parts.length > 1 ? ',' : ''} affecting ${v.affected_peers} of ${people}`
    : `no issue, ${v.low_cqs_peers} of ${people} with a CQS below fair`;
  if (parts.length && v.low_cqs_peers > 0) text += `; ${v.low_cqs_peers} more with a CQS below fair`;
  if (v.never_joined > 0) text += `; ${v.never_joined} never joined`;
  return text;
}

// Why the analysis listed a peer among the worst (summary.worst_peers[].reason).
export function rankReasonText(w) {
  switch (w?.reason) {
    case 'own_issues':
      return `${w.issues} issue${w.issues === 1 ? '' : 's'} of its own${w.severity ? `, worst ${w.severity}` : ''}`;
    case 'failure':
      return `${w.failures} failure event${w.failures === 1 ? '' : 's'}`;
    case 'affected':
      return `affected by ${w.affected_by} issue${w.affected_by === 1 ? '' : 's'} of others`;
    case 'low_cqs':
      return 'CQS below fair';
    default:
      return '';
  }
}

// A peer that never joined (known only from failed join/connect events).
export function neverJoined(peer) {
  return peer?.joined === false;
}

export function presenceOf(peer) {
  const p = arr(peer?.presence).filter((iv) => isNum(iv.start_ms) && isNum(iv.end_ms));
  if (p.length) return p;
  return isNum(peer?.joined_ms) && isNum(peer?.left_ms) ? [{ start_ms: peer.joined_ms, end_ms: peer.left_ms }] : [];
}

export function rejectedInputs(report) {
  return arr(report?.inputs).filter((i) => i.status === 'rejected');
}

export function repairedInputs(report) {
  return arr(report?.inputs).filter((i) => i.status === 'repaired');
}

export function messageText(m) {
  if (typeof m === 'string') return m;
  return str(m?.message || m?.text);
}
