// The text diagnosis (core/src/report/text_report.cpp): what it shows and in
// which order, on a small session model and analysis built by hand
// (report_fixture.h).
#include <algorithm>
#include <catch2/catch.hpp>
#include <string>

#include "callsight/report.h"
#include "core/report_fixture.h"

namespace callsight {
namespace {

using Fixture = testing::ReportFixture;

// The text with each run of white space (a wrapped line's break and indent)
// as one space.
std::string Unwrapped(const std::string& text) {
  std::string out;
  for (char c : text) {
    const bool space = c == ' ' || c == '\n';
    if (!space || out.empty() || out.back() != ' ') out += space ? ' ' : c;
  }
  return out;
}

TEST_CASE("text report: worst peer first, issues with advice", "[report][text]") {
  const Fixture f;
  const std::string t = WriteTextReport(f.Context());
  CHECK(t.find("High packet loss on Alice's uplink (up to\n        9.0%)") != std::string::npos);
  CHECK(t.find("\u2192 Loss on the way up") != std::string::npos);
  CHECK(t.find("[CRITICAL] 00:00:21\u201300:03:11 (2 min 50 s) uplink  High packet loss") !=
        std::string::npos);
  CHECK(t.find("Verdict (critical): 1 critical and 2 warning issues, 1 failure event (1 terminal), "
               "affecting 3 of 3 participants; 1 never joined") != std::string::npos);
  const size_t alice = t.find("Alice (p-alice)");
  const size_t bob = t.find("Bob (p-bob)");
  REQUIRE(alice != std::string::npos);
  REQUIRE(bob != std::string::npos);
  CHECK(alice < bob);  // critical before warning, although Bob comes first in the model
  // Carol's connect failure lists her (never "without problems"), with no 1970 time.
  CHECK(t.find("Peers without problems") == std::string::npos);
  CHECK(t.find("  p-carol\n    Never joined\n") != std::string::npos);
  CHECK(t.find("1970-01-01 00:00:01 UTC") != std::string::npos);  // the session's start
  CHECK(t.find("00:00:00") == std::string::npos);                 // nothing at epoch 0
  CHECK(t.find("Chrome 125.0.0.0, macOS") != std::string::npos);
  // Inputs section: the rejected file's messages.
  CHECK(t.find("broken.json: line 3, at /peers/0: expected an object") != std::string::npos);
  // Errors section.
  CHECK(t.find("connect") != std::string::npos);
  CHECK(t.find("1 of 2 attempts failed") != std::string::npos);
  CHECK(t == WriteTextReport(f.Context()));
}

TEST_CASE("text report: times of day in the config's zone", "[report][text][zone]") {
  Fixture f;
  f.config.utc_offset_minutes = 90;  // UTC+01:30
  const std::string t = WriteTextReport(f.Context());
  // The session's start and the issue's span, 1 h 30 min later than in UTC.
  CHECK(t.find("1970-01-01 01:30:01 UTC+01:30") != std::string::npos);
  CHECK(t.find("[CRITICAL] 01:30:21\u201301:33:11 (2 min 50 s) uplink  High packet loss") !=
        std::string::npos);
  CHECK(t.find("00:00:21") == std::string::npos);
  f.config.utc_offset_minutes = -300;
  CHECK(WriteTextReport(f.Context()).find("1969-12-31 19:00:01 UTC-05:00") != std::string::npos);
}

TEST_CASE("text report: peers in the analysis's order; clean only when clean", "[report][text]") {
  Fixture f;
  SessionAnalysis& sa = f.analysis.sessions[0];
  std::string t = WriteTextReport(f.Context());
  CHECK(t.find("Alice (p-alice)") < t.find("Bob (p-bob)"));
  // The text does not rank on its own: a reversed ranking is shown reversed.
  std::reverse(sa.worst_peers.begin(), sa.worst_peers.end());
  t = WriteTextReport(f.Context());
  CHECK(t.find("  p-carol\n") < t.find("Bob (p-bob)"));
  CHECK(t.find("Bob (p-bob)") < t.find("Alice (p-alice)"));

  // Without issues, Carol's terminal connect failure still makes a verdict,
  // and she is not "without problems".
  sa.issues.clear();
  for (Breach& b : sa.breaches) b.issue = -1;
  f.Rank();
  t = WriteTextReport(f.Context());
  CHECK(t.find("No problems found") == std::string::npos);
  // Alice, without issues now, is still listed for her CQS of 2.35.
  CHECK(t.find("Verdict (critical): 1 failure event (1 terminal) affecting 1 of 3 participants; "
               "1 more with a CQS below good; 1 never joined") != std::string::npos);
  CHECK(t.find("Listed for: 1 failure event") != std::string::npos);
  CHECK(t.find("Listed for: CQS 2.35 (below good)") != std::string::npos);
  CHECK(t.find("Peers without problems: Bob\n") != std::string::npos);

  sa.error_events.clear();
  f.Rank();
  t = WriteTextReport(f.Context());
  CHECK(t.find("Verdict (info): no issue, 1 of 3 participants with a CQS below good") !=
        std::string::npos);

  sa.peers[1].cqs = 4.0;
  f.Rank();
  t = WriteTextReport(f.Context());
  CHECK(t.find("Verdict: No problems found") != std::string::npos);
  CHECK(t.find("Worst peers first") == std::string::npos);
  CHECK(t.find("Peers without problems: Bob, Alice, p-carol") != std::string::npos);
}

TEST_CASE("text report: hostile strings are neutralized", "[report][text]") {
  Fixture f;
  f.model.sessions[0].peers[1].info.name = "Al\x1b[31mice\xff";
  const std::string t = WriteTextReport(f.Context());
  CHECK(t.find('\x1b') == std::string::npos);
  CHECK(t.find('\xff') == std::string::npos);
  CHECK(t.find("Al?[31mice?") != std::string::npos);
}

TEST_CASE("text report: the inputs section lists only the files with problems", "[report][text]") {
  Fixture f;
  f.inputs[1].status = InputStatus::kRepaired;
  std::string t = WriteTextReport(f.Context());
  CHECK(t.find("\nInputs\n  [REPAIRED] broken.json (unknown)\n") != std::string::npos);
  CHECK(t.find("broken.json: warning: something odd") != std::string::npos);
  CHECK(t.find("stats.json") == std::string::npos);  // ok: not listed

  f.inputs.pop_back();
  t = WriteTextReport(f.Context());
  CHECK(t.find("\nInputs\n") == std::string::npos);
  CHECK(t.rfind("callsight ", 0) == 0);
}

TEST_CASE("text report: no session, and events no session took, by room", "[report][text]") {
  Fixture f;
  f.model.sessions.clear();
  f.analysis.sessions.clear();
  std::string t = WriteTextReport(f.Context());
  CHECK(t.find("No sessions found in the inputs.") != std::string::npos);
  CHECK(t.find("Session ") == std::string::npos);

  Event e;
  e.time_ms = 5000;
  e.peer_id = "p-x";
  e.type = "client.join.failed";
  e.is_error = true;
  e.failed = FailedOperation::kJoin;
  f.model.unattached.push_back(RoomEvents{"", {{e, UnattachedWhy::kNoMatch}}});
  RoomAnalysis room;
  room.failure_rates["join"] = FailureRate{1, 1, 0, 1, 1.0};
  f.analysis.rooms.push_back(room);
  t = WriteTextReport(f.Context());
  CHECK(t.find("No session in the inputs takes their events; they are listed by room below.") !=
        std::string::npos);
  CHECK(t.find("Room (unknown): 1 event outside any session") != std::string::npos);
  CHECK(t.find("p-x client.join.failed") != std::string::npos);
  CHECK(Unwrapped(t).find("(no session has this peer or spans this time)") != std::string::npos);
  CHECK(t.find("  join: 1 of 1 attempt failed in this room") != std::string::npos);
}

}  // namespace
}  // namespace callsight
