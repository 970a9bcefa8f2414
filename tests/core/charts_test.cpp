// What a track charts and how (core/src/analysis/charts.cpp): the metrics a
// track plots, the threshold lines in the chart's unit, the breach metrics
// drawn on a chart; and that they agree with the breaches FindBreaches finds.
#include <algorithm>
#include <catch2/catch.hpp>
#include <cmath>
#include <string>
#include <vector>

#include "analysis/internal.h"
#include "callsight/analysis.h"
#include "test_util.h"

using namespace callsight;
using callsight::testing::Const;
using callsight::testing::LoadScenario;
using callsight::testing::MakeSeries;
using callsight::testing::MakeTrack;
using callsight::testing::With;

namespace {

std::vector<std::string> Names(const std::vector<ChartMetric>& charts) {
  std::vector<std::string> out;
  for (ChartMetric c : charts) out.push_back(ChartMetricName(c));
  return out;
}

std::vector<std::string> BreachNames(const ChartRule& r) {
  std::vector<std::string> out;
  for (BreachMetric m : r.breach_metrics) out.push_back(BreachMetricName(m));
  return out;
}

constexpr Direction kSent = Direction::kPublisher;
constexpr Direction kReceived = Direction::kSubscriber;

}  // namespace

TEST_CASE("charts: a track charts every metric any layer reports, in order, MOS for audio",
          "[charts]") {
  Track video{"v", kSent, MediaKind::kVideo, "", {}};
  video.layers.push_back(
      Layer{"h", MakeSeries({{Metric::kBitrate, Const(5e5)}, {Metric::kRtt, Const(50)}})});
  video.layers.push_back(
      Layer{"l", MakeSeries({{Metric::kBitrate, Const(1e5)}, {Metric::kFps, Const(15)}})});
  // Metric order, whichever layer carries the metric; no MOS for video, even if asked.
  CHECK(Names(analysis::ChartsOf(video, true)) ==
        std::vector<std::string>{"bitrate", "fps", "rtt_ms"});

  const Track sent = MakeTrack("a", kSent, MediaKind::kAudio, "",
                               {{Metric::kBitrate, Const(3e4)}, {Metric::kJitter, Const(5)}});
  // No loss: the MOS only when one was computed.
  CHECK(Names(analysis::ChartsOf(sent, false)) == std::vector<std::string>{"bitrate", "jitter_ms"});
  CHECK(Names(analysis::ChartsOf(sent, true)) ==
        std::vector<std::string>{"bitrate", "jitter_ms", "mos"});
  const Track heard =
      MakeTrack("a", kReceived, MediaKind::kAudio, "p1",
                {{Metric::kPacketLoss, Const(1)}, {Metric::kConcealedSamples, Const(0)}});
  CHECK(Names(analysis::ChartsOf(heard, false)) ==
        std::vector<std::string>{"packet_loss_percent", "concealment_percent", "mos"});
}

TEST_CASE("charts: derived series are the ones the breaches check", "[charts]") {
  // 10 s windows of 48 kHz audio: 480000 samples; 48000 concealed is 10 %.
  Peer peer;
  peer.peer_id = "p";
  peer.tracks.push_back(MakeTrack("a", kReceived, MediaKind::kAudio, "q",
                                  {{Metric::kConcealedSamples, With(Const(0), 3, 5, 48000)}}));
  Track video{"v", kSent, MediaKind::kVideo, "", {}};
  video.layers.push_back(Layer{
      "h", MakeSeries({{Metric::kBitrate, Const(5e5)}, {Metric::kFps, With(Const(30), 6, 8, 0)}})});
  video.layers.push_back(Layer{"l", MakeSeries({{Metric::kBitrate, With(Const(1e5), 0, 2, NAN)},
                                                {Metric::kFps, Const(15)}})});
  peer.tracks.push_back(video);
  const Config config;

  const auto concealed = DeriveTrackSeries(peer, 0, "concealment_percent", config);
  REQUIRE(concealed);
  REQUIRE(concealed->values.size() == 12);
  CHECK(concealed->t == peer.tracks[0].layers[0].series.timestamps_ms);
  CHECK(concealed->values[0] == 0);
  CHECK(concealed->values[3] == Approx(10));
  CHECK(concealed->values[4] == Approx(10));

  const auto total = DeriveTrackSeries(peer, 1, "video_bitrate_total", config);
  REQUIRE(total);
  REQUIRE(total->values.size() == 12);     // both layers on one time axis
  CHECK(total->values[0] == Approx(5e5));  // the low layer not reported yet
  CHECK(total->values[5] == Approx(6e5));
  // The frame rate the fps limit is checked on: the highest layer that sends.
  const auto top = DeriveTrackSeries(peer, 1, "highest_layer_fps", config);
  REQUIRE(top);
  CHECK(top->values[5] == 30);
  CHECK(top->values[6] == 15);  // h sends no frames: l is the highest sending

  // Each only where it exists.
  CHECK_FALSE(DeriveTrackSeries(peer, 0, "video_bitrate_total", config));
  CHECK_FALSE(DeriveTrackSeries(peer, 1, "concealment_percent", config));
  CHECK_FALSE(DeriveTrackSeries(peer, 0, "highest_layer_fps", config));
  CHECK_FALSE(DeriveTrackSeries(peer, 1, "bitrate", config));
  CHECK_FALSE(DeriveTrackSeries(peer, 2, "concealment_percent", config));
}

