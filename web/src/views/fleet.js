// Fleet: what goes wrong most across many sessions, from the engine's fleet
// summary (the JSON of `callsight fleet --format json`): first the totals and
// the most common issue with its share of sessions and the browser, OS or SDK
// version that suffers most from it; then bar charts of the most common issues
// and of one issue by browser, OS, SDK version, role or room; the per-day
// trend; the worst sessions and rooms. Every number shown is the summary's.
import uPlot from 'uplot';
import { autoResize } from '../chart.js';
import { h, replace, scrollBox, section, table } from '../dom.js';
import { codeLabel, fmtNum, fmtPct, isNum, shortId } from '../format.js';
import { arr, obj } from '../report.js';

const DIMENSIONS = [
  { key: 'browser', label: 'Browser' },
  { key: 'os', label: 'OS' },
  { key: 'sdk_version', label: 'SDK version' },
  { key: 'role', label: 'Role' },
  { key: 'room', label: 'Room' },
];
// The dimensions the summary names a most affected group for, in the headline.
const SUFFERING = ['browser', 'os', 'sdk_version'];
const ISSUES_LISTED = 10;
const GROUPS_LISTED = 12;
// As the engine's kFleetMinGroup: smaller groups are shown, marked, never named "most affected".
const MIN_GROUP = 5;
// A share as format.js writes it, the number and its % kept on one line.
const pct = (v) => fmtPct(v).replace(' %', '\u00a0%');
const scrollX = (el, label) => scrollBox(label, el);
const dimLabel = (key) => DIMENSIONS.find((d) => d.key === key)?.label || key;
const plural = (n, one, many = `${one}s`) => `${fmtNum(n, 0)} ${n === 1 ? one : many}`;

// One bar: label, a bar as long as `share` (0..1) of the track, and the value text.
function bar(label, share, valueText, { small = false, title } = {}) {
  const fill = h('span', { class: 'fleet-bar-fill' });
  fill.style.width = `${Math.max(0, Math.min(1, share || 0)) * 100}%`;
  return h(
    'li',
    { class: ['fleet-bar', small && 'few'], title },
    h('span', { class: 'fleet-bar-label' }, label),
    h('span', { class: 'fleet-bar-track', 'aria-hidden': 'true' }, fill),
    h('span', { class: 'fleet-bar-value' }, valueText),
  );
}

function stat(value, label, id) {
  return h('div', { class: 'fleet-stat' }, h('span', { class: 'fleet-stat-value', id }, value), h('span', { class: 'fleet-stat-label' }, label));
}

// The summary's breakdown by `dimension` (null when it has none).
function breakdownOf(summary, dimension) {
  return arr(summary.breakdowns).find((b) => b.dimension === dimension) || null;
}

// "Safari: 80 % of its participants had it" for each dimension that names one.
function sufferers(summary, top) {
  const rows = [];
  for (const key of SUFFERING) {
    const b = breakdownOf(summary, key);
    if (!b || !b.most_affected) continue;
    const group = arr(b.groups).find((g) => g.value === b.most_affected);
    rows.push({ key, value: b.most_affected, share: b.most_affected_share, participants: group?.participants });
  }
  rows.sort((a, b) => b.share - a.share);
  return rows.map((r, i) =>
    h(
      'li',
      { class: ['fleet-sufferer', i === 0 && 'worst'], dataset: { dimension: r.key } },
      h('span', { class: 'muted' }, `${dimLabel(r.key)}: `),
      h('strong', { class: 'fleet-sufferer-value' }, r.value),
      ` — ${pct(r.share)} of its ${isNum(r.participants) ? plural(r.participants, 'participant') : 'participants'} had it, against ${pct(top.participant_share)} of all participants`,
    ),
  );
}

