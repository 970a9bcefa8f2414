// A large session's activity over time (SessionAnalysis::activity): on
// hand-built sessions and on the generated webinar, whose truth says when its
// joins failed.
#include <catch2/catch.hpp>
#include <fstream>
#include <nlohmann/json.hpp>
#include <numeric>

#include "callsight/engine.h"
#include "core/test_util.h"

using namespace callsight;
using testing::EmptySession;
using testing::kT0;
using testing::ListDir;
using testing::ReadFile;
using json = nlohmann::json;

namespace {

int Sum(const std::vector<int>& v) { return std::accumulate(v.begin(), v.end(), 0); }

// n peers of role "viewer" (the first one "host"), peer i present from
// kT0 + i seconds to the session's end (kT0 + minutes).
Session PeersJoiningOneASecond(size_t n, int64_t minutes) {
  Session s = EmptySession(minutes);
  for (size_t i = 0; i < n; ++i) {
    Peer p;
    p.peer_id = "p" + std::to_string(i);
    p.info.role = i == 0 ? "host" : "viewer";
    p.presence.push_back({kT0 + static_cast<int64_t>(i) * 1000, *s.end_ms});
    s.peers.push_back(std::move(p));
  }
  return s;
}

Event JoinFailure(const std::string& peer, int64_t time_ms) {
  Event e;
  e.time_ms = time_ms;
  e.peer_id = peer;
  e.type = "client.join.failed";
  e.is_error = true;
  e.failed = FailedOperation::kJoin;
  return e;
}

SessionAnalysis AnalyzeOne(Session s) {
  SessionSet set;
  set.sessions.push_back(std::move(s));
  return Analyze(set, Config()).sessions.at(0);
}

// Every operation's buckets add up to its failure rate's attempts and failures.
void CheckAgreesWithFailureRates(const SessionAnalysis& sa) {
  REQUIRE(sa.activity);
  for (const auto& [op, counts] : sa.activity->operations) {
    INFO(op);
    REQUIRE(counts.succeeded.size() == sa.activity->buckets);
    REQUIRE(counts.failed.size() == sa.activity->buckets);
    const FailureRate& rate = sa.failure_rates.at(op);
    CHECK(Sum(counts.succeeded) + Sum(counts.failed) == rate.attempts);
    CHECK(Sum(counts.failed) == rate.failures);
  }
}

}  // namespace

TEST_CASE("activity: only sessions of more than 100 participants get one", "[activity]") {
  CHECK_FALSE(AnalyzeOne(PeersJoiningOneASecond(kLargeSessionParticipants, 5)).activity);
  CHECK(AnalyzeOne(PeersJoiningOneASecond(kLargeSessionParticipants + 1, 5)).activity);
}

TEST_CASE("activity: joins and failures land in the bucket of their time", "[activity]") {
  Session s = PeersJoiningOneASecond(120, 10);  // joins at 0..119 s
  s.events.push_back(JoinFailure("p7", kT0 + 65000));
  s.events.push_back(JoinFailure("p8", kT0 + 66000));
  const SessionAnalysis sa = AnalyzeOne(std::move(s));
  REQUIRE(sa.activity);
  const SessionActivity& a = *sa.activity;
  // 10 minutes: 10 s buckets from kT0 (a whole 10 s).
  CHECK(a.bucket_ms == 10000);
  CHECK(a.start_ms == kT0);
  CHECK(a.start_ms % a.bucket_ms == 0);
  CHECK(a.start_ms + static_cast<int64_t>(a.buckets) * a.bucket_ms > kT0 + 600000);
  CHECK(a.buckets <= kMaxActivityBuckets);
  const size_t first = static_cast<size_t>((kT0 - a.start_ms) / a.bucket_ms);
  const std::vector<int>& joined = a.operations.at("join").succeeded;
  int in_first_two_minutes = 0;
  for (size_t b = 0; b < joined.size(); ++b) in_first_two_minutes += joined[b] * (b < first + 13);
  CHECK(in_first_two_minutes == 120);
  const std::vector<int>& failed = a.operations.at("join").failed;
  const size_t at_65s = static_cast<size_t>((kT0 + 65000 - a.start_ms) / a.bucket_ms);
  CHECK(failed[at_65s] == 2);  // 65 s and 66 s: kT0 is on a whole 10 s
  CHECK(Sum(failed) == 2);
  CheckAgreesWithFailureRates(sa);
}

TEST_CASE("activity: a long session gets wider buckets, never more than 120", "[activity]") {
  const SessionAnalysis sa = AnalyzeOne(PeersJoiningOneASecond(101, 300));  // 5 h
  REQUIRE(sa.activity);
  CHECK(sa.activity->bucket_ms == 300000);  // 2 min would need 150 buckets
  CHECK(sa.activity->buckets <= kMaxActivityBuckets);
  CheckAgreesWithFailureRates(sa);
}

TEST_CASE("activity: participants by role, most first", "[activity]") {
  const SessionAnalysis sa = AnalyzeOne(PeersJoiningOneASecond(130, 5));
  REQUIRE(sa.activity);
  REQUIRE(sa.activity->roles.size() == 2);
  CHECK(sa.activity->roles[0].role == "viewer");
  CHECK(sa.activity->roles[0].participants == 129);
  CHECK(sa.activity->roles[1].role == "host");
  CHECK(sa.activity->roles[1].participants == 1);
}

TEST_CASE("activity: the generated webinar's burst of failed joins", "[activity][gen]") {
  const std::string dir = std::string(CALLSIGHT_GEN_DIR) + "/webinar";
  std::ifstream tf(dir + "/truth.json");
  REQUIRE(tf.good());
  const json truth = json::parse(tf);
  Engine engine;
  for (const auto& f : ListDir(dir + "/input")) engine.AddFile({f, ReadFile(dir + "/input/" + f)});
  engine.Run(Config());
  REQUIRE(engine.analysis().sessions.size() == 1);
  const SessionAnalysis& sa = engine.analysis().sessions[0];
  CheckAgreesWithFailureRates(sa);
  const SessionActivity& a = *sa.activity;
  // Each failed join of the truth, in the bucket of its time; no other.
  std::vector<int> want(a.buckets, 0);
  for (const json& e : truth["expected_issues"]) {
    if (e["code"] != "join_failed") continue;
    ++want[static_cast<size_t>((e["start_ms"].get<int64_t>() - a.start_ms) / a.bucket_ms)];
  }
  CHECK(Sum(want) >= 6);
  CHECK(a.operations.at("join").failed == want);
  // Every participant the truth names has a role, and the roles add up.
  int participants = 0;
  for (const RoleSummary& r : a.roles) participants += r.participants;
  CHECK(static_cast<size_t>(participants) == engine.model().sessions[0].peers.size());
}
