// Downloads made in the browser (Blob + object URL): the report as JSON and the
// issues and breaches as CSV. Nothing goes over the network. exportControls is
// the one set of export buttons (with Print) that Overview, Issues and Settings
// show, in exportSection's card, with the form that saves the session on this
// device (views/savedui.js).
import { h, section } from './dom.js';
import { saveControls } from './views/savedui.js';
import { fmtIso } from './format.js';
import { arr, peerIndex } from './report.js';

// A CSV cell. Text from input files that a spreadsheet would run as a formula
// (= + - @ tab CR at the start) is prefixed with an apostrophe.
export function csvCell(v) {
  if (v === null || v === undefined) return '';
  if (typeof v === 'number') return Number.isFinite(v) ? String(v) : '';
  if (typeof v === 'boolean') return v ? 'true' : 'false';
  let s = Array.isArray(v) ? v.join(' ') : String(v);
  if (/^[=+\-@\t\r]/.test(s)) s = `'${s}`;
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

export function toCsv(header, rows) {
  return [header, ...rows].map((r) => r.map(csvCell).join(',')).join('\r\n') + '\r\n';
}

export function issuesCsv(report) {
  const header = ['session_id', 'index', 'code', 'severity', 'peer_id', 'peer_name', 'direction', 'start', 'end', 'duration_s', 'title', 'detail', 'advice', 'track_ids', 'affected_peers'];
  const rows = [];
  for (const s of arr(report?.sessions)) {
    for (const i of arr(s.issues)) {
      rows.push([
        s.session_id, i.index, i.code, i.severity, i.peer_id, i.peer_name, i.direction, fmtIso(i.start_ms), fmtIso(i.end_ms),
        Number.isFinite(i.duration_ms) ? i.duration_ms / 1000 : null, i.title, i.detail, i.advice, arr(i.track_ids), arr(i.affected_peers),
      ]);
    }
  }
  return toCsv(header, rows);
}

export function breachesCsv(report) {
  const header = ['session_id', 'peer_id', 'peer_name', 'track_id', 'direction', 'kind', 'rid', 'metric', 'severity', 'threshold', 'start', 'end', 'peak', 'mean', 'samples', 'issue'];
  const rows = [];
  for (const s of arr(report?.sessions)) {
    const peers = peerIndex(s);
    for (const b of arr(s.breaches)) {
      rows.push([
        s.session_id, b.peer_id, peers.get(b.peer_id)?.name, b.track_id, b.direction, b.kind, b.rid, b.metric, b.severity, b.threshold,
        fmtIso(b.start_ms), fmtIso(b.end_ms), b.peak, b.mean, b.samples, b.issue,
      ]);
    }
  }
  return toCsv(header, rows);
}

export function download(name, text, type) {
  const blob = new Blob([text], { type });
  const url = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = url;
  a.download = name;
  a.hidden = true;
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10000);
}

export function exportBaseName(report) {
  const first = arr(report?.sessions)[0];
  const id = first ? String(first.session_id).replace(/[^\w.-]+/g, '_').slice(0, 60) : 'report';
  return `callsight-${id || 'report'}`;
}

// The "Export" card of Overview, Issues and Settings (not printed); with the
// view's context, the "Save on this device" form too.
export function exportSection(report, ctx) {
  const card = section('Export', h('p', { class: 'muted' }, 'Downloads are made in the browser; nothing is sent anywhere.'), exportControls(report), saveControls(ctx));
  card.classList.add('export-panel');
  return card;
}

// The export buttons: the whole report (every session) as JSON, its issues and
// breaches as CSV, and Print (the print stylesheet) for the view shown.
export function exportControls(report) {
  if (!report) return h('p', { class: 'muted' }, 'Analyze some files first.');
  const base = exportBaseName(report);
  const button = (id, text, onClick) => h('button', { type: 'button', class: 'btn secondary', id, onClick }, text);
  return h(
    'div',
    { class: 'actions export-controls', role: 'group', 'aria-label': 'Export' },
    button('export-json', 'Report (JSON)', () => download(`${base}.json`, JSON.stringify(report, null, 2), 'application/json')),
    button('export-issues', 'Issues (CSV)', () => download(`${base}-issues.csv`, issuesCsv(report), 'text/csv')),
    button('export-breaches', 'Breaches (CSV)', () => download(`${base}-breaches.csv`, breachesCsv(report), 'text/csv')),
    button('export-print', 'Print', () => window.print()),
  );
}
