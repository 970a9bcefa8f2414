// Participant detail: peer card, quality, CQS timeline, charts of what the peer
// sent (per simulcast layer) and received (per remote peer) with thresholds and
// breach bands, its issues with advice, and its event log with text filters.
import { debounce, dl, h, scrollBox, section } from '../dom.js';
import {
  codeLabel,
  cqsBadge,
  directionLabel,
  fmtDateTime,
  fmtDuration,
  fmtNum,
  fmtTime,
  healthBadge,
  isNum,
  kindLabel,
  metricLabel,
  severityBadge,
  shortId,
  zoneName,
} from '../format.js';
import { DASHES } from '../chart.js';
import { createChartFactory } from '../lazycharts.js';
import { arr, breachesFor, chartsOf, limitSourcesOf, mergeRuns, notSendingOf, neverJoined, pairParams, peerIndex, publishedGroups, receivedGroups, shareRuns } from '../report.js';
import { connectionRowId, connectionsSection, dataSourceSection } from './connections.js';
import { factsGrid, streamFactsBlock } from './streamfacts.js';

const LAYER_NAMES = { h: 'layer h (high)', m: 'layer m (medium)', l: 'layer l (low)' };
const LAYER_COLORS = { h: '#2563eb', m: '#d97706', l: '#059669' };
// Layers told apart by line style too: h solid, m dashed, l dotted (chart.js DASHES).
const LAYER_DASH = { h: DASHES[0], m: DASHES[1], l: DASHES[2] };
const EVENT_LIMIT = 2000;

// opts.pair: the sender -> receiver pair to link to (an "affected by" card:
// the sender and this participant), else the engine's issues[].pair.
export function issueCard(ctx, issue, peers, opts = {}) {
  const who = peers.get(issue.peer_id);
  const pair = 'pair' in opts ? opts.pair : issue.pair;
  const nameOf = (id) => peers.get(id)?.name || shortId(id);
  return h(
    'article',
    { class: ['issue-card', `sev-${issue.severity}`, opts.highlight ? 'highlight' : null], id: `issue-${issue.index}` },
    h(
      'header',
      null,
      severityBadge(issue.severity),
      ' ',
      h('strong', { class: 'issue-title' }, issue.title || codeLabel(issue.code)),
    ),
    h(
      'p',
      { class: 'issue-meta muted' },
      h('span', { class: 'code' }, issue.code),
      ` · ${directionLabel(issue.direction)} · ${fmtTime(issue.start_ms)}–${fmtTime(issue.end_ms)} (${fmtDuration(issue.duration_ms ?? issue.end_ms - issue.start_ms)})`,
      opts.showPeer ? [' · ', h('a', { href: ctx.hashFor('peer', issue.peer_id, { t: String(issue.start_ms), issue: String(issue.index) }) }, who?.name || issue.peer_name || shortId(issue.peer_id))] : null,
    ),
    issue.detail ? h('p', { class: 'issue-detail' }, issue.detail) : null,
    issue.advice ? h('p', { class: 'issue-advice' }, h('span', { class: 'icon', 'aria-hidden': 'true' }, '→ '), h('strong', null, 'Advice: '), issue.advice) : null,
    opts.onZoom
      ? h('button', { type: 'button', class: 'btn link', onClick: () => opts.onZoom(issue) }, 'Zoom the charts to this issue')
      : null,
    issue.connection_id && opts.onConnection
      ? [' ', h('button', { type: 'button', class: 'btn link conn-link', onClick: () => opts.onConnection(issue.connection_id) }, `Peer connection ${issue.connection_id}`)]
      : null,
    pair ? [' ', h('a', { class: 'pair-link', href: ctx.hashFor('compare', '', pairParams(issue, pair)) }, `Compare ${nameOf(pair.from)} → ${nameOf(pair.to)}`)] : null,
  );
}

// The charts' range around an issue (padded), or around a time, else `full`.
export function zoomRange(issue, t, full) {
  if (issue && isNum(issue.start_ms)) {
    const end = isNum(issue.end_ms) ? issue.end_ms : issue.start_ms;
    const pad = Math.max(60000, (end - issue.start_ms) * 0.5);
    return [issue.start_ms - pad, end + pad];
  }
  if (isNum(t)) return [t - 120000, t + 120000];
  return full;
}

