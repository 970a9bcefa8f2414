// Chart cards that ask the engine for their series (downsampled in C++ to about
// one point per pixel) when they scroll into view.
import { ChartGroup, COLORS, autoResize, chartNotes, legendHint, limitNotes, renderChart } from './chart.js';
import { h } from './dom.js';
import { metricLabel } from './format.js';

// A sent video's limits are checked on a series of the whole track, not on
// each layer (report.charts thresholds[].series): its bitrate on all layers
// summed, its frame rate on the highest layer that sends. With several layers
// plotted, the chart adds that series (the engine's), the line its threshold
// lines apply to.
const CHECKED_SERIES = {
  all_layers: { metric: 'video_bitrate_total', label: 'total of all layers' },
  highest_sending_layer: { metric: 'highest_layer_fps', label: 'highest sending layer' },
};
function withCheckedSeries(spec) {
  const sources = spec.sources || [];
  const kinds = [...new Set((spec.thresholds || []).map((t) => t.series).filter((s) => CHECKED_SERIES[s]))];
  if (kinds.length !== 1 || sources.length < 2) return sources;
  const { metric, label } = CHECKED_SERIES[kinds[0]];
  const first = sources[0];
  return [...sources, { label, peerId: first.peerId, trackKey: first.trackKey, metric, color: '#111827', width: 2.5, dash: [] }];
}

export function createChartFactory(ctx, full) {
  const group = new ChartGroup(undefined, full);
  let destroyed = false;
  const cleanups = [];
  const pending = new Map(); // element -> load function
  const io =
    typeof IntersectionObserver !== 'undefined'
      ? new IntersectionObserver(
          (entries) => {
            for (const e of entries) {
              if (!e.isIntersecting) continue;
              const load = pending.get(e.target);
              if (load) {
                pending.delete(e.target);
                io.unobserve(e.target);
                load();
              }
            }
          },
          { rootMargin: '300px 0px' },
        )
      : null;

  ctx.onCleanup(() => {
    destroyed = true;
    io?.disconnect();
    for (const fn of cleanups) fn();
    group.destroy();
  });

  // spec: { title, subtitle?, metric, kind?, direction? (filters), sources: [{label, peerId, trackKey, metric?, color?, dash?}], thresholds, bands, muted?,
  //         limits?: () => Promise<[{start_ms, end_ms, reason}]> (quality-limitation bands, fetched with the series) }
  function card(spec) {
    const sources = withCheckedSeries(spec);
    const plot = h('div', { class: 'plot' }, h('p', { class: 'muted chart-loading' }, 'Loading…'));
    const fig = h(
      'figure',
      { class: 'chart-card', dataset: { metric: spec.metric, kind: spec.kind || '', direction: spec.direction || '' } },
      h('figcaption', null, h('span', { class: 'chart-title' }, spec.title || metricLabel(spec.metric)), spec.subtitle ? h('span', { class: 'chart-sub muted' }, ` ${spec.subtitle}`) : null),
      plot,
      chartNotes(spec.metric, spec.thresholds || [], spec.bands || [], spec.muted || []),
    );
    const load = async () => {
      const maxPoints = Math.max(100, Math.min(4000, Math.round(plot.clientWidth || 600)));
      const sessionId = ctx.session.session_id;
      let client;
      try {
        client = ctx.client();
      } catch (e) {
        plot.replaceChildren(h('p', { class: 'muted' }, `Chart unavailable: ${e.message || e}`));
        return;
      }
      const [results, limits] = await Promise.all([
        Promise.allSettled(sources.map((s) => client.series(sessionId, s.peerId, s.trackKey || '', s.metric || spec.metric, { maxPoints }))),
        spec.limits ? spec.limits(client).catch(() => []) : [],
      ]);
      if (destroyed) return;
      const series = [];
      results.forEach((r, i) => {
        if (r.status === 'fulfilled' && r.value && r.value.t) {
          const s = sources[i];
          series.push({ label: s.label, color: s.color || COLORS[i % COLORS.length], dash: s.dash, width: s.width, t: r.value.t, values: r.value.values });
        }
      });
      const failed = results.filter((r) => r.status === 'rejected');
      if (!series.length && failed.length) {
        plot.replaceChildren(h('p', { class: 'muted' }, `No data: ${failed[0].reason?.message || failed[0].reason}`));
        return;
      }
      const u = renderChart(plot, { metric: spec.metric, title: spec.title, series, thresholds: spec.thresholds, bands: spec.bands, muted: spec.muted, limits, group, height: spec.height });
      if (u) cleanups.push(autoResize(plot, u));
      if (u) plot.after(legendHint());
      const notes = u && limits.length ? limitNotes(limits) : null;
      if (notes) fig.append(notes);
    };
    if (io) {
      pending.set(plot, load);
      io.observe(plot);
    } else {
      queueMicrotask(load);
    }
    return fig;
  }

  return { card, group };
}
