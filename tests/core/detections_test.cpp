// Detections (core/src/analysis/detections*.cpp) on hand-built sessions, and
// nothing on the generated clean ones.
#include "analysis/detections.h"

#include <algorithm>
#include <catch2/catch.hpp>
#include <cmath>
#include <functional>
#include <nlohmann/json.hpp>

#include "callsight/engine.h"
#include "core/test_util.h"

using namespace callsight;
using analysis::Detection;
using analysis::DetectionKind;
using testing::Call;
using testing::Cols;
using testing::Const;
using testing::EmptySession;
using testing::Id;
using testing::kStep;
using testing::kT0;
using testing::ListDir;
using testing::MakeSeries;
using testing::MakeTrack;
using testing::ReadFile;
using testing::UserPeer;
using testing::With;

namespace {

constexpr size_t kN = 12;

std::vector<Detection> Detect(const Session& s, const Config& c = {}) {
  auto views = analysis::BuildViews(s, c, 1);
  auto breaches = analysis::FindBreaches(views, c, 1);
  return analysis::FindDetections(s, views, breaches, c);
}

std::vector<Detection> OfKind(const std::vector<Detection>& all, DetectionKind k) {
  std::vector<Detection> out;
  for (const Detection& d : all) {
    if (d.kind == k) out.push_back(d);
  }
  return out;
}

std::vector<std::string> Ids(std::initializer_list<int> ids) {
  std::vector<std::string> out;
  for (int i : ids) out.push_back(Id(i));
  return out;
}

// Video sent at 30 fps, 1.2 Mbps; received as `rx_fps` at 900 kbps.
Cols VideoPub(std::vector<double> fps = Const(30)) {
  return {{Metric::kFps, fps}, {Metric::kBitrate, Const(1.2e6, fps.size())}};
}
Cols VideoRx(std::vector<double> fps = Const(30)) {
  return {{Metric::kFps, fps}, {Metric::kBitrate, Const(9e5, fps.size())}};
}

const std::vector<double> kLow5 = With(Const(30), 3, 7, 5);  // four samples at 5 fps

}  // namespace

// ---- low received frame rate ----

TEST_CASE("low received fps from every sender is the receiver's downlink", "[detections]") {
  Session s = Call(
      4, MediaKind::kVideo, [](int) { return VideoPub(); },
      [](int r, int) { return VideoRx(r == 0 ? kLow5 : Const(30)); });
  auto found = OfKind(Detect(s), DetectionKind::kLowReceivedFps);
  REQUIRE(found.size() == 1);
  const Detection& d = found[0];
  CHECK(d.peer_id == "p0");
  CHECK(d.direction == Path::kDownlink);
  CHECK(d.peers == Ids({1, 2, 3}));
  CHECK(d.peers_total == 3);
  CHECK(d.samples == 12);  // four samples from each of three senders
  CHECK(d.value == Approx(5));
  CHECK(d.worst == Approx(5));
  CHECK(d.baseline == Approx(30));
  CHECK(d.severity == Severity::kCritical);
  CHECK(d.threshold == Approx(7));
  CHECK(d.start_ms == kT0 + 3 * kStep);
  CHECK(d.end_ms == kT0 + 6 * kStep);
  CHECK(d.track_ids == std::vector<std::string>{"v1", "v2", "v3"});
}

TEST_CASE("low received fps from one sender seen by all its receivers is its uplink",
          "[detections]") {
  Session s = Call(
      4, MediaKind::kVideo, [](int) { return VideoPub(); },
      [](int, int sender) { return VideoRx(sender == 2 ? With(Const(30), 3, 7, 10) : Const(30)); });
  auto found = OfKind(Detect(s), DetectionKind::kLowReceivedFps);
  REQUIRE(found.size() == 1);
  CHECK(found[0].peer_id == "p2");
  CHECK(found[0].direction == Path::kUplink);
  CHECK(found[0].peers == Ids({0, 1, 3}));
  CHECK(found[0].peers_total == 3);
  CHECK(found[0].severity == Severity::kWarning);
  CHECK(found[0].threshold == Approx(15));
  CHECK(found[0].value == Approx(10));
}

TEST_CASE("low received fps from one sender on one receiver is that receiver's downlink",
          "[detections]") {
  Session s = Call(
      4, MediaKind::kVideo, [](int) { return VideoPub(); },
      [](int r, int sender) { return VideoRx(r == 0 && sender == 2 ? kLow5 : Const(30)); });
  auto found = OfKind(Detect(s), DetectionKind::kLowReceivedFps);
  REQUIRE(found.size() == 1);
  CHECK(found[0].peer_id == "p0");
  CHECK(found[0].direction == Path::kDownlink);
  CHECK(found[0].peers == Ids({2}));
  CHECK(found[0].peers_total == 3);
  CHECK(found[0].samples == 4);
}

TEST_CASE("low received fps the sender's own uplink loss explains is its uplink", "[detections]") {
  auto run = [](bool sender_loss) {
    Session s = Call(
        4, MediaKind::kVideo,
        [&](int i) {
          Cols c = VideoPub();
          const bool lossy = sender_loss && i == 2;
          c.push_back({Metric::kPacketLoss, lossy ? With(Const(0), 3, 7, 9) : Const(0)});
          return c;
        },
        [](int r, int sender) { return VideoRx(r == 0 && sender == 2 ? kLow5 : Const(30)); });
    return OfKind(Detect(s), DetectionKind::kLowReceivedFps);
  };
  auto explained = run(true);
  REQUIRE(explained.size() == 1);
  CHECK(explained[0].peer_id == "p2");
  CHECK(explained[0].direction == Path::kUplink);
  CHECK(explained[0].peers == Ids({0}));
  CHECK(explained[0].peers_total == 3);
  auto alone = run(false);  // the same received run without the sender's loss
  REQUIRE(alone.size() == 1);
  CHECK(alone[0].peer_id == "p0");
  CHECK(alone[0].direction == Path::kDownlink);
}

TEST_CASE("low received fps near misses raise nothing", "[detections]") {
  auto run = [](std::vector<double> rx_fps, std::vector<double> tx_fps, Cols rx_extra = {}) {
    Session s = Call(
        2, MediaKind::kVideo, [&](int) { return VideoPub(tx_fps); },
        [&](int r, int) {
          Cols c = VideoRx(r == 0 ? rx_fps : Const(30));
          for (auto& e : rx_extra) {
            for (auto& col : c) {
              if (col.first == e.first && r == 0) col.second = e.second;
            }
          }
          return c;
        });
    return OfKind(Detect(s), DetectionKind::kLowReceivedFps);
  };
  SECTION("the same run fires") { CHECK(run(kLow5, Const(30)).size() == 1); }
  SECTION("one sample") { CHECK(run(With(Const(30), 3, 4, 5), Const(30)).empty()); }
  SECTION("at the threshold, not below") {
    CHECK(run(With(Const(30), 3, 7, 15), Const(30)).empty());
  }
  SECTION("the sender is low too: its own low_fps") {
    CHECK(run(kLow5, With(Const(30), 0, kN, 12)).empty());
  }
  SECTION("missing samples are not low") {
    CHECK(run(With(Const(30), 3, 7, kUnset), Const(30)).empty());
  }
  SECTION("nothing at all is nothing_received's, not low fps") {
    CHECK(run(With(Const(30), 3, 7, 0), Const(30), {{Metric::kBitrate, With(Const(9e5), 3, 7, 0)}})
              .empty());
  }
}

TEST_CASE("low received fps against a simulcast sender's lowest sending layer", "[detections]") {
  auto run = [](double low_layer_fps, std::vector<double> rx_fps) {
    Session s = Call(
        2, MediaKind::kVideo, [](int) { return VideoPub(); },
        [&](int r, int) { return VideoRx(r == 0 ? rx_fps : Const(30)); });
    Track& sent = s.peers[1].tracks[0];
    sent.layers.front().rid = "h";
    sent.layers.push_back(Layer{
        "l", MakeSeries({{Metric::kFps, Const(low_layer_fps)}, {Metric::kBitrate, Const(1.5e5)}})});
    return OfKind(Detect(s), DetectionKind::kLowReceivedFps);
  };
  SECTION("every layer at 30 fps: 5 received is low") {
    auto found = run(30, kLow5);
    REQUIRE(found.size() == 1);
    CHECK(found[0].baseline == Approx(30));
  }
  SECTION("a low layer sent at 10 fps: 10 received is that layer, not a loss") {
    CHECK(run(10, With(Const(30), 3, 7, 10)).empty());
  }
}

