// Windows and headline scores (core/src/analysis/windows.cpp): expected rates
// by role, "not sending", concealment in the downlink, the headline figures
// and their invariants on every generated scenario, and a property test that
// worsening one track never raises its scores.
#include <algorithm>
#include <catch2/catch.hpp>
#include <cmath>
#include <fstream>
#include <functional>
#include <memory>
#include <nlohmann/json.hpp>
#include <random>
#include <set>
#include <string>
#include <vector>

#include "callsight/analysis.h"
#include "callsight/engine.h"
#include "core/test_util.h"

using namespace callsight;
using testing::ListDir;
using testing::LoadScenario;

namespace {

constexpr int64_t kT0 = 1700000000000LL;
constexpr int64_t kStep = 10000;

// n samples every kStep from kT0; fill(i) gives each column's value at i.
template <typename Fill>
Series MakeSeries(size_t n, std::initializer_list<Metric> metrics, const Fill& fill) {
  Series s;
  for (size_t i = 0; i < n; ++i) s.timestamps_ms.push_back(kT0 + static_cast<int64_t>(i) * kStep);
  for (Metric m : metrics) {
    Samples& c = s.column(m);
    for (size_t i = 0; i < n; ++i) c.push_back(static_cast<float>(fill(m, i)));
  }
  return s;
}

// A clean publisher audio track of n samples.
Track CleanAudio(size_t n, const std::string& id = "a") {
  Series s = MakeSeries(n, {Metric::kBitrate, Metric::kPacketLoss, Metric::kRtt, Metric::kJitter},
                        [](Metric m, size_t) {
                          return m == Metric::kBitrate  ? 32000.0
                                 : m == Metric::kRtt    ? 60.0
                                 : m == Metric::kJitter ? 4.0
                                                        : 0.0;
                        });
  return Track{id, Direction::kPublisher, MediaKind::kAudio, "", {Layer{"", std::move(s)}}};
}

// A single-layer camera of n samples with fps(i), 600 kbps, no loss.
template <typename Fps>
Track Camera(size_t n, const Fps& fps, const std::string& id = "v") {
  Series s = MakeSeries(n, {Metric::kBitrate, Metric::kFps, Metric::kPacketLoss, Metric::kRtt},
                        [&](Metric m, size_t i) {
                          return m == Metric::kBitrate ? 600000.0
                                 : m == Metric::kFps   ? fps(i)
                                 : m == Metric::kRtt   ? 60.0
                                                       : 0.0;
                        });
  return Track{id, Direction::kPublisher, MediaKind::kVideo, "", {Layer{"", std::move(s)}}};
}

// A simulcast camera (h, m, l); samples for which off(i) send 0 bit/s, 0 fps on every layer.
template <typename Off>
Track SimulcastCamera(size_t n, const Off& off) {
  Track t{"v", Direction::kPublisher, MediaKind::kVideo, "", {}};
  const double bitrate[3] = {1.4e6, 450e3, 150e3}, fps[3] = {30, 30, 15};
  const char* rid[3] = {"h", "m", "l"};
  for (int l = 0; l < 3; ++l) {
    t.layers.push_back(Layer{
        rid[l], MakeSeries(n, {Metric::kBitrate, Metric::kFps, Metric::kPacketLoss, Metric::kRtt},
                           [&](Metric m, size_t i) {
                             if (m == Metric::kBitrate) return off(i) ? 0.0 : bitrate[l];
                             if (m == Metric::kFps) return off(i) ? 0.0 : fps[l];
                             return m == Metric::kRtt ? 60.0 : 0.0;
                           })});
  }
  return t;
}

Session OnePeer(std::vector<Track> tracks, size_t n) {
  Session s;
  s.session_id = "s";
  s.start_ms = kT0;
  s.end_ms = kT0 + static_cast<int64_t>(n) * kStep;
  Peer p;
  p.peer_id = "p";
  p.tracks = std::move(tracks);
  s.peers.push_back(std::move(p));
  return s;
}

SessionAnalysis AnalyzeOne(const Session& s) {
  SessionSet set;
  set.sessions.push_back(s);
  return Analyze(set, Config()).sessions.at(0);
}

const TrackAnalysis& TrackOf(const PeerAnalysis& pa, const std::string& key) {
  for (const TrackAnalysis& ta : pa.tracks) {
    if (ta.key == key) return ta;
  }
  FAIL("no track " << key);
  static const TrackAnalysis kNone;
  return kNone;
}

double CameraScore(size_t n, const std::function<double(size_t)>& fps) {
  const SessionAnalysis a = AnalyzeOne(OnePeer({CleanAudio(n), Camera(n, fps)}, n));
  return TrackOf(a.peers.at(0), "publisher/v/").score;
}

Event MuteEvent(int64_t t, bool mute) {
  Event e;
  e.time_ms = t;
  e.peer_id = "p";
  e.type = "track.update.success";
  e.track_id = "v";
  e.mute = mute;
  e.track_type = "video";
  return e;
}

}  // namespace

