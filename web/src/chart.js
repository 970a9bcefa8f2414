// Time-series charts (uPlot): threshold lines, breach bands, values on hover
// (legend and a tooltip at the pointer), drag to zoom (double-click resets),
// cursor and zoom shared within a group; y axes titled with their unit; lines
// told apart by dash style as well as colour.
import uPlot from 'uplot';
import { h } from './dom.js';
import { METRICS, fmtMetric, fmtNum, fmtTime, isNum, metricLabel, zoneDate, zoneName } from './format.js';

export const COLORS = ['#2563eb', '#d97706', '#059669', '#9333ea', '#db2777', '#0891b2', '#65a30d', '#dc2626'];
const SEV_COLOR = { warning: '#b45309', critical: '#b91c1c', info: '#4b5563' };
// Line styles by a series' place in its chart (layers h, m, l; uplink,
// downlink): solid, dashed, dotted, dash-dot; colour is never the only cue.
export const DASHES = [[], [8, 4], [2, 3], [10, 3, 2, 3]];
// The CSS border style that reads like a line's dash pattern (legend, tooltip).
export function dashName(dash) {
  if (!dash || !dash.length) return 'solid';
  return dash[0] <= 2 ? 'dotted' : 'dashed';
}
// A breach band is at least this wide (CSS pixels), however short the breach.
export const MIN_BAND_PX = 4;
const SEV_FILL = { warning: 'rgba(245, 158, 11, 0.16)', critical: 'rgba(220, 38, 38, 0.16)', info: 'rgba(107, 114, 128, 0.12)' };

// Not sending (muted, or nothing on any layer): grey and hatched, never a breach colour.
const MUTED_FILL = 'rgba(107, 114, 128, 0.14)';
const MUTED_HATCH = 'rgba(75, 85, 99, 0.35)';
const MUTED_TEXT = '#4b5563';

// A sent video's quality limitations (browser dumps): a coloured strip along the
// plot's foot over a light wash, labelled where wide enough.
export const LIMIT_STYLE = {
  cpu: { label: 'CPU-limited', strip: '#0e7490', fill: 'rgba(14, 116, 144, 0.10)' },
  bandwidth: { label: 'bandwidth-limited', strip: '#7c3aed', fill: 'rgba(124, 58, 237, 0.10)' },
};

const inZone = (ts) => zoneDate(ts); // uPlot tzDate: the report's zone

function toPlain(values) {
  const out = new Array(values.length);
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    out[i] = Number.isFinite(v) ? v : null;
  }
  return out;
}

// Aligns several {t, values} series on one x axis (NaN = gap).
export function alignSeries(list) {
  if (list.length === 1) return [Array.from(list[0].t), toPlain(list[0].values)];
  return uPlot.join(list.map((s) => [Array.from(s.t), toPlain(s.values)]));
}

// Tick values in the axis title's unit (bit/s shown as kbit/s).
function axisValueFormatter(metric) {
  const scale = METRICS[metric]?.scale;
  if (!scale) return undefined;
  return (u, splits) => splits.map((v) => (v == null ? '' : fmtNum(v * scale, Math.abs(v * scale) < 10 && v !== 0 ? 1 : 0)));
}

// The y axis' title: the metric's unit ("kbit/s", "%", "ms", "fps", ...).
export function axisTitle(metric) {
  return METRICS[metric]?.axis || METRICS[metric]?.unit || '';
}

// x axis ticks in the report's zone, 24-hour: HH:MM on whole minutes, else HH:MM:SS.
function timeTicks(u, splits, axisIdx, space, incr) {
  return splits.map((v) => {
    if (v == null) return '';
    const t = fmtTime(v);
    return incr >= 60000 && v % 60000 === 0 ? t.slice(0, 5) : t;
  });
}

function yRange(metric, thresholds) {
  if (metric === 'cqs') return () => [0, 5];
  if (metric === 'mos') return () => [1, 4.5];
  const tvals = thresholds.map((t) => t.value).filter(isNum);
  return (u, dataMin, dataMax) => {
    let min = Math.min(0, isNum(dataMin) ? dataMin : 0);
    let max = Math.max(isNum(dataMax) ? dataMax : 0, ...tvals.map((v) => v * 1.15));
    if (!(max > min)) max = min + 1;
    return [min, max * 1.05];
  };
}