TEST_CASE("low received fps from two of three senders is the receiver's, from two of four not",
          "[detections]") {
  auto run = [](int n) {
    Session s = Call(
        n, MediaKind::kVideo, [](int) { return VideoPub(); },
        [](int r, int sender) { return VideoRx(r == 0 && sender <= 2 ? kLow5 : Const(30)); });
    return OfKind(Detect(s), DetectionKind::kLowReceivedFps);
  };
  auto three = run(4);  // p0 gets p1..p3; p1 and p2 low: 2 of 3
  REQUIRE(three.size() == 1);
  CHECK(three[0].peers == Ids({1, 2}));
  CHECK(three[0].peers_total == 3);
  auto four = run(5);  // p0 gets p1..p4; 2 of 4: each sender on its own
  REQUIRE(four.size() == 2);
  for (const Detection& d : four) {
    CHECK(d.peer_id == "p0");
    CHECK(d.direction == Path::kDownlink);
    CHECK(d.peers.size() == 1);
    CHECK(d.peers_total == 4);
  }
}

// ---- nothing received ----

TEST_CASE("a received track carrying nothing while its sender sends", "[detections]") {
  Session s = Call(
      3, MediaKind::kVideo, [](int) { return VideoPub(); },
      [](int r, int sender) {
        if (r == 0 && sender == 1)
          return Cols{{Metric::kFps, With(Const(30), 4, 7, 0)},
                      {Metric::kBitrate, With(Const(9e5), 4, 7, 0)}};
        return VideoRx();
      });
  auto all = Detect(s);
  auto found = OfKind(all, DetectionKind::kNothingReceived);
  REQUIRE(found.size() == 1);
  CHECK(found[0].peer_id == "p0");
  CHECK(found[0].direction == Path::kDownlink);
  CHECK(found[0].peers == Ids({1}));
  CHECK(found[0].samples == 3);
  CHECK(found[0].value == 0);
  CHECK(found[0].baseline == Approx(1.2e6));
  CHECK(found[0].severity == Severity::kCritical);
  CHECK(found[0].track_ids == std::vector<std::string>{"v1"});
  CHECK(OfKind(all, DetectionKind::kLowReceivedFps).empty());
}

TEST_CASE("nothing received by every receiver of one sender is its uplink", "[detections]") {
  Session s = Call(
      3, MediaKind::kAudio,
      [](int) {
        return Cols{{Metric::kBitrate, Const(32000)}};
      },
      [](int, int sender) {
        return Cols{{Metric::kBitrate, sender == 2 ? With(Const(30000), 2, 6, 0) : Const(30000)}};
      });
  auto found = OfKind(Detect(s), DetectionKind::kNothingReceived);
  REQUIRE(found.size() == 1);
  CHECK(found[0].peer_id == "p2");
  CHECK(found[0].direction == Path::kUplink);
  CHECK(found[0].media == MediaKind::kAudio);
  CHECK(found[0].peers == Ids({0, 1}));
  CHECK(found[0].samples == 8);
}

TEST_CASE("nothing received near misses raise nothing", "[detections]") {
  auto run = [](std::vector<double> rx_fps, std::vector<double> rx_bitrate,
                std::vector<double> tx_bitrate) {
    Session s = Call(
        2, MediaKind::kVideo,
        [&](int) {
          return Cols{{Metric::kFps, Const(30)}, {Metric::kBitrate, tx_bitrate}};
        },
        [&](int r, int) {
          return r == 0 ? Cols{{Metric::kFps, rx_fps}, {Metric::kBitrate, rx_bitrate}} : VideoRx();
        });
    return OfKind(Detect(s), DetectionKind::kNothingReceived);
  };
  const auto zero3 = With(Const(30), 4, 7, 0);
  const auto zero3_bitrate = With(Const(9e5), 4, 7, 0);
  SECTION("the same run fires") { CHECK(run(zero3, zero3_bitrate, Const(1e6)).size() == 1); }
  SECTION("null is missing, not zero") {
    CHECK(run(With(Const(30), 4, 7, kUnset), With(Const(9e5), 4, 7, kUnset), Const(1e6)).empty());
  }
  SECTION("one sample") {
    CHECK(run(With(Const(30), 4, 5, 0), With(Const(9e5), 4, 5, 0), Const(1e6)).empty());
  }
  SECTION("frames but no bitrate figure of zero") {
    CHECK(run(Const(30), zero3_bitrate, Const(1e6)).empty());
  }
  SECTION("the sender sends nothing either") {
    CHECK(run(zero3, zero3_bitrate, With(Const(1e6), 3, 8, 0)).empty());
  }
}

TEST_CASE("nothing received: muted audio has nothing to deliver", "[detections]") {
  auto run = [](double sent_bps) {
    Session s = Call(
        2, MediaKind::kAudio,
        [&](int) {
          return Cols{{Metric::kBitrate, Const(sent_bps)}};
        },
        [](int r, int) {
          return Cols{{Metric::kBitrate, r == 0 ? With(Const(30000), 2, 6, 0) : Const(30000)}};
        });
    return OfKind(Detect(s), DetectionKind::kNothingReceived);
  };
  CHECK(run(32000).size() == 1);
  CHECK(run(1500).empty());  // under audio_muted_kbps (2): muted or DTX
}

// ---- low MOS of received audio ----

namespace {

Cols AudioPub(std::vector<double> loss = Const(0)) {
  return {{Metric::kPacketLoss, loss},
          {Metric::kRtt, Const(120)},
          {Metric::kJitter, Const(10)},
          {Metric::kBitrate, Const(32000)}};
}

}  // namespace

TEST_CASE("low MOS of what a peer hears, with the sender's delay", "[detections]") {
  Session s = Call(
      3, MediaKind::kAudio, [](int) { return AudioPub(); },
      [](int r, int sender) {
        return Cols{
            {Metric::kPacketLoss, r == 0 && sender == 1 ? With(Const(0), 2, 5, 20) : Const(0)}};
      });
  auto found = OfKind(Detect(s), DetectionKind::kLowReceivedAudioMos);
  REQUIRE(found.size() == 1);
  const Detection& d = found[0];
  const double mos = AudioMos(120, 10, 20).mos;
  REQUIRE(mos < 3.1);
  CHECK(d.peer_id == "p0");
  CHECK(d.direction == Path::kDownlink);
  CHECK(d.peers == Ids({1}));
  CHECK(d.peers_total == 2);  // p0 hears p1 and p2
  CHECK(d.samples == 3);
  CHECK(d.value == Approx(mos));
  CHECK(d.worst == Approx(mos));
  CHECK(d.loss_pct == Approx(20));
  CHECK(d.rtt_ms == Approx(120));
  CHECK(d.jitter_ms == Approx(10));
  CHECK_FALSE(d.default_delay);
  CHECK(d.severity == (mos < 2.6 ? Severity::kCritical : Severity::kWarning));
}

TEST_CASE("low received MOS from several senders at once is one downlink detection",
          "[detections]") {
  Session s = Call(
      4, MediaKind::kAudio, [](int) { return AudioPub(); },
      [](int r, int sender) {
        return Cols{{Metric::kPacketLoss,
                     r == 0 && sender != 3 ? With(Const(0), 2, 5 + sender, 20) : Const(0)}};
      });
  auto found = OfKind(Detect(s), DetectionKind::kLowReceivedAudioMos);
  REQUIRE(found.size() == 1);
  CHECK(found[0].peer_id == "p0");
  CHECK(found[0].direction == Path::kDownlink);
  CHECK(found[0].peers == Ids({1, 2}));
  CHECK(found[0].peers_total == 3);
  CHECK(found[0].samples == 4 + 5);
  CHECK(found[0].end_ms == kT0 + 6 * kStep);
  CHECK(found[0].track_ids == std::vector<std::string>{"a1", "a2"});
}

TEST_CASE("low received MOS found in parts of the views is the same as found whole",
          "[detections]") {
  // FindDetections runs the received-audio MOS in parts; any split merges to
  // the whole's detections.
  Session s = Call(
      4, MediaKind::kAudio, [](int) { return AudioPub(); },
      [](int r, int sender) {
        return Cols{{Metric::kPacketLoss,
                     r < 2 && sender != r ? With(Const(0), 2, 5 + sender, 20) : Const(0)}};
      });
  const Config c;
  const auto views = analysis::BuildViews(s, c, 1);
  const auto breaches = analysis::FindBreaches(views, c, 1);
  const auto whole = analysis::FindLowReceivedAudioMos(views, breaches, c);
  REQUIRE(whole.size() == 2);  // p0's and p1's downlinks
  auto same = [&](const std::vector<Detection>& got) {
    REQUIRE(got.size() == whole.size());
    for (size_t i = 0; i < got.size(); ++i) {
      CHECK(got[i].peer_id == whole[i].peer_id);
      CHECK(got[i].peers == whole[i].peers);
      CHECK(got[i].track_ids == whole[i].track_ids);
      CHECK(got[i].samples == whole[i].samples);
      CHECK(got[i].value == whole[i].value);
      CHECK(got[i].start_ms == whole[i].start_ms);
      CHECK(got[i].end_ms == whole[i].end_ms);
      CHECK(got[i].peers_total == whole[i].peers_total);
    }
  };
  for (size_t cut = 0; cut <= views.size(); ++cut) {  // two parts, cut anywhere
    auto runs = analysis::FindLowReceivedAudioMosRuns(views, breaches, c, 0, cut);
    for (Detection& d :
         analysis::FindLowReceivedAudioMosRuns(views, breaches, c, cut, views.size())) {
      runs.push_back(d);
    }
    same(analysis::MergeLowReceivedAudioMos(runs, views, c));
  }
  std::vector<Detection> one_by_one;  // a part per view
  for (size_t v = 0; v < views.size(); ++v) {
    for (Detection& d : analysis::FindLowReceivedAudioMosRuns(views, breaches, c, v, v + 1)) {
      one_by_one.push_back(d);
    }
  }
  same(analysis::MergeLowReceivedAudioMos(one_by_one, views, c));
  same(OfKind(analysis::FindDetections(s, views, breaches, c, 2),
              DetectionKind::kLowReceivedAudioMos));
}

