// Attribution and event issues (core/src/analysis/issues.cpp) on hand-built sessions.
#include <catch2/catch.hpp>

#include "callsight/analysis.h"

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
    if (is.code != "high_packet_loss") continue;
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
  CHECK(a.issues[0].detail.find("9.0%") != std::string::npos);
  CHECK_FALSE(a.issues[0].advice.empty());
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
    if (is.code == "publish_failed") {
      CHECK(is.severity == Severity::kCritical);
      CHECK(is.detail.find("CantAccessCaptureDevice") != std::string::npos);
    } else if (is.code == "connect_failed") {
      CHECK(is.severity == Severity::kWarning);
    } else {
      CHECK(is.code == "disconnected");
      CHECK(is.peer_id == "p0");
    }
  }
  CHECK(a.failure_rates.at("publish").failures == 1);
  CHECK(a.failure_rates.at("publish").terminal == 1);
  CHECK(a.failure_rates.at("connect").retried == 1);
  CHECK(a.failure_rates.at("connect").attempts == 3);  // two peers connected + one failure
}
