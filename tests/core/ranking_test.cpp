// The worst-peer ranking, top issues, meeting summaries, users and the
// verdict (core/src/analysis/ranking.cpp).
#include "analysis/ranking.h"

#include <catch2/catch.hpp>
#include <string>
#include <vector>

#include "callsight/analysis.h"

using namespace callsight;

namespace {

constexpr int64_t kT0 = 1700000000000LL;
constexpr int64_t kS = 1000;

Issue IssueOf(const std::string& peer, Severity sev, int64_t from_s, int64_t to_s) {
  Issue is;
  is.code = IssueCode::kHighPacketLoss;
  is.severity = sev;
  is.peer_id = peer;
  is.start_ms = kT0 + from_s * kS;
  is.end_ms = kT0 + to_s * kS;
  return is;
}

Event ErrorEvent(const std::string& peer, int64_t at_s, const std::string& action, bool terminal) {
  Event e;
  e.time_ms = kT0 + at_s * kS;
  e.peer_id = peer;
  e.type = "client." + action + ".failed";
  e.is_error = true;
  e.action = action;
  e.is_terminal = terminal;
  return e;
}

// Peers a..h with the given CQS, all present for the whole 10 minutes.
struct Ranked {
  Session session;
  SessionAnalysis sa;

  explicit Ranked(const std::vector<std::pair<std::string, double>>& peers) {
    session.session_id = "s";
    for (const auto& [id, cqs] : peers) {
      Peer p;
      p.peer_id = id;
      session.peers.push_back(p);
      PeerAnalysis pa;
      pa.peer_id = id;
      pa.cqs = cqs;
      pa.presence = {{kT0, kT0 + 600 * kS}};
      sa.peers.push_back(pa);
    }
  }
  void AddError(const Event& e) {
    sa.error_events.push_back(session.events.size());
    session.events.push_back(e);
  }
  std::vector<std::string> Order() {
    sa.worst_peers = analysis::RankPeers(session, sa);
    std::vector<std::string> ids;
    for (const RankedPeer& e : sa.worst_peers) ids.push_back(session.peers[e.peer].peer_id);
    return ids;
  }
};

}  // namespace

TEST_CASE("ranking: own issues by severity, covered time, then CQS; then the rest", "[ranking]") {
  Ranked r({{"a", 2.0},
            {"b", 4.5},
            {"c", 4.6},
            {"d", 4.0},
            {"e", 3.5},
            {"f", 2.5},
            {"g", 4.5},
            {"h", 1.5}});
  r.sa.issues = {
      IssueOf("a", Severity::kWarning, 0, 300),
      // b: two separate critical issues covering 130 s.
      IssueOf("b", Severity::kCritical, 0, 100),
      IssueOf("b", Severity::kCritical, 200, 230),
      // c: two overlapping critical issues covering 120 s (150 s if summed).
      IssueOf("c", Severity::kCritical, 0, 120),
      IssueOf("c", Severity::kCritical, 90, 120),
      // c's long warning does not count against its critical time.
      IssueOf("c", Severity::kWarning, 0, 600),
      IssueOf("h", Severity::kWarning, 0, 300),
  };
  r.sa.issues[0].affected_peers = {"e"};
  r.AddError(ErrorEvent("d", 30, "track.add", false));
  const std::vector<std::string> order = r.Order();
  // b (critical 130 s) > c (critical 120 s) > h (warning 300 s, CQS 1.5) > a (the
  // same, CQS 2.0) > d (an error event) > e (affected by a's issue) > f (CQS 2.5);
  // g (CQS 4.5, nothing) is not listed.
  CHECK(order == std::vector<std::string>{"b", "c", "h", "a", "d", "e", "f"});
  const std::vector<RankedPeer>& w = r.sa.worst_peers;
  CHECK(w[0].issue_ms == 130 * kS);
  CHECK(w[1].issue_ms == 120 * kS);
  CHECK(w[1].issues == 3);
  CHECK(*w[1].severity == Severity::kCritical);
  CHECK(w[4].reason == RankReason::kFailure);
  CHECK(w[4].failures == 1);
  CHECK_FALSE(w[4].severity.has_value());
  CHECK(w[5].reason == RankReason::kAffected);
  CHECK(w[5].affected_by == 1);
  CHECK(w[6].reason == RankReason::kLowCqs);
  CHECK(std::string(RankReasonName(w[6].reason)) == "low_cqs");
}

TEST_CASE("ranking: top issues are the most severe, then the longest", "[ranking]") {
  const std::vector<Issue> issues = {
      IssueOf("a", Severity::kWarning, 0, 600),   IssueOf("b", Severity::kCritical, 10, 10),
      IssueOf("c", Severity::kInfo, 0, 600),      IssueOf("d", Severity::kCritical, 20, 80),
      IssueOf("e", Severity::kWarning, 100, 130), IssueOf("f", Severity::kWarning, 5, 35),
  };
  CHECK(analysis::RankIssues(issues, {0, 1, 2, 3, 4, 5}, 5) ==
        std::vector<size_t>{3, 1, 0, 5, 4});  // f and e last by start
  CHECK(analysis::RankIssues(issues, {2, 4}, 5) == std::vector<size_t>{4, 2});
}

