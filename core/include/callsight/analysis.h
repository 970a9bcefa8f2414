// Analysis: session model + config -> breaches, issues, scores, meetings,
// summary, event and error logs. Pure: the same inputs give the same output.
#ifndef CALLSIGHT_ANALYSIS_H_
#define CALLSIGHT_ANALYSIS_H_

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "callsight/config.h"
#include "callsight/model.h"
#include "callsight/scoring.h"

namespace callsight {

enum class Severity : uint8_t { kInfo, kWarning, kCritical };
const char* SeverityName(Severity s);  // "info", "warning", "critical"

// Median, 95th percentile and worst of a metric over a track's samples
// (worst = max for "higher is worse" metrics, min for bitrate and fps).
struct MetricStats {
  double median = kUnset;
  double p95 = kUnset;
  double worst = kUnset;
  size_t count = 0;  // non-missing samples
};

// The statistics of one metric of a track, by name.
struct NamedStats {
  const char* name;  // static: a MetricName, "concealment_percent" or "video_bitrate_total"
  MetricStats stats;
};

// Per layer (publisher video) or per track (everything else).
struct TrackAnalysis {
  std::string key;         // "<direction>/<track_id>/<rid>", unique within a peer
  size_t track_index = 0;  // into Peer::tracks
  size_t layer_index = 0;  // into Track::layers
  int64_t spacing_ms = 0;  // typical sample spacing (SampleSpacingMs), 0 if < 2 samples
  // By MetricName, plus derived "concealment_percent" (subscriber audio) and
  // "video_bitrate_total" (publisher video, on the first layer's entry);
  // sorted by name, each name once.
  std::vector<NamedStats> stats;
  double mos = kUnset;    // audio: time-weighted mean of window MOS
  double score = kUnset;  // video/screen: mean video score 0..5
};

// A maximal run of samples of one metric on one track beyond a threshold.
// "metric" is a MetricName, or a derived metric: "video_bitrate_total" (all
// layers of a track summed), "concealment_percent", "freeze_rate", "mos".
struct Breach {
  std::string peer_id;
  std::string track_id;
  Direction direction = Direction::kPublisher;
  MediaKind kind = MediaKind::kAudio;
  std::string rid;
  std::string metric;
  Severity severity = Severity::kWarning;
  double threshold = 0;
  int64_t start_ms = 0;
  int64_t end_ms = 0;
  double peak = 0;
  double mean = 0;
  size_t samples = 0;
  int issue = -1;  // index of the issue it is explained by, -1 when none
};

enum class Path : uint8_t { kNone, kUplink, kDownlink };
const char* PathName(Path p);  // "", "uplink", "downlink"

struct Issue {
  std::string code;  // SPEC codes: "high_packet_loss", ...
  Severity severity = Severity::kWarning;
  std::string peer_id;
  std::vector<std::string> track_ids;
  Path direction = Path::kNone;
  int64_t start_ms = 0;
  int64_t end_ms = 0;
  std::string title;
  std::string detail;
  std::string advice;
  std::vector<size_t> breaches;             // indices into SessionAnalysis::breaches
  std::vector<std::string> affected_peers;  // receivers that saw an uplink issue
};

struct Meeting {
  int index = 0;
  int64_t start_ms = 0;
  int64_t end_ms = 0;
  std::vector<std::string> peer_ids;
  double participant_minutes = 0;
  int published_tracks = 0;
  std::string call_type;  // "one-to-zero", "one-to-one", "multiparty", "broadcast"
};

// CQS of one window for one peer.
struct CqsWindow {
  int64_t start_ms = 0;
  double uplink = kUnset;
  double downlink = kUnset;
  double overall = kUnset;
};

struct PeerAnalysis {
  std::string peer_id;
  int64_t joined_ms = 0;
  int64_t left_ms = 0;
  int published_tracks = 0;
  std::string end_reason;  // "left", "removed", "disconnected", "removed from server", or raw
  double cqs = kUnset;
  double cqs_uplink = kUnset;
  double cqs_downlink = kUnset;
  std::vector<CqsWindow> cqs_windows;
  Health health_audio = Health::kNone;
  Health health_video = Health::kNone;
  Health health_screen = Health::kNone;
  std::vector<TrackAnalysis> tracks;
  int issue_count = 0;
};

// An entry of the session's event log: input events and derived ones.
struct LogEvent {
  int64_t time_ms = 0;
  std::string peer_id;
  std::string type;  // input type, or "breach.start", "breach.end", "layer.off", "layer.on"
  std::string detail;
  bool is_error = false;
  bool derived = false;
};

struct FailureRate {
  int attempts = 0;
  int failures = 0;
  int terminal = 0;  // failures with is_terminal
  int retried = 0;   // failures the client retried
  double rate = 0;   // failures / attempts, 0 when no attempts
};

struct SessionAnalysis {
  int64_t start_ms = 0;
  int64_t end_ms = 0;
  std::vector<PeerAnalysis> peers;  // same order as Session::peers
  std::vector<Breach> breaches;
  std::vector<Issue> issues;  // by start time
  std::vector<Meeting> meetings;
  std::vector<LogEvent> events;                      // chronological
  std::vector<size_t> error_events;                  // indices into Session::events
  std::map<std::string, FailureRate> failure_rates;  // connect, join, publish, subscribe
  double participant_minutes = 0;
  // Every track's samples pooled by "<direction>.<kind>.<metric>" (audio and
  // video never mix), e.g. "subscriber.video.fps".
  std::map<std::string, MetricStats> metrics;
};

// A room with events that no session took (SessionSet::unattached).
struct RoomAnalysis {
  std::string room_id;  // empty: room unknown
  // Failure rates of the room: its sessions' attempts and failures added up,
  // plus the failures among its unattached events.
  std::map<std::string, FailureRate> failure_rates;
};

struct Analysis {
  std::vector<SessionAnalysis> sessions;  // same order as SessionSet::sessions
  std::vector<RoomAnalysis> rooms;        // same order as SessionSet::unattached
};

// Analyzes every session. Never fails: odd data gives fewer findings, not errors.
// The per-track work is spread over up to `threads` threads (the caller's
// included); the result is the same for any number.
Analysis Analyze(const SessionSet& sessions, const Config& config, int threads = 1);

// Statistics of a column (NaN samples skipped). higher_is_worse picks the
// worst end. Exposed for tests and the report.
MetricStats ComputeStats(const std::vector<double>& values, bool higher_is_worse);
MetricStats ComputeStats(const Samples& values, bool higher_is_worse);
// The same over all samples of several columns pooled (none of them copied).
MetricStats ComputeStats(const std::vector<const Samples*>& columns, bool higher_is_worse);

// The typical sample spacing of a series: the median of the positive steps
// between its timestamps (non-decreasing, as in a Series); 0 when there is none.
int64_t SampleSpacingMs(const std::vector<int64_t>& timestamps_ms);

}  // namespace callsight

#endif  // CALLSIGHT_ANALYSIS_H_
