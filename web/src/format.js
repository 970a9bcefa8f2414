// Formatting of report values for display. Times of day are shown in the
// zone the engine wrote the report in (report.time_zone: UTC, or the browser's
// offset when the user chose local time), so that the page's times and the
// engine's own sentences (issue details) agree.
import { h } from './dom.js';

const pad = (n, w = 2) => String(n).padStart(w, '0');

export function isNum(v) {
  return typeof v === 'number' && Number.isFinite(v);
}

// The zone of the report shown: its name and its offset from UTC (set by the
// app whenever it renders, from report.time_zone and the config it echoes).
let zone = { name: 'UTC', offsetMs: 0 };

export function useTimeZone(report) {
  const minutes = report?.config?.utc_offset_minutes;
  const name = typeof report?.time_zone === 'string' && report.time_zone ? report.time_zone : 'UTC';
  zone = { name, offsetMs: isNum(minutes) ? minutes * 60000 : 0 };
}

// "UTC", "UTC+01:00": the zone every time on the page is in.
export function zoneName() {
  return zone.name;
}

// A Date whose UTC fields are the time of day in the report's zone.
const shifted = (ms) => new Date(ms + zone.offsetMs);

// For uPlot's tzDate: a Date whose local fields are the time in the report's zone.
export function zoneDate(ms) {
  const d = shifted(ms);
  return new Date(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate(), d.getUTCHours(), d.getUTCMinutes(), d.getUTCSeconds(), d.getUTCMilliseconds());
}

export function fmtTime(ms) {
  if (!isNum(ms)) return '—';
  const d = shifted(ms);
  return `${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())}`;
}

export function fmtDate(ms) {
  if (!isNum(ms)) return '—';
  const d = shifted(ms);
  return `${d.getUTCFullYear()}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())}`;
}

export function fmtDateTime(ms) {
  if (!isNum(ms)) return '—';
  return `${fmtDate(ms)} ${fmtTime(ms)} ${zone.name}`;
}

export function fmtIso(ms) {
  return isNum(ms) ? new Date(ms).toISOString() : '';
}

export function fmtDuration(ms) {
  if (!isNum(ms)) return '—';
  const s = Math.round(ms / 1000);
  if (s < 60) return `${s} s`;
  const m = Math.floor(s / 60);
  if (m < 60) return s % 60 ? `${m} min ${s % 60} s` : `${m} min`;
  const hr = Math.floor(m / 60);
  return m % 60 ? `${hr} h ${m % 60} min` : `${hr} h`;
}

export function fmtNum(v, digits = 2) {
  if (!isNum(v)) return '—';
  const r = Math.round(v * 10 ** digits) / 10 ** digits;
  return r.toLocaleString('en-US', { maximumFractionDigits: digits });
}

// "38 B", "4.2 KiB", "31.4 MiB".
export function fmtBytes(n) {
  if (!isNum(n)) return '—';
  if (n < 1024) return `${fmtNum(n, 0)} B`;
  if (n < 1024 * 1024) return `${fmtNum(n / 1024, 1)} KiB`;
  return `${fmtNum(n / (1024 * 1024), 1)} MiB`;
}

export function fmtPct(rate) {
  return isNum(rate) ? `${fmtNum(rate * 100, 1)} %` : '—';
}

export function fmtBitrate(bps) {
  if (!isNum(bps)) return '—';
  const a = Math.abs(bps);
  if (a >= 1e6) return `${fmtNum(bps / 1e6, 2)} Mbps`;
  if (a >= 1e3) return `${fmtNum(bps / 1e3, 0)} kbps`;
  return `${fmtNum(bps, 0)} bps`;
}

// Metric metadata: unit, a chart's y-axis title (`axis`, its tick values
// multiplied by `scale` when given), value formatter, and whether lower is worse. Labels
// are the engine's (report.labels.metrics, below); only the page's own score
// series, the CQS, has its label here.
export const METRICS = {
  bitrate: { unit: 'bits/s', axis: 'kbit/s', scale: 1e-3, fmt: fmtBitrate, lowerIsWorse: true },
  fps: { unit: 'fps', axis: 'fps', fmt: (v) => (isNum(v) ? `${fmtNum(v, 1)} fps` : '—'), lowerIsWorse: true },
  packet_loss_percent: { unit: '%', axis: '% of packets', fmt: (v) => (isNum(v) ? `${fmtNum(v, 2)} %` : '—') },
  rtt_ms: { unit: 'ms', axis: 'ms', fmt: (v) => (isNum(v) ? `${fmtNum(v, 0)} ms` : '—') },
  jitter_ms: { unit: 'ms', axis: 'ms', fmt: (v) => (isNum(v) ? `${fmtNum(v, 1)} ms` : '—') },
  freeze_count: { unit: 'per sample', axis: 'freezes per sample', fmt: (v) => (isNum(v) ? fmtNum(v, 0) : '—') },
  concealed_samples: { unit: 'per sample', fmt: (v) => (isNum(v) ? fmtNum(v, 0) : '—') },
  concealment_percent: { unit: '%', axis: '% of samples', fmt: (v) => (isNum(v) ? `${fmtNum(v, 2)} %` : '—') },
  video_bitrate_total: { unit: 'bits/s', axis: 'kbit/s', scale: 1e-3, fmt: fmtBitrate, lowerIsWorse: true },
  mos: { unit: '1–4.5', axis: 'MOS (1–4.5)', fmt: (v) => (isNum(v) ? fmtNum(v, 2) : '—'), lowerIsWorse: true },
  cqs: { label: 'Connection Quality Score', unit: '0–5', axis: 'CQS (0–5)', fmt: (v) => (isNum(v) ? fmtNum(v, 2) : '—'), lowerIsWorse: true },
  layer_off: { unit: '', fmt: (v) => (isNum(v) ? fmtNum(v, 2) : '—') },
  // Browser stats dumps only (docs/INPUTS.md, "Browser stats dumps").
  frame_height: { unit: 'px', axis: 'pixels high', fmt: (v) => (isNum(v) ? `${fmtNum(v, 0)}p` : '—'), lowerIsWorse: true },
  cpu_limited: { unit: 'of the interval', fmt: fmtPct },
  bandwidth_limited: { unit: 'of the interval', fmt: fmtPct },
  freeze_ms: { unit: 'ms', fmt: (v) => (isNum(v) ? `${fmtNum(v, 0)} ms` : '—') },
  paused_ms: { unit: 'ms', fmt: (v) => (isNum(v) ? `${fmtNum(v, 0)} ms` : '—') },
  jitter_buffer_ms: { unit: 'ms', fmt: (v) => (isNum(v) ? `${fmtNum(v, 0)} ms` : '—') },
  jitter_buffer_minimum_ms: { unit: 'ms', fmt: (v) => (isNum(v) ? `${fmtNum(v, 0)} ms` : '—') },
  encode_usage: { unit: '% of the time', fmt: (v) => (isNum(v) ? `${fmtNum(v, 0)} %` : '—') },
  decode_usage: { unit: '% of the time', fmt: (v) => (isNum(v) ? `${fmtNum(v, 0)} %` : '—') },
};

