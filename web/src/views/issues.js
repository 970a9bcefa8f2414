// Issues: filter by severity, code, peer and direction; the most common issues;
// each issue opens its peer's detail at that time.
import { h, section } from '../dom.js';
import { exportSection } from '../export.js';
import { codeLabel, directionLabel, fmtDuration, fmtTime, severityBadge, shortId, zoneName } from '../format.js';
import { countByCode, pairParams, peerIndex, severityCounts } from '../report.js';
import { createVirtualTable } from '../vtable.js';
import { severitySummary } from './overview.js';

const SEV_RANK = { critical: 0, warning: 1, info: 2 };

// The pair link of an issue's row: the engine's sender -> receiver pair at its time.
function pairCell(ctx, nameOf, i) {
  if (!i.pair) return '—';
  return h('a', { class: 'pair-link', href: ctx.hashFor('compare', '', pairParams(i)), title: 'Compare what was sent with what was received' }, `${nameOf(i.pair.from)} → ${nameOf(i.pair.to)}`);
}

function issueColumns(ctx, nameOf) {
  return [
    { key: 'sev', label: 'Severity', width: '112px', sort: (i) => SEV_RANK[i.severity] ?? 3, render: (i) => severityBadge(i.severity) },
    { key: 'title', label: 'Issue', width: 'minmax(260px, 3fr)', sort: (i) => i.title || i.code, render: (i) => h('span', { class: 'issue-title', title: i.detail || '' }, i.title || codeLabel(i.code)) },
    { key: 'code', label: 'Code', width: 'minmax(130px, 1fr)', sort: (i) => i.code, render: (i) => h('span', { class: 'mono' }, i.code) },
    { key: 'peer', label: 'Participant', width: 'minmax(130px, 1.2fr)', sort: (i) => nameOf(i.peer_id).toLowerCase(), render: (i) => nameOf(i.peer_id) },
    { key: 'dir', label: 'Direction', width: '150px', sort: (i) => i.direction || 'z', render: (i) => directionLabel(i.direction) },
    { key: 'start', label: `Start (${zoneName()})`, width: '92px', sort: (i) => i.start_ms, render: (i) => fmtTime(i.start_ms) },
    { key: 'dur', label: 'Duration', width: '100px', sort: (i) => i.duration_ms ?? i.end_ms - i.start_ms, render: (i) => fmtDuration(i.duration_ms ?? i.end_ms - i.start_ms) },
    { key: 'pair', label: 'Sender → receiver', width: 'minmax(170px, 1.2fr)', render: (i) => pairCell(ctx, nameOf, i) },
  ];
}

// The issues that pass the filters f ({sev, code, peer, dir}; "" = any).
function filtered(all, f) {
  return all.filter(
    (i) =>
      (!f.sev || i.severity === f.sev) &&
      (!f.code || i.code === f.code) &&
      (!f.peer || i.peer_id === f.peer || (i.affected_peers || []).includes(f.peer)) &&
      (!f.dir || (f.dir === 'none' ? !i.direction : i.direction === f.dir)),
  );
}

// The filter selects, each bound to its key of f; onChange after any change.
function filterSelects(all, f, codes, nameOf, onChange) {
  const select = (key, label, options) => {
    const sel = h('select', { id: `issue-${key}`, 'aria-label': label }, options.map(([v, text]) => h('option', { value: v, selected: f[key] === v }, text)));
    sel.addEventListener('change', () => {
      f[key] = sel.value;
      onChange();
    });
    return sel;
  };
  const peerOptions = [...new Set(all.flatMap((i) => [i.peer_id, ...(i.affected_peers || [])]))]
    .filter((id) => id)
    .map((id) => [id, nameOf(id)])
    .sort((a, b) => a[1].localeCompare(b[1]));
  return {
    sev: select('sev', 'Severity', [['', 'All severities'], ['critical', 'Critical'], ['warning', 'Warning'], ['info', 'Info']]),
    code: select('code', 'Issue code', [['', 'All issue codes'], ...codes.map((c) => [c.code, `${codeLabel(c.code)} (${c.count})`])]),
    peer: select('peer', 'Participant', [['', 'All participants'], ...peerOptions]),
    dir: select('dir', 'Direction', [['', 'Any direction'], ['uplink', 'Uplink (sent)'], ['downlink', 'Downlink (received)'], ['none', 'No direction']]),
  };
}

