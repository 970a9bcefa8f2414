// Session overview: first the diagnosis (the verdict and the report's top issues,
// each linking to the participant at that time and to the sender → receiver pair),
// then ids, times, participants, issues by severity, meetings with call type, a
// presence timeline with issue markers, worst peers, most common issues and
// metric distributions.
import { dl, h, scrollBox, section, table } from '../dom.js';
import { activitySection } from './activity.js';
import { exportSection } from '../export.js';
import {
  callTypeLabel,
  codeLabel,
  cqsBadge,
  directionLabel,
  fmtDateTime,
  fmtDuration,
  fmtMetric,
  fmtNum,
  fmtTime,
  isNum,
  kindLabel,
  metricLabel,
  severityBadge,
  shortId,
  zoneName,
} from '../format.js';
import { arr, countByCode, neverJoined, obj, pairParams, peerIndex, presenceOf, rankReasonText, verdictText } from '../report.js';

const TIMELINE_LIMIT = 80;
// Wide tables scroll sideways inside their card on narrow screens.
const scrollX = (el, label) => scrollBox(label, el);
const WORST_LIMIT = 10;

export function severitySummary(counts) {
  return h(
    'ul',
    { class: 'sev-counts' },
    ['critical', 'warning', 'info'].map((s) => h('li', { class: `sev-count sev-${s}` }, severityBadge(s), h('span', { class: 'count' }, String(counts[s] || 0)))),
  );
}

function ticks(start, end, n) {
  const out = [];
  if (!(end > start)) return out;
  const span = end - start;
  const steps = [10e3, 30e3, 60e3, 120e3, 300e3, 600e3, 900e3, 1800e3, 3600e3, 7200e3, 10800e3, 21600e3];
  const step = steps.find((s) => span / s <= n) || steps[steps.length - 1];
  for (let t = Math.ceil(start / step) * step; t <= end; t += step) out.push(t);
  return out;
}

// A button on a peer's timeline row: opens that peer at the issue's start.
function issueMarker(ctx, peer, issue, pct) {
  const label = `${issue.severity}: ${issue.title || codeLabel(issue.code)} at ${fmtTime(issue.start_ms)}`;
  const marker = h(
    'button',
    {
      type: 'button',
      class: `tl-marker sev-${issue.severity}`,
      title: label,
      'aria-label': label,
      onClick: () => ctx.navigate('peer', peer.peer_id, { t: String(issue.start_ms), issue: String(issue.index ?? '') }),
    },
    issue.severity === 'critical' ? '✖' : issue.severity === 'warning' ? '⚠' : 'ℹ',
  );
  marker.style.left = pct(issue.start_ms);
  return marker;
}

// One peer's row: its presence bars and its issues' markers.
function timelineRow(ctx, peer, issues, pct, width) {
  const track = h('div', { class: 'tl-track' });
  for (const iv of presenceOf(peer)) {
    const bar = h('div', { class: 'tl-bar', title: `present ${fmtTime(iv.start_ms)}–${fmtTime(iv.end_ms)}` });
    bar.style.left = pct(iv.start_ms);
    bar.style.width = width(iv.start_ms, iv.end_ms);
    track.append(bar);
  }
  for (const i of issues) if (isNum(i.start_ms)) track.append(issueMarker(ctx, peer, i, pct));
  if (neverJoined(peer)) track.append(h('span', { class: 'tl-never muted' }, 'never joined'));
  const name = peer.name || shortId(peer.peer_id);
  return h(
    'div',
    { class: 'tl-row', role: 'listitem' },
    h('a', { class: 'tl-label', href: ctx.hashFor('peer', peer.peer_id), title: `${name} (${peer.peer_id})` }, name),
    track,
  );
}

function timelineLegend() {
  return h(
    'p',
    { class: 'chart-notes' },
    h('span', { class: 'note' }, h('span', { class: 'presence-sample', 'aria-hidden': 'true' }), ' present'),
    h('span', { class: 'note sev-critical' }, '✖ critical issue'),
    h('span', { class: 'note sev-warning' }, '⚠ warning'),
    h('span', { class: 'note muted' }, 'Select a marker to open that participant at that time.'),
  );
}

