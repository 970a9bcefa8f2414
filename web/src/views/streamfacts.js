// What a browser dump says of a track's stream beyond its charts
// (tracks[].stream) and of a peer connection beyond its table row
// (peers[].connections[]): printed as the report gives them, only the
// figures it carries.
import { dl, h } from '../dom.js';
import { fmtBitrate, fmtNum, isNum } from '../format.js';
import { arr } from '../report.js';

const num = (v, digits = 0, unit = '') => (isNum(v) ? `${fmtNum(v, digits)}${unit}` : null);
const ms = (v) => num(v, 1, ' ms');
const pct = (v) => num(v, 1, ' %');
const yesNo = (v) => (v === true ? 'yes' : v === false ? 'no' : null);
const size = (s) => (s && isNum(s.width) && isNum(s.height) ? `${s.width}×${s.height}` : null);

function limited(s) {
  const parts = [
    ['CPU', s.cpu_limited_percent],
    ['bandwidth', s.bandwidth_limited_percent],
    ['other', s.other_limited_percent],
  ].filter(([, v]) => isNum(v));
  return parts.length ? parts.map(([name, v]) => `${name} ${pct(v)}`).join(', ') : null;
}

function sizes(s) {
  const common = size(s.common_size_px);
  if (!common) return null;
  const lo = size(s.min_size_px);
  const hi = size(s.max_size_px);
  return lo && hi && (lo !== common || hi !== common) ? `${common} (from ${lo} to ${hi})` : common;
}

function jitterBuffer(s) {
  const parts = [];
  if (isNum(s.jitter_buffer_ms)) parts.push(ms(s.jitter_buffer_ms));
  if (isNum(s.jitter_buffer_target_ms)) parts.push(`target ${ms(s.jitter_buffer_target_ms)}`);
  if (isNum(s.jitter_buffer_minimum_ms)) parts.push(`minimum ${ms(s.jitter_buffer_minimum_ms)}`);
  return parts.length ? parts.join(', ') : null;
}

function feedback(s) {
  const parts = [
    ['NACK', s.nack_count],
    ['PLI', s.pli_count],
    ['FIR', s.fir_count],
  ].filter(([, v]) => isNum(v));
  return parts.length ? parts.map(([name, v]) => `${name} ${fmtNum(v, 0)}`).join(', ') : null;
}

function freezes(s) {
  if (!isNum(s.freeze_count)) return null;
  return isNum(s.freeze_total_ms) && s.freeze_count > 0 ? `${fmtNum(s.freeze_count, 0)} (${ms(s.freeze_total_ms)} in all)` : fmtNum(s.freeze_count, 0);
}

function psnr(s) {
  const parts = [
    ['Y', s.psnr_y_db],
    ['U', s.psnr_u_db],
    ['V', s.psnr_v_db],
  ].filter(([, v]) => isNum(v));
  return parts.length ? parts.map(([plane, v]) => `${plane} ${fmtNum(v, 1)} dB`).join(', ') : null;
}

// ECN (L4S) packet counts: what was marked ECT(1), what arrived marked CE.
function ecn(s) {
  const parts = [
    ['ECT(1) sent', s.ect1_sent_packets],
    ['ECT(1) received', s.ect1_received_packets],
    ['CE received', s.ce_received_packets],
    ['ECT(1) cleared on the way', s.ect1_bleached_packets],
  ].filter(([, v]) => isNum(v));
  return parts.length ? parts.map(([name, v]) => `${name} ${fmtNum(v, 0)}`).join(', ') : null;
}