// A bar per issue code, most frequent first; choosing one filters by it.
function commonIssues(codes, onPick) {
  if (!codes.length) return h('p', { class: 'ok-note' }, '✔ No issues detected.');
  const max = Math.max(1, ...codes.map((c) => c.count));
  return h(
    'ol',
    { class: 'common-issues' },
    codes.map((c) => {
      const bar = h('span', { class: 'bar', 'aria-hidden': 'true' });
      bar.style.width = `${(c.count / max) * 100}%`;
      return h(
        'li',
        null,
        h(
          'button',
          // Named by what it shows (the label and the counts), then what it does.
          { type: 'button', class: 'common-issue', onClick: () => onPick(c.code) },
          h('span', { class: 'ci-label' }, codeLabel(c.code)),
          h('span', { class: 'ci-bar' }, bar),
          h('span', { class: 'ci-count' }, `${c.count} issue${c.count === 1 ? '' : 's'} · ${c.peers.size} participant${c.peers.size === 1 ? '' : 's'}${c.critical ? ` · ${c.critical} critical` : ''}`),
          h('span', { class: 'visually-hidden' }, ': show only these'),
        ),
      );
    }),
  );
}

export function renderIssues(ctx) {
  const { scope, session } = ctx;
  const peers = peerIndex(session);
  const params = ctx.route.params;
  const f = { sev: params.get('sev') || '', code: params.get('code') || '', peer: params.get('peer') || '', dir: params.get('dir') || '' };
  const all = scope.issues;
  // A session-wide issue (session_degradation) has peer_id "".
  const nameOf = (id) => (id ? peers.get(id)?.name || shortId(id) : 'Session-wide');

  const vt = createVirtualTable(issueColumns(ctx, nameOf), {
    rows: filtered(all, f),
    rowHeight: 40,
    label: 'Issues',
    sort: { key: 'start', dir: 'asc' },
    onOpen: (i) => i.peer_id && ctx.navigate('peer', i.peer_id, { t: String(i.start_ms), issue: String(i.index ?? '') }),
    rowLabel: (i) => `${i.severity}: ${i.title || i.code}, ${nameOf(i.peer_id)}, ${fmtTime(i.start_ms)}`,
    status: (shown, total) => (shown === total ? `${total} issues` : `${shown} of ${total} issues`),
    empty: all.length ? 'No issue matches the filters.' : 'No issues were detected.',
  });

  const update = () => {
    const p = new URLSearchParams();
    for (const [k, v] of Object.entries(f)) if (v) p.set(k, v);
    history.replaceState(null, '', ctx.hashFor('issues', '', p));
    vt.setRows(filtered(all, f));
    for (const [k, sel] of Object.entries(selects)) sel.value = f[k];
  };
  const codes = countByCode(all);
  const selects = filterSelects(all, f, codes, nameOf, update);
  const clearBtn = h('button', { type: 'button', class: 'btn link', onClick: () => { Object.keys(f).forEach((k) => (f[k] = '')); update(); } }, 'Clear filters');
  const common = commonIssues(codes, (code) => {
    f.code = code;
    update();
  });

  return h(
    'div',
    { class: 'view issues' },
    h('div', { class: 'view-head' }, h('h1', null, `Issues (${all.length})`)),
    h('div', { class: 'grid two' }, section('By severity', severitySummary(severityCounts(all))), section('Most common issues', common)),
    section(
      'All issues',
      h('div', { class: 'filters' }, selects.sev, selects.code, selects.peer, selects.dir, clearBtn),
      h('p', { class: 'muted hint' }, 'Select an issue (click or Enter) to open that participant at that time; “Sender → receiver” compares the two sides of an issue between two participants. “Participant” also matches the receivers affected by an uplink issue.'),
      vt.el,
    ),
    exportSection(ctx.report, ctx),
  );
}
