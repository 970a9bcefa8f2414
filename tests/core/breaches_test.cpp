// Breach rules (core/src/analysis/breaches.cpp, stats.cpp) on hand-built sessions.
#include <catch2/catch.hpp>
#include <cmath>

#include "analysis/internal.h"
#include "callsight/analysis.h"

using namespace callsight;

namespace {

constexpr int64_t kT0 = 1700000000000LL;

Series MakeSeries(int64_t spacing,
                  std::initializer_list<std::pair<Metric, std::vector<double>>> cols) {
  Series s;
  size_t n = cols.begin()->second.size();
  for (size_t i = 0; i < n; ++i) s.timestamps_ms.push_back(kT0 + static_cast<int64_t>(i) * spacing);
  for (const auto& [m, v] : cols) s.column(m).assign(v.begin(), v.end());
  return s;
}

Session OnePeer(Track track) {
  Session s;
  s.session_id = "s";
  s.start_ms = kT0;
  s.end_ms = kT0 + 3600000;
  Peer p;
  p.peer_id = "p";
  p.tracks.push_back(std::move(track));
  s.peers.push_back(std::move(p));
  return s;
}

Track AudioPub(Series s) {
  return Track{"a", Direction::kPublisher, MediaKind::kAudio, "", {Layer{"", std::move(s)}}};
}

std::vector<Breach> BreachesOf(const Session& s, const std::string& metric, const Config& c = {}) {
  auto views = analysis::BuildViews(s, c, 1);
  std::vector<Breach> out;
  for (auto& b : analysis::FindBreaches(views, c, 1)) {
    if (BreachMetricName(b.metric) == metric) out.push_back(b);
  }
  return out;
}

SessionAnalysis AnalyzeOne(const Session& s, const Config& c = {}) {
  SessionSet set;
  set.sessions.push_back(s);
  return Analyze(set, c).sessions.at(0);
}

}  // namespace

TEST_CASE("runs: one clean sample is bridged, two split", "[breaches]") {
  std::vector<int64_t> t;
  for (int i = 0; i < 12; ++i) t.push_back(i * 10000);
  auto level = [](double x) { return x > 5 ? 2 : x > 3 ? 1 : 0; };
  Samples v = {0, 4, 6, 0, 4, 0, 0, 9, 0, 0, 0, 4};
  auto runs = analysis::FindRuns(t, v, 10000, true, level);
  REQUIRE(runs.size() == 3);
  CHECK(runs[0].first == 1);
  CHECK(runs[0].last == 4);  // 4,6,(0),4 is one breach
  CHECK(runs[0].level == 2);
  CHECK(runs[0].peak == 6);
  // The bridged clean sample lengthens the run, not its figures.
  CHECK(runs[0].samples == 3);
  CHECK(runs[0].mean == Approx((4 + 6 + 4) / 3.0));
  CHECK(runs[1].first == 7);
  CHECK(runs[1].samples == 1);
  CHECK(runs[2].first == 11);
}

TEST_CASE("runs: missing samples neither extend nor split, long gaps split", "[breaches]") {
  std::vector<int64_t> t = {0, 10000, 20000, 30000, 200000};
  Samples v = {4, NAN, 4, 4, 4};
  auto runs = analysis::FindRuns(t, v, 10000, true, [](double x) { return x > 3 ? 1 : 0; });
  REQUIRE(runs.size() == 2);
  CHECK(runs[0].last == 3);
  CHECK(runs[0].samples == 3);
}

TEST_CASE("stats: median, p95 and worst in the worse direction", "[breaches]") {
  std::vector<double> v;
  for (int i = 1; i <= 100; ++i) v.push_back(i);
  v.push_back(NAN);
  MetricStats up = ComputeStats(v, true);
  CHECK(up.count == 100);
  CHECK(up.median == 50.5);
  CHECK(up.p95 == 95);
  CHECK(up.worst == 100);
  MetricStats down = ComputeStats(v, false);
  CHECK(down.p95 == 5);
  CHECK(down.worst == 1);
  CHECK(std::isnan(ComputeStats(std::vector<double>{NAN}, true).median));
  CHECK(ComputeStats(Samples{3, 1, 2}, true).median == 2);
  CHECK(SampleSpacingMs({0, 30000, 60000, 90000}) == 30000);
}