TEST_CASE("video score: the expected rate comes from the role, not the track", "[windows]") {
  const size_t n = 60;  // 10 minutes
  const double steady16 = CameraScore(n, [](size_t) { return 16.0; });
  const double full = CameraScore(n, [](size_t i) { return i % 3 == 0 ? 28.0 : 30.0; });
  const double half20 = CameraScore(n, [](size_t i) { return i < n / 2 ? 20.0 : 30.0; });
  const double full30 = CameraScore(n, [](size_t) { return 30.0; });
  // Audit: a steady 16 fps track scored 5.00, above an untouched 28-30 fps one.
  CHECK(steady16 < full);
  CHECK(steady16 == Approx(5 - std::log2(30.0 / 16.0)).margin(1e-6));
  // Audit: lowering the first half from 30 to 20 fps raised the score.
  CHECK(half20 < full30);
  CHECK(full30 == Approx(5.0));
}

TEST_CASE("video score: a simulcast l layer alone expects 15 fps, a received camera 15 fps",
          "[windows]") {
  CHECK(ExpectedVideo(VideoRoleOf(MediaKind::kVideo, Direction::kPublisher, "h")).fps == 30);
  CHECK(ExpectedVideo(VideoRoleOf(MediaKind::kVideo, Direction::kPublisher, "")).fps == 30);
  CHECK(ExpectedVideo(VideoRoleOf(MediaKind::kVideo, Direction::kPublisher, "l")).fps == 15);
  CHECK(ExpectedVideo(VideoRoleOf(MediaKind::kVideo, Direction::kSubscriber, "")).fps == 15);
  CHECK(ExpectedVideo(VideoRoleOf(MediaKind::kScreen, Direction::kPublisher, "")).fps == 2);
  CHECK(std::isnan(
      ExpectedVideo(VideoRoleOf(MediaKind::kVideo, Direction::kSubscriber, "")).bitrate_bps));
}

