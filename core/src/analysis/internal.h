// Internal pieces of the analysis, shared between its files. The flow is:
// views (tracks with simulcast layers aligned) -> breaches -> issues (with
// attribution) and windows (MOS, video score, CQS, health) -> meetings -> logs.
#ifndef CALLSIGHT_ANALYSIS_INTERNAL_H_
#define CALLSIGHT_ANALYSIS_INTERNAL_H_

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "callsight/analysis.h"
#include "callsight/config.h"
#include "callsight/model.h"

namespace callsight::analysis {

// Columns of a TrackView. All are aligned to TrackView::t; NaN = missing.
enum Col : int {
  kLoss,          // packet loss %, max over sending layers
  kRtt,           // ms, max over layers
  kJitter,        // ms
  kBitrate,       // bits/s; publisher video: all layers summed
  kFps,           // publisher video: the highest sending layer's fps
  kFreezes,       // freezes within the sample window
  kConcealPct,    // concealed samples as % of 48 kHz samples in the window
  kMos,           // per-sample E-model MOS (audio)
  kJitterBuffer,  // received: the jitter buffer's mean delay, ms (browser dumps)
  kViewColCount
};

// The columns of a view: borrowed from the model where the view is the
// model's series as is, owned where derived (aligned layers, concealment %,
// MOS). Borrowed pointers target the model, so views may move freely.
class ViewColumns {
 public:
  const Samples& operator[](int c) const { return borrowed_[c] ? *borrowed_[c] : owned_[c]; }
  void Borrow(int c, const Samples& v) { borrowed_[c] = &v; }
  Samples& Own(int c) {
    borrowed_[c] = nullptr;
    return owned_[c];
  }