TEST_CASE("low received MOS the sender's uplink loss explains says so", "[detections]") {
  const auto burst = With(Const(0), 2, 6, 20);
  Session s = Call(
      3, MediaKind::kAudio, [&](int i) { return AudioPub(i == 1 ? burst : Const(0)); },
      [&](int, int sender) {
        return Cols{{Metric::kPacketLoss, sender == 1 ? burst : Const(0)}};
      });
  auto found = OfKind(Detect(s), DetectionKind::kLowReceivedAudioMos);
  REQUIRE(found.size() == 1);
  CHECK(found[0].peer_id == "p1");
  CHECK(found[0].direction == Path::kUplink);
  CHECK(found[0].peers == Ids({0, 2}));
  CHECK(found[0].peers_total == 2);
  CHECK(found[0].samples == 8);
  CHECK(found[0].value == Approx(AudioMos(120, 10, 20).mos));
}

TEST_CASE("low received MOS: concealment counts as loss, unlinked tracks take the default delay",
          "[detections]") {
  Session s = EmptySession();
  Peer p;
  p.peer_id = "p0";
  // 48 kHz over 10 s = 480000 samples; 96000 concealed = 20 %.
  p.tracks.push_back(MakeTrack(
      "x", Direction::kSubscriber, MediaKind::kAudio, "",
      {{Metric::kPacketLoss, Const(1)}, {Metric::kConcealedSamples, With(Const(0), 3, 6, 96000)}}));
  s.peers.push_back(std::move(p));
  Config c;
  c.detections.default_rtt_ms = 150;
  auto found = OfKind(Detect(s, c), DetectionKind::kLowReceivedAudioMos);
  REQUIRE(found.size() == 1);
  CHECK(found[0].default_delay);
  CHECK(found[0].rtt_ms == Approx(150));
  CHECK(found[0].loss_pct == Approx(20).margin(0.01));
  CHECK(found[0].value == Approx(AudioMos(150, 0, 20).mos).margin(1e-4));
  CHECK(found[0].peers.empty());
}

TEST_CASE("low received MOS near misses raise nothing", "[detections]") {
  auto run = [](std::vector<double> loss) {
    Session s = Call(
        2, MediaKind::kAudio, [](int) { return AudioPub(); },
        [&](int r, int) {
          return Cols{{Metric::kPacketLoss, r == 0 ? loss : Const(0)}};
        });
    return OfKind(Detect(s), DetectionKind::kLowReceivedAudioMos);
  };
  // Loss that keeps the MOS just above the threshold.
  double ok_loss = 0;
  while (AudioMos(120, 10, ok_loss + 0.5).mos >= 3.1) ok_loss += 0.5;
  REQUIRE(ok_loss > 3);
  SECTION("the same loss as a run fires") { CHECK(run(With(Const(0), 2, 5, 25)).size() == 1); }
  SECTION("one sample") { CHECK(run(With(Const(0), 2, 3, 25)).empty()); }
  SECTION("just above the threshold") { CHECK(run(With(Const(0), 2, 8, ok_loss)).empty()); }
  SECTION("missing samples") { CHECK(run(With(Const(0), 2, 8, kUnset)).empty()); }
}

// ---- session-wide degradation ----

namespace {

// n audio peers; peer i's published loss is 9 % for 3 samples from start(i)
// (no burst when start(i) < 0); receivers see their own loss rx(i, j).
Session LossStarts(int n, const std::function<int(int)>& start,
                   const std::function<std::vector<double>(int, int)>& rx, size_t len = 24) {
  return Call(
      n, MediaKind::kAudio,
      [&](int i) {
        const int a = start(i);
        return Cols{
            {Metric::kPacketLoss, a < 0 ? Const(0, len) : With(Const(0, len), a, a + 3, 9)}};
      },
      [&](int i, int j) {
        return Cols{{Metric::kPacketLoss, rx(i, j)}};
      });
}

std::vector<double> Clean24(int, int) { return Const(0, 24); }

}  // namespace

TEST_CASE("most peers starting loss at once with no one to blame is session-wide", "[detections]") {
  // Starts at samples 2, 3, 4, 5 (within 60 s); peer 4 stays clean.
  Session s = LossStarts(
      5, [](int i) { return i < 4 ? 2 + i : -1; }, Clean24);
  auto found = OfKind(Detect(s), DetectionKind::kSessionDegradation);
  REQUIRE(found.size() == 1);
  const Detection& d = found[0];
  CHECK(d.peer_id.empty());
  CHECK(d.direction == Path::kNone);
  CHECK(d.family == analysis::BreachFamily::kLoss);
  CHECK(d.peers == Ids({0, 1, 2, 3}));
  CHECK(d.peers_total == 5);
  CHECK(d.value == Approx(0.8));
  CHECK(d.samples == 4);
  CHECK(d.start_ms == kT0 + 2 * kStep);
  CHECK(d.end_ms == kT0 + 7 * kStep);
  CHECK(d.severity == Severity::kCritical);
}

TEST_CASE("session degradation near misses raise nothing", "[detections]") {
  auto count = [](const Session& s) {
    return OfKind(Detect(s), DetectionKind::kSessionDegradation).size();
  };
  SECTION("two of five peers") {
    CHECK(count(LossStarts(
              5, [](int i) { return i < 2 ? 2 : -1; }, Clean24)) == 0);
  }
  SECTION("three of seven peers: under half") {
    CHECK(count(LossStarts(
              7, [](int i) { return i < 3 ? 2 : -1; }, Clean24)) == 0);
  }
  SECTION("three of six peers: half") {
    CHECK(count(LossStarts(
              6, [](int i) { return i < 3 ? 2 : -1; }, Clean24)) == 1);
  }
  SECTION("two of two peers: under three") {
    CHECK(count(LossStarts(
              2, [](int) { return 2; }, Clean24)) == 0);
  }
  SECTION("starts further apart than the span") {
    CHECK(count(LossStarts(
              3, [](int i) { return 2 + 4 * i; }, Clean24)) == 0);
  }
  SECTION("different families: two start loss, two start RTT") {
    Session s = LossStarts(
        4, [](int i) { return i < 2 ? 2 : -1; }, Clean24);
    for (int i = 2; i < 4; ++i) {
      s.peers[i].tracks[0].layers[0].series.column(Metric::kRtt).assign(24, 50);
      auto& rtt = s.peers[i].tracks[0].layers[0].series.column(Metric::kRtt);
      for (size_t k = 2; k < 5; ++k) rtt[k] = 800;
    }
    CHECK(count(s) == 0);
  }
  SECTION("the same mix all of one family fires") {
    CHECK(count(LossStarts(
              4, [](int) { return 2; }, Clean24)) == 1);
  }
  SECTION("two senders to blame at once, each seen by all its receivers") {
    // Blame is split between the two senders (neither has most), yet each
    // receiver's loss is its sender's uplink loss: nothing session-wide.
    auto burst = [](int sender) { return With(Const(0, 24), 2 + sender, 5 + sender, 9); };
    CHECK(count(LossStarts(
              5, [](int i) { return i < 2 ? 2 + i : -1; },
              [&](int, int sender) { return sender < 2 ? burst(sender) : Const(0, 24); })) == 0);
  }
  SECTION("one sender to blame: its receivers all see its loss") {
    auto burst = With(Const(0, 24), 2, 5, 9);
    CHECK(count(LossStarts(
              4, [](int i) { return i == 0 ? 2 : -1; },
              [&](int, int sender) { return sender == 0 ? burst : Const(0, 24); })) == 0);
  }
}

// ---- bitrate collapse ----