TEST_CASE("not sending: a muted camera scores like a clean one", "[windows]") {
  const size_t n = 36;  // 6 minutes, camera off in minutes 2..4
  auto off = [](size_t i) { return i >= 12 && i < 24; };
  const SessionAnalysis clean =
      AnalyzeOne(OnePeer({CleanAudio(n), SimulcastCamera(n, [](size_t) { return false; })}, n));
  Session s = OnePeer({CleanAudio(n), SimulcastCamera(n, off)}, n);
  s.events = {MuteEvent(kT0 + 12 * kStep, true), MuteEvent(kT0 + 24 * kStep, false)};
  const SessionAnalysis muted = AnalyzeOne(s);
  const PeerAnalysis& c = clean.peers.at(0);
  const PeerAnalysis& m = muted.peers.at(0);
  CHECK(TrackOf(m, "publisher/v/h").score == Approx(TrackOf(c, "publisher/v/h").score));
  CHECK(m.cqs_uplink >= c.cqs_uplink - 1e-9);
  CHECK(BandOf(m.cqs) == CqsBand::kExcellent);
  CHECK(m.health_video == Health::kGood);
  for (const CqsWindow& w : m.cqs_windows) CHECK(w.uplink >= 4);
  // Marked for charts: one interval, from the first to the last muted sample.
  const auto& ns = TrackOf(m, "publisher/v/h").not_sending;
  REQUIRE(ns.size() == 1);
  CHECK(ns[0].start_ms == kT0 + 12 * kStep);
  CHECK(ns[0].end_ms == kT0 + 23 * kStep);
  CHECK(TrackOf(c, "publisher/v/h").not_sending.empty());
  // No breach reads a muted camera as low bitrate or low fps.
  for (const Breach& b : muted.breaches) CHECK(b.severity == Severity::kInfo);
}

TEST_CASE("not sending: a sender of padding and no frames sends nothing", "[windows]") {
  // Jitsi's bridge connection, suspended while the call runs peer to peer: the
  // sender keeps 20 kbit/s of padding and probes at 0 frames/s (the real
  // chrome96-standard-stats-p2p-add-transceiver dump). It scored 0 ("failed")
  // beside a verdict of no issue.
  const size_t n = 36;
  auto off = [](size_t i) { return i >= 12 && i < 24; };
  for (size_t layers : {size_t{1}, size_t{3}}) {
    CAPTURE(layers);
    Track cam{"v", Direction::kPublisher, MediaKind::kVideo, "", {}};
    const char* rid[3] = {"h", "m", "l"};
    for (size_t l = 0; l < layers; ++l) {
      cam.layers.push_back(
          Layer{layers == 1 ? "" : rid[l],
                MakeSeries(n, {Metric::kBitrate, Metric::kFps, Metric::kPacketLoss, Metric::kRtt},
                           [&](Metric m, size_t i) {
                             if (m == Metric::kBitrate)
                               return off(i) ? 20000.0 : 900000.0 / (l + 1);
                             if (m == Metric::kFps) return off(i) ? 0.0 : 30.0;
                             return m == Metric::kRtt ? 60.0 : 0.0;
                           })});
    }
    const std::string key = layers == 1 ? "publisher/v/" : "publisher/v/h";
    const SessionAnalysis a = AnalyzeOne(OnePeer({CleanAudio(n), cam}, n));
    const PeerAnalysis& p = a.peers.at(0);
    CHECK(TrackOf(p, key).score == Approx(5.0));
    const auto& ns = TrackOf(p, key).not_sending;
    REQUIRE(ns.size() == 1);
    CHECK(ns[0].start_ms == kT0 + 12 * kStep);
    CHECK(ns[0].end_ms == kT0 + 23 * kStep);
    CHECK(BandOf(p.cqs) == CqsBand::kExcellent);
    // Neither "low bitrate" (20 kbit/s of padding) nor "0 fps".
    for (const Breach& b : a.breaches) CHECK(b.severity == Severity::kInfo);
  }
}

TEST_CASE("not sending: a mute event alone excludes the track's samples", "[windows]") {
  const size_t n = 36;
  // While muted the camera reports 2 fps (e.g. a black frame now and then):
  // without the event that is a low frame rate.
  auto fps = [](size_t i) { return i >= 12 && i < 24 ? 2.0 : 30.0; };
  const SessionAnalysis unmarked = AnalyzeOne(OnePeer({CleanAudio(n), Camera(n, fps)}, n));
  Session s = OnePeer({CleanAudio(n), Camera(n, fps)}, n);
  s.events = {MuteEvent(kT0 + 12 * kStep - 500, true), MuteEvent(kT0 + 24 * kStep - 500, false)};
  const SessionAnalysis marked = AnalyzeOne(s);
  CHECK(TrackOf(unmarked.peers[0], "publisher/v/").score < 4.9);
  CHECK(TrackOf(marked.peers[0], "publisher/v/").score == Approx(5.0));
  CHECK(marked.peers[0].cqs_uplink > unmarked.peers[0].cqs_uplink);
  CHECK(TrackOf(marked.peers[0], "publisher/v/").not_sending.size() == 1);
}

