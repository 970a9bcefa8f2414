// A large session's activity (report `activity`, sessions of more than 100
// participants): joins, publishes, subscribes and connects that succeeded and
// failed over time, one operation at a time, and the participants by role.
// Everything shown is the engine's; the page only draws it.
import uPlot from 'uplot';
import { autoResize } from '../chart.js';
import { h, section, table } from '../dom.js';
import { fmtDuration, fmtNum, fmtTime, isNum, zoneDate, zoneName } from '../format.js';
import { arr, obj } from '../report.js';

const OPERATIONS = [
  ['join', 'Joins'],
  ['publish', 'Publishes'],
  ['subscribe', 'Subscribes'],
  ['connect', 'Connections'],
];

const sum = (list) => arr(list).reduce((a, v) => a + (isNum(v) ? v : 0), 0);

// The bucket with the most failures: [index, count], or null when none failed.
function peakFailures(failed) {
  let best = null;
  arr(failed).forEach((v, i) => {
    if (isNum(v) && v > 0 && (!best || v > best[1])) best = [i, v];
  });
  return best;
}

function totalsTable(activity) {
  const at = (i) => activity.start_ms + i * activity.bucket_ms;
  const rows = OPERATIONS.map(([key, label]) => ({ key, label, counts: obj(obj(activity.operations)[key]) }));
  return table(
    [
      { label: 'Operation', get: (r) => r.label },
      { label: 'Attempts', class: 'num', get: (r) => fmtNum(sum(r.counts.succeeded) + sum(r.counts.failed), 0) },
      { label: 'Failed', class: 'num', get: (r) => fmtNum(sum(r.counts.failed), 0) },
      {
        label: 'Most failures',
        get: (r) => {
          const peak = peakFailures(r.counts.failed);
          return peak ? `${fmtNum(peak[1], 0)} at ${fmtTime(at(peak[0]))}–${fmtTime(at(peak[0] + 1))}` : '—';
        },
      },
    ],
    rows,
    { class: 'compact activity-totals' },
  );
}

function rolesTable(activity) {
  return table(
    [
      { label: 'Role', get: (r) => (r.role ? r.role : h('span', { class: 'muted' }, 'no role given')) },
      { label: 'Participants', class: 'num', get: (r) => fmtNum(r.participants, 0) },
      { label: 'With issues', class: 'num', get: (r) => fmtNum(r.with_issues, 0) },
      { label: 'Failures', class: 'num', get: (r) => fmtNum(r.failures, 0) },
    ],
    arr(activity.roles),
    { class: 'compact activity-roles' },
  );
}

// One operation's chart: succeeded (solid, filled dots) and failed (dashed,
// red, hollow squares... drawn as hollow dots) per bucket.
function drawOperation(ctx, plot, activity, key, label) {
  plot.replaceChildren();
  const counts = obj(obj(activity.operations)[key]);
  const n = activity.buckets;
  const x = Array.from({ length: n }, (_, i) => activity.start_ms + i * activity.bucket_ms);
  const data = [x, arr(counts.succeeded).slice(0, n), arr(counts.failed).slice(0, n)];
  if (!plot.isConnected || plot.clientWidth === 0) return;
  const per = `per ${fmtDuration(activity.bucket_ms)}`;
  const u = new uPlot(
    {
      width: Math.max(280, Math.floor(plot.clientWidth)),
      height: 200,
      ms: 1,
      tzDate: zoneDate,
      scales: { x: { time: true }, y: { range: (u, min, max) => [0, Math.max(1, max)] } },
      legend: { live: true },
      cursor: { drag: { x: false, y: false } },
      axes: [
        { stroke: '#4b5563', grid: { stroke: '#e5e7eb' }, values: (u, splits) => splits.map((v) => fmtTime(v).slice(0, 5)), space: 70 },
        { label: `${label.toLowerCase()} ${per}`, stroke: '#4b5563', grid: { stroke: '#e5e7eb' }, size: 48, values: (u, s) => s.map((v) => (Number.isInteger(v) ? String(v) : '')) },
      ],
      series: [
        { label: `Time (${zoneName()})`, value: (u, v) => (v == null ? '—' : `${fmtTime(v)}–${fmtTime(v + activity.bucket_ms)}`) },
        { label: 'Succeeded', stroke: '#059669', width: 2, points: { size: 5, fill: '#059669' }, value: (u, v) => (v == null ? '—' : fmtNum(v, 0)) },
        { label: 'Failed', stroke: '#dc2626', width: 2, dash: [6, 4], points: { size: 6, fill: '#fff', stroke: '#dc2626', width: 2 }, value: (u, v) => (v == null ? '—' : fmtNum(v, 0)) },
      ],
    },
    data,
    plot,
  );
  u.root.setAttribute('role', 'img');
  u.root.setAttribute('aria-label', `${label} that succeeded and failed ${per}`);
  ctx.onCleanup(autoResize(plot, u));
  ctx.onCleanup(() => u.destroy());
}

// The overview's card for a large session; null for any other session.
export function activitySection(ctx, session) {
  const activity = session.activity;
  if (!activity || !isNum(activity.buckets) || activity.buckets < 1) return null;
  const plot = h('div', { class: 'plot activity-plot', id: 'activity-plot' });
  let current = 'join';
  const buttons = OPERATIONS.map(([key, label]) =>
    h('button', {
      type: 'button',
      class: 'btn chip',
      dataset: { operation: key },
      'aria-pressed': String(key === current),
      onClick: (e) => {
        current = key;
        for (const b of buttons) b.setAttribute('aria-pressed', String(b.dataset.operation === key));
        drawOperation(ctx, plot, activity, key, label);
        e.currentTarget.focus();
      },
    }, label),
  );
  requestAnimationFrame(() => drawOperation(ctx, plot, activity, current, 'Joins'));
  return section(
    'Joins, publishes and subscribes over time',
    h('p', { class: 'hint muted' }, `A session of ${fmtNum(sum(arr(activity.roles).map((r) => r.participants)), 0)} participants: attempts per ${fmtDuration(activity.bucket_ms)}, solid green line with dots for those that succeeded, dashed red line with hollow dots for those that failed. A success counts when the participant first appears or the track's first sample arrives.`),
    h('div', { class: 'chip-row', role: 'group', 'aria-label': 'Operation shown' }, buttons),
    plot,
    h('div', { class: 'table-wrap' }, totalsTable(activity)),
    h('h3', null, 'Participants by role'),
    h('div', { class: 'table-wrap' }, rolesTable(activity)),
  );
}