export function presenceTimeline(ctx, peers, issues, start, end) {
  const span = Math.max(1, end - start);
  const pct = (t) => `${Math.max(0, Math.min(100, ((t - start) / span) * 100))}%`;
  const width = (a, b) => `${Math.max(0.4, Math.min(100, ((Math.min(b, end) - Math.max(a, start)) / span) * 100))}%`;
  const byPeer = new Map();
  for (const i of issues) {
    if (!byPeer.has(i.peer_id)) byPeer.set(i.peer_id, []);
    byPeer.get(i.peer_id).push(i);
  }
  // Never-joined peers last: they have no bar, only their issue markers.
  const sorted = peers.slice().sort((a, b) => (a.joined_ms ?? Infinity) - (b.joined_ms ?? Infinity));
  let limit = TIMELINE_LIMIT;
  const rowsBox = h('div', { class: 'tl-rows', role: 'list' });
  const axis = h('div', { class: 'tl-axis', 'aria-hidden': 'true' });
  // Narrow screens show every second tick, phones every fourth (style.css).
  for (const [k, t] of ticks(start, end, 8).entries()) {
    const tick = h('span', { class: ['tl-tick', k % 2 ? 'tl-tick-odd' : null, k % 4 ? 'tl-tick-not4' : null] }, fmtTime(t));
    tick.style.left = pct(t);
    axis.append(tick);
  }
  const more = h('button', { type: 'button', class: 'btn link' });
  const drawRows = () => {
    rowsBox.replaceChildren(...sorted.slice(0, limit).map((p) => timelineRow(ctx, p, byPeer.get(p.peer_id) || [], pct, width)));
    more.hidden = sorted.length <= TIMELINE_LIMIT;
    more.textContent = limit < sorted.length ? `Show all ${sorted.length} participants` : `Show the first ${TIMELINE_LIMIT} only`;
  };
  more.addEventListener('click', () => {
    limit = limit < sorted.length ? sorted.length : TIMELINE_LIMIT;
    drawRows();
  });
  drawRows();
  return h(
    'div',
    { class: 'timeline' },
    h('div', { class: 'tl-row tl-axis-row' }, h('span', { class: 'tl-label muted' }, zoneName()), axis),
    rowsBox,
    timelineLegend(),
    more,
  );
}

function whenText(issue) {
  if (!isNum(issue.start_ms)) return 'time unknown';
  const dur = issue.duration_ms ?? (isNum(issue.end_ms) ? issue.end_ms - issue.start_ms : 0);
  return dur > 0 ? `${fmtTime(issue.start_ms)}–${fmtTime(issue.end_ms)} ${zoneName()} (${fmtDuration(dur)})` : `at ${fmtTime(issue.start_ms)} ${zoneName()}`;
}

// One top issue as a sentence: who, when, which way, what happened, what to do.
function topIssueItem(ctx, issue, peers) {
  const nameOf = (id) => peers.get(id)?.name || shortId(id);
  const who = issue.peer_name || nameOf(issue.peer_id);
  const at = isNum(issue.start_ms) ? { t: String(issue.start_ms) } : {};
  // The engine's sender -> receiver pair of the issue (issues[].pair).
  const pair = issue.pair;
  const links = [
    h('a', { class: 'top-peer-link', href: ctx.hashFor('peer', issue.peer_id, { ...at, issue: String(issue.index) }) }, `Open ${who}${isNum(issue.start_ms) ? ` at ${fmtTime(issue.start_ms).slice(0, 5)}` : ''}`),
    pair
      ? h(
          'a',
          { class: 'top-pair-link', href: ctx.hashFor('compare', '', pairParams(issue)) },
          `Compare ${nameOf(pair.from)} → ${nameOf(pair.to)}${pair.others > 0 ? ` (+${pair.others} more ${issue.direction === 'downlink' ? 'sender' : 'receiver'}${pair.others === 1 ? '' : 's'})` : ''}`,
        )
      : null,
  ];
  return h(
    'li',
    { class: ['top-issue', `sev-${issue.severity}`] },
    h(
      'p',
      { class: 'top-issue-head' },
      severityBadge(issue.severity),
      ' ',
      h('strong', { class: 'top-issue-title' }, issue.title || codeLabel(issue.code)),
    ),
    h(
      'p',
      { class: 'top-issue-meta' },
      h('strong', null, who),
      ` · ${whenText(issue)}${issue.direction ? ` · ${directionLabel(issue.direction)}` : ''}`,
    ),
    issue.advice ? h('p', { class: 'top-issue-advice' }, h('span', { 'aria-hidden': 'true' }, '→ '), h('strong', null, 'What to do: '), issue.advice) : null,
    issue.detail ? h('details', { class: 'top-issue-detail' }, h('summary', null, 'The figures'), h('p', { class: 'muted' }, issue.detail)) : null,
    h('p', { class: 'top-issue-links' }, links),
  );
}