namespace {

std::vector<Detection> Collapse(std::vector<double> bitrate, MediaKind kind = MediaKind::kVideo) {
  Session s = EmptySession();
  Peer p;
  p.peer_id = "p0";
  Cols c = {{Metric::kBitrate, bitrate}};
  if (kind == MediaKind::kVideo) c.push_back({Metric::kFps, Const(30, bitrate.size())});
  p.tracks.push_back(MakeTrack("v", Direction::kPublisher, kind, "", c));
  s.peers.push_back(std::move(p));
  return OfKind(Detect(s), DetectionKind::kBitrateCollapse);
}

}  // namespace

TEST_CASE("a sent bitrate below a third of its own median for a minute", "[detections]") {
  auto found = Collapse(With(Const(1.5e6, 24), 10, 16, 4e5));
  REQUIRE(found.size() == 1);
  const Detection& d = found[0];
  CHECK(d.peer_id == "p0");
  CHECK(d.direction == Path::kUplink);
  CHECK(d.media == MediaKind::kVideo);
  CHECK(d.baseline == Approx(1.5e6));
  CHECK(d.threshold == Approx(5e5));
  CHECK(d.value == Approx(4e5));
  CHECK(d.samples == 6);
  CHECK(d.start_ms == kT0 + 10 * kStep);
  CHECK(d.end_ms == kT0 + 15 * kStep);
}

TEST_CASE("bitrate collapse near misses raise nothing", "[detections]") {
  SECTION("50 s, not a minute") { CHECK(Collapse(With(Const(1.5e6, 24), 10, 15, 4e5)).empty()); }
  SECTION("above a third of the median") {
    CHECK(Collapse(With(Const(1.5e6, 24), 10, 18, 5.1e5)).empty());
  }
  SECTION("below the absolute threshold: low_video_bitrate's") {
    CHECK(Collapse(With(Const(1.5e6, 24), 10, 18, 1e5)).empty());
  }
  SECTION("muted (nothing sent) is no collapse") {
    CHECK(Collapse(With(Const(1.5e6, 24), 10, 18, 0)).empty());
  }
  SECTION("audio: a third of 40 kbps is under the 25 kbps threshold") {
    CHECK(Collapse(With(Const(40000, 24), 10, 18, 12000), MediaKind::kAudio).empty());
  }
}

// ---- repeated rejoins ----

namespace {

constexpr int64_t kMin = 60000;

// A user whose peers are present over the given intervals (minutes from kT0),
// each interval its own peer id when new_ids, else one peer with them all.
Session Rejoins(const std::vector<std::pair<int, int>>& minutes, bool new_ids) {
  Session s = EmptySession();
  s.end_ms = kT0 + 60 * kMin;
  for (size_t i = 0; i < minutes.size(); ++i) {
    const Interval iv{kT0 + minutes[i].first * kMin, kT0 + minutes[i].second * kMin};
    if (new_ids || s.peers.empty()) {
      Peer p;
      p.peer_id = "u" + std::to_string(i);
      p.info.user_id = "user-1";
      s.peers.push_back(std::move(p));
    }
    s.peers.back().presence.push_back(iv);
  }
  s.peers.push_back(UserPeer("x", "user-2", {kT0, kT0 + 30 * kMin}));  // stays all along
  return s;
}

}  // namespace

TEST_CASE("three rejoins of one user within ten minutes, under new peer ids", "[detections]") {
  Session s = Rejoins({{0, 2}, {3, 5}, {6, 7}, {8, 20}}, true);
  auto found = OfKind(Detect(s), DetectionKind::kRepeatedRejoins);
  REQUIRE(found.size() == 1);
  const Detection& d = found[0];
  CHECK(d.peer_id == "u3");
  CHECK(d.direction == Path::kNone);
  CHECK(d.user_id == "user-1");
  CHECK(d.value == 3);
  CHECK(d.threshold == 3);
  CHECK(d.peers == std::vector<std::string>{"u0", "u1", "u2", "u3"});
  CHECK(d.start_ms == kT0 + 2 * kMin);
  CHECK(d.end_ms == kT0 + 8 * kMin);
}

TEST_CASE("rejoins under one peer id, from presence or from events", "[detections]") {
  SECTION("presence intervals") {
    Session s = Rejoins({{0, 2}, {3, 5}, {6, 7}, {8, 9}, {10, 20}}, false);
    auto found = OfKind(Detect(s), DetectionKind::kRepeatedRejoins);
    REQUIRE(found.size() == 1);
    CHECK(found[0].peer_id == "u0");
    CHECK(found[0].value == 4);
    CHECK(found[0].peers == std::vector<std::string>{"u0"});
  }
  SECTION("disconnect and join events") {
    Session s = Rejoins({{0, 20}}, false);
    for (int m : {2, 5, 8}) {
      s.events.push_back(Event{kT0 + m * kMin, "u0", "client.disconnected"});
      s.events.push_back(Event{kT0 + (m + 1) * kMin, "u0", "PEER.JOIN.SUCCESS"});
    }
    auto found = OfKind(Detect(s), DetectionKind::kRepeatedRejoins);
    REQUIRE(found.size() == 1);
    CHECK(found[0].value == 3);
    CHECK(found[0].start_ms == kT0 + 2 * kMin);
    CHECK(found[0].end_ms == kT0 + 9 * kMin);
  }
}

TEST_CASE("rejoins under new peer ids seen before the old ones leave still count", "[detections]") {
  Session s = Rejoins({{0, 3}, {2, 6}, {5, 8}, {7, 20}}, true);
  auto found = OfKind(Detect(s), DetectionKind::kRepeatedRejoins);
  REQUIRE(found.size() == 1);
  CHECK(found[0].value == 3);
  CHECK(found[0].start_ms == kT0 + 2 * kMin);  // no drop seen: the new join itself
}

TEST_CASE("rejoin near misses raise nothing", "[detections]") {
  auto count = [](const Session& s) {
    return OfKind(Detect(s), DetectionKind::kRepeatedRejoins).size();
  };
  SECTION("two cycles") { CHECK(count(Rejoins({{0, 2}, {3, 5}, {6, 20}}, true)) == 0); }
  SECTION("three cycles over more than ten minutes") {
    CHECK(count(Rejoins({{0, 2}, {5, 7}, {10, 12}, {14, 20}}, true)) == 0);
  }
  SECTION("different users") {
    Session s = Rejoins({{0, 2}, {3, 5}, {6, 7}, {8, 20}}, true);
    for (size_t i = 0; i < 4; ++i) s.peers[i].info.user_id = "user-" + std::to_string(10 + i);
    CHECK(count(s) == 0);
  }
}

// ---- config ----

TEST_CASE("detection settings read from the config and round-trip", "[detections][config]") {
  auto c = ParseConfig(R"({"detections": {"rejoin_cycles": 4, "collapse_ratio": 0.25,
      "rejoin_window_minutes": 5, "degradation_span_seconds": 90, "default_rtt_ms": 80}})");
  REQUIRE(c.ok());
  CHECK(c.value().detections.rejoin_cycles == 4);
  CHECK(c.value().detections.collapse_ratio == 0.25);
  CHECK(c.value().detections.rejoin_window_ms == 5 * kMin);
  CHECK(c.value().detections.degradation_span_ms == 90000);
  CHECK(c.value().detections.default_rtt_ms == 80);
  auto back = ParseConfig(ConfigToJson(c.value()));
  REQUIRE(back.ok());
  CHECK(back.value().detections.rejoin_window_ms == 5 * kMin);
  CHECK_FALSE(ParseConfig(R"({"detections": {"nope": 1}})").ok());
  CHECK_FALSE(ParseConfig(R"({"detections": {"most_share": 2}})").ok());
}

TEST_CASE("detection kind names", "[detections]") {
  CHECK(std::string(analysis::DetectionKindName(DetectionKind::kLowReceivedFps)) ==
        "low_received_fps");
  CHECK(std::string(analysis::DetectionKindName(DetectionKind::kRepeatedRejoins)) ==
        "repeated_rejoins");
  CHECK(std::string(analysis::BreachFamilyName(analysis::BreachFamily::kVideoQuality)) ==
        "video_quality");
}

// ---- generated sessions: clean calls and clean peers raise nothing ----

namespace {

std::string Describe(const Detection& d) {
  std::string peers;
  for (const auto& p : d.peers) peers += " " + p;
  return std::string(analysis::DetectionKindName(d.kind)) + " " + PathName(d.direction) + " on '" +
         d.peer_id + "' value " + std::to_string(d.value) + " baseline " +
         std::to_string(d.baseline) + " peers" + peers;
}

}  // namespace

