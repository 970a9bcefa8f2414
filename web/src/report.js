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

// Received tracks grouped by the peer that published them, as the report
// links them (peers[].receives_from: sender id, "" when unknown, and track indexes).
export function receivedGroups(peer) {
  const tracks = arr(peer?.tracks);
  return arr(peer?.receives_from).map((link) => {
    const own = arr(link.tracks).map((i) => tracks[i]).filter(Boolean);
    return { remote_peer_id: link.peer_id || undefined, remote_peer_name: own[0]?.remote_peer_name, tracks: own };
  });
}

// The peers that received what `sender` sent (peers[].received_by), among
// `peers` (a scope's), each with the tracks it received of it.
export function receiversOf(sender, peers) {
  const byId = new Map(arr(peers).map((p) => [p.peer_id, p]));
  const out = [];
  for (const link of arr(sender?.received_by)) {
    const peer = byId.get(link.peer_id);
    if (!peer) continue;
    const tracks = arr(peer.tracks);
    out.push({ peer, tracks: arr(link.tracks).map((i) => tracks[i]).filter(Boolean) });
  }
  return out;
}

// The issue whose sender -> receiver pair the compare view opens on: the
// engine's top_pair of the meeting, else of the session (null without one).
export function topPairIssue(session, meeting) {
  const index = meeting ? meeting.top_pair : session?.summary?.top_pair;
  if (!isNum(index)) return null;
  const issue = arr(session?.issues)[index];
  return issue && issue.pair ? issue : null;
}

// The hash parameters of the compare view on an issue's pair at its time
// (pair: the issue's own, or another of its pairs, e.g. an affected receiver's).
export function pairParams(issue, pair = issue?.pair) {
  if (!pair) return null;
  const p = { from: pair.from, to: pair.to, issue: String(issue.index) };
  if (isNum(issue.start_ms)) p.t = String(issue.start_ms);
  return p;
}

// The charts of a group of track entries of one direction and kind: the
// metrics they chart (tracks[].charts; the layers of one track give the same
// list, several tracks each metric once), each drawn as the report's chart
// rule for that direction, kind and metric says (report.charts: threshold
// lines in the chart's unit, the breach metrics drawn on it).
export function chartsOf(report, tracks) {
  const list = arr(tracks).filter(Boolean);
  const first = list[0];
  if (!first) return [];
  const rules = new Map();
  for (const r of arr(report?.charts)) if (r.direction === first.direction && r.kind === first.kind) rules.set(r.metric, r);
  const metrics = [...new Set(list.flatMap((t) => arr(t.charts)))];
  return metrics.map((metric) => ({ metric, thresholds: arr(rules.get(metric)?.thresholds), breach_metrics: arr(rules.get(metric)?.breach_metrics) }));
}

// Breaches of this peer on these tracks drawn on `chart` (its breach_metrics).
export function breachesFor(session, peerId, tracks, chart) {
  const metrics = new Set(arr(chart?.breach_metrics));
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
  return mergeRuns(tracks.flatMap((t) => arr(t?.not_sending)));
}

// Time ranges sorted and overlapping ones joined (those without both times dropped).
export function mergeRuns(list) {
  const runs = list.filter((r) => isNum(r.start_ms) && isNum(r.end_ms)).sort((a, b) => a.start_ms - b.start_ms);
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
  const affecting = v.affected_peers > 0
    ? `${parts.length > 1 ? ',' : ''} affecting ${v.affected_peers} of ${people}`
    : ', session-wide'; // no participant's own (a recording, HLS or transcription)
  let text = parts.length ? `${parts.join(', ')}${affecting}` : `no issue, ${v.low_cqs_peers} of ${people} with a CQS below good`;
  if (parts.length && v.low_cqs_peers > 0) text += `; ${v.low_cqs_peers} more with a CQS below good`;
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
      return 'CQS below good';
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

// The time ranges where a 0–1 share series (a dump's cpu_limited or
// bandwidth_limited, as the engine's Series() gives it) is at least `min`:
// runs of consecutive points, each from its first point's time to the next
// point's (the last run to its last point). NaN ends a run.
export function shareRuns(t, values, min = 0.5) {
  const out = [];
  let start = null;
  for (let i = 0; i < t.length; i++) {
    const v = values[i];
    const on = Number.isFinite(v) && v >= min;
    if (on && start === null) start = t[i];
    if (!on && start !== null) {
      out.push({ start_ms: start, end_ms: t[i] });
      start = null;
    }
  }
  if (start !== null && t.length) out.push({ start_ms: start, end_ms: t[t.length - 1] });
  return out;
}

// The quality limitations of a browser dump's sent video tracks that report
// them (stats.cpu_limited / stats.bandwidth_limited): the metric names to fetch.
export const LIMIT_METRICS = ['cpu_limited', 'bandwidth_limited'];
export function limitSourcesOf(tracks) {
  return arr(tracks).flatMap((tr) => LIMIT_METRICS.filter((m) => tr?.stats?.[m]).map((metric) => ({ track: tr, metric })));
}