// The first card: totals, the most common issue, who suffers most from it.
function headline(summary, fleet) {
  const top = arr(summary.issues)[0];
  const f = obj(summary.failures);
  const stats = h(
    'div',
    { class: 'fleet-stats' },
    stat(fmtNum(summary.sessions, 0), 'sessions', 'fleet-sessions'),
    stat(fmtNum(summary.participants, 0), 'participants', 'fleet-participants'),
    stat(fmtNum(summary.participant_minutes, 0), 'participant-minutes', 'fleet-minutes'),
    stat(pct(f.critical_session_share), 'sessions with a critical issue'),
  );
  const topBlock = top
    ? h(
        'div',
        { class: 'fleet-top', id: 'fleet-top' },
        h('p', { class: 'fleet-top-title' }, 'Most common issue: ', h('strong', { id: 'fleet-top-code', dataset: { code: top.code } }, codeLabel(top.code))),
        h(
          'p',
          { class: 'fleet-top-share' },
          h('strong', { id: 'fleet-top-share' }, pct(top.session_share)),
          ` of sessions (${fmtNum(top.sessions, 0)} of ${fmtNum(summary.sessions, 0)}), ${pct(top.participant_share)} of participants; ${pct(top.critical_share)} of its ${plural(top.count, 'occurrence')} critical.`,
        ),
        h('p', { class: 'fleet-top-who' }, 'Suffers most from it:'),
        (() => {
          const list = sufferers(summary, top);
          return list.length
            ? h('ul', { class: 'fleet-sufferers', id: 'fleet-sufferers' }, list)
            : h('p', { class: 'muted' }, `No browser, OS or SDK version with at least ${MIN_GROUP} known participants stands out.`);
        })(),
      )
    : h('p', { class: 'ok-note' }, 'No warning or critical issue in any session.');
  const source =
    fleet.source === 'tables'
      ? `From the tables ${fleet.names.join(', ')}.`
      : `From ${plural(fleet.folders, 'folder')}, each analyzed on its own in this browser.`;
  return h(
    'section',
    { class: 'panel fleet-headline', 'aria-labelledby': 'fleet-title' },
    h('div', { class: 'view-head' }, h('h1', { id: 'fleet-title' }, 'Fleet'), h('p', { class: 'scope-note' }, source, summary.since ? ` Sessions since ${summary.since}.` : '')),
    stats,
    topBlock,
  );
}

function issueBars(summary) {
  const issues = arr(summary.issues).slice(0, ISSUES_LISTED);
  if (!issues.length) return section('Most common issues', h('p', { class: 'muted' }, 'None.'));
  return section(
    'Most common issues',
    h('p', { class: 'hint muted' }, 'Share of sessions with the issue (warning or critical); the bar spans 0–100 %.'),
    h(
      'ul',
      { class: 'fleet-bars', id: 'fleet-issue-bars' },
      issues.map((i) => bar(codeLabel(i.code), i.session_share, `${pct(i.session_share)} · ${plural(i.sessions, 'session')}`)),
    ),
    arr(summary.issues).length > ISSUES_LISTED ? h('p', { class: 'muted small' }, `${arr(summary.issues).length - ISSUES_LISTED} rarer issues not shown.`) : null,
  );
}

// Bars of one issue's participant share in each group of one dimension, with
// pickers for both.
function breakdownCard(summary) {
  const codes = arr(summary.issues).map((i) => i.code);
  const state = { dimension: 'browser', code: codes[0] };
  const bars = h('ul', { class: 'fleet-bars', id: 'fleet-breakdown-bars' });
  const note = h('p', { class: 'hint muted' });
  const draw = () => {
    const b = breakdownOf(summary, state.dimension);
    const groups = arr(b?.groups).slice(0, GROUPS_LISTED);
    note.textContent = `Share of each ${dimLabel(state.dimension).toLowerCase()}'s participants who had “${codeLabel(state.code)}”; the bar spans 0–100 %. Faded: fewer than ${MIN_GROUP} participants.`;
    replace(
      bars,
      groups.length
        ? groups.map((g) => {
            const i = arr(g.issues).find((x) => x.code === state.code);
            const share = i ? i.participant_share : 0;
            const name = g.value === null ? 'not known' : g.value;
            return bar(name, share, `${pct(share)} of ${plural(g.participants, 'participant')}`, { small: g.participants < MIN_GROUP });
          })
        : h('li', { class: 'muted' }, 'No participants.'),
    );
  };
  const dimSelect = h('select', { id: 'fleet-dimension' }, DIMENSIONS.map((d) => h('option', { value: d.key }, d.label)));
  dimSelect.addEventListener('change', () => {
    state.dimension = dimSelect.value;
    draw();
  });
  const codeSelect = h('select', { id: 'fleet-code' }, codes.map((c) => h('option', { value: c }, codeLabel(c))));
  codeSelect.addEventListener('change', () => {
    state.code = codeSelect.value;
    draw();
  });
  draw();
  return section(
    'Who has it',
    h('div', { class: 'filters' }, h('label', { class: 'field' }, h('span', null, 'Issue'), codeSelect), h('label', { class: 'field' }, h('span', null, 'Break down by'), dimSelect)),
    note,
    bars,
  );
}

