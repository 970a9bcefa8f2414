// Ground truth: sessions from scripts/gen with known injected problems. The
// engine must find every injected problem on the right peer, code, direction
// and time, and nothing unexpected anywhere (clean peers stay clean).
#include <algorithm>
#include <catch2/catch.hpp>
#include <fstream>
#include <nlohmann/json.hpp>
#include <set>
#include <string>
#include <vector>

#include "callsight/engine.h"
#include "core/report_parts.h"
#include "core/test_util.h"
#include "report/issue_text.h"

using namespace callsight;
using testing::ListDir;
using testing::ReadFile;
using json = nlohmann::json;

namespace {

struct Scenario {
  json truth;
  std::unique_ptr<Engine> engine;
};

Scenario Load(const std::string& name, const Config& config = Config()) {
  const std::string dir = std::string(CALLSIGHT_GEN_DIR) + "/" + name;
  Scenario s;
  std::ifstream tf(dir + "/truth.json");
  REQUIRE(tf.good());
  s.truth = json::parse(tf);
  s.engine = std::make_unique<Engine>();
  for (const auto& f : ListDir(dir + "/input")) {
    std::string bytes = ReadFile(dir + "/input/" + f);
    const InputReport& r = s.engine->AddFile({f, bytes});
    INFO(name << "/" << f);
    CHECK(r.status != InputStatus::kRejected);
  }
  s.engine->Run(config);
  REQUIRE(s.engine->analysis().sessions.size() == 1);
  return s;
}

const Session& TheSession(const Scenario& s) { return s.engine->model().sessions.at(0); }
const SessionAnalysis& TheAnalysis(const Scenario& s) {
  return s.engine->analysis().sessions.at(0);
}

int Rank(const std::string& severity) {
  return severity == "critical" ? 2 : severity == "warning" ? 1 : 0;
}

std::string Describe(const Scenario& s, const Issue& is) {
  return std::string(IssueCodeName(is.code)) + " " + PathName(is.direction) + " on " + is.peer_id +
         " " + SeverityName(is.severity) + " " + std::to_string(is.start_ms) + ".." +
         std::to_string(is.end_ms) + ": " +
         report::DescribeIssue(TheSession(s), is, report::Clock()).title;
}

bool DirectionMatches(const json& want, Path got) {
  std::string d = want.get<std::string>();
  return d.empty() || d == PathName(got);
}

void CheckScenario(const std::string& name) {
  Scenario s = Load(name);
  const json& t = s.truth;
  const SessionAnalysis& a = TheAnalysis(s);
  const int64_t spacing = t["spacing_ms"].get<int64_t>();
  std::string all_issues;
  for (const Issue& is : a.issues) all_issues += Describe(s, is) + "\n";
  INFO("scenario " << name << "\nissues:\n" << all_issues);

  // Every injected problem is found.
  for (const json& e : t["expected_issues"]) {
    std::set<std::string> codes = {e["code"].get<std::string>()};
    if (e.contains("alternatives")) {
      for (const auto& c : e["alternatives"]) codes.insert(c.get<std::string>());
    }
    const int64_t start = e["start_ms"].get<int64_t>() - spacing;
    const int64_t end = e["end_ms"].get<int64_t>() + spacing;
    bool found = false;
    for (const Issue& is : a.issues) {
      if (codes.count(IssueCodeName(is.code)) && is.peer_id == e["peer_id"] &&
          DirectionMatches(e["direction"], is.direction) && is.start_ms <= end &&
          is.end_ms >= start && static_cast<int>(is.severity) >= Rank(e["min_severity"])) {
        found = true;
      }
    }
    INFO("expected " << e.dump());
    CHECK(found);
  }

  // Nothing unexpected: every warning or critical issue is expected or allowed.
  auto listed = [&](const char* list, const Issue& is) {
    for (const json& e : t[list]) {
      if (e["peer_id"] != is.peer_id) continue;
      if (e.contains("direction") && !DirectionMatches(e["direction"], is.direction)) continue;
      if (e.contains("codes")) {
        for (const auto& c : e["codes"]) {
          if (c == IssueCodeName(is.code)) return true;
        }
      } else {
        if (e["code"] == IssueCodeName(is.code)) return true;
        if (e.contains("alternatives")) {
          for (const auto& c : e["alternatives"]) {
            if (c == IssueCodeName(is.code)) return true;
          }
        }
      }
    }
    return false;
  };
  for (const Issue& is : a.issues) {
    if (is.severity == Severity::kInfo) continue;
    INFO("unexpected " << Describe(s, is));
    CHECK((listed("expected_issues", is) || listed("allowed_issues", is)));
    CHECK_FALSE(listed("forbidden_issues", is));
  }

  // Clean peers raise no warning or critical issue.
  for (const json& p : t["peers"]) {
    if (!p["clean"].get<bool>()) continue;
    for (const Issue& is : a.issues) {
      INFO("clean peer " << p["name"] << " has " << Describe(s, is));
      CHECK_FALSE((is.peer_id == p["peer_id"] && is.severity != Severity::kInfo));
    }
  }

  // The verdict agrees with the findings: never ok with an error event or a
  // warning or critical issue; every peer with its own issue or error event is
  // among the worst peers.
  const bool serious = std::any_of(a.issues.begin(), a.issues.end(),
                                   [](const Issue& is) { return is.severity != Severity::kInfo; });
  if (serious || !a.error_events.empty()) {
    CHECK(static_cast<int>(a.verdict.level) >= static_cast<int>(VerdictLevel::kWarning));
  }
  std::set<std::string> listed_peers, troubled;
  for (const RankedPeer& r : a.worst_peers)
    listed_peers.insert(TheSession(s).peers[r.peer].peer_id);
  for (const Issue& is : a.issues) troubled.insert(is.peer_id);
  for (size_t k : a.error_events) troubled.insert(TheSession(s).events[k].peer_id);
  troubled.erase("");  // session-wide events name no peer
  for (const std::string& id : troubled) {
    INFO("peer with a problem " << id);
    CHECK(listed_peers.count(id) == 1);
  }

  // Peers with their details.
  const Session& session = TheSession(s);
  for (const json& p : t["peers"]) {
    const Peer* found = nullptr;
    for (const Peer& q : session.peers) {
      if (q.peer_id == p["peer_id"]) found = &q;
    }
    INFO("peer " << p.dump());
    REQUIRE(found);
    CHECK(found->info.name == p["name"].get<std::string>());
    // A peer that never joined has no presence and no times; the others have both.
    const PeerAnalysis& pa = a.peers.at(static_cast<size_t>(found - session.peers.data()));
    CHECK(pa.presence.empty() == p["joined_ms"].is_null());
    CHECK(pa.joined_ms.has_value() == !p["joined_ms"].is_null());
    if (p["browser"].is_string()) CHECK(found->info.browser == p["browser"].get<std::string>());
    if (p["os"].is_string()) CHECK(found->info.os == p["os"].get<std::string>());
  }

  // Meetings and call types.
  REQUIRE(a.meetings.size() == t["meetings"].size());
  for (size_t i = 0; i < a.meetings.size(); ++i) {
    const json& m = t["meetings"][i];
    CHECK(std::string(CallTypeName(a.meetings[i].call_type)) == m["call_type"].get<std::string>());
    std::set<std::string> want, got(a.meetings[i].peer_ids.begin(), a.meetings[i].peer_ids.end());
    for (const auto& id : m["peer_ids"]) want.insert(id.get<std::string>());
    CHECK(got == want);
    CHECK(std::llabs(a.meetings[i].start_ms - m["start_ms"].get<int64_t>()) <= spacing);
    CHECK(std::llabs(a.meetings[i].end_ms - m["end_ms"].get<int64_t>()) <= spacing);
  }
}

}  // namespace