TEST_CASE("not sending: a receiver of a muted camera is not scored as frozen", "[windows]") {
  const size_t n = 36;
  auto off = [](size_t i) { return i >= 12 && i < 24; };
  Session s = OnePeer({CleanAudio(n), SimulcastCamera(n, off)}, n);
  Peer viewer;
  viewer.peer_id = "q";
  viewer.tracks.push_back(
      Track{"v",
            Direction::kSubscriber,
            MediaKind::kVideo,
            "p",
            {Layer{"", MakeSeries(n, {Metric::kFps, Metric::kFreezeCount}, [&](Metric m, size_t i) {
                     return m == Metric::kFps ? (off(i) ? 0.0 : 30.0) : 0.0;
                   })}}});
  s.peers.push_back(viewer);
  const SessionAnalysis a = AnalyzeOne(s);
  const PeerAnalysis& q = a.peers.at(1);
  CHECK(TrackOf(q, "subscriber/v/").score == Approx(5.0));
  CHECK(TrackOf(q, "subscriber/v/").not_sending.size() == 1);
  CHECK(BandOf(q.cqs_downlink) == CqsBand::kExcellent);
}

TEST_CASE("concealment feeds the downlink score and audio health", "[windows]") {
  const size_t n = 30;  // 5 minutes, 12 % concealment in minutes 1..4, no loss reported
  Session s = OnePeer({CleanAudio(n)}, n);
  s.peers[0].tracks.push_back(
      Track{"r",
            Direction::kSubscriber,
            MediaKind::kAudio,
            "",
            {Layer{"", MakeSeries(n, {Metric::kPacketLoss, Metric::kConcealedSamples},
                                  [](Metric m, size_t i) {
                                    if (m == Metric::kPacketLoss) return 0.0;
                                    return i >= 6 && i < 24 ? 0.12 * 48000 * 10 : 0.0;
                                  })}}});
  const PeerAnalysis pa = AnalyzeOne(s).peers.at(0);
  // 12 % is critical (>= 7 %) for three minutes: at most fair, audio at most moderate.
  CHECK(pa.cqs_downlink < 3);
  CHECK(pa.cqs < 3);
  CHECK(pa.health_audio != Health::kGood);
  CHECK(TrackOf(pa, "subscriber/r/").mos < AudioMos(0, 0, 0).mos - 0.3);
  // The summaries tell where: the worst downlink window is inside the burst.
  CHECK(pa.cqs_downlink_summary.worst <= kCriticalWindowCap);
  CHECK(pa.cqs_downlink_summary.worst_start_ms >= kT0 + 30000);
  CHECK(pa.cqs_downlink_summary.worst_start_ms < kT0 + 240000);
  CHECK(pa.cqs_downlink_summary.mean > pa.cqs_downlink);
}

TEST_CASE("headline: a short bad period in a long call still shows", "[windows]") {
  // 60 minutes clean but for 2 minutes of 12 % uplink loss (critical).
  const size_t n = 360;
  Track audio = CleanAudio(n);
  Samples& loss = audio.layers[0].series.column(Metric::kPacketLoss);
  for (size_t i = 100; i < 112; ++i) loss[i] = 12;
  const PeerAnalysis pa = AnalyzeOne(OnePeer({audio}, n)).peers.at(0);
  CHECK(pa.cqs_summary.mean > 4);  // the mean alone would call it excellent
  // Windows wholly at 12 % loss: network score 5 - 12/3 = 1, three of them.
  CHECK(pa.cqs == Approx(1.0));
  CHECK(BandOf(pa.cqs) == CqsBand::kPoor);
  CHECK(pa.cqs_uplink_summary.below_fair_ms == 90000);
  CHECK(pa.cqs_uplink_summary.below_poor_ms == 0);
  CHECK(pa.cqs_uplink_summary.worst == Approx(1.0));
  CHECK(pa.health_audio != Health::kGood);
}

