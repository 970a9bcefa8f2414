// Detections: problems users expect that no single threshold breach names
// (issue 19, item 6). Typed results with figures and no prose: the report
// layer words them. docs/DETECTIONS.md gives each definition, its figures and
// why its numbers were chosen.
#ifndef CALLSIGHT_ANALYSIS_DETECTIONS_H_
#define CALLSIGHT_ANALYSIS_DETECTIONS_H_

#include <cstdint>
#include <string>
#include <vector>

#include "analysis/internal.h"
#include "callsight/analysis.h"
#include "callsight/config.h"
#include "callsight/model.h"

namespace callsight::analysis {

enum class DetectionKind : uint8_t {
  kLowReceivedFps,               // received camera video below the fps thresholds
  kNothingReceived,              // a received track carries nothing while its sender sends
  kLowReceivedAudioMos,          // the E-model MOS of what a peer hears
  kSessionDegradation,           // many peers start breaches of one family at once
  kBitrateCollapse,              // a sent track far below its own median bitrate
  kRepeatedRejoins,              // one user leaves or drops and joins again, repeatedly
  kCpuLimitedVideo,              // the browser lowered a sent video for want of CPU (dumps only)
  kBandwidthLimitedVideo,        // ... for want of uplink bandwidth (dumps only)
  kLongFreeze,                   // received video frozen, from freeze durations (dumps only)
  kResolutionDrop,               // a video's frame height fell well below its usual (dumps only)
  kHighJitterBufferDelay,        // a receiver held media long in its jitter buffer (dumps only)
  kReceivedStreamStalled,        // a received video paused: no frame for 5 s or more (dumps only)
  kPeriodicJitterBufferFlushes,  // received audio's jitter buffer flushed every ~4 s (dumps only)
  kCpuPressure,  // encoding or decoding a video took most of each frame interval (dumps only)
};
inline constexpr int kDetectionKindCount = 14;
// "low_received_fps", "nothing_received", "low_received_audio_mos",
// "session_degradation", "bitrate_collapse", "repeated_rejoins",
// "cpu_limited_video", "bandwidth_limited_video", "long_freeze",
// "resolution_drop", "high_jitter_buffer_delay", "received_stream_stalled",
// "periodic_jitter_buffer_flushes", "cpu_pressure".
const char* DetectionKindName(DetectionKind k);

// The breach families of kSessionDegradation: callsight::BreachFamily
// (analysis.h), named by BreachFamilyName (findings.cpp).
using callsight::BreachFamily;
using callsight::BreachFamilyName;
// The family of a breach. This and the CanExplain* helpers below read
// Breach::metric through one function (MetricOf, detections.cpp).
BreachFamily FamilyOf(const Breach& b);

// One detection. Which figures are set depends on the kind (kUnset / 0 /
// empty otherwise); docs/DETECTIONS.md has the table:
//
// kLowReceivedFps: peer_id = the receiver (kDownlink) or the sender (kUplink:
//   most of its receivers see it, or its own uplink breaches can cause it);
//   value = mean received fps over the low samples, worst = lowest, baseline =
//   the mean fps of the senders' lowest sending layer at those times, threshold = the fps
//   threshold crossed, samples = low samples; peers = the senders involved
//   (downlink) or the receivers that saw it (uplink), peers_total = the
//   senders the receiver got video from (downlink) or the sender's receivers
//   (uplink) at that time.
// kNothingReceived: as kLowReceivedFps (uplink only by most receivers),
//   severity critical; value = 0 (received bitrate), baseline
//   = the sender's mean bitrate (bits/s) at those times, threshold unset.
// kLowReceivedAudioMos: kUplink on the sender when its publisher audio of
//   the track has a loss, jitter, RTT or MOS breach at that time (its uplink
//   explains it; peers = the listeners), else kDownlink on the listener
//   (peers = the senders heard badly); listeners or senders overlapping in
//   time are merged into one; peers_total = the track's receivers (uplink) or
//   the senders heard (downlink); value = mean MOS, worst = lowest, threshold
//   = the MOS threshold crossed, samples; loss_pct = mean effective loss
//   (received loss or concealment, the higher), rtt_ms / jitter_ms = mean
//   delay inputs used (the RTT: the sender's, else the receiver's own, else
//   the default), jitter_buffer_ms = the mean jitter-buffer delay the
//   receiver measured (browser dumps; it replaces 2 x jitter in the delay),
//   default_delay = true when some sample had no RTT and
//   config.detections.default_rtt_ms was used.
// kSessionDegradation: peer_id empty, direction kNone, family; peers = the
//   peers that started a breach, peers_total = peers present; samples = the
//   breaches counted; value = the share of present peers affected (0..1),
//   threshold = the share required.
// kBitrateCollapse: peer_id = the sender, kUplink, media = audio or video;
//   value = mean bitrate (bits/s) over the collapsed samples, worst = lowest,
//   baseline = the track's median while sending, threshold = baseline *
//   collapse ratio, samples.
// kCpuLimitedVideo, kBandwidthLimitedVideo: peer_id = the sender, kUplink,
//   media = video or screen; value = the share (0..1) of the track's sent
//   time it was limited for that reason, threshold = the share required,
//   samples = the limited samples; start / end = the first / last limited one.
// kLongFreeze (its issue's code is video_freeze): peer_id = the receiver
//   (kDownlink), or the sender (kUplink) when its own breaches on the track
//   (fps, bitrate, loss, layer off) overlap the freeze; peers = the sender
//   (downlink) or the receiver (uplink); value = seconds frozen, worst = the
//   longest interval frozen (s), threshold = the seconds of a critical one,
//   samples = the freezes (the browser's count over the run and the
//   interval after it, at least 1; one per interval frozen where the dump has
//   no count); start / end = the freeze's first / last.
// kResolutionDrop: peer_id = the sender (kUplink) of a sent video, or of a
//   received one whose sent height dropped at the same time (the receivers
//   join its peers), else the receiver (kDownlink, peers = the sender if
//   known); value = mean height (px) while low, worst = lowest, baseline = the
//   usual height (the highest held 5 s before), threshold = baseline * 2/3,
//   samples = low samples; severity info when the sender's browser was not
//   limited by CPU or bandwidth then (the application or source lowered it).
// kHighJitterBufferDelay: peer_id = the receiver, kDownlink, peers = the
//   sender if known; value = mean delay (ms) over the run, worst = highest
//   interval, threshold = the critical mean; samples = intervals above.
// kReceivedStreamStalled: a received video's pause; peer_id = the sender,
//   kUplink, severity info, when its own sending stopped then (on purpose),
//   else the receiver, kDownlink; value = seconds paused, worst = the
//   longest interval paused (s), threshold = the seconds of a critical one.
// kPeriodicJitterBufferFlushes: received audio; peer_id = the receiver,
//   kDownlink, peers = the sender if known; value = flushes in the periodic
//   run, worst = the longest gap between them (s), baseline = their mean
//   cadence (s), threshold = the flushes required; start / end = the run's
//   first / last flush.
// kCpuPressure: a video the peer encoded (measured kPublisher) or decoded
//   (kSubscriber) whose encode or decode usage (model kEncodeUsage /
//   kDecodeUsage: % of each interval spent on the stream, the highest layer's)
//   stayed above the limit; peer_id = that peer, direction kNone (the device);
//   value = mean usage (%) over the run, worst = highest, threshold = the
//   limit (85, or 200 for a power-efficient, pipelined coder), baseline = mean
//   ms per frame where the frame rate is known, samples = samples above.
// kRepeatedRejoins: peer_id = the user's latest peer id, direction kNone;
//   peers = the peer ids involved, user_id (may be empty when the peers had
//   none); value = cycles, threshold = cycles required; start = first drop,
//   end = last return.
struct Detection {
  DetectionKind kind = DetectionKind::kLowReceivedFps;
  Severity severity = Severity::kWarning;
  std::string peer_id;  // empty for session-wide
  Path direction = Path::kNone;
  MediaKind media = MediaKind::kVideo;  // of the tracks (unused by session-wide and rejoins)
  std::vector<std::string> track_ids;
  int64_t start_ms = 0;
  int64_t end_ms = 0;
  double value = kUnset;
  double worst = kUnset;
  double baseline = kUnset;
  double threshold = kUnset;
  size_t samples = 0;
  std::vector<std::string> peers;  // sorted
  size_t peers_total = 0;
  BreachFamily family = BreachFamily::kNone;
  std::string user_id;
  double loss_pct = kUnset;
  double rtt_ms = kUnset;
  double jitter_ms = kUnset;
  double jitter_buffer_ms = kUnset;
  bool default_delay = false;
  Direction measured = Direction::kPublisher;  // kCpuPressure: encoded or decoded
};

// Every detection of a session, ordered by start, then kind, then peer id.
// views and breaches are those of BuildViews and FindBreaches. The six kinds
// are looked for on up to `threads` threads; the result is the same for any
// number.
std::vector<Detection> FindDetections(const Session& session, const std::vector<TrackView>& views,
                                      const std::vector<Breach>& breaches, const Config& config,
                                      int threads = 1);

// The issue of a detection (detection_issues.cpp): its code, peer, path,
// span and severity; peak / mean / threshold = worst / value / threshold;
// the other figures in Issue::detection. The peers that suffered (the
// receivers of an uplink detection, the peers of a session degradation) are
// its affected_peers. BuildIssues merges these into the issue list.
Issue IssueOf(const Detection& d);

// The parts, exposed for tests (FindDetections is their concatenation).
std::vector<Detection> FindLowReceivedFps(const std::vector<TrackView>& views,
                                          const std::vector<Breach>& breaches,
                                          const Config& config);
std::vector<Detection> FindNothingReceived(const std::vector<TrackView>& views,
                                           const Config& config);
std::vector<Detection> FindLowReceivedAudioMos(const std::vector<TrackView>& views,
                                               const std::vector<Breach>& breaches,
                                               const Config& config);
// FindLowReceivedAudioMos in two steps, so that its costly first step (a MOS
// per received audio sample) can run in parts: the runs of poor MOS on the
// received audio views among views[first, last), in view order; then all
// views' runs, in view order, merged per peer and direction.
std::vector<Detection> FindLowReceivedAudioMosRuns(const std::vector<TrackView>& views,
                                                   const std::vector<Breach>& breaches,
                                                   const Config& config, size_t first, size_t last);
std::vector<Detection> MergeLowReceivedAudioMos(std::vector<Detection> runs,
                                                const std::vector<TrackView>& views,
                                                const Config& config);
std::vector<Detection> FindSessionDegradation(const Session& session,
                                              const std::vector<TrackView>& views,
                                              const std::vector<Breach>& breaches,
                                              const Config& config);
std::vector<Detection> FindBitrateCollapse(const std::vector<TrackView>& views,
                                           const Config& config);
std::vector<Detection> FindRepeatedRejoins(const Session& session, const Config& config);
// Both quality-limitation kinds, from the model's kCpuLimited and
// kBandwidthLimited series (browser dumps only).
std::vector<Detection> FindQualityLimited(const Session& session);
// Freezes from the model's kFreezeMs series (browser dumps only).
std::vector<Detection> FindLongFreezes(const std::vector<TrackView>& views,
                                       const std::vector<Breach>& breaches);
// Browser dumps only (detections_dump.cpp), from the model's kFrameHeight,
// kJitterBufferMs and kPausedMs series and the received audio's flushes.
std::vector<Detection> FindResolutionDrops(const Session& session);
std::vector<Detection> FindHighJitterBufferDelay(const Session& session);
std::vector<Detection> FindReceivedStreamStalls(const Session& session);
// From the received audio's StreamFacts::jitter_buffer_flush_times_ms.
std::vector<Detection> FindPeriodicJitterBufferFlushes(const Session& session);
// From the model's kEncodeUsage and kDecodeUsage series of video tracks.
std::vector<Detection> FindCpuPressure(const Session& session);

// Helpers shared by detections*.cpp.
namespace detect {

// Whether a sender's publisher breach can explain poor audio its receivers
// hear: packet loss, RTT, jitter or MOS.
bool CanExplainReceivedAudio(const Breach& b);
// Whether a sender's publisher breach can explain a low frame rate its
// receivers get: packet loss, low video bitrate, low fps or a layer off.
bool CanExplainReceivedVideo(const Breach& b);

// A run of bad samples: state[i] is -1 unknown (skipped), 0 clean, 1 bad.
// As FindRuns: one clean sample is bridged, and samples further apart than
// 2.5 spacings split runs.
struct BadRun {
  size_t first = 0;
  size_t last = 0;
  size_t bad = 0;  // samples with state 1 in [first, last]
};
std::vector<BadRun> FindBadRuns(const std::vector<int64_t>& t, int64_t spacing_ms,
                                const std::vector<signed char>& state);

// The samples of a time axis nearest to a rising sequence of times: Next(t)
// gives the index of the sample nearest t and at most tolerance_ms away, or
// -1. Times passed to Next must not decrease (amortised O(1) per call).
class NearestWalker {
 public:
  NearestWalker(const std::vector<int64_t>& ts, int64_t tolerance_ms)
      : ts_(ts), tolerance_(tolerance_ms) {}
  long Next(int64_t t);

 private:
  const std::vector<int64_t>& ts_;
  int64_t tolerance_;
  size_t pos_ = 0;  // the first sample at or after the last t
};

// Whether the peer is present at time t (its presence intervals, else
// PresenceOf).
bool PresentAt(const Peer& peer, int64_t t);

// Sorted, without repeats.
void SortUnique(std::vector<std::string>* v);

}  // namespace detect

}  // namespace callsight::analysis

#endif  // CALLSIGHT_ANALYSIS_DETECTIONS_H_
