// Detections as issues: each typed Detection (detections.h) becomes one Issue
// with its figures typed (Issue::detection); the report words them.
#include <algorithm>

#include "analysis/detections.h"

namespace callsight::analysis {
namespace {

IssueCode CodeOf(DetectionKind k) {
  switch (k) {
    case DetectionKind::kLowReceivedFps:
      return IssueCode::kLowReceivedFps;
    case DetectionKind::kNothingReceived:
      return IssueCode::kNothingReceived;
    case DetectionKind::kLowReceivedAudioMos:
      return IssueCode::kLowReceivedAudioMos;
    case DetectionKind::kSessionDegradation:
      return IssueCode::kSessionDegradation;
    case DetectionKind::kBitrateCollapse:
      return IssueCode::kBitrateCollapse;
    case DetectionKind::kRepeatedRejoins:
      return IssueCode::kRepeatedRejoins;
    case DetectionKind::kCpuLimitedVideo:
      return IssueCode::kCpuLimitedVideo;
    case DetectionKind::kBandwidthLimitedVideo:
      return IssueCode::kBandwidthLimitedVideo;
    case DetectionKind::kLongFreeze:
      return IssueCode::kVideoFreeze;
    case DetectionKind::kResolutionDrop:
      return IssueCode::kResolutionDrop;
    case DetectionKind::kHighJitterBufferDelay:
      return IssueCode::kHighJitterBufferDelay;
    case DetectionKind::kReceivedStreamStalled:
      return IssueCode::kReceivedStreamStalled;
    case DetectionKind::kPeriodicJitterBufferFlushes:
      return IssueCode::kPeriodicJitterBufferFlushes;
    case DetectionKind::kCpuPressure:
      return IssueCode::kCpuPressure;
  }
  return IssueCode::kLowReceivedFps;
}

// The metric whose unit peak / mean / threshold are in, and where it was
// measured: what was received (the received-side kinds) or what was sent.
void SetMetric(const Detection& d, Issue* is) {
  const bool audio = d.media == MediaKind::kAudio;
  switch (d.kind) {
    case DetectionKind::kLowReceivedFps:
      is->metric = BreachMetric::kFps;
      is->measured = Direction::kSubscriber;
      break;
    case DetectionKind::kNothingReceived:
      is->metric = audio ? BreachMetric::kAudioBitrate : BreachMetric::kVideoBitrateTotal;
      is->measured = Direction::kSubscriber;
      break;
    case DetectionKind::kLowReceivedAudioMos:
      is->metric = BreachMetric::kMos;
      is->measured = Direction::kSubscriber;
      break;
    case DetectionKind::kBitrateCollapse:
      is->metric = audio ? BreachMetric::kAudioBitrate : BreachMetric::kVideoBitrateTotal;
      is->measured = Direction::kPublisher;
      break;
    case DetectionKind::kSessionDegradation:
    case DetectionKind::kRepeatedRejoins:
    case DetectionKind::kCpuLimitedVideo:
    case DetectionKind::kBandwidthLimitedVideo:
    case DetectionKind::kResolutionDrop:
    case DetectionKind::kHighJitterBufferDelay:
    case DetectionKind::kReceivedStreamStalled:
    case DetectionKind::kPeriodicJitterBufferFlushes:
      break;
    case DetectionKind::kCpuPressure:
      is->measured = d.measured;  // encoded (sent) or decoded (received)
      break;
    case DetectionKind::kLongFreeze:
      is->metric = BreachMetric::kFreezeCount;
      is->measured = Direction::kSubscriber;
      break;  // no breach metric of their own: the figures say what they count
  }
}

// Whether the detection's peers suffered from it (and so are the issue's
// affected peers): the receivers of an uplink detection, the peers of a
// session-wide degradation. A downlink detection's peers are the senders it
// came from; a rejoin's are the user's own peer ids.
bool PeersAreAffected(const Detection& d) {
  return d.kind == DetectionKind::kSessionDegradation || d.direction == Path::kUplink;
}

}  // namespace

Issue IssueOf(const Detection& d) {
  Issue is;
  is.code = CodeOf(d.kind);
  is.severity = d.severity;
  is.peer_id = d.peer_id;
  is.track_ids = d.track_ids;
  is.direction = d.direction;
  is.start_ms = d.start_ms;
  is.end_ms = d.end_ms;
  SetMetric(d, &is);
  is.peak = d.worst;
  is.mean = d.value;
  is.threshold = d.threshold;
  if (d.kind != DetectionKind::kSessionDegradation && d.kind != DetectionKind::kRepeatedRejoins) {
    is.kinds.push_back(d.media);
  }
  if (PeersAreAffected(d)) {
    is.affected_peers = d.peers;
    is.affected_peers.erase(
        std::remove(is.affected_peers.begin(), is.affected_peers.end(), d.peer_id),
        is.affected_peers.end());
  }
  DetectionFigures f;
  f.baseline = d.baseline;
  f.samples = d.samples;
  f.peers = d.peers;
  f.peers_total = d.peers_total;
  f.family = d.family;
  f.user_id = d.user_id;
  if (d.kind == DetectionKind::kRepeatedRejoins) f.cycles = static_cast<int>(d.value);
  f.loss_pct = d.loss_pct;
  f.rtt_ms = d.rtt_ms;
  f.jitter_ms = d.jitter_ms;
  f.jitter_buffer_ms = d.jitter_buffer_ms;
  f.default_delay = d.default_delay;
  is.detection = std::move(f);
  return is;
}

}  // namespace callsight::analysis
