// Attribution and event issues (core/src/analysis/issues.cpp) on hand-built sessions.
#include <catch2/catch.hpp>

#include "analysis/internal.h"
#include "callsight/analysis.h"
#include "report/issue_text.h"

using namespace callsight;

namespace {

constexpr int64_t kT0 = 1700000000000LL;

Series Loss(std::vector<double> loss) {
  Series s;
  for (size_t i = 0; i < loss.size(); ++i)
    s.timestamps_ms.push_back(kT0 + static_cast<int64_t>(i) * 10000);
  s.column(Metric::kPacketLoss).assign(loss.begin(), loss.end());
  return s;
}

// n peers, each publishing audio track "a<i>" with the given publisher loss,
// each receiving every other peer's audio with the loss receive(receiver, sender).
template <typename F>
Session Call(int n, const std::vector<double>& pub_loss_p0, F receive) {
  Session s;
  s.session_id = "s";
  s.start_ms = kT0;
  s.end_ms = kT0 + 100000;
  for (int i = 0; i < n; ++i) {
    Peer p;
    p.peer_id = "p" + std::to_string(i);
    std::vector<double> pub(pub_loss_p0.size(), 0);
    if (i == 0) pub = pub_loss_p0;
    p.tracks.push_back(Track{
        "a" + std::to_string(i), Direction::kPublisher, MediaKind::kAudio, "", {{"", Loss(pub)}}});
    for (int j = 0; j < n; ++j) {
      if (j == i) continue;
      p.tracks.push_back(Track{"a" + std::to_string(j),
                               Direction::kSubscriber,
                               MediaKind::kAudio,
                               "p" + std::to_string(j),
                               {{"", Loss(receive(i, j))}}});
    }
    s.peers.push_back(std::move(p));
  }
  return s;
}

SessionAnalysis Run(const Session& s) {
  SessionSet set;
  set.sessions.push_back(s);
  return Analyze(set, Config()).sessions.at(0);
}

const std::vector<double> kBurst = {0, 0, 9, 9, 9, 9, 0, 0, 0, 0};
const std::vector<double> kClean(10, 0);

}  // namespace

TEST_CASE("sender's uplink loss seen by all receivers is one uplink issue", "[issues]") {
  Session s = Call(4, kBurst, [](int, int sender) { return sender == 0 ? kBurst : kClean; });
  SessionAnalysis a = Run(s);
  REQUIRE(a.issues.size() >= 1);
  int loss = 0;
  for (const Issue& is : a.issues) {
    if (is.code != IssueCode::kHighPacketLoss) continue;
    ++loss;
    CHECK(is.peer_id == "p0");
    CHECK(is.direction == Path::kUplink);
    CHECK(is.affected_peers == std::vector<std::string>{"p1", "p2", "p3"});
  }
  CHECK(loss == 1);
}

TEST_CASE("receivers all seeing one sender's loss blame the sender even without its own stats",
          "[issues]") {
  Session s = Call(4, kClean, [](int, int sender) { return sender == 0 ? kBurst : kClean; });
  SessionAnalysis a = Run(s);
  REQUIRE(a.issues.size() == 1);
  CHECK(a.issues[0].peer_id == "p0");
  CHECK(a.issues[0].direction == Path::kUplink);
  CHECK(a.issues[0].affected_peers.size() == 3);
}

TEST_CASE("one receiver bad from every sender is that receiver's downlink", "[issues]") {
  Session s = Call(4, kClean, [](int receiver, int) { return receiver == 2 ? kBurst : kClean; });
  SessionAnalysis a = Run(s);
  REQUIRE(a.issues.size() == 1);
  CHECK(a.issues[0].peer_id == "p2");
  CHECK(a.issues[0].direction == Path::kDownlink);
  CHECK(a.issues[0].breaches.size() == 3);  // one per sender, merged into one issue
  CHECK(a.issues[0].peak == 9);
  const report::IssueText text = report::DescribeIssue(s, a.issues[0], report::Clock());
  CHECK(text.detail.find("9.0%") != std::string::npos);
  CHECK_FALSE(text.advice.empty());
}

