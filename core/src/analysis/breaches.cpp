// Track views (simulcast layers aligned) and breach detection (SPEC §2
// thresholds): maximal runs per metric per track, one clean sample bridged.
#include <algorithm>
#include <cmath>
#include <limits>
#include <map>
#include <optional>
#include <string_view>

#include "analysis/internal.h"
#include "analysis/stats.h"
#include "callsight/scoring.h"
#include "util/parallel.h"

namespace callsight::analysis {
namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();
constexpr float kNaNf = std::numeric_limits<float>::quiet_NaN();
constexpr double kAudioSampleRate = 48000;

// Whether a video layer's sample sends: frames, where its frame rate is
// known; else any bits. A sender with no frames to send keeps sending padding
// and probes (Jitsi's bridge connection, suspended while the call runs peer to
// peer, at 20 kbit/s and 0 frames/s): that is not sending video.
bool Sending(double bitrate, double fps) {
  if (!std::isnan(fps)) return fps > 0;
  return !std::isnan(bitrate) && bitrate > 0;
}

// Whether a layer's sample says anything about sending.
bool Known(double bitrate, double fps) { return !std::isnan(bitrate) || !std::isnan(fps); }

// Lends a model column to a view (empty when the metric is absent).
void Take(const Series& s, Metric m, TrackView* v, Col c) { v->col.Borrow(c, s.column(m)); }

void FillConcealment(TrackView* v, const Series& s) {
  if (!s.has(Metric::kConcealedSamples)) return;
  const auto& c = s.column(Metric::kConcealedSamples);
  auto& out = v->col.Own(kConcealPct);
  out.assign(c.size(), kNaNf);
  for (size_t i = 0; i < c.size(); ++i) {
    int64_t window = i > 0 ? v->t()[i] - v->t()[i - 1] : v->spacing_ms;
    if (window <= 0 || window > 3 * std::max<int64_t>(v->spacing_ms, 1)) window = v->spacing_ms;
    if (window <= 0 || std::isnan(c[i])) continue;
    double total = kAudioSampleRate * static_cast<double>(window) / 1000.0;
    out[i] = static_cast<float>(std::min(100.0, 100.0 * c[i] / total));
  }
}

void FillMos(TrackView* v, const Config& config, AudioMosCache* cache) {
  // No loss, RTT or jitter: an empty column, so the view has no kMos.
  v->col.Own(kMos) = AudioMosSamples(v->col[kRtt], v->col[kJitter], v->col[kLoss], v->t().size(),
                                     config.audio_profile, cache);
}

// Publisher video with several layers: one time axis, totals, top layer fps.
void AlignLayers(const Track& tr, TrackView* v, StatsScratch* scratch) {
  const size_t nl = tr.layers.size();
  struct Point {
    int64_t t;
    size_t layer;
    size_t idx;
  };
  std::vector<Point> pts;
  for (size_t l = 0; l < nl; ++l) {
    const auto& ts = tr.layers[l].series.timestamps_ms;
    for (size_t i = 0; i < ts.size(); ++i) pts.push_back({ts[i], l, i});
  }
  std::stable_sort(pts.begin(), pts.end(),
                   [](const Point& a, const Point& b) { return a.t < b.t; });
  int64_t spacing = 0;
  for (const Layer& l : tr.layers) {
    v->layer_spacing_ms.push_back(SampleSpacingMs(l.series.timestamps_ms, scratch));
    spacing = std::max(spacing, v->layer_spacing_ms.back());
  }
  v->spacing_ms = spacing;
  const int64_t tolerance = std::max<int64_t>(spacing / 2, 1);
  // at(g, l) = index of layer l's sample in group g, or npos: one flat
  // vector, nl entries per group (not a vector per aligned sample).
  const size_t npos = std::numeric_limits<size_t>::max();
  std::vector<size_t> groups;
  const auto at = [&](size_t g, size_t l) -> size_t& { return groups[g * nl + l]; };
  size_t n = 0;
  for (const Point& p : pts) {
    if (n == 0 || p.t - v->own_times.back() >= tolerance || at(n - 1, p.layer) != npos) {
      groups.resize(groups.size() + nl, npos);
      ++n;
      v->own_times.push_back(p.t);
    }
    at(n - 1, p.layer) = p.idx;
  }
  Samples& bitrate = v->col.Own(kBitrate);
  Samples& loss_col = v->col.Own(kLoss);
  Samples& rtt_col = v->col.Own(kRtt);
  Samples& fps_col = v->col.Own(kFps);
  for (auto* c : {&bitrate, &loss_col, &rtt_col, &fps_col}) c->assign(n, kNaNf);
  v->layer_off.assign(nl, std::vector<char>(n, 0));
  v->no_frames.assign(n, 0);
  auto value = [&](size_t g, size_t l, Metric m) {
    size_t i = at(g, l);
    const Series& s = tr.layers[l].series;
    return (i == npos || !s.has(m)) ? kNaN : s.column(m)[i];
  };
  for (size_t g = 0; g < n; ++g) {
    double total = kNaN, loss = kNaN, rtt = kNaN, top_fps = kNaN;
    bool lower_sending = false, known = false;
    // Walk from the lowest layer up so "a lower layer still sends" is known.
    for (size_t k = nl; k-- > 0;) {
      double b = value(g, k, Metric::kBitrate), f = value(g, k, Metric::kFps);
      double lo = value(g, k, Metric::kPacketLoss), r = value(g, k, Metric::kRtt);
      bool sending = Sending(b, f);
      known |= Known(b, f);
      if (!std::isnan(b)) total = std::isnan(total) ? b : total + b;
      if (!std::isnan(r)) rtt = std::isnan(rtt) ? r : std::max(rtt, r);
      if (sending) {
        if (!std::isnan(lo)) loss = std::isnan(loss) ? lo : std::max(loss, lo);
        top_fps = f;  // ends as the highest sending layer's fps
      } else if (at(g, k) != npos && lower_sending) {
        v->layer_off[k][g] = 1;
      }
      lower_sending |= sending;
    }
    v->no_frames[g] = known && !lower_sending;
    bitrate[g] = static_cast<float>(total);
    loss_col[g] = static_cast<float>(loss);
    rtt_col[g] = static_cast<float>(rtt);
    fps_col[g] = static_cast<float>(top_fps);
  }
}

// A single-layer sent video: where it sends no frames (NoFrames), and no frame
// rate to judge there.
void MarkNoFrames(TrackView* v) {
  const size_t n = v->t().size();
  v->no_frames.assign(n, 0);
  Samples* fps = nullptr;
  if (v->has(kFps)) {
    Samples own = v->col[kFps];  // a copy of the borrowed model column
    fps = &v->col.Own(kFps);
    *fps = std::move(own);
  }
  for (size_t i = 0; i < n; ++i) {
    const double b = v->has(kBitrate) ? v->col[kBitrate][i] : kNaN;
    const double f = fps != nullptr ? (*fps)[i] : kNaN;
    if (Sending(b, f)) continue;
    v->no_frames[i] = Known(b, f);
    if (fps != nullptr) (*fps)[i] = kNaNf;
  }
}

// What a BuildViews worker reuses from track to track.
struct ViewsScratch {
  AudioMosCache mos;
  StatsScratch stats;
};

// The view of track `ti` of `peer`, the session's peer `pi` (false when it
// has no samples).
bool BuildView(const Peer& peer, size_t pi, size_t ti, const Config& config, ViewsScratch* scratch,
               TrackView* out) {
  const Track& tr = peer.tracks[ti];
  if (tr.layers.empty()) return false;
  TrackView& v = *out;
  v.peer = pi;
  v.track = ti;
  v.p = &peer;
  v.tr = &tr;
  const bool pub = tr.direction == Direction::kPublisher;
  if (pub && tr.kind != MediaKind::kAudio && tr.layers.size() > 1) {
    AlignLayers(tr, &v, &scratch->stats);
  } else {
    const Series& s = tr.layers.front().series;
    v.times = &s.timestamps_ms;
    v.spacing_ms = SampleSpacingMs(s.timestamps_ms, &scratch->stats);
    Take(s, Metric::kPacketLoss, &v, kLoss);
    Take(s, Metric::kRtt, &v, kRtt);
    Take(s, Metric::kJitter, &v, kJitter);
    Take(s, Metric::kBitrate, &v, kBitrate);
    Take(s, Metric::kFps, &v, kFps);
    Take(s, Metric::kFreezeCount, &v, kFreezes);
    Take(s, Metric::kJitterBufferMs, &v, kJitterBuffer);
    FillConcealment(&v, s);
    if (pub && tr.kind != MediaKind::kAudio) MarkNoFrames(&v);
  }
  if (tr.kind == MediaKind::kAudio && pub) FillMos(&v, config, &scratch->mos);
  return !v.t().empty();
}

}  // namespace

