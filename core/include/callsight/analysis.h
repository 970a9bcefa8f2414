// Analysis: session model + config -> breaches, issues, scores, meetings,
// summary, event and error logs. Pure: the same inputs give the same output.
#ifndef CALLSIGHT_ANALYSIS_H_
#define CALLSIGHT_ANALYSIS_H_

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
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

// What a breach measured: a model Metric or a value derived from several.
// Names (BreachMetricName) are the report's "metric" strings.
enum class BreachMetric : uint8_t {
  kPacketLoss,         // "packet_loss_percent"
  kRtt,                // "rtt_ms"
  kJitter,             // "jitter_ms"
  kAudioBitrate,       // "bitrate": sent audio, bits/s
  kVideoBitrateTotal,  // "video_bitrate_total": sent video, all layers summed, bits/s
  kFps,                // "fps"
  kLayerOff,           // "layer_off": a simulcast layer stopped while a lower one sends
  kMos,                // "mos": estimated audio MOS 1..5
  kConcealment,        // "concealment_percent": concealed share of received audio
  kFreezeCount,        // "freeze_count": freezes per sample window
  kMediaGap,           // "media_gap": a track stopped reporting (peak = the gap in ms)
};
inline constexpr int kBreachMetricCount = 11;
const char* BreachMetricName(BreachMetric m);
// Inverse of BreachMetricName; nullopt for an unknown name.
std::optional<BreachMetric> BreachMetricFromName(std::string_view name);
// Whether a higher value is worse (loss, delays, concealment, freezes, gaps,
// a stopped layer); false for bitrate, fps and MOS.
bool HigherIsWorse(BreachMetric m);

// What a track's chart plots: one of the model's series (in its unit), the
// concealment (concealed samples as % of the samples in each window, from the
// model's concealed_samples), or the audio MOS (1..5). Names
// (ChartMetricName) are MetricName's, "concealment_percent" and "mos".
enum class ChartMetric : uint8_t {
  kBitrate,             // "bitrate"
  kFps,                 // "fps"
  kPacketLoss,          // "packet_loss_percent"
  kRtt,                 // "rtt_ms"
  kJitter,              // "jitter_ms"
  kFreezeCount,         // "freeze_count"
  kConcealmentPercent,  // "concealment_percent" (of Metric::kConcealedSamples)
  kMos,                 // "mos"
};
inline constexpr int kChartMetricCount = 8;
const char* ChartMetricName(ChartMetric m);

// The series a chart's threshold is checked on, when it is not the plotted
// layer's own: a sent video's bitrate is checked on all its layers summed,
// its frame rate on the highest layer that sends.
enum class ThresholdSeries : uint8_t { kTrack, kAllLayers, kHighestSendingLayer };
// "track", "all_layers", "highest_sending_layer".
const char* ThresholdSeriesName(ThresholdSeries s);

// A threshold line of a chart, in the chart's unit.
struct ChartThreshold {
  double value = 0;
  Severity severity = Severity::kWarning;
  ThresholdSeries series = ThresholdSeries::kTrack;
};

// A series the analysis derives from a track's layers for a chart: its
// times and values (NaN = missing).
struct DerivedSeries {
  std::vector<int64_t> t;
  Samples values;
};
// Track `track` of `peer`'s derived series `name`, as the breaches check it:
// "concealment_percent" (a track with concealed samples),
// "video_bitrate_total" (a sent video or screen: every layer's bitrate summed
// on one time axis) or "highest_layer_fps" (a sent video or screen: the frame
// rate of its highest layer that sends, none where no layer sends frames);
// nullopt for another name or a track without it.
std::optional<DerivedSeries> DeriveTrackSeries(const Peer& peer, size_t track,
                                               std::string_view name, const Config& config);

// How a chart of `metric` on a track of this direction and kind is drawn: the
// thresholds the analysis checks its series against (those in the chart's
// unit: the breaches', and for a received audio's MOS the
// low_received_audio_mos detection's) and the breach metrics drawn on it
// (those checked on a track of this direction and kind).
struct ChartRule {
  Direction direction = Direction::kPublisher;
  MediaKind kind = MediaKind::kAudio;
  ChartMetric metric = ChartMetric::kBitrate;
  std::vector<ChartThreshold> thresholds;
  std::vector<BreachMetric> breach_metrics;
};