TEST_CASE("headline: a breach too short to be an issue does not cap its window", "[windows]") {
  // 40 s of audio, one sample at 12 % loss (critical, but 10 s: no issue).
  // It once capped the call's one window at 2.5: "fair" beside "no problem".
  const size_t n = 4;
  Track audio = CleanAudio(n);
  audio.layers[0].series.column(Metric::kPacketLoss)[2] = 12;
  const SessionAnalysis a = AnalyzeOne(OnePeer({audio}, n));
  REQUIRE(a.issues.empty());
  REQUIRE_FALSE(a.breaches.empty());  // the breach is still reported
  const PeerAnalysis& pa = a.peers.at(0);
  CHECK(pa.cqs > 3);  // its window scores its mean loss (3 %), not the cap
  CHECK(pa.health_audio != Health::kPoor);
}

TEST_CASE("headline: an issue shorter than a minute still sets it", "[windows]") {
  // 10 minutes clean but for 20 s of 12 % uplink loss: a critical issue
  // inside one window; the lowest score held for a minute once stayed "good"
  // beside it.
  const size_t n = 60;
  Track audio = CleanAudio(n);
  Samples& loss = audio.layers[0].series.column(Metric::kPacketLoss);
  for (size_t i = 31; i < 33; ++i) loss[i] = 12;
  const SessionAnalysis a = AnalyzeOne(OnePeer({audio}, n));
  REQUIRE(a.issues.size() == 1);
  REQUIRE(a.issues[0].severity == Severity::kCritical);
  REQUIRE(a.issues[0].end_ms - a.issues[0].start_ms < 60000);
  const PeerAnalysis& pa = a.peers.at(0);
  CHECK(pa.cqs <= 2.5);
  CHECK(BandOf(pa.cqs) != CqsBand::kGood);
  CHECK(pa.cqs_summary.mean > 4);
}

TEST_CASE("headline: a terminal failure makes a clean call at most fair", "[windows]") {
  const size_t n = 60;  // 10 minutes, every sample clean
  auto failure = [](const std::string& type, bool terminal) {
    Event e;
    e.time_ms = kT0 + 300000;
    e.peer_id = "p";
    e.type = type;
    e.is_error = true;
    e.is_terminal = terminal;
    e.failed =
        type == "client.publish.failed" ? FailedOperation::kPublish : FailedOperation::kSubscribe;
    return e;
  };
  const PeerAnalysis clean =
      AnalyzeOne(OnePeer({CleanAudio(n), Camera(n, [](size_t) { return 30.0; })}, n)).peers.at(0);
  REQUIRE(BandOf(clean.cqs) == CqsBand::kExcellent);
  // A retried publish failure is a warning event: the windows stay as they are.
  Session retried = OnePeer({CleanAudio(n), Camera(n, [](size_t) { return 30.0; })}, n);
  retried.events.push_back(failure("client.publish.failed", false));
  CHECK(AnalyzeOne(retried).peers.at(0).cqs == Approx(clean.cqs));
  // A terminal one caps the sent media's windows for a minute from the event.
  Session terminal = OnePeer({CleanAudio(n), Camera(n, [](size_t) { return 30.0; })}, n);
  terminal.events.push_back(failure("client.publish.failed", true));
  const PeerAnalysis pa = AnalyzeOne(terminal).peers.at(0);
  CHECK(pa.cqs <= 2.5);
  CHECK(BandOf(pa.cqs) == CqsBand::kFair);
  CHECK(pa.cqs_uplink <= 2.5);
  CHECK(pa.cqs_downlink != pa.cqs_downlink);  // a publisher only: nothing received
  CHECK(pa.health_audio == Health::kModerate);
  CHECK(pa.health_video == Health::kModerate);
  CHECK(pa.cqs_summary.mean > 4);  // the mean stays under its own name
}