function eventLog(ctx, peer) {
  const st = (ctx.state.eventUi ||= { include: '', exclude: '', derived: true, session: false });
  const all = ctx.scope.events;
  const include = h('input', { type: 'search', id: 'event-include', value: st.include, placeholder: 'e.g. error, track', 'aria-label': 'Include events containing' });
  const exclude = h('input', { type: 'search', id: 'event-exclude', value: st.exclude, placeholder: 'e.g. breach', 'aria-label': 'Exclude events containing' });
  const derived = h('input', { type: 'checkbox', id: 'event-derived', checked: st.derived });
  const sessionWide = h('input', { type: 'checkbox', id: 'event-session', checked: st.session });
  const body = h('tbody');
  const count = h('p', { class: 'muted', 'aria-live': 'polite' });
  const terms = (s) =>
    s
      .toLowerCase()
      .split(',')
      .map((x) => x.trim())
      .filter(Boolean);
  const draw = () => {
    st.include = include.value;
    st.exclude = exclude.value;
    st.derived = derived.checked;
    st.session = sessionWide.checked;
    const inc = terms(st.include);
    const exc = terms(st.exclude);
    const rows = all.filter((e) => {
      if (e.peer_id !== peer.peer_id && !(st.session && !e.peer_id)) return false;
      if (!st.derived && e.derived) return false;
      const text = `${e.type || ''} ${e.detail || ''}`.toLowerCase();
      if (inc.length && !inc.some((t) => text.includes(t))) return false;
      if (exc.some((t) => text.includes(t))) return false;
      return true;
    });
    body.replaceChildren(
      ...rows.slice(0, EVENT_LIMIT).map((e) =>
        h(
          'tr',
          { class: [e.error ? 'event-error' : null, e.derived ? 'event-derived' : null] },
          h('td', { class: 'nowrap' }, fmtTime(e.time_ms)),
          h('td', null, h('span', { class: 'mono' }, e.type || ''), e.error ? h('span', { class: 'tag tag-error' }, ' error') : null, e.derived ? h('span', { class: 'tag' }, ' derived') : null),
          h('td', null, e.detail || ''),
        ),
      ),
    );
    count.textContent = `${rows.length} event${rows.length === 1 ? '' : 's'}${rows.length > EVENT_LIMIT ? ` (first ${EVENT_LIMIT} shown)` : ''}`;
  };
  const redraw = debounce(draw, 80);
  include.addEventListener('input', redraw);
  exclude.addEventListener('input', redraw);
  derived.addEventListener('change', draw);
  sessionWide.addEventListener('change', draw);
  draw();
  return section(
    'Event log',
    h(
      'div',
      { class: 'filters' },
      h('label', { class: 'field', htmlFor: 'event-include' }, h('span', null, 'Include'), include),
      h('label', { class: 'field', htmlFor: 'event-exclude' }, h('span', null, 'Exclude'), exclude),
      h('label', { class: 'check', htmlFor: 'event-derived' }, derived, ' Derived events (breaches, layers)'),
      h('label', { class: 'check', htmlFor: 'event-session' }, sessionWide, ' Session-wide events'),
    ),
    h('p', { class: 'muted hint' }, 'Comma-separated words; an event is shown when it contains any include word and no exclude word.'),
    count,
    scrollBox('Event log', h('table', { class: 'data compact events' }, h('thead', null, h('tr', null, h('th', { scope: 'col' }, `Time (${zoneName()})`), h('th', { scope: 'col' }, 'Type'), h('th', { scope: 'col' }, 'Detail'))), body), 'table-scroll'),
  );
}

function notFound(ctx, peerId) {
  return h(
    'div',
    { class: 'view' },
    h('h1', null, 'Participant not found'),
    h('p', null, 'No participant with the id ', h('code', null, peerId || '(none)'), ' in this session. ', h('a', { href: ctx.hashFor('peers') }, 'Back to the participants')),
  );
}

// The issue the route opened the view on (?issue=), if any.
function focusedIssue(ctx, issues) {
  const issueParam = ctx.route.params.get('issue');
  return issueParam !== null && issueParam !== '' ? issues.find((i) => String(i.index) === issueParam) : null;
}