// Per layer (publisher video) or per track (everything else).
struct TrackAnalysis {
  std::string key;         // "<direction>/<track_id>/<rid>", unique within a peer
  size_t track_index = 0;  // into Peer::tracks
  size_t layer_index = 0;  // into Track::layers
  int64_t spacing_ms = 0;  // typical sample spacing (SampleSpacingMs), 0 if < 2 samples
  // By MetricName, plus derived "concealment_percent" (subscriber audio) and
  // "video_bitrate_total" (simulcast publisher video, on the first layer's
  // entry); sorted by name, each name once.
  std::vector<NamedStats> stats;
  double mos = kUnset;    // audio: mean of the window MOS over sending windows
  double score = kUnset;  // video/screen: mean video score 0..5 over sending windows
  // Layer 0's entry: the times the track sent nothing (muted by a track event,
  // or every layer at 0 bit/s and 0 fps; a received track: its sender's
  // times): from the first to the last such sample of each run. Excluded
  // from every score and health.
  std::vector<Interval> not_sending;
  // The charts of the track (every layer's entry holds those of the whole
  // track): a chart per metric any layer has, in ChartMetric order, and the
  // MOS for audio with a MOS or a packet loss; drawn as Analysis::charts says.
  std::vector<ChartMetric> charts;
};