// [label, value] pairs of one stream's facts, in reading order.
function streamPairs(s, sent) {
  return [
    ['Codec', s.codec || null],
    ['Codec parameters', s.codec_fmtp || null],
    [sent ? 'Encoder' : 'Decoder', s.implementation || null],
    ['Power-efficient', yesNo(s.power_efficient)],
    ['Null video decoder used', s.null_decoder ? 'yes (nothing was decoded for display)' : null],
    ['Frames', num(s.frame_count)],
    ['Key frames', num(s.key_frame_count)],
    ['QP per frame', num(s.qp_per_frame, 1)],
    ['Resolution (most frequent)', sizes(s)],
    [sent ? 'Encode time per frame' : 'Decode time per frame', ms(sent ? s.encode_ms_per_frame : s.decode_ms_per_frame)],
    ['Quality limited by', limited(s)],
    ['Resolution changes (limits)', num(s.limitation_resolution_changes)],
    ['Freezes', freezes(s)],
    ['Frames dropped', num(s.frames_dropped)],
    ['Jitter buffer per unit', jitterBuffer(s)],
    ['Jitter-buffer flushes', num(s.jitter_buffer_flushes)],
    ['Processing delay per unit', ms(s.processing_ms)],
    ['Assembly time per frame', ms(s.assembly_ms)],
    ['Inter-frame delay', ms(s.inter_frame_ms)],
    ['Concealed samples', pct(s.concealed_percent)],
    ['Accelerated samples', pct(s.accelerated_percent)],
    ['Decelerated samples', pct(s.decelerated_percent)],
    ['PSNR (mean)', psnr(s)],
    ['ECN packets (L4S)', ecn(s)],
    ['Feedback received', sent ? feedback(s) : null],
    ['Feedback sent', sent ? null : feedback(s)],
  ];
}

// A track's stream facts as a compact definition list under `title`; null
// when the report carries none.
export function streamFactsBlock(track, title) {
  const s = track?.stream;
  if (!s) return null;
  const list = dl(streamPairs(s, track.direction === 'publisher'), 'facts compact stream-facts');
  if (!list.childElementCount) return null;
  return h('div', { class: 'stream-facts-block', dataset: { track: track.key } }, h('h4', null, title), list);
}

const CANDIDATE_NAMES = { host: 'host', mdns: 'mDNS host', srflx: 'server-reflexive', prflx: 'peer-reflexive', relay: 'relay' };

function candidateList(types) {
  if (!Array.isArray(types)) return null;
  return types.length ? types.map((t) => CANDIDATE_NAMES[t] || t).join(', ') : 'none';
}

function iceServers(s) {
  if (!s) return null;
  const kinds = [
    ['STUN', s.stun],
    ['TURN/UDP', s.turn_udp],
    ['TURN/TCP', s.turn_tcp],
    ['TURNS', s.turns],
  ]
    .filter(([, on]) => on)
    .map(([name]) => name);
  const parts = [];
  if (isNum(s.count)) parts.push(`${s.count} server${s.count === 1 ? '' : 's'}`);
  parts.push(kinds.length ? kinds.join(', ') : 'no STUN or TURN URL');
  if (s.relay_only) parts.push('relay only');
  return parts.join(' · ');
}

function dtls(c) {
  const parts = [c.tls_version ? `version ${c.tls_version}` : null, c.dtls_role ? `role ${c.dtls_role}` : null].filter(Boolean);
  return parts.length ? parts.join(', ') : null;
}

function bitrates(c) {
  if (!isNum(c.outbound_bps) && !isNum(c.inbound_bps)) return null;
  return `out ${fmtBitrate(c.outbound_bps)}, in ${fmtBitrate(c.inbound_bps)}`;
}

// [label, value] pairs of one connection's facts beyond its table row.
function connectionPairs(c) {
  return [
    ['DTLS', dtls(c)],
    ['SRTP cipher', c.srtp_cipher || null],
    ['Remote is ICE-lite', yesNo(c.remote_ice_lite)],
    ['ICE servers', iceServers(c.ice_servers)],
    ['Candidates gathered', candidateList(c.gathered_candidates)],
    ['Candidates added (remote)', candidateList(c.added_candidates)],
    ['STUN round trip (mean)', ms(c.stun_rtt_ms)],
    ['Mean bitrate', bitrates(c)],
  ];
}

// The blocks given (nulls left out) side by side; null when there are none.
export function factsGrid(blocks) {
  const shown = blocks.filter(Boolean);
  return shown.length ? h('div', { class: 'facts-grid' }, shown) : null;
}

// One block per connection with facts beyond its row; null when none has any.
export function connectionFactsBlocks(connections) {
  return factsGrid(
    arr(connections).map((c) => {
      const list = dl(connectionPairs(c), 'facts compact connection-facts');
      return list.childElementCount ? h('div', { class: 'connection-facts-block', dataset: { connection: c.id } }, h('h4', { class: 'mono' }, c.id), list) : null;
    }),
  );
}