 private:
  const Samples* borrowed_[kViewColCount] = {};
  Samples owned_[kViewColCount];
};

// One analyzable track of one peer: publisher video layers merged onto one
// time axis; every other track is its only layer.
struct TrackView {
  size_t peer = 0;   // index into Session::peers
  size_t track = 0;  // index into Peer::tracks
  const Peer* p = nullptr;
  const Track* tr = nullptr;
  int64_t spacing_ms = 0;
  // SampleSpacingMs of each of the track's layers, when several were aligned
  // (empty otherwise: the view is layer 0, whose spacing is spacing_ms).
  std::vector<int64_t> layer_spacing_ms;
  // SampleSpacingMs of the track's layer li, if the view knows it; else -1.
  int64_t LayerSpacingMs(size_t li) const {
    if (layer_spacing_ms.empty()) return li == 0 ? spacing_ms : -1;
    return li < layer_spacing_ms.size() ? layer_spacing_ms[li] : -1;
  }
  ViewColumns col;
  // Publisher video with several layers: per layer, whether it is off (sending
  // nothing while a lower layer still sends) at each aligned sample.
  std::vector<std::vector<char>> layer_off;
  // Sent video and screen: 1 at each sample where no layer sends frames (see
  // "sending" in breaches.cpp: frames where the frame rate is known, else bits),
  // whatever padding still flows. Empty for audio and received tracks.
  std::vector<char> no_frames;
  const std::vector<int64_t>& t() const { return times ? *times : own_times; }
  bool has(Col c) const { return !col[c].empty(); }
  const std::vector<int64_t>* times = nullptr;  // borrowed from the model...
  std::vector<int64_t> own_times;               // ...or aligned here
};

// One view per track with samples, grouped by peer in peer order (built on up
// to `threads` threads; the same for any number).
std::vector<TrackView> BuildViews(const Session& session, const Config& config, int threads);

// A maximal run of beyond-threshold samples (one clean sample bridged):
// first..last spans it, peak, mean and samples are of its breaching samples.
struct Run {
  size_t first = 0;
  size_t last = 0;
  int level = 1;  // 1 warning, 2 critical
  double peak = 0;
  double mean = 0;
  size_t samples = 0;
};

// level_of(value) gives -1 missing, 0 clean, 1 warning, 2 critical (a
// template, so the level test inlines into the scan).
// above: higher is worse (peak = max), else peak = min.
template <typename LevelOf>
std::vector<Run> FindRuns(const std::vector<int64_t>& t, const Samples& v, int64_t spacing_ms,
                          bool above, const LevelOf& level_of) {
  std::vector<Run> runs;
  const int64_t spacing = spacing_ms > 0 ? spacing_ms : 10000;
  // Breach samples further apart than this are separate runs even when no
  // clean sample lies between them (the track was not reporting).
  const int64_t max_gap = 2 * spacing + spacing / 2;
  bool open = false;
  Run cur;
  size_t last_breach = 0;
  int clean_since = 0;
  // Mean and count over the breaching samples only: a bridged clean sample
  // lengthens the run, not its figures.
  double sum = 0;
  auto close = [&]() {
    if (!open) return;
    cur.mean = cur.samples ? sum / static_cast<double>(cur.samples) : 0;
    runs.push_back(cur);
    open = false;
  };
  for (size_t i = 0; i < v.size(); ++i) {
    int level = std::isnan(v[i]) ? -1 : level_of(v[i]);
    if (level < 0) continue;
    if (level == 0) {
      if (open && ++clean_since > 1) close();
      continue;
    }
    const double x = v[i];
    if (open && clean_since <= 1 && t[i] - t[last_breach] <= max_gap) {
      cur.last = i;
      cur.level = std::max(cur.level, level);
      cur.peak = above ? std::max(cur.peak, x) : std::min(cur.peak, x);
      sum += x;
      ++cur.samples;
    } else {
      close();
      open = true;
      cur = Run{i, i, level, x, 0, 1};
      sum = x;
    }
    last_breach = i;
    clean_since = 0;
  }
  close();
  return runs;
}

// Breaches of every view, in view order, then the media gaps of every view,
// in view order (found on up to `threads` threads); indices of the breach
// list stay stable afterwards. A media gap: a track that stops reporting for
// a while (>= 3 samples and >= 60 s) while its peer is present, and for a
// receiver while its sender still sends: a breach with metric kMediaGap
// (samples 0, peak = the gap in ms).
std::vector<Breach> FindBreaches(const std::vector<TrackView>& views, const Config& config,
                                 int threads);

// The audio MOS limits: warning below low_mos, critical below low_mos - 0.5;
// checked on sent audio (FindBreaches) and on received audio (the
// low_received_audio_mos detection).
Threshold MosThreshold(const Config& config);

// The threshold FindBreaches checks `metric` against on a track of this
// direction and kind, in the metric's unit (bitrates in bits/s; freezes: the
// warning count per window and the critical rate per 10 s); nullopt when it
// does not check that metric there (and for media gaps, whose limit depends
// on the track's spacing). The one owner of which threshold applies where.
std::optional<Threshold> CheckedThreshold(Direction direction, MediaKind kind, BreachMetric metric,
                                          const Config& config);

// How a chart of `metric` on a track of this direction and kind is drawn,
// from the thresholds the analysis checks (CheckedThreshold, MosThreshold).
ChartRule RuleOf(Direction direction, MediaKind kind, ChartMetric metric, const Config& config);
// Analysis::charts: RuleOf every direction, kind and chart metric, in enum order.
std::vector<ChartRule> ChartRules(const Config& config);
// The charts of one track (TrackAnalysis::charts); has_mos: one of its
// entries has a MOS.
std::vector<ChartMetric> ChartsOf(const Track& track, bool has_mos);
// The charts of every track (TrackAnalysis::charts); after ScoreWindows (the MOS).
void DescribeCharts(const Session& session, SessionAnalysis* out);

// Who receives whom (PeerAnalysis::receives_from, received_by); after the
// peers' tracks are described.
void LinkReceivers(const Session& session, SessionAnalysis* out);

// Each issue's sender -> receiver pair (Issue::pair), after LinkReceivers: an
// uplink issue's sender and, of the receivers it affected or explains, the one
// with its most severe explained breach (the first such in affected_peers
// order; with none explained, the first affected); a downlink issue's
// receiver and the first known sender (receives_from order) of a received
// track among its track_ids. Other issues involve no pair.
void PairIssues(const Session& session, SessionAnalysis* out);

// The causal table (issues.cpp, issue 19 item 5): whether a sender's uplink
// breach of metric `sent` can cause a receiver's breach of metric `received`
// on the same media.
bool CanCause(BreachMetric sent, BreachMetric received);
// Same media: any audio for audio; the same camera or screen track for video.
bool SameMedia(MediaKind kind_a, std::string_view track_a, MediaKind kind_b,
               std::string_view track_b);
bool SameMedia(const Breach& a, const Breach& b);

// The issues of browser dumps' peer connections (connections.cpp,
// docs/DETECTIONS.md "Peer connections"): relayed_connection and
// tcp_connection (info), slow_setup, ice_restart, appended to `issues`.
void AddConnectionIssues(const Session& session, std::vector<Issue>* issues);

// Issues from breaches (with causal uplink/downlink attribution, see
// issues.cpp), from events and from the detections (FindDetections, on up to
// `threads` threads; the result is the same for any number). Sets Breach::issue and fills
// Issue::breaches, the figures, Issue::explains and Issue::events; no prose (report/ writes it).
std::vector<Issue> BuildIssues(const Session& session, const std::vector<TrackView>& views,
                               std::vector<Breach>* breaches, const Config& config,
                               int threads = 1);

// Per-peer windows: CQS, MOS and scores per track, call health, from the
// views' sending samples and the breach levels each window holds (breaches
// after BuildIssues: a breach explained by another peer's uplink issue also
// marks that peer's uplink windows). Peers are scored on up to `threads`
// threads; the result is the same for any number.
void ScoreWindows(const Session& session, const std::vector<TrackView>& views,
                  const std::vector<Breach>& breaches, const std::vector<Issue>& issues,
                  const Config& config, int threads, SessionAnalysis* out);

// The peer's presence intervals (PeerAnalysis::presence): its join/leave
// intervals, sorted and merged; else its first to its last sample; else none.
std::vector<Interval> PresenceIntervals(const Peer& peer);

// Meetings from the peers' presence intervals (PeerAnalysis::presence must be
// set), with their people, publishers and call type; the summary fields are
// left to SummarizeMeetings (ranking.h).
std::vector<Meeting> FindMeetings(const Session& session, const SessionAnalysis& analysis,
                                  const Config& config);

// The webinar rule (docs/REPORT.md): a few publish, many more only watch.
inline constexpr int kWebinarMaxPublishers = 5;
inline constexpr int kWebinarViewersPerPublisher = 3;
inline constexpr int kWebinarMinPeople = 10;
// one-to-zero (<= 1 person), one-to-one (2), broadcast (one publisher),
// webinar (1..5 publishers, viewers >= 3 x publishers, >= 10 people), else multiparty.
CallType ClassifyCall(int participants, int publishers);

void BuildLogs(const Session& session, SessionAnalysis* out);
// A large session's activity over time and its participants by role
// (SessionActivity); nullopt for a session of at most
// kLargeSessionParticipants participants. Reads the peers' presence, tracks,
// issue counts and the error events (after BuildLogs).
std::optional<SessionActivity> DescribeActivity(const Session& session, const SessionAnalysis& sa);
// Counts a failure event in the rate of its operation (connect, join,
// publish, subscribe; others are not rated): one failure, one attempt.
void CountFailure(const Event& e, std::map<std::string, FailureRate>* rates);
// Sets each rate to failures / attempts (0 without attempts).
void FinishFailureRates(std::map<std::string, FailureRate>* rates);
// A room's failure rates: those of its sessions added up, plus its events
// that no session took (room unknown: those events alone).
RoomAnalysis AnalyzeRoom(const SessionSet& set, const Analysis& sessions, const RoomEvents& room);

// Presence of a peer: from join/leave where known, else its first and last sample.
bool PresenceOf(const Peer& peer, int64_t* start, int64_t* end);

}  // namespace callsight::analysis

#endif  // CALLSIGHT_ANALYSIS_INTERNAL_H_