// A group shares the hover cursor and the x zoom of its charts. `full` is the
// range shown when not zoomed (e.g. the peer's whole stay).
export class ChartGroup {
  constructor(key, full) {
    this.key = key || `g${Math.random().toString(36).slice(2)}`;
    this.full = full || null;
    this.charts = new Set();
    this.range = null; // [min, max] when zoomed, else null
    this.listeners = new Set();
    this._syncing = false;
  }
  add(u) {
    this.charts.add(u);
    this.apply(u);
  }
  remove(u) {
    this.charts.delete(u);
  }
  onChange(fn) {
    this.listeners.add(fn);
  }
  apply(u) {
    const r = this.range || this.full || dataExtent(u);
    if (!r) return;
    this._syncing = true;
    try {
      u.setScale('x', { min: r[0], max: r[1] });
    } finally {
      this._syncing = false;
    }
  }
  setRange(range, origin) {
    this.range = range;
    for (const u of this.charts) if (!(range && u === origin)) this.apply(u);
    for (const fn of this.listeners) fn(range);
  }
  destroy() {
    for (const u of this.charts) u.destroy();
    this.charts.clear();
    this.listeners.clear();
  }
}

function dataExtent(u) {
  const xs = u.data[0];
  return xs && xs.length ? [xs[0], xs[xs.length - 1]] : null;
}

// Grey hatched bands, labelled "not sending" where wide enough; returns how many
// are in view (kept on the chart's root as data-muted-drawn).
function drawMuted(u, muted) {
  const { ctx } = u;
  const { top, height } = u.bbox;
  const px = uPlot.pxRatio;
  let drawn = 0;
  for (const m of muted) {
    if (!isNum(m.start_ms)) continue;
    const x0 = u.valToPos(m.start_ms, 'x', true);
    const x1 = u.valToPos(isNum(m.end_ms) ? m.end_ms : m.start_ms, 'x', true);
    if (x1 < u.bbox.left || x0 > u.bbox.left + u.bbox.width) continue;
    const w = Math.max(3 * px, x1 - x0);
    drawn++;
    ctx.fillStyle = MUTED_FILL;
    ctx.fillRect(x0, top, w, height);
    ctx.save();
    ctx.beginPath();
    ctx.rect(x0, top, w, height);
    ctx.clip();
    ctx.strokeStyle = MUTED_HATCH;
    ctx.lineWidth = px;
    ctx.beginPath();
    for (let x = x0 - height; x < x0 + w; x += 8 * px) {
      ctx.moveTo(x, top + height);
      ctx.lineTo(x + height, top);
    }
    ctx.stroke();
    ctx.restore();
    ctx.font = `${11 * px}px system-ui, sans-serif`;
    const label = 'not sending';
    if (ctx.measureText(label).width + 8 * px <= w) {
      ctx.fillStyle = MUTED_TEXT;
      ctx.textAlign = 'left';
      ctx.textBaseline = 'top';
      ctx.fillText(label, x0 + 4 * px, top + 4 * px);
    }
  }
  u.root.dataset.mutedDrawn = String(drawn);
}