std::vector<TrackView> BuildViews(const Session& session, const Config& config, int threads) {
  // Per peer in parallel (each worker with its E-model cache and statistics buffers), then
  // concatenated in peer order.
  std::vector<std::vector<TrackView>> per_peer(session.peers.size());
  ParallelForWith<ViewsScratch>(session.peers.size(), threads,
                                [&](ViewsScratch& scratch, size_t pi) {
                                  std::vector<TrackView>& views = per_peer[pi];
                                  for (size_t ti = 0; ti < session.peers[pi].tracks.size(); ++ti) {
                                    TrackView v;
                                    if (BuildView(session.peers[pi], pi, ti, config, &scratch, &v))
                                      views.push_back(std::move(v));
                                  }
                                });
  return Flatten(std::move(per_peer));
}

namespace {

// Level function for a two-level threshold; above: higher is worse.
auto Levels(Threshold th, bool above) {
  return [th, above](double x) {
    auto beyond = [&](double limit) {
      if (std::isnan(limit)) return false;
      return above ? x > limit : x < limit;
    };
    if (beyond(th.critical)) return 2;
    if (beyond(th.warning)) return 1;
    return 0;
  };
}

Threshold Scaled(Threshold th, double k) { return Threshold{th.warning * k, th.critical * k}; }

// The nominal sample spacing of a series: the median of its two-sample steps
// halved (timestamps wander by up to +-20 %, so single steps can alternate
// between 0.6 and 1.4 spacings), rounded to whole seconds; `typical` (the
// view's spacing) when there are fewer than 3 samples, 10 s when unknown.
int64_t NominalSpacingMs(const std::vector<int64_t>& t, int64_t typical) {
  int64_t spacing = typical;
  if (t.size() >= 3) {
    std::vector<int64_t> steps;
    steps.reserve(t.size() - 2);
    for (size_t i = 2; i < t.size(); ++i) steps.push_back(t[i] - t[i - 2]);
    std::nth_element(steps.begin(), steps.begin() + steps.size() / 2, steps.end());
    spacing = steps[steps.size() / 2] / 2;
  }
  if (spacing <= 0) return 10000;
  if (spacing < 1000) return spacing;
  return (spacing + 500) / 1000 * 1000;
}

// Freezes are critical when the rate per nominal sample window (`spacing`) stays at
// >= freeze_critical_per_10s over consecutive samples covering
// freeze_critical_ms, each sample standing for one nominal spacing before it
// (so 6 windows of 10 s with a freeze each, or 2 of 30 s with 3 each, are a
// minute). Samples more than 1.5 spacings apart are not consecutive.
void MarkCriticalFreezes(const std::vector<int64_t>& t, const Samples& freezes, int64_t spacing,
                         const Thresholds& th, size_t i0, size_t i1, Breach* b) {
  const double per_10s = 10000.0 / static_cast<double>(spacing);
  int64_t covered = 0;
  for (size_t i = i0; i < i1; ++i) {
    const bool consecutive = i > i0 && t[i] - t[i - 1] <= spacing + spacing / 2;
    const double rate = std::isnan(freezes[i]) ? 0 : freezes[i] * per_10s;
    if (rate < th.freeze_critical_per_10s) {
      covered = 0;
      continue;
    }
    covered = (consecutive ? covered : 0) + spacing;
    if (covered >= th.freeze_critical_ms) {
      b->severity = Severity::kCritical;
      b->threshold = th.freeze_critical_per_10s;
    }
  }
}

// Publisher views by track id: the sender's time axis of a received track.
using PublishedViews = std::map<std::string_view, const TrackView*>;

// The media gaps of view v (see FindBreaches).
void FindMediaGaps(const TrackView& v, const PublishedViews& published, std::vector<Breach>* out) {
  // Only a gap within one presence interval: not the time between a leave and a rejoin.
  const std::vector<Interval> presence = PresenceIntervals(*v.p);
  if (presence.empty()) return;
  const auto within_one = [&](int64_t a, int64_t b) {
    return std::any_of(presence.begin(), presence.end(),
                       [&](const Interval& iv) { return a >= iv.start_ms && b <= iv.end_ms; });
  };
  const int64_t spacing = v.spacing_ms > 0 ? v.spacing_ms : 10000;
  const int64_t min_gap = std::max<int64_t>(3 * spacing, 60000);
  for (size_t i = 1; i < v.t().size(); ++i) {
    const int64_t a = v.t()[i - 1], b = v.t()[i];
    if (b - a < min_gap || !within_one(a, b)) continue;
    if (v.tr->direction == Direction::kSubscriber) {
      auto it = published.find(v.tr->track_id);
      if (it == published.end()) continue;
      const auto& pt = it->second->t();
      auto inside = std::upper_bound(pt.begin(), pt.end(), a + spacing);
      if (inside == pt.end() || *inside >= b - spacing) continue;  // the sender stopped too
    }
    Breach g;
    g.peer_id = v.p->peer_id;
    g.track_id = v.tr->track_id;
    g.direction = v.tr->direction;
    g.kind = v.tr->kind;
    g.metric = BreachMetric::kMediaGap;
    g.severity = Severity::kWarning;
    g.threshold = static_cast<double>(min_gap);
    g.start_ms = a;
    g.end_ms = b;
    g.peak = g.mean = static_cast<double>(b - a);
    g.samples = 0;
    out->push_back(std::move(g));
  }
}

// The breaches of one view, metric by metric, into `out`: runs of samples
// beyond the metric's threshold (FindRuns).
class ViewBreaches {
 public:
  ViewBreaches(const TrackView& v, const Config& config, std::vector<Breach>* out)
      : v_(v), tr_(*v.tr), config_(config), th_(config.thresholds), out_(out) {}

