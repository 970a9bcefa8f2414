// Who receives whom (core/src/analysis/receivers.cpp): PeerAnalysis::
// receives_from and received_by on hand-built sessions.
#include <catch2/catch.hpp>
#include <string>
#include <vector>

#include "callsight/analysis.h"
#include "test_util.h"

using namespace callsight;
using callsight::testing::Call;
using callsight::testing::Cols;
using callsight::testing::Const;
using callsight::testing::Id;
using callsight::testing::MakeTrack;
using callsight::testing::With;

namespace {

SessionAnalysis AnalyzeOne(const Session& s) {
  SessionSet set;
  set.sessions.push_back(s);
  return Analyze(set, Config()).sessions.at(0);
}

Cols Audio() { return {{Metric::kBitrate, Const(3e4)}, {Metric::kPacketLoss, Const(0)}}; }

std::vector<std::string> Ids(const std::vector<PeerLink>& links) {
  std::vector<std::string> out;
  for (const PeerLink& l : links) out.push_back(l.peer_id);
  return out;
}

}  // namespace

TEST_CASE("receivers: in a call everyone receives everyone else, by track index", "[receivers]") {
  const Session s = Call(
      3, MediaKind::kAudio, [](int) { return Audio(); }, [](int, int) { return Audio(); });
  const SessionAnalysis sa = AnalyzeOne(s);
  // p1's tracks: a1 (sent), then a0 and a2 received.
  const PeerAnalysis& p1 = sa.peers[1];
  CHECK(Ids(p1.receives_from) == std::vector<std::string>{"p0", "p2"});
  CHECK(p1.receives_from[0].tracks == std::vector<size_t>{1});
  CHECK(p1.receives_from[1].tracks == std::vector<size_t>{2});
  // p1 is received by p0 (its track 1: a1) and p2 (its track 2: a1), in peer order.
  CHECK(Ids(p1.received_by) == std::vector<std::string>{"p0", "p2"});
  CHECK(p1.received_by[0].tracks == std::vector<size_t>{1});
  CHECK(p1.received_by[1].tracks == std::vector<size_t>{2});
  CHECK(Ids(sa.peers[0].received_by) == std::vector<std::string>{"p1", "p2"});
}

TEST_CASE("receivers: a sender's media are grouped audio first; unknown senders apart",
          "[receivers]") {
  Session s = Call(
      2, MediaKind::kAudio, [](int) { return Audio(); }, [](int, int) { return Audio(); });
  // p0 publishes a camera too; p1 receives it first, then a track of nobody known.
  s.peers[0].tracks.push_back(
      MakeTrack("v0", Direction::kPublisher, MediaKind::kVideo, "", {{Metric::kFps, Const(20)}}));
  auto& p1 = s.peers[1].tracks;
  p1.insert(p1.begin() + 1, MakeTrack("v0", Direction::kSubscriber, MediaKind::kVideo, Id(0),
                                      {{Metric::kFps, Const(20)}}));
  p1.push_back(MakeTrack("x", Direction::kSubscriber, MediaKind::kAudio, "", Audio()));
  // p1's tracks: a1 (sent), v0, a0 (from p0), x (sender unknown).
  const SessionAnalysis sa = AnalyzeOne(s);
  const PeerAnalysis& rx = sa.peers[1];
  REQUIRE(Ids(rx.receives_from) == std::vector<std::string>{"p0", ""});
  CHECK(rx.receives_from[0].tracks == std::vector<size_t>{2, 1});  // audio before video
  CHECK(rx.receives_from[1].tracks == std::vector<size_t>{3});
  REQUIRE(Ids(sa.peers[0].received_by) == std::vector<std::string>{"p1"});
  CHECK(sa.peers[0].received_by[0].tracks == std::vector<size_t>{1, 2});
}

TEST_CASE("receivers: a received track without a sender id is matched by its track id",
          "[receivers]") {
  Session s = Call(
      2, MediaKind::kAudio, [](int) { return Audio(); }, [](int, int) { return Audio(); });
  s.peers[1].tracks[1].remote_peer_id.clear();  // a0, sender not said
  // and a track of p1's own published id, sender not said either
  s.peers[1].tracks.push_back(
      MakeTrack("a1", Direction::kSubscriber, MediaKind::kAudio, "", Audio()));
  const SessionAnalysis sa = AnalyzeOne(s);
  REQUIRE(Ids(sa.peers[0].received_by) == std::vector<std::string>{"p1"});
  CHECK(sa.peers[0].received_by[0].tracks == std::vector<size_t>{1});
  // The receiver's side names the sender as the inputs do: not at all.
  REQUIRE(Ids(sa.peers[1].receives_from) == std::vector<std::string>{""});
  CHECK(sa.peers[1].receives_from[0].tracks == std::vector<size_t>{1, 2});
  // A peer never receives itself, even when it sent a track of that id.
  CHECK(Ids(sa.peers[1].received_by) == std::vector<std::string>{"p0"});
}

