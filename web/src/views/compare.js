// Sender vs receiver: what one peer sent next to what another received of it.
// Who received whom and what each track charts come from the report
// (peers[].received_by, tracks[].charts).
import { h, section } from '../dom.js';
import { codeLabel, fmtTime, isNum, kindLabel, metricLabel, shortId, zoneName } from '../format.js';
import { createChartFactory } from '../lazycharts.js';
import { zoomRange } from './peer.js';
import { arr, breachesFor, chartsOf, notSendingOf, pairParams, peerIndex, publishedGroups, receiversOf, topPairIssue } from '../report.js';

const LAYER_NAMES = { h: 'layer h', m: 'layer m', l: 'layer l' };
const LAYER_COLORS = { h: '#2563eb', m: '#d97706', l: '#059669' };

// The sender and receiver of the route (?from=&to=); without them the pair of
// the engine's top_pair issue (the worst issue involving two peers, in the
// meeting shown), else the first of each. `opened`: that issue, when the view
// opened on its pair.
function pickPair(ctx, peers) {
  const senders = ctx.scope.peers.filter((p) => arr(p.tracks).some((t) => t.direction === 'publisher'));
  let from = ctx.route.params.get('from') || '';
  let to = ctx.route.params.get('to') || '';
  let opened = null;
  if (!from && !to) {
    opened = topPairIssue(ctx.session, ctx.meeting);
    if (opened && senders.some((p) => p.peer_id === opened.pair.from)) ({ from, to } = opened.pair);
    else opened = null;
  }
  if (!senders.some((p) => p.peer_id === from)) from = senders[0]?.peer_id || '';
  const receivers = from ? receiversOf(peers.get(from), ctx.scope.peers) : [];
  if (!receivers.some((r) => r.peer.peer_id === to)) to = receivers[0]?.peer.peer_id || '';
  if (opened && (opened.pair.from !== from || opened.pair.to !== to)) opened = null;
  return { senders, receivers, from, to, opened, received: receivers.find((r) => r.peer.peer_id === to)?.tracks || [] };
}

// Why the view shows this pair, when it chose it: the issue, with a link to its time.
function openedNote(ctx, issue) {
  if (!issue) return null;
  return h(
    'p',
    { class: 'opened-note' },
    'Showing the pair of the most severe issue between two participants: ',
    h('strong', null, issue.title || codeLabel(issue.code)),
    isNum(issue.start_ms) ? ` (${fmtTime(issue.start_ms)} ${zoneName()}). ` : '. ',
    h('a', { href: ctx.hashFor('compare', '', pairParams(issue)) }, 'Zoom to that issue'),
  );
}

function pairPickers(ctx, nameOf, { senders, receivers, from, to }) {
  const go = (f, t) => ctx.navigate('compare', '', { from: f, to: t });
  const fromSel = h('select', { id: 'compare-from', 'aria-label': 'Sender' }, senders.map((p) => h('option', { value: p.peer_id, selected: p.peer_id === from }, nameOf(p.peer_id))));
  fromSel.addEventListener('change', () => go(fromSel.value, ''));
  const toSel = h('select', { id: 'compare-to', 'aria-label': 'Receiver' }, receivers.map(({ peer: p }) => h('option', { value: p.peer_id, selected: p.peer_id === to }, nameOf(p.peer_id))));
  toSel.addEventListener('change', () => go(from, toSel.value));
  const swap = h('button', { type: 'button', class: 'btn secondary', disabled: !from || !to, onClick: () => go(to, from) }, '⇄ Swap');
  return h(
    'div',
    { class: 'filters' },
    h('label', { class: 'field', htmlFor: 'compare-from' }, h('span', null, 'Sender'), fromSel),
    h('label', { class: 'field', htmlFor: 'compare-to' }, h('span', null, 'Receiver'), toSel),
    swap,
  );
}

// The chart factory over the time both were in, zoomed to the route's issue or
// time (?issue=&t=), and the bar that says so.
function overlapZoom(ctx, sender, receiver) {
  const both = [sender, receiver].every((p) => isNum(p.joined_ms) && isNum(p.left_ms));
  const full = both ? [Math.max(sender.joined_ms, receiver.joined_ms), Math.min(sender.left_ms, receiver.left_ms)] : null;
  const { card, group } = createChartFactory(ctx, full && full[1] > full[0] ? full : null);
  // Opened from an issue (overview, ?t=&issue=): zoomed to it, as the participant view is.
  const issueParam = ctx.route.params.get('issue');
  const focusIssue = issueParam ? arr(ctx.session.issues).find((i) => String(i.index) === issueParam) : null;
  const t = Number(ctx.route.params.get('t') || NaN);
  if (focusIssue || isNum(t)) group.range = zoomRange(focusIssue, t, null);
  const initial = group.range;
  const zoomText = h('span');
  const resetBtn = h('button', { type: 'button', class: 'btn link', onClick: () => group.setRange(null) }, 'Show the whole overlap');
  const zoomBar = h('p', { class: 'zoom-bar', role: 'status' }, zoomText, ' ', resetBtn);
  const updateZoom = (range) => {
    zoomBar.hidden = !range;
    if (!range) return;
    // charts re-apply the range on resize: still the issue's range when the ends are the same
    const around = focusIssue && initial && range[0] === initial[0] && range[1] === initial[1] ? ` around “${focusIssue.title || codeLabel(focusIssue.code)}”` : '';
    zoomText.textContent = `Charts zoomed to ${fmtTime(range[0])}–${fmtTime(range[1])} ${zoneName()}${around}.`;
  };
  group.onChange(updateZoom);
  updateZoom(group.range);
  return { card, zoomBar };
}