// A failure event (errors.events) as a sentence: who, when, what failed, what it
// means and what to do, all in the report's words.
function failureItem(ctx, e, peers) {
  const who = e.peer_id ? peers.get(e.peer_id)?.name || shortId(e.peer_id) : 'Session';
  const link =
    e.peer_id && peers.has(e.peer_id)
      ? h('p', { class: 'top-issue-links' }, h('a', { class: 'top-peer-link', href: ctx.hashFor('peer', e.peer_id, isNum(e.time_ms) ? { t: String(e.time_ms) } : {}) }, `Open ${who}${isNum(e.time_ms) ? ` at ${fmtTime(e.time_ms).slice(0, 5)}` : ''}`))
      : null;
  return h(
    'li',
    { class: ['top-issue', 'top-failure', e.is_terminal ? 'sev-critical' : 'sev-warning'] },
    h('p', { class: 'top-issue-head' }, h('span', { class: `badge sev-${e.is_terminal ? 'critical' : 'warning'}` }, e.is_terminal ? '✖ Terminal failure' : '⚠ Failure (not terminal)'), ' ', h('strong', { class: 'top-issue-title' }, e.detail || e.type || '')),
    h('p', { class: 'top-issue-meta' }, h('strong', null, who), ` · at ${fmtTime(e.time_ms)} ${zoneName()}`),
    e.meaning ? h('p', { class: 'top-issue-detail muted' }, e.meaning) : null,
    e.advice ? h('p', { class: 'top-issue-advice' }, h('span', { 'aria-hidden': 'true' }, '→ '), h('strong', null, 'What to do: '), e.advice) : null,
    link,
  );
}

// Failure events, terminal first, then by time; at most five.
function topFailures(events) {
  return events
    .slice()
    .sort((a, b) => (b.is_terminal ? 1 : 0) - (a.is_terminal ? 1 : 0) || (a.time_ms ?? 0) - (b.time_ms ?? 0))
    .slice(0, 5);
}

// The first card: the verdict, then the top issues (at most five, in the report's
// order) and the failure events behind the verdict that no issue reports (the
// report links each failure event to its issue). Terminal failures come first
// when no top issue is critical, so the card leads with what made the verdict.
function diagnosisCard(ctx, verdict, top, total, peers, errorEvents) {
  const unreported = errorEvents.filter((e) => e.issue === null || e.issue === undefined);
  const failures = topFailures(unreported);
  const failuresFirst = failures.some((e) => e.is_terminal) && !top.some((i) => i.severity === 'critical');
  const failureBlock = failures.length
    ? [
        h('h3', { class: 'top-failures-head' }, `Other failed actions (${unreported.length})`),
        h('ol', { class: 'top-issues top-failures' }, failures.map((e) => failureItem(ctx, e, peers))),
        unreported.length > failures.length ? h('p', null, h('a', { href: ctx.hashFor('errors') }, `See all ${errorEvents.length} failure events`)) : null,
      ]
    : null;
  const line = verdict.level
    ? h('p', { class: `verdict verdict-${verdict.level}`, role: 'status' }, h('strong', null, verdict.level === 'ok' ? 'Verdict: ' : `Verdict (${verdict.level}): `), verdictText(verdict))
    : null;
  return h(
    'section',
    { class: 'panel diagnosis' },
    h('h2', null, 'Diagnosis'),
    line,
    failuresFirst ? failureBlock : null,
    failures.length && top.length ? h('h3', { class: 'top-issues-head' }, `Issues (${total})`) : null,
    top.length > 1 ? h('p', { class: 'muted top-issues-note' }, `The ${top.length} worst issues, worst first:`) : null,
    top.length
      ? h('ol', { class: 'top-issues' }, top.map((i) => topIssueItem(ctx, i, peers)))
      : h('p', { class: verdict.level === 'ok' ? 'ok-note' : 'muted' }, verdict.level === 'ok' ? '✔ No issues detected.' : 'No issue was detected.'),
    total > top.length ? h('p', null, h('a', { href: ctx.hashFor('issues') }, `See all ${total} issues`)) : null,
    failuresFirst ? null : failureBlock,
  );
}

