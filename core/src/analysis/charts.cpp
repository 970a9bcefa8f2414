// What the report tells the page to chart: each track's charts
// (TrackAnalysis::charts) and how a chart is drawn (Analysis::charts: the
// thresholds and breaches the analysis checks, CheckedThreshold).
#include <cmath>
#include <optional>
#include <vector>

#include "analysis/internal.h"

namespace callsight::analysis {
namespace {

// A chart metric before kMos charts the model Metric of the same number (the
// concealment in % of its concealed samples; the metrics after
// kConcealedSamples, only in browser dumps, are not charted).
static_assert(static_cast<int>(ChartMetric::kBitrate) == static_cast<int>(Metric::kBitrate) &&
                  static_cast<int>(ChartMetric::kConcealmentPercent) ==
                      static_cast<int>(Metric::kConcealedSamples) &&
                  static_cast<int>(ChartMetric::kMos) ==
                      static_cast<int>(Metric::kConcealedSamples) + 1,
              "ChartMetric extends Metric");

// The breach metrics a chart of `chart` can show (RuleOf keeps those checked
// on the track's direction and kind).
std::vector<BreachMetric> ShownOn(ChartMetric chart) {
  switch (chart) {
    case ChartMetric::kBitrate:
      return {BreachMetric::kAudioBitrate, BreachMetric::kVideoBitrateTotal,
              BreachMetric::kLayerOff};
    case ChartMetric::kFps:
      return {BreachMetric::kFps, BreachMetric::kLayerOff};
    case ChartMetric::kPacketLoss:
      return {BreachMetric::kPacketLoss};
    case ChartMetric::kRtt:
      return {BreachMetric::kRtt};
    case ChartMetric::kJitter:
      return {BreachMetric::kJitter};
    case ChartMetric::kFreezeCount:
      return {BreachMetric::kFreezeCount};
    case ChartMetric::kConcealmentPercent:
      return {BreachMetric::kConcealment};
    case ChartMetric::kMos:
      return {BreachMetric::kMos};
  }
  return {};
}

// The lines of breach metric `metric`'s threshold on its chart, in the
// chart's unit: none where the threshold is in another unit (a stopped
// layer, a media gap) and only the warning count for freezes (their critical
// limit is a rate held over time).
void AddLines(BreachMetric metric, MediaKind kind, const Threshold& limit,
              std::vector<ChartThreshold>* out) {
  if (metric == BreachMetric::kLayerOff || metric == BreachMetric::kMediaGap) {
    return;
  }
  ThresholdSeries series = ThresholdSeries::kTrack;
  if (metric == BreachMetric::kVideoBitrateTotal) series = ThresholdSeries::kAllLayers;
  if (metric == BreachMetric::kFps && kind == MediaKind::kVideo) {
    series = ThresholdSeries::kHighestSendingLayer;
  }
  if (std::isfinite(limit.warning)) out->push_back({limit.warning, Severity::kWarning, series});
  if (metric == BreachMetric::kFreezeCount) return;
  if (std::isfinite(limit.critical)) out->push_back({limit.critical, Severity::kCritical, series});
}

// Whether any layer of the track carries `chart`'s series (the MOS: an audio
// track with a MOS or a packet loss).
bool Plots(const Track& track, ChartMetric chart, bool has_mos) {
  auto has = [&](Metric m) {
    for (const Layer& l : track.layers) {
      if (l.series.has(m)) return true;
    }
    return false;
  };
  if (chart == ChartMetric::kMos) {
    return track.kind == MediaKind::kAudio && (has_mos || has(Metric::kPacketLoss));
  }
  // A chart metric before kMos is the Metric of its number (static_assert above).
  return has(static_cast<Metric>(chart));
}

}  // namespace

ChartRule RuleOf(Direction direction, MediaKind kind, ChartMetric metric, const Config& config) {
  ChartRule rule;
  rule.direction = direction;
  rule.kind = kind;
  rule.metric = metric;
  // Received audio: its MOS is judged by a detection, not by breaches.
  if (metric == ChartMetric::kMos && direction == Direction::kSubscriber &&
      kind == MediaKind::kAudio) {
    AddLines(BreachMetric::kMos, kind, MosThreshold(config), &rule.thresholds);
  }
  for (BreachMetric shown : ShownOn(metric)) {
    const std::optional<Threshold> limit = CheckedThreshold(direction, kind, shown, config);
    if (!limit) continue;
    rule.breach_metrics.push_back(shown);
    AddLines(shown, kind, *limit, &rule.thresholds);
  }
  return rule;
}

std::vector<ChartRule> ChartRules(const Config& config) {
  std::vector<ChartRule> rules;
  for (Direction d : {Direction::kPublisher, Direction::kSubscriber}) {
    for (MediaKind k : {MediaKind::kAudio, MediaKind::kVideo, MediaKind::kScreen}) {
      for (int c = 0; c < kChartMetricCount; ++c) {
        rules.push_back(RuleOf(d, k, static_cast<ChartMetric>(c), config));
      }
    }
  }
  return rules;
}

std::vector<ChartMetric> ChartsOf(const Track& track, bool has_mos) {
  std::vector<ChartMetric> charts;
  for (int c = 0; c < kChartMetricCount; ++c) {
    const auto metric = static_cast<ChartMetric>(c);
    if (Plots(track, metric, has_mos)) charts.push_back(metric);
  }
  return charts;
}

void DescribeCharts(const Session& session, SessionAnalysis* out) {
  for (size_t pi = 0; pi < session.peers.size() && pi < out->peers.size(); ++pi) {
    const Peer& peer = session.peers[pi];
    std::vector<TrackAnalysis>& entries = out->peers[pi].tracks;
    // A track's entries (its layers) are next to each other.
    for (size_t first = 0, end; first < entries.size(); first = end) {
      const size_t ti = entries[first].track_index;
      bool has_mos = false;
      for (end = first; end < entries.size() && entries[end].track_index == ti; ++end) {
        has_mos |= !std::isnan(entries[end].mos);
      }
      if (ti >= peer.tracks.size()) continue;
      const std::vector<ChartMetric> charts = ChartsOf(peer.tracks[ti], has_mos);
      for (size_t e = first; e < end; ++e) entries[e].charts = charts;
    }
  }
}

}  // namespace callsight::analysis