// ------------------------------------------------ sender -> receiver pairs --

namespace {

// Audio at 30 kbps with the given packet loss column.
Cols Loss(std::vector<double> loss) {
  return {{Metric::kBitrate, Const(3e4)}, {Metric::kPacketLoss, std::move(loss)}};
}

const Issue* FindIssue(const SessionAnalysis& sa, IssueCode code, const std::string& peer) {
  for (const Issue& is : sa.issues) {
    if (is.code == code && is.peer_id == peer) return &is;
  }
  return nullptr;
}

}  // namespace

TEST_CASE("pairs: an uplink issue pairs its sender with the receiver it hurt most",
          "[receivers][pairs]") {
  // p0 loses 9 % on the way up; p1 and p3 see 4 % of it (warning), p2 9 % (critical).
  const std::vector<double> sent = With(Const(0), 2, 6, 9);
  const Session s = Call(
      4, MediaKind::kAudio, [&](int i) { return Loss(i == 0 ? sent : Const(0)); },
      [](int receiver, int sender) {
        if (sender != 0) return Loss(Const(0));
        return Loss(With(Const(0), 2, 6, receiver == 2 ? 9 : 4));
      });
  const SessionAnalysis sa = AnalyzeOne(s);
  const Issue* up = FindIssue(sa, IssueCode::kHighPacketLoss, "p0");
  REQUIRE(up);
  REQUIRE(up->direction == Path::kUplink);
  REQUIRE(up->affected_peers == std::vector<std::string>{"p1", "p2", "p3"});
  REQUIRE(up->pair);
  CHECK(up->pair->from == "p0");
  CHECK(up->pair->to == "p2");  // its critical breach, not the first receiver
  CHECK(up->pair->others == 2);
  REQUIRE(sa.top_pair);
  CHECK(&sa.issues[*sa.top_pair] == up);
  REQUIRE(sa.meetings.size() == 1);
  CHECK(sa.meetings[0].top_pair == sa.top_pair);
}

TEST_CASE("pairs: a downlink issue pairs the sender with the receiver; one peer's issue has none",
          "[receivers][pairs]") {
  // p2 receives p1's audio with 9 % loss (its own downlink: p0 gets p1 clean);
  // p3 publishes audio nobody receives, with a long round trip (critical, and
  // longer): an issue of one peer.
  Session s = Call(
      3, MediaKind::kAudio, [](int) { return Loss(Const(0)); },
      [](int receiver, int sender) {
        return Loss(receiver == 2 && sender == 1 ? With(Const(0), 2, 6, 9) : Const(0));
      });
  Peer lone;
  lone.peer_id = Id(3);
  Cols rtt = Loss(Const(0));
  rtt.push_back({Metric::kRtt, Const(900)});
  lone.tracks.push_back(MakeTrack("a3", Direction::kPublisher, MediaKind::kAudio, "", rtt));
  s.peers.push_back(lone);
  const SessionAnalysis sa = AnalyzeOne(s);
  const Issue* down = FindIssue(sa, IssueCode::kHighPacketLoss, "p2");
  REQUIRE(down);
  REQUIRE(down->direction == Path::kDownlink);
  REQUIRE(down->pair);
  CHECK(down->pair->from == "p1");
  CHECK(down->pair->to == "p2");
  CHECK(down->pair->others == 0);
  const Issue* alone = FindIssue(sa, IssueCode::kHighRtt, "p3");
  REQUIRE(alone);
  CHECK(alone->severity == Severity::kCritical);
  CHECK(alone->end_ms - alone->start_ms > down->end_ms - down->start_ms);
  CHECK(alone->affected_peers.empty());
  CHECK_FALSE(alone->pair);
  // The worst issue with a pair, not the worst issue.
  REQUIRE(sa.top_pair);
  CHECK(&sa.issues[*sa.top_pair] == down);
  CHECK(sa.top_issues.front() != *sa.top_pair);
}