// The chart factory of the view, zoomed to the focused issue, the route's time
// or the meeting, and the bar that says how the charts are zoomed.
function chartZoom(ctx, peer, focusIssue) {
  const tParam = ctx.route.params.get('t');
  const t = tParam ? Number(tParam) : NaN;
  const full = isNum(peer.joined_ms) && isNum(peer.left_ms) && peer.left_ms > peer.joined_ms ? [peer.joined_ms, peer.left_ms] : null;
  const meetingRange = ctx.meeting ? [Math.max(ctx.meeting.start_ms, full ? full[0] : -Infinity), Math.min(ctx.meeting.end_ms, full ? full[1] : Infinity)] : null;
  const initial = focusIssue || isNum(t) ? zoomRange(focusIssue, t, full) : meetingRange;

  const { card, group } = createChartFactory(ctx, full);
  if (initial && (!full || initial[0] > full[0] || initial[1] < full[1])) group.range = initial;

  const zoomText = h('span');
  const resetBtn = h('button', { type: 'button', class: 'btn link', onClick: () => group.setRange(null) }, 'Show the whole stay');
  const zoomBar = h('div', { class: 'zoom-bar', role: 'status' }, zoomText, ' ', resetBtn);
  const updateZoom = (range) => {
    if (range) {
      zoomText.textContent = `Charts zoomed to ${fmtTime(range[0])}–${fmtTime(range[1])} ${zoneName()}${focusIssue && range === group.range && range[0] === initial?.[0] ? ` around “${focusIssue.title || codeLabel(focusIssue.code)}”` : ''}.`;
      resetBtn.hidden = false;
    } else {
      zoomText.textContent = `Drag across a chart to zoom in; double-click to zoom out. Times are ${zoneName()}.`;
      resetBtn.hidden = true;
    }
  };
  group.onChange(updateZoom);
  updateZoom(group.range);
  const zoomTo = (issue) => {
    group.setRange(zoomRange(issue, null, full));
    zoomBar.scrollIntoView({ block: 'start', behavior: 'smooth' });
  };
  return { card, zoomBar, zoomTo };
}

function peerDetails(peer) {
  return section(
    'Peer details',
    dl([
      ['Name', peer.name || null],
      ['Peer ID', h('span', { class: 'mono' }, peer.peer_id)],
      ['User ID', peer.user_id || null],
      ['Role', peer.role || null],
      ['Joined', neverJoined(peer) ? 'Never joined' : peer.joined === null ? 'not in the inputs' : fmtDateTime(peer.joined_ms)],
      ['Left', neverJoined(peer) ? null : fmtDateTime(peer.left_ms)],
      ['Duration', neverJoined(peer) ? null : fmtDuration(peer.duration_ms)],
      ['Published tracks', isNum(peer.published_tracks) ? String(peer.published_tracks) : null],
      ['End reason', peer.end_reason ? `${peer.end_reason}${peer.end_reason_raw ? ` (${peer.end_reason_raw})` : ''}` : null],
      ['Platform', peer.platform || null],
      ['OS', peer.os || null],
      ['Browser', peer.browser || null],
      ['Device', peer.device_model || null],
      ['Framework', peer.framework || null],
      ['SDK', peer.sdk || null],
      ['Presence', arr(peer.presence).length > 1 ? arr(peer.presence).map((p) => `${fmtTime(p.start_ms)}–${fmtTime(p.end_ms)}`).join(', ') : null],
    ]),
  );
}

function peerQuality(peer, ownIssues) {
  const pubAudio = arr(peer.tracks).filter((tr) => tr.direction === 'publisher' && tr.kind === 'audio' && isNum(tr.mos));
  return section(
    'Quality',
    dl([
      ['CQS overall', cqsBadge(peer.cqs, peer.cqs_band)],
      ['CQS uplink (sent)', cqsBadge(peer.cqs_uplink)],
      ['CQS downlink (received)', cqsBadge(peer.cqs_downlink)],
      ['Audio health', healthBadge(peer.call_health?.audio, 'Audio')],
      ['Video health', healthBadge(peer.call_health?.video, 'Video')],
      ['Screen health', healthBadge(peer.call_health?.screen, 'Screen')],
      ['Sent audio MOS', pubAudio.length ? pubAudio.map((tr) => fmtNum(tr.mos, 2)).join(', ') : null],
      ['Issues', String(peer.issue_count ?? ownIssues.length)],
    ]),
  );
}

