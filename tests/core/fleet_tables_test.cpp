// The fleet tables (callsight/fleet.h): rows written from the analysis,
// read back, merged by session, and bad rows named.
#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>
#include <set>
#include <string>
#include <vector>

#include "callsight/fleet.h"
#include "ingest/rfc3339.h"
#include "report/format.h"
#include "test_util.h"

namespace callsight {
namespace {

using nlohmann::json;
using testing::ListDir;
using testing::LoadScenario;

std::vector<json> Parsed(const std::vector<TableRow>& rows) {
  std::vector<json> out;
  for (const TableRow& r : rows) out.push_back(json::parse(r.json));
  return out;
}

TEST_CASE("fleet tables: one row per peer, issue, breach and error event, as analyzed", "[fleet]") {
  for (const char* scenario : {"sample", "failures"}) {
    INFO(scenario);
    const auto engine = LoadScenario(scenario);
    const Session& s = engine->model().sessions.at(0);
    const SessionAnalysis& sa = engine->analysis().sessions.at(0);
    const FleetTables t = MakeTableRows(engine->model(), engine->analysis());

    const std::vector<json> sessions = Parsed(t.of(FleetTable::kSessions));
    REQUIRE(sessions.size() == engine->model().sessions.size());
    CHECK(sessions[0]["session_id"] == s.session_id);
    CHECK(sessions[0]["started_ms"] == sa.start_ms);
    CHECK(sessions[0]["started_at"] == report::FormatRfc3339(sa.start_ms));
    CHECK(sessions[0]["verdict"] == VerdictLevelName(sa.verdict.level));
    CHECK(sessions[0]["issues_critical"] == sa.verdict.issues.of(Severity::kCritical));
    CHECK(sessions[0]["issues_warning"] == sa.verdict.issues.of(Severity::kWarning));
    CHECK(sessions[0]["participants"] == s.peers.size());
    // The sample's events and webhooks name its room "product-sync".
    if (std::string(scenario) == "sample") CHECK(sessions[0]["room_name"] == "product-sync");

    const std::vector<json> peers = Parsed(t.of(FleetTable::kParticipants));
    REQUIRE(peers.size() == s.peers.size());
    for (size_t i = 0; i < peers.size(); ++i) {
      CHECK(peers[i]["peer_id"] == s.peers[i].peer_id);
      CHECK(peers[i]["issue_count"] == sa.peers[i].issue_count);
      CHECK(peers[i]["attendance"] == AttendanceName(sa.peers[i].attendance));
      if (s.peers[i].info.browser.empty()) {
        CHECK(peers[i]["browser"].is_null());
      } else {
        CHECK(peers[i]["browser"] == s.peers[i].info.browser);
      }
    }

    const std::vector<json> issues = Parsed(t.of(FleetTable::kIssues));
    REQUIRE(issues.size() == sa.issues.size());
    for (size_t i = 0; i < issues.size(); ++i) {
      CHECK(issues[i]["issue_index"] == i);
      CHECK(issues[i]["code"] == IssueCodeName(sa.issues[i].code));
      CHECK(issues[i]["severity"] == SeverityName(sa.issues[i].severity));
      CHECK(issues[i]["start_ms"] == sa.issues[i].start_ms);
      if (sa.issues[i].peer_id.empty())
        CHECK(issues[i]["peer_id"].is_null());
      else
        CHECK(issues[i]["peer_id"] == sa.issues[i].peer_id);
    }

    const std::vector<json> breaches = Parsed(t.of(FleetTable::kBreaches));
    REQUIRE(breaches.size() == sa.breaches.size());
    for (size_t i = 0; i < breaches.size(); ++i) {
      CHECK(breaches[i]["metric"] == BreachMetricName(sa.breaches[i].metric));
      CHECK(breaches[i]["level"] == SeverityName(sa.breaches[i].severity));
      if (sa.breaches[i].issue < 0)
        CHECK(breaches[i]["issue_index"].is_null());
      else
        CHECK(breaches[i]["issue_index"] == sa.breaches[i].issue);
    }

    const std::vector<json> errors = Parsed(t.of(FleetTable::kErrors));
    REQUIRE(errors.size() == sa.error_events.size());
    for (size_t i = 0; i < errors.size(); ++i) {
      const Event& e = s.events[sa.error_events[i]];
      CHECK(errors[i]["type"] == e.type);
      CHECK(errors[i]["terminal"] == e.is_terminal);
      CHECK(errors[i]["time_ms"] == e.time_ms);
    }
  }
}

TEST_CASE("fleet tables: every row of a table has the same columns in the same order", "[fleet]") {
  std::vector<std::vector<std::string>> columns(kFleetTableCount);
  size_t scenarios = 0;
  for (const std::string& name : ListDir(CALLSIGHT_GEN_DIR)) {
    const auto engine = LoadScenario(name);
    const FleetTables t = MakeTableRows(engine->model(), engine->analysis());
    ++scenarios;
    for (int ti = 0; ti < kFleetTableCount; ++ti) {
      for (const TableRow& r : t.rows[ti]) {
        const nlohmann::ordered_json row = nlohmann::ordered_json::parse(r.json);
        std::vector<std::string> keys;
        for (auto it = row.begin(); it != row.end(); ++it) keys.push_back(it.key());
        if (columns[ti].empty()) columns[ti] = keys;
        INFO(name << " " << FleetTableName(static_cast<FleetTable>(ti)) << " " << r.json);
        CHECK(keys == columns[ti]);
      }
    }
  }
  CHECK(scenarios >= 5);
  for (int ti = 0; ti < kFleetTableCount; ++ti) CHECK_FALSE(columns[ti].empty());
}

TEST_CASE("fleet tables: RFC 3339 times read back as the same instant", "[fleet]") {
  for (int64_t ms : {int64_t{0}, int64_t{1714644001123}, int64_t{951782400999},
                     int64_t{4102444799000}, int64_t{-1}}) {
    const std::string text = report::FormatRfc3339(ms);
    CHECK(text.size() == 24);
    CHECK(ParseRfc3339(text) == ms);
    CHECK(text.substr(0, 10) == report::FormatDay(ms));
  }
  CHECK(report::FormatRfc3339(0) == "1970-01-01T00:00:00.000Z");
}

TEST_CASE("fleet tables: rows read back, and a session written again replaces its rows",
          "[fleet]") {
  const auto engine = LoadScenario("sample");
  const FleetTables t = MakeTableRows(engine->model(), engine->analysis());
  const std::vector<TableRow>& issues = t.of(FleetTable::kIssues);
  REQUIRE(issues.size() >= 3);
  const std::string text = TableText(issues);
  Result<std::vector<TableRow>> back = ReadTableRows(FleetTable::kIssues, text, "issues.ndjson");
  REQUIRE(back.ok());
  REQUIRE(back.value().size() == issues.size());
  for (size_t i = 0; i < issues.size(); ++i) {
    CHECK(back.value()[i].json == issues[i].json);
    CHECK(back.value()[i].key == issues[i].key);
    CHECK(back.value()[i].session_id == issues[i].session_id);
  }

  // Other sessions' rows ("0-other", "zz-other") stay; the sample's old rows are
  // replaced by its new ones, here only the first issue; sorted by session.
  const std::string sid = issues[0].session_id;
  std::vector<TableRow> old = back.value();
  old.push_back({"zz-other", "0000000000", R"({"session_id":"zz-other","issue_index":0})"});
  old.insert(old.begin(), {"0-other", "0000000001", R"({"session_id":"0-other","issue_index":1})"});
  const std::vector<TableRow> merged = MergeTableRows(old, {issues[0]}, {sid});
  REQUIRE(merged.size() == 3);
  CHECK(merged[0].session_id == "0-other");
  CHECK(merged[1].json == issues[0].json);
  CHECK(merged[2].session_id == "zz-other");
  // Merging the same rows again changes nothing.
  CHECK(TableText(MergeTableRows(merged, {issues[0]}, {sid})) == TableText(merged));
  // Rows read back sort by index as a number (9 before 10).
  const Result<std::vector<TableRow>> unsorted = ReadTableRows(
      FleetTable::kIssues,
      "{\"session_id\":\"s\",\"issue_index\":10}\n{\"session_id\":\"s\",\"issue_index\":9}\n", "x");
  REQUIRE(unsorted.ok());
  const std::vector<TableRow> sorted = MergeTableRows(unsorted.value(), {}, {});
  REQUIRE(sorted.size() == 2);
  CHECK(sorted[0].json == R"({"session_id":"s","issue_index":9})");
}

TEST_CASE("fleet tables: a session id with invalid UTF-8 merges as it reads back", "[fleet]") {
  SessionSet set;
  Session s;
  s.session_id = "bad\xff-id";
  s.start_ms = 1000;
  s.end_ms = 61000;
  Peer p;
  p.peer_id = "p\xc3";
  s.peers.push_back(p);
  set.sessions.push_back(s);
  const Analysis analysis = Analyze(set, Config());
  const FleetTables t = MakeTableRows(set, analysis);
  for (FleetTable table : {FleetTable::kSessions, FleetTable::kParticipants}) {
    const std::vector<TableRow>& fresh = t.of(table);
    REQUIRE(fresh.size() == 1);
    Result<std::vector<TableRow>> back = ReadTableRows(table, TableText(fresh), "x");
    REQUIRE(back.ok());
    CHECK(back.value()[0].session_id == fresh[0].session_id);
    CHECK(back.value()[0].key == fresh[0].key);
    // Written again over itself: replaced, not doubled.
    CHECK(MergeTableRows(back.value(), fresh, {fresh[0].session_id}).size() == 1);
  }
  CHECK(t.of(FleetTable::kSessions)[0].session_id == "bad\xEF\xBF\xBD-id");
}

TEST_CASE("fleet tables: a bad row is named by file and line", "[fleet]") {
  const auto error = [](FleetTable t, const std::string& text) {
    Result<std::vector<TableRow>> r = ReadTableRows(t, text, "x.ndjson");
    REQUIRE_FALSE(r.ok());
    return r.status().message();
  };
  const std::string good = R"({"session_id":"s","issue_index":0})";
  CHECK_THAT(error(FleetTable::kIssues, good + "\n{\"session_id\":\n"),
             Catch::Contains("x.ndjson line 2: not valid JSON"));
  CHECK_THAT(error(FleetTable::kIssues, good + "\n\n[1]\n"),
             Catch::Contains("x.ndjson line 3: a row must be a JSON object"));
  CHECK_THAT(error(FleetTable::kIssues, R"({"session_id":"s","issue_index":"0"})"),
             Catch::Contains("line 1: issue_index must be a whole number"));
  CHECK_THAT(error(FleetTable::kParticipants, R"({"session_id":"s"})"),
             Catch::Contains("line 1: peer_id must be a string"));
  CHECK_THAT(error(FleetTable::kSessions, R"({"session_id":null})"),
             Catch::Contains("line 1: session_id must be a string"));
  CHECK(ReadTableRows(FleetTable::kSessions, "\n\n", "x").ok());
}

}  // namespace
}  // namespace callsight
