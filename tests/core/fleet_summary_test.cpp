// The fleet summary (callsight/fleet.h): counts from hand-made tables, the
// summary of a generated session's tables, and bad input named.
#include <catch2/catch.hpp>
#include <map>
#include <nlohmann/json.hpp>
#include <set>
#include <string>

#include "callsight/fleet.h"
#include "test_util.h"

namespace callsight {
namespace {

using testing::LoadScenario;

// Three sessions on two days: s1 and s2 in room r1 on 2026-11-02, s3 in r2
// on 2026-11-03. Participants: s1 {a Safari, b Chrome}, s2 {c Safari,
// d Chrome, e (unknown browser)}, s3 {f Safari, g Chrome}. Issues:
// video_freeze on a, c, f (Safari, critical on c) and on d; high_rtt on g;
// an info issue on b.
std::array<std::string, kFleetTableCount> HandTables() {
  std::array<std::string, kFleetTableCount> t;
  const auto session = [](const char* id, const char* room, const char* day, double cqs,
                          int warning, int critical) {
    return std::string(R"({"session_id":")") + id + R"(","room_id":")" + room +
           R"(","started_at":")" + day + R"(T10:00:00.000Z","day":")" + day +
           R"(","participants":3,"participant_minutes":30,"cqs_mean":)" + std::to_string(cqs) +
           R"(,"issues":)" + std::to_string(warning + critical) + R"(,"issues_warning":)" +
           std::to_string(warning) + R"(,"issues_critical":)" + std::to_string(critical) +
           R"(,"verdict":"warning"})" + "\n";
  };
  t[0] = session("s1", "r1", "2026-11-02", 4.0, 1, 0) +
         session("s2", "r1", "2026-11-02", 3.0, 1, 1) +
         session("s3", "r2", "2026-11-03", 2.0, 2, 0);
  const auto peer = [](const char* s, const char* p, const char* browser, int failures,
                       int terminal) {
    return std::string(R"({"session_id":")") + s + R"(","peer_id":")" + p + R"(","browser":)" +
           (browser ? std::string("\"") + browser + "\"" : "null") +
           R"(,"os":null,"sdk_version":"1.0","role":"guest","failures":)" +
           std::to_string(failures) + R"(,"terminal_failures":)" + std::to_string(terminal) + "}\n";
  };
  t[1] = peer("s1", "a", "Safari", 0, 0) + peer("s1", "b", "Chrome", 1, 0) +
         peer("s2", "c", "Safari", 1, 1) + peer("s2", "d", "Chrome", 0, 0) +
         peer("s2", "e", nullptr, 0, 0) + peer("s3", "f", "Safari", 0, 0) +
         peer("s3", "g", "Chrome", 0, 0);
  int index = 0;
  const auto issue = [&index](const char* s, const char* p, const char* code, const char* sev) {
    return std::string(R"({"session_id":")") + s + R"(","issue_index":)" + std::to_string(index++) +
           R"(,"code":")" + code + R"(","severity":")" + sev + R"(","peer_id":")" + p + "\"}\n";
  };
  t[2] =
      issue("s1", "a", "video_freeze", "warning") + issue("s1", "b", "relayed_connection", "info") +
      issue("s2", "c", "video_freeze", "critical") + issue("s2", "d", "video_freeze", "warning") +
      issue("s3", "f", "video_freeze", "warning") + issue("s3", "g", "high_rtt", "warning");
  return t;
}

const FleetGroup* Group(const FleetSummary& s, const std::string& dim, const std::string& value) {
  for (const FleetBreakdown& b : s.breakdowns) {
    if (b.dimension != dim) continue;
    for (const FleetGroup& g : b.groups) {
      if (g.value == value) return &g;
    }
  }
  return nullptr;
}

TEST_CASE("fleet summary: totals, most common issues and shares", "[fleet]") {
  Result<FleetSummary> r = SummarizeFleet(HandTables());
  REQUIRE(r.ok());
  const FleetSummary& s = r.value();
  CHECK(s.sessions == 3);
  CHECK(s.participants == 7);
  CHECK(s.participant_minutes == Approx(90));
  REQUIRE(s.issues.size() == 3);
  const FleetIssue& top = s.issues[0];
  CHECK(top.code == "video_freeze");
  CHECK(top.count == 4);
  CHECK(top.sessions == 3);
  CHECK(top.participants == 4);
  CHECK(top.session_share == Approx(1.0));
  CHECK(top.participant_share == Approx(4.0 / 7));
  CHECK(top.critical_share == Approx(0.25));
  // high_rtt and relayed_connection: one session each, ordered by code.
  CHECK(s.issues[1].code == "high_rtt");
  CHECK(s.issues[2].code == "relayed_connection");
  // Failures: b and c had an error event, c a terminal one; s2 a critical issue.
  CHECK(s.participants_failed == 2);
  CHECK(s.terminal_share == Approx(1.0 / 7));
  CHECK(s.critical_session_share == Approx(1.0 / 3));
}

TEST_CASE("fleet summary: breakdowns are rates per group", "[fleet]") {
  Result<FleetSummary> r = SummarizeFleet(HandTables());
  REQUIRE(r.ok());
  const FleetSummary& s = r.value();
  const FleetGroup* safari = Group(s, "browser", "Safari");
  const FleetGroup* chrome = Group(s, "browser", "Chrome");
  const FleetGroup* unknown = Group(s, "browser", "");
  REQUIRE(safari);
  REQUIRE(chrome);
  REQUIRE(unknown);
  CHECK(safari->participants == 3);
  CHECK(safari->participants_affected == 3);
  CHECK(safari->affected_share == Approx(1.0));
  REQUIRE_FALSE(safari->issues.empty());
  CHECK(safari->issues[0].code == "video_freeze");
  CHECK(safari->issues[0].participant_share == Approx(1.0));
  // Chrome: b (info only: not affected), d (freeze), g (high_rtt).
  CHECK(chrome->participants == 3);
  CHECK(chrome->participants_affected == 2);
  CHECK(unknown->participants == 1);
  CHECK(unknown->participants_affected == 0);
  const FleetGroup* r1 = Group(s, "room", "r1");
  REQUIRE(r1);
  CHECK(r1->participants == 5);
  CHECK(r1->sessions == 2);
  // Groups smaller than kFleetMinGroup are not named as the most affected.
  for (const FleetBreakdown& b : s.breakdowns) {
    if (b.dimension == "browser") CHECK(b.most_affected.empty());
    if (b.dimension == "room") CHECK(b.most_affected == "r1");  // 5 participants, 3 with a freeze
    // Everyone is on SDK 1.0: its share is the fleet's, so it does not suffer most.
    if (b.dimension == "sdk_version") CHECK(b.most_affected.empty());
  }
}

TEST_CASE("fleet summary: days, worst day, worst sessions and rooms, since", "[fleet]") {
  Result<FleetSummary> r = SummarizeFleet(HandTables());
  REQUIRE(r.ok());
  const FleetSummary& s = r.value();
  REQUIRE(s.days.size() == 2);
  CHECK(s.days[0].day == "2026-11-02");
  CHECK(s.days[0].sessions == 2);
  CHECK(s.days[0].cqs_mean == Approx(3.5));
  CHECK(s.days[1].cqs_mean == Approx(2.0));
  CHECK(s.worst_day == "2026-11-03");
  REQUIRE(s.worst_sessions.size() == 3);
  CHECK(s.worst_sessions[0].session_id == "s3");
  CHECK(s.worst_sessions[2].session_id == "s1");
  REQUIRE(s.worst_rooms.size() == 2);
  CHECK(s.worst_rooms[0].room_id == "r2");

  Result<FleetSummary> since = SummarizeFleet(HandTables(), "2026-11-03");
  REQUIRE(since.ok());
  CHECK(since.value().sessions == 1);
  CHECK(since.value().participants == 2);
  REQUIRE(since.value().issues.size() == 2);
  CHECK_FALSE(SummarizeFleet(HandTables(), "2026-13-01").ok());
  CHECK_FALSE(SummarizeFleet(HandTables(), "yesterday").ok());
}

TEST_CASE("fleet summary: JSON and text carry the findings", "[fleet]") {
  Result<FleetSummary> r = SummarizeFleet(HandTables());
  REQUIRE(r.ok());
  const nlohmann::json j = nlohmann::json::parse(FleetSummaryJson(r.value()));
  CHECK(j["top_issue"] == "video_freeze");
  CHECK(j["worst_day"] == "2026-11-03");
  CHECK(j["issues"][0]["sessions"] == 3);
  CHECK(j["breakdowns"].size() == 5);
  // The issues' words come with the summary: the report's labels table.
  CHECK(j["labels"]["issue_codes"]["video_freeze"] == "Video freezes");
  for (const auto& issue : j["issues"]) CHECK(j["labels"]["issue_codes"].contains(issue["code"]));
  const std::string text = FleetSummaryText(r.value());
  CHECK_THAT(text, Catch::Contains("Fleet: 3 sessions, 7 participants"));
  CHECK_THAT(text, Catch::Contains("video_freeze"));
  CHECK_THAT(text, Catch::Contains("Worst day: 2026-11-03"));
}

TEST_CASE("fleet summary: of a generated session's tables, as its analysis", "[fleet]") {
  const auto engine = LoadScenario("sample");
  const SessionAnalysis& sa = engine->analysis().sessions.at(0);
  const FleetTables t = MakeTableRows(engine->model(), engine->analysis());
  std::array<std::string, kFleetTableCount> text;
  for (int i = 0; i < kFleetTableCount; ++i) text[i] = TableText(t.rows[i]);
  Result<FleetSummary> r = SummarizeFleet(text);
  REQUIRE(r.ok());
  CHECK(r.value().sessions == 1);
  CHECK(r.value().participants == static_cast<int>(engine->model().sessions[0].peers.size()));
  std::map<std::string, int> counts;
  for (const Issue& is : sa.issues) ++counts[IssueCodeName(is.code)];
  REQUIRE(r.value().issues.size() == counts.size());
  for (const FleetIssue& i : r.value().issues) CHECK(i.count == counts[i.code]);
  CHECK(r.value().sessions_critical == (sa.verdict.issues.of(Severity::kCritical) > 0 ? 1 : 0));
}

TEST_CASE("fleet summary: a bad row names its table and line", "[fleet]") {
  std::array<std::string, kFleetTableCount> t = HandTables();
  t[2] += "{\"session_id\":\"s1\",\"issue_index\":9,\n";
  Result<FleetSummary> r = SummarizeFleet(t);
  REQUIRE_FALSE(r.ok());
  CHECK_THAT(r.status().message(), Catch::Contains("issues.ndjson line 7: not valid JSON"));
  t = HandTables();
  t[1] = "{\"peer_id\":\"a\"}\n";
  r = SummarizeFleet(t);
  REQUIRE_FALSE(r.ok());
  CHECK_THAT(r.status().message(),
             Catch::Contains("participants.ndjson line 1: session_id must be a string"));
}

}  // namespace
}  // namespace callsight