  void Find() {
    if (tr_.direction == Direction::kPublisher) {
      Above(kLoss, BreachMetric::kPacketLoss);
      Above(kRtt, BreachMetric::kRtt);
      if (tr_.kind == MediaKind::kAudio) {
        FindSentAudio();
      } else if (tr_.kind == MediaKind::kVideo) {
        FindSentVideo();
      } else {  // screen share expects few frames
        const Threshold fps = Limit(BreachMetric::kFps);
        Add(v_.col[kFps], BreachMetric::kFps, false, Levels(fps, false), fps);
      }
    } else if (tr_.kind == MediaKind::kAudio) {
      Above(kLoss, BreachMetric::kPacketLoss);
      Above(kConcealPct, BreachMetric::kConcealment);
    } else if (v_.has(kFreezes) && !tr_.layers.front().series.has(Metric::kFreezeMs)) {
      // A browser dump gives how long each freeze lasted: its freezes are
      // found by duration instead (FindLongFreezes, detections_media.cpp).
      FindFreezes();
    }
  }

 private:
  // A breach per run of `values` beyond `levels`; `limit` gives its threshold.
  template <typename LevelOf>
  void Add(const Samples& values, BreachMetric metric, bool above, const LevelOf& levels,
           Threshold limit, const std::string& rid = std::string()) {
    if (values.empty()) return;
    for (const Run& r : FindRuns(v_.t(), values, v_.spacing_ms, above, levels)) {
      Breach b;
      b.peer_id = v_.p->peer_id;
      b.track_id = tr_.track_id;
      b.direction = tr_.direction;
      b.kind = tr_.kind;
      b.rid = rid;
      b.metric = metric;
      b.severity = r.level >= 2 ? Severity::kCritical : Severity::kWarning;
      b.threshold = r.level >= 2 ? limit.critical : limit.warning;
      b.start_ms = v_.t()[r.first];
      b.end_ms = v_.t()[r.last];
      b.peak = r.peak;
      b.mean = r.mean;
      b.samples = r.samples;
      out_->push_back(std::move(b));
    }
  }