TEST_CASE("ground truth: every generated scenario", "[ground_truth]") {
  std::vector<std::string> scenarios = ListDir(CALLSIGHT_GEN_DIR);
  REQUIRE(scenarios.size() >= 12);
  for (const auto& name : scenarios) {
    SECTION(name) { CheckScenario(name); }
  }
}

TEST_CASE("ground truth: a broadcast host's uplink loss is one issue on the host",
          "[ground_truth]") {
  Scenario s = Load("broadcast-uplink-loss");
  const SessionAnalysis& a = TheAnalysis(s);
  REQUIRE(a.meetings.size() == 1);
  CHECK(a.meetings[0].call_type == CallType::kBroadcast);
  std::string host;
  for (const json& p : s.truth["peers"]) {
    if (p["publishes"].get<bool>()) host = p["peer_id"];
  }
  int loss_issues = 0;
  for (const Issue& is : a.issues) {
    if (is.code == IssueCode::kHighPacketLoss) {
      ++loss_issues;
      CHECK(is.peer_id == host);
      CHECK(is.direction == Path::kUplink);
      // The viewers' breaches link to it and name them as affected.
      CHECK(is.affected_peers.size() == 5);
    }
    if (is.peer_id != host) CHECK(is.severity == Severity::kInfo);
  }
  CHECK(loss_issues == 1);
  int linked = 0;
  for (const Breach& b : a.breaches) {
    if (b.direction == Direction::kSubscriber && b.issue >= 0) {
      ++linked;
      CHECK(a.issues[b.issue].peer_id == host);
    }
  }
  CHECK(linked >= 5);
}

