// Windows: per peer and 30 s window, the uplink and downlink Connection Quality
// Score, per-track MOS and video scores, and call health per media kind.
// docs/SCORING.md describes the aggregation.
#include <algorithm>
#include <cmath>
#include <utility>
#include <vector>

#include "analysis/internal.h"
#include "callsight/scoring.h"
#include "util/parallel.h"

namespace callsight::analysis {
namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

// Mean of the non-missing values of a column (nullptr: absent) over samples [i0, i1).
double MeanOf(const float* col, size_t i0, size_t i1) {
  if (col == nullptr) return kNaN;
  double sum = 0;
  size_t n = 0;
  for (size_t i = i0; i < i1; ++i) {
    const float x = col[i];
    if (x == x) sum += x, ++n;
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

double MaxOf(const std::vector<double>& v) {
  double m = kNaN;
  for (double x : v) {
    if (!std::isnan(x)) m = std::isnan(m) ? x : std::max(m, x);
  }
  return m;
}

double MosToFive(double mos) { return std::isnan(mos) ? kNaN : (mos - 1.0) / 3.5 * 5.0; }

// What one view contributes to one window.
struct ViewWindow {
  double mos = kNaN;    // audio
  double score = kNaN;  // video / screen
  double loss = kNaN, rtt = kNaN, jitter = kNaN;
};

// Window index of a time: floor((t - origin) / w), negative before origin.
int64_t WindowOf(int64_t t, int64_t origin, int64_t w) {
  int64_t d = t - origin;
  return d >= 0 ? d / w : -1 - (-d - 1) / w;
}

// Per window, what one view contributes: loss, RTT, jitter, and its MOS
// (audio) or video score (video, screen).
// Views' samples are in time order, so windows come out ascending.
void WindowsOf(const TrackView& v, int64_t origin, int64_t w, const Config& config,
               std::vector<std::pair<int64_t, ViewWindow>>* out) {
  out->clear();
  const bool pub = v.tr->direction == Direction::kPublisher;
  const MediaKind kind = v.tr->kind;
  double expected_fps = kNaN;
  if (v.has(kFps)) {
    // The track's own typical top rate: its 95th percentile, within 15..30 fps.
    // (ComputeStats with "higher is worse" puts p95 at the high end.)
    MetricStats st = ComputeStats(v.col[kFps], /*higher_is_worse=*/true);
    double p95 = st.count ? st.p95 : 30.0;
    expected_fps = kind == MediaKind::kScreen ? 5 : std::clamp(p95, 15.0, 30.0);
  }
  const double expected_bitrate = pub && kind == MediaKind::kVideo
                                      ? 2 * config.thresholds.video_bitrate_kbps.warning * 1000
                                      : kNaN;
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
    vw.loss = MeanOf(col[kLoss], i, j);
    vw.rtt = MeanOf(col[kRtt], i, j);
    vw.jitter = MeanOf(col[kJitter], i, j);
    if (kind == MediaKind::kAudio) {
      if (pub) {
        vw.mos = MeanOf(col[kMos], i, j);
      } else if (!std::isnan(vw.loss)) {
        if (vw.loss != mos_loss) {
          mos_loss = vw.loss;
          mos_of_loss = AudioMos(kNaN, kNaN, vw.loss, config.audio_profile).mos;
        }
        vw.mos = mos_of_loss;
      }
    } else {
      VideoScoreInput in;
      in.screen = kind == MediaKind::kScreen;
      in.fps = MeanOf(col[kFps], i, j);
      in.expected_fps = expected_fps;
      in.bitrate_bps = pub ? MeanOf(col[kBitrate], i, j) : kNaN;
      in.expected_bitrate_bps = expected_bitrate;
      in.loss_pct = vw.loss;
      in.rtt_ms = vw.rtt;
      if (col[kFreezes] != nullptr) {
        double freezes = 0;
        for (size_t k = i; k < j; ++k) {
          if (!std::isnan(col[kFreezes][k])) freezes += col[kFreezes][k];
        }
        int64_t span = std::max<int64_t>(v.spacing_ms * static_cast<int64_t>(j - i), 1);
        in.freezes_per_min = freezes * 60000.0 / static_cast<double>(span);
      }
      vw.score = VideoScore(in);
    }
    out->emplace_back(win, vw);
    i = j;
  }
}

}  // namespace

void ScoreWindows(const Session& session, const std::vector<TrackView>& views, const Config& config,
                  int threads, SessionAnalysis* out) {
  const int64_t w = config.window_ms > 0 ? config.window_ms : 30000;
  const int64_t origin = out->start_ms;
  struct Acc {
    std::vector<double> up_mos, up_video, up_screen, up_loss, up_rtt, up_jitter;
    std::vector<double> down_mos, down_video, down_screen, down_loss;
    bool used = false;
    void Clear() {
      for (auto* v : {&up_mos, &up_video, &up_screen, &up_loss, &up_rtt, &up_jitter, &down_mos,
                      &down_video, &down_screen, &down_loss}) {
        v->clear();
      }
      used = false;
    }
  };
  // Views come grouped by peer, in peer order: peer pi's are
  // views[begin[pi] .. begin[pi + 1]).
  std::vector<size_t> begin(session.peers.size() + 1, 0);
  for (const TrackView& v : views) ++begin[v.peer + 1];
  for (size_t pi = 0; pi < session.peers.size(); ++pi) begin[pi + 1] += begin[pi];
  // Peers are independent: each writes only its own PeerAnalysis. A thread
  // scores one peer at a time, so only that peer's windows are held:
  // acc[win - first_win], reused (capacity kept) across peers.
  ParallelFor(session.peers.size(), threads, [&](size_t pi) {
    thread_local std::vector<Acc> acc;
    thread_local std::vector<std::pair<int64_t, ViewWindow>> windows;
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
    for (size_t vi = peer_views; vi < peer_end; ++vi) {
      const TrackView& v = views[vi];
      const bool pub = v.tr->direction == Direction::kPublisher;
      const MediaKind kind = v.tr->kind;
      WindowsOf(v, origin, w, config, &windows);
      // Track-level MOS / score: the mean over its windows.
      double sum = 0;
      size_t n = 0;
      for (const auto& [win, vw] : windows) {
        double x = kind == MediaKind::kAudio ? vw.mos : vw.score;
        if (!std::isnan(x)) sum += x, ++n;
      }
      for (TrackAnalysis& ta : out->peers[v.peer].tracks) {
        if (ta.track_index == v.track && ta.layer_index == 0 && n > 0) {
          (kind == MediaKind::kAudio ? ta.mos : ta.score) = sum / static_cast<double>(n);
        }
      }
      for (const auto& [win, vw] : windows) {
        Acc& a = acc[static_cast<size_t>(win - first_win)];
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

    {
      PeerAnalysis& pa = out->peers[pi];
      double band_time[3][5] = {};  // audio, video, screen
      double sum_up = 0, sum_down = 0, sum_all = 0, wt_up = 0, wt_down = 0, wt_all = 0;
      for (size_t k = 0; k < span; ++k) {
        Acc& a = acc[k];
        if (!a.used) continue;
        const int64_t win = first_win + static_cast<int64_t>(k);
        CqsWindow cw;
        cw.start_ms = origin + win * w;
        // Each video figure once: the CQS and the health below both use them.
        // (Which kind the CQS takes is decided on entries, missing ones
        // included, before Median drops those.)
        const bool sent_video = !a.up_video.empty(), received_video = !a.down_video.empty();
        const double up_video = MinOf(a.up_video), up_screen = MinOf(a.up_screen);
        const double down_video = Median(a.down_video), down_screen = Median(a.down_screen);
        ConnectionInput up;
        up.audio_mos = MinOf(a.up_mos);
        up.video_score = sent_video ? up_video : up_screen;
        up.loss_pct = MaxOf(a.up_loss);
        up.rtt_ms = MaxOf(a.up_rtt);
        up.jitter_ms = MaxOf(a.up_jitter);
        ConnectionInput down;
        down.audio_mos = Median(a.down_mos);
        down.video_score = received_video ? down_video : down_screen;
        down.loss_pct = Median(a.down_loss);
        cw.uplink = ConnectionScore(up);
        cw.downlink = ConnectionScore(down);
        if (!std::isnan(cw.uplink) && !std::isnan(cw.downlink)) {
          cw.overall = (cw.uplink + cw.downlink) / 2;
        } else {
          cw.overall = std::isnan(cw.uplink) ? cw.downlink : cw.uplink;
        }
        // Weight: the part of the window inside the session.
        double weight = static_cast<double>(
            std::min<int64_t>(w, std::max<int64_t>(out->end_ms - cw.start_ms, 1)));
        if (!std::isnan(cw.uplink)) sum_up += cw.uplink * weight, wt_up += weight;
        if (!std::isnan(cw.downlink)) sum_down += cw.downlink * weight, wt_down += weight;
        if (!std::isnan(cw.overall)) sum_all += cw.overall * weight, wt_all += weight;
        // Health per media kind: the worse of what was sent and what was received.
        double audio = MinOf2(MosToFive(up.audio_mos), MosToFive(down.audio_mos));
        double video = MinOf2(up_video, down_video);
        double screen = MinOf2(up_screen, down_screen);
        double per_kind[3] = {audio, video, screen};
        for (int k = 0; k < 3; ++k) {
          if (!std::isnan(per_kind[k]))
            band_time[k][static_cast<int>(BandOf(per_kind[k]))] += weight;
        }
        pa.cqs_windows.push_back(cw);
      }
      pa.cqs_uplink = wt_up > 0 ? sum_up / wt_up : kNaN;
      pa.cqs_downlink = wt_down > 0 ? sum_down / wt_down : kNaN;
      pa.cqs = wt_all > 0 ? sum_all / wt_all : kNaN;
      pa.health_audio = HealthFromBandTime(band_time[0]);
      pa.health_video = HealthFromBandTime(band_time[1]);
      pa.health_screen = HealthFromBandTime(band_time[2]);
    }
  });
}

}  // namespace callsight::analysis