function cqsChart(card, peer) {
  return card({
    title: 'Connection Quality Score',
    subtitle: '(0–5, per window; ≥ 4 excellent, ≥ 3 good, ≥ 2 fair, ≥ 1 poor)',
    metric: 'cqs',
    sources: [
      { label: 'uplink (sent)', peerId: peer.peer_id, trackKey: '', metric: 'cqs_uplink', color: '#2563eb' },
      { label: 'downlink (received)', peerId: peer.peer_id, trackKey: '', metric: 'cqs_downlink', color: '#9333ea' },
    ],
    thresholds: [],
    bands: [],
  });
}

// A browser dump's sent video: the loader of its quality-limitation bands (runs
// where cpu_limited or bandwidth_limited is at least 0.5, every layer together),
// fetched once for all the group's charts; null when the tracks report none.
function limitsLoader(ctx, peer, tracks) {
  const sources = limitSourcesOf(tracks);
  if (!sources.length) return null;
  let pending = null;
  const fetchRuns = (client, { track, metric }) =>
    client.series(ctx.session.session_id, peer.peer_id, track.key, metric, { maxPoints: 4000 }).then((r) => shareRuns(r.t, r.values));
  return (client) =>
    (pending ||= Promise.all(sources.map((s) => fetchRuns(client, s))).then((runs) =>
      ['cpu_limited', 'bandwidth_limited'].flatMap((metric) =>
        mergeRuns(runs.filter((_, i) => sources[i].metric === metric).flat()).map((r) => ({ ...r, reason: metric === 'cpu_limited' ? 'cpu' : 'bandwidth' })),
      ),
    ));
}

// A browser dump's video: the frame height of each layer (or track) that reports it.
function resolutionCard(card, peer, tracks, { label, title, muted, limits }) {
  const withHeight = tracks.filter((tr) => tr.stats?.frame_height);
  if (!withHeight.length) return null;
  return card({
    title: title || metricLabel('frame_height'),
    subtitle: '(pixels high, as the browser sent or decoded it)',
    metric: 'frame_height',
    kind: tracks[0].kind,
    direction: tracks[0].direction,
    sources: withHeight.map((tr) => ({ label: label(tr), peerId: peer.peer_id, trackKey: tr.key, color: LAYER_COLORS[tr.rid], dash: LAYER_DASH[tr.rid] })),
    thresholds: [],
    bands: [],
    muted,
    limits,
  });
}

// One group per published track: a chart per metric the report gives it, every
// layer a line; a dump's video adds its resolution and quality-limitation bands.
function sentCharts(ctx, card, peer) {
  return publishedGroups(peer).map((g) => {
    const layered = g.tracks.length > 1 || g.tracks.some((tr) => tr.rid);
    const limits = limitsLoader(ctx, peer, g.tracks);
    const label = (tr) => (layered ? LAYER_NAMES[tr.rid] || tr.rid || 'track' : kindLabel(tr.kind));
    const muted = notSendingOf(g.tracks);
    const cards = chartsOf(ctx.report, g.tracks).map((chart) =>
      card({
        title: metricLabel(chart.metric),
        metric: chart.metric,
        kind: g.kind,
        direction: 'publisher',
        sources: g.tracks
          .filter((tr) => chart.metric === 'mos' || tr.stats?.[chart.metric])
          .map((tr) => ({ label: label(tr), peerId: peer.peer_id, trackKey: tr.key, color: LAYER_COLORS[tr.rid], dash: LAYER_DASH[tr.rid] })),
        thresholds: arr(chart.thresholds),
        bands: breachesFor(ctx.session, peer.peer_id, g.tracks, chart),
        muted,
        limits,
      }),
    );
    const resolution = resolutionCard(card, peer, g.tracks, { label, muted, limits });
    if (resolution) cards.push(resolution);
    const scoreText = g.tracks.filter((tr) => isNum(tr.score)).map((tr) => `score ${fmtNum(tr.score, 2)}${tr.rid ? ` (${tr.rid})` : ''}`);
    const mosText = g.tracks.filter((tr) => isNum(tr.mos)).map((tr) => `MOS ${fmtNum(tr.mos, 2)}`);
    return h(
      'div',
      { class: 'track-group', dataset: { kinds: g.kind, direction: 'publisher' } },
      h('h3', null, `${kindLabel(g.kind)} `, h('span', { class: 'muted mono' }, shortId(g.track_id)), layered ? h('span', { class: 'muted' }, ` · simulcast layers ${g.tracks.map((tr) => (tr.rid && isNum(tr.encoding_index) ? `${tr.rid} (encoding ${tr.encoding_index})` : tr.rid)).filter(Boolean).join(', ')}`) : null, [...scoreText, ...mosText].length ? h('span', { class: 'muted' }, ` · ${[...scoreText, ...mosText].join(', ')}`) : null),
      h('div', { class: 'chart-grid' }, cards),
      factsGrid([streamFactsBlock(g.tracks.find((tr) => tr.stream), `${kindLabel(g.kind)} stream details`)]),
    );
  });
}

