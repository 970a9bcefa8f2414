#include "callsight/model.h"

namespace callsight {

const char* DirectionName(Direction d) {
  return d == Direction::kPublisher ? "publisher" : "subscriber";
}

const char* MediaKindName(MediaKind k) {
  switch (k) {
    case MediaKind::kAudio:
      return "audio";
    case MediaKind::kVideo:
      return "video";
    default:
      return "screen";
  }
}

namespace {
constexpr const char* kMetricNames[kMetricCount] = {
    "bitrate",   "fps",          "packet_loss_percent", "rtt_ms",
    "jitter_ms", "freeze_count", "concealed_samples"};
}  // namespace

const char* MetricName(Metric m) { return kMetricNames[static_cast<int>(m)]; }

std::optional<Metric> MetricFromName(const std::string& name) {
  for (int i = 0; i < kMetricCount; ++i) {
    if (name == kMetricNames[i]) return static_cast<Metric>(i);
  }
  return std::nullopt;
}

}  // namespace callsight
