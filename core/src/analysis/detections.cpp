// Detections: names, shared helpers, and the session-wide ones (session
// degradation, repeated rejoins). The media ones are in detections_media.cpp.
#include "analysis/detections.h"

#include <algorithm>
#include <functional>
#include <iterator>
#include <limits>
#include <map>
#include <set>
#include <string_view>
#include <tuple>

#include "util/parallel.h"

namespace callsight::analysis {
namespace {

// How an input event bears on presence, read from Event::type in this one
// place (case-insensitive).
enum class PresenceMark : uint8_t { kNone, kJoin, kDrop };

PresenceMark MarkOf(const Event& e) {
  if (EventTypeIs(e, "peer.join.success")) return PresenceMark::kJoin;
  if (EventTypeIs(e, "peer.leave.success") || EventTypeIs(e, "client.disconnected")) {
    return PresenceMark::kDrop;
  }
  return PresenceMark::kNone;
}

// A breach that counts for session degradation: as an issue would (two
// samples, and issue_min_samples or issue_min_ms).
bool Counts(const Breach& b, const Config& config) {
  if (b.samples < 2) return false;
  return b.samples >= static_cast<size_t>(config.issue_min_samples) ||
         b.end_ms - b.start_ms >= config.issue_min_ms;
}

}  // namespace

const char* DetectionKindName(DetectionKind k) {
  static const char* const kNames[kDetectionKindCount] = {"low_received_fps",
                                                          "nothing_received",
                                                          "low_received_audio_mos",
                                                          "session_degradation",
                                                          "bitrate_collapse",
                                                          "repeated_rejoins",
                                                          "cpu_limited_video",
                                                          "bandwidth_limited_video",
                                                          "long_freeze",
                                                          "resolution_drop",
                                                          "high_jitter_buffer_delay",
                                                          "received_stream_stalled",
                                                          "periodic_jitter_buffer_flushes",
                                                          "cpu_pressure"};
  const int i = static_cast<int>(k);
  return i >= 0 && i < kDetectionKindCount ? kNames[i] : "";
}

BreachFamily FamilyOf(const Breach& b) {
  switch (b.metric) {
    case BreachMetric::kPacketLoss:
      return BreachFamily::kLoss;
    case BreachMetric::kRtt:
    case BreachMetric::kJitter:
      return BreachFamily::kDelay;
    case BreachMetric::kFps:
    case BreachMetric::kVideoBitrateTotal:
    case BreachMetric::kFreezeCount:
      return b.kind == MediaKind::kScreen ? BreachFamily::kNone : BreachFamily::kVideoQuality;
    case BreachMetric::kConcealment:
    case BreachMetric::kMos:
      return BreachFamily::kAudio;
    case BreachMetric::kLayerOff:
    case BreachMetric::kAudioBitrate:
    case BreachMetric::kMediaGap:
      break;
  }
  return BreachFamily::kNone;
}

namespace detect {

bool CanExplainReceivedAudio(const Breach& b) {
  const BreachMetric m = b.metric;
  return m == BreachMetric::kPacketLoss || m == BreachMetric::kRtt || m == BreachMetric::kJitter ||
         m == BreachMetric::kMos;
}

bool CanExplainReceivedVideo(const Breach& b) {
  const BreachMetric m = b.metric;
  return m == BreachMetric::kPacketLoss || m == BreachMetric::kVideoBitrateTotal ||
         m == BreachMetric::kFps || m == BreachMetric::kLayerOff;
}

std::vector<BadRun> FindBadRuns(const std::vector<int64_t>& t, int64_t spacing_ms,
                                const std::vector<signed char>& state) {
  // The breaches' run rule (FindRuns: one clean sample bridged, a silence
  // longer than 2.5 spacings splits) over a state per sample.
  Samples values(std::min(state.size(), t.size()));
  for (size_t i = 0; i < values.size(); ++i) {
    values[i] = state[i] < 0 ? std::numeric_limits<float>::quiet_NaN() : state[i];
  }
  std::vector<BadRun> runs;
  for (const Run& r :
       FindRuns(t, values, spacing_ms, true, [](float x) { return x > 0 ? 1 : 0; })) {
    runs.push_back(BadRun{r.first, r.last, r.samples});
  }
  return runs;
}

long NearestWalker::Next(int64_t t) {
  while (pos_ < ts_.size() && ts_[pos_] < t) ++pos_;
  long best = -1;
  int64_t best_d = tolerance_ + 1;
  if (pos_ < ts_.size() && ts_[pos_] - t < best_d) {
    best = static_cast<long>(pos_);
    best_d = ts_[pos_] - t;
  }
  if (pos_ > 0 && t - ts_[pos_ - 1] < best_d) best = static_cast<long>(pos_) - 1;
  return best;
}

bool PresentAt(const Peer& peer, int64_t t) {
  if (!peer.presence.empty()) {
    for (const Interval& iv : peer.presence) {
      if (iv.start_ms <= t && t <= iv.end_ms) return true;
    }
    return false;
  }
  int64_t a = 0, b = 0;
  return PresenceOf(peer, &a, &b) && a <= t && t <= b;
}

void SortUnique(std::vector<std::string>* v) {
  std::sort(v->begin(), v->end());
  v->erase(std::unique(v->begin(), v->end()), v->end());
}

}  // namespace detect

namespace {

// One counted breach start for session degradation.
struct Start {
  int64_t t;
  const Breach* b;
  std::string_view blame;  // the sender of a received track, or the peer's own id
};

// Whether one peer accounts for most of the breaches (most_share): the
// senders of received tracks, or a publisher itself.
bool OneToBlame(const std::vector<const Start*>& starts, double most_share) {
  std::map<std::string_view, size_t> count;
  size_t most = 0;
  for (const Start* s : starts) most = std::max(most, ++count[s->blame]);
  return static_cast<double>(most) >= most_share * static_cast<double>(starts.size());
}

// The degradation of the starts [from, ...) within the span, if they make one.
bool Degradation(const Session& session, const std::vector<Start>& starts, size_t from,
                 BreachFamily family, const Config& config, Detection* out) {
  const DetectionConfig& dc = config.detections;
  const int64_t anchor = starts[from].t;
  std::vector<const Start*> in;
  std::vector<std::string> peers;
  for (size_t i = from; i < starts.size() && starts[i].t <= anchor + dc.degradation_span_ms; ++i) {
    in.push_back(&starts[i]);
    peers.push_back(starts[i].b->peer_id);
  }
  detect::SortUnique(&peers);
  if (peers.size() < static_cast<size_t>(dc.degradation_min_peers)) return false;  // cheap first
  size_t present = 0;
  for (const Peer& p : session.peers) {
    if (detect::PresentAt(p, anchor) || std::binary_search(peers.begin(), peers.end(), p.peer_id))
      ++present;
  }
  const double need = std::max<double>(dc.degradation_min_peers,
                                       dc.degradation_share * static_cast<double>(present));
  if (static_cast<double>(peers.size()) < need || OneToBlame(in, dc.most_share)) return false;
  Detection d;
  d.kind = DetectionKind::kSessionDegradation;
  d.family = family;
  d.start_ms = anchor;
  d.end_ms = anchor;
  std::set<std::string_view> critical;
  for (const Start* s : in) {
    d.end_ms = std::max(d.end_ms, s->b->end_ms);
    if (s->b->severity == Severity::kCritical) critical.insert(s->b->peer_id);
  }
  d.severity = critical.size() * 2 >= peers.size() ? Severity::kCritical : Severity::kWarning;
  d.samples = in.size();
  d.peers_total = present;
  d.value = static_cast<double>(peers.size()) / static_cast<double>(present);
  d.threshold = dc.degradation_share;
  d.peers = std::move(peers);
  *out = std::move(d);
  return true;
}

}  // namespace

namespace {

// A received track: its sender and sample spacing.
struct Received {
  std::string_view sender;
  int64_t spacing_ms;
};
using ReceivedTracks = std::map<std::pair<std::string_view, std::string_view>, Received>;

// Whether the sender's own counted uplink breaches explain a receiver's
// breach (the causal pairs of issue 19 item 5, overlapping in time): then it
// is that sender's trouble, not one more peer degrading.
bool ExplainedBySender(const Breach& b, const Received& rx,
                       const std::map<std::string_view, std::vector<const Breach*>>& sent_by) {
  auto it = sent_by.find(rx.sender);
  if (it == sent_by.end()) return false;
  return std::any_of(it->second.begin(), it->second.end(), [&](const Breach* s) {
    return CanCause(s->metric, b.metric) && SameMedia(*s, b) &&
           s->start_ms <= b.end_ms + rx.spacing_ms && b.start_ms <= s->end_ms + rx.spacing_ms;
  });
}

}  // namespace

std::vector<Detection> FindSessionDegradation(const Session& session,
                                              const std::vector<TrackView>& views,
                                              const std::vector<Breach>& breaches,
                                              const Config& config) {
  ReceivedTracks received;
  for (const TrackView& v : views) {
    if (v.tr->direction == Direction::kSubscriber)
      received[{v.p->peer_id, v.tr->track_id}] = {v.tr->remote_peer_id, v.spacing_ms};
  }
  std::map<std::string_view, std::vector<const Breach*>> sent_by;
  for (const Breach& b : breaches) {
    if (b.direction == Direction::kPublisher && Counts(b, config)) sent_by[b.peer_id].push_back(&b);
  }
  std::map<BreachFamily, std::vector<Start>> by_family;
  for (const Breach& b : breaches) {
    const BreachFamily f = FamilyOf(b);
    if (f == BreachFamily::kNone || !Counts(b, config)) continue;
    std::string_view blame = b.peer_id;
    if (b.direction == Direction::kSubscriber) {
      auto it = received.find({b.peer_id, b.track_id});
      if (it != received.end() && !it->second.sender.empty()) {
        if (ExplainedBySender(b, it->second, sent_by)) continue;
        blame = it->second.sender;
      }
    }
    by_family[f].push_back({b.start_ms, &b, blame});
  }
  std::vector<Detection> out;
  for (auto& [family, starts] : by_family) {
    std::stable_sort(starts.begin(), starts.end(),
                     [](const Start& a, const Start& b) { return a.t < b.t; });
    for (size_t i = 0; i < starts.size();) {
      Detection d;
      if (!Degradation(session, starts, i, family, config, &d)) {
        ++i;
        continue;
      }
      const int64_t next = starts[i].t + config.detections.degradation_span_ms;
      // One degradation is one detection: a family whose span overlaps one
      // already found (families come in enum order, causes first: loss,
      // delay, then the video and audio they damage) is the same event.
      const bool same_event = std::any_of(out.begin(), out.end(), [&](const Detection& o) {
        return d.start_ms <= o.end_ms && o.start_ms <= d.end_ms;
      });
      if (!same_event) out.push_back(std::move(d));
      while (i < starts.size() && starts[i].t <= next) ++i;
    }
  }
  return out;
}

namespace {

// One leave-or-drop followed by a join of the same user.
struct Cycle {
  int64_t drop_ms;
  int64_t return_ms;
  std::string_view peer;  // the peer id the user came back with
};

// The user a peer belongs to: its user id, else its peer id.
const std::string& UserKey(const Peer& p) {
  return p.info.user_id.empty() ? p.peer_id : p.info.user_id;
}

// Joins of the same peer this close are one join (a join event and the
// presence interval it started).
constexpr int64_t kSameJoinMs = 2000;

// The cycles of one user's peers, from presence intervals and events. Every
// join after the user's first (a new presence interval, a join event, or a
// new peer id) returns from a cycle; the cycle's drop is the latest leave,
// disconnect or presence end since the previous join, else the join itself
// (a new peer id while the old one had not been seen leaving yet).
using EventsByPeer = std::map<std::string_view, std::vector<const Event*>>;

std::vector<Cycle> CyclesOf(const EventsByPeer& events, const std::vector<const Peer*>& peers) {
  std::vector<std::pair<int64_t, std::string_view>> joins;
  std::vector<int64_t> drops;
  for (const Peer* p : peers) {
    std::vector<Interval> presence = p->presence;
    int64_t a = 0, b = 0;
    if (presence.empty() && PresenceOf(*p, &a, &b)) presence.push_back({a, b});
    for (const Interval& iv : presence) {
      joins.push_back({iv.start_ms, p->peer_id});
      drops.push_back(iv.end_ms);
    }
    auto mine = events.find(p->peer_id);
    if (mine == events.end()) continue;
    for (const Event* e : mine->second) {
      const PresenceMark m = MarkOf(*e);
      if (m == PresenceMark::kJoin) joins.push_back({e->time_ms, p->peer_id});
      if (m == PresenceMark::kDrop) drops.push_back(e->time_ms);
    }
  }
  std::sort(joins.begin(), joins.end());
  std::sort(drops.begin(), drops.end());
  std::map<std::string_view, int64_t> last_join;  // per peer
  std::vector<Cycle> cycles;
  int64_t previous = INT64_MIN;
  for (const auto& [t, peer] : joins) {
    auto seen = last_join.find(peer);
    const bool same = seen != last_join.end() && t - seen->second <= kSameJoinMs;
    last_join[peer] = t;
    if (same) continue;
    if (previous != INT64_MIN) {
      // The latest drop in (previous, t].
      auto it = std::upper_bound(drops.begin(), drops.end(), t);
      const bool dropped = it != drops.begin() && *(it - 1) > previous;
      cycles.push_back({dropped ? *(it - 1) : t, t, peer});
    }
    previous = t;
  }
  return cycles;
}

}  // namespace

std::vector<Detection> FindRepeatedRejoins(const Session& session, const Config& config) {
  const DetectionConfig& dc = config.detections;
  std::map<std::string, std::vector<const Peer*>> users;
  for (const Peer& p : session.peers) users[UserKey(p)].push_back(&p);
  EventsByPeer events;
  for (const Event& e : session.events) {
    if (MarkOf(e) != PresenceMark::kNone) events[e.peer_id].push_back(&e);
  }
  std::vector<Detection> out;
  const size_t n = static_cast<size_t>(std::max(dc.rejoin_cycles, 1));
  for (const auto& [user, peers] : users) {
    const std::vector<Cycle> cycles = CyclesOf(events, peers);
    for (size_t i = 0; i + n <= cycles.size();) {
      if (cycles[i + n - 1].return_ms - cycles[i].drop_ms > dc.rejoin_window_ms) {
        ++i;
        continue;
      }
      size_t j = i + n - 1;  // extend while each n cycles fit the window
      while (j + 1 < cycles.size() &&
             cycles[j + 1].return_ms - cycles[j + 2 - n].drop_ms <= dc.rejoin_window_ms) {
        ++j;
      }
      Detection d;
      d.kind = DetectionKind::kRepeatedRejoins;
      d.start_ms = cycles[i].drop_ms;
      d.end_ms = cycles[j].return_ms;
      d.value = static_cast<double>(j - i + 1);
      d.threshold = static_cast<double>(n);
      d.user_id = peers.front()->info.user_id;
      // The peer id of the last return: a join event (whole seconds) may come
      // up to kSameJoinMs before the presence it starts.
      d.peer_id = std::string(cycles[j].peer);
      d.peers.push_back(d.peer_id);
      for (const Peer* p : peers) {
        int64_t a = 0, b = 0;
        if (!PresenceOf(*p, &a, &b) || b < d.start_ms || a > d.end_ms + kSameJoinMs) continue;
        d.peers.push_back(p->peer_id);
      }
      detect::SortUnique(&d.peers);
      out.push_back(std::move(d));
      i = j + 1;
    }
  }
  return out;
}

std::vector<Detection> FindDetections(const Session& session, const std::vector<TrackView>& views,
                                      const std::vector<Breach>& breaches, const Config& config,
                                      int threads) {
  // Each finder reads only the session, the views and the breaches: they run
  // side by side, and their findings are joined in this fixed order.
  const std::function<std::vector<Detection>()> finders[] = {
      [&] { return FindLowReceivedFps(views, breaches, config); },
      [&] { return FindNothingReceived(views, config); },
      [] { return std::vector<Detection>(); },  // received-audio MOS: in parts, below
      [&] { return FindSessionDegradation(session, views, breaches, config); },
      [&] { return FindBitrateCollapse(views, config); },
      [&] { return FindRepeatedRejoins(session, config); },
      [&] { return FindQualityLimited(session); },
      [&] { return FindLongFreezes(views, breaches); },
      [&] { return FindResolutionDrops(session); },
      [&] { return FindHighJitterBufferDelay(session); },
      [&] { return FindReceivedStreamStalls(session); },
      [&] { return FindPeriodicJitterBufferFlushes(session); },
      [&] { return FindCpuPressure(session); },
  };
  constexpr size_t kKinds = std::size(finders), kMos = 2;
  // The received-audio MOS is most of the finders' work (a MOS per received
  // audio sample: 176 M of the 218 M instructions the finders run on the bench
  // session, callgrind): as one task it kept one thread busy long after the
  // others were done. Its views are split in parts, run first.
  constexpr size_t kMosParts = 4;
  std::vector<std::vector<Detection>> found(kKinds), mos_runs(kMosParts);
  ParallelFor(kMosParts + kKinds, threads, [&](size_t task) {
    if (task < kMosParts) {
      const size_t n = views.size();
      mos_runs[task] = FindLowReceivedAudioMosRuns(views, breaches, config, n * task / kMosParts,
                                                   n * (task + 1) / kMosParts);
    } else {
      found[task - kMosParts] = finders[task - kMosParts]();
    }
  });
  std::vector<Detection> runs;
  for (std::vector<Detection>& part : mos_runs) {
    for (Detection& d : part) runs.push_back(std::move(d));
  }
  found[kMos] = MergeLowReceivedAudioMos(std::move(runs), views, config);
  std::vector<Detection> out;
  for (std::vector<Detection>& some : found) {
    for (Detection& d : some) out.push_back(std::move(d));
  }
  std::stable_sort(out.begin(), out.end(), [](const Detection& a, const Detection& b) {
    return std::tie(a.start_ms, a.kind, a.peer_id) < std::tie(b.start_ms, b.kind, b.peer_id);
  });
  return out;
}

}  // namespace callsight::analysis