TEST_CASE("charts: a sent video's limits are checked on all layers, its fps on the top one",
          "[charts]") {
  Config config;
  config.thresholds.video_bitrate_kbps = {200, 80};
  const ChartRule bitrate =
      analysis::RuleOf(kSent, MediaKind::kVideo, ChartMetric::kBitrate, config);
  REQUIRE(bitrate.thresholds.size() == 2);
  CHECK(bitrate.thresholds[0].value == 200000);  // kbit/s config, bit/s chart
  CHECK(bitrate.thresholds[0].severity == Severity::kWarning);
  CHECK(bitrate.thresholds[1].value == 80000);
  CHECK(bitrate.thresholds[1].severity == Severity::kCritical);
  CHECK(bitrate.thresholds[0].series == ThresholdSeries::kAllLayers);
  CHECK(std::string(ThresholdSeriesName(bitrate.thresholds[0].series)) == "all_layers");
  CHECK(BreachNames(bitrate) == std::vector<std::string>{"video_bitrate_total", "layer_off"});

  const ChartRule fps = analysis::RuleOf(kSent, MediaKind::kVideo, ChartMetric::kFps, config);
  REQUIRE(fps.thresholds.size() == 2);
  CHECK(fps.thresholds[0].value == config.thresholds.fps.warning);
  CHECK(fps.thresholds[1].series == ThresholdSeries::kHighestSendingLayer);
  CHECK(BreachNames(fps) == std::vector<std::string>{"fps", "layer_off"});

  // A screen share: its own frame rate limit (critical only by default), no layers.
  const ChartRule screen = analysis::RuleOf(kSent, MediaKind::kScreen, ChartMetric::kFps, config);
  REQUIRE(screen.thresholds.size() == 1);
  CHECK(screen.thresholds[0].value == config.thresholds.screen_fps.critical);
  CHECK(screen.thresholds[0].series == ThresholdSeries::kTrack);
  CHECK(analysis::RuleOf(kSent, MediaKind::kScreen, ChartMetric::kBitrate, config)
            .breach_metrics.empty());
}

TEST_CASE("charts: a sent audio's bitrate and MOS limits", "[charts]") {
  Config config;
  config.low_mos = 3.5;
  // audio_bitrate_kbps has no critical level by default: one line.
  const ChartRule bitrate =
      analysis::RuleOf(kSent, MediaKind::kAudio, ChartMetric::kBitrate, config);
  REQUIRE(bitrate.thresholds.size() == 1);
  CHECK(bitrate.thresholds[0].value == config.thresholds.audio_bitrate_kbps.warning * 1000);
  CHECK(BreachNames(bitrate) == std::vector<std::string>{"bitrate"});
  const ChartRule mos = analysis::RuleOf(kSent, MediaKind::kAudio, ChartMetric::kMos, config);
  REQUIRE(mos.thresholds.size() == 2);
  CHECK(mos.thresholds[0].value == 3.5);
  CHECK(mos.thresholds[1].value == Approx(3.0));
  CHECK(mos.thresholds[1].severity == Severity::kCritical);
  CHECK(BreachNames(mos) == std::vector<std::string>{"mos"});
}

