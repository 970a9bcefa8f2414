// Errors: failure rates per action, the error log, and the input files' problems.
import { h, scrollBox, section, table } from '../dom.js';
import { fmtBytes, fmtNum, fmtPct, fmtTime, isNum, shortId, zoneName } from '../format.js';
import { arr, messageText, obj, peerIndex } from '../report.js';

const ERROR_LIMIT = 2000;
// Wide tables scroll sideways inside their card on narrow screens.
const wrap = (el, label) => scrollBox(label, el);

export function renderErrors(ctx) {
  const { session, scope, report } = ctx;
  const peers = peerIndex(session);
  const nameOf = (id) => (id ? peers.get(id)?.name || shortId(id) : '—');
  const rates = Object.entries(obj(session.errors?.failure_rates));
  const events = scope.errorEvents;

  const rateTable = rates.length
    ? wrap(table(
        [
          { label: 'Action', get: ([a]) => h('span', { class: 'action' }, a) },
          { label: 'Attempts', class: 'num', get: ([, r]) => (isNum(r?.attempts) ? String(r.attempts) : '—') },
          { label: 'Failures', class: 'num', get: ([, r]) => (isNum(r?.failures) ? String(r.failures) : '—') },
          {
            label: 'Failure rate',
            class: 'num',
            get: ([, r]) => h('span', { class: r?.failures ? 'rate bad' : 'rate' }, r?.failures ? '✖ ' : '✔ ', fmtPct(r?.rate)),
          },
          { label: 'Terminal', class: 'num', get: ([, r]) => (isNum(r?.terminal) ? String(r.terminal) : '—') },
          { label: 'Retried', class: 'num', get: ([, r]) => (isNum(r?.retried) ? String(r.retried) : '—') },
        ],
        rates,
        { caption: ctx.meeting ? 'Failure rates are for the whole session.' : null },
      ), 'Failure rates')
    : h('p', { class: 'muted' }, 'No attempts recorded.');

  const eventTable = events.length
    ? scrollBox(
        'Error log',
        table(
          [
            { label: `Time (${zoneName()})`, class: 'nowrap', get: (e) => fmtTime(e.time_ms) },
            { label: 'Participant', get: (e) => (e.peer_id && peers.has(e.peer_id) ? h('a', { href: ctx.hashFor('peer', e.peer_id, { t: String(e.time_ms) }) }, nameOf(e.peer_id)) : nameOf(e.peer_id)) },
            { label: 'Type', get: (e) => h('span', { class: 'mono' }, e.type || '') },
            { label: 'Action', get: (e) => e.action || '—' },
            { label: 'Code', get: (e) => e.error_code || '—' },
            { label: 'Name', get: (e) => e.error_name || '—' },
            { label: 'Message', get: (e) => e.error_message || e.detail || '' },
            { label: 'Terminal', get: (e) => (e.is_terminal ? '✖ terminal' : 'retryable') },
            { label: 'Source', get: (e) => h('span', { class: 'muted', title: e.source || '' }, (e.source || '').split('/').pop()) },
          ],
          events.slice(0, ERROR_LIMIT),
          { class: 'compact wide' },
        ),
        'table-scroll',
      )
    : h('p', { class: 'ok-note' }, '✔ No error events.');

  const inputs = arr(report.inputs);
  const withoutFileName = (text, name) => (name && text.startsWith(`${name}: `) ? text.slice(name.length + 2) : text);
  const inputTable = wrap(table(
    [
      { label: 'File', get: (i) => i.name },
      { label: 'Kind', get: (i) => i.kind || '—' },
      { label: 'Status', get: (i) => h('span', { class: `status status-${i.status}` }, i.status === 'ok' ? '✔ ok' : i.status === 'rejected' ? '✖ rejected' : '⚠ repaired') },
      { label: 'Size', class: 'num', get: (i) => fmtBytes(i.bytes) },
      // The row names the file: its messages without the engine's "<file>: " in front.
      { label: 'Messages', get: (i) => (arr(i.messages).length ? h('ul', { class: 'plain' }, arr(i.messages).map((m) => h('li', null, withoutFileName(messageText(m), i.name)))) : '') },
    ],
    inputs,
    { class: 'compact wide' },
  ), 'Input files');

  return h(
    'div',
    { class: 'view errors' },
    h('div', { class: 'view-head' }, h('h1', null, 'Errors')),
    section('Failure rates', rateTable),
    section(`Error log (${events.length})`, eventTable, events.length > ERROR_LIMIT ? h('p', { class: 'muted' }, `First ${ERROR_LIMIT} shown.`) : null),
    section(`Input files (${inputs.length})`, inputTable),
  );
}