const everyNth = (list, n) => list.filter((_, i) => i % Math.max(1, n) === 0);
const dayMs = (day) => Date.parse(`${day}T00:00:00Z`);

// The per-day trend: share of sessions with an issue (left axis, %) and mean
// CQS (right axis, 0–5), told apart by line style and markers as well as colour.
function trendCard(ctx, summary) {
  const days = arr(summary.days).filter((d) => isNum(dayMs(d.day)));
  const plot = h('div', { class: 'plot fleet-trend', id: 'fleet-trend' });
  const card = section(
    'Per day',
    h('p', { class: 'hint muted' }, 'Solid line with dots: % of the day’s sessions with a warning or critical issue (left axis). Dashed line with hollow dots: the day’s mean CQS, 0–5 (right axis).', summary.worst_day ? ` Worst day: ${summary.worst_day}.` : ''),
    plot,
  );
  if (days.length < 1) {
    plot.append(h('p', { class: 'muted' }, 'No days.'));
    return card;
  }
  const data = [days.map((d) => dayMs(d.day)), days.map((d) => d.issue_share * 100), days.map((d) => (isNum(d.cqs_mean) ? d.cqs_mean : null))];
  const fmtDay = (ms) => new Date(ms).toISOString().slice(0, 10);
  const draw = () => {
    if (!plot.isConnected || plot.clientWidth === 0) return;
    const u = new uPlot(
      {
        width: Math.max(280, Math.floor(plot.clientWidth)),
        height: 220,
        ms: 1,
        tzDate: (ts) => uPlot.tzDate(new Date(ts), 'Etc/UTC'),
        scales: { x: { time: true, range: (u, min, max) => [min - 43200000, max + 43200000] }, pct: { range: [0, 100] }, cqs: { range: [0, 5] } },
        legend: { live: true },
        cursor: { drag: { x: false, y: false } },
        axes: [
          // One tick a day, thinned to every n-th day where they would overlap.
          { stroke: '#4b5563', grid: { stroke: '#e5e7eb' }, values: (u, splits) => splits.map((v) => fmtDay(v).slice(5)), splits: (u) => everyNth(data[0], Math.ceil((data[0].length * 48) / Math.max(1, u.bbox.width / uPlot.pxRatio))) },
          { scale: 'pct', label: '% of sessions with an issue', stroke: '#4b5563', grid: { stroke: '#e5e7eb' }, values: (u, s) => s.map((v) => `${v} %`), size: 56 },
          { scale: 'cqs', side: 1, label: 'mean CQS (0–5)', stroke: '#4b5563', grid: { show: false }, size: 44 },
        ],
        series: [
          { label: 'Day (UTC)', value: (u, v) => (v == null ? '—' : fmtDay(v)) },
          { label: 'Sessions with an issue', scale: 'pct', stroke: '#dc2626', width: 2, points: { size: 7, fill: '#dc2626' }, value: (u, v) => (v == null ? '—' : `${fmtNum(v, 1)} %`) },
          { label: 'Mean CQS', scale: 'cqs', stroke: '#2563eb', width: 2, dash: [6, 4], points: { size: 7, fill: '#fff', stroke: '#2563eb', width: 2 }, value: (u, v) => (v == null ? '—' : fmtNum(v, 2)) },
        ],
      },
      data,
      plot,
    );
    u.root.setAttribute('role', 'img');
    u.root.setAttribute('aria-label', `Per-day trend over ${plural(days.length, 'day')}`);
    ctx.onCleanup(autoResize(plot, u));
    ctx.onCleanup(() => u.destroy());
  };
  requestAnimationFrame(draw);
  return card;
}

// A worst session's id: a button into its own analysis when its files were dropped.
function sessionCell(ctx, id) {
  if (!ctx.openFleetSession || !ctx.state.fleet?.sessionGroup?.has(id)) return h('span', { class: 'mono', title: id }, id);
  return h('button', { type: 'button', class: 'btn link mono fleet-session-link', dataset: { session: id }, title: `Open the analysis of session ${id}`, onClick: () => ctx.openFleetSession(id) }, shortId(id));
}

