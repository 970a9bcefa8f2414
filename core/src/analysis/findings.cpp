// The name tables of the typed findings: breach metrics, issue codes and the
// metrics a track's charts plot.
// These names are the report's contract (docs/REPORT.md, report.schema.json,
// wasm/types/index.d.ts list them; tests/core/findings_test.cpp checks that).
#include <array>

#include "callsight/analysis.h"

namespace callsight {
namespace {

constexpr std::array<const char*, kBreachMetricCount> kBreachMetricNames = {
    "packet_loss_percent", "rtt_ms",       "jitter_ms", "bitrate",
    "video_bitrate_total", "fps",          "layer_off", "mos",
    "concealment_percent", "freeze_count", "media_gap",
};

constexpr std::array<const char*, kIssueCodeCount> kIssueCodeNames = {
    "high_packet_loss",
    "high_rtt",
    "high_jitter",
    "low_audio_bitrate",
    "low_video_bitrate",
    "low_fps",
    "video_freeze",
    "audio_concealment",
    "simulcast_layer_off",
    "media_gap",
    "low_audio_mos",
    "join_failed",
    "connect_failed",
    "publish_failed",
    "subscribe_failed",
    "disconnected",
    "low_received_fps",
    "nothing_received",
    "low_received_audio_mos",
    "session_degradation",
    "bitrate_collapse",
    "repeated_rejoins",
    "cpu_limited_video",
    "bandwidth_limited_video",
    "resolution_drop",
    "high_jitter_buffer_delay",
    "received_stream_stalled",
    "periodic_jitter_buffer_flushes",
    "cpu_pressure",
    "ice_candidate_error",
    "relayed_connection",
    "tcp_connection",
    "slow_setup",
    "ice_restart",
    "signaling_error",
};

// MetricName's names in Metric order, then the MOS.
constexpr std::array<const char*, kChartMetricCount> kChartMetricNames = {
    "bitrate",   "fps",          "packet_loss_percent", "rtt_ms",
    "jitter_ms", "freeze_count", "concealment_percent", "mos",
};

constexpr std::array<const char*, 3> kSetupStepNames = {"ice", "dtls", "first_frame"};

constexpr std::array<const char*, 5> kBreachFamilyNames = {"", "loss", "delay", "video_quality",
                                                           "audio"};

template <typename Enum, size_t N>
std::optional<Enum> FromName(const std::array<const char*, N>& names, std::string_view name) {
  for (size_t i = 0; i < N; ++i) {
    if (name == names[i]) return static_cast<Enum>(i);
  }
  return std::nullopt;
}

}  // namespace

const char* BreachMetricName(BreachMetric m) {
  const size_t i = static_cast<size_t>(m);
  return i < kBreachMetricNames.size() ? kBreachMetricNames[i] : "unknown";
}

std::optional<BreachMetric> BreachMetricFromName(std::string_view name) {
  return FromName<BreachMetric>(kBreachMetricNames, name);
}

bool HigherIsWorse(BreachMetric m) {
  return m != BreachMetric::kAudioBitrate && m != BreachMetric::kVideoBitrateTotal &&
         m != BreachMetric::kFps && m != BreachMetric::kMos;
}

const char* ChartMetricName(ChartMetric m) {
  const size_t i = static_cast<size_t>(m);
  return i < kChartMetricNames.size() ? kChartMetricNames[i] : "unknown";
}

const char* ThresholdSeriesName(ThresholdSeries s) {
  switch (s) {
    case ThresholdSeries::kTrack:
      return "track";
    case ThresholdSeries::kAllLayers:
      return "all_layers";
    case ThresholdSeries::kHighestSendingLayer:
      return "highest_sending_layer";
  }
  return "track";
}

const char* IssueCodeName(IssueCode c) {
  const size_t i = static_cast<size_t>(c);
  return i < kIssueCodeNames.size() ? kIssueCodeNames[i] : "unknown";
}

std::optional<IssueCode> IssueCodeFromName(std::string_view name) {
  return FromName<IssueCode>(kIssueCodeNames, name);
}

const char* SetupStepName(SetupStep s) {
  const size_t i = static_cast<size_t>(s);
  return i < kSetupStepNames.size() ? kSetupStepNames[i] : "";
}

const char* BreachFamilyName(BreachFamily f) {
  const size_t i = static_cast<size_t>(f);
  return i < kBreachFamilyNames.size() ? kBreachFamilyNames[i] : "";
}

IssueCode IssueCodeOf(BreachMetric m) {
  switch (m) {
    case BreachMetric::kPacketLoss:
      return IssueCode::kHighPacketLoss;
    case BreachMetric::kRtt:
      return IssueCode::kHighRtt;
    case BreachMetric::kJitter:
      return IssueCode::kHighJitter;
    case BreachMetric::kAudioBitrate:
      return IssueCode::kLowAudioBitrate;
    case BreachMetric::kVideoBitrateTotal:
      return IssueCode::kLowVideoBitrate;
    case BreachMetric::kFps:
      return IssueCode::kLowFps;
    case BreachMetric::kLayerOff:
      return IssueCode::kSimulcastLayerOff;
    case BreachMetric::kMos:
      return IssueCode::kLowAudioMos;
    case BreachMetric::kConcealment:
      return IssueCode::kAudioConcealment;
    case BreachMetric::kFreezeCount:
      return IssueCode::kVideoFreeze;
    case BreachMetric::kMediaGap:
      return IssueCode::kMediaGap;
  }
  return IssueCode::kHighPacketLoss;
}

const char* AttendanceName(Attendance a) {
  switch (a) {
    case Attendance::kPresent:
      return "present";
    case Attendance::kNeverJoined:
      return "never_joined";
    case Attendance::kUnknown:
      return "unknown";
  }
  return "unknown";
}

}  // namespace callsight
