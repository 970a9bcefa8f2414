// A participant read from a browser stats dump: where its data came from
// (peers[].data_source) and its peer connections (peers[].connections), with
// the addresses as the report gives them and the switch that re-analyzes with
// config.show_addresses.
import { dl, h, scrollBox, section } from '../dom.js';
import { fmtDateTime, fmtNum, fmtTime, isNum, zoneName } from '../format.js';
import { arr } from '../report.js';
import { connectionFactsBlocks } from './streamfacts.js';

const DUMP_LABELS = {
  'webrtc-internals': 'chrome://webrtc-internals dump',
  rtcstats: 'rtcstats dump',
  'rtcstats-v3': 'rtcstats dump (file format 3)',
};
const FORMAT_LABELS = {
  chrome_standard: 'Chrome, standard getStats()',
  chrome_legacy: 'Chrome, legacy getStats() (goog* stats)',
  firefox: 'Firefox',
  safari: 'Safari',
  unknown: 'not recognized',
};
const CANDIDATE_LABELS = { host: 'host', srflx: 'server-reflexive (STUN)', prflx: 'peer-reflexive', relay: 'relay (TURN)' };

// The id of a connection's table row (issues point at it).
export function connectionRowId(id) {
  return `conn-${String(id).replace(/[^A-Za-z0-9_-]/g, '_')}`;
}

export function dataSourceSection(peer) {
  const src = peer.data_source;
  if (!src) return null;
  return section(
    'Data source',
    dl([
      ['Read from', DUMP_LABELS[src.dump] || String(src.dump || '—')],
      ['Stats format', FORMAT_LABELS[src.stats_format] || String(src.stats_format || '—')],
      ['Browser', peer.browser || null],
    ]),
    src.truncated
      ? h(
          'p',
          { class: 'notice-inline truncated-note' },
          h('span', { class: 'icon', 'aria-hidden': 'true' }, '⚠ '),
          'Truncated: the dump kept only the call’s last samples (Chrome keeps 1000 per series, about 16 minutes), so the start of the call is missing.',
        )
      : null,
  );
}

function candidates(c) {
  const side = (t) => CANDIDATE_LABELS[t] || t || '?';
  if (!c.local_candidate_type && !c.remote_candidate_type) return '—';
  return `${side(c.local_candidate_type)} → ${side(c.remote_candidate_type)}`;
}

function protocol(c) {
  const base = c.protocol ? c.protocol.toUpperCase() : '—';
  return c.relay_protocol ? `${base}, to TURN over ${c.relay_protocol.toUpperCase()}` : base;
}

// The setup steps the dump timed: signalling (offer to answer), ICE, DTLS.
function setup(c) {
  const parts = [];
  if (isNum(c.signaling_ms)) parts.push(`signalling ${fmtNum(c.signaling_ms, 0)} ms (${c.offerer ? 'offerer' : 'answerer'})`);
  if (isNum(c.setup_ms)) parts.push(`ICE ${fmtNum(c.setup_ms, 0)} ms`);
  if (isNum(c.dtls_ms)) parts.push(`DTLS ${fmtNum(c.dtls_ms, 0)} ms`);
  if (isNum(c.connected_ms)) parts.push(`connected ${fmtTime(c.connected_ms)}`);
  else if (isNum(c.created_ms)) parts.push(`created ${fmtTime(c.created_ms)}, never connected`);
  return parts.length ? parts.join(', ') : '—';
}

function ending(c) {
  if (isNum(c.failed_ms)) return h('span', { class: 'tag tag-error' }, `failed ${fmtTime(c.failed_ms)}`);
  if (isNum(c.closed_ms)) return `closed ${fmtTime(c.closed_ms)}`;
  return 'open at the end';
}

function restarts(c) {
  if (!c.ice_restarts) return '0';
  return `${c.ice_restarts} (${c.ice_restarts_completed ?? 0} completed)`;
}

const HEAD = ['Connection', 'Setup', 'Candidates (local → remote)', 'Protocol', 'Local address', 'Remote address', 'ICE restarts', 'End'];

// A row; each cell carries its column's name (a narrow screen shows the rows as cards).
function connectionRow(c, issueCount) {
  const cell = (i, cls, ...content) => h('td', { class: cls, dataset: { label: HEAD[i] } }, ...content);
  return h(
    'tr',
    { id: connectionRowId(c.id) },
    cell(0, 'mono', c.id),
    cell(1, null, setup(c)),
    cell(2, null, candidates(c)),
    cell(3, null, protocol(c)),
    cell(4, 'mono address', c.local_address || '—'),
    cell(5, 'mono address', c.remote_address || '—'),
    cell(6, 'num', restarts(c)),
    cell(7, null, ending(c), issueCount ? h('span', { class: 'muted' }, ` · ${issueCount} issue${issueCount === 1 ? '' : 's'}`) : null),
  );
}

// The addresses note and the "Show addresses" switch (re-analyzes the same files).
function addressSwitch(ctx, conns) {
  const showing = !!ctx.state.showAddresses;
  const masked = conns.some((c) => c.addresses_masked);
  const box = h('input', { type: 'checkbox', id: 'show-addresses', checked: showing, disabled: ctx.busy });
  box.addEventListener('change', () => ctx.setShowAddresses(box.checked));
  const note = masked
    ? 'Addresses masked: the end of each IP address is hidden (shown as x). Nothing leaves this page either way.'
    : showing
      ? 'Addresses shown as the dump wrote them.'
      : null;
  return h(
    'div',
    { class: 'address-bar' },
    note ? h('p', { class: 'muted address-note', id: 'address-note' }, note) : null,
    h('label', { class: 'check', htmlFor: 'show-addresses' }, box, ' Show addresses'),
  );
}

export function connectionsSection(ctx, peer) {
  const conns = arr(peer.connections);
  if (!peer.data_source && !conns.length) return null;
  const issues = arr(ctx.session.issues).filter((i) => i.peer_id === peer.peer_id && i.connection_id);
  return section(
    `Peer connections (${conns.length})`,
    conns.length
      ? [
          addressSwitch(ctx, conns),
          scrollBox(
            'Peer connections',
            h(
              'table',
              { class: 'data compact connections' },
              h('thead', null, h('tr', null, HEAD.map((t) => h('th', { scope: 'col' }, t)))),
              h('tbody', null, conns.map((c) => connectionRow(c, issues.filter((i) => i.connection_id === c.id).length))),
            ),
            'table-scroll connections-scroll',
          ),
          h('p', { class: 'muted hint' }, `Setup is ICE checking to connected; times are ${zoneName()}${isNum(conns[0]?.created_ms) ? ` (first created ${fmtDateTime(conns[0].created_ms)})` : ''}.`),
          connectionFactsBlocks(conns),
        ]
      : h('p', { class: 'muted' }, 'The dump holds no peer connection.'),
  );
}
