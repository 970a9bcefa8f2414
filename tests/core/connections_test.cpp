// Issues from a browser dump's peer connections (core/src/analysis/connections.cpp).
#include <catch2/catch.hpp>
#include <string>
#include <vector>

#include "analysis/internal.h"

using namespace callsight;

namespace {

constexpr int64_t kT0 = 1700000000000;

Session OnePeer(const Connection& c) {
  Session s;
  Peer p;
  p.peer_id = "browser";
  p.connections.push_back(c);
  s.peers.push_back(p);
  return s;
}

Connection Direct() {
  Connection c;
  c.id = "PC_0";
  c.created_ms = kT0;
  c.checking_ms = kT0 + 100;
  c.connected_ms = kT0 + 400;
  c.local_candidate_type = "host";
  c.remote_candidate_type = "srflx";
  c.protocol = "udp";
  return c;
}

std::vector<Issue> IssuesOf(const Connection& c) {
  std::vector<Issue> issues;
  analysis::AddConnectionIssues(OnePeer(c), &issues);
  return issues;
}

}  // namespace

TEST_CASE("connections: a direct UDP connection that set up quickly raises nothing",
          "[connections]") {
  CHECK(IssuesOf(Direct()).empty());
}

TEST_CASE("connections: relayed and TCP media are info issues", "[connections]") {
  Connection c = Direct();
  c.local_candidate_type = "relay";
  c.relay_protocol = "tls";
  const auto issues = IssuesOf(c);
  REQUIRE(issues.size() == 2);
  CHECK(issues[0].code == IssueCode::kRelayedConnection);
  CHECK(issues[1].code == IssueCode::kTcpConnection);  // TLS to the TURN server is TCP
  for (const Issue& is : issues) {
    CHECK(is.severity == Severity::kInfo);
    CHECK(is.connection_id == "PC_0");
    CHECK(is.peer_id == "browser");
  }
}

TEST_CASE("connections: ICE that takes 3 s or more is a slow setup", "[connections]") {
  Connection c = Direct();
  c.connected_ms = kT0 + 100 + 4500;
  const auto issues = IssuesOf(c);
  REQUIRE(issues.size() == 1);
  CHECK(issues[0].code == IssueCode::kSlowSetup);
  CHECK(issues[0].severity == Severity::kWarning);
  CHECK(issues[0].mean == 4500);
  CHECK(issues[0].start_ms == kT0 + 100);
  c.connected_ms = kT0 + 100 + 2900;
  CHECK(IssuesOf(c).empty());
}

TEST_CASE("connections: an ICE restart is info when it reconnected, else a warning",
          "[connections]") {
  Connection c = Direct();
  c.ice_restarts_ms = {kT0 + 10000};
  c.ice_restarts_completed = 1;
  auto issues = IssuesOf(c);
  REQUIRE(issues.size() == 1);
  CHECK(issues[0].code == IssueCode::kIceRestart);
  CHECK(issues[0].severity == Severity::kInfo);
  CHECK(issues[0].start_ms == kT0 + 10000);
  c.ice_restarts_completed = 0;
  issues = IssuesOf(c);
  CHECK(issues[0].severity == Severity::kWarning);
}

TEST_CASE("connections: a DTLS handshake of 1 s or more is a slow setup of that step",
          "[connections]") {
  Connection c = Direct();
  c.connecting_ms = kT0 + 100;
  c.transport_connected_ms = kT0 + 400 + 1500;
  auto issues = IssuesOf(c);
  REQUIRE(issues.size() == 1);
  CHECK(issues[0].code == IssueCode::kSlowSetup);
  CHECK(issues[0].setup_step == SetupStep::kDtls);
  CHECK(issues[0].mean == 1500);
  CHECK(issues[0].threshold == 1000);
  CHECK(issues[0].start_ms == kT0 + 400);  // from ICE connected
  CHECK(issues[0].end_ms == kT0 + 1900);
  c.transport_connected_ms = kT0 + 400 + 900;
  CHECK(IssuesOf(c).empty());
}

TEST_CASE("connections: slow ICE and a slow handshake are two steps, each by its own time",
          "[connections]") {
  Connection c = Direct();
  c.connected_ms = kT0 + 100 + 5000;
  c.connecting_ms = kT0 + 100;
  c.transport_connected_ms = kT0 + 100 + 5000 + 200;  // DTLS itself quick
  auto issues = IssuesOf(c);
  REQUIRE(issues.size() == 1);
  CHECK(issues[0].setup_step == SetupStep::kIce);
  c.transport_connected_ms = kT0 + 100 + 5000 + 2000;
  issues = IssuesOf(c);
  REQUIRE(issues.size() == 2);
  CHECK(issues[0].setup_step == SetupStep::kIce);
  CHECK(issues[1].setup_step == SetupStep::kDtls);
  CHECK(issues[1].mean == 2000);
}

TEST_CASE("connections: a received video's first frame 3 s or more after connecting is slow",
          "[connections]") {
  Session s = OnePeer(Direct());
  Track rx;
  rx.track_id = "cam-of-other";
  rx.direction = Direction::kSubscriber;
  rx.kind = MediaKind::kVideo;
  rx.connection_id = "PC_0";
  rx.facts = StreamFacts{};
  rx.facts->first_frame_ms = 4200;
  rx.facts->first_frame_at_ms = kT0 + 5000;
  s.peers[0].tracks.push_back(rx);
  Track audio = rx;
  audio.kind = MediaKind::kAudio;  // audio has no first frame: never counted
  s.peers[0].tracks.push_back(audio);
  Track other = rx;
  other.connection_id = "PC_1";  // another connection's track: not this one's
  s.peers[0].tracks.push_back(other);
  std::vector<Issue> issues;
  analysis::AddConnectionIssues(s, &issues);
  REQUIRE(issues.size() == 1);
  CHECK(issues[0].code == IssueCode::kSlowSetup);
  CHECK(issues[0].setup_step == SetupStep::kFirstFrame);
  CHECK(issues[0].track_ids == std::vector<std::string>{"cam-of-other"});
  CHECK(issues[0].mean == 4200);
  CHECK(issues[0].start_ms == kT0 + 800);
  CHECK(issues[0].end_ms == kT0 + 5000);
  s.peers[0].tracks[0].facts->first_frame_ms = 2900;
  issues.clear();
  analysis::AddConnectionIssues(s, &issues);
  CHECK(issues.empty());
}