TEST_CASE("generated sessions: clean calls and clean peers raise no detection",
          "[detections][ground_truth]") {
  const std::vector<std::string> clean_calls = {"clean", "screen-share", "array-layout",
                                                "ndjson-layout"};
  const auto scenarios = ListDir(CALLSIGHT_GEN_DIR);
  REQUIRE(scenarios.size() >= 12);
  for (const auto& name : scenarios) {
    const std::string dir = std::string(CALLSIGHT_GEN_DIR) + "/" + name;
    const nlohmann::json truth = nlohmann::json::parse(ReadFile(dir + "/truth.json"));
    Engine engine;
    for (const auto& f : ListDir(dir + "/input"))
      engine.AddFile({f, ReadFile(dir + "/input/" + f)});
    const Config config;
    engine.Run(config);
    REQUIRE(engine.model().sessions.size() == 1);
    const Session& s = engine.model().sessions[0];
    auto views = analysis::BuildViews(s, config, 1);
    auto breaches = analysis::FindBreaches(views, config, 1);
    const auto found = analysis::FindDetections(s, views, breaches, config);
    // The kinds looked for side by side give the same findings in the same order.
    const auto found_on_two = analysis::FindDetections(s, views, breaches, config, 2);
    REQUIRE(found_on_two.size() == found.size());
    for (size_t i = 0; i < found.size(); ++i)
      CHECK(Describe(found_on_two[i]) == Describe(found[i]));
    const bool clean_call =
        std::find(clean_calls.begin(), clean_calls.end(), name) != clean_calls.end();
    CHECK(std::is_sorted(found.begin(), found.end(), [](const Detection& a, const Detection& b) {
      return a.start_ms < b.start_ms;
    }));
    for (const Detection& d : found) {
      INFO("scenario " << name << ": " << Describe(d));
      CHECK_FALSE(clean_call);
      for (const auto& p : truth["peers"]) {
        if (p["clean"].get<bool>()) CHECK(d.peer_id != p["peer_id"].get<std::string>());
      }
    }
  }
}

namespace {

// One peer sending one video track whose top layer carries `metric` as given
// (one sample a second).
Session LimitedSession(Metric metric, const std::vector<float>& share) {
  Session s;
  Peer p;
  p.peer_id = "sender";
  Track t;
  t.track_id = "cam";
  t.kind = MediaKind::kVideo;
  Layer l;
  for (size_t i = 0; i < share.size(); ++i) {
    l.series.timestamps_ms.push_back(1700000000000 + 1000 * static_cast<int64_t>(i));
  }
  l.series.column(metric) = share;
  t.layers.push_back(l);
  p.tracks.push_back(t);
  s.peers.push_back(p);
  return s;
}

}  // namespace

TEST_CASE("quality limitation: a sent video limited long enough is an uplink issue",
          "[detections]") {
  std::vector<float> share(60, 0.0f);
  for (size_t i = 20; i < 40; ++i) share[i] = 1.0f;  // 20 of 60 s limited by bandwidth
  const auto found = analysis::FindQualityLimited(LimitedSession(Metric::kBandwidthLimited, share));
  REQUIRE(found.size() == 1);
  const auto& d = found[0];
  CHECK(d.kind == analysis::DetectionKind::kBandwidthLimitedVideo);
  CHECK(d.peer_id == "sender");
  CHECK(d.direction == Path::kUplink);
  CHECK(d.value == Approx(20.0 / 60.0));
  CHECK(d.samples == 20);
  CHECK(d.start_ms == 1700000000000 + 20000);
  CHECK(d.end_ms == 1700000000000 + 39000);
  const Issue is = analysis::IssueOf(d);
  CHECK(is.code == IssueCode::kBandwidthLimitedVideo);
  CHECK(is.direction == Path::kUplink);
}

TEST_CASE("quality limitation: routine adaptation raises nothing", "[detections]") {
  std::vector<float> share(60, 0.0f);
  for (size_t i = 0; i < 8; ++i) share[i] = 1.0f;  // the bandwidth estimate ramping up
  CHECK(analysis::FindQualityLimited(LimitedSession(Metric::kCpuLimited, share)).empty());
  std::vector<float> brief(20, 0.0f);
  for (size_t i = 0; i < 5; ++i) brief[i] = 1.0f;  // 25 % of a short call, but only 5 s
  CHECK(analysis::FindQualityLimited(LimitedSession(Metric::kCpuLimited, brief)).empty());
  std::vector<float> long_cpu(60, 1.0f);
  const auto found = analysis::FindQualityLimited(LimitedSession(Metric::kCpuLimited, long_cpu));
  REQUIRE(found.size() == 1);
  CHECK(found[0].kind == analysis::DetectionKind::kCpuLimitedVideo);
}

namespace {

constexpr int64_t kUsageT0 = 1700000000000;

// A video track of `peer` sampled every second from kUsageT0, one layer per
// entry of `layers`, each carrying `metric` as given and 30 fps.
Track UsageTrack(Direction dir, Metric metric, const std::vector<std::vector<float>>& layers) {
  Track t;
  t.track_id = "cam";
  t.kind = MediaKind::kVideo;
  t.direction = dir;
  for (const auto& usage : layers) {
    Layer l;
    for (size_t i = 0; i < usage.size(); ++i) {
      l.series.timestamps_ms.push_back(kUsageT0 + 1000 * static_cast<int64_t>(i));
    }
    l.series.column(metric) = usage;
    l.series.column(Metric::kFps) = std::vector<float>(usage.size(), 30);
    t.layers.push_back(l);
  }
  return t;
}

Session OnePeer(const std::string& id, Track t) {
  Session s;
  Peer p;
  p.peer_id = id;
  p.tracks.push_back(std::move(t));
  s.peers.push_back(p);
  return s;
}

// `n` samples at `base`, those in [from, to) at `high`.
std::vector<float> UsageWith(size_t n, float base, size_t from, size_t to, float high) {
  std::vector<float> v(n, base);
  for (size_t i = from; i < to; ++i) v[i] = high;
  return v;
}

}  // namespace

TEST_CASE("cpu pressure: encoding above 85 % of the time for 10 s is an issue on the sender",
          "[detections]") {
  // 15 s at 95 % from sample 20 (the run covers samples 19 to 34).
  const auto usage = UsageWith(60, 20, 20, 35, 95);
  const auto found = analysis::FindCpuPressure(
      OnePeer("sender", UsageTrack(Direction::kPublisher, Metric::kEncodeUsage, {usage})));
  REQUIRE(found.size() == 1);
  const Detection& d = found[0];
  CHECK(d.kind == DetectionKind::kCpuPressure);
  CHECK(d.peer_id == "sender");
  CHECK(d.direction == Path::kNone);
  CHECK(d.measured == Direction::kPublisher);
  CHECK(d.start_ms == kUsageT0 + 19000);
  CHECK(d.end_ms == kUsageT0 + 34000);
  CHECK(d.samples == 15);
  CHECK(d.value == Approx(95));
  CHECK(d.threshold == 85);
  CHECK(d.baseline == Approx(95 * 10.0 / 30));  // ms per frame at 30 fps
  const Issue is = analysis::IssueOf(d);
  CHECK(is.code == IssueCode::kCpuPressure);
  CHECK(is.measured == Direction::kPublisher);
  CHECK(is.severity == Severity::kWarning);
  CHECK(std::string(IssueCodeName(is.code)) == "cpu_pressure");
}

TEST_CASE("cpu pressure: the busiest simulcast layer counts, and decoding too", "[detections]") {
  SECTION("layers are not summed: the highest one at each sample") {
    const auto low = UsageWith(30, 50, 0, 0, 0);
    const auto high = UsageWith(30, 10, 5, 20, 90);
    const auto found = analysis::FindCpuPressure(
        OnePeer("sender", UsageTrack(Direction::kPublisher, Metric::kEncodeUsage, {low, high})));
    REQUIRE(found.size() == 1);
    CHECK(found[0].worst == Approx(90));
    CHECK(found[0].samples == 15);
    // Two layers at 50 % each are not pressure (their sum would be).
    CHECK(analysis::FindCpuPressure(
              OnePeer("sender", UsageTrack(Direction::kPublisher, Metric::kEncodeUsage,
                                           {low, UsageWith(30, 50, 0, 0, 0)})))
              .empty());
  }
  SECTION("a received video decoded above 85 % of the time: the receiver, its sender named") {
    Session s = OnePeer("receiver", UsageTrack(Direction::kSubscriber, Metric::kDecodeUsage,
                                               {UsageWith(40, 5, 10, 25, 120)}));
    s.peers[0].tracks[0].remote_peer_id = "sender";
    const auto found = analysis::FindCpuPressure(s);
    REQUIRE(found.size() == 1);
    CHECK(found[0].peer_id == "receiver");
    CHECK(found[0].measured == Direction::kSubscriber);
    CHECK(found[0].peers == std::vector<std::string>{"sender"});
    CHECK(found[0].value == Approx(120));
  }
}

