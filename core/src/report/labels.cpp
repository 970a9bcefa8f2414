#include "report/labels.h"

#include <array>
#include <optional>
#include <set>
#include <string>

#include "callsight/model.h"

namespace callsight::report {
namespace {

// In IssueCode order (kIssueCodeNames in analysis/findings.cpp).
constexpr std::array<const char*, kIssueCodeCount> kIssueCodeLabels = {
    "High packet loss",
    "High round-trip time",
    "High jitter",
    "Low audio bitrate",
    "Low video bitrate",
    "Low frame rate",
    "Video freezes",
    "Audio concealment",
    "Simulcast layer stopped",
    "Media gap",
    "Poor audio quality (MOS)",
    "Join failed",
    "Connection failed",
    "Publish failed",
    "Subscribe failed",
    "Disconnected",
    "Low received frame rate",
    "Nothing received",
    "Poor received audio (MOS)",
    "Session-wide degradation",
    "Bitrate collapse",
    "Repeated rejoins",
    "Video limited by CPU",
    "Video limited by bandwidth",
    "Resolution drop",
    "High jitter buffer delay",
    "Received stream stalled",
    "Periodic jitter buffer flushes",
    "CPU pressure (video coding)",
    "ICE server error",
    "Relayed connection (TURN)",
    "Media over TCP",
    "Slow connection setup",
    "ICE restart",
    "Signaling error",
};

// In Metric order (the model's series).
constexpr std::array<const char*, kMetricCount> kMetricLabels = {
    "Bitrate",
    "Frame rate",
    "Packet loss",
    "Round-trip time",
    "Jitter",
    "Freezes",
    "Concealed audio samples",
    "Resolution (frame height)",
    "CPU-limited share",
    "Bandwidth-limited share",
    "Frozen time",
    "Jitter buffer delay",
    "Paused time",
    "Jitter buffer minimum delay",
    "Encoder usage",
    "Decoder usage",
};

// A breach metric that is not a model series: derived by the analysis.
const char* DerivedMetricLabel(BreachMetric metric) {
  switch (metric) {
    case BreachMetric::kVideoBitrateTotal:
      return "Video bitrate (all layers)";
    case BreachMetric::kLayerOff:
      return "Simulcast layer off";
    case BreachMetric::kMos:
      return "Audio MOS";
    case BreachMetric::kConcealment:
      return "Audio concealment";
    case BreachMetric::kMediaGap:
      return "Media gap";
    default:
      return "";
  }
}

template <size_t N>
const char* At(const std::array<const char*, N>& labels, size_t i) {
  return i < N ? labels[i] : "";
}

}  // namespace

const char* IssueCodeLabel(IssueCode code) {
  return At(kIssueCodeLabels, static_cast<size_t>(code));
}

const char* MetricLabel(Metric metric) { return At(kMetricLabels, static_cast<size_t>(metric)); }

const char* BreachMetricLabel(BreachMetric metric) {
  if (static_cast<int>(metric) >= kBreachMetricCount) return "";
  const std::optional<Metric> series = MetricFromName(BreachMetricName(metric));
  return series ? MetricLabel(*series) : DerivedMetricLabel(metric);
}

const char* ChartMetricLabel(ChartMetric metric) {
  if (static_cast<int>(metric) >= kChartMetricCount) return "";
  const std::optional<Metric> series = MetricFromName(ChartMetricName(metric));
  if (series) return MetricLabel(*series);
  const std::optional<BreachMetric> breach = BreachMetricFromName(ChartMetricName(metric));
  return breach ? BreachMetricLabel(*breach) : "";
}

void LabelsJson(json::JsonWriter& w) {
  w.BeginObject().Key("issue_codes").BeginObject();
  for (int i = 0; i < kIssueCodeCount; ++i) {
    const auto code = static_cast<IssueCode>(i);
    w.Field(IssueCodeName(code), IssueCodeLabel(code));
  }
  w.EndObject().Key("metrics").BeginObject();
  std::set<std::string> written;
  for (int i = 0; i < kMetricCount; ++i) {
    const auto metric = static_cast<Metric>(i);
    written.insert(MetricName(metric));
    w.Field(MetricName(metric), MetricLabel(metric));
  }
  for (int i = 0; i < kBreachMetricCount; ++i) {
    const auto metric = static_cast<BreachMetric>(i);
    if (written.insert(BreachMetricName(metric)).second) {
      w.Field(BreachMetricName(metric), BreachMetricLabel(metric));
    }
  }
  for (int i = 0; i < kChartMetricCount; ++i) {
    const auto metric = static_cast<ChartMetric>(i);
    if (written.insert(ChartMetricName(metric)).second) {
      w.Field(ChartMetricName(metric), ChartMetricLabel(metric));
    }
  }
  w.EndObject().EndObject();
}

}  // namespace callsight::report
