// The worst-peer ranking, top issues, meeting summaries, users and the
// verdict (ranking.h).
#include "analysis/ranking.h"

#include <algorithm>
#include <cmath>
#include <map>
#include <set>
#include <string>
#include <tuple>
#include <unordered_map>

namespace callsight {

const char* RankReasonName(RankReason r) {
  switch (r) {
    case RankReason::kOwnIssues:
      return "own_issues";
    case RankReason::kFailure:
      return "failure";
    case RankReason::kAffected:
      return "affected";
    case RankReason::kLowCqs:
      return "low_cqs";
  }
  return "own_issues";
}

const char* VerdictLevelName(VerdictLevel l) {
  switch (l) {
    case VerdictLevel::kOk:
      return "ok";
    case VerdictLevel::kInfo:
      return "info";
    case VerdictLevel::kWarning:
      return "warning";
    case VerdictLevel::kCritical:
      return "critical";
  }
  return "ok";
}

namespace analysis {
namespace {

constexpr double kGoodCqs = 3.0;  // SPEC band table: below 3 is fair or worse

using PeerPositions = std::unordered_map<std::string, size_t>;

PeerPositions PositionsOf(const Session& session) {
  PeerPositions pos;
  pos.reserve(session.peers.size());
  for (size_t i = 0; i < session.peers.size(); ++i) pos.emplace(session.peers[i].peer_id, i);
  return pos;
}

// Length of the union of [start, end] intervals.
int64_t CoveredMs(std::vector<Interval> spans) {
  std::sort(spans.begin(), spans.end(),
            [](const Interval& a, const Interval& b) { return a.start_ms < b.start_ms; });
  int64_t total = 0, open_start = 0, open_end = 0;
  bool open = false;
  for (const Interval& iv : spans) {
    if (open && iv.start_ms <= open_end) {
      open_end = std::max(open_end, iv.end_ms);
      continue;
    }
    if (open) total += open_end - open_start;
    open = true;
    open_start = iv.start_ms;
    open_end = std::max(iv.start_ms, iv.end_ms);
  }
  if (open) total += open_end - open_start;
  return total;
}

// Fills issues, severity, issue_ms and affected_by of every peer's entry.
void CountIssues(const std::vector<Issue>& issues, const PeerPositions& pos,
                 std::vector<RankedPeer>* entries) {
  std::vector<std::vector<Interval>> worst_spans(entries->size());
  for (const Issue& is : issues) {
    if (auto it = pos.find(is.peer_id); it != pos.end()) {
      RankedPeer& e = (*entries)[it->second];
      ++e.issues;
      if (!e.severity || is.severity > *e.severity) {
        e.severity = is.severity;
        worst_spans[it->second].clear();
      }
      if (is.severity == *e.severity) worst_spans[it->second].push_back({is.start_ms, is.end_ms});
    }
    for (const std::string& id : is.affected_peers) {
      auto jt = pos.find(id);
      if (jt != pos.end() && id != is.peer_id) ++(*entries)[jt->second].affected_by;
    }
  }
  for (size_t i = 0; i < entries->size(); ++i) (*entries)[i].issue_ms = CoveredMs(worst_spans[i]);
}

bool WorseThan(const RankedPeer& a, const RankedPeer& b, const Session& session) {
  if (a.reason != b.reason) return a.reason < b.reason;
  const int sa = a.severity ? static_cast<int>(*a.severity) : -1;
  const int sb = b.severity ? static_cast<int>(*b.severity) : -1;
  if (sa != sb) return sa > sb;
  if (a.issue_ms != b.issue_ms) return a.issue_ms > b.issue_ms;
  if (a.issues != b.issues) return a.issues > b.issues;
  if (a.failures != b.failures) return a.failures > b.failures;
  const double ca = std::isfinite(a.cqs) ? a.cqs : 1e9;
  const double cb = std::isfinite(b.cqs) ? b.cqs : 1e9;
  if (ca != cb) return ca < cb;
  if (a.affected_by != b.affected_by) return a.affected_by > b.affected_by;
  return session.peers[a.peer].peer_id < session.peers[b.peer].peer_id;
}

// Indices of the meetings [start, end] overlaps, or of the nearest one.
std::vector<size_t> MeetingsAt(const std::vector<Meeting>& meetings, int64_t start, int64_t end) {
  std::vector<size_t> out;
  size_t nearest = 0;
  int64_t best = INT64_MAX;
  for (size_t k = 0; k < meetings.size(); ++k) {
    const Meeting& m = meetings[k];
    if (start <= m.end_ms && end >= m.start_ms) out.push_back(k);
    const int64_t away = start > m.end_ms ? start - m.end_ms : m.start_ms - end;
    if (away < best) best = away, nearest = k;
  }
  if (out.empty() && !meetings.empty()) out.push_back(nearest);
  return out;
}

}  // namespace

std::vector<size_t> RankIssues(const std::vector<Issue>& issues, std::vector<size_t> candidates,
                               size_t limit) {
  auto key = [&](size_t i) {
    const Issue& is = issues[i];
    return std::make_tuple(-static_cast<int>(is.severity), -(is.end_ms - is.start_ms), is.start_ms,
                           i);
  };
  std::sort(candidates.begin(), candidates.end(),
            [&](size_t a, size_t b) { return key(a) < key(b); });
  if (candidates.size() > limit) candidates.resize(limit);
  return candidates;
}

std::optional<size_t> TopPairIssue(const std::vector<Issue>& issues,
                                   const std::vector<size_t>& candidates) {
  std::vector<size_t> paired;
  for (size_t i : candidates) {
    if (i < issues.size() && issues[i].pair) paired.push_back(i);
  }
  const std::vector<size_t> top = RankIssues(issues, std::move(paired), 1);
  if (top.empty()) return std::nullopt;
  return top.front();
}

std::vector<RankedPeer> RankPeers(const Session& session, const SessionAnalysis& sa) {
  const PeerPositions pos = PositionsOf(session);
  std::vector<RankedPeer> all(session.peers.size());
  for (size_t i = 0; i < all.size(); ++i) {
    all[i].peer = i;
    if (i < sa.peers.size()) all[i].cqs = sa.peers[i].cqs;
  }
  CountIssues(sa.issues, pos, &all);
  for (size_t k : sa.error_events) {
    if (k >= session.events.size()) continue;
    auto it = pos.find(session.events[k].peer_id);
    if (it != pos.end()) ++all[it->second].failures;
  }
  std::vector<RankedPeer> ranked;
  for (RankedPeer& e : all) {
    if (e.issues > 0) {
      e.reason = RankReason::kOwnIssues;
    } else if (e.failures > 0) {
      e.reason = RankReason::kFailure;
    } else if (e.affected_by > 0) {
      e.reason = RankReason::kAffected;
    } else if (std::isfinite(e.cqs) && e.cqs < kGoodCqs) {
      e.reason = RankReason::kLowCqs;
    } else {
      continue;
    }
    ranked.push_back(e);
  }
  std::sort(ranked.begin(), ranked.end(),
            [&](const RankedPeer& a, const RankedPeer& b) { return WorseThan(a, b, session); });
  return ranked;
}

Verdict JudgeSession(const Session& session, const SessionAnalysis& sa) {
  Verdict v;
  v.peers = static_cast<int>(session.peers.size());
  for (const Issue& is : sa.issues) ++v.issues.count[static_cast<int>(is.severity)];
  for (size_t k : sa.error_events) {
    if (k >= session.events.size()) continue;
    ++v.failures;
    v.terminal_failures += session.events[k].is_terminal;
  }
  for (const RankedPeer& e : sa.worst_peers) {
    (e.reason == RankReason::kLowCqs ? v.low_cqs_peers : v.affected_peers)++;
  }
  for (const PeerAnalysis& pa : sa.peers)
    v.never_joined += pa.attendance == Attendance::kNeverJoined;
  if (v.issues.of(Severity::kCritical) > 0 || v.terminal_failures > 0) {
    v.level = VerdictLevel::kCritical;
  } else if (v.issues.of(Severity::kWarning) > 0 || v.failures > 0) {
    v.level = VerdictLevel::kWarning;
  } else if (v.issues.of(Severity::kInfo) > 0 || v.low_cqs_peers > 0) {
    v.level = VerdictLevel::kInfo;
  }
  return v;
}

void SummarizeMeetings(const Session& session, SessionAnalysis* sa) {
  std::vector<Meeting>& meetings = sa->meetings;
  std::vector<std::vector<size_t>> issues_of(meetings.size());
  // Per meeting, the peers with a problem there: owners of its issues, peers
  // that suffered from them, peers with error events in it.
  std::vector<std::set<size_t>> troubled(meetings.size());
  const PeerPositions pos = PositionsOf(session);
  auto add_peer = [&](const std::string& id, const std::vector<size_t>& in) {
    auto it = pos.find(id);
    if (it == pos.end()) return;
    for (size_t k : in) troubled[k].insert(it->second);
  };
  for (size_t i = 0; i < sa->issues.size(); ++i) {
    const Issue& is = sa->issues[i];
    const std::vector<size_t> in = MeetingsAt(meetings, is.start_ms, is.end_ms);
    for (size_t k : in) {
      issues_of[k].push_back(i);
      ++meetings[k].issues.count[static_cast<int>(is.severity)];
    }
    add_peer(is.peer_id, in);
    for (const std::string& id : is.affected_peers) add_peer(id, in);
  }
  for (size_t e : sa->error_events) {
    if (e >= session.events.size()) continue;
    const Event& ev = session.events[e];
    add_peer(ev.peer_id, MeetingsAt(meetings, ev.time_ms, ev.time_ms));
  }
  for (size_t k = 0; k < meetings.size(); ++k) {
    Meeting& m = meetings[k];
    m.top_issues = RankIssues(sa->issues, issues_of[k], 5);
    m.top_pair = TopPairIssue(sa->issues, issues_of[k]);
    m.worst_peers.clear();
    for (size_t r = 0; r < sa->worst_peers.size(); ++r) {
      const RankedPeer& e = sa->worst_peers[r];
      const std::string& id = session.peers[e.peer].peer_id;
      const bool in = e.reason == RankReason::kLowCqs
                          ? std::find(m.peer_ids.begin(), m.peer_ids.end(), id) != m.peer_ids.end()
                          : troubled[k].count(e.peer) > 0;
      if (in) m.worst_peers.push_back(r);
    }
  }
}

std::vector<UserPeers> GroupUsers(const Session& session) {
  std::vector<UserPeers> users;
  std::map<std::string, size_t> index;
  for (const Peer& p : session.peers) {
    if (p.info.user_id.empty()) continue;
    auto [it, added] = index.emplace(p.info.user_id, users.size());
    if (added) users.push_back(UserPeers{p.info.user_id, "", {}});
    UserPeers& u = users[it->second];
    if (u.name.empty()) u.name = p.info.name;
    u.peer_ids.push_back(p.peer_id);
  }
  return users;
}

}  // namespace analysis
}  // namespace callsight
