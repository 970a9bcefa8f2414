// The session model: what ingest produces and analysis reads.
//
// sessions -> peers -> tracks -> layers -> columnar time series.
// A time series is one int64 timestamp vector plus one double vector per metric;
// a missing sample (JSON null) is NaN, never 0. All times are Unix epoch ms.
#ifndef CALLSIGHT_MODEL_H_
#define CALLSIGHT_MODEL_H_

#include <array>
#include <cmath>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace callsight {

enum class Direction : uint8_t { kPublisher, kSubscriber };
enum class MediaKind : uint8_t { kAudio, kVideo, kScreen };

// Every metric a peer-stats time series may carry. Units are those of the export:
// bitrate in bits/s, loss in percent, times in ms, counts per sample window.
enum class Metric : uint8_t {
  kBitrate,
  kFps,
  kPacketLoss,
  kRtt,
  kJitter,
  kFreezeCount,
  kConcealedSamples,
};
inline constexpr int kMetricCount = 7;

// "publisher" / "subscriber"; "audio" / "video" / "screen".
const char* DirectionName(Direction d);
const char* MediaKindName(MediaKind k);
// The export's field name: "bitrate", "fps", "packet_loss_percent", "rtt_ms",
// "jitter_ms", "freeze_count", "concealed_samples".
const char* MetricName(Metric m);
// Inverse of MetricName; nullopt for an unknown name.
std::optional<Metric> MetricFromName(const std::string& name);

// One metric's samples. float keeps 7 significant digits, ample for bitrate,
// loss, delays and counts, at half the memory of double (the model is most of
// the engine's memory). NaN = missing.
using Samples = std::vector<float>;

// Columnar samples. Invariant: every non-empty column has timestamps_ms.size()
// entries; timestamps are non-decreasing. An empty column means "not reported".
struct Series {
  std::vector<int64_t> timestamps_ms;
  std::array<Samples, kMetricCount> columns;

  size_t size() const { return timestamps_ms.size(); }
  bool empty() const { return timestamps_ms.empty(); }
  bool has(Metric m) const { return !columns[static_cast<int>(m)].empty(); }
  const Samples& column(Metric m) const { return columns[static_cast<int>(m)]; }
  Samples& column(Metric m) { return columns[static_cast<int>(m)]; }
};

// One simulcast layer ("h", "m", "l") or, for non-simulcast tracks, the only layer
// (rid empty).
struct Layer {
  std::string rid;
  Series series;
};

struct Track {
  std::string track_id;
  Direction direction = Direction::kPublisher;
  MediaKind kind = MediaKind::kAudio;
  // Subscriber tracks: the peer that published this track, when it can be known
  // (the same track_id published by exactly one peer of the session). Empty otherwise.
  std::string remote_peer_id;
  // Publisher video: one entry per rid, highest quality first (h, m, l).
  // Everything else: exactly one layer.
  std::vector<Layer> layers;
};

// Peer details as the inputs carry them. Empty string / nullopt = not known.
struct PeerInfo {
  std::string name;
  std::string user_id;
  std::string role;
  std::optional<int64_t> joined_ms;
  std::optional<int64_t> left_ms;
  std::string end_reason;  // raw leave reason, e.g. "websocket closed"
  std::string platform;    // agent.os / sdk family, e.g. "web", "android"
  std::string os;
  std::string os_version;
  std::string browser;          // "Chrome" (from agent.device_model "Chrome_125.0.0.0")
  std::string browser_version;  // "125.0.0.0"
  std::string device_model;
  std::string framework;
  std::string sdk;
  std::string sdk_version;
};

struct Interval {
  int64_t start_ms = 0;
  int64_t end_ms = 0;
};

struct Peer {
  std::string peer_id;
  PeerInfo info;
  std::vector<Track> tracks;
  // Presence from session documents and join/leave events, sorted, non-overlapping.
  // Empty when no input gave join/leave times: analysis then uses the samples.
  std::vector<Interval> presence;
};

// One entry of the session's event log as read from the inputs (analytics events,
// webhooks). Derived events (breaches, layer changes) are added by analysis.
struct Event {
  int64_t time_ms = 0;
  std::string peer_id;   // empty for session-wide events
  std::string type;      // as exported: "peer.join.success", "client.publish.failed", ...
  std::string track_id;  // track events only
  std::string detail;    // short readable summary built by the reader
  bool is_error = false;
  // Error events only.
  std::string error_code;
  std::string error_name;
  std::string error_message;
  std::string action;  // what failed: "connect", "join", "publish", "subscribe", or as exported
  bool is_terminal = false;
  std::string source;  // input file name
};

struct Session {
  std::string session_id;
  std::string room_id;
  std::optional<int64_t> start_ms;  // from session documents / session.open webhooks
  std::optional<int64_t> end_ms;    // from session documents / session.close webhooks
  std::vector<Peer> peers;          // sorted by first presence, then peer_id
  std::vector<Event> events;        // chronological
};

struct SessionSet {
  std::vector<Session> sessions;  // sorted by start, then session_id
};

}  // namespace callsight

#endif  // CALLSIGHT_MODEL_H_