TEST_CASE("cpu pressure: normal load, brief peaks and pipelined hardware coders raise nothing",
          "[detections]") {
  const auto find = [](const std::vector<float>& usage, bool power_efficient = false) {
    Track t = UsageTrack(Direction::kPublisher, Metric::kEncodeUsage, {usage});
    if (power_efficient) {
      t.facts = StreamFacts{};
      t.facts->power_efficient = true;
    }
    return analysis::FindCpuPressure(OnePeer("sender", t));
  };
  CHECK(find(UsageWith(60, 70, 0, 0, 0)).empty());      // busy, below the limit
  CHECK(find(UsageWith(60, 20, 20, 28, 150)).empty());  // 9 s above: a peak
  CHECK(find(UsageWith(60, 20, 20, 30, 85)).empty());   // at the limit, not above
  // A hardware encoder pipelines frames: 150 % is normal for it, 210 % is not.
  CHECK(find(UsageWith(60, 20, 10, 40, 150), true).empty());
  const auto hw = find(UsageWith(60, 20, 10, 40, 210), true);
  REQUIRE(hw.size() == 1);
  CHECK(hw[0].threshold == 200);
  // Audio has no usage series; unknown samples are not load.
  CHECK(find(std::vector<float>(60, std::nanf(""))).empty());
}

namespace {

// FindLongFreezes on one received video (no sender known) sampled every
// second from 1700000000000: `frozen` ms per interval, the browser's freeze
// count per interval when `counts` is not empty.
std::vector<analysis::Detection> LongFreezesOf(const std::vector<float>& frozen,
                                               const std::vector<float>& counts = {}) {
  Session s;
  Peer rx;
  rx.peer_id = "receiver";
  Track t;
  t.track_id = "cam";
  t.kind = MediaKind::kVideo;
  t.direction = Direction::kSubscriber;
  Layer l;
  for (size_t i = 0; i < frozen.size(); ++i) {
    l.series.timestamps_ms.push_back(1700000000000 + 1000 * static_cast<int64_t>(i));
  }
  l.series.column(Metric::kFreezeMs) = frozen;
  l.series.column(Metric::kBitrate) = std::vector<float>(frozen.size(), 500000);
  if (!counts.empty()) l.series.column(Metric::kFreezeCount) = counts;
  t.layers.push_back(l);
  rx.tracks.push_back(t);
  s.peers.push_back(rx);
  return analysis::FindLongFreezes(analysis::BuildViews(s, Config(), 1), {});
}

}  // namespace

TEST_CASE("long freezes: a received video frozen a second or more is an issue", "[detections]") {
  // 2.5 s frozen, then 20 s later a brief 0.3 s freeze on its own.
  std::vector<float> frozen(30, 0);
  frozen[2] = 1000, frozen[3] = 1000, frozen[4] = 500, frozen[25] = 300;
  const auto found = LongFreezesOf(frozen);
  REQUIRE(found.size() == 1);  // the 0.3 s one is too brief
  const auto& d = found[0];
  CHECK(d.kind == analysis::DetectionKind::kLongFreeze);
  CHECK(d.value == Approx(2.5));
  CHECK(d.severity == Severity::kWarning);  // critical from 5 s
  CHECK(d.direction == Path::kDownlink);    // no sender known
  CHECK(d.peer_id == "receiver");
  CHECK(d.start_ms == 1700000000000 + 1000);
  CHECK(d.end_ms == 1700000000000 + 4000);
  CHECK(analysis::IssueOf(d).code == IssueCode::kVideoFreeze);
}

TEST_CASE("long freezes: three brief freezes close together are a stutter", "[detections]") {
  // The recorded signalling-errors call: freezes of 0.21, 0.24 and 0.23 s
  // within 13 s (0.7 s in all). The video score counts each (it fell to 2.0,
  // "video poor") but the rule wanted 1 s in all: a headline without an issue.
  std::vector<float> frozen(30, 0), counts(30, 0);
  for (size_t i : {5, 15, 18}) frozen[i] = 230, counts[i] = 1;
  const auto three = LongFreezesOf(frozen, counts);
  REQUIRE(three.size() == 1);
  CHECK(three[0].samples == 3);
  CHECK(three[0].value == Approx(0.69));
  CHECK(three[0].severity == Severity::kWarning);
  // Without the browser's count, an interval frozen counts as one freeze.
  CHECK(LongFreezesOf(frozen).size() == 1);
  // Two brief ones are not an issue, nor three spread over a minute.
  frozen[18] = 0, counts[18] = 0;
  CHECK(LongFreezesOf(frozen, counts).empty());
  std::vector<float> spread(60, 0), spread_counts(60, 0);
  for (size_t i : {5, 25, 45}) spread[i] = 230, spread_counts[i] = 1;
  CHECK(LongFreezesOf(spread, spread_counts).empty());
  // One interval of 0.5 s holding three freezes is one too.
  std::vector<float> one(30, 0), one_counts(30, 0);
  one[10] = 500, one_counts[10] = 3;
  CHECK(LongFreezesOf(one, one_counts).size() == 1);
  // A long freeze is one, counted by the browser when it ends (here in the
  // interval after the last frozen one), not one per interval frozen.
  std::vector<float> long_one(30, 0), long_counts(30, 0);
  for (size_t i = 10; i < 16; ++i) long_one[i] = 1000;
  long_counts[16] = 1;
  const auto found = LongFreezesOf(long_one, long_counts);
  REQUIRE(found.size() == 1);
  CHECK(found[0].samples == 1);
  CHECK(found[0].severity == Severity::kCritical);  // 6 s
  long_counts[16] = 0;  // still frozen when the dump ends: not counted yet
  CHECK(LongFreezesOf(long_one, long_counts).at(0).samples == 1);
}

namespace {

// A dump-like track: one layer sampled every second from 1700000000000 with
// the given columns.
Track DumpTrack(const std::string& id, MediaKind kind, Direction dir, const std::string& remote,
                const std::vector<std::pair<Metric, std::vector<float>>>& columns) {
  Track t;
  t.track_id = id;
  t.kind = kind;
  t.direction = dir;
  t.remote_peer_id = remote;
  Layer l;
  for (size_t i = 0; i < columns.front().second.size(); ++i) {
    l.series.timestamps_ms.push_back(1700000000000 + 1000 * static_cast<int64_t>(i));
  }
  for (const auto& [m, v] : columns) l.series.column(m) = v;
  t.layers.push_back(l);
  return t;
}

Peer PeerWith(const std::string& id, std::vector<Track> tracks) {
  Peer p;
  p.peer_id = id;
  p.tracks = std::move(tracks);
  return p;
}

// n copies of x, then m of y, ...
std::vector<float> Steps(std::initializer_list<std::pair<int, float>> steps) {
  std::vector<float> out;
  for (const auto& [n, x] : steps) out.insert(out.end(), static_cast<size_t>(n), x);
  return out;
}

}  // namespace