TEST_CASE("one disconnect told by the webhook and the client is one occurrence", "[issues]") {
  Session s = Call(2, kClean, [](int, int) { return kClean; });
  Event left;  // the platform's leave webhook: a reason, no error code
  left.time_ms = kT0 + 5000;
  left.peer_id = "p0";
  left.type = "peer.leave.success";
  left.leave_reason = LeaveReason::kWebsocketClosed;
  Event client = left;  // the client's own event a second later, with the code
  client.time_ms = kT0 + 6000;
  client.type = "client.disconnected";
  client.leave_reason = LeaveReason::kNone;
  client.is_error = true;
  client.failed = FailedOperation::kConnection;
  client.error_code = "1003";
  client.error_name = "WebSocketConnectionLost";
  Event later = client;  // a real second drop
  later.time_ms = kT0 + 40000;
  s.events = {left, client, later};
  const SessionAnalysis a = Run(s);
  REQUIRE(a.issues.size() == 1);
  const Issue& is = a.issues[0];
  CHECK(is.code == IssueCode::kDisconnected);
  CHECK(is.events == std::vector<size_t>{1, 2});  // the client's event stands for the first
  CHECK(is.start_ms == kT0 + 5000);
  CHECK(is.end_ms == kT0 + 40000);
  const std::string detail = report::DescribeIssue(s, is, report::Clock()).detail;
  CHECK(detail.find("WebSocketConnectionLost (code 1003)") != std::string::npos);
  CHECK(detail.find("It happened again at") != std::string::npos);
}

TEST_CASE("failures and disconnects from events count at once", "[issues]") {
  Session s = Call(2, kClean, [](int, int) { return kClean; });
  Event publish;
  publish.time_ms = kT0 + 5000;
  publish.peer_id = "p1";
  publish.type = "client.publish.failed";
  publish.is_error = true;
  publish.failed = FailedOperation::kPublish;
  publish.action = "PUBLISH";  // as the SDK writes it; what failed comes from `failed`
  publish.is_terminal = true;
  publish.error_name = "CantAccessCaptureDevice";
  Event retry = publish;
  retry.type = "client.connect.failed";
  retry.failed = FailedOperation::kConnect;
  retry.action = "RECONNECT_SIGNAL";
  retry.is_terminal = false;
  Event drop;
  drop.time_ms = kT0 + 9000;
  drop.peer_id = "p0";
  drop.type = "client.disconnected";
  drop.is_error = true;
  drop.failed = FailedOperation::kConnection;
  s.events = {publish, retry, drop};
  SessionAnalysis a = Run(s);
  REQUIRE(a.issues.size() == 3);
  for (const Issue& is : a.issues) {
    if (is.code == IssueCode::kPublishFailed) {
      CHECK(is.severity == Severity::kCritical);
      CHECK(is.events == std::vector<size_t>{0});
      CHECK(report::DescribeIssue(s, is, report::Clock()).detail.find("CantAccessCaptureDevice") !=
            std::string::npos);
    } else if (is.code == IssueCode::kConnectFailed) {
      CHECK(is.severity == Severity::kWarning);
    } else {
      CHECK(is.code == IssueCode::kDisconnected);
      CHECK(is.peer_id == "p0");
    }
  }
  CHECK(a.failure_rates.at("publish").failures == 1);
  CHECK(a.failure_rates.at("publish").terminal == 1);
  CHECK(a.failure_rates.at("connect").retried == 1);
  CHECK(a.failure_rates.at("connect").attempts == 3);  // two peers connected + one failure
}

// ---------------------------------------------------------- attribution --
// Causal attribution on hand-made breaches: sender p0 publishes audio "a0",
// cameras "v0" and "v1" and a screen "s0"; receivers p1..p<n> take them all.