  // The threshold of `metric` on this track: CheckedThreshold, the one rule
  // the charts read too.
  Threshold Limit(BreachMetric metric) const {
    return CheckedThreshold(tr_.direction, tr_.kind, metric, config_).value_or(Threshold{});
  }

  void Above(Col c, BreachMetric metric) {
    const Threshold limit = Limit(metric);
    Add(v_.col[c], metric, true, Levels(limit, true), limit);
  }

  void FindSentAudio() {
    Above(kJitter, BreachMetric::kJitter);
    // Audio near zero is muted or DTX, not a low bitrate. A browser dump's
    // audio bitrate is its application's choice (Opus runs at 12 to 64 kbps
    // as set): the threshold, meant for 100ms's SDK, is not checked there;
    // trouble on its audio shows as loss, jitter and concealment.
    if (v_.has(kBitrate) && v_.p->info.dump_kind.empty()) {
      Samples b = v_.col[kBitrate];
      for (float& x : b) {
        if (x < th_.audio_muted_kbps * 1000) x = kNaNf;
      }
      const Threshold lim = Limit(BreachMetric::kAudioBitrate);
      Add(b, BreachMetric::kAudioBitrate, false, Levels(lim, false), lim);
    }
    const Threshold mos = Limit(BreachMetric::kMos);
    Add(v_.col[kMos], BreachMetric::kMos, false, Levels(mos, false), mos);
  }