TEST_CASE("ground truth: 5-minute break is one meeting, 15-minute break is two", "[ground_truth]") {
  CHECK(TheAnalysis(Load("break-5min")).meetings.size() == 1);
  CHECK(TheAnalysis(Load("break-15min")).meetings.size() == 2);
  // The gap is configurable: with a 4-minute gap the 5-minute break splits too.
  Config c;
  c.meeting_gap_ms = 4 * 60000;
  CHECK(TheAnalysis(Load("break-5min", c)).meetings.size() == 2);
}

TEST_CASE("ground truth: sample spacing is read from the data", "[ground_truth]") {
  Scenario s = Load("spacing-30s");
  const Session& session = TheSession(s);
  const Track& t = session.peers.at(0).tracks.at(0);
  CHECK(SampleSpacingMs(t.layers.at(0).series.timestamps_ms) / 1000 == 30);
}

TEST_CASE("ground truth: a 5 fps screen share is fine", "[ground_truth]") {
  Scenario s = Load("screen-share");
  for (const Issue& is : TheAnalysis(s).issues) {
    INFO(Describe(s, is));
    CHECK(is.severity == Severity::kInfo);
  }
  bool has_screen = false;
  for (const Peer& p : TheSession(s).peers) {
    for (const Track& t : p.tracks) has_screen |= t.kind == MediaKind::kScreen;
  }
  CHECK(has_screen);
}

TEST_CASE("ground truth: every scenario's report is the same on one thread and on several",
          "[ground_truth][threads]") {
  for (const auto& name : ListDir(CALLSIGHT_GEN_DIR)) {
    const std::string dir = std::string(CALLSIGHT_GEN_DIR) + "/" + name + "/input/";
    const std::vector<std::string> names = ListDir(dir);
    std::vector<std::string> bytes;
    for (const auto& f : names) bytes.push_back(ReadFile(dir + f));
    std::vector<InputFile> files;
    for (size_t i = 0; i < names.size(); ++i) files.push_back({names[i], bytes[i]});
    // [0]: one thread, [1]: three.
    std::string reports[2], streamed[2];
    nlohmann::ordered_json assembled[2];
    for (int k : {0, 1}) {
      Engine engine(IngestOptions{}, k == 0 ? 1 : 3);
      for (const InputFile& f : files) REQUIRE(engine.QueueFile(f).ok());
      REQUIRE(engine.Run(Config()).ok());
      reports[k] = engine.ReportJson();
      // Streamed, and in parts: written on the engine's threads.
      CHECK(engine.WriteReportJson([&](std::string_view piece) { streamed[k] += piece; }).ok());
      assembled[k] = testing::AssembleReportParts([&](const ReportPartSink& sink) {
                       return engine.WriteReportParts(sink);
                     }).report;
    }
    INFO(name);
    CHECK(!reports[0].empty());
    CHECK(reports[0] == reports[1]);
    CHECK(streamed[0] == reports[0]);
    CHECK(streamed[1] == reports[0]);
    CHECK(assembled[0].dump() == nlohmann::ordered_json::parse(reports[0]).dump());
    CHECK(assembled[1] == assembled[0]);
  }
}