// A maximal run of samples of one metric on one track beyond a threshold; a
// media gap is the time between two samples (samples 0, peak = mean = the gap).
struct Breach {
  std::string peer_id;
  std::string track_id;
  Direction direction = Direction::kPublisher;
  MediaKind kind = MediaKind::kAudio;
  std::string rid;
  BreachMetric metric = BreachMetric::kPacketLoss;
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

// What an issue is. Names (IssueCodeName) are the report's stable "code"
// strings; the report renders titles, details and advice from them.
enum class IssueCode : uint8_t {
  kHighPacketLoss,     // "high_packet_loss"
  kHighRtt,            // "high_rtt"
  kHighJitter,         // "high_jitter"
  kLowAudioBitrate,    // "low_audio_bitrate"
  kLowVideoBitrate,    // "low_video_bitrate"
  kLowFps,             // "low_fps"
  kVideoFreeze,        // "video_freeze"
  kAudioConcealment,   // "audio_concealment"
  kSimulcastLayerOff,  // "simulcast_layer_off"
  kMediaGap,           // "media_gap"
  kLowAudioMos,        // "low_audio_mos"
  kJoinFailed,         // "join_failed"
  kConnectFailed,      // "connect_failed"
  kPublishFailed,      // "publish_failed"
  kSubscribeFailed,    // "subscribe_failed"
  kDisconnected,       // "disconnected"
  // Detections (docs/DETECTIONS.md; Issue::detection holds their figures).
  kLowReceivedFps,       // "low_received_fps"
  kNothingReceived,      // "nothing_received"
  kLowReceivedAudioMos,  // "low_received_audio_mos"
  kSessionDegradation,   // "session_degradation": session-wide, peer_id empty
  kBitrateCollapse,      // "bitrate_collapse"
  kRepeatedRejoins,      // "repeated_rejoins"
  // Detections on browser stats dumps only (docs/DETECTIONS.md).
  kCpuLimitedVideo,              // "cpu_limited_video"
  kBandwidthLimitedVideo,        // "bandwidth_limited_video"
  kResolutionDrop,               // "resolution_drop"
  kHighJitterBufferDelay,        // "high_jitter_buffer_delay"
  kReceivedStreamStalled,        // "received_stream_stalled"
  kPeriodicJitterBufferFlushes,  // "periodic_jitter_buffer_flushes"
  kCpuPressure,                  // "cpu_pressure": encoding or decoding a video short of CPU
  kIceCandidateError,            // "ice_candidate_error": from the event, not a detection
  // A browser dump's peer connections (connections.cpp, docs/DETECTIONS.md).
  kRelayedConnection,  // "relayed_connection": media through a TURN server (info)
  kTcpConnection,      // "tcp_connection": media over TCP (info)
  kSlowSetup,          // "slow_setup": ICE, DTLS or the first frame took long
  kIceRestart,         // "ice_restart": info when it reconnected, else warning
  // A browser dump's failed offer/answer or candidate (from its event).
  kSignalingError,  // "signaling_error": critical when the peer never connected
};
inline constexpr int kIssueCodeCount = 35;
const char* IssueCodeName(IssueCode c);
// Inverse of IssueCodeName; nullopt for an unknown name.
std::optional<IssueCode> IssueCodeFromName(std::string_view name);
// The issue code of a breach of this metric.
IssueCode IssueCodeOf(BreachMetric m);

// Which step of a connection's setup a slow_setup issue is about.
enum class SetupStep : uint8_t {
  kIce,         // ICE checking to connected
  kDtls,        // ICE connected to connectionState connected (the DTLS handshake)
  kFirstFrame,  // the connection connected (or the track arrived) to its first decoded frame
};
// "ice", "dtls", "first_frame".
const char* SetupStepName(SetupStep s);

// The breach families of session_degradation (docs/DETECTIONS.md).
enum class BreachFamily : uint8_t {
  kNone,          // not counted (media gaps, layer off, audio bitrate)
  kLoss,          // packet_loss_percent
  kDelay,         // rtt_ms, jitter_ms
  kVideoQuality,  // fps, video_bitrate_total, freeze_count
  kAudio,         // concealment_percent, mos
};
// "", "loss", "delay", "video_quality", "audio".
const char* BreachFamilyName(BreachFamily f);

// The figures of an issue raised by a detection beyond Issue::peak, mean and
// threshold (docs/DETECTIONS.md gives which the kinds set; kUnset / 0 / empty
// otherwise).
struct DetectionFigures {
  // low_received_fps: mean fps of the senders' lowest sending layer;
  // nothing_received: the sender's mean bitrate (bits/s); bitrate_collapse:
  // the track's median bitrate (bits/s).
  double baseline = kUnset;
  size_t samples = 0;  // low samples; session_degradation: the breaches counted
  // The peers involved, sorted: the senders (downlink), the receivers or
  // listeners (uplink; also in affected_peers), the peers that started a
  // breach (session_degradation; also in affected_peers), the user's peer ids
  // (repeated_rejoins).
  std::vector<std::string> peers;
  size_t peers_total = 0;                     // what peers is out of
  BreachFamily family = BreachFamily::kNone;  // session_degradation
  std::string user_id;                        // repeated_rejoins (may be empty)
  int cycles = 0;                             // repeated_rejoins
  // low_received_audio_mos: the mean E-model inputs used, and whether some
  // sample lacked the sender's RTT (the default delay was used).
  double loss_pct = kUnset;
  double rtt_ms = kUnset;
  double jitter_ms = kUnset;
  double jitter_buffer_ms = kUnset;  // measured by the receiver (browser dumps)
  bool default_delay = false;
};

// A finding: typed facts only (the report turns them into words).
// The sender -> receiver pair an issue involves (Issue::pair): an uplink
// issue's sender and the receiver that suffered worst from it, or a downlink
// issue's receiver and the sender of what it received (PairIssues).
struct IssuePair {
  std::string from;  // the sender's peer id
  std::string to;    // the receiver's peer id
  int others = 0;    // other receivers (uplink) or senders (downlink) it involves
};

struct Issue {
  IssueCode code = IssueCode::kHighPacketLoss;
  Severity severity = Severity::kWarning;
  std::string peer_id;
  std::vector<std::string> track_ids;
  Path direction = Path::kNone;
  int64_t start_ms = 0;
  int64_t end_ms = 0;
  // Breach-based issues: the metric and figures of the issue's own breaches,
  // those whose metric gives its code (a sender's loss issue that explains a
  // receiver's concealment counts only the loss), in the metric's unit: the
  // worst peak, the sample-weighted mean, the threshold of the issue's
  // severity. Event issues leave them at their defaults (figures kUnset).
  BreachMetric metric = BreachMetric::kPacketLoss;
  double peak = kUnset;
  double mean = kUnset;
  double threshold = kUnset;
  std::vector<MediaKind> kinds;   // media of the own breaches, sorted, unique
  std::vector<std::string> rids;  // layers of the own breaches (layer_off), sorted, unique
  // Where the own breaches were measured: what the peer sent (kPublisher) or
  // what was received (kSubscriber: the peer's downlink, or its receivers'
  // view of an uplink they all saw).
  Direction measured = Direction::kPublisher;
  std::vector<size_t> breaches;  // indices into SessionAnalysis::breaches, sorted
  // Uplink issues: receivers' breaches (indices into SessionAnalysis::breaches,
  // sorted) this issue explains, and those receivers (sorted, unique).
  std::vector<size_t> explains;
  std::vector<std::string> affected_peers;
  // Event issues: indices into Session::events, the event that raised the
  // issue first, then the repeats merged into it.
  std::vector<size_t> events;
  // Detection issues (the six codes from low_received_fps on): peak / mean /
  // threshold hold the detection's worst / value / threshold in the unit of
  // `metric` (session_degradation: value = the share of present peers 0..1;
  // repeated_rejoins: value = cycles), and these its other figures.
  std::optional<DetectionFigures> detection;
  // Connection issues: the peer connection's id (Peer::connections); for
  // slow_setup mean = the step's time (ms), threshold its limit and
  // setup_step the step (first_frame: track_ids = the received video); for
  // ice_restart mean = the restarts asked for, peak = those that reconnected.
  std::string connection_id;
  SetupStep setup_step = SetupStep::kIce;
  // Issues that involve two peers: the pair to compare (PairIssues).
  std::optional<IssuePair> pair;
};

// What kind of call a meeting was (docs/REPORT.md, "Call types").
enum class CallType : uint8_t { kOneToZero, kOneToOne, kMultiparty, kBroadcast, kWebinar };
// "one-to-zero", "one-to-one", "multiparty", "broadcast", "webinar"
const char* CallTypeName(CallType t);

// Issue counts by severity, indexed by static_cast<int>(Severity).
struct SeverityCounts {
  int count[3] = {0, 0, 0};
  int of(Severity s) const { return count[static_cast<int>(s)]; }
  int total() const { return count[0] + count[1] + count[2]; }
};

struct Meeting {
  int index = 0;
  int64_t start_ms = 0;
  int64_t end_ms = 0;
  std::vector<std::string> peer_ids;  // peers present in it, by first presence
  double participant_minutes = 0;     // the peers' presence intervals within it, summed
  int published_tracks = 0;
  // People seen in it: its peers, plus senders seen only through the tracks
  // its peers received (a sender the inputs give no presence for).
  int participants = 0;
  int publishers = 0;  // participants that sent media in it
  int viewers = 0;     // participants - publishers
  CallType call_type = CallType::kOneToZero;
  // Summary: issues whose time overlaps the meeting, the worst first (by
  // RankIssues), and the session's worst peers that were in it, in ranking order.
  SeverityCounts issues;
  std::vector<size_t> top_issues;   // indices into SessionAnalysis::issues, at most 5
  std::vector<size_t> worst_peers;  // indices into SessionAnalysis::worst_peers
  // The worst of its issues with a pair (TopPairIssue): the pair to compare first.
  std::optional<size_t> top_pair;
};

// CQS of one window for one peer. overall = the lower of uplink and downlink.
// A window where the peer's tracks of a direction all sent nothing has that
// direction unset (not counted as poor).
struct CqsWindow {
  int64_t start_ms = 0;
  double uplink = kUnset;
  double downlink = kUnset;
  double overall = kUnset;
};

// How one direction's windows went (docs/SCORING.md, "Headline figures").
struct CqsSummary {
  double mean = kUnset;        // time-weighted mean of the window scores
  double worst = kUnset;       // the lowest window score
  int64_t worst_start_ms = 0;  // that window's start (the first, on a tie)
  int64_t below_fair_ms = 0;   // time in windows scoring < 2 (poor or failed)
  int64_t below_poor_ms = 0;   // time in windows scoring < 1 (failed)
};

// Whether a peer was in the call: present (it has presence intervals), never
// joined (known only from failed join or connect events), or unknown (known
// only from other events, e.g. a failed publish: it joined, but when is not
// said).
enum class Attendance : uint8_t { kPresent, kNeverJoined, kUnknown };
const char* AttendanceName(Attendance a);  // "present", "never_joined", "unknown"

// One side of who receives whom (PeerAnalysis::receives_from, received_by).
struct PeerLink {
  std::string peer_id;
  std::vector<size_t> tracks;  // indices into a PeerAnalysis::tracks (see there)
};

struct PeerAnalysis {
  std::string peer_id;
  Attendance attendance = Attendance::kPresent;
  // When the peer was in the call: its join/leave intervals (from the inputs),
  // else its first to its last sample; empty for a peer that never joined
  // (known only from failed join/connect or other events). Sorted, disjoint.
  std::vector<Interval> presence;
  std::optional<int64_t> joined_ms;  // first start, none when never joined
  std::optional<int64_t> left_ms;    // last end, none when never joined
  int64_t present_ms = 0;            // the intervals summed
  int published_tracks = 0;
  std::string end_reason;  // "left", "removed", "disconnected", "removed from server", or raw
  // Headline figures: HeadlineScore of the windows (min of the time-weighted
  // mean and the lowest score held for a minute), so their band never hides
  // a sustained bad period.
  double cqs = kUnset;
  double cqs_uplink = kUnset;
  double cqs_downlink = kUnset;
  CqsSummary cqs_summary, cqs_uplink_summary, cqs_downlink_summary;
  std::vector<CqsWindow> cqs_windows;
  Health health_audio = Health::kNone;
  Health health_video = Health::kNone;
  Health health_screen = Health::kNone;
  std::vector<TrackAnalysis> tracks;
  int issue_count = 0;
  // Who this peer received media from: per sender (its peer id, "" when the
  // inputs do not say), in the order of its first received track, the indices
  // into `tracks` of what it received of it (audio, then video, then screen).
  std::vector<PeerLink> receives_from;
  // Who received this peer's media: per other peer with a received track this
  // peer sent (by sender id or by published track id), in peer order, the
  // indices into that peer's `tracks` of those received tracks.
  std::vector<PeerLink> received_by;
};

// An entry of the session's event log: input events and derived ones.
// Its words are the report's (report/event_text.h): an entry keeps where its
// facts are.
struct LogEvent {
  static constexpr size_t kNone = static_cast<size_t>(-1);
  int64_t time_ms = 0;
  std::string peer_id;
  std::string type;  // input type, or "breach.start", "breach.end", "layer.off", "layer.on"
  bool is_error = false;
  bool derived = false;
  size_t event = kNone;   // input events: index into Session::events
  size_t breach = kNone;  // derived events: index into SessionAnalysis::breaches
};

// Why a peer is among the worst peers (the first that applies).
enum class RankReason : uint8_t {
  kOwnIssues,  // it has issues of its own (Issue::peer_id)
  kFailure,    // error events of its own that gave no issue
  kAffected,   // it suffered from other peers' issues (Issue::affected_peers)
  kLowCqs,     // its CQS is below "fair" (3)
};
// "own_issues", "failure", "affected", "low_cqs"
const char* RankReasonName(RankReason r);

// One entry of the worst-peer ranking (RankPeers).
struct RankedPeer {
  size_t peer = 0;  // index into Session::peers / SessionAnalysis::peers
  RankReason reason = RankReason::kOwnIssues;
  std::optional<Severity> severity;  // of its worst own issue
  int issues = 0;                    // its own issues
  // Time covered by its own issues of that worst severity (overlaps counted once).
  int64_t issue_ms = 0;
  int failures = 0;     // its own error events
  int affected_by = 0;  // other peers' issues it suffered from
  double cqs = kUnset;
};

// The session's verdict: the headline that the text report, the page and the
// CLI exit status share. It never says "ok" while there is an issue or an
// error event.
enum class VerdictLevel : uint8_t { kOk, kInfo, kWarning, kCritical };
const char* VerdictLevelName(VerdictLevel l);  // "ok", "info", "warning", "critical"

struct Verdict {
  // critical: a critical issue or a terminal error event; warning: a warning
  // issue or any other error event; info: info issues, or a peer ranked for
  // its CQS below "fair" alone; ok: none of these (no worst peers).
  VerdictLevel level = VerdictLevel::kOk;
  SeverityCounts issues;
  int failures = 0;           // error events (each a failed action)
  int terminal_failures = 0;  // of which terminal
  int affected_peers = 0;     // peers with an own issue, an error event, or affected by an issue
  int low_cqs_peers = 0;      // other peers with a CQS below "good" (3)
  int peers = 0;
  int never_joined = 0;  // peers without presence
};

// The peers of one user (same PeerInfo::user_id): attempts and rejoins.
struct UserPeers {
  std::string user_id;
  std::string name;                   // the first non-empty name of its peers
  std::vector<std::string> peer_ids;  // in peer order
};

struct FailureRate {
  int attempts = 0;
  int failures = 0;
  int terminal = 0;  // failures with is_terminal
  int retried = 0;   // failures the client retried
  double rate = 0;   // failures / attempts, 0 when no attempts
};

// A large session's activity over time: how many joins, publishes and
// subscribes succeeded and failed in each stretch of the session (Vonage
// Inspector's connection and subscriber summaries), and its participants by
// role. Only sessions of more than kLargeSessionParticipants participants get
// one (SessionAnalysis::activity).
inline constexpr size_t kLargeSessionParticipants = 100;
// At most this many buckets cover a session.
inline constexpr size_t kMaxActivityBuckets = 120;

// One operation's attempts, bucket by bucket.
struct OperationActivity {
  std::vector<int> succeeded;  // one count per bucket
  std::vector<int> failed;     // one count per bucket
};

// The participants of one role.
struct RoleSummary {
  std::string role;      // as the inputs write it; "" when none names it
  int participants = 0;  // peers with this role
  int with_issues = 0;   // of them, peers with issues of their own
  int failures = 0;      // their error events (any operation)
};

struct SessionActivity {
  int64_t start_ms = 0;   // the first bucket's start (a whole multiple of bucket_ms)
  int64_t bucket_ms = 0;  // 10 s, 15 s, 30 s, 1, 2, 5, 10, 15, 30 min or whole hours
  size_t buckets = 0;     // enough to cover the session, at most kMaxActivityBuckets
  // "connect", "join", "publish", "subscribe": each operation's attempts of
  // SessionAnalysis::failure_rates spread over time, so that a bucket-by-bucket
  // sum of succeeded + failed is its `attempts` and of failed its `failures`.
  // A success counts at the peer's first presence (connect, join) or the
  // track's first sample (publish, subscribe; a track.add.success event's time
  // for a peer known from events alone); a failure at its event's time; a time
  // outside the buckets counts in the first or the last.
  std::map<std::string, OperationActivity> operations;
  std::vector<RoleSummary> roles;  // most participants first, then by role
};

struct SessionAnalysis {
  int64_t start_ms = 0;
  int64_t end_ms = 0;
  std::vector<PeerAnalysis> peers;  // same order as Session::peers
  std::vector<Breach> breaches;
  std::vector<Issue> issues;  // by start time
  std::vector<Meeting> meetings;
  std::vector<RankedPeer> worst_peers;  // RankPeers: every peer with a problem, worst first
  std::vector<size_t> top_issues;       // RankIssues: at most 5 indices into issues
  // TopPairIssue: the worst issue with a pair (index into issues), the pair
  // the page compares first; none when no issue involves two peers.
  std::optional<size_t> top_pair;
  Verdict verdict;
  std::vector<UserPeers> users;                      // users with a user_id, by their first peer
  std::vector<LogEvent> events;                      // chronological
  std::vector<size_t> error_events;                  // indices into Session::events
  std::map<std::string, FailureRate> failure_rates;  // connect, join, publish, subscribe
  double participant_minutes = 0;
  // Every track's samples pooled by "<direction>.<kind>.<metric>" (audio and
  // video never mix), e.g. "subscriber.video.fps".
  std::map<std::string, MetricStats> metrics;
  // Sessions of more than kLargeSessionParticipants participants only.
  std::optional<SessionActivity> activity;
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
  // How every chart is drawn: one rule per direction, kind and chart metric,
  // in that order (ChartRules).
  std::vector<ChartRule> charts;
};

// Analyzes every session. Never fails: odd data gives fewer findings, not errors.
// The per-track work is spread over up to `threads` threads (the caller's
// included); the result is the same for any number.
Analysis Analyze(const SessionSet& sessions, const Config& config, int threads = 1);

// Statistics of a column (NaN samples skipped, -0 counted as 0), exactly as
// sorting the samples would give them. higher_is_worse picks the worst end.
// Exposed for tests and the report.
MetricStats ComputeStats(const std::vector<double>& values, bool higher_is_worse);
MetricStats ComputeStats(const Samples& values, bool higher_is_worse);
// The same over all samples of several columns pooled.
MetricStats ComputeStats(const std::vector<const Samples*>& columns, bool higher_is_worse);

// The typical sample spacing of a series: the median of the positive steps
// between its timestamps (non-decreasing, as in a Series); 0 when there is none.
int64_t SampleSpacingMs(const std::vector<int64_t>& timestamps_ms);

}  // namespace callsight

#endif  // CALLSIGHT_ANALYSIS_H_
