// Analyze (core/src/analysis/analyze.cpp): what it says of each peer and track
// itself (attendance, end reason, per-layer statistics, pooled metrics), on
// sessions built by hand; the findings have their own files' tests.
#include <algorithm>
#include <catch2/catch.hpp>
#include <string>
#include <vector>

#include "callsight/analysis.h"
#include "core/test_util.h"

using namespace callsight;
using testing::Const;
using testing::EmptySession;
using testing::FailedEvent;
using testing::kStep;
using testing::kT0;
using testing::MakeSeries;
using testing::MakeTrack;

namespace {

std::vector<std::string> StatNames(const TrackAnalysis& ta) {
  std::vector<std::string> names;
  for (const NamedStats& s : ta.stats) names.push_back(s.name);
  return names;
}

Event FailureOf(const std::string& peer, FailedOperation op) {
  return FailedEvent(peer, kT0, "client.x.failed", op);
}

// A simulcast camera (layers h and l) and a received audio track with
// concealed samples.
Session CameraAndListener() {
  Session s = EmptySession();
  Peer cam;
  cam.peer_id = "cam";
  cam.info.end_reason = "websocket closed";
  cam.info.end_reason_kind = LeaveReason::kWebsocketClosed;
  cam.presence = {{kT0, kT0 + 60000}, {kT0 + 90000, kT0 + 120000}};
  Track video{"v1", Direction::kPublisher, MediaKind::kVideo, "", {}};
  video.layers.push_back(
      Layer{"h", MakeSeries({{Metric::kBitrate, Const(900000)}, {Metric::kFps, Const(30)}})});
  video.layers.push_back(
      Layer{"l", MakeSeries({{Metric::kBitrate, Const(100000)}, {Metric::kFps, Const(15)}})});
  cam.tracks.push_back(video);
  Peer ear;
  ear.peer_id = "ear";
  ear.info.end_reason = "Gone fishing";
  ear.info.end_reason_kind = LeaveReason::kOther;
  ear.presence = {{kT0, kT0 + 120000}};
  ear.tracks.push_back(
      MakeTrack("a9", Direction::kSubscriber, MediaKind::kAudio, "",
                {{Metric::kConcealedSamples, Const(4800)}, {Metric::kPacketLoss, Const(1)}}));
  s.peers = {cam, ear};
  return s;
}

}  // namespace

TEST_CASE("analyze: a layer's statistics by name, derived ones on the first layer", "[analyze]") {
  SessionSet set;
  set.sessions.push_back(CameraAndListener());
  const Analysis a = Analyze(set, Config());
  REQUIRE(a.sessions.size() == 1);
  const SessionAnalysis& sa = a.sessions[0];
  REQUIRE(sa.peers.size() == 2);
  const PeerAnalysis& cam = sa.peers[0];
  REQUIRE(cam.tracks.size() == 2);
  CHECK(cam.tracks[0].key == "publisher/v1/h");
  CHECK(cam.tracks[1].key == "publisher/v1/l");
  CHECK(cam.tracks[1].layer_index == 1);
  CHECK(cam.tracks[0].spacing_ms == kStep);
  // All layers summed, on the first layer only; names sorted.
  CHECK(StatNames(cam.tracks[0]) ==
        std::vector<std::string>{"bitrate", "fps", "video_bitrate_total"});
  CHECK(StatNames(cam.tracks[1]) == std::vector<std::string>{"bitrate", "fps"});
  CHECK(cam.tracks[0].stats[2].stats.median == Approx(1000000));
  CHECK(cam.tracks[1].stats[1].stats.median == Approx(15));
  CHECK(cam.published_tracks == 1);

  const PeerAnalysis& ear = sa.peers[1];
  REQUIRE(ear.tracks.size() == 1);
  CHECK(ear.tracks[0].key == "subscriber/a9/");
  CHECK(StatNames(ear.tracks[0]) == std::vector<std::string>{"concealed_samples",
                                                             "concealment_percent",
                                                             "packet_loss_percent"});
  // 4800 of 480000 samples in 10 s at 48 kHz.
  CHECK(ear.tracks[0].stats[1].stats.median == Approx(1.0));
  CHECK(ear.published_tracks == 0);
}

