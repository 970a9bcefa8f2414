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
