// Participants: a sortable, filterable, virtualized table (500+ peers stay smooth).
import { debounce, h } from '../dom.js';
import { createVirtualTable } from '../vtable.js';
import { bandLabel, cqsBadge, fmtDuration, fmtTime, healthBadge, healthLabel, isNum, shortId } from '../format.js';
import { arr, neverJoined } from '../report.js';

const HEALTH_RANK = { poor: 0, moderate: 1, good: 2, none: 3 };

function matches(p, q) {
  if (!q) return true;
  const hay = [p.name, p.peer_id, p.user_id, p.role, p.browser, p.os, p.platform, p.sdk, p.end_reason, p.cqs_band].filter(Boolean).join(' ').toLowerCase();
  return q
    .toLowerCase()
    .split(/\s+/)
    .filter(Boolean)
    .every((term) => hay.includes(term));
}

export function renderPeers(ctx) {
  const { scope } = ctx;
  const st = (ctx.state.peersUi ||= { q: '', issuesOnly: false, band: '', sort: { key: 'cqs', dir: 'asc' } });
  // A user's several peer ids (report users[]: failed attempts, rejoins):
  // sorting by name keeps them together, each marked.
  const attempt = new Map();
  for (const u of arr(ctx.session?.users)) {
    const ids = arr(u.peer_ids);
    if (ids.length > 1) ids.forEach((id, k) => attempt.set(id, { k: k + 1, n: ids.length, user: u }));
  }
  const nameSort = (p) => {
    const a = attempt.get(p.peer_id);
    return `${(a?.user.name || p.name || p.peer_id || '').toLowerCase()}\u0000${a ? String(a.k).padStart(4, '0') : ''}`;
  };
  const nameCell = (p) => {
    const a = attempt.get(p.peer_id);
    return h('span', { class: 'peer-name', title: p.name || '' }, p.name || '(no name)', a ? h('span', { class: 'muted attempt' }, ` · user with ${a.n} peer ids`) : null);
  };
  const never = (p, text) => (neverJoined(p) ? h('span', { class: 'muted never-joined' }, 'never joined') : text);
  const columns = [
    { key: 'name', label: 'Name', width: 'minmax(140px, 1.4fr)', sort: nameSort, render: nameCell },
    { key: 'peer_id', label: 'Peer ID', width: '90px', sort: (p) => p.peer_id, render: (p) => h('span', { class: 'mono', title: p.peer_id }, shortId(p.peer_id)) },
    { key: 'joined', label: 'Joined', width: '72px', sort: (p) => p.joined_ms, render: (p) => never(p, fmtTime(p.joined_ms)) },
    { key: 'left', label: 'Left', width: '72px', sort: (p) => p.left_ms, render: (p) => fmtTime(p.left_ms) },
    { key: 'duration', label: 'Duration', width: '78px', sort: (p) => p.duration_ms, render: (p) => fmtDuration(p.duration_ms) },
    { key: 'cqs', label: 'CQS', width: '112px', sort: (p) => (isNum(p.cqs) ? p.cqs : null), render: (p) => cqsBadge(p.cqs, p.cqs_band) },
    { key: 'audio', label: 'Audio', width: '96px', sort: (p) => HEALTH_RANK[p.call_health?.audio] ?? 4, render: (p) => healthBadge(p.call_health?.audio, 'Audio') },
    { key: 'video', label: 'Video', width: '96px', sort: (p) => HEALTH_RANK[p.call_health?.video] ?? 4, render: (p) => healthBadge(p.call_health?.video, 'Video') },
    { key: 'screen', label: 'Screen', width: '96px', sort: (p) => HEALTH_RANK[p.call_health?.screen] ?? 4, render: (p) => healthBadge(p.call_health?.screen, 'Screen') },
    { key: 'issues', label: 'Issues', width: '56px', class: 'num', sort: (p) => p.issue_count ?? 0, render: (p) => String(p.issue_count ?? 0) },
    { key: 'browser', label: 'Browser', width: 'minmax(110px, 1fr)', sort: (p) => p.browser || null, render: (p) => p.browser || p.platform || '—' },
    { key: 'os', label: 'OS', width: 'minmax(100px, 1fr)', sort: (p) => p.os || null, render: (p) => p.os || '—' },
  ];
  const filtered = () =>
    scope.peers.filter((p) => matches(p, st.q) && (!st.issuesOnly || (p.issue_count || 0) > 0) && (!st.band || (p.cqs_band || 'unknown') === st.band));
  const vt = createTable();
  function createTable() {
    return createVirtualTableFor(columns, filtered(), st, ctx);
  }
  const search = h('input', { type: 'search', id: 'peer-filter', value: st.q, placeholder: 'Filter by name, id, browser, OS…', 'aria-label': 'Filter participants' });
  search.addEventListener(
    'input',
    debounce(() => {
      st.q = search.value.trim();
      vt.setRows(filtered());
    }, 80),
  );
  const issuesOnly = h('input', { type: 'checkbox', id: 'peer-issues-only', checked: st.issuesOnly });
  issuesOnly.addEventListener('change', () => {
    st.issuesOnly = issuesOnly.checked;
    vt.setRows(filtered());
  });
  const band = h(
    'select',
    { id: 'peer-band', 'aria-label': 'CQS band' },
    h('option', { value: '' }, 'Any CQS band'),
    ['excellent', 'good', 'fair', 'poor', 'failed'].map((b) => h('option', { value: b, selected: st.band === b }, bandLabel(b))),
  );
  band.addEventListener('change', () => {
    st.band = band.value;
    vt.setRows(filtered());
  });
  return h(
    'div',
    { class: 'view peers' },
    h('div', { class: 'view-head' }, h('h1', null, `Participants (${scope.peers.length})`)),
    h(
      'div',
      { class: 'filters' },
      search,
      band,
      h('label', { class: 'check', htmlFor: 'peer-issues-only' }, issuesOnly, ' With issues only'),
      h('span', { class: 'muted hint' }, 'Sort by a column heading. Enter or click opens a participant. Health: ', h('span', null, healthLabel('good')), ' / ', healthLabel('moderate'), ' / ', healthLabel('poor'), '.'),
    ),
    vt.el,
  );
}

function createVirtualTableFor(columns, rows, st, ctx) {
  const vt = createVirtualTable(columns, {
    rows,
    rowHeight: 40,
    label: 'Participants',
    sort: st.sort,
    onSort: (sort) => {
      st.sort = sort;
    },
    onOpen: (p) => ctx.navigate('peer', p.peer_id),
    rowLabel: (p) => `${p.name || p.peer_id}, CQS ${isNum(p.cqs) ? p.cqs : 'unknown'}, ${p.issue_count || 0} issues`,
    status: (shown, total) => (shown === total ? `${total} participants` : `${shown} of ${total} participants`),
    empty: 'No participant matches the filter.',
  });
  return vt;
}
