// The session index of `analyze --tables` (fleet/session_index.h): which file
// holds which sessions, events without session_id, browser dumps, and the
// ingest's IngestOptions::only_sessions filter it relies on.
#include "fleet/session_index.h"

#include <catch2/catch.hpp>
#include <string>
#include <utility>
#include <vector>

#include "callsight/fleet.h"
#include "callsight/ingest.h"
#include "gunzip.h"
#include "report/format.h"
#include "test_util.h"

namespace callsight {
namespace {

using testing::kT0;
using Strings = std::vector<std::string>;
using Files = std::vector<std::pair<std::string, std::string>>;

constexpr int64_t kMinute = 60000;

// A peer-stats document of one audio track with samples every 10 s from
// `start_ms` for `minutes`.
std::string PeerStats(const std::string& session, const std::string& room, const std::string& peer,
                      int64_t start_ms, int minutes) {
  std::string ts, ones;
  for (int i = 0; i <= minutes * 6; ++i) {
    ts += (i ? "," : "") + std::to_string(start_ms + i * 10000);
    ones += i ? ",1" : "1";
  }
  return R"({"peer_id":")" + peer + R"(","session_id":")" + session + R"(","room_id":")" + room +
         R"(","publisher":{"video":[],"audio":[{"track_id":"a-)" + peer +
         R"(","time_series":{"timestamps":[)" + ts + "],\"bitrate\":[" + ones +
         "],\"packet_loss_percent\":[" + ones + "],\"rtt_ms\":[" + ones + "],\"jitter_ms\":[" +
         ones + R"(]}}]},"subscriber":{"video":[],"audio":[]}})";
}

// A webhook: a peer joining `session` at `at_ms`.
std::string Join(const std::string& session, const std::string& room, const std::string& peer,
                 int64_t at_ms) {
  const std::string at = report::FormatRfc3339(at_ms);
  return R"({"version":"2.0","id":"j-)" + peer + session + R"(","timestamp":")" + at +
         R"(","type":"peer.join.success","data":{"room_id":")" + room + R"(","session_id":")" +
         session + R"(","peer_id":")" + peer + R"(","joined_at":")" + at + R"("}})";
}

// An analytics events page with one client.connect.failed, which carries no
// session_id: the ingest places it by room, peer and time.
std::string ConnectFailed(const std::string& room, const std::string& peer, int64_t at_ms) {
  return R"({"limit":1,"total":1,"next":"","events":[{"version":"2.0","id":"cf-)" + peer +
         std::to_string(at_ms) + R"(","timestamp":")" + report::FormatRfc3339(at_ms) +
         R"(","type":"client.connect.failed","data":{"peer_id":")" + peer + R"(","room_id":")" +
         room +
         R"(","error_code":4005,"error_name":"ICEFailure","error_message":"ICE failed","is_terminal":true,"action":"JOIN"}}]})";
}

SessionIndex IndexOf(const Files& files) {
  SessionIndex index;
  for (const auto& [name, text] : files) index.Add(text, name);
  return index;
}

// Each group as "S1+S2:0,2" (its sessions, then its files).
Strings Describe(const std::vector<SessionGroup>& groups) {
  Strings out;
  for (const SessionGroup& g : groups) {
    std::string s;
    for (const auto& id : g.session_ids) s += (s.empty() ? "" : "+") + id;
    s += ":";
    for (size_t i = 0; i < g.files.size(); ++i) s += (i ? "," : "") + std::to_string(g.files[i]);
    out.push_back(s);
  }
  return out;
}

TEST_CASE("session index: each file under every session it holds documents of", "[fleet]") {
  const Files files = {
      {"ps-s1.json", PeerStats("S1", "R", "p1", kT0, 2)},
      {"ps-s2-s3.ndjson", PeerStats("S2", "R2", "p2", kT0 + 1440 * kMinute, 2) + "\n" +
                              PeerStats("S3", "R2", "p3", kT0 + 2880 * kMinute, 2)},
      {"hooks.ndjson",
       Join("S1", "R", "p1", kT0) + "\n" + Join("S3", "R2", "p3", kT0 + 2880 * kMinute)},
      {"notes.txt", "not JSON at all"},
      {"array.json", "[" + PeerStats("S4", "R", "p4", kT0 + 4320 * kMinute, 1) + "]"},
  };
  const SessionIndex index = IndexOf(files);
  REQUIRE(index.file_count() == 5);
  CHECK(index.SessionsOf(0) == Strings{"S1"});
  CHECK(index.SessionsOf(1) == Strings{"S2", "S3"});
  CHECK(index.SessionsOf(2) == Strings{"S1", "S3"});
  CHECK(index.SessionsOf(3).empty());
  CHECK(index.SessionsOf(4) == Strings{"S4"});
  CHECK(Describe(index.Groups()) == Strings{"S1:0,2", "S2:1", "S3:1,2", "S4:4"});
  CHECK(index.Ungrouped() == std::vector<size_t>{3});
}