TEST_CASE("resolution drops: below 2/3 of the usual height held 5 s", "[detections]") {
  constexpr int64_t t0 = 1700000000000;
  const auto heights = Steps({{8, 480}, {8, 120}, {4, 480}});
  SECTION("the application's own drop is info on the sender; its receiver joins it") {
    Session s;
    s.peers.push_back(
        PeerWith("sender", {DumpTrack("cam", MediaKind::kVideo, Direction::kPublisher, "",
                                      {{Metric::kFrameHeight, heights},
                                       {Metric::kBandwidthLimited, Steps({{20, 0}})}})}));
    s.peers.push_back(
        PeerWith("receiver", {DumpTrack("cam", MediaKind::kVideo, Direction::kSubscriber, "sender",
                                        {{Metric::kFrameHeight, heights}})}));
    const auto found = analysis::FindResolutionDrops(s);
    REQUIRE(found.size() == 1);
    const Detection& d = found[0];
    CHECK(d.kind == DetectionKind::kResolutionDrop);
    CHECK(d.peer_id == "sender");
    CHECK(d.direction == Path::kUplink);
    CHECK(d.severity == Severity::kInfo);  // the browser did not limit it
    CHECK(d.peers == std::vector<std::string>{"receiver"});
    CHECK(d.baseline == 480);
    CHECK(d.value == 120);
    CHECK(d.worst == 120);
    CHECK(d.threshold == Approx(320));
    CHECK(d.samples == 8);
    CHECK(d.start_ms == t0 + 8000);
    CHECK(d.end_ms == t0 + 15000);
    CHECK(analysis::IssueOf(d).code == IssueCode::kResolutionDrop);
    CHECK(analysis::IssueOf(d).affected_peers == std::vector<std::string>{"receiver"});
  }
  SECTION("a drop while the browser was limited is a warning") {
    Session s;
    s.peers.push_back(PeerWith(
        "sender", {DumpTrack("cam", MediaKind::kVideo, Direction::kPublisher, "",
                             {{Metric::kFrameHeight, heights},
                              {Metric::kBandwidthLimited, Steps({{8, 0}, {8, 1}, {4, 0}})}})}));
    const auto found = analysis::FindResolutionDrops(s);
    REQUIRE(found.size() == 1);
    CHECK(found[0].severity == Severity::kWarning);
  }
  SECTION("without the browser's limitation in the dump, a sent drop is a warning") {
    Session s;
    s.peers.push_back(PeerWith("sender", {DumpTrack("cam", MediaKind::kVideo, Direction::kPublisher,
                                                    "", {{Metric::kFrameHeight, heights}})}));
    const auto found = analysis::FindResolutionDrops(s);
    REQUIRE(found.size() == 1);
    CHECK(found[0].severity == Severity::kWarning);
  }
  SECTION("a limitation known only long before the drop does not say the browser let it be") {
    // Legacy stats that lost their flags after the first samples (Jitsi's
    // rule forgets an object's values when a line skips it).
    const float unknown = std::nanf("");
    Session s;
    s.peers.push_back(PeerWith(
        "sender", {DumpTrack("cam", MediaKind::kVideo, Direction::kPublisher, "",
                             {{Metric::kFrameHeight, heights},
                              {Metric::kCpuLimited, Steps({{2, 0}, {18, unknown}})},
                              {Metric::kBandwidthLimited, Steps({{2, 0}, {18, unknown}})}})}));
    const auto found = analysis::FindResolutionDrops(s);
    REQUIRE(found.size() == 1);
    CHECK(found[0].severity == Severity::kWarning);
  }
  SECTION("a received drop whose sender is not in the session: downlink, no sender named") {
    Session s;
    s.peers.push_back(
        PeerWith("receiver", {DumpTrack("cam", MediaKind::kVideo, Direction::kSubscriber, "gone",
                                        {{Metric::kFrameHeight, heights}})}));
    const auto found = analysis::FindResolutionDrops(s);
    REQUIRE(found.size() == 1);
    CHECK(found[0].direction == Path::kDownlink);
    CHECK(found[0].peers.empty());
  }
  SECTION("a received drop the sender did not send is the receiver's downlink") {
    Session s;
    s.peers.push_back(
        PeerWith("sender", {DumpTrack("cam", MediaKind::kVideo, Direction::kPublisher, "",
                                      {{Metric::kFrameHeight, Steps({{20, 480}})}})}));
    s.peers.push_back(
        PeerWith("receiver", {DumpTrack("cam", MediaKind::kVideo, Direction::kSubscriber, "sender",
                                        {{Metric::kFrameHeight, heights}})}));
    const auto found = analysis::FindResolutionDrops(s);
    REQUIRE(found.size() == 1);
    CHECK(found[0].peer_id == "receiver");
    CHECK(found[0].direction == Path::kDownlink);
    CHECK(found[0].severity == Severity::kWarning);
    CHECK(found[0].peers == std::vector<std::string>{"sender"});
  }
  SECTION("routine changes raise nothing") {
    for (const auto& h : {
             Steps({{3, 180}, {3, 360}, {14, 480}}),  // the start of a call climbs
             Steps({{8, 480}, {12, 360}}),            // one rung of the 3/4 ladder
             Steps({{8, 480}, {4, 120}, {8, 480}}),   // below 2/3 for under 5 s
             Steps({{3, 480}, {17, 120}}),            // 480 never held 5 s
         }) {
      Session s;
      s.peers.push_back(
          PeerWith("sender", {DumpTrack("cam", MediaKind::kVideo, Direction::kPublisher, "",
                                        {{Metric::kFrameHeight, h}})}));
      CHECK(analysis::FindResolutionDrops(s).empty());
    }
  }
}

TEST_CASE("jitter-buffer delay: a mean above 500 ms for 5 s", "[detections]") {
  constexpr int64_t t0 = 1700000000000;
  const auto run = [](std::vector<float> delay) {
    Session s;
    s.peers.push_back(
        PeerWith("receiver", {DumpTrack("mic", MediaKind::kAudio, Direction::kSubscriber, "sender",
                                        {{Metric::kJitterBufferMs, std::move(delay)}})}));
    return analysis::FindHighJitterBufferDelay(s);
  };
  const auto found = run(Steps({{3, 100}, {6, 600}, {2, 100}, {4, 900}, {3, 100}}));
  REQUIRE(found.size() == 1);  // the second run covers 4 s only
  const Detection& d = found[0];
  CHECK(d.kind == DetectionKind::kHighJitterBufferDelay);
  CHECK(d.peer_id == "receiver");
  CHECK(d.direction == Path::kDownlink);
  CHECK(d.peers == std::vector<std::string>{"sender"});
  CHECK(d.media == MediaKind::kAudio);
  CHECK(d.value == Approx(600));
  CHECK(d.samples == 6);
  CHECK(d.severity == Severity::kWarning);
  CHECK(d.start_ms == t0 + 2000);  // the first interval above began at sample 2
  CHECK(d.end_ms == t0 + 8000);
  CHECK(analysis::IssueOf(d).code == IssueCode::kHighJitterBufferDelay);
  const auto critical = run(Steps({{3, 100}, {6, 1500}}));
  REQUIRE(critical.size() == 1);
  CHECK(critical[0].severity == Severity::kCritical);
  CHECK(critical[0].worst == 1500);
  CHECK(run(Steps({{20, 200}})).empty());  // a usual buffer
  CHECK(std::isnan(d.baseline));           // no jitterBufferMinimumDelay
}

TEST_CASE("jitter-buffer delay: held far above the buffer's own minimum, not the network's",
          "[detections]") {
  const auto run = [](float minimum) {
    Session s;
    s.peers.push_back(
        PeerWith("receiver",
                 {DumpTrack("cam", MediaKind::kVideo, Direction::kSubscriber, "sender",
                            {{Metric::kJitterBufferMs, Steps({{3, 20}, {8, 1500}})},
                             {Metric::kJitterBufferMinimumMs, Steps({{3, 20}, {8, minimum}})}})}));
    return analysis::FindHighJitterBufferDelay(s);
  };
  const auto asked = run(15);  // an application's jitterBufferTarget
  REQUIRE(asked.size() == 1);
  CHECK(asked[0].baseline == Approx(15));
  CHECK(asked[0].direction == Path::kNone);
  CHECK(asked[0].peer_id == "receiver");
  const auto needed = run(1200);  // the buffer itself needed it: the network
  REQUIRE(needed.size() == 1);
  CHECK(needed[0].direction == Path::kDownlink);
}

TEST_CASE("received stream stalls: a pause is the sender's choice when its sending stopped",
          "[detections]") {
  constexpr int64_t t0 = 1700000000000;
  const auto paused = Steps({{5, 0}, {1, 100}, {6, 1000}, {6, 0}});
  const auto session = [&](std::vector<float> sent_bitrate) {
    Session s;
    s.peers.push_back(
        PeerWith("sender", {DumpTrack("cam", MediaKind::kVideo, Direction::kPublisher, "",
                                      {{Metric::kBitrate, std::move(sent_bitrate)}})}));
    s.peers.push_back(
        PeerWith("receiver", {DumpTrack("cam", MediaKind::kVideo, Direction::kSubscriber, "sender",
                                        {{Metric::kPausedMs, paused}})}));
    return s;
  };
  SECTION("the sender stopped: info on its side") {
    const auto found =
        analysis::FindReceivedStreamStalls(session(Steps({{5, 500000}, {7, 0}, {6, 500000}})));
    REQUIRE(found.size() == 1);
    const Detection& d = found[0];
    CHECK(d.kind == DetectionKind::kReceivedStreamStalled);
    CHECK(d.severity == Severity::kInfo);
    CHECK(d.peer_id == "sender");
    CHECK(d.direction == Path::kUplink);
    CHECK(d.peers == std::vector<std::string>{"receiver"});
    CHECK(d.value == Approx(6.1));
    CHECK(d.start_ms == t0 + 4000);
    CHECK(d.end_ms == t0 + 11000);
    CHECK(analysis::IssueOf(d).code == IssueCode::kReceivedStreamStalled);
  }
  SECTION("the sender kept sending: the receiver's downlink") {
    const auto found = analysis::FindReceivedStreamStalls(session(Steps({{18, 500000}})));
    REQUIRE(found.size() == 1);
    CHECK(found[0].severity == Severity::kWarning);  // critical from 10 s
    CHECK(found[0].peer_id == "receiver");
    CHECK(found[0].direction == Path::kDownlink);
    CHECK(found[0].peers == std::vector<std::string>{"sender"});
  }
}

