// A large session's activity over time (SessionActivity): joins, publishes and
// subscribes that succeeded and failed, bucket by bucket, and its participants
// by role. The attempts are those of the failure rates (logs.cpp), spread over
// the session's time.
#include <algorithm>
#include <array>

#include "analysis/internal.h"

namespace callsight::analysis {
namespace {

int64_t FloorTo(int64_t t, int64_t width) {
  const int64_t q = t / width - (t % width != 0 && t < 0);
  return q * width;
}

size_t BucketCount(int64_t start_ms, int64_t end_ms, int64_t width) {
  return static_cast<size_t>((end_ms - FloorTo(start_ms, width)) / width) + 1;
}

// The smallest bucket width from this list whose buckets, starting at a whole
// multiple of the width, cover [start_ms, end_ms] in at most
// kMaxActivityBuckets; beyond the list, whole hours.
int64_t BucketWidthMs(int64_t start_ms, int64_t end_ms) {
  constexpr std::array<int64_t, 10> kWidths = {10000,  15000,  30000,  60000,   120000,
                                               300000, 600000, 900000, 1800000, 3600000};
  for (int64_t w : kWidths) {
    if (BucketCount(start_ms, end_ms, w) <= kMaxActivityBuckets) return w;
  }
  const int64_t hours =
      (end_ms - start_ms) / (3600000 * static_cast<int64_t>(kMaxActivityBuckets - 1));
  int64_t w = (hours + 1) * 3600000;
  while (BucketCount(start_ms, end_ms, w) > kMaxActivityBuckets) w += 3600000;
  return w;
}

// The first sample of any of the track's layers; nullopt when it has none.
std::optional<int64_t> FirstSampleMs(const Track& track) {
  std::optional<int64_t> first;
  for (const Layer& layer : track.layers) {
    const std::vector<int64_t>& ts = layer.series.timestamps_ms;
    if (!ts.empty() && (!first || ts.front() < *first)) first = ts.front();
  }
  return first;
}

// The peer's first presence, else its first sample; nullopt for neither.
std::optional<int64_t> FirstSeenMs(const Peer& peer, const PeerAnalysis& pa) {
  if (pa.joined_ms) return pa.joined_ms;
  std::optional<int64_t> first;
  for (const Track& t : peer.tracks) {
    const std::optional<int64_t> f = FirstSampleMs(t);
    if (f && (!first || *f < *first)) first = f;
  }
  return first;
}

class ActivityCounter {
 public:
  ActivityCounter(int64_t start_ms, int64_t end_ms) {
    activity_.bucket_ms = BucketWidthMs(start_ms, end_ms);
    activity_.start_ms = FloorTo(start_ms, activity_.bucket_ms);
    activity_.buckets = BucketCount(start_ms, end_ms, activity_.bucket_ms);
    for (const char* op : {"connect", "join", "publish", "subscribe"}) {
      activity_.operations[op] = {std::vector<int>(activity_.buckets, 0),
                                  std::vector<int>(activity_.buckets, 0)};
    }
  }

  // `time_ms` nullopt: the session's first bucket (a success of unknown time).
  void Succeeded(const char* op, std::optional<int64_t> time_ms) {
    ++activity_.operations[op].succeeded[BucketOf(time_ms)];
  }
  void Failed(const std::string& op, int64_t time_ms) {
    auto it = activity_.operations.find(op);
    if (it != activity_.operations.end()) ++it->second.failed[BucketOf(time_ms)];
  }
  SessionActivity Take() { return std::move(activity_); }

 private:
  size_t BucketOf(std::optional<int64_t> time_ms) const {
    if (!time_ms || *time_ms < activity_.start_ms) return 0;
    const int64_t i = (*time_ms - activity_.start_ms) / activity_.bucket_ms;
    return std::min(static_cast<size_t>(i), activity_.buckets - 1);
  }

  SessionActivity activity_;
};

// Counts the successes as BuildLogs counts the attempts: joined peers, their
// published and received tracks (a peer known from events alone: its
// track.add.success events).
void CountSuccesses(const Session& session, const SessionAnalysis& sa, ActivityCounter* counter) {
  for (size_t i = 0; i < session.peers.size(); ++i) {
    const Peer& p = session.peers[i];
    const PeerAnalysis& pa = sa.peers[i];
    if (p.presence.empty() && p.tracks.empty()) {
      if (pa.published_tracks == 0) continue;
      for (const Event& e : session.events) {
        if (e.peer_id == p.peer_id && EventTypeIs(e, "track.add.success")) {
          counter->Succeeded("publish", e.time_ms);
        }
      }
      continue;
    }
    const std::optional<int64_t> seen = FirstSeenMs(p, pa);
    counter->Succeeded("connect", seen);
    counter->Succeeded("join", seen);
    for (const Track& t : p.tracks) {
      const std::optional<int64_t> first = FirstSampleMs(t);
      counter->Succeeded(t.direction == Direction::kPublisher ? "publish" : "subscribe",
                         first ? first : seen);
    }
  }
}

std::vector<RoleSummary> SummarizeRoles(const Session& session, const SessionAnalysis& sa) {
  std::map<std::string, RoleSummary> by_role;
  std::map<std::string, const std::string*> role_of;  // peer id -> role
  for (size_t i = 0; i < session.peers.size(); ++i) {
    const Peer& p = session.peers[i];
    RoleSummary& r = by_role[p.info.role];
    r.role = p.info.role;
    ++r.participants;
    r.with_issues += sa.peers[i].issue_count > 0;
    role_of[p.peer_id] = &r.role;
  }
  for (size_t i : sa.error_events) {
    auto it = role_of.find(session.events[i].peer_id);
    if (it != role_of.end()) ++by_role[*it->second].failures;
  }
  std::vector<RoleSummary> roles;
  for (auto& [name, r] : by_role) roles.push_back(std::move(r));
  std::stable_sort(roles.begin(), roles.end(), [](const RoleSummary& a, const RoleSummary& b) {
    return a.participants > b.participants;
  });
  return roles;
}

}  // namespace

std::optional<SessionActivity> DescribeActivity(const Session& session, const SessionAnalysis& sa) {
  if (session.peers.size() <= kLargeSessionParticipants) return std::nullopt;
  // Times beyond any real call (about 30,000 years apart) would overflow the
  // bucket arithmetic: such a session gets no activity.
  if (static_cast<double>(sa.end_ms) - static_cast<double>(sa.start_ms) > 1e15) return std::nullopt;
  ActivityCounter counter(sa.start_ms, std::max(sa.end_ms, sa.start_ms));
  CountSuccesses(session, sa, &counter);
  for (size_t i : sa.error_events) {
    const Event& e = session.events[i];
    counter.Failed(FailedOperationName(e.failed), e.time_ms);
  }
  SessionActivity activity = counter.Take();
  activity.roles = SummarizeRoles(session, sa);
  return activity;
}

}  // namespace callsight::analysis