TEST_CASE("publisher loss beyond thresholds gives breaches with severity", "[breaches]") {
  Session s =
      OnePeer(AudioPub(MakeSeries(10000, {{Metric::kPacketLoss, {0, 4, 4, 0, 0, 8, 8, 0, 0}}})));
  auto b = BreachesOf(s, "packet_loss_percent");
  REQUIRE(b.size() == 2);
  CHECK(b[0].severity == Severity::kWarning);
  CHECK(b[0].threshold == 3);
  CHECK(b[0].start_ms == kT0 + 10000);
  CHECK(b[0].end_ms == kT0 + 20000);
  CHECK(b[1].severity == Severity::kCritical);
  CHECK(b[1].threshold == 5);
  CHECK(b[1].peak == 8);
}

TEST_CASE("a single out-of-line sample is a breach but raises no issue", "[breaches][issues]") {
  Session s = OnePeer(AudioPub(MakeSeries(10000, {{Metric::kPacketLoss, {0, 0, 20, 0, 0, 0}}})));
  SessionAnalysis a = AnalyzeOne(s);
  CHECK(a.breaches.size() >= 1);
  for (const Issue& is : a.issues) CHECK(is.code != IssueCode::kHighPacketLoss);
  // With 30 s spacing one sample is still one sample: no issue; two are.
  Session s30 =
      OnePeer(AudioPub(MakeSeries(30000, {{Metric::kPacketLoss, {0, 20, 0, 0, 20, 20, 0}}})));
  SessionAnalysis a30 = AnalyzeOne(s30);
  int loss = 0;
  for (const Issue& is : a30.issues) loss += is.code == IssueCode::kHighPacketLoss;
  CHECK(loss == 1);
}

TEST_CASE("muted audio (bitrate ~0) is not low audio bitrate", "[breaches]") {
  Session s = OnePeer(
      AudioPub(MakeSeries(10000, {{Metric::kBitrate, {32000, 0, 0, 0, 12000, 12000, 32000}}})));
  auto b = BreachesOf(s, "bitrate");
  REQUIRE(b.size() == 1);
  CHECK(b[0].start_ms == kT0 + 40000);
  CHECK(b[0].samples == 2);
}

TEST_CASE("simulcast: a stopped higher layer is layer_off, fps judged on the top sending layer",
          "[breaches]") {
  // h stops (0 bitrate, 0 fps) at samples 2-5 while m and l go on.
  Series h = MakeSeries(10000, {{Metric::kBitrate, {1.2e6, 1.2e6, 0, 0, 0, 0, 1.2e6}},
                                {Metric::kFps, {30, 30, 0, 0, 0, 0, 30}}});
  Series m = MakeSeries(10000, {{Metric::kBitrate, {4e5, 4e5, 4e5, 4e5, 4e5, 4e5, 4e5}},
                                {Metric::kFps, {30, 30, 30, 30, 30, 30, 30}}});
  Series l =
      MakeSeries(10000, {{Metric::kBitrate, {1.5e5, 1.5e5, 1.5e5, 1.5e5, 1.5e5, 1.5e5, 1.5e5}},
                         {Metric::kFps, {15, 15, 15, 15, 15, 15, 15}}});
  Track v{"v", Direction::kPublisher, MediaKind::kVideo, "", {{"h", h}, {"m", m}, {"l", l}}};
  Session s = OnePeer(v);
  auto off = BreachesOf(s, "layer_off");
  REQUIRE(off.size() == 1);
  CHECK(off[0].rid == "h");
  CHECK(off[0].start_ms == kT0 + 20000);
  CHECK(off[0].end_ms == kT0 + 50000);
  CHECK(BreachesOf(s, "fps").empty());                  // m at 30 fps is the top sending layer
  CHECK(BreachesOf(s, "video_bitrate_total").empty());  // 550 kbps together
  SessionAnalysis a = AnalyzeOne(s);
  REQUIRE(a.issues.size() == 1);
  CHECK(a.issues[0].code == IssueCode::kSimulcastLayerOff);
  CHECK(a.issues[0].direction == Path::kUplink);
}