// One collapsible group per sender; its charts are made when it is first opened.
function receivedCharts(ctx, card, peer, peers) {
  const groups = receivedGroups(peer);
  return groups.map((g, gi) => {
    const remote = g.remote_peer_id ? peers.get(g.remote_peer_id) : null;
    const from = g.remote_peer_name || remote?.name || (g.remote_peer_id ? shortId(g.remote_peer_id) : 'unknown sender');
    const body = h('div', { class: 'chart-grid' });
    const facts = g.tracks.map((tr) => streamFactsBlock(tr, `${kindLabel(tr.kind)} ${shortId(tr.track_id)} · stream details`));
    // Browser dumps: how long each received video took to show its first frame.
    const firstFrames = g.tracks.filter((tr) => isNum(tr.stream?.first_frame_ms)).map((tr) => `first ${kindLabel(tr.kind).toLowerCase()} frame after ${fmtNum(tr.stream.first_frame_ms / 1000, 1)} s`);
    const details = h(
      'details',
      { class: 'track-group', open: groups.length <= 3 || gi === 0, dataset: { kinds: [...new Set(g.tracks.map((tr) => tr.kind))].join(' '), direction: 'subscriber' } },
      h('summary', null, h('strong', null, `From ${from}`), h('span', { class: 'muted' }, ` · ${[...new Set(g.tracks.map((tr) => kindLabel(tr.kind))), ...firstFrames].join(', ')}`)),
      body,
      factsGrid(facts),
    );
    let filled = false;
    const fill = () => {
      if (filled) return;
      filled = true;
      for (const tr of g.tracks) {
        for (const chart of chartsOf(ctx.report, [tr])) {
          body.append(
            card({
              title: `${kindLabel(tr.kind)} · ${metricLabel(chart.metric)}`,
              metric: chart.metric,
              kind: tr.kind,
              direction: tr.direction,
              sources: [{ label: `${kindLabel(tr.kind)} from ${from}`, peerId: peer.peer_id, trackKey: tr.key }],
              thresholds: arr(chart.thresholds),
              bands: breachesFor(ctx.session, peer.peer_id, [tr], chart),
              muted: notSendingOf([tr]),
            }),
          );
        }
        const resolution = resolutionCard(card, peer, [tr], { label: () => `${kindLabel(tr.kind)} from ${from}`, title: `${kindLabel(tr.kind)} · ${metricLabel('frame_height')}`, muted: notSendingOf([tr]) });
        if (resolution) body.append(resolution);
      }
    };
    if (details.open) fill();
    details.addEventListener('toggle', () => details.open && fill());
    return details;
  });
}

// Which of the participant's charts show: audio / video / screen share,
// sent / received (ctx.state keeps the choice while the session is open). A
// card is hidden by CSS from the region's classes (so charts made later
// follow); a group or section whose every chart is hidden is hidden whole.
const CHART_FILTERS = [
  { key: 'audio', label: 'Audio', kind: true },
  { key: 'video', label: 'Video', kind: true },
  { key: 'screen', label: 'Screen share', kind: true },
  { key: 'publisher', label: 'Sent' },
  { key: 'subscriber', label: 'Received' },
];
function chartFilters(ctx, region) {
  const st = (ctx.state.chartFilter ||= {});
  const boxes = CHART_FILTERS.map((f) => h('input', { type: 'checkbox', id: `chart-filter-${f.key}`, checked: st[f.key] !== false, dataset: { filter: f.key } }));
  const apply = () => {
    CHART_FILTERS.forEach((f, i) => {
      st[f.key] = boxes[i].checked;
      region.classList.toggle(`hide-${f.key}`, !boxes[i].checked);
    });
    for (const g of region.querySelectorAll('.track-group[data-direction]')) {
      const kinds = g.dataset.kinds.split(' ');
      g.hidden = st[g.dataset.direction] === false || kinds.every((k) => st[k] === false);
    }
    for (const sec of region.querySelectorAll('[data-direction-section]')) sec.hidden = st[sec.dataset.directionSection] === false;
  };
  for (const b of boxes) b.addEventListener('change', apply);
  const bar = h(
    'fieldset',
    { class: 'chart-filters' },
    h('legend', null, 'Show charts of'),
    CHART_FILTERS.map((f, i) => [h('label', { class: 'check', htmlFor: boxes[i].id }, boxes[i], ` ${f.label}`), f.key === 'screen' ? h('span', { class: 'filter-sep', 'aria-hidden': 'true' }, '·') : null]),
  );
  return { bar, apply };
}