// Quality-limitation bands; returns how many are in view (data-limits-drawn).
function drawLimits(u, limits) {
  const { ctx } = u;
  const { top, height } = u.bbox;
  const px = uPlot.pxRatio;
  const strip = 6 * px;
  let drawn = 0;
  for (const l of limits) {
    const style = LIMIT_STYLE[l.reason];
    if (!style || !isNum(l.start_ms)) continue;
    const x0 = u.valToPos(l.start_ms, 'x', true);
    const x1 = u.valToPos(isNum(l.end_ms) ? l.end_ms : l.start_ms, 'x', true);
    if (x1 < u.bbox.left || x0 > u.bbox.left + u.bbox.width) continue;
    const w = Math.max(3 * px, x1 - x0);
    drawn++;
    ctx.fillStyle = style.fill;
    ctx.fillRect(x0, top, w, height);
    // CPU strips sit above bandwidth ones, so both show when they overlap.
    const y = top + height - strip * (l.reason === 'cpu' ? 2 : 1);
    ctx.fillStyle = style.strip;
    ctx.fillRect(x0, y, w, strip);
    ctx.font = `${11 * px}px system-ui, sans-serif`;
    const textW = ctx.measureText(style.label).width;
    if (textW + 8 * px <= w) {
      // on a white plate: the label stays readable over lines and threshold labels
      ctx.fillStyle = 'rgba(255, 255, 255, 0.85)';
      ctx.fillRect(x0 + 2 * px, y - 15 * px, textW + 4 * px, 14 * px);
      ctx.fillStyle = style.strip;
      ctx.textAlign = 'left';
      ctx.textBaseline = 'bottom';
      ctx.fillText(style.label, x0 + 4 * px, y - 2 * px);
    }
  }
  u.root.dataset.limitsDrawn = String(drawn);
}

// Draws not-sending, quality-limitation and breach bands (behind the series) and
// threshold lines (above them).
function overlayPlugin(bands, thresholds, muted, limits = []) {
  return {
    hooks: {
      drawAxes: [
        (u) => {
          const { ctx } = u;
          const { left, top, width, height } = u.bbox;
          ctx.save();
          ctx.beginPath();
          ctx.rect(left, top, width, height);
          ctx.clip();
          if (muted.length) drawMuted(u, muted);
          if (limits.length) drawLimits(u, limits);
          const minW = MIN_BAND_PX * uPlot.pxRatio;
          for (const b of bands) {
            if (!isNum(b.start_ms)) continue;
            const x0 = u.valToPos(b.start_ms, 'x', true);
            const x1 = u.valToPos(isNum(b.end_ms) ? b.end_ms : b.start_ms, 'x', true);
            const w = Math.max(minW, x1 - x0);
            // a short breach: centred on its time, widened to stay visible
            ctx.fillStyle = SEV_FILL[b.severity] || SEV_FILL.info;
            ctx.fillRect(x1 - x0 < minW ? (x0 + x1) / 2 - w / 2 : x0, top, w, height);
          }
          ctx.restore();
        },
      ],
      draw: [
        (u) => {
          const { ctx } = u;
          const { left, top, width, height } = u.bbox;
          ctx.save();
          for (const t of thresholds) {
            const y = u.valToPos(t.value, 'y', true);
            if (!(y >= top && y <= top + height)) continue;
            ctx.strokeStyle = SEV_COLOR[t.severity] || SEV_COLOR.info;
            ctx.lineWidth = 1.5 * uPlot.pxRatio;
            ctx.setLineDash(t.severity === 'critical' ? [] : [6 * uPlot.pxRatio, 4 * uPlot.pxRatio]);
            ctx.beginPath();
            ctx.moveTo(left, y);
            ctx.lineTo(left + width, y);
            ctx.stroke();
            ctx.setLineDash([]);
            ctx.fillStyle = SEV_COLOR[t.severity] || SEV_COLOR.info;
            ctx.font = `${11 * uPlot.pxRatio}px system-ui, sans-serif`;
            ctx.textAlign = 'right';
            // the highest line's label above it, the others below: close lines stay readable
            const below = thresholds.length > 1 && t.value < Math.max(...thresholds.map((x) => x.value));
            ctx.textBaseline = below ? 'top' : 'bottom';
            ctx.fillText(t.severity, left + width - 4 * uPlot.pxRatio, y + (below ? 2 : -2) * uPlot.pxRatio);
          }
          ctx.restore();
        },
      ],
    },
  };
}