TEST_CASE("video bitrate counts all layers together; a stopped camera is not low", "[breaches]") {
  Series h = MakeSeries(
      10000, {{Metric::kBitrate, {60000, 60000, 60000, 0, 0}}, {Metric::kFps, {20, 20, 20, 0, 0}}});
  Series l = MakeSeries(
      10000, {{Metric::kBitrate, {50000, 50000, 20000, 0, 0}}, {Metric::kFps, {15, 15, 15, 0, 0}}});
  Track v{"v", Direction::kPublisher, MediaKind::kVideo, "", {{"h", h}, {"l", l}}};
  auto b = BreachesOf(OnePeer(v), "video_bitrate_total");
  REQUIRE(b.size() == 1);
  CHECK(b[0].samples == 3);
  CHECK(b[0].severity == Severity::kWarning);  // 110 kbps, then 80 kbps: never below 75
  CHECK(b[0].peak == 80000);
}

TEST_CASE("screen share: 5 fps is fine, below 2 fps is critical", "[breaches]") {
  Track sc{"sc",
           Direction::kPublisher,
           MediaKind::kScreen,
           "",
           {{"", MakeSeries(10000, {{Metric::kFps, {5, 5, 1, 1, 5}},
                                    {Metric::kBitrate, {3e5, 3e5, 3e5, 3e5, 3e5}}})}}};
  auto b = BreachesOf(OnePeer(sc), "fps");
  REQUIRE(b.size() == 1);
  CHECK(b[0].severity == Severity::kCritical);
  CHECK(b[0].samples == 2);
}

TEST_CASE("freezes: warning per window, critical when >= 1 per 10 s for a minute", "[breaches]") {
  auto sub = [](std::vector<double> freezes) {
    std::vector<double> fps(freezes.size(), 30);
    return Track{"v",
                 Direction::kSubscriber,
                 MediaKind::kVideo,
                 "",
                 {{"", MakeSeries(10000, {{Metric::kFreezeCount, freezes}, {Metric::kFps, fps}})}}};
  };
  auto short_burst = BreachesOf(OnePeer(sub({0, 1, 1, 1, 0, 0, 0})), "freeze_count");
  REQUIRE(short_burst.size() == 1);
  CHECK(short_burst[0].severity == Severity::kWarning);
  auto long_burst = BreachesOf(OnePeer(sub({0, 1, 1, 1, 1, 1, 1, 0, 0})), "freeze_count");
  REQUIRE(long_burst.size() == 1);
  CHECK(long_burst[0].severity == Severity::kCritical);
}

TEST_CASE("freezes: the critical rule holds on timestamps that wander by up to 20 %",
          "[breaches]") {
  // spacing 10 s or 30 s, per-sample freezes, timestamps moved by +-20 %.
  auto sub = [](int64_t spacing, std::vector<double> freezes, bool jitter) {
    Series s;
    for (size_t i = 0; i < freezes.size(); ++i) {
      const int64_t wander = jitter ? (i % 2 ? spacing / 5 : -spacing / 5) : 0;
      s.timestamps_ms.push_back(kT0 + static_cast<int64_t>(i + 1) * spacing + wander);
    }
    s.column(Metric::kFreezeCount).assign(freezes.begin(), freezes.end());
    s.column(Metric::kFps).assign(freezes.size(), 30);
    return Track{"v", Direction::kSubscriber, MediaKind::kVideo, "", {{"", s}}};
  };
  auto severity = [&](int64_t spacing, std::vector<double> freezes, bool jitter) {
    auto b = BreachesOf(OnePeer(sub(spacing, freezes, jitter)), "freeze_count");
    REQUIRE(b.size() == 1);
    return b[0].severity;
  };
  for (bool jitter : {false, true}) {
    INFO("jitter " << jitter);
    // 10 s: six consecutive windows with one freeze each cover a minute.
    CHECK(severity(10000, {0, 1, 1, 1, 1, 1, 1, 0}, jitter) == Severity::kCritical);
    CHECK(severity(10000, {0, 1, 1, 1, 1, 1, 0, 0}, jitter) == Severity::kWarning);
    // 30 s: two windows with three each (1 per 10 s) cover a minute.
    CHECK(severity(30000, {0, 3, 3, 0}, jitter) == Severity::kCritical);
    CHECK(severity(30000, {0, 3, 2, 0}, jitter) == Severity::kWarning);
    CHECK(severity(30000, {0, 3, 0, 0}, jitter) == Severity::kWarning);
  }
}

