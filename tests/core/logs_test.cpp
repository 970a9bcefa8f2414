// The event log and the failure rates (core/src/analysis/logs.cpp).
#include <catch2/catch.hpp>
#include <string>
#include <vector>

#include "analysis/internal.h"
#include "core/test_util.h"

using namespace callsight;
using analysis::BuildLogs;
using testing::EmptySession;
using testing::kT0;
using testing::UserPeer;

namespace {

Event Ev(int64_t time_ms, std::string peer, std::string type,
         FailedOperation failed = FailedOperation::kNone, bool terminal = false) {
  Event e;
  e.time_ms = time_ms;
  e.peer_id = std::move(peer);
  e.type = std::move(type);
  e.failed = failed;
  e.is_error = failed != FailedOperation::kNone;
  e.is_terminal = terminal;
  return e;
}

Breach BreachOf(BreachMetric metric, int64_t start_ms, int64_t end_ms) {
  Breach b;
  b.peer_id = "p1";
  b.metric = metric;
  b.start_ms = start_ms;
  b.end_ms = end_ms;
  return b;
}

// The analysis BuildLogs starts from: one PeerAnalysis per peer.
SessionAnalysis Prepared(const Session& s) {
  SessionAnalysis a;
  a.peers.resize(s.peers.size());
  return a;
}

}  // namespace

TEST_CASE("logs: input events and each breach's start and end, in time order", "[logs]") {
  Session s = EmptySession();
  s.events = {Ev(kT0, "p1", "peer.join.success"),
              Ev(kT0 + 20000, "p1", "client.publish.failed", FailedOperation::kPublish)};
  SessionAnalysis a = Prepared(s);
  a.breaches = {BreachOf(BreachMetric::kRtt, kT0 + 10000, kT0 + 30000),
                BreachOf(BreachMetric::kLayerOff, kT0 + 20000, kT0 + 40000)};
  BuildLogs(s, &a);
  std::vector<std::string> types;
  for (const LogEvent& e : a.events) types.push_back(e.type);
  // At the same time an input event comes before a derived one.
  CHECK(types == std::vector<std::string>{"peer.join.success", "breach.start",
                                          "client.publish.failed", "layer.off", "breach.end",
                                          "layer.on"});
  CHECK(a.events[0].event == 0);
  CHECK(a.events[0].breach == LogEvent::kNone);
  CHECK_FALSE(a.events[0].derived);
  CHECK(a.events[2].is_error);
  CHECK(a.events[3].derived);
  CHECK(a.events[3].breach == 1);
  CHECK(a.events[3].event == LogEvent::kNone);
  CHECK(a.events[3].peer_id == "p1");
  CHECK(a.error_events == std::vector<size_t>{1});
}

TEST_CASE("logs: failure rates count the failures and the successes the inputs show", "[logs]") {
  Session s = EmptySession();
  // Two peers joined; one never did (no presence, no tracks).
  s.peers.push_back(UserPeer("p1", "u1", {kT0, kT0 + 60000}));
  s.peers.push_back(UserPeer("p2", "u2", {kT0, kT0 + 60000}));
  Peer never;
  never.peer_id = "p3";
  s.peers.push_back(never);
  s.peers[1].tracks.push_back(testing::MakeTrack("v1", Direction::kSubscriber, MediaKind::kVideo,
                                                 "p1", {{Metric::kFps, testing::Const(30)}}));
  s.events = {Ev(kT0, "p3", "client.join.failed", FailedOperation::kJoin, true),
              Ev(kT0 + 1000, "p3", "client.join.failed", FailedOperation::kJoin),
              Ev(kT0 + 2000, "p1", "client.publish.failed", FailedOperation::kPublish),
              Ev(kT0 + 3000, "p2", "client.disconnected", FailedOperation::kConnection)};
  SessionAnalysis a = Prepared(s);
  a.peers[0].published_tracks = 3;
  BuildLogs(s, &a);
  const auto& rates = a.failure_rates;
  REQUIRE(rates.size() == 4);  // connect, join, publish, subscribe: nothing else is rated
  const FailureRate& join = rates.at("join");
  CHECK(join.attempts == 4);  // two joined, two failed
  CHECK(join.failures == 2);
  CHECK(join.terminal == 1);
  CHECK(join.retried == 1);
  CHECK(join.rate == Approx(0.5));
  const FailureRate& publish = rates.at("publish");
  CHECK(publish.attempts == 4);  // three published tracks, one failure
  CHECK(publish.failures == 1);
  CHECK(publish.rate == Approx(0.25));
  CHECK(rates.at("connect").attempts == 2);
  CHECK(rates.at("connect").rate == 0);
  CHECK(rates.at("subscribe").attempts == 1);
  CHECK(a.error_events.size() == 4);  // the disconnection is an error, not a rate
}

TEST_CASE("logs: a room's rates add up its sessions' and its unattached failures", "[logs]") {
  SessionSet set;
  set.sessions.resize(3);
  set.sessions[0].room_id = "r1";
  set.sessions[1].room_id = "r2";
  set.sessions[2].room_id = "r1";
  Analysis sessions;
  sessions.sessions.resize(3);
  for (auto& sa : sessions.sessions) sa.failure_rates["join"] = {10, 1, 1, 0, 0.1};
  RoomEvents room{
      "r1",
      {{Ev(kT0, "p9", "client.join.failed", FailedOperation::kJoin), UnattachedWhy::kNoMatch}}};
  RoomAnalysis r = analysis::AnalyzeRoom(set, sessions, room);
  CHECK(r.room_id == "r1");
  const FailureRate& join = r.failure_rates.at("join");
  CHECK(join.attempts == 21);  // two sessions of r1, and the unattached attempt
  CHECK(join.failures == 3);
  CHECK(join.terminal == 2);
  CHECK(join.retried == 1);
  CHECK(join.rate == Approx(3.0 / 21));
  CHECK(r.failure_rates.at("publish").attempts == 0);  // every rate is listed

  // A room without id takes no session's rates: only its own events.
  RoomAnalysis unknown = analysis::AnalyzeRoom(set, sessions, RoomEvents{"", room.events});
  CHECK(unknown.failure_rates.at("join").attempts == 1);
  CHECK(unknown.failure_rates.at("join").rate == 1);
}