namespace {

// The issues of one browser (one connection, connected or not) with error
// events of kind "other": (time, type, message) each.
std::vector<Issue> EventIssuesOf(
    bool connected, const std::vector<std::tuple<int64_t, std::string, std::string>>& events) {
  Session s;
  Peer p;
  p.peer_id = "browser";
  Connection c;
  c.id = "PC_0";
  if (connected) c.connected_ms = 1700000001000;
  p.connections.push_back(c);
  s.peers.push_back(p);
  for (const auto& [t, type, message] : events) {
    Event e;
    e.time_ms = t;
    e.peer_id = "browser";
    e.type = type;
    e.is_error = true;
    e.failed = FailedOperation::kOther;
    e.error_message = message;
    s.events.push_back(e);
  }
  const Config config;
  const auto views = analysis::BuildViews(s, config, 1);
  std::vector<Breach> breaches;
  return analysis::BuildIssues(s, views, &breaches, config);
}

}  // namespace

TEST_CASE("ice_candidate_error: an icecandidateerror event is an issue", "[detections]") {
  const std::tuple<int64_t, std::string, std::string> error = {
      1700000000500, "webrtc.ice_candidate_error",
      R"({"url":"stun:stun.invalid:3478","errorCode":701})"};
  const auto connected = EventIssuesOf(true, {error});
  REQUIRE(connected.size() == 1);
  CHECK(connected[0].code == IssueCode::kIceCandidateError);
  CHECK(connected[0].severity == Severity::kWarning);
  CHECK(connected[0].peer_id == "browser");
  CHECK(connected[0].start_ms == 1700000000500);
  const auto never = EventIssuesOf(false, {error});
  REQUIRE(never.size() == 1);
  CHECK(never[0].severity == Severity::kCritical);  // it never connected
}

TEST_CASE("signaling_error: a refused offer/answer step or candidate is an issue", "[detections]") {
  // A refused answer, and a candidate refused 3 s later: two steps, one issue.
  const int64_t t0 = 1700000002000;
  const std::string why = "Failed to parse SessionDescription (connection PC_0)";
  const auto both = EventIssuesOf(true, {{t0, "webrtc.set_remote_description_failure", why},
                                         {t0 + 3000, "webrtc.add_ice_candidate_failure", why}});
  REQUIRE(both.size() == 1);
  CHECK(both[0].code == IssueCode::kSignalingError);
  CHECK(both[0].severity == Severity::kWarning);
  CHECK(both[0].events.size() == 2);  // not "the same occurrence told twice"
  CHECK(both[0].end_ms == t0 + 3000);
  const auto never = EventIssuesOf(false, {{t0, "webrtc.create_offer_failure", why}});
  REQUIRE(never.size() == 1);
  CHECK(never[0].severity == Severity::kCritical);  // it never connected
  // Other failures of kind "other" stay events.
  CHECK(EventIssuesOf(true, {{t0, "webrtc.something_else", why}}).empty());
}

TEST_CASE("received stream stalls: an unlinked track's sender is the one peer that published it",
          "[detections]") {
  const auto session = [](int publishers) {
    Session s;
    for (int i = 0; i < publishers; ++i) {
      s.peers.push_back(
          PeerWith("sender" + std::to_string(i),
                   {DumpTrack("cam", MediaKind::kVideo, Direction::kPublisher, "",
                              {{Metric::kBitrate, Steps({{5, 500000}, {7, 0}, {6, 500000}})}})}));
    }
    s.peers.push_back(PeerWith(
        "receiver", {DumpTrack("cam", MediaKind::kVideo, Direction::kSubscriber, "",
                               {{Metric::kPausedMs, Steps({{5, 0}, {7, 1000}, {6, 0}})}})}));
    return s;
  };
  const auto one = analysis::FindReceivedStreamStalls(session(1));
  REQUIRE(one.size() == 1);
  CHECK(one[0].peer_id == "sender0");
  CHECK(one[0].severity == Severity::kInfo);
  // Two peers published that id: the sender is not known.
  const auto two = analysis::FindReceivedStreamStalls(session(2));
  REQUIRE(two.size() == 1);
  CHECK(two[0].peer_id == "receiver");
  CHECK(two[0].direction == Path::kDownlink);
  CHECK(two[0].peers.empty());
}

namespace {

// A received audio track whose jitter buffer was flushed at these seconds
// after t0 (StreamFacts::jitter_buffer_flush_times_ms).
Session FlushedAt(std::initializer_list<double> seconds) {
  constexpr int64_t t0 = 1700000000000;
  Track t = DumpTrack("mic", MediaKind::kAudio, Direction::kSubscriber, "sender",
                      {{Metric::kBitrate, Steps({{60, 32000}})}});
  t.facts = StreamFacts{};
  for (double s : seconds) {
    t.facts->jitter_buffer_flush_times_ms.push_back(t0 + static_cast<int64_t>(s * 1000));
  }
  t.facts->jitter_buffer_flushes = static_cast<double>(seconds.size());
  Session session;
  session.peers.push_back(PeerWith("receiver", {t}));
  return session;
}

}  // namespace

TEST_CASE("periodic jitter-buffer flushes: three or more about four seconds apart",
          "[detections]") {
  constexpr int64_t t0 = 1700000000000;
  // A lone flush at 2 s, then five every ~4 s (the sampling moves them by a second).
  const auto found = analysis::FindPeriodicJitterBufferFlushes(FlushedAt({2, 13, 17, 22, 26, 30}));
  REQUIRE(found.size() == 1);
  const Detection& d = found[0];
  CHECK(d.kind == DetectionKind::kPeriodicJitterBufferFlushes);
  CHECK(d.peer_id == "receiver");
  CHECK(d.direction == Path::kDownlink);
  CHECK(d.peers == std::vector<std::string>{"sender"});
  CHECK(d.media == MediaKind::kAudio);
  CHECK(d.value == 5);  // the run, not the lone flush before it
  CHECK(d.baseline == Approx(4.25));
  CHECK(d.worst == Approx(5));
  CHECK(d.start_ms == t0 + 13000);
  CHECK(d.end_ms == t0 + 30000);
  CHECK(analysis::IssueOf(d).code == IssueCode::kPeriodicJitterBufferFlushes);
}

TEST_CASE("periodic jitter-buffer flushes: irregular, too few, too far apart or none raise nothing",
          "[detections]") {
  for (const Session& s : {
           FlushedAt({}),                    // a clean call
           FlushedAt({10}),                  // one flush
           FlushedAt({10, 14}),              // two at the cadence: fewer than three
           FlushedAt({10, 11, 19, 21, 30}),  // irregular
           FlushedAt({10, 18, 26, 34, 42}),  // regular, but 8 s apart
           FlushedAt({10, 10.5, 11, 11.5}),  // a burst
       }) {
    CHECK(analysis::FindPeriodicJitterBufferFlushes(s).empty());
  }
  // Received video and sent audio are not looked at.
  Session video = FlushedAt({10, 14, 18, 22});
  video.peers[0].tracks[0].kind = MediaKind::kVideo;
  CHECK(analysis::FindPeriodicJitterBufferFlushes(video).empty());
  Session sent = FlushedAt({10, 14, 18, 22});
  sent.peers[0].tracks[0].direction = Direction::kPublisher;
  CHECK(analysis::FindPeriodicJitterBufferFlushes(sent).empty());
}

TEST_CASE("low received fps: a sender whose own sending stalled explains it", "[detections]") {
  // The recorded two-browser call: the caller drops its encoded frames for
  // 6 s. Its encoder still reports 20 fps, but its bitrate falls: the
  // receiver's 1 fps is the sender's doing, as the freeze it causes is.
  auto low_fps_of = [](float sender_bitrate_during) {
    Session s;
    s.peers.push_back(
        PeerWith("sender",
                 {DumpTrack("cam", MediaKind::kVideo, Direction::kPublisher, "",
                            {{Metric::kFps, Steps({{30, 20}})},
                             {Metric::kBitrate,
                              Steps({{10, 500000}, {8, sender_bitrate_during}, {12, 500000}})}})}));
    s.peers.push_back(PeerWith(
        "receiver",
        {DumpTrack("cam", MediaKind::kVideo, Direction::kSubscriber, "sender",
                   {{Metric::kFps, Steps({{10, 20}, {8, 1}, {12, 20}})},
                    {Metric::kBitrate, Steps({{10, 500000}, {8, 20000}, {12, 500000}})}})}));
    const Config config;
    const auto views = analysis::BuildViews(s, config, 1);
    return analysis::FindLowReceivedFps(views, {}, config);
  };
  const auto stalled = low_fps_of(20000);
  REQUIRE(stalled.size() == 1);
  CHECK(stalled[0].direction == Path::kUplink);
  CHECK(stalled[0].peer_id == "sender");
  CHECK(stalled[0].peers == std::vector<std::string>{"receiver"});
  // The sender went on sending: the receiver's own downlink.
  const auto sent = low_fps_of(500000);
  REQUIRE(sent.size() == 1);
  CHECK(sent[0].direction == Path::kDownlink);
  CHECK(sent[0].peer_id == "receiver");
}