TEST_CASE("a breach's figures come from its breaching samples; a bridged one only lengthens it",
          "[breaches]") {
  // 4 % loss, a clean 0 % sample, 4 % again: one warning breach over all three.
  Session s =
      OnePeer(AudioPub(MakeSeries(10000, {{Metric::kPacketLoss, {0, 4, 4, 0, 4, 4, 0, 0, 0}}})));
  auto b = BreachesOf(s, "packet_loss_percent");
  REQUIRE(b.size() == 1);
  CHECK(b[0].start_ms == kT0 + 10000);
  CHECK(b[0].end_ms == kT0 + 50000);
  CHECK(b[0].samples == 4);
  CHECK(b[0].mean == Approx(4.0));  // not 3.2: the bridged 0 % is not averaged in
  CHECK(b[0].peak == Approx(4.0));
}

TEST_CASE("concealment is a share of 48 kHz samples in the sample window", "[breaches]") {
  // 10 s windows hold 480000 samples: 24000 concealed = 5 % (warning), 48000 = 10 % (critical).
  Track a{"a",
          Direction::kSubscriber,
          MediaKind::kAudio,
          "",
          {{"", MakeSeries(10000, {{Metric::kConcealedSamples, {0, 24000, 24000, 48000, 0, 0}}})}}};
  auto b = BreachesOf(OnePeer(a), "concealment_percent");
  REQUIRE(b.size() == 1);
  CHECK(b[0].severity == Severity::kCritical);
  CHECK(b[0].peak == Approx(10.0));
  CHECK(b[0].samples == 3);
}

TEST_CASE("thresholds come from the config", "[breaches]") {
  Session s = OnePeer(AudioPub(MakeSeries(10000, {{Metric::kRtt, {100, 250, 250, 100}}})));
  CHECK(BreachesOf(s, "rtt_ms").empty());
  Config c;
  c.thresholds.rtt_ms = {200, 400};
  auto b = BreachesOf(s, "rtt_ms", c);
  REQUIRE(b.size() == 1);
  CHECK(b[0].threshold == 200);
}

TEST_CASE("media_gap: a present peer's track stops reporting, unless its sender stopped",
          "[breaches][issues]") {
  Series s;
  for (int64_t t : {0, 10, 20, 30, 130, 140, 150}) s.timestamps_ms.push_back(kT0 + t * 1000);
  s.column(Metric::kPacketLoss) = Samples(7, 0);
  Session one = OnePeer(AudioPub(s));
  SessionAnalysis a = AnalyzeOne(one);
  REQUIRE(a.issues.size() == 1);
  CHECK(a.issues[0].code == IssueCode::kMediaGap);
  CHECK(a.issues[0].direction == Path::kUplink);
  CHECK(a.issues[0].start_ms == kT0 + 30000);
  CHECK(a.issues[0].end_ms == kT0 + 130000);
  // 50 s is under a minute: not a gap.
  Series short_gap = s;
  short_gap.timestamps_ms = {kT0,         kT0 + 10000, kT0 + 60000, kT0 + 70000,
                             kT0 + 80000, kT0 + 90000, kT0 + 100000};
  CHECK(AnalyzeOne(OnePeer(AudioPub(short_gap))).issues.empty());
  // A receiver's track with the same gap as its sender's is not the receiver's gap.
  Session two = one;
  Peer rx;
  rx.peer_id = "rx";
  rx.tracks.push_back(Track{"a", Direction::kSubscriber, MediaKind::kAudio, "p", {{"", s}}});
  two.peers.push_back(rx);
  for (const Issue& is : AnalyzeOne(two).issues) CHECK(is.peer_id != "rx");
}