// Whether a side's tracks report a metric: a chart of it with samples (the MOS: charted).
const reports = (charts, tracks, metric) => charts.some((c) => c.metric === metric) && (metric === 'mos' || tracks.some((t) => t.stats?.[metric]));

// One row per metric both sides chart: the sent chart left, the received
// right; then the metrics only one side reports, side by side with no gaps.
// A metric neither side reports is not shown.
function trackRows(ctx, card, nameOf, { from, to }, g, recv) {
  const sentCharts = chartsOf(ctx.report, g.tracks);
  const recvCharts = chartsOf(ctx.report, recv);
  const metrics = [...new Set([...sentCharts, ...recvCharts].map((c) => c.metric))];
  const layered = g.tracks.length > 1 || g.tracks.some((t) => t.rid);
  const both = [];
  const oneSide = [];
  for (const metric of metrics) {
    const sent = reports(sentCharts, g.tracks, metric) ? sentCharts.find((c) => c.metric === metric) : null;
    const got = reports(recvCharts, recv, metric) ? recvCharts.find((c) => c.metric === metric) : null;
    const left = sent
      ? card({
          title: `${metricLabel(metric)} sent`,
          subtitle: `by ${nameOf(from)}`,
          metric,
          sources: g.tracks
            .filter((t) => metric === 'mos' || t.stats?.[metric])
            .map((t) => ({ label: layered ? LAYER_NAMES[t.rid] || t.rid || 'sent' : 'sent', peerId: from, trackKey: t.key, color: LAYER_COLORS[t.rid] })),
          thresholds: arr(sent.thresholds),
          bands: breachesFor(ctx.session, from, g.tracks, sent),
          muted: notSendingOf(g.tracks),
        })
      : null;
    const right = got
      ? card({
          title: `${metricLabel(metric)} received`,
          subtitle: `by ${nameOf(to)}`,
          metric,
          sources: recv.map((t) => ({ label: 'received', peerId: to, trackKey: t.key, color: '#9333ea' })),
          thresholds: arr(got.thresholds),
          bands: breachesFor(ctx.session, to, recv, got),
          muted: notSendingOf(recv),
        })
      : null;
    if (left && right) both.push(h('div', { class: 'compare-row' }, left, right));
    else if (left || right) oneSide.push({ metric, el: left || right, who: left ? 'sender' : 'receiver' });
  }
  if (!oneSide.length) return both;
  const names = (who) => oneSide.filter((x) => x.who === who).map((x) => metricLabel(x.metric));
  const said = ['sender', 'receiver'].filter((who) => names(who).length).map((who) => `only the ${who} reports ${names(who).join(', ')}`);
  return [...both, h('p', { class: 'muted one-side-note' }, `${said.join('; ')}:`.replace(/^./, (c) => c.toUpperCase())), h('div', { class: 'compare-row one-side' }, oneSide.map((x) => x.el))];
}

export function renderCompare(ctx) {
  const peers = peerIndex(ctx.session);
  const nameOf = (id) => peers.get(id)?.name || shortId(id);
  const pair = pickPair(ctx, peers);
  const { senders, from, to, opened } = pair;
  const pickers = pairPickers(ctx, nameOf, pair);
  const head = h('div', { class: 'view-head' }, h('h1', null, 'Sender vs receiver'));
  if (!from || !to) {
    return h('div', { class: 'view compare' }, head, pickers, h('p', { class: 'muted' }, senders.length ? 'Nobody received what this participant sent.' : 'Nobody published anything.'));
  }
  const { card, zoomBar } = overlapZoom(ctx, peers.get(from), peers.get(to));
  const blocks = [];
  for (const g of publishedGroups(peers.get(from))) {
    const recv = pair.received.filter((t) => t.track_id === g.track_id);
    if (!recv.length) continue;
    const rows = trackRows(ctx, card, nameOf, pair, g, recv);
    blocks.push(h('div', { class: 'track-group' }, h('h3', null, `${kindLabel(g.kind)} `, h('span', { class: 'muted mono' }, shortId(g.track_id))), rows));
  }
  return h(
    'div',
    { class: 'view compare' },
    head,
    pickers,
    openedNote(ctx, opened),
    h('p', { class: 'muted hint' }, 'Left: what the sender published (every simulcast layer). Right: what the receiver got of it. Drag to zoom; both sides follow.'),
    zoomBar,
    section(`${nameOf(from)} → ${nameOf(to)}`, blocks.length ? blocks : h('p', { class: 'muted' }, 'The receiver has no track of this sender.')),
  );
}