// A tooltip at the pointer: the hovered time and each shown series' value
// there (the legend row holds the same values, away from the pointer).
// Only the chart under the pointer shows it (the group's others follow the
// cursor without one).
function tooltipPlugin(metric) {
  let tip;
  let over = false;
  const hide = () => {
    if (tip) tip.hidden = true;
  };
  return {
    hooks: {
      init: [
        (u) => {
          tip = h('div', { class: 'chart-tip', 'aria-hidden': 'true', hidden: true });
          u.over.append(tip);
          u.over.addEventListener('mouseenter', () => (over = true));
          u.over.addEventListener('mouseleave', () => {
            over = false;
            hide();
          });
        },
      ],
      setCursor: [
        (u) => {
          const { idx, left, top } = u.cursor;
          if (!over || idx == null || left == null || left < 0) return hide();
          const rows = u.series.slice(1).flatMap((s, i) => {
            if (!s.show) return [];
            const v = u.data[i + 1][idx];
            return [h('div', { class: 'tip-row' }, h('span', { class: 'tip-swatch', style: { 'border-top-color': s.stroke(), 'border-top-style': dashName(s.dash) } }), `${s.label}: ${v == null ? '—' : fmtMetric(metric, v)}`)];
          });
          tip.replaceChildren(h('div', { class: 'tip-time' }, `${fmtTime(u.data[0][idx])} ${zoneName()}`), ...rows);
          tip.hidden = false;
          // beside the pointer, flipped to its left near the right edge
          const w = tip.offsetWidth;
          const x = left + 12 + w > u.over.clientWidth ? left - 12 - w : left + 12;
          tip.style.left = `${Math.max(0, x)}px`;
          tip.style.top = `${Math.max(0, Math.min(top - 8, u.over.clientHeight - tip.offsetHeight))}px`;
        },
      ],
    },
  };
}

// Renders a chart into `container` (replacing its content). spec:
//   { metric, title, series: [{label, t, values, color?, dash?, width?}], thresholds: [{value, severity, note?}],
//     bands: [{start_ms, end_ms, severity}], muted: [{start_ms, end_ms}],
//     limits: [{start_ms, end_ms, reason: 'cpu' | 'bandwidth'}], group: ChartGroup, height? }
// Returns the uPlot instance, or null when there is nothing to draw.
export function renderChart(container, spec) {
  const metric = spec.metric;
  const list = spec.series.filter((s) => s && s.t && s.t.length);
  const hasValues = list.some((s) => Array.prototype.some.call(s.values, (v) => Number.isFinite(v)));
  container.replaceChildren();
  if (!hasValues) {
    container.append(h('p', { class: 'muted chart-empty' }, 'No samples for this metric.'));
    return null;
  }
  const thresholds = spec.thresholds || [];
  const bands = spec.bands || [];
  const muted = spec.muted || [];
  const data = alignSeries(list);
  const width = Math.max(320, Math.floor(container.clientWidth || container.parentElement?.clientWidth || 640));
  const group = spec.group;
  const opts = {
    width,
    height: spec.height || 170,
    ms: 1,
    tzDate: inZone,
    cursor: {
      sync: group ? { key: group.key, setSeries: false } : undefined,
      drag: { x: true, y: false, setScale: true },
      focus: { prox: 16 },
    },
    scales: { x: { time: true }, y: { range: yRange(metric, thresholds) } },
    legend: { live: true, markers: { dash: (u, i) => dashName(u.series[i].dash), width: 3 } },
    axes: [
      { stroke: '#4b5563', grid: { stroke: '#e5e7eb' }, ticks: { stroke: '#d1d5db' }, values: timeTicks, space: 70, label: `Time (${zoneName()})`, labelSize: 18, labelFont: '11px system-ui, sans-serif' },
      { stroke: '#4b5563', grid: { stroke: '#e5e7eb' }, ticks: { stroke: '#d1d5db' }, size: 50, values: axisValueFormatter(metric), label: axisTitle(metric), labelSize: 18, labelFont: '11px system-ui, sans-serif' },
    ],
    series: [
      { label: `Time (${zoneName()})`, value: (u, v) => (v == null ? '—' : fmtTime(v)) },
      ...list.map((s, i) => ({
        label: s.label,
        stroke: s.color || COLORS[i % COLORS.length],
        width: s.width || 1.5,
        dash: s.dash || DASHES[i % DASHES.length],
        spanGaps: false,
        points: { size: 4 },
        value: (u, v) => (v == null ? '—' : fmtMetric(metric, v)),
      })),
    ],
    plugins: [overlayPlugin(bands, thresholds, muted, spec.limits || []), tooltipPlugin(metric)],
    hooks: {
      setScale: [
        (u, key) => {
          if (key !== 'x' || !group || group._syncing || !u._csReady) return;
          const { min, max } = u.scales.x;
          const ext = dataExtent(u);
          const isReset = ext && min === ext[0] && max === ext[1]; // double-click
          const coversFull = group.full && min <= group.full[0] && max >= group.full[1];
          group.setRange(isReset || coversFull ? null : [min, max], u);
        },
      ],
    },
  };
  const u = new uPlot(opts, data, container);
  u.root.setAttribute('role', 'img');
  u.root.setAttribute('aria-label', `${spec.title || metricLabel(metric)} chart, in ${axisTitle(metric)}`);
  // the legend hides a series on click (uPlot's own): its rows say so (and
  // the card's hint, legendHint)
  for (const row of u.root.querySelectorAll('.u-legend .u-series:not(:first-child)')) row.title = 'Click to hide or show this line';
  if (group) group.add(u);
  u._csReady = true;
  return u;
}