// Scrolls to a connection's row in the peer connections table and marks it.
function showConnection(id) {
  const row = document.getElementById(connectionRowId(id));
  if (!row) return;
  for (const r of row.parentElement.querySelectorAll('tr.highlight')) r.classList.remove('highlight');
  row.classList.add('highlight');
  row.scrollIntoView({ block: 'center', behavior: 'smooth' });
}

function issuesSection(ctx, peer, peers, focusIssue, zoomTo) {
  const issues = arr(ctx.session.issues);
  const own = issues.filter((i) => i.peer_id === peer.peer_id);
  const affectedBy = issues.filter((i) => i.peer_id !== peer.peer_id && arr(i.affected_peers).includes(peer.peer_id));
  return section(
    `Issues (${own.length})`,
    own.length ? own.map((i) => issueCard(ctx, i, peers, { highlight: focusIssue === i, onZoom: zoomTo, onConnection: showConnection })) : h('p', { class: 'ok-note' }, '✔ No issues attributed to this participant.'),
    affectedBy.length
      ? [h('h3', null, `Affected by other participants' issues (${affectedBy.length})`), affectedBy.map((i) => issueCard(ctx, i, peers, { highlight: focusIssue === i, showPeer: true, onZoom: zoomTo, pair: i.peer_id && i.direction === 'uplink' ? { from: i.peer_id, to: peer.peer_id } : null }))]
      : null,
  );
}

function tagSection(el, direction) {
  el.dataset.directionSection = direction;
  return el;
}

export function renderPeer(ctx, peerId) {
  const peers = peerIndex(ctx.session);
  const peer = peers.get(peerId);
  if (!peer) return notFound(ctx, peerId);
  const name = peer.name || shortId(peer.peer_id);
  const focusIssue = focusedIssue(ctx, arr(ctx.session.issues));
  const { card, zoomBar, zoomTo } = chartZoom(ctx, peer, focusIssue);
  const cqs = cqsChart(card, peer);
  const sent = sentCharts(ctx, card, peer);
  const received = receivedCharts(ctx, card, peer, peers);
  const region = h(
    'div',
    { class: 'charts-region' },
    zoomBar,
    section('Connection quality over time', h('div', { class: 'chart-grid single' }, cqs)),
    tagSection(section('What this participant sent', sent.length ? sent : h('p', { class: 'muted' }, 'Nothing was published.')), 'publisher'),
    tagSection(section('What this participant received', received.length ? received : h('p', { class: 'muted' }, 'Nothing was received.')), 'subscriber'),
  );
  const filters = chartFilters(ctx, region);
  zoomBar.after(filters.bar);
  filters.apply();
  return h(
    'div',
    { class: 'view peer' },
    h('p', { class: 'crumbs' }, h('a', { href: ctx.hashFor('peers') }, '← Participants')),
    h('div', { class: 'view-head' }, h('h1', { class: 'peer-title' }, name), h('span', { class: 'muted mono' }, peer.peer_id)),
    h('div', { class: 'grid two' }, peerDetails(peer), peerQuality(peer, arr(ctx.session.issues).filter((i) => i.peer_id === peer.peer_id))),
    dataSourceSection(peer),
    issuesSection(ctx, peer, peers, focusIssue, zoomTo),
    connectionsSection(ctx, peer),
    region,
    eventLog(ctx, peer),
  );
}