TEST_CASE("headline: a terminal failure at the end of a call marks its last minute", "[windows]") {
  // The connection fails 25 s before the peer's last sample (the real
  // chrome-standard-pc-failed dump): the minute after the event runs past the
  // call, and the headline once stayed "good" beside the critical issue.
  const size_t n = 60;
  for (int64_t before_end : {int64_t{5000}, int64_t{25000}, int64_t{55000}}) {
    CAPTURE(before_end);
    Session s = OnePeer({CleanAudio(n), Camera(n, [](size_t) { return 30.0; })}, n);
    const int64_t end = kT0 + static_cast<int64_t>(n - 1) * kStep;
    s.end_ms = end;
    Event e;
    e.time_ms = end - before_end;
    e.peer_id = "p";
    e.type = "webrtc.connection_state.failed";
    e.is_error = true;
    e.is_terminal = true;
    e.failed = FailedOperation::kConnection;
    s.events.push_back(e);
    const PeerAnalysis pa = AnalyzeOne(s).peers.at(0);
    CHECK(pa.cqs <= 2.5);
    CHECK(BandOf(pa.cqs) == CqsBand::kFair);
    CHECK(pa.cqs_summary.mean > 4);  // the rest of the call stays as measured
  }
}

// ---------------------------------------------------- generated scenarios --

namespace {

bool IsGood(Health h) { return h == Health::kGood; }

Health HealthOf(const PeerAnalysis& pa, MediaKind k) {
  return k == MediaKind::kAudio   ? pa.health_audio
         : k == MediaKind::kVideo ? pa.health_video
                                  : pa.health_screen;
}

}  // namespace

TEST_CASE("headline invariants hold for every peer of every generated scenario", "[windows][gen]") {
  const std::vector<std::string> scenarios = ListDir(CALLSIGHT_GEN_DIR);
  REQUIRE(scenarios.size() >= 10);
  size_t checked_issues = 0;
  for (const std::string& name : scenarios) {
    auto engine = LoadScenario(name);
    for (const SessionAnalysis& sa : engine->analysis().sessions) {
      for (const PeerAnalysis& pa : sa.peers) {
        INFO(name << " peer " << pa.peer_id);
        // The figure never exceeds its own mean, and its band is its number's.
        if (!std::isnan(pa.cqs)) CHECK(pa.cqs <= pa.cqs_summary.mean + 1e-9);
        if (!std::isnan(pa.cqs_uplink)) CHECK(pa.cqs_uplink <= pa.cqs_uplink_summary.mean + 1e-9);
        if (!std::isnan(pa.cqs_downlink))
          CHECK(pa.cqs_downlink <= pa.cqs_downlink_summary.mean + 1e-9);
        if (!std::isnan(pa.cqs)) CHECK(pa.cqs_summary.worst <= pa.cqs + 1e-9);
      }
      for (const Issue& is : sa.issues) {
        if (is.severity == Severity::kInfo) continue;
        const bool terminal = !is.events.empty() && is.severity == Severity::kCritical;
        if (!terminal && is.end_ms <= is.start_ms) continue;  // a retried failure marks nothing
        if (is.peer_id.empty()) continue;                     // session-wide: no peer's own issue
        const PeerAnalysis* pa = nullptr;
        for (const PeerAnalysis& p : sa.peers) {
          if (p.peer_id == is.peer_id) pa = &p;
        }
        REQUIRE(pa != nullptr);
        if (std::isnan(pa->cqs)) continue;  // no windows: no figure to hold
        INFO(name << ": " << IssueCodeName(is.code) << " " << SeverityName(is.severity) << " on "
                  << is.peer_id << " for " << (is.end_ms - is.start_ms) << " ms, cqs " << pa->cqs);
        ++checked_issues;
        CHECK(BandOf(pa->cqs) != CqsBand::kExcellent);
        if (is.severity == Severity::kCritical) CHECK(pa->cqs < 3);
        std::set<MediaKind> kinds;
        for (size_t bi : is.breaches) kinds.insert(sa.breaches[bi].kind);
        for (MediaKind k : kinds) {
          INFO("health of " << MediaKindName(k));
          CHECK_FALSE(IsGood(HealthOf(*pa, k)));
          CHECK(HealthOf(*pa, k) != Health::kNone);
        }
      }
    }
  }
  CHECK(checked_issues >= 10);  // the scenarios do carry long issues
}

