// Replays every input the fuzzers or the bad-input suite ever broke the engine
// with (tests/fuzz/regressions/<target>/) through the whole engine (the
// config's and the CLI decompressor's through those alone). Each one is
// specified below: rejected with a message naming the file and the place, or
// accepted with the model it must give. A file in the folder without an
// expectation here fails, as does an expectation without its file.
#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>
#include <set>
#include <string>
#include <vector>

#include "callsight/config.h"
#include "callsight/engine.h"
#include "callsight/fleet.h"
#include "core/test_util.h"
#include "gunzip.h"

using namespace callsight;
using testing::ListDir;
using testing::ReadFile;

namespace {

// What one regression input must give.
struct Expected {
  const char* path;  // under tests/fuzz/regressions/
  bool rejected;
  // Rejected: where the error is and words its text must hold.
  const char* pointer;
  const char* words;
  // Accepted: the one session's id and its one peer's id.
  const char* session_id;
  const char* peer_id;
};

const Expected kExpected[] = {
    // A lone surrogate escape is no Unicode: the file is rejected at the string.
    {"badinput/lone-surrogate-peer-stats.json", true, "/peer_id", "lone UTF-16 surrogate", "", ""},
    {"badinput/lone-surrogate-session.json", true, "/peers/p1/name", "lone UTF-16 surrogate", "",
     ""},
    // An integer id is taken as its text, as the other documents take it.
    {"badinput/peer-id-wrong-type.json", false, "", "", "s1", "42"},
    // Timestamps are epoch milliseconds between 2000 and 2100; 0 is none.
    {"badinput/timestamp-zero.json", true, "/publisher/audio/0/time_series/timestamps/0",
     "between the years 2000 and 2100", "", ""},
    // Samples 55 years apart once made the analysis allocate decades of windows.
    {"fuzz_ingest/oom-peer-stats-55-year-span.json", true,
     "/publisher/audio/0/time_series/timestamps", "more than a session can last", "", ""},
    // A series giving `values` twice (text, then numbers) once wrote past a
    // property's end; the dump is cut short inside an update log entry.
    {"fuzz_webrtc_internals/values-given-twice.json", true,
     "/PeerConnections/2-1/updateLog/4/value", "expected ','", "", ""},
};

const std::string kRoot = std::string(CALLSIGHT_SOURCE_DIR) + "/tests/fuzz/regressions";

// Every regression input, as "<target>/<file>" (config inputs apart).
std::vector<std::string> InputsOnDisk() {
  std::vector<std::string> out;
  for (const std::string& target : ListDir(kRoot)) {
    // Config inputs, gzip inputs (decompressed by the shells, not the
    // engine), fleet tables (not an input of the engine) and the API's answers
    // to `callsight fetch` (fetch_plan_test.cpp) are replayed apart.
    if (target[0] == '.' || target == "fuzz_config" || target == "fuzz_gunzip" ||
        target == "fuzz_fleet_tables" || target == "fuzz_fetch_responses") {
      continue;
    }
    for (const std::string& f : ListDir(kRoot + "/" + target)) {
      if (f[0] != '.') out.push_back(target + "/" + f);
    }
  }
  return out;
}

void CheckRejected(const Expected& x, const nlohmann::json& input, const std::string& text) {
  CHECK(input["status"] == "rejected");
  CHECK(input["documents"] == 0);
  // The first error (warnings about what was repaired may come before it).
  const nlohmann::json* error = nullptr;
  for (const nlohmann::json& m : input["messages"]) {
    if (!error && m["level"] == "error") error = &m;
  }
  REQUIRE(error != nullptr);
  const nlohmann::json& m = *error;
  CHECK(m["pointer"] == x.pointer);
  CHECK(m["text"].get<std::string>().find(x.words) != std::string::npos);
  // The message a person reads names the file and the place.
  const std::string message = m["message"].get<std::string>();
  CHECK(message.rfind(input["name"].get<std::string>() + ": ", 0) == 0);
  CHECK(message.find(std::string("at ") + x.pointer) != std::string::npos);
  // The text report lists the file as rejected.
  CHECK(text.find("[REJECTED] " + input["name"].get<std::string>()) != std::string::npos);
}

void CheckAccepted(const Expected& x, const nlohmann::json& report, const std::string& text) {
  const nlohmann::json& input = report["inputs"][0];
  CHECK(input["status"] == "ok");
  CHECK(input["kind"] == "peer-stats");
  CHECK(input["documents"] == 1);
  REQUIRE(report["sessions"].size() == 1);
  const nlohmann::json& session = report["sessions"][0];
  CHECK(session["session_id"] == x.session_id);
  REQUIRE(session["peers"].size() == 1);
  CHECK(session["peers"][0]["peer_id"] == x.peer_id);
  CHECK(text.find(std::string("Session ") + x.session_id) != std::string::npos);
}

}  // namespace