TEST_CASE("ranking: the verdict is never ok with a failure event alone", "[ranking][verdict]") {
  Ranked r({{"a", 4.5}, {"b", 4.5}});
  r.sa.worst_peers = analysis::RankPeers(r.session, r.sa);
  CHECK(analysis::JudgeSession(r.session, r.sa).level == VerdictLevel::kOk);

  r.AddError(ErrorEvent("b", 30, "track.add", false));  // an action that gives no issue
  r.sa.worst_peers = analysis::RankPeers(r.session, r.sa);
  Verdict v = analysis::JudgeSession(r.session, r.sa);
  CHECK(v.level == VerdictLevel::kWarning);
  CHECK(v.failures == 1);
  CHECK(v.terminal_failures == 0);
  CHECK(v.affected_peers == 1);
  CHECK(v.issues.total() == 0);

  r.session.events[0].is_terminal = true;
  r.sa.worst_peers = analysis::RankPeers(r.session, r.sa);
  v = analysis::JudgeSession(r.session, r.sa);
  CHECK(v.level == VerdictLevel::kCritical);
  CHECK(std::string(VerdictLevelName(v.level)) == "critical");

  // Info issues only: info; a warning issue: warning.
  Ranked i({{"a", 4.5}});
  i.sa.issues = {IssueOf("a", Severity::kInfo, 0, 10)};
  i.sa.worst_peers = analysis::RankPeers(i.session, i.sa);
  CHECK(analysis::JudgeSession(i.session, i.sa).level == VerdictLevel::kInfo);
  i.sa.issues.push_back(IssueOf("a", Severity::kWarning, 0, 10));
  CHECK(analysis::JudgeSession(i.session, i.sa).level == VerdictLevel::kWarning);
}

TEST_CASE("ranking: the verdict from a whole analysis with a failure event alone",
          "[ranking][verdict]") {
  Session s;
  s.session_id = "s";
  Peer p;
  p.peer_id = "p";
  p.presence = {{kT0, kT0 + 600 * kS}};
  s.peers = {p};
  s.events = {ErrorEvent("p", 30, "track.add", false)};
  SessionSet set;
  set.sessions.push_back(s);
  const Analysis a = Analyze(set, Config{});
  const SessionAnalysis& sa = a.sessions.at(0);
  CHECK(sa.issues.empty());
  CHECK(sa.verdict.level == VerdictLevel::kWarning);
  REQUIRE(sa.worst_peers.size() == 1);
  CHECK(sa.worst_peers[0].reason == RankReason::kFailure);
}

TEST_CASE("ranking: meeting summaries take their issues and worst peers", "[ranking]") {
  Ranked r({{"a", 4.5}, {"b", 4.5}, {"c", 2.0}, {"ghost", kUnset}});
  r.sa.peers[1].presence = {{kT0 + 3000 * kS, kT0 + 3600 * kS}};  // b: second meeting only
  r.sa.peers[2].presence = {{kT0, kT0 + 600 * kS}};
  r.sa.peers[3].presence.clear();
  Meeting m0, m1;
  m0.start_ms = kT0;
  m0.end_ms = kT0 + 600 * kS;
  m0.peer_ids = {"a", "c"};
  m1.index = 1;
  m1.start_ms = kT0 + 3000 * kS;
  m1.end_ms = kT0 + 3600 * kS;
  m1.peer_ids = {"b"};
  r.sa.meetings = {m0, m1};
  r.sa.issues = {IssueOf("a", Severity::kWarning, 10, 60),
                 IssueOf("b", Severity::kCritical, 3100, 3200)};
  // The ghost's failed join comes a minute before the first meeting: nearest is m0.
  r.AddError(ErrorEvent("ghost", -60, "join", true));
  r.sa.worst_peers = analysis::RankPeers(r.session, r.sa);
  analysis::SummarizeMeetings(r.session, &r.sa);
  const Meeting& s0 = r.sa.meetings[0];
  const Meeting& s1 = r.sa.meetings[1];
  CHECK(s0.issues.of(Severity::kWarning) == 1);
  CHECK(s0.issues.of(Severity::kCritical) == 0);
  CHECK(s0.top_issues == std::vector<size_t>{0});
  CHECK(s1.top_issues == std::vector<size_t>{1});
  auto ids = [&](const Meeting& m) {
    std::vector<std::string> out;
    for (size_t k : m.worst_peers) out.push_back(r.session.peers[r.sa.worst_peers[k].peer].peer_id);
    return out;
  };
  // Ranking: b (critical), a (warning), ghost (failure), c (CQS 2.0).
  CHECK(ids(s0) == std::vector<std::string>{"a", "ghost", "c"});
  CHECK(ids(s1) == std::vector<std::string>{"b"});
}

TEST_CASE("ranking: users group the peer ids of one user_id", "[ranking]") {
  Session s;
  const char* rows[][3] = {
      {"p1", "u1", ""}, {"p2", "u2", "Bea"}, {"p3", "u1", "Al"}, {"p4", "", "Nobody"}};
  for (const auto& row : rows) {
    Peer p;
    p.peer_id = row[0];
    p.info.user_id = row[1];
    p.info.name = row[2];
    s.peers.push_back(p);
  }
  const std::vector<UserPeers> users = analysis::GroupUsers(s);
  REQUIRE(users.size() == 2);
  CHECK(users[0].user_id == "u1");
  CHECK(users[0].name == "Al");
  CHECK(users[0].peer_ids == std::vector<std::string>{"p1", "p3"});
  CHECK(users[1].peer_ids == std::vector<std::string>{"p2"});
}