  void FindSentVideo() {
    if (v_.has(kBitrate)) {
      Samples b = v_.col[kBitrate];
      for (size_t i = 0; i < b.size(); ++i) {
        if (b[i] <= 0 || v_.no_frames[i]) b[i] = kNaNf;  // nothing sent: muted, not "low"
      }
      const Threshold lim = Limit(BreachMetric::kVideoBitrateTotal);
      Add(b, BreachMetric::kVideoBitrateTotal, false, Levels(lim, false), lim);
    }
    const Threshold fps = Limit(BreachMetric::kFps);
    Add(v_.col[kFps], BreachMetric::kFps, false, Levels(fps, false), fps);
    for (size_t l = 0; l < v_.layer_off.size(); ++l) {
      Samples off(v_.t().size());
      for (size_t i = 0; i < off.size(); ++i) off[i] = v_.layer_off[l][i] ? 1 : 0;
      Add(
          off, BreachMetric::kLayerOff, true, [](double x) { return x > 0 ? 1 : 0; },
          Limit(BreachMetric::kLayerOff), tr_.layers[l].rid);
    }
  }

  // Freezes: warning at >= N in a window; critical when the rate stays at
  // >= freeze_critical_per_10s for freeze_critical_ms.
  void FindFreezes() {
    const Samples& f = v_.col[kFreezes];
    const Threshold limit = Limit(BreachMetric::kFreezeCount);
    const double warn = limit.warning;
    size_t before = out_->size();
    Add(
        f, BreachMetric::kFreezeCount, true,
        [warn](double x) { return x >= warn && x > 0 ? 1 : 0; }, limit);
    const int64_t nominal =
        out_->size() > before ? NominalSpacingMs(v_.t(), v_.spacing_ms) : v_.spacing_ms;
    for (size_t bi = before; bi < out_->size(); ++bi) {
      Breach& b = (*out_)[bi];
      b.threshold = warn;
      size_t i0 = std::lower_bound(v_.t().begin(), v_.t().end(), b.start_ms) - v_.t().begin();
      size_t i1 = std::upper_bound(v_.t().begin(), v_.t().end(), b.end_ms) - v_.t().begin();
      MarkCriticalFreezes(v_.t(), f, nominal, th_, i0, i1, &b);
    }
  }

