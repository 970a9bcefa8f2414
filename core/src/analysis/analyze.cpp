// Analyze(): runs the analysis steps for each session in order.
#include <algorithm>
#include <cstring>
#include <map>
#include <tuple>

#include "analysis/internal.h"
#include "analysis/ranking.h"
#include "analysis/stats.h"
#include "callsight/analysis.h"
#include "util/parallel.h"

namespace callsight {
namespace {

bool HigherIsWorse(Metric m) {
  return m != Metric::kBitrate && m != Metric::kFps && m != Metric::kFrameHeight;
}

std::string EndReason(const PeerInfo& info) {
  switch (info.end_reason_kind) {
    case LeaveReason::kClientRequest:
      return "left";
    case LeaveReason::kPeerKicked:
      return "removed";
    case LeaveReason::kWebsocketClosed:
    case LeaveReason::kIceConnectionStateClosed:
      return "disconnected";
    case LeaveReason::kServerRemovedPeer:
      return "removed from server";
    default:
      return info.end_reason;
  }
}

std::string TrackKey(const Track& t, const std::string& rid) {
  const char* direction = DirectionName(t.direction);
  std::string key;
  key.reserve(std::strlen(direction) + t.track_id.size() + rid.size() + 2);
  key.append(direction).append(1, '/').append(t.track_id).append(1, '/').append(rid);
  return key;
}

// The view of each track, if any: views_of[first[peer] + track], where
// first[p] counts the tracks of the peers before p. (Flat: one allocation,
// not a map node per track.)
class ViewIndex {
 public:
  ViewIndex(const Session& session, const std::vector<analysis::TrackView>& views) {
    first_.reserve(session.peers.size() + 1);
    size_t n = 0;
    for (const Peer& p : session.peers) {
      first_.push_back(n);
      n += p.tracks.size();
    }
    first_.push_back(n);
    view_.assign(n, nullptr);
    for (const analysis::TrackView& v : views) view_[first_[v.peer] + v.track] = &v;
  }
  const analysis::TrackView* Find(size_t peer, size_t track) const {
    return view_[first_[peer] + track];
  }