function worstSessions(ctx, summary) {
  const rows = arr(summary.worst_sessions);
  const cqs = (v) => (isNum(v) ? fmtNum(v, 2) : '—');
  return section(
    'Worst sessions',
    rows.length
      ? scrollX(
          table(
            [
              // What makes it worst first: on a phone the rest scrolls inside the card.
              { label: 'Session', get: (s) => sessionCell(ctx, s.session_id) },
              { label: 'Mean CQS', get: (s) => cqs(s.cqs_mean), class: 'num' },
              { label: 'Critical', get: (s) => fmtNum(s.critical, 0), class: 'num' },
              { label: 'Issues', get: (s) => fmtNum(s.issues, 0), class: 'num' },
              { label: 'Participants', get: (s) => fmtNum(s.participants, 0), class: 'num' },
              { label: 'Room', get: (s) => s.room_name || (s.room_id ? shortId(s.room_id) : '—'), class: 'nowrap' },
              { label: 'Started (UTC)', get: (s) => String(s.started_at || '').replace('T', ' ').replace(/\.\d+Z$|Z$/, ''), class: 'nowrap' },
            ],
            rows,
            { class: 'compact', caption: 'Lowest mean CQS first (sessions without one last), then most critical issues.' },
          ),
          'Worst sessions',
        )
      : h('p', { class: 'muted' }, 'None.'),
  );
}

function worstRooms(summary) {
  const rows = arr(summary.worst_rooms);
  return section(
    'Worst rooms',
    rows.length
      ? scrollX(
          table(
            [
              { label: 'Room', get: (r) => r.room_name || (r.room_id ? shortId(r.room_id) : 'no room'), class: 'nowrap' },
              { label: 'Mean CQS', get: (r) => (isNum(r.cqs_mean) ? fmtNum(r.cqs_mean, 2) : '—'), class: 'num' },
              { label: 'Sessions critical', get: (r) => fmtNum(r.sessions_critical, 0), class: 'num' },
              { label: 'With an issue', get: (r) => fmtNum(r.sessions_with_issue, 0), class: 'num' },
              { label: 'Sessions', get: (r) => fmtNum(r.sessions, 0), class: 'num' },
              { label: 'Participants', get: (r) => fmtNum(r.participants, 0), class: 'num' },
            ],
            rows,
            { class: 'compact' },
          ),
          'Worst rooms',
        )
      : h('p', { class: 'muted' }, 'None.'),
  );
}

function failures(summary) {
  const f = obj(summary.failures);
  return section(
    'Failures',
    h(
      'ul',
      { class: 'plain fleet-failures' },
      h('li', null, h('strong', null, pct(f.failure_share)), ` of participants had an error event (${fmtNum(f.participants_failed, 0)})`),
      h('li', null, h('strong', null, pct(f.terminal_share)), ` had one that ended their session (${fmtNum(f.participants_terminal, 0)})`),
      h('li', null, h('strong', null, pct(f.critical_session_share)), ` of sessions had a critical issue (${fmtNum(f.sessions_critical, 0)})`),
    ),
  );
}

function notes(fleet) {
  if (!fleet.skipped?.length) return null;
  return h(
    'details',
    { class: 'panel fleet-skipped' },
    h('summary', null, `${plural(fleet.skipped.length, 'folder')} gave no session`),
    h('ul', null, fleet.skipped.map((s) => h('li', null, h('code', null, s.folder), ` — ${s.reason}`))),
  );
}

function help(fleet) {
  return h(
    'details',
    { class: 'panel help fleet-help' },
    h('summary', null, 'About this page'),
    h(
      'p',
      null,
      'The fleet summary is computed by the same engine as ',
      h('code', null, 'callsight fleet'),
      ' and gives the same numbers for the same tables. A participant is affected by an issue when the issue is their own (warning or critical). Browsers and OS are known only for participants whose user agent the exports carry (for 100ms: those with an error event).',
    ),
    fleet.source === 'tables'
      ? h('p', null, 'Built from tables: the sessions are listed by id; drop their files (or a folder of session folders) to open one.')
      : h('p', null, 'Each folder was analyzed on its own, keeping only its table rows; a session whose files lie in several folders was analyzed from all of them. A session id in the worst sessions opens that session’s own analysis.'),
  );
}

export function renderFleet(ctx) {
  const fleet = ctx.state.fleet;
  if (!fleet) return h('section', { class: 'panel' }, h('h1', null, 'Fleet'), h('p', null, 'Drop the fleet tables or a folder of many sessions to see the fleet.'));
  const summary = fleet.summary;
  return h(
    'div',
    { class: 'view fleet' },
    headline(summary, fleet),
    h('div', { class: 'grid two' }, issueBars(summary), breakdownCard(summary)),
    trendCard(ctx, summary),
    worstSessions(ctx, summary),
    h('div', { class: 'grid two' }, worstRooms(summary), failures(summary)),
    notes(fleet),
    help(fleet),
  );
}