namespace {

Series Clean10() { return Loss(kClean); }

Session Broadcast(int receivers) {
  Session s;
  s.session_id = "s";
  s.start_ms = kT0;
  s.end_ms = kT0 + 100000;
  const std::pair<const char*, MediaKind> media[] = {{"a0", MediaKind::kAudio},
                                                     {"v0", MediaKind::kVideo},
                                                     {"v1", MediaKind::kVideo},
                                                     {"s0", MediaKind::kScreen}};
  Peer sender;
  sender.peer_id = "p0";
  for (const auto& [id, kind] : media) {
    sender.tracks.push_back(Track{id, Direction::kPublisher, kind, "", {{"", Clean10()}}});
  }
  s.peers.push_back(std::move(sender));
  for (int r = 1; r <= receivers; ++r) {
    Peer p;
    p.peer_id = "p" + std::to_string(r);
    for (const auto& [id, kind] : media) {
      p.tracks.push_back(Track{id, Direction::kSubscriber, kind, "p0", {{"", Clean10()}}});
    }
    s.peers.push_back(std::move(p));
  }
  return s;
}

MediaKind KindOf(const std::string& track) {
  return track[0] == 'a'   ? MediaKind::kAudio
         : track[0] == 'v' ? MediaKind::kVideo
                           : MediaKind::kScreen;
}

// A breach of 4 samples (30 s) starting `from_s` seconds into the call.
Breach MakeBreach(const std::string& peer, const std::string& track, BreachMetric metric,
                  int64_t from_s = 20) {
  Breach b;
  b.peer_id = peer;
  b.track_id = track;
  b.direction = peer == "p0" ? Direction::kPublisher : Direction::kSubscriber;
  b.kind = KindOf(track);
  b.metric = metric;
  b.severity = Severity::kWarning;
  b.start_ms = kT0 + from_s * 1000;
  b.end_ms = b.start_ms + 30000;
  b.peak = b.mean = b.threshold = 1;
  b.samples = 4;
  return b;
}

struct Attributed {
  std::vector<Breach> breaches;
  std::vector<Issue> issues;
  const Issue& IssueOf(size_t breach) const {
    REQUIRE(breaches.at(breach).issue >= 0);
    return issues.at(static_cast<size_t>(breaches[breach].issue));
  }
};

Attributed Attribute(const Session& s, std::vector<Breach> breaches) {
  const Config config;
  Attributed a;
  a.breaches = std::move(breaches);
  const auto views = analysis::BuildViews(s, config, 1);
  a.issues = analysis::BuildIssues(s, views, &a.breaches, config);
  return a;
}

// Sender breach 0 and receiver p1's breach 1: whether the sender's uplink issue
// explains the receiver's breach (else the receiver keeps a downlink issue).
bool Explains(Breach sent, Breach received) {
  const Attributed a = Attribute(Broadcast(1), {sent, received});
  const Issue& up = a.IssueOf(0);
  CHECK(up.peer_id == "p0");
  CHECK(up.direction == Path::kUplink);
  CHECK(up.code == IssueCodeOf(sent.metric));
  const Issue& got = a.IssueOf(1);
  if (&got == &up) {
    CHECK(up.explains == std::vector<size_t>{1});
    CHECK(up.affected_peers == std::vector<std::string>{"p1"});
    CHECK(up.breaches == std::vector<size_t>{0, 1});
    return true;
  }
  CHECK(got.peer_id == "p1");
  CHECK(got.direction == Path::kDownlink);
  CHECK(got.code == IssueCodeOf(received.metric));
  CHECK(got.breaches == std::vector<size_t>{1});
  CHECK(up.explains.empty());
  CHECK(up.affected_peers.empty());
  return false;
}

using M = BreachMetric;

}  // namespace

TEST_CASE("attribution: sender loss explains receiver loss, concealment, freezes, low fps",
          "[issues][attribution]") {
  CHECK(Explains(MakeBreach("p0", "a0", M::kPacketLoss), MakeBreach("p1", "a0", M::kPacketLoss)));
  CHECK(Explains(MakeBreach("p0", "a0", M::kPacketLoss), MakeBreach("p1", "a0", M::kConcealment)));
  CHECK(Explains(MakeBreach("p0", "v0", M::kPacketLoss), MakeBreach("p1", "v0", M::kFreezeCount)));
  CHECK(Explains(MakeBreach("p0", "v0", M::kPacketLoss), MakeBreach("p1", "v0", M::kFps)));
  CHECK(Explains(MakeBreach("p0", "s0", M::kPacketLoss), MakeBreach("p1", "s0", M::kFreezeCount)));
}

TEST_CASE("attribution: sender low bitrate, low fps or a layer off explains low fps or bitrate",
          "[issues][attribution]") {
  for (M sent : {M::kVideoBitrateTotal, M::kFps, M::kLayerOff}) {
    INFO(BreachMetricName(sent));
    CHECK(Explains(MakeBreach("p0", "v0", sent), MakeBreach("p1", "v0", M::kFps)));
    CHECK(Explains(MakeBreach("p0", "v0", sent), MakeBreach("p1", "v0", M::kVideoBitrateTotal)));
  }
  CHECK(
      Explains(MakeBreach("p0", "a0", M::kAudioBitrate), MakeBreach("p1", "a0", M::kAudioBitrate)));
}

TEST_CASE("attribution: sender jitter explains receiver concealment", "[issues][attribution]") {
  CHECK(Explains(MakeBreach("p0", "a0", M::kJitter), MakeBreach("p1", "a0", M::kConcealment)));
}

TEST_CASE("attribution: sender RTT explains nothing the receiver shows", "[issues][attribution]") {
  // The case of issue 19: a sender's high RTT swallowed a receiver's concealment.
  CHECK_FALSE(Explains(MakeBreach("p0", "a0", M::kRtt), MakeBreach("p1", "a0", M::kConcealment)));
  CHECK_FALSE(Explains(MakeBreach("p0", "a0", M::kRtt), MakeBreach("p1", "a0", M::kPacketLoss)));
  CHECK_FALSE(Explains(MakeBreach("p0", "v0", M::kRtt), MakeBreach("p1", "v0", M::kFreezeCount)));
}