function sessionFacts(session, summary, meetings) {
  return dl([
    ['Session ID', session.session_id],
    ['Room ID', session.room_id || null],
    ['Start', fmtDateTime(session.start_ms)],
    ['End', fmtDateTime(session.end_ms)],
    ['Duration', fmtDuration(session.duration_ms)],
    ['Participants', isNum(summary.participants) ? String(summary.participants) : String(arr(session.peers).length)],
    ['Participant-minutes', isNum(summary.participant_minutes) ? fmtNum(summary.participant_minutes, 1) : null],
    ['Meetings', String(meetings.length)],
    ['Published tracks', isNum(summary.published_tracks) ? String(summary.published_tracks) : null],
  ]);
}

function meetingFacts(meeting) {
  return section(
    `Meeting ${meeting.index + 1}`,
    dl([
      ['Start', fmtDateTime(meeting.start_ms)],
      ['End', fmtDateTime(meeting.end_ms)],
      ['Duration', fmtDuration(meeting.duration_ms ?? meeting.end_ms - meeting.start_ms)],
      ['Call type', callTypeLabel(meeting.call_type)],
      ['Participants', String(isNum(meeting.participants) ? meeting.participants : arr(meeting.peer_ids).length)],
      ['Publishers', isNum(meeting.publishers) ? String(meeting.publishers) : null],
      ['Viewers', isNum(meeting.viewers) ? String(meeting.viewers) : null],
      ['Participant-minutes', isNum(meeting.participant_minutes) ? fmtNum(meeting.participant_minutes, 1) : null],
      ['Published tracks', isNum(meeting.published_tracks) ? String(meeting.published_tracks) : null],
    ]),
  );
}

// Shows one meeting (by the report's meetings[].index), or the whole session (null).
const showMeeting = (ctx, index) => {
  ctx.state.meetingIndex = index;
  ctx.navigate('overview');
};

function meetingsTable(ctx, meetings) {
  return table(
    [
      { label: 'Meeting', get: (m) => String(m.index + 1) },
      { label: 'Start', get: (m) => fmtDateTime(m.start_ms) },
      { label: 'End', get: (m) => fmtTime(m.end_ms) },
      { label: 'Duration', get: (m) => fmtDuration(m.duration_ms ?? m.end_ms - m.start_ms) },
      { label: 'Call type', get: (m) => h('span', { class: 'call-type' }, callTypeLabel(m.call_type)) },
      { label: 'Participants', class: 'num', get: (m) => String(isNum(m.participants) ? m.participants : arr(m.peer_ids).length) },
      { label: 'Participant-min', class: 'num', get: (m) => fmtNum(m.participant_minutes, 1) },
      { label: 'Tracks', class: 'num', get: (m) => (isNum(m.published_tracks) ? String(m.published_tracks) : '—') },
      {
        label: h('span', { class: 'visually-hidden' }, 'Scope'),
        get: (m) =>
          ctx.state.meetingIndex === m.index
            ? h('span', { class: 'muted' }, 'shown')
            : h('button', { type: 'button', class: 'btn link', onClick: () => showMeeting(ctx, m.index) }, 'Show only this meeting'),
      },
    ],
    meetings,
    { class: 'meetings' },
  );
}

// The analysis's ranking as it is (the meeting's own list in a meeting): never re-ranked here.
function worstPeersSection(ctx, summary, meeting, peers) {
  const ranked = arr(summary.worst_peers);
  const byId = new Map(ranked.map((w) => [w.peer_id, w]));
  const worstAll = meeting ? arr(meeting.worst_peers).map((id) => byId.get(id)).filter(Boolean) : ranked;
  const worst = worstAll.slice(0, WORST_LIMIT);
  return section(
    'Worst peers',
    worst.length
      ? scrollX(table(
          [
            { label: 'Participant', get: (w) => h('a', { href: ctx.hashFor('peer', w.peer_id) }, w.name || peers.get(w.peer_id)?.name || shortId(w.peer_id)) },
            { label: 'Why', get: (w) => rankReasonText(w) },
            { label: 'CQS', get: (w) => cqsBadge(w.cqs, peers.get(w.peer_id)?.cqs_band) },
            { label: 'Issues', class: 'num', get: (w) => String(w.issues ?? peers.get(w.peer_id)?.issue_count ?? 0) },
          ],
          worst,
        ), 'Worst peers')
      : h('p', { class: 'muted' }, 'Nobody had a problem.'),
    worstAll.length > worst.length ? h('p', { class: 'muted' }, `and ${worstAll.length - worst.length} more (see Participants)`) : null,
  );
}