  const TrackView& v_;
  const Track& tr_;
  const Config& config_;
  const Thresholds& th_;
  std::vector<Breach>* out_;
};

}  // namespace

Threshold MosThreshold(const Config& config) {
  return Threshold{config.low_mos, config.low_mos - 0.5};
}

std::optional<Threshold> CheckedThreshold(Direction direction, MediaKind kind, BreachMetric metric,
                                          const Config& config) {
  const Thresholds& th = config.thresholds;
  const bool pub = direction == Direction::kPublisher;
  const bool audio = kind == MediaKind::kAudio;
  switch (metric) {
    case BreachMetric::kPacketLoss:
      if (pub || audio) return th.packet_loss_pct;
      break;
    case BreachMetric::kRtt:
      if (pub) return th.rtt_ms;
      break;
    case BreachMetric::kJitter:
      if (pub && audio) return th.jitter_ms;
      break;
    case BreachMetric::kAudioBitrate:
      if (pub && audio) return Scaled(th.audio_bitrate_kbps, 1000);
      break;
    case BreachMetric::kMos:
      if (pub && audio) return MosThreshold(config);
      break;
    case BreachMetric::kVideoBitrateTotal:
      if (pub && kind == MediaKind::kVideo) return Scaled(th.video_bitrate_kbps, 1000);
      break;
    case BreachMetric::kFps:
      if (pub && kind == MediaKind::kVideo) return th.fps;
      if (pub && kind == MediaKind::kScreen) return th.screen_fps;
      break;
    case BreachMetric::kLayerOff:
      if (pub && kind == MediaKind::kVideo) return Threshold{0, kUnset};
      break;
    case BreachMetric::kConcealment:
      if (!pub && audio) return th.concealment_pct;
      break;
    case BreachMetric::kFreezeCount:
      if (!pub && !audio) return Threshold{th.freeze_warning_count, th.freeze_critical_per_10s};
      break;
    case BreachMetric::kMediaGap:
      break;
  }
  return std::nullopt;
}

std::vector<Breach> FindBreaches(const std::vector<TrackView>& views, const Config& config,
                                 int threads) {
  PublishedViews published;
  for (const TrackView& v : views) {
    if (v.tr->direction == Direction::kPublisher) published[v.tr->track_id] = &v;
  }
  // Per view in parallel, then concatenated: the views' breaches in view
  // order, then their media gaps in view order.
  const size_t n = views.size();
  std::vector<std::vector<Breach>> per_view(2 * n);
  ParallelFor(n, threads, [&](size_t vi) {
    FindMediaGaps(views[vi], published, &per_view[n + vi]);
    ViewBreaches(views[vi], config, &per_view[vi]).Find();
  });
  return Flatten(std::move(per_view));
}

}  // namespace callsight::analysis

namespace callsight {

std::optional<DerivedSeries> DeriveTrackSeries(const Peer& peer, size_t track,
                                               std::string_view name, const Config& config) {
  if (track >= peer.tracks.size()) return std::nullopt;
  const Track& tr = peer.tracks[track];
  const bool concealment = name == "concealment_percent";
  const bool total = name == "video_bitrate_total";
  const bool top_fps = name == "highest_layer_fps";
  if (!concealment && !total && !top_fps) return std::nullopt;
  if ((total || top_fps) &&
      (tr.direction != Direction::kPublisher || tr.kind == MediaKind::kAudio)) {
    return std::nullopt;
  }
  analysis::TrackView v;
  analysis::ViewsScratch scratch;
  if (!analysis::BuildView(peer, 0, track, config, &scratch, &v)) return std::nullopt;
  const analysis::Col col = concealment ? analysis::kConcealPct
                            : total     ? analysis::kBitrate
                                        : analysis::kFps;
  if (!v.has(col)) return std::nullopt;
  return DerivedSeries{v.t(), v.col[col]};
}

}  // namespace callsight
