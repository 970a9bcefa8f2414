// Windows: per peer and 30 s window, the uplink and downlink Connection Quality
// Score, per-track MOS and video scores, and call health per media kind.
// docs/SCORING.md describes the aggregation.
#include <algorithm>
#include <cmath>
#include <limits>
#include <map>
#include <optional>
#include <string_view>
#include <utility>
#include <vector>

#include "analysis/internal.h"
#include "callsight/scoring.h"
#include "util/parallel.h"

namespace callsight::analysis {
namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();
constexpr int64_t kForever = std::numeric_limits<int64_t>::max();

// Mean of the non-missing values of a column (nullptr: absent) over the
// samples [i0, i1) that are not idle.
double MeanOf(const float* col, const std::vector<char>& idle, size_t i0, size_t i1) {
  if (col == nullptr) return kNaN;
  double sum = 0;
  size_t n = 0;
  for (size_t i = i0; i < i1; ++i) {
    const float x = col[i];
    if (x == x && !idle[i]) sum += x, ++n;
  }
  return n ? sum / static_cast<double>(n) : kNaN;
}

// Median of the non-missing values; reorders v (callers own the scratch).
double Median(std::vector<double>& v) {
  v.erase(std::remove_if(v.begin(), v.end(), [](double x) { return std::isnan(x); }), v.end());
  if (v.empty()) return kNaN;
  const size_t n = v.size();
  const auto mid = v.begin() + static_cast<std::ptrdiff_t>(n / 2);
  std::nth_element(v.begin(), mid, v.end());
  return n % 2 ? *mid : (*std::max_element(v.begin(), mid) + *mid) / 2;
}

double MinOf(const std::vector<double>& v) {
  double m = kNaN;
  for (double x : v) {
    if (!std::isnan(x)) m = std::isnan(m) ? x : std::min(m, x);
  }
  return m;
}

// The smaller of two values, ignoring a missing one (NaN only when both are).
double MinOf2(double a, double b) {
  if (std::isnan(a)) return b;
  if (std::isnan(b)) return a;
  return std::min(a, b);
}

// The larger of two values, ignoring a missing one (NaN only when both are).
double MaxOf2(double a, double b) {
  if (std::isnan(a)) return b;
  if (std::isnan(b)) return a;
  return std::max(a, b);
}

double MaxOf(const std::vector<double>& v) {
  double m = kNaN;
  for (double x : v) {
    if (!std::isnan(x)) m = std::isnan(m) ? x : std::max(m, x);
  }
  return m;
}

double MosToFive(double mos) { return std::isnan(mos) ? kNaN : (mos - 1.0) / 3.5 * 5.0; }

// Whether an event mutes (true) or unmutes (false) its track; nullopt for any
// other event (Event::mute, read from a track.update.success's `mute`).
std::optional<bool> MuteOf(const Event& e) {
  if (!EventTypeIs(e, "track.update.success") || e.track_id.empty()) return std::nullopt;
  return e.mute;
}

// Per track id, the intervals [mute, unmute) it was muted (a mute never
// undone lasts on).
using MuteIntervals = std::map<std::string_view, std::vector<Interval>>;
MuteIntervals MutedIntervals(const Session& session) {
  MuteIntervals out;
  for (const Event& e : session.events) {  // chronological
    const std::optional<bool> mute = MuteOf(e);
    if (!mute) continue;
    std::vector<Interval>& list = out[e.track_id];
    const bool open = !list.empty() && list.back().end_ms == kForever;
    if (*mute && !open) list.push_back({e.time_ms, kForever});
    if (!*mute && open) list.back().end_ms = e.time_ms;
  }
  return out;
}

bool MutedAt(const std::vector<Interval>* muted, int64_t t) {
  if (muted == nullptr) return false;
  for (const Interval& m : *muted) {
    if (m.start_ms <= t && t < m.end_ms) return true;
  }
  return false;
}

// A sent sample sends nothing: audio below the muted/DTX bitrate, video and
// screen with no layer sending frames (TrackView::no_frames).
bool SendsNothing(const TrackView& v, size_t i, const Config& config) {
  if (v.tr->kind != MediaKind::kAudio) return !v.no_frames.empty() && v.no_frames[i];
  if (!v.has(kBitrate)) return false;
  const float b = v.col[kBitrate][i];
  return !std::isnan(b) && b < config.thresholds.audio_muted_kbps * 1000;
}

// Per view, per sample: 1 where the track sent nothing ("not sending": muted
// by a track event, nothing sent, or for a received track its sender's
// sample at or before that time sent nothing). Views of one peer are
// contiguous; publisher views are judged first so receivers can look them up.
std::vector<std::vector<char>> IdleSamples(const Session& session,
                                           const std::vector<TrackView>& views,
                                           const Config& config, int threads) {
  const MuteIntervals muted = MutedIntervals(session);
  auto muted_of = [&](const TrackView& v) -> const std::vector<Interval>* {
    auto it = muted.find(v.tr->track_id);
    return it == muted.end() ? nullptr : &it->second;
  };
  std::vector<std::vector<char>> idle(views.size());
  std::map<std::string_view, size_t> published;
  for (size_t k = 0; k < views.size(); ++k) {
    if (views[k].tr->direction == Direction::kPublisher) published[views[k].tr->track_id] = k;
  }
  ParallelFor(views.size(), threads, [&](size_t k) {
    const TrackView& v = views[k];
    if (v.tr->direction != Direction::kPublisher) return;
    const std::vector<Interval>* m = muted_of(v);
    idle[k].resize(v.t().size());
    for (size_t i = 0; i < v.t().size(); ++i) {
      idle[k][i] = MutedAt(m, v.t()[i]) || SendsNothing(v, i, config);
    }
  });
  ParallelFor(views.size(), threads, [&](size_t k) {
    const TrackView& v = views[k];
    if (v.tr->direction == Direction::kPublisher) return;
    const std::vector<Interval>* m = muted_of(v);
    auto sender = published.find(v.tr->track_id);
    const TrackView* pv = sender == published.end() ? nullptr : &views[sender->second];
    const std::vector<char>* pidle = pv ? &idle[sender->second] : nullptr;
    if (pidle != nullptr && std::find(pidle->begin(), pidle->end(), 1) == pidle->end()) {
      pv = nullptr;  // the sender always sent: nothing to look up
    }
    idle[k].assign(v.t().size(), 0);
    if (m == nullptr && pv == nullptr) return;
    size_t at = 0;  // the sender's samples up to v.t()[i] (both in time order)
    for (size_t i = 0; i < v.t().size(); ++i) {
      bool sender_idle = false;
      if (pv != nullptr) {
        const auto& pt = pv->t();
        while (at < pt.size() && pt[at] <= v.t()[i]) ++at;
        sender_idle = at > 0 && (*pidle)[at - 1];
      }
      idle[k][i] = MutedAt(m, v.t()[i]) || sender_idle;
    }
  });
  return idle;
}

// Runs of idle samples as intervals, from the first to the last sample of each.
std::vector<Interval> NotSendingIntervals(const TrackView& v, const std::vector<char>& idle) {
  std::vector<Interval> out;
  for (size_t i = 0; i < idle.size(); ++i) {
    if (!idle[i]) continue;
    if (i > 0 && idle[i - 1]) {
      out.back().end_ms = v.t()[i];
    } else {
      out.push_back({v.t()[i], v.t()[i]});
    }
  }
  return out;
}

// What one view contributes to one window.
struct ViewWindow {
  bool sending = true;  // false: the window's samples all sent nothing
  double mos = kNaN;    // audio
  double score = kNaN;  // video / screen
  double loss = kNaN, rtt = kNaN, jitter = kNaN;
};

// Whether any of the samples [i, j) sends.
bool AnySending(const std::vector<char>& idle, size_t i, size_t j) {
  for (size_t k = i; k < j; ++k) {
    if (!idle[k]) return true;
  }
  return false;
}

// Window index of a time: floor((t - origin) / w), negative before origin.
int64_t WindowOf(int64_t t, int64_t origin, int64_t w) {
  int64_t d = t - origin;
  return d >= 0 ? d / w : -1 - (-d - 1) / w;
}

// The video score of the sending samples [i, j) of a video or screen view.
double VideoWindowScore(const TrackView& v, const float* const* col, const std::vector<char>& idle,
                        size_t i, size_t j, const ViewWindow& vw) {
  const bool pub = v.tr->direction == Direction::kPublisher;
  const VideoExpectation expected =
      ExpectedVideo(VideoRoleOf(v.tr->kind, v.tr->direction, v.tr->layers.front().rid));
  VideoScoreInput in;
  in.screen = v.tr->kind == MediaKind::kScreen;
  in.fps = MeanOf(col[kFps], idle, i, j);
  in.expected_fps = expected.fps;
  in.bitrate_bps = pub ? MeanOf(col[kBitrate], idle, i, j) : kNaN;
  in.expected_bitrate_bps = expected.bitrate_bps;
  in.loss_pct = vw.loss;
  in.rtt_ms = vw.rtt;
  if (col[kFreezes] != nullptr) {
    double freezes = 0;
    size_t n = 0;
    for (size_t k = i; k < j; ++k) {
      if (idle[k]) continue;
      ++n;
      if (!std::isnan(col[kFreezes][k])) freezes += col[kFreezes][k];
    }
    const int64_t span = std::max<int64_t>(v.spacing_ms * static_cast<int64_t>(n), 1);
    in.freezes_per_min = freezes * 60000.0 / static_cast<double>(span);
  }
  return VideoScore(in);
}

// Per window, what one view contributes: loss, RTT, jitter, and its MOS
// (audio) or video score (video, screen), from its sending samples only.
// Received audio takes the worse of loss and concealment as its loss.
// Views' samples are in time order, so windows come out ascending.
void WindowsOf(const TrackView& v, const std::vector<char>& idle, int64_t origin, int64_t w,
               const Config& config, AudioMosCache* mos,
               std::vector<std::pair<int64_t, ViewWindow>>* out) {
  out->clear();
  const bool pub = v.tr->direction == Direction::kPublisher;
  const MediaKind kind = v.tr->kind;
  // The view's columns, read directly (nullptr where the view has none).
  const float* col[kViewColCount];
  for (int c = 0; c < kViewColCount; ++c)
    col[c] = v.has(static_cast<Col>(c)) ? v.col[c].data() : nullptr;
  const std::vector<int64_t>& t = v.t();
  // The last received-audio MOS computed, by loss: windows often repeat one
  // (no loss), and the E-model is the costly part of a window.
  double mos_loss = kNaN, mos_of_loss = kNaN;
  size_t i = 0;
  while (i < t.size()) {
    // Samples are in time order: the window ends at the first sample past it.
    const int64_t win = WindowOf(t[i], origin, w);
    const int64_t end = origin + (win + 1) * w;
    size_t j = i + 1;
    while (j < t.size() && t[j] < end) ++j;
    ViewWindow vw;
    vw.sending = AnySending(idle, i, j);
    if (vw.sending) {
      vw.loss = MeanOf(col[kLoss], idle, i, j);
      vw.rtt = MeanOf(col[kRtt], idle, i, j);
      vw.jitter = MeanOf(col[kJitter], idle, i, j);
      if (kind == MediaKind::kAudio) {
        if (pub) {
          vw.mos = MeanOf(col[kMos], idle, i, j);
        } else {
          const double lost = MaxOf2(vw.loss, MeanOf(col[kConcealPct], idle, i, j));
          if (!std::isnan(lost)) {
            if (lost != mos_loss) {
              mos_loss = lost;
              mos_of_loss = mos->AudioMos(kNaN, kNaN, lost, config.audio_profile).mos;
            }
            vw.mos = mos_of_loss;
          }
        }
      } else {
        vw.score = VideoWindowScore(v, col, idle, i, j, vw);
      }
    }
    out->emplace_back(win, vw);
    i = j;
  }
}

// A breach level (1 warning, 2 critical) over a time range, for one path and
// media kind of one peer's windows. The per-window inputs that cap scores:
// other findings (e.g. terminal failures) join the scores by adding marks.
struct LevelMark {
  bool uplink = true;
  MediaKind kind = MediaKind::kAudio;
  int level = 1;
  int64_t start_ms = 0, end_ms = 0;
  bool minute = false;  // a minute from an event (see AddIssueMarks, FitInside)
};

// The least time a warning or critical issue marks: a minute, so that the
// headline (the lowest score held for a minute) shows every such issue (the
// peer's last minute when its windows end sooner: FitInside).
constexpr int64_t kIssueMarkMs = 60000;

// Every warning or critical issue of a peer marks the windows of the media it
// concerns at its severity, over its time and at least a minute from its
// start (a terminal failure: the minute from its event). An uplink issue
// marks the sent media, a downlink one the received media, one without a
// direction (a failed join or connect, a lost connection, repeated rejoins)
// both; an instant that is not terminal (a retried failure) marks nothing.
// The media are the issue's kinds; failures from events do not say, so
// they mark audio and video (a screen share's windows exist only while it is
// shared). Session-wide issues (no peer) mark no one's windows. An issue made
// of breaches also marks through them (LevelMarks); this adds its minute.
void AddIssueMarks(const std::vector<Issue>& issues,
                   const std::map<std::string_view, size_t>& index,
                   std::vector<std::vector<LevelMark>>* marks) {
  for (const Issue& is : issues) {
    if (is.severity == Severity::kInfo) continue;
    auto it = index.find(is.peer_id);
    if (it == index.end()) continue;
    const bool terminal = !is.events.empty() && is.severity == Severity::kCritical;
    if (!terminal && is.end_ms <= is.start_ms) continue;  // a retried failure: an instant
    if (!is.breaches.empty() && is.end_ms - is.start_ms >= kIssueMarkMs) continue;  // marked
    const int level = is.severity == Severity::kCritical ? 2 : 1;
    int64_t start = is.start_ms;
    int64_t end = terminal ? is.start_ms : is.end_ms;
    if (is.code == IssueCode::kRepeatedRejoins) {
      // It lies on the user's latest peer id, which exists only from the last
      // return: the minute after it counts (the drops were the user's call).
      start = end = is.end_ms;
    }
    const bool minute = end - start < kIssueMarkMs;
    if (minute) end = start + kIssueMarkMs;
    const bool up = is.direction != Path::kDownlink;
    const bool down = is.direction != Path::kUplink;
    std::vector<MediaKind> kinds = is.kinds;
    if (kinds.empty()) kinds = {MediaKind::kAudio, MediaKind::kVideo};
    for (MediaKind kind : kinds) {
      if (up) (*marks)[it->second].push_back({true, kind, level, start, end, minute});
      if (down) (*marks)[it->second].push_back({false, kind, level, start, end, minute});
    }
  }
}

// Per peer, the breach levels its windows hold. A breach marks the windows of
// the peer and path its issue is on: its own peer's (publisher: uplink,
// subscriber: downlink) unless attribution gave it to a sender's uplink
// issue, which marks that sender's uplink instead. Its level is its severity,
// or critical when the issue it belongs to is.
std::vector<std::vector<LevelMark>> LevelMarks(const Session& session,
                                               const std::vector<Breach>& breaches,
                                               const std::vector<Issue>& issues) {
  std::map<std::string_view, size_t> index;
  for (size_t pi = 0; pi < session.peers.size(); ++pi) index[session.peers[pi].peer_id] = pi;
  std::vector<std::vector<LevelMark>> marks(session.peers.size());
  for (const Breach& b : breaches) {
    // A breach in no issue (too short to be one) lowers its windows through
    // their measurements only: the headline agrees with the issues listed.
    if (b.severity == Severity::kInfo || b.issue < 0) continue;
    int level = b.severity == Severity::kCritical ? 2 : 1;
    std::string_view owner = b.peer_id;
    bool uplink = b.direction == Direction::kPublisher;
    if (b.issue >= 0 && static_cast<size_t>(b.issue) < issues.size()) {
      const Issue& is = issues[static_cast<size_t>(b.issue)];
      if (is.severity == Severity::kCritical) level = 2;  // reported as one critical problem
      if (is.peer_id != b.peer_id && is.direction == Path::kUplink) {
        owner = is.peer_id;
        uplink = true;
      }
    }
    auto it = index.find(owner);
    if (it != index.end())
      marks[it->second].push_back({uplink, b.kind, level, b.start_ms, b.end_ms});
  }
  AddIssueMarks(issues, index, &marks);
  return marks;
}

// The window summary of one direction (see CqsSummary).
CqsSummary Summarize(const std::vector<WindowScore>& scores, const std::vector<int64_t>& starts) {
  CqsSummary s;
  s.mean = TimeWeightedMean(scores);
  double below_fair = 0, below_poor = 0;
  for (size_t k = 0; k < scores.size(); ++k) {
    const WindowScore& ws = scores[k];
    if (std::isnan(ws.score)) continue;
    if (std::isnan(s.worst) || ws.score < s.worst) {
      s.worst = ws.score;
      s.worst_start_ms = starts[k];
    }
    if (ws.score < 2) below_fair += ws.weight_ms;
    if (ws.score < 1) below_poor += ws.weight_ms;
  }
  s.below_fair_ms = static_cast<int64_t>(std::llround(below_fair));
  s.below_poor_ms = static_cast<int64_t>(std::llround(below_poor));
  return s;
}

// One window's inputs, gathered from the peer's views and breaches.
struct Acc {
  std::vector<double> up_mos, up_video, up_screen, up_loss, up_rtt, up_jitter;
  std::vector<double> down_mos, down_video, down_screen, down_loss;
  int level[2][3] = {};  // [uplink 0 / downlink 1][media kind]
  bool used = false;
  void Clear() {
    for (auto* v : {&up_mos, &up_video, &up_screen, &up_loss, &up_rtt, &up_jitter, &down_mos,
                    &down_video, &down_screen, &down_loss}) {
      v->clear();
    }
    for (auto& path : level) std::fill(std::begin(path), std::end(path), 0);
    used = false;
  }
  int Level(int path, MediaKind k) const { return level[path][static_cast<int>(k)]; }
  int PathLevel(int path) const {
    return std::max({level[path][0], level[path][1], level[path][2]});
  }
};

// Adds one view's windows to the accumulators.
void Accumulate(const TrackView& v, const std::vector<std::pair<int64_t, ViewWindow>>& windows,
                int64_t first_win, std::vector<Acc>* acc) {
  const bool pub = v.tr->direction == Direction::kPublisher;
  const MediaKind kind = v.tr->kind;
  for (const auto& [win, vw] : windows) {
    if (!vw.sending) continue;
    Acc& a = (*acc)[static_cast<size_t>(win - first_win)];
    a.used = true;
    if (kind == MediaKind::kAudio) {
      (pub ? a.up_mos : a.down_mos).push_back(vw.mos);
      if (pub) a.up_jitter.push_back(vw.jitter);
    } else {
      auto& dst = pub ? (kind == MediaKind::kScreen ? a.up_screen : a.up_video)
                      : (kind == MediaKind::kScreen ? a.down_screen : a.down_video);
      dst.push_back(vw.score);
    }
    if (pub) {
      a.up_loss.push_back(vw.loss);
      a.up_rtt.push_back(vw.rtt);
    } else if (kind == MediaKind::kAudio) {
      a.down_loss.push_back(vw.loss);
    }
  }
}

// The peer's figures from its accumulated windows: CQS per window, headline
// figures and summaries per direction, call health per media kind.
void ScorePeer(std::vector<Acc>& acc, size_t span, int64_t first_win, int64_t origin, int64_t w,
               int64_t session_end, PeerAnalysis* pa) {
  std::vector<WindowScore> up, down, all, kinds[3];  // kinds: audio, video, screen
  std::vector<int64_t> up_start, down_start, all_start;
  double band_time[3][5] = {};
  for (size_t k = 0; k < span; ++k) {
    Acc& a = acc[k];
    if (!a.used) continue;
    CqsWindow cw;
    cw.start_ms = origin + (first_win + static_cast<int64_t>(k)) * w;
    // Which kind the CQS takes is decided on entries, missing ones included,
    // before Median drops those.
    const bool sent_video = !a.up_video.empty(), received_video = !a.down_video.empty();
    const double up_video = CapByBreachLevel(MinOf(a.up_video), a.Level(0, MediaKind::kVideo));
    const double up_screen = CapByBreachLevel(MinOf(a.up_screen), a.Level(0, MediaKind::kScreen));
    const double down_video = CapByBreachLevel(Median(a.down_video), a.Level(1, MediaKind::kVideo));
    const double down_screen =
        CapByBreachLevel(Median(a.down_screen), a.Level(1, MediaKind::kScreen));
    ConnectionInput in_up;
    in_up.audio_mos = MinOf(a.up_mos);
    in_up.video_score = sent_video ? up_video : up_screen;
    in_up.loss_pct = MaxOf(a.up_loss);
    in_up.rtt_ms = MaxOf(a.up_rtt);
    in_up.jitter_ms = MaxOf(a.up_jitter);
    ConnectionInput in_down;
    in_down.audio_mos = Median(a.down_mos);
    in_down.video_score = received_video ? down_video : down_screen;
    in_down.loss_pct = Median(a.down_loss);
    cw.uplink = CapByBreachLevel(ConnectionScore(in_up), a.PathLevel(0));
    cw.downlink = CapByBreachLevel(ConnectionScore(in_down), a.PathLevel(1));
    cw.overall = MinOf2(cw.uplink, cw.downlink);
    // Weight: the part of the window before the session's end (a whole window
    // when the end is unknown or earlier than the window).
    const int64_t inside = session_end - cw.start_ms;
    const double weight = static_cast<double>(inside > 0 && inside < w ? inside : w);
    up.push_back({cw.uplink, weight}), up_start.push_back(cw.start_ms);
    down.push_back({cw.downlink, weight}), down_start.push_back(cw.start_ms);
    all.push_back({cw.overall, weight}), all_start.push_back(cw.start_ms);
    // Health per media kind: the worse of what was sent and what was received.
    const double audio =
        MinOf2(CapByBreachLevel(MosToFive(in_up.audio_mos), a.Level(0, MediaKind::kAudio)),
               CapByBreachLevel(MosToFive(in_down.audio_mos), a.Level(1, MediaKind::kAudio)));
    const double per_kind[3] = {audio, MinOf2(up_video, down_video),
                                MinOf2(up_screen, down_screen)};
    for (int m = 0; m < 3; ++m) {
      if (std::isnan(per_kind[m])) continue;
      band_time[m][static_cast<int>(BandOf(per_kind[m]))] += weight;
      kinds[m].push_back({per_kind[m], weight});
    }
    pa->cqs_windows.push_back(cw);
  }
  pa->cqs_uplink = HeadlineScore(up);
  pa->cqs_downlink = HeadlineScore(down);
  pa->cqs = HeadlineScore(all);
  pa->cqs_uplink_summary = Summarize(up, up_start);
  pa->cqs_downlink_summary = Summarize(down, down_start);
  pa->cqs_summary = Summarize(all, all_start);
  Health* health[3] = {&pa->health_audio, &pa->health_video, &pa->health_screen};
  for (int m = 0; m < 3; ++m) {
    *health[m] =
        WorseHealth(HealthFromBandTime(band_time[m]), HealthFromFigure(HeadlineScore(kinds[m])));
  }
}

// A minute marked from an event that runs past the peer's windows (a failure
// that ended its call) marks the peer's last minute instead: the headline is
// the lowest score held for a minute, and a critical failure at the end of a
// call must be able to set it. `peer_end`: where the peer's windows end.
LevelMark FitInside(LevelMark m, int64_t peer_end) {
  if (!m.minute || m.end_ms <= peer_end) return m;
  m.end_ms = peer_end;
  m.start_ms = std::min(m.start_ms, peer_end - kIssueMarkMs);
  return m;
}

}  // namespace