TEST_CASE("generated mutes are not sending on the sender and on its receivers", "[windows][gen]") {
  size_t mutes = 0;
  for (const std::string name : {"sample", "ten-peers"}) {
    std::ifstream tf(std::string(CALLSIGHT_GEN_DIR) + "/" + name + "/truth.json");
    REQUIRE(tf.good());
    const nlohmann::json truth = nlohmann::json::parse(tf);
    const int64_t spacing = truth["spacing_ms"].get<int64_t>();
    auto engine = LoadScenario(name);
    const Session& session = engine->model().sessions.at(0);
    const SessionAnalysis& sa = engine->analysis().sessions.at(0);
    for (const auto& tp : truth["peers"]) {
      for (const auto& mute : tp["mutes"]) {
        ++mutes;
        const std::string track_id = tp["track_ids"]["audio"].get<std::string>();
        const int64_t from = mute["start_ms"].get<int64_t>(), to = mute["end_ms"].get<int64_t>();
        size_t senders = 0, receivers = 0;
        for (size_t pi = 0; pi < session.peers.size(); ++pi) {
          for (const TrackAnalysis& ta : sa.peers[pi].tracks) {
            const Track& t = session.peers[pi].tracks[ta.track_index];
            if (t.track_id != track_id || ta.layer_index != 0) continue;
            INFO(name << " " << ta.key << " of " << session.peers[pi].peer_id);
            // One interval over the mute, give or take a sample spacing (a
            // received sample is judged by the sender's latest sample).
            REQUIRE(ta.not_sending.size() == 1);
            CHECK(ta.not_sending[0].start_ms >= from - spacing);
            CHECK(ta.not_sending[0].end_ms <= to + spacing);
            CHECK(ta.not_sending[0].end_ms - ta.not_sending[0].start_ms >= to - from - 2 * spacing);
            (t.direction == Direction::kPublisher ? senders : receivers) += 1;
          }
        }
        CHECK(senders == 1);
        CHECK(receivers >= 1);
      }
    }
  }
  CHECK(mutes >= 2);
}

namespace {

struct Change {
  size_t peer = 0, track = 0, layer = 0;
  Metric metric = Metric::kPacketLoss;
  size_t from = 0, to = 0;
};

// Worsens one metric of one layer over samples [from, to) that send: more
// loss, RTT or jitter, fewer fps or less bitrate (never down to "nothing").
bool Worsen(Session* s, const Change& c, std::mt19937* rng) {
  Track& t = s->peers[c.peer].tracks[c.track];
  Series& ser = t.layers[c.layer].series;
  if (!ser.has(c.metric)) return false;
  Samples& col = ser.column(c.metric);
  std::uniform_real_distribution<double> add(1, 400), factor(0.1, 0.9);
  const double d = add(*rng), f = factor(*rng);
  bool changed = false;
  for (size_t i = c.from; i < c.to && i < col.size(); ++i) {
    float& x = col[i];
    if (std::isnan(x)) continue;
    const float bitrate = ser.has(Metric::kBitrate) ? ser.column(Metric::kBitrate)[i] : 1e6f;
    if (!(bitrate > 4000)) continue;  // keep to samples that clearly send
    switch (c.metric) {
      case Metric::kPacketLoss:
        x = static_cast<float>(std::min(100.0, x + d / 20));
        break;
      case Metric::kRtt:
      case Metric::kJitter:
        x = static_cast<float>(x + d);
        break;
      case Metric::kFps:
        if (!(x > 1)) continue;
        x = static_cast<float>(std::max(1.0, x * f));
        break;
      case Metric::kBitrate:
        x = static_cast<float>(std::max(4000.0, x * f));
        break;
      default:
        return false;
    }
    changed = true;
  }
  return changed;
}

}  // namespace