// The engine's words for codes and metric names: the labels table of the
// report or fleet summary shown (docs/REPORT.md "labels"), set by the app
// whenever it renders. The page makes up no label of its own: a name the
// engine gave no label reads as the name itself.
let engineLabels = { issue_codes: {}, metrics: {} };

export function useLabels(labels) {
  const table = (v) => (v && typeof v === 'object' && !Array.isArray(v) ? v : {});
  engineLabels = { issue_codes: table(labels?.issue_codes), metrics: table(labels?.metrics) };
}

const labelIn = (table, name) => (Object.hasOwn(table, name) && typeof table[name] === 'string' ? table[name] : null);

// A metric's label: the engine's, else the page's own (the CQS), else the
// name as it is (never "undefined": a missing name is "").
export function metricLabel(name) {
  if (name === undefined || name === null) return '';
  return labelIn(engineLabels.metrics, name) || METRICS[name]?.label || String(name);
}

export function fmtMetric(name, v) {
  const m = METRICS[name];
  return m ? m.fmt(v) : fmtNum(v);
}

export const SEVERITIES = ['critical', 'warning', 'info'];
const SEVERITY_ICON = { critical: '✖', warning: '⚠', info: 'ℹ' };
const SEVERITY_LABEL = { critical: 'Critical', warning: 'Warning', info: 'Info' };

// A severity badge: icon + word + colour (colour is never the only cue).
export function severityBadge(sev) {
  const s = SEVERITY_LABEL[sev] ? sev : 'info';
  return h('span', { class: `badge sev-${s}` }, h('span', { class: 'icon', 'aria-hidden': 'true' }, SEVERITY_ICON[s]), ' ', SEVERITY_LABEL[s]);
}

const HEALTH = {
  good: { icon: '●', label: 'Good' },
  moderate: { icon: '◐', label: 'Moderate' },
  poor: { icon: '✖', label: 'Poor' },
  none: { icon: '–', label: 'Not used' },
};

export function healthBadge(value, kind) {
  const v = HEALTH[value] ? value : 'none';
  return h(
    'span',
    { class: `health health-${v}`, title: kind ? `${kind}: ${HEALTH[v].label}` : HEALTH[v].label },
    h('span', { class: 'icon', 'aria-hidden': 'true' }, HEALTH[v].icon),
    ' ',
    HEALTH[v].label,
  );
}

export function healthLabel(value) {
  return (HEALTH[value] || HEALTH.none).label;
}

const BANDS = { excellent: 'Excellent', good: 'Good', fair: 'Fair', poor: 'Poor', failed: 'Failed' };

export function bandOf(cqs) {
  if (!isNum(cqs)) return null;
  if (cqs >= 4) return 'excellent';
  if (cqs >= 3) return 'good';
  if (cqs >= 2) return 'fair';
  if (cqs >= 1) return 'poor';
  return 'failed';
}

export function cqsBadge(cqs, band) {
  if (!isNum(cqs)) return h('span', { class: 'cqs cqs-none' }, '—');
  const b = BANDS[band] ? band : bandOf(cqs);
  return h('span', { class: `cqs band-${b}` }, h('strong', null, fmtNum(cqs, 2)), ' ', h('span', { class: 'band-label' }, BANDS[b]));
}

export function bandLabel(band) {
  return BANDS[band] || '—';
}

const CALL_TYPES = {
  'one-to-zero': 'One peer alone',
  'one-to-one': 'One-to-one',
  multiparty: 'Multiparty',
  broadcast: 'Broadcast',
  webinar: 'Webinar',
};

export function callTypeLabel(t) {
  return CALL_TYPES[t] || String(t || '—');
}

export function directionLabel(d) {
  if (d === 'uplink') return '↑ uplink (sent)';
  if (d === 'downlink') return '↓ downlink (received)';
  if (d === 'publisher') return 'sent';
  if (d === 'subscriber') return 'received';
  return '—';
}

export function kindLabel(k) {
  return { audio: 'Audio', video: 'Video', screen: 'Screen share' }[k] || String(k || '');
}

// An issue code's label: the engine's, else the code as it is.
export function codeLabel(code) {
  return labelIn(engineLabels.issue_codes, code) || String(code ?? '');
}

export function shortId(id) {
  const s = String(id ?? '');
  return s.length > 13 ? `${s.slice(0, 8)}…` : s;
}