 private:
  std::vector<size_t> first_;
  std::vector<const analysis::TrackView*> view_;
};

// Present with presence intervals; never joined when its only events are
// failed joins or connects; else unknown (it did something a joined peer does,
// such as a failed publish, but the inputs say not when it was there).
Attendance AttendanceOf(const Session& session, const Peer& peer,
                        const std::vector<Interval>& presence) {
  if (!presence.empty()) return Attendance::kPresent;
  bool failed_to_join = false;
  for (const Event& e : session.events) {
    if (e.peer_id != peer.peer_id) continue;
    if (e.failed == FailedOperation::kJoin || e.failed == FailedOperation::kConnect) {
      failed_to_join = true;
    } else {
      return Attendance::kUnknown;
    }
  }
  return failed_to_join && peer.tracks.empty() ? Attendance::kNeverJoined : Attendance::kUnknown;
}

PeerAnalysis DescribePeer(const Session& session, const Peer& peer, const ViewIndex& views,
                          size_t peer_index, StatsScratch* scratch) {
  PeerAnalysis pa;
  pa.peer_id = peer.peer_id;
  pa.presence = analysis::PresenceIntervals(peer);
  if (!pa.presence.empty()) {
    pa.joined_ms = pa.presence.front().start_ms;
    pa.left_ms = pa.presence.back().end_ms;
  }
  for (const Interval& iv : pa.presence) pa.present_ms += iv.end_ms - iv.start_ms;
  pa.attendance = AttendanceOf(session, peer, pa.presence);
  pa.end_reason = EndReason(peer.info);
  for (size_t ti = 0; ti < peer.tracks.size(); ++ti) {
    const Track& t = peer.tracks[ti];
    if (t.direction == Direction::kPublisher) ++pa.published_tracks;
    const analysis::TrackView* view = views.Find(peer_index, ti);
    for (size_t li = 0; li < t.layers.size(); ++li) {
      const Series& s = t.layers[li].series;
      TrackAnalysis ta;
      ta.key = TrackKey(t, t.layers[li].rid);
      ta.track_index = ti;
      ta.layer_index = li;
      // Computed once per layer, when the views were built.
      const int64_t known = view ? view->LayerSpacingMs(li) : -1;
      ta.spacing_ms = known >= 0 ? known : SampleSpacingMs(s.timestamps_ms, scratch);
      ta.stats.reserve(kMetricCount + 2);
      for (int m = 0; m < kMetricCount; ++m) {
        Metric metric = static_cast<Metric>(m);
        if (s.has(metric)) {
          ta.stats.push_back(
              {MetricName(metric), ComputeStats(s.column(metric), HigherIsWorse(metric), scratch)});
        }
      }
      if (li == 0 && view) {
        const analysis::TrackView& v = *view;
        if (v.has(analysis::kConcealPct)) {
          ta.stats.push_back(
              {"concealment_percent", ComputeStats(v.col[analysis::kConcealPct], true, scratch)});
        }
        if (t.direction == Direction::kPublisher && t.kind == MediaKind::kVideo &&
            t.layers.size() > 1) {
          ta.stats.push_back(
              {"video_bitrate_total", ComputeStats(v.col[analysis::kBitrate], false, scratch)});
        }
      }
      std::sort(ta.stats.begin(), ta.stats.end(), [](const NamedStats& a, const NamedStats& b) {
        return std::strcmp(a.name, b.name) < 0;
      });
      pa.tracks.push_back(std::move(ta));
    }
  }
  // A peer known only from events still published what its track events say.
  if (peer.tracks.empty()) {
    for (const Event& e : session.events) {
      pa.published_tracks += e.peer_id == peer.peer_id && EventTypeIs(e, "track.add.success");
    }
  }
  return pa;
}

std::vector<size_t> AllIndices(size_t n) {
  std::vector<size_t> all(n);
  for (size_t i = 0; i < n; ++i) all[i] = i;
  return all;
}

// The samples of each "<direction>.<kind>.<metric>", pooled in place.
struct Pool {
  Direction direction;
  MediaKind kind;
  Metric metric;
  std::vector<const Samples*> columns;
  size_t samples = 0;
};

std::vector<Pool> PoolsOf(const Session& session) {
  using Key = std::tuple<Direction, MediaKind, Metric>;
  std::map<Key, Pool> pools;
  for (const Peer& peer : session.peers) {
    for (const Track& track : peer.tracks) {
      for (const Layer& layer : track.layers) {
        for (int m = 0; m < kMetricCount; ++m) {
          const Metric metric = static_cast<Metric>(m);
          const Samples& column = layer.series.column(metric);
          if (column.empty()) continue;
          Pool& pool = pools[Key{track.direction, track.kind, metric}];
          pool.direction = track.direction, pool.kind = track.kind, pool.metric = metric;
          pool.columns.push_back(&column);
          pool.samples += column.size();
        }
      }
    }
  }
  std::vector<Pool> out;
  for (auto& [key, pool] : pools) out.push_back(std::move(pool));
  return out;
}

// Each peer's PeerAnalysis (sa->peers) and the pooled statistics of the
// session's columns (sa->metrics), as one set of tasks on up to `threads`
// threads: a pool is a long task and a peer a short one, so the pools start
// first, largest first, and the peers fill in around them (as a step of
// their own, the pools left a thread idle while the largest one ran).
void DescribePeersAndPools(const Session& session, const ViewIndex& views, int threads,
                           SessionAnalysis* sa) {
  const std::vector<Pool> pools = PoolsOf(session);
  std::vector<size_t> largest_first = AllIndices(pools.size());
  std::stable_sort(largest_first.begin(), largest_first.end(),
                   [&](size_t a, size_t b) { return pools[a].samples > pools[b].samples; });
  std::vector<MetricStats> stats(pools.size());
  sa->peers.resize(session.peers.size());
  ParallelForWith<StatsScratch>(
      pools.size() + session.peers.size(), threads, [&](StatsScratch& scratch, size_t task) {
        if (task < pools.size()) {
          const Pool& pool = pools[largest_first[task]];
          stats[largest_first[task]] =
              ComputeStats(pool.columns, HigherIsWorse(pool.metric), &scratch);
        } else {
          const size_t i = task - pools.size();
          sa->peers[i] = DescribePeer(session, session.peers[i], views, i, &scratch);
        }
      });
  for (size_t i = 0; i < pools.size(); ++i) {
    sa->metrics.emplace(std::string(DirectionName(pools[i].direction)) + "." +
                            MediaKindName(pools[i].kind) + "." + MetricName(pools[i].metric),
                        stats[i]);
  }
}

}  // namespace

Analysis Analyze(const SessionSet& set, const Config& config, int threads) {
  Analysis result;
  for (const Session& session : set.sessions) {
    SessionAnalysis sa;
    sa.start_ms = session.start_ms.value_or(0);
    sa.end_ms = session.end_ms.value_or(sa.start_ms);
    std::vector<analysis::TrackView> views = analysis::BuildViews(session, config, threads);
    const ViewIndex by_track(session, views);
    DescribePeersAndPools(session, by_track, threads, &sa);
    for (const PeerAnalysis& pa : sa.peers) {
      sa.participant_minutes += static_cast<double>(pa.present_ms) / 60000.0;
    }
    sa.breaches = analysis::FindBreaches(views, config, threads);
    sa.issues = analysis::BuildIssues(session, views, &sa.breaches, config, threads);
    // Windows read the breaches' levels and attribution.
    analysis::ScoreWindows(session, views, sa.breaches, sa.issues, config, threads, &sa);
    // What the page charts and who receives whom (the report carries them).
    analysis::DescribeCharts(session, &sa);
    analysis::LinkReceivers(session, &sa);
    analysis::PairIssues(session, &sa);
    sa.meetings = analysis::FindMeetings(session, sa, config);
    for (const Issue& is : sa.issues) {
      for (PeerAnalysis& pa : sa.peers) pa.issue_count += pa.peer_id == is.peer_id;
    }
    analysis::BuildLogs(session, &sa);
    sa.activity = analysis::DescribeActivity(session, sa);
    sa.worst_peers = analysis::RankPeers(session, sa);
    sa.top_issues = analysis::RankIssues(sa.issues, AllIndices(sa.issues.size()), 5);
    sa.top_pair = analysis::TopPairIssue(sa.issues, AllIndices(sa.issues.size()));
    analysis::SummarizeMeetings(session, &sa);
    sa.verdict = analysis::JudgeSession(session, sa);
    sa.users = analysis::GroupUsers(session);
    result.sessions.push_back(std::move(sa));
  }
  for (const RoomEvents& room : set.unattached) {
    result.rooms.push_back(analysis::AnalyzeRoom(set, result, room));
  }
  result.charts = analysis::ChartRules(config);
  return result;
}

}  // namespace callsight