TEST_CASE("charts: received media draw only the limits checked on receivers, in their unit",
          "[charts]") {
  const Config config;
  const auto rule = [&](MediaKind k, ChartMetric m) {
    return analysis::RuleOf(kReceived, k, m, config);
  };
  CHECK(rule(MediaKind::kAudio, ChartMetric::kPacketLoss).thresholds.size() == 2);
  // Jitter and RTT are checked on the sender only.
  CHECK(rule(MediaKind::kAudio, ChartMetric::kJitter).thresholds.empty());
  CHECK(rule(MediaKind::kAudio, ChartMetric::kJitter).breach_metrics.empty());
  // Concealment is charted in % of samples, the unit of its limit: lines and breaches.
  const ChartRule concealed = rule(MediaKind::kAudio, ChartMetric::kConcealmentPercent);
  REQUIRE(concealed.thresholds.size() == 2);
  CHECK(concealed.thresholds[0].value == config.thresholds.concealment_pct.warning);
  CHECK(concealed.thresholds[1].value == config.thresholds.concealment_pct.critical);
  CHECK(BreachNames(concealed) == std::vector<std::string>{"concealment_percent"});
  // The received MOS is judged by a detection at the sent MOS's limits: lines, no breaches.
  const ChartRule mos = rule(MediaKind::kAudio, ChartMetric::kMos);
  REQUIRE(mos.thresholds.size() == 2);
  CHECK(mos.thresholds[0].value == config.low_mos);
  CHECK(mos.thresholds[1].value == Approx(config.low_mos - 0.5));
  CHECK(mos.breach_metrics.empty());
  // Video: no frame rate or loss limit; freezes: the warning count only (the
  // critical limit is a rate held over time).
  CHECK(rule(MediaKind::kVideo, ChartMetric::kFps).thresholds.empty());
  CHECK(rule(MediaKind::kVideo, ChartMetric::kPacketLoss).breach_metrics.empty());
  const ChartRule freezes = rule(MediaKind::kVideo, ChartMetric::kFreezeCount);
  REQUIRE(freezes.thresholds.size() == 1);
  CHECK(freezes.thresholds[0].value == config.thresholds.freeze_warning_count);
  CHECK(freezes.thresholds[0].severity == Severity::kWarning);
  CHECK(BreachNames(freezes) == std::vector<std::string>{"freeze_count"});
}

TEST_CASE("charts: one rule per direction, kind and metric, in order", "[charts]") {
  const auto rules = analysis::ChartRules(Config());
  REQUIRE(rules.size() == 2 * 3 * static_cast<size_t>(kChartMetricCount));
  CHECK(rules.front().direction == kSent);
  CHECK(rules.front().kind == MediaKind::kAudio);
  CHECK(rules.front().metric == ChartMetric::kBitrate);
  const ChartRule& last = rules.back();
  CHECK(last.direction == kReceived);
  CHECK(last.kind == MediaKind::kScreen);
  CHECK(last.metric == ChartMetric::kMos);
}

TEST_CASE("charts: every breach shows on a chart of its track, on its threshold's line",
          "[charts][gen]") {
  size_t on_lines = 0;
  for (const char* name : {"sample", "layers", "screen-share", "attribution", "detections-media"}) {
    INFO(name);
    const auto engine = LoadScenario(name);
    const Analysis& analysis = engine->analysis();
    const auto& sessions = engine->model().sessions;
    REQUIRE(sessions.size() == analysis.sessions.size());
    const auto rule_of = [&](const Track& t, ChartMetric m) -> const ChartRule& {
      for (const ChartRule& r : analysis.charts) {
        if (r.direction == t.direction && r.kind == t.kind && r.metric == m) return r;
      }
      FAIL("no rule");
      return analysis.charts.front();
    };
    for (size_t si = 0; si < sessions.size(); ++si) {
      const Session& session = sessions[si];
      const SessionAnalysis& sa = analysis.sessions[si];
      for (const Breach& b : sa.breaches) {
        if (b.metric == BreachMetric::kMediaGap) continue;  // on no chart
        INFO(BreachMetricName(b.metric) << " " << b.peer_id << " " << b.track_id);
        bool shown = false, has_lines = false, on_line = false;
        for (size_t pi = 0; pi < session.peers.size(); ++pi) {
          if (session.peers[pi].peer_id != b.peer_id) continue;
          for (const TrackAnalysis& ta : sa.peers[pi].tracks) {
            const Track& t = session.peers[pi].tracks[ta.track_index];
            if (t.track_id != b.track_id || t.direction != b.direction) continue;
            for (ChartMetric c : ta.charts) {
              const ChartRule& r = rule_of(t, c);
              const auto& shows = r.breach_metrics;
              if (std::find(shows.begin(), shows.end(), b.metric) == shows.end()) continue;
              shown = true;
              for (const ChartThreshold& th : r.thresholds) {
                has_lines = true;
                on_line |= th.severity == b.severity && std::abs(th.value - b.threshold) < 1e-6;
              }
            }
          }
        }
        CHECK(shown);
        // A breach on a chart with lines sits on its severity's line, except
        // a critical freeze run (its limit is a rate held over time, not drawn)
        // and a stopped layer (drawn on bitrate and fps charts without a line).
        const bool undrawn =
            b.metric == BreachMetric::kLayerOff ||
            (b.metric == BreachMetric::kFreezeCount && b.severity == Severity::kCritical);
        if (has_lines && !undrawn) {
          CHECK(on_line);
          ++on_lines;
        }
      }
    }
  }
  CHECK(on_lines > 10);
}