TEST_CASE("analyze: presence, end reason and attendance of each peer", "[analyze]") {
  Session s = CameraAndListener();
  Peer failed_join;  // only failed joins and connects: never joined
  failed_join.peer_id = "nj";
  Peer failed_publish;  // a failed publish: it was there, when is not said
  failed_publish.peer_id = "fp";
  s.peers.push_back(failed_join);
  s.peers.push_back(failed_publish);
  s.events = {FailureOf("nj", FailedOperation::kConnect), FailureOf("nj", FailedOperation::kJoin),
              FailureOf("fp", FailedOperation::kJoin), FailureOf("fp", FailedOperation::kPublish)};
  Event added;
  added.time_ms = kT0;
  added.peer_id = "fp";
  added.type = "Track.Add.Success";
  s.events.push_back(added);
  SessionSet set;
  set.sessions.push_back(s);
  const SessionAnalysis sa = Analyze(set, Config()).sessions[0];
  REQUIRE(sa.peers.size() == 4);
  const PeerAnalysis& cam = sa.peers[0];
  CHECK(cam.attendance == Attendance::kPresent);
  CHECK(cam.joined_ms == kT0);
  CHECK(cam.left_ms == kT0 + 120000);
  CHECK(cam.present_ms == 90000);  // the gap between the intervals is not counted
  CHECK(cam.end_reason == "disconnected");
  CHECK(sa.peers[1].end_reason == "Gone fishing");  // an unknown reason as written
  const PeerAnalysis& nj = sa.peers[2];
  CHECK(nj.attendance == Attendance::kNeverJoined);
  CHECK(nj.presence.empty());
  CHECK_FALSE(nj.joined_ms);
  const PeerAnalysis& fp = sa.peers[3];
  CHECK(fp.attendance == Attendance::kUnknown);
  CHECK(fp.published_tracks == 1);  // from its track event
  CHECK(sa.participant_minutes == Approx(1.5 + 2.0));
  CHECK(sa.start_ms == kT0);
  CHECK(sa.end_ms == kT0 + 120000);
}

TEST_CASE("analyze: metrics pooled by direction, kind and metric; any thread count", "[analyze]") {
  Session s = CameraAndListener();
  s.peers[1].tracks.push_back(MakeTrack("a1", Direction::kPublisher, MediaKind::kAudio, "",
                                        {{Metric::kBitrate, Const(30000)}}));
  SessionSet set;
  set.sessions.push_back(s);
  const SessionAnalysis one = Analyze(set, Config(), 1).sessions[0];
  std::vector<std::string> keys;
  for (const auto& [key, stats] : one.metrics) keys.push_back(key);
  CHECK(keys == std::vector<std::string>{
                    "publisher.audio.bitrate", "publisher.video.bitrate", "publisher.video.fps",
                    "subscriber.audio.concealed_samples", "subscriber.audio.packet_loss_percent"});
  // Both layers' samples in one pool: 12 at 900 kbit/s, 12 at 100 kbit/s.
  const MetricStats& video = one.metrics.at("publisher.video.bitrate");
  CHECK(video.count == 24);
  CHECK(video.worst == Approx(100000));  // bitrate: lower is worse
  CHECK(one.metrics.at("publisher.audio.bitrate").median == Approx(30000));

  const SessionAnalysis four = Analyze(set, Config(), 4).sessions[0];
  REQUIRE(four.metrics.size() == one.metrics.size());
  for (const auto& [key, stats] : one.metrics) {
    CHECK(four.metrics.at(key).median == stats.median);
    CHECK(four.metrics.at(key).count == stats.count);
  }
  REQUIRE(four.peers.size() == one.peers.size());
  for (size_t p = 0; p < one.peers.size(); ++p) {
    CHECK(StatNames(four.peers[p].tracks[0]) == StatNames(one.peers[p].tracks[0]));
  }
}