TEST_CASE("every fuzz regression input has an expectation, and each expectation its input",
          "[fuzz]") {
  const std::vector<std::string> on_disk = InputsOnDisk();
  REQUIRE_FALSE(on_disk.empty());  // an empty or misplaced folder must not pass
  std::set<std::string> expected;
  for (const Expected& x : kExpected) expected.insert(x.path);
  CHECK(std::set<std::string>(on_disk.begin(), on_disk.end()) == expected);
}

TEST_CASE("fuzz regressions give the report specified for each", "[fuzz]") {
  for (const Expected& x : kExpected) {
    INFO(x.path);
    const std::string bytes = ReadFile(kRoot + "/" + x.path);
    REQUIRE_FALSE(bytes.empty());
    Engine e;
    e.AddFile({x.path, bytes});
    e.Run(Config());
    const nlohmann::json report = nlohmann::json::parse(e.ReportJson());
    const std::string text = e.ReportText();
    CHECK(report["schema_version"] == 2);
    REQUIRE(report["inputs"].size() == 1);
    CHECK(report["inputs"][0]["name"] == x.path);
    CHECK(report["inputs"][0]["bytes"] == bytes.size());
    if (x.rejected) {
      CheckRejected(x, report["inputs"][0], text);
      CHECK(report["sessions"].empty());
    } else {
      CheckAccepted(x, report, text);
    }
  }
}

TEST_CASE("fuzz_config regressions fail with a message or round-trip", "[fuzz]") {
  const std::string dir = kRoot + "/fuzz_config";
  for (const std::string& f : ListDir(dir)) {
    if (f[0] == '.') continue;
    INFO(f);
    auto r = ParseConfig(ReadFile(dir + "/" + f));
    if (!r.ok()) {
      CHECK_FALSE(r.status().message().empty());
      continue;
    }
    auto again = ParseConfig(ConfigToJson(r.value()));
    REQUIRE(again.ok());
    CHECK(ConfigToJson(again.value()) == ConfigToJson(r.value()));
  }
}

TEST_CASE("fuzz_gunzip regressions decompress within the cap or fail with a message", "[fuzz]") {
  // The CLI's decompressor (core/cli/gunzip.h), as fuzz_gunzip drives it.
  constexpr size_t kCap = size_t{1} << 20;
  const std::string dir = kRoot + "/fuzz_gunzip";
  for (const std::string& f : ListDir(dir)) {
    if (f[0] == '.') continue;
    INFO(f);
    const Result<std::string> r = cli::Gunzip(ReadFile(dir + "/" + f), kCap);
    if (r.ok()) {
      CHECK(r.value().size() <= kCap);
    } else {
      CHECK_FALSE(r.status().message().empty());
    }
  }
}

TEST_CASE("fuzz_fleet_tables regressions read back as read or fail with a message", "[fuzz]") {
  // The fleet tables' reader and summary (core/src/fleet/), as fuzz_fleet_tables
  // drives them: the input as each table.
  const std::string dir = kRoot + "/fuzz_fleet_tables";
  for (const std::string& f : ListDir(dir)) {
    if (f[0] == '.') continue;
    INFO(f);
    const std::string text = ReadFile(dir + "/" + f);
    for (int t = 0; t < kFleetTableCount; ++t) {
      const auto table = static_cast<FleetTable>(t);
      auto rows = ReadTableRows(table, text, "t.ndjson");
      if (rows.ok()) {
        auto again = ReadTableRows(table, TableText(rows.value()), "t.ndjson");
        REQUIRE(again.ok());
        CHECK(TableText(again.value()) == TableText(rows.value()));
      } else {
        CHECK(rows.status().message().find("t.ndjson") != std::string::npos);
      }
      std::array<std::string, kFleetTableCount> tables;
      tables[t] = text;
      auto summary = SummarizeFleet(tables);
      if (summary.ok()) {
        CHECK_FALSE(FleetSummaryText(summary.value()).empty());
      } else {
        CHECK_FALSE(summary.status().message().empty());
      }
    }
  }
}