void ScoreWindows(const Session& session, const std::vector<TrackView>& views,
                  const std::vector<Breach>& breaches, const std::vector<Issue>& issues,
                  const Config& config, int threads, SessionAnalysis* out) {
  const int64_t w = config.window_ms > 0 ? config.window_ms : 30000;
  const int64_t origin = out->start_ms;
  const std::vector<std::vector<char>> idle = IdleSamples(session, views, config, threads);
  const std::vector<std::vector<LevelMark>> marks = LevelMarks(session, breaches, issues);
  // Views come grouped by peer, in peer order: peer pi's are
  // views[begin[pi] .. begin[pi + 1]).
  std::vector<size_t> begin(session.peers.size() + 1, 0);
  for (const TrackView& v : views) ++begin[v.peer + 1];
  for (size_t pi = 0; pi < session.peers.size(); ++pi) begin[pi + 1] += begin[pi];
  // Peers are independent: each writes only its own PeerAnalysis. A worker
  // scores one peer at a time, so only that peer's windows are held:
  // acc[win - first_win], reused (capacity kept) across the worker's peers.
  struct Scratch {
    std::vector<Acc> acc;
    std::vector<std::pair<int64_t, ViewWindow>> windows;  // one view's
    AudioMosCache mos;
  };
  ParallelForWith<Scratch>(session.peers.size(), threads, [&](Scratch& scratch, size_t pi) {
    std::vector<Acc>& acc = scratch.acc;
    std::vector<std::pair<int64_t, ViewWindow>>& windows = scratch.windows;
    const size_t peer_views = begin[pi], peer_end = begin[pi + 1];
    // The peer's windows: from its views' first to last samples (in time order).
    bool any = false;
    int64_t first_win = 0, last_win = 0;
    for (size_t k = peer_views; k < peer_end; ++k) {
      const auto& t = views[k].t();
      const int64_t a = WindowOf(t.front(), origin, w), b = WindowOf(t.back(), origin, w);
      first_win = any ? std::min(first_win, a) : a;
      last_win = any ? std::max(last_win, b) : b;
      any = true;
    }
    const size_t span = any ? static_cast<size_t>(last_win - first_win + 1) : 0;
    if (acc.size() < span) acc.resize(span);
    for (size_t k = 0; k < span; ++k) acc[k].Clear();
    PeerAnalysis& pa = out->peers[pi];
    for (size_t vi = peer_views; vi < peer_end; ++vi) {
      const TrackView& v = views[vi];
      WindowsOf(v, idle[vi], origin, w, config, &scratch.mos, &windows);
      // Track-level MOS / score: the mean over its sending windows.
      double sum = 0;
      size_t n = 0;
      for (const auto& [win, vw] : windows) {
        const double x = v.tr->kind == MediaKind::kAudio ? vw.mos : vw.score;
        if (vw.sending && !std::isnan(x)) sum += x, ++n;
      }
      for (TrackAnalysis& ta : pa.tracks) {
        if (ta.track_index != v.track || ta.layer_index != 0) continue;
        if (n > 0) (v.tr->kind == MediaKind::kAudio ? ta.mos : ta.score) = sum / double(n);
        ta.not_sending = NotSendingIntervals(v, idle[vi]);
      }
      Accumulate(v, windows, first_win, &acc);
    }
    // Breach levels: the windows that hold a breach's samples (and, for a
    // breach without samples of its own such as a media gap, its range).
    // Where the peer's windows end: its last one's end, or the session's if earlier.
    int64_t windows_end = origin + (last_win + 1) * w;
    if (out->end_ms > windows_end - w && out->end_ms < windows_end) windows_end = out->end_ms;
    for (const LevelMark& mark : marks[pi]) {
      if (span == 0) break;
      const LevelMark m = FitInside(mark, windows_end);
      const int64_t a = std::max(WindowOf(m.start_ms, origin, w), first_win);
      const int64_t b = std::min(WindowOf(m.end_ms, origin, w), last_win);
      for (int64_t win = a; win <= b; ++win) {
        Acc& slot = acc[static_cast<size_t>(win - first_win)];
        int& level = slot.level[m.uplink ? 0 : 1][static_cast<int>(m.kind)];
        level = std::max(level, m.level);
        slot.used = true;
      }
    }
    ScorePeer(acc, span, first_win, origin, w, out->end_ms, &pa);
  });
}

}  // namespace callsight::analysis
