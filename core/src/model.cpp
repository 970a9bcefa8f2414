#include "callsight/model.h"

#include <functional>
#include <tuple>
#include <utility>

#include "util/ascii.h"

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
constexpr const char* kMetricNames[kMetricCount] = {"bitrate",
                                                    "fps",
                                                    "packet_loss_percent",
                                                    "rtt_ms",
                                                    "jitter_ms",
                                                    "freeze_count",
                                                    "concealed_samples",
                                                    "frame_height",
                                                    "cpu_limited",
                                                    "bandwidth_limited",
                                                    "freeze_ms",
                                                    "jitter_buffer_ms",
                                                    "paused_ms",
                                                    "jitter_buffer_minimum_ms",
                                                    "encode_usage",
                                                    "decode_usage"};
}  // namespace

const char* MetricName(Metric m) { return kMetricNames[static_cast<int>(m)]; }

std::optional<Metric> MetricFromName(const std::string& name) {
  for (int i = 0; i < kMetricCount; ++i) {
    if (name == kMetricNames[i]) return static_cast<Metric>(i);
  }
  return std::nullopt;
}

namespace {
constexpr const char* kFailedOperationNames[kFailedOperationCount] = {
    "", "connect", "join", "publish", "subscribe", "connection", "other"};
constexpr const char* kLeaveReasonNames[] = {"",
                                             "client request",
                                             "peer kicked",
                                             "websocket closed",
                                             "ice connection state closed",
                                             "server removed peer",
                                             "other"};
constexpr int kLeaveReasonCount = sizeof kLeaveReasonNames / sizeof kLeaveReasonNames[0];

}  // namespace

const char* FailedOperationName(FailedOperation op) {
  return kFailedOperationNames[static_cast<int>(op)];
}

const char* LeaveReasonName(LeaveReason r) { return kLeaveReasonNames[static_cast<int>(r)]; }

LeaveReason LeaveReasonFromText(const std::string& text) {
  if (text.empty()) return LeaveReason::kNone;
  for (int i = 1; i + 1 < kLeaveReasonCount; ++i) {
    if (EqualsIgnoringCase(text, kLeaveReasonNames[i])) return static_cast<LeaveReason>(i);
  }
  return LeaveReason::kOther;
}

bool EventTypeIs(const Event& e, const char* type) { return EqualsIgnoringCase(e.type, type); }

const char* SignalingStepOf(const Event& e) {
  static const std::pair<const char*, const char*> kSteps[] = {
      {"webrtc.create_offer_failure", "createOffer"},
      {"webrtc.create_answer_failure", "createAnswer"},
      {"webrtc.set_local_description_failure", "setLocalDescription"},
      {"webrtc.set_remote_description_failure", "setRemoteDescription"},
      {"webrtc.add_ice_candidate_failure", "addIceCandidate"},
  };
  for (const auto& [type, step] : kSteps) {
    if (EventTypeIs(e, type)) return step;
  }
  return nullptr;
}

namespace {

// The facts of an event that say what it was (all but its input file).
auto ContentKey(const Event& e) {
  const std::string* reason = e.delivery ? &e.delivery->error_reason : nullptr;
  const std::string* original = e.delivery ? &e.delivery->original_type : nullptr;
  static const std::string kNone;
  return std::make_tuple(
      std::cref(e.time_ms), std::cref(e.peer_id), std::cref(e.type), std::cref(e.track_id),
      std::cref(e.track_type), std::cref(e.track_source), e.mute, std::cref(e.role),
      std::cref(e.error_code), std::cref(e.error_name), std::cref(e.error_message),
      std::cref(e.is_terminal), std::cref(e.leave_reason_raw),
      std::cref(original ? *original : kNone), std::cref(reason ? *reason : kNone),
      e.delivery && e.delivery->failed, e.recovered_ms);
}

}  // namespace

bool SameEventContent(const Event& a, const Event& b) { return ContentKey(a) == ContentKey(b); }
bool EventContentLess(const Event& a, const Event& b) { return ContentKey(a) < ContentKey(b); }

const char* UnattachedWhyName(UnattachedWhy why) {
  return why == UnattachedWhy::kNoSessionOfRoom ? "no_session_of_room" : "no_match";
}

}  // namespace callsight