function commonIssuesSection(ctx, scope) {
  const common = countByCode(scope.issues).slice(0, 8);
  return section(
    'Most common issues',
    common.length
      ? table(
          [
            { label: 'Issue', get: (c) => h('a', { href: ctx.hashFor('issues', '', { code: c.code }) }, codeLabel(c.code)) },
            { label: 'Count', class: 'num', get: (c) => String(c.count) },
            { label: 'Critical', class: 'num', get: (c) => String(c.critical) },
            { label: 'Participants', class: 'num', get: (c) => String(c.peers.size) },
          ],
          common,
        )
      : h('p', { class: 'ok-note' }, '✔ No issues detected.'),
  );
}

function metricsSection(summary) {
  const metrics = Object.entries(obj(summary.metrics));
  if (!metrics.length) return null;
  const name = (k) => k.split('.').slice(2).join('.');
  return section(
    'Metric distributions (whole session)',
    scrollX(table(
      [
        { label: 'Direction', get: ([k]) => (k.split('.')[0] === 'publisher' ? 'Sent' : k.split('.')[0] === 'subscriber' ? 'Received' : k.split('.')[0]) },
        { label: 'Media', get: ([k]) => kindLabel(k.split('.')[1]) },
        { label: 'Metric', get: ([k]) => metricLabel(name(k)) },
        { label: 'Median', class: 'num', get: ([k, v]) => fmtMetric(name(k), v?.median) },
        { label: 'p95 (worse end)', class: 'num', get: ([k, v]) => fmtMetric(name(k), v?.p95) },
        { label: 'Worst', class: 'num', get: ([k, v]) => fmtMetric(name(k), v?.worst) },
        { label: 'Samples', class: 'num', get: ([, v]) => (isNum(v?.count) ? String(v.count) : '—') },
      ],
      metrics,
      { class: 'compact' },
    ), 'Metric distributions'),
  );
}

export function renderOverview(ctx) {
  const { session, scope, meeting } = ctx;
  const summary = obj(session.summary);
  const meetings = arr(session.meetings);
  const peers = peerIndex(session);
  const counts = obj(meeting ? meeting.issues_by_severity : summary.issues_by_severity);
  const issues = arr(session.issues);
  const top = arr(meeting ? meeting.top_issues : summary.top_issues)
    .slice(0, 5)
    .map((n) => issues[n])
    .filter(Boolean);
  const scopeNote = meeting
    ? h('p', { class: 'scope-note' }, `Showing meeting ${meeting.index + 1} of ${meetings.length}. `, h('button', { type: 'button', class: 'btn link', onClick: () => showMeeting(ctx, null) }, 'Show the whole session'))
    : null;

  return h(
    'div',
    { class: 'view overview' },
    h('div', { class: 'view-head' }, h('h1', null, 'Session overview'), scopeNote),
    diagnosisCard(ctx, obj(summary.verdict), top, scope.issues.length, peers, scope.errorEvents),
    h(
      'div',
      { class: 'grid two' },
      section('Session', sessionFacts(session, summary, meetings)),
      h(
        'div',
        { class: 'stack' },
        section(
          meeting ? 'Issues in this meeting' : 'Issues',
          severitySummary(counts),
          h('p', null, h('a', { href: ctx.hashFor('issues') }, `See all ${scope.issues.length} issue${scope.issues.length === 1 ? '' : 's'}`)),
        ),
        meeting ? meetingFacts(meeting) : null,
      ),
    ),
    section(`Meetings (${meetings.length})`, meetings.length ? scrollX(meetingsTable(ctx, meetings), 'Meetings') : h('p', { class: 'muted' }, 'No meetings.')),
    section('Who was there, and when', presenceTimeline(ctx, scope.peers, scope.issues, scope.start, scope.end)),
    meeting ? null : activitySection(ctx, session),
    h('div', { class: 'grid two' }, worstPeersSection(ctx, summary, meeting, peers), commonIssuesSection(ctx, scope)),
    metricsSection(summary),
    exportSection(ctx.report, ctx),
  );
}