TEST_CASE("property: worsening one track never raises its scores or its peer's figure",
          "[windows][gen][property]") {
  std::mt19937 rng(20261207);
  const Metric metrics[] = {Metric::kPacketLoss, Metric::kRtt, Metric::kJitter, Metric::kFps,
                            Metric::kBitrate};
  size_t trials = 0, lowered = 0;
  for (const std::string name : {"clean", "layers", "screen-share", "sample", "ten-peers"}) {
    auto engine = LoadScenario(name);
    const Session& base = engine->model().sessions.at(0);
    const SessionAnalysis before = engine->analysis().sessions.at(0);
    for (int k = 0; k < 20; ++k) {
      Change c;
      c.peer = rng() % base.peers.size();
      const Peer& p = base.peers[c.peer];
      if (p.tracks.empty()) continue;
      c.track = rng() % p.tracks.size();
      const Track& t = p.tracks[c.track];
      // Received tracks: attribution may move their issue to the sender,
      // so the peer's own figures are checked on sent tracks only.
      const bool sent = t.direction == Direction::kPublisher;
      c.layer = rng() % t.layers.size();
      c.metric = metrics[rng() % 5];
      const size_t size = t.layers[c.layer].series.size();
      if (size < 2) continue;
      c.from = rng() % size;
      c.to = std::min(size, c.from + 1 + rng() % 20);
      SessionSet set;
      set.sessions.push_back(base);
      if (!Worsen(&set.sessions[0], c, &rng)) continue;
      const SessionAnalysis after = Analyze(set, Config()).sessions.at(0);
      ++trials;
      const PeerAnalysis& pb = before.peers[c.peer];
      const PeerAnalysis& pa = after.peers[c.peer];
      INFO(name << " peer " << p.peer_id << " track " << t.track_id << " layer " << c.layer << " "
                << MetricName(c.metric) << " samples " << c.from << ".." << c.to);
      for (size_t i = 0; i < pa.tracks.size(); ++i) {
        if (pa.tracks[i].track_index != c.track || pa.tracks[i].layer_index != 0) continue;
        if (!std::isnan(pb.tracks[i].score)) CHECK(pa.tracks[i].score <= pb.tracks[i].score + 1e-9);
        lowered += pa.tracks[i].score < pb.tracks[i].score - 1e-6 ||
                   pa.tracks[i].mos < pb.tracks[i].mos - 1e-6;
        if (!std::isnan(pb.tracks[i].mos)) CHECK(pa.tracks[i].mos <= pb.tracks[i].mos + 1e-9);
      }
      if (!sent) continue;
      CHECK(pa.cqs <= pb.cqs + 1e-9);
      CHECK(pa.cqs_uplink <= pb.cqs_uplink + 1e-9);
      REQUIRE(pa.cqs_windows.size() == pb.cqs_windows.size());
      for (size_t w = 0; w < pa.cqs_windows.size(); ++w) {
        const CqsWindow &a = pa.cqs_windows[w], &b = pb.cqs_windows[w];
        if (!std::isnan(b.uplink)) CHECK(a.uplink <= b.uplink + 1e-9);
        if (!std::isnan(b.overall)) CHECK(a.overall <= b.overall + 1e-9);
      }
    }
  }
  CHECK(trials >= 30);
  CHECK(lowered >= trials / 4);  // the changes do bite
}