TEST_CASE("session index: a file that is not valid is in no group", "[fleet]") {
  SessionIndex index;
  index.Add(PeerStats("S1", "R", "p1", kT0, 1), "ok.json");
  index.Add(PeerStats("S2", "R", "p2", kT0, 1) + "\n{\"peer_id\": ", "truncated.ndjson");
  index.AddUnread();
  CHECK(index.SessionsOf(1).empty());
  CHECK(Describe(index.Groups()) == Strings{"S1:0"});
  CHECK(index.Ungrouped() == std::vector<size_t>{1, 2});
}

TEST_CASE("session index: an event without session_id goes with the sessions it could join",
          "[fleet]") {
  // S1: T0 .. T0+2 min; S2, same room: T0+15 .. T0+17 min; S3 in another room.
  Files files = {
      {"s1.json", PeerStats("S1", "R", "p1", kT0, 2)},
      {"s2.json", PeerStats("S2", "R", "p2", kT0 + 15 * kMinute, 2)},
      {"s3.json", PeerStats("S3", "R3", "p3", kT0 + 5 * kMinute, 2)},
  };
  SECTION("near one session of its room: with that one") {
    files.push_back({"cf.json", ConnectFailed("R", "px", kT0 + 4 * kMinute)});
    CHECK(Describe(IndexOf(files).Groups()) == Strings{"S1:0,3", "S2:1", "S3:2"});
  }
  SECTION("its peer's session, however far in time") {
    files.push_back({"cf.json", ConnectFailed("R", "p2", kT0 + 300 * kMinute)});
    CHECK(Describe(IndexOf(files).Groups()) == Strings{"S1:0", "S2:1,3", "S3:2"});
  }
  SECTION("within reach of two sessions of its room: both in one group") {
    files.push_back({"cf.json", ConnectFailed("R", "px", kT0 + 9 * kMinute)});
    CHECK(Describe(IndexOf(files).Groups()) == Strings{"S1+S2:0,1,3", "S3:2"});
  }
  SECTION("of no session: in no group") {
    files.push_back({"cf.json", ConnectFailed("R-elsewhere", "px", kT0 + 4 * kMinute)});
    const SessionIndex index = IndexOf(files);
    CHECK(Describe(index.Groups()) == Strings{"S1:0", "S2:1", "S3:2"});
    CHECK(index.Ungrouped() == std::vector<size_t>{3});
  }
}

TEST_CASE("session index: the same peer's stats in two files put their sessions together",
          "[fleet]") {
  const Files files = {
      {"a.ndjson", PeerStats("S1", "R", "p1", kT0, 1) + "\n" + PeerStats("S2", "R", "p2", kT0, 1)},
      {"b.json", PeerStats("S2", "R", "p2", kT0, 1)},
      {"c.json", PeerStats("S3", "R", "p3", kT0 + 600 * kMinute, 1)},
  };
  CHECK(Describe(IndexOf(files).Groups()) == Strings{"S1+S2:0,1", "S3:2"});
}

// The p2p-two-browsers recording: each browser's webrtc-internals and
// rtcstats dump (the same call twice), which the ingest joins into one session.
Files TwoBrowserDumps() {
  Files files;
  const std::string dir = std::string(CALLSIGHT_SOURCE_DIR) + "/tests/data/dumps/p2p-two-browsers";
  for (const char* side : {"callee", "caller"}) {
    for (const std::string& name : testing::ListDir(dir + "/" + side)) {
      const std::string bytes = testing::ReadFile(dir + "/" + side + "/" + name);
      Result<std::string> plain = cli::Gunzip(bytes, size_t{1} << 30);
      REQUIRE(plain.ok());
      files.push_back({std::string(side) + "/" + name, std::move(plain).value()});
    }
  }
  return files;
}