TEST_CASE("attribution: other media or tracks are never explained", "[issues][attribution]") {
  // The case of issue 19: video freezes listed under an audio jitter issue that had ended.
  CHECK_FALSE(
      Explains(MakeBreach("p0", "a0", M::kJitter, 0), MakeBreach("p1", "v0", M::kFreezeCount, 45)));
  // Even overlapping, and even a causal metric: audio loss is not video's cause.
  CHECK_FALSE(
      Explains(MakeBreach("p0", "a0", M::kPacketLoss), MakeBreach("p1", "v0", M::kFreezeCount)));
  // Loss on one camera does not explain freezes of the other camera or the screen.
  CHECK_FALSE(
      Explains(MakeBreach("p0", "v0", M::kPacketLoss), MakeBreach("p1", "v1", M::kFreezeCount)));
  CHECK_FALSE(
      Explains(MakeBreach("p0", "v0", M::kPacketLoss), MakeBreach("p1", "s0", M::kFreezeCount)));
}

TEST_CASE("attribution: non-causal metrics on the same media stay the receiver's",
          "[issues][attribution]") {
  CHECK_FALSE(Explains(MakeBreach("p0", "a0", M::kJitter), MakeBreach("p1", "a0", M::kPacketLoss)));
  CHECK_FALSE(Explains(MakeBreach("p0", "v0", M::kFps), MakeBreach("p1", "v0", M::kFreezeCount)));
  CHECK_FALSE(Explains(MakeBreach("p0", "v0", M::kVideoBitrateTotal),
                       MakeBreach("p1", "v0", M::kFreezeCount)));
  CHECK_FALSE(Explains(MakeBreach("p0", "a0", M::kMos), MakeBreach("p1", "a0", M::kConcealment)));
  CHECK_FALSE(Explains(MakeBreach("p0", "a0", M::kMediaGap), MakeBreach("p1", "a0", M::kMediaGap)));
}

TEST_CASE("attribution: a cause that ended before the receiver's breach explains nothing",
          "[issues][attribution]") {
  // Sender loss 0..30 s; receiver loss 60..90 s: more than one sample spacing apart.
  CHECK_FALSE(Explains(MakeBreach("p0", "a0", M::kPacketLoss, 0),
                       MakeBreach("p1", "a0", M::kPacketLoss, 60)));
  // Within one sample spacing (10 s) of each other they still overlap.
  CHECK(Explains(MakeBreach("p0", "a0", M::kPacketLoss, 0),
                 MakeBreach("p1", "a0", M::kPacketLoss, 40)));
}

TEST_CASE("attribution: of several sender issues, the causal one explains",
          "[issues][attribution]") {
  // RTT and jitter at once on the sender's audio: the receiver's concealment
  // joins the jitter issue, not the RTT one.
  const Attributed a =
      Attribute(Broadcast(1), {MakeBreach("p0", "a0", M::kRtt), MakeBreach("p0", "a0", M::kJitter),
                               MakeBreach("p1", "a0", M::kConcealment)});
  CHECK(a.IssueOf(2).code == IssueCode::kHighJitter);
  CHECK(a.IssueOf(2).explains == std::vector<size_t>{2});
  CHECK(a.IssueOf(0).code == IssueCode::kHighRtt);
  CHECK(a.IssueOf(0).explains.empty());
  // The jitter issue's figures come from its own breach, not the concealment.
  CHECK(a.IssueOf(1).metric == M::kJitter);
  CHECK(a.IssueOf(1).measured == Direction::kPublisher);
}

TEST_CASE("attribution: most receivers suffering on one track blame its sender",
          "[issues][attribution]") {
  // p1 and p2 of three receivers freeze on camera v0 with no sender breach.
  const Attributed a = Attribute(Broadcast(3), {MakeBreach("p1", "v0", M::kFreezeCount),
                                                MakeBreach("p2", "v0", M::kFreezeCount)});
  REQUIRE(a.issues.size() == 1);
  const Issue& up = a.issues[0];
  CHECK(up.peer_id == "p0");
  CHECK(up.direction == Path::kUplink);
  CHECK(up.code == IssueCode::kVideoFreeze);
  CHECK(up.measured == Direction::kSubscriber);
  CHECK(up.explains == std::vector<size_t>{0, 1});
  CHECK(up.affected_peers == std::vector<std::string>{"p1", "p2"});
}

TEST_CASE("attribution: receivers suffering on different tracks are not a majority",
          "[issues][attribution]") {
  // p1 freezes on camera v0, p2 on camera v1: one of three receivers per
  // track, so each keeps its own downlink issue.
  const Attributed a = Attribute(Broadcast(3), {MakeBreach("p1", "v0", M::kFreezeCount),
                                                MakeBreach("p2", "v1", M::kFreezeCount)});
  REQUIRE(a.issues.size() == 2);
  for (size_t i = 0; i < 2; ++i) {
    CHECK(a.IssueOf(i).peer_id == a.breaches[i].peer_id);
    CHECK(a.IssueOf(i).direction == Path::kDownlink);
  }
}