// Keeps charts as wide as their containers.
export function autoResize(el, u) {
  if (!u || typeof ResizeObserver === 'undefined') return () => {};
  let last = 0;
  const ro = new ResizeObserver(() => {
    const w = Math.floor(el.clientWidth);
    if (w > 0 && Math.abs(w - last) > 4) {
      last = w;
      u.setSize({ width: Math.max(320, w), height: u.height });
    }
  });
  ro.observe(el);
  return () => ro.disconnect();
}

// The line under a chart's legend saying what a click on it does.
export function legendHint() {
  return h('p', { class: 'legend-hint muted' }, 'Click a line’s name in the legend to hide or show it.');
}

// Text legend for threshold lines and breach bands (colour is never the only cue).
export function chartNotes(metric, thresholds, bands, muted = []) {
  const parts = [];
  if (muted.length) {
    parts.push(
      h(
        'span',
        { class: 'note muted-note' },
        h('span', { class: 'muted-sample', 'aria-hidden': 'true' }),
        ` not sending (muted or off) ${muted.length === 1 ? 'once' : `${muted.length} times`}: not scored`,
      ),
    );
  }
  for (const t of thresholds) {
    parts.push(
      h(
        'span',
        { class: `note sev-${t.severity}` },
        h('span', { class: `line-sample ${t.severity === 'critical' ? 'solid' : 'dashed'}`, 'aria-hidden': 'true' }),
        ` ${t.severity} ${fmtMetric(metric, t.value)}${t.note ? ` (${t.note})` : ''}`,
      ),
    );
  }
  if (bands.length) {
    const crit = bands.filter((b) => b.severity === 'critical').length;
    parts.push(
      h(
        'span',
        { class: 'note' },
        h('span', { class: 'band-sample', 'aria-hidden': 'true' }),
        ` ${bands.length} breach${bands.length === 1 ? '' : 'es'} shaded${crit ? ` (${crit} critical)` : ''}`,
      ),
    );
  }
  return parts.length ? h('p', { class: 'chart-notes' }, ...parts) : null;
}

// Text legend of quality-limitation bands (null when there are none).
export function limitNotes(limits) {
  const parts = Object.entries(LIMIT_STYLE).flatMap(([reason, style]) => {
    const n = limits.filter((l) => l.reason === reason).length;
    if (!n) return [];
    return [
      h(
        'span',
        { class: `note limit-note limit-${reason}` },
        h('span', { class: `limit-sample limit-${reason}`, 'aria-hidden': 'true' }),
        ` ${style.label} ${n === 1 ? 'once' : `${n} times`} (the encoder said so for at least half of each interval)`,
      ),
    ];
  });
  return parts.length ? h('p', { class: 'chart-notes limit-notes' }, ...parts) : null;
}