TEST_CASE("session index: a browser dump is a session of its own; dumps of one call go together",
          "[fleet]") {
  Files files = TwoBrowserDumps();
  REQUIRE(files.size() >= 2);
  const SessionIndex index = IndexOf(files);
  for (size_t f = 0; f < files.size(); ++f) {
    INFO(files[f].first);
    REQUIRE(index.SessionsOf(f).size() == 1);
    CHECK(index.SessionsOf(f)[0].rfind("dump-", 0) == 0);
  }
  const std::vector<SessionGroup> groups = index.Groups();
  REQUIRE(groups.size() == 1);
  CHECK(groups[0].files.size() == files.size());
  // Analyzed as a group, it is the one session the ingest makes of them all.
  Ingestor all;
  IngestOptions only;
  only.only_sessions = groups[0].session_ids;
  Ingestor grouped(only);
  for (const auto& [name, text] : files) {
    all.Add({name, text});
    grouped.Add({name, text});
  }
  const SessionSet a = all.Finish(), g = grouped.Finish();
  REQUIRE(a.sessions.size() == 1);
  REQUIRE(g.sessions.size() == 1);
  CHECK(g.sessions[0].session_id == a.sessions[0].session_id);
  CHECK(g.sessions[0].peers.size() == a.sessions[0].peers.size());
}

TEST_CASE("ingest only_sessions: other sessions' documents dropped, events without id placed",
          "[fleet][ingest]") {
  const Files files = {
      {"ps.ndjson", PeerStats("S1", "R", "p1", kT0, 2) + "\n" +
                        PeerStats("S2", "R", "p2", kT0 + 120 * kMinute, 2)},
      {"hooks.ndjson",
       Join("S1", "R", "p1", kT0) + "\n" + Join("S2", "R", "p2", kT0 + 120 * kMinute)},
      {"cf.json", ConnectFailed("R", "px", kT0 + 4 * kMinute)},
  };
  IngestOptions options;
  options.only_sessions = {"S1"};
  Ingestor only(options);
  for (const auto& [name, text] : files) only.Add({name, text});
  // The reports are those of reading everything.
  const testing::Run all = testing::Ingest(files);
  REQUIRE(only.inputs().size() == all.reports.size());
  for (size_t i = 0; i < all.reports.size(); ++i) {
    CHECK(only.inputs()[i].status == all.reports[i].status);
    CHECK(only.inputs()[i].documents == all.reports[i].documents);
  }
  const SessionSet model = only.Finish();
  REQUIRE(model.sessions.size() == 1);
  const Session& s = model.sessions[0];
  CHECK(s.session_id == "S1");
  REQUIRE(all.model.sessions.size() == 2);
  REQUIRE(all.model.sessions[0].session_id == "S1");
  CHECK(s.peers.size() == all.model.sessions[0].peers.size());
  CHECK(s.events.size() == all.model.sessions[0].events.size());
  bool connect_failed = false;
  for (const Event& e : s.events) connect_failed |= e.type == "client.connect.failed";
  CHECK(connect_failed);
}

TEST_CASE("session groups analyzed one by one give the tables of everything at once", "[fleet]") {
  Files files = TwoBrowserDumps();
  for (const char* scenario : {"sample", "failures"}) {
    const std::string dir = std::string(CALLSIGHT_GEN_DIR) + "/" + scenario + "/input";
    for (const std::string& f : testing::ListDir(dir)) {
      files.push_back({std::string(scenario) + "/" + f, testing::ReadFile(dir + "/" + f)});
    }
  }
  files.push_back({"cf.json", ConnectFailed("", "nobody", kT0)});
  const SessionIndex index = IndexOf(files);
  Engine all;
  for (const auto& [name, text] : files) all.AddFile({name, text});
  REQUIRE(all.Run(Config()).ok());
  const FleetTables whole = MakeTableRows(all.model(), all.analysis());

  FleetTables pieces;
  size_t sessions = 0;
  const std::vector<SessionGroup> groups = index.Groups();
  CHECK(groups.size() >= 3);  // the dumps' call and each scenario's session
  for (const SessionGroup& g : groups) {
    IngestOptions options;
    options.only_sessions = g.session_ids;
    Engine engine(options);
    for (size_t f : g.files) engine.AddFile({files[f].first, files[f].second});
    REQUIRE(engine.Run(Config()).ok());
    sessions += engine.model().sessions.size();
    const FleetTables t = MakeTableRows(engine.model(), engine.analysis());
    for (int i = 0; i < kFleetTableCount; ++i) {
      for (const TableRow& r : t.rows[i]) pieces.rows[i].push_back(r);
    }
  }
  CHECK(sessions == all.model().sessions.size());
  for (int i = 0; i < kFleetTableCount; ++i) {
    INFO(FleetTableName(static_cast<FleetTable>(i)));
    CHECK(TableText(MergeTableRows({}, pieces.rows[i], {})) ==
          TableText(MergeTableRows({}, whole.rows[i], {})));
  }
}

}  // namespace
}  // namespace callsight
