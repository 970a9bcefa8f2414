// The dump converter (core/src/ingest/dump_to_model.cpp): a browser's stats
// dump becomes one participant with sent and received tracks whose counters
// are per-interval values in the model's units, and its failures events.
#include "ingest/dump_to_model.h"

#include <catch2/catch.hpp>
#include <cmath>
#include <string>
#include <vector>

using namespace callsight;
using namespace callsight::ingest;

namespace {

constexpr double kNaN = std::nan("");
constexpr int64_t kT0 = 1700000000000;

// A stats object sampled every second from kT0, with numeric properties.
StatObject Object(const std::string& id, const std::string& type, size_t samples) {
  StatObject o;
  o.id = id;
  o.type = type;
  for (size_t i = 0; i < samples; ++i) o.times_ms.push_back(kT0 + 1000 * static_cast<int64_t>(i));
  return o;
}

void Num(StatObject* o, const std::string& name, std::vector<double> values) {
  REQUIRE(values.size() == o->times_ms.size());
  o->properties.push_back({name, std::move(values), {}});
}

void Txt(StatObject* o, const std::string& name, const std::string& value) {
  StatProperty p;
  p.name = name;
  p.numbers.assign(o->times_ms.size(), kNaN);
  p.texts.assign(o->times_ms.size(), value);
  o->properties.push_back(std::move(p));
}

// One connection sending video (with the receiver's report of it) and
// receiving audio, as Chrome's standard stats give them.
StatsDump OneConnection() {
  StatsDump d;
  d.user_agent =
      "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/537.36 (KHTML, like Gecko) "
      "Chrome/117.0.0.0 Safari/537.36";
  d.start_ms = kT0;
  DumpConnection c;
  c.id = "PC_0";
  StatObject src = Object("SV1", "media-source", 4);
  Txt(&src, "trackIdentifier", "cam-1");
  StatObject out = Object("OT01V1", "outbound-rtp", 4);
  Txt(&out, "kind", "video");
  Txt(&out, "mediaSourceId", "SV1");
  Num(&out, "ssrc", {11, 11, 11, 11});
  Num(&out, "bytesSent", {0, 125000, 250000, 375000});  // 1 Mbit/s
  Num(&out, "packetsSent", {0, 100, 200, 300});
  Num(&out, "framesPerSecond", {kNaN, 30, 30, 15});
  StatObject rin = Object("RI01V1", "remote-inbound-rtp", 4);
  Txt(&rin, "localId", "OT01V1");
  Num(&rin, "packetsLost", {0, 0, 10, 10});
  Num(&rin, "roundTripTime", {0.05, 0.05, 0.2, 0.2});
  Num(&rin, "jitter", {0.01, 0.01, 0.01, 0.01});
  StatObject in = Object("IT01A2", "inbound-rtp", 4);
  Txt(&in, "kind", "audio");
  Txt(&in, "trackIdentifier", "mic-of-other");
  Num(&in, "bytesReceived", {0, 4000, 8000, 12000});  // 32 kbit/s
  Num(&in, "packetsReceived", {0, 50, 95, 145});
  Num(&in, "packetsLost", {0, 0, 5, 5});
  Num(&in, "jitter", {0.02, 0.02, 0.03, 0.02});
  Num(&in, "concealedSamples", {0, 0, 4800, 4800});
  Num(&in, "totalSamplesReceived", {0, 48000, 96000, 144000});
  StatObject pair = Object("CP1", "candidate-pair", 4);
  Num(&pair, "currentRoundTripTime", {0.04, 0.04, 0.1, 0.1});
  Num(&pair, "bytesSent", {0, 1, 2, 3});
  c.stats = {src, out, rin, in, pair};
  d.connections.push_back(c);
  return d;
}

const TrackEntry* Entry(const PeerStatsDoc& doc, Direction dir) {
  for (const auto& e : doc.entries) {
    if (e.direction == dir) return &e;
  }
  return nullptr;
}

float At(const TrackEntry& e, Metric m, size_t i) { return e.series.column(m)[i]; }

}  // namespace

TEST_CASE("a dump is one participant in a session named from its content", "[dump_to_model]") {
  Fragment f;
  std::vector<InputMessage> messages;
  DumpToFragment(OneConnection(), "dump.txt", &f, &messages);
  REQUIRE(f.peer_stats.size() == 1);
  const PeerStatsDoc& doc = f.peer_stats[0];
  CHECK(doc.peer_id.rfind("browser-", 0) == 0);
  CHECK(doc.session_id.rfind("dump-", 0) == 0);
  CHECK(doc.session_id.substr(5) == doc.peer_id.substr(8));
  REQUIRE(f.peers.size() == 1);
  CHECK(f.peers[0].info.browser == "Chrome");
  CHECK(f.peers[0].info.browser_version == "117.0.0.0");
  CHECK(f.peers[0].info.os == "macOS");
  CHECK(*f.peers[0].info.joined_ms == kT0);
  CHECK(*f.peers[0].info.left_ms == kT0 + 3000);

  SECTION("the file name plays no part") {
    Fragment g;
    DumpToFragment(OneConnection(), "other-name.txt", &g, &messages);
    CHECK(g.peer_stats[0].peer_id == doc.peer_id);
  }
  SECTION("another browser (other streams sent) is another participant") {
    StatsDump other = OneConnection();
    other.connections[0].stats[1].properties[2].numbers.assign(4, 12);  // its ssrc
    REQUIRE(other.connections[0].stats[1].properties[2].name == "ssrc");
    Fragment g;
    DumpToFragment(other, "dump.txt", &g, &messages);
    CHECK(g.peer_stats[0].peer_id != doc.peer_id);
  }
  SECTION("the same browser's other dump of the call (same streams) is the same participant") {
    StatsDump later = OneConnection();
    later.start_ms += 5000;
    later.kind = DumpKind::kRtcstatsV3;
    Fragment g;
    DumpToFragment(later, "rtcstats.gz", &g, &messages);
    CHECK(g.peer_stats[0].peer_id == doc.peer_id);
  }
  SECTION("without streams sent, its first time tells clients apart") {
    StatsDump a, b;
    a.start_ms = kT0;
    b.start_ms = kT0 + 1;
    Fragment fa, fb;
    DumpToFragment(a, "a", &fa, &messages);
    DumpToFragment(b, "b", &fb, &messages);
    CHECK(fa.peer_stats[0].peer_id != fb.peer_stats[0].peer_id);
  }
  SECTION("the dump's own client id names the participant") {
    StatsDump named = OneConnection();
    named.client_id = "client-7";
    Fragment g;
    DumpToFragment(named, "dump.txt", &g, &messages);
    CHECK(g.peer_stats[0].peer_id == "client-7");
  }
}

TEST_CASE("sent video: bitrate from bytes, loss and rtt from the receiver's report",
          "[dump_to_model]") {
  Fragment f;
  std::vector<InputMessage> messages;
  DumpToFragment(OneConnection(), "dump.txt", &f, &messages);
  const TrackEntry* e = Entry(f.peer_stats[0], Direction::kPublisher);
  REQUIRE(e);
  CHECK(e->kind == MediaKind::kVideo);
  CHECK(e->track_id == "cam-1");
  CHECK(std::isnan(At(*e, Metric::kBitrate, 0)));  // a counter's first sample has no interval
  CHECK(At(*e, Metric::kBitrate, 1) == Approx(1e6));
  CHECK(At(*e, Metric::kFps, 3) == 15);
  CHECK(At(*e, Metric::kPacketLoss, 1) == 0);
  CHECK(At(*e, Metric::kPacketLoss, 2) == Approx(10.0));  // 10 of 100 sent
  CHECK(At(*e, Metric::kRtt, 2) == Approx(200.0));
  CHECK(At(*e, Metric::kJitter, 0) == Approx(10.0));
}

TEST_CASE("received audio: loss of all expected packets, concealment at 48 kHz",
          "[dump_to_model]") {
  Fragment f;
  std::vector<InputMessage> messages;
  DumpToFragment(OneConnection(), "dump.txt", &f, &messages);
  const TrackEntry* e = Entry(f.peer_stats[0], Direction::kSubscriber);
  REQUIRE(e);
  CHECK(e->kind == MediaKind::kAudio);
  CHECK(e->track_id == "mic-of-other");
  CHECK(At(*e, Metric::kBitrate, 2) == Approx(32000));
  CHECK(At(*e, Metric::kPacketLoss, 2) == Approx(10.0));  // 5 lost, 45 received
  CHECK(At(*e, Metric::kRtt, 2) == Approx(100.0));        // the candidate pair's
  CHECK(At(*e, Metric::kJitter, 2) == Approx(30.0));
  CHECK(At(*e, Metric::kConcealedSamples, 2) == Approx(4800));
  CHECK(At(*e, Metric::kConcealedSamples, 3) == 0);
  CHECK_FALSE(e->series.has(Metric::kFps));
}

TEST_CASE("a counter that goes backwards gives no value for that interval", "[dump_to_model]") {
  StatsDump d = OneConnection();
  for (auto& o : d.connections[0].stats) {
    if (o.type != "outbound-rtp") continue;
    for (auto& p : o.properties) {
      if (p.name == "bytesSent") p.numbers = {0, 125000, 10, 125010};
    }
  }
  Fragment f;
  std::vector<InputMessage> messages;
  DumpToFragment(d, "dump.txt", &f, &messages);
  const TrackEntry* e = Entry(f.peer_stats[0], Direction::kPublisher);
  CHECK(std::isnan(At(*e, Metric::kBitrate, 2)));
  CHECK(At(*e, Metric::kBitrate, 3) == Approx(1e6));
}

TEST_CASE("connection failures become failure events; recovered disconnects are not terminal",
          "[dump_to_model]") {
  StatsDump d = OneConnection();
  const auto state = [](int64_t t, const char* v) {
    DumpEvent e;
    e.time_ms = kT0 + t;
    e.connection_id = "PC_0";
    e.kind = DumpEventKind::kIceConnectionState;
    e.method = "oniceconnectionstatechange";
    e.value = v;
    return e;
  };
  d.events = {state(0, "connected"), state(1000, "disconnected"), state(2000, "connected"),
              state(3000, "failed")};
  DumpEvent gum;
  gum.time_ms = kT0 + 500;
  gum.kind = DumpEventKind::kGetUserMediaFailure;
  gum.value = "NotAllowedError: Permission denied";
  d.events.insert(d.events.begin() + 1, gum);
  Fragment f;
  std::vector<InputMessage> messages;
  DumpToFragment(d, "dump.txt", &f, &messages);
  std::vector<const Event*> errors;
  for (const auto& se : f.events) {
    if (se.event.is_error) errors.push_back(&se.event);
  }
  REQUIRE(errors.size() == 3);
  CHECK(errors[0]->failed == FailedOperation::kPublish);
  CHECK(errors[0]->is_terminal);  // no later getUserMedia success
  CHECK(errors[1]->type == "webrtc.ice_connection_state.disconnected");
  CHECK(errors[1]->failed == FailedOperation::kConnection);
  CHECK_FALSE(errors[1]->is_terminal);  // connected again a second later
  REQUIRE(errors[1]->recovered_ms);
  CHECK(*errors[1]->recovered_ms == kT0 + 2000);
  CHECK_FALSE(errors[2]->recovered_ms);
  CHECK(errors[2]->type == "webrtc.ice_connection_state.failed");
  CHECK(errors[2]->is_terminal);
  CHECK(errors[2]->peer_id == f.peer_stats[0].peer_id);
  CHECK(errors[2]->source == "dump.txt");
}

TEST_CASE("the same track sent on two connections stays two entries", "[dump_to_model]") {
  StatsDump d = OneConnection();
  DumpConnection second = d.connections[0];
  second.id = "PC_1";
  d.connections.push_back(second);
  Fragment f;
  std::vector<InputMessage> messages;
  DumpToFragment(d, "dump.txt", &f, &messages);
  for (const auto& m : messages) CHECK(m.level != InputMessage::Level::kError);
  int sent = 0;
  for (const auto& e : f.peer_stats[0].entries) sent += e.direction == Direction::kPublisher;
  CHECK(sent == 2);
}

TEST_CASE("a dump with no media says so", "[dump_to_model]") {
  StatsDump d;
  d.start_ms = kT0;
  Fragment f;
  std::vector<InputMessage> messages;
  DumpToFragment(d, "gum-only.txt", &f, &messages);
  REQUIRE(messages.size() == 1);
  CHECK(messages[0].level == InputMessage::Level::kInfo);
  CHECK(f.peer_stats[0].entries.empty());
}

TEST_CASE("sent video: frame height and the shares limited by CPU and bandwidth",
          "[dump_to_model]") {
  SECTION("from qualityLimitationDurations (seconds per reason, cumulative)") {
    StatsDump d = OneConnection();
    StatObject& out = d.connections[0].stats[1];
    REQUIRE(out.type == "outbound-rtp");
    Num(&out, "frameHeight", {720, 720, 360, 360});
    Num(&out, "qualityLimitationDurations.cpu", {0, 0, 0.5, 1.5});
    Num(&out, "qualityLimitationDurations.bandwidth", {0, 1, 1.5, 1.5});
    Fragment f;
    std::vector<InputMessage> messages;
    DumpToFragment(d, "dump.txt", &f, &messages);
    const TrackEntry* e = Entry(f.peer_stats[0], Direction::kPublisher);
    CHECK(At(*e, Metric::kFrameHeight, 2) == 360);
    CHECK(At(*e, Metric::kCpuLimited, 2) == Approx(0.5));
    CHECK(At(*e, Metric::kCpuLimited, 3) == Approx(1.0));
    CHECK(At(*e, Metric::kBandwidthLimited, 1) == Approx(1.0));
    CHECK(At(*e, Metric::kBandwidthLimited, 3) == 0);
  }
  SECTION("from qualityLimitationReason when the durations are not there") {
    StatsDump d = OneConnection();
    StatObject& out = d.connections[0].stats[1];
    StatProperty reason;
    reason.name = "qualityLimitationReason";
    reason.numbers.assign(4, kNaN);
    reason.texts = {"none", "cpu", "cpu", ""};
    out.properties.push_back(reason);
    Fragment f;
    std::vector<InputMessage> messages;
    DumpToFragment(d, "dump.txt", &f, &messages);
    const TrackEntry* e = Entry(f.peer_stats[0], Direction::kPublisher);
    CHECK(At(*e, Metric::kCpuLimited, 0) == 0);
    CHECK(At(*e, Metric::kCpuLimited, 1) == 1);
    CHECK(std::isnan(At(*e, Metric::kCpuLimited, 3)));
    CHECK(At(*e, Metric::kBandwidthLimited, 1) == 0);
  }
}

TEST_CASE("video encode and decode usage: time spent per interval, legacy figures as given",
          "[dump_to_model]") {
  SECTION("standard stats: totalEncodeTime and totalDecodeTime over the interval") {
    StatsDump d = OneConnection();
    StatObject& out = d.connections[0].stats[1];
    REQUIRE(out.type == "outbound-rtp");
    Num(&out, "totalEncodeTime", {0, 0.1, 0.5, 1.4});  // s: 10 %, 40 %, 90 % of each second
    StatObject in = Object("IT01V3", "inbound-rtp", 4);
    Txt(&in, "kind", "video");
    Txt(&in, "trackIdentifier", "cam-of-other");
    Num(&in, "bytesReceived", {0, 1000, 2000, 3000});
    Num(&in, "totalDecodeTime", {0, 0.02, 0.04, kNaN});
    d.connections[0].stats.push_back(in);
    Fragment f;
    std::vector<InputMessage> messages;
    DumpToFragment(d, "dump.txt", &f, &messages);
    const TrackEntry* tx = Entry(f.peer_stats[0], Direction::kPublisher);
    CHECK(std::isnan(At(*tx, Metric::kEncodeUsage, 0)));
    CHECK(At(*tx, Metric::kEncodeUsage, 1) == Approx(10));
    CHECK(At(*tx, Metric::kEncodeUsage, 3) == Approx(90));
    const TrackEntry* rx = nullptr;
    for (const auto& e : f.peer_stats[0].entries) {
      if (e.direction == Direction::kSubscriber && e.kind == MediaKind::kVideo) rx = &e;
    }
    REQUIRE(rx);
    CHECK(At(*rx, Metric::kDecodeUsage, 2) == Approx(2));
    CHECK(std::isnan(At(*rx, Metric::kDecodeUsage, 3)));
    CHECK_FALSE(Entry(f.peer_stats[0], Direction::kSubscriber)->series.has(Metric::kDecodeUsage));
  }
  SECTION("legacy stats: googEncodeUsagePercent, googDecodeMs x frame rate, the limit flags") {
    StatsDump d;
    d.format = StatsFormat::kChromeLegacy;
    d.start_ms = kT0;
    DumpConnection c;
    c.id = "12-1";
    StatObject send = Object("ssrc_11_send", "ssrc", 3);
    Txt(&send, "mediaType", "video");
    Num(&send, "bytesSent", {0, 1000, 2000});
    Num(&send, "googEncodeUsagePercent", {20, 91, 95});
    StatProperty cpu{"googCpuLimitedResolution", {kNaN, kNaN, kNaN}, {"false", "true", "true"}};
    send.properties.push_back(cpu);
    StatProperty bw{"googBandwidthLimitedResolution", {kNaN, kNaN, kNaN}, {"false", "", "false"}};
    send.properties.push_back(bw);
    StatObject recv = Object("ssrc_22_recv", "ssrc", 3);
    Txt(&recv, "mediaType", "video");
    Num(&recv, "bytesReceived", {0, 1000, 2000});
    Num(&recv, "googDecodeMs", {0, 20, 40});
    Num(&recv, "googFrameRateDecoded", {0, 30, 25});
    c.stats = {recv, send};
    d.connections.push_back(c);
    Fragment f;
    std::vector<InputMessage> messages;
    DumpToFragment(d, "dump.txt", &f, &messages);
    const TrackEntry* tx = Entry(f.peer_stats[0], Direction::kPublisher);
    REQUIRE(tx);
    CHECK(At(*tx, Metric::kEncodeUsage, 1) == 91);
    CHECK(At(*tx, Metric::kCpuLimited, 0) == 0);
    CHECK(At(*tx, Metric::kCpuLimited, 2) == 1);
    CHECK(At(*tx, Metric::kBandwidthLimited, 2) == 0);
    // A sample that gives only one flag says nothing of the limitation.
    CHECK(std::isnan(At(*tx, Metric::kBandwidthLimited, 1)));
    CHECK(std::isnan(At(*tx, Metric::kCpuLimited, 1)));
    const TrackEntry* rx = Entry(f.peer_stats[0], Direction::kSubscriber);
    REQUIRE(rx);
    CHECK(At(*rx, Metric::kDecodeUsage, 1) == Approx(60));   // 20 ms x 30 fps
    CHECK(At(*rx, Metric::kDecodeUsage, 2) == Approx(100));  // 40 ms x 25 fps
  }
}

TEST_CASE("received video: a freeze's duration is laid back over the intervals it covered",
          "[dump_to_model]") {
  StatsDump d = OneConnection();
  StatObject in = Object("IT01V3", "inbound-rtp", 6);
  Txt(&in, "kind", "video");
  Txt(&in, "trackIdentifier", "cam-of-other");
  // A 2.5 s freeze ends between samples 3 and 4: Chrome adds it then.
  Num(&in, "totalFreezesDuration", {0, 0, 0, 0, 2.5, 2.5});
  Num(&in, "freezeCount", {0, 0, 0, 0, 1, 1});
  d.connections[0].stats.push_back(in);
  Fragment f;
  std::vector<InputMessage> messages;
  DumpToFragment(d, "dump.txt", &f, &messages);
  const TrackEntry* e = nullptr;
  for (const auto& x : f.peer_stats[0].entries) {
    if (x.track_id == "cam-of-other") e = &x;
  }
  REQUIRE(e);
  REQUIRE(e->series.has(Metric::kFreezeMs));
  CHECK(At(*e, Metric::kFreezeMs, 4) == 1000);
  CHECK(At(*e, Metric::kFreezeMs, 3) == 1000);
  CHECK(At(*e, Metric::kFreezeMs, 2) == 500);
  CHECK(At(*e, Metric::kFreezeMs, 1) == 0);
  CHECK(At(*e, Metric::kFreezeMs, 5) == 0);
  CHECK(At(*e, Metric::kFreezeCount, 4) == 1);
  CHECK(e->connection == "PC_0");
}

TEST_CASE("received media: the jitter-buffer delay per interval and a video's pauses",
          "[dump_to_model]") {
  StatsDump d = OneConnection();
  StatObject in = Object("IT01V4", "inbound-rtp", 5);
  Txt(&in, "kind", "video");
  Txt(&in, "trackIdentifier", "cam-of-other");
  // 20 frames a second: 50 ms each, then 1.5 s each from the third interval.
  Num(&in, "jitterBufferDelay", {0, 1, 2, 32, 62});
  Num(&in, "jitterBufferEmittedCount", {0, 20, 40, 60, 80});
  Num(&in, "jitterBufferMinimumDelay", {0, 0.4, 0.8, 1.2, 1.6});  // 20 ms each
  // A 1.5 s pause ends between samples 3 and 4.
  Num(&in, "totalPausesDuration", {0, 0, 0, 0, 1.5});
  Num(&in, "pauseCount", {0, 0, 0, 0, 1});
  d.connections[0].stats.push_back(in);
  Fragment f;
  std::vector<InputMessage> messages;
  DumpToFragment(d, "dump.txt", &f, &messages);
  const TrackEntry* video = nullptr;
  const TrackEntry* audio = nullptr;
  for (const auto& x : f.peer_stats[0].entries) {
    if (x.track_id == "cam-of-other") video = &x;
    if (x.track_id == "mic-of-other") audio = &x;
  }
  REQUIRE(video);
  REQUIRE(video->series.has(Metric::kJitterBufferMs));
  CHECK(std::isnan(At(*video, Metric::kJitterBufferMs, 0)));
  CHECK(At(*video, Metric::kJitterBufferMs, 1) == Approx(50));
  CHECK(At(*video, Metric::kJitterBufferMs, 3) == Approx(1500));
  REQUIRE(video->series.has(Metric::kJitterBufferMinimumMs));
  CHECK(At(*video, Metric::kJitterBufferMinimumMs, 3) == Approx(20));
  REQUIRE(video->series.has(Metric::kPausedMs));
  CHECK(At(*video, Metric::kPausedMs, 4) == 1000);
  CHECK(At(*video, Metric::kPausedMs, 3) == 500);
  CHECK(At(*video, Metric::kPausedMs, 2) == 0);
  // The audio of OneConnection has neither counter: no series.
  REQUIRE(audio);
  CHECK_FALSE(audio->series.has(Metric::kJitterBufferMs));
  CHECK_FALSE(audio->series.has(Metric::kPausedMs));
}

TEST_CASE("stream facts: codec, implementation, feedback totals, time per frame",
          "[dump_to_model]") {
  StatsDump d = OneConnection();
  StatObject codec = Object("COT01_96", "codec", 4);
  Txt(&codec, "mimeType", "video/VP8");
  StatObject& out = d.connections[0].stats[1];
  REQUIRE(out.type == "outbound-rtp");
  Txt(&out, "codecId", "COT01_96");
  Txt(&out, "encoderImplementation", "libvpx");
  Num(&out, "pliCount", {0, 1, 2, 4});
  Num(&out, "totalEncodeTime", {0, 0.1, 0.2, 0.3});
  Num(&out, "framesEncoded", {0, 30, 60, 120});
  d.connections[0].stats.push_back(codec);
  Fragment f;
  std::vector<InputMessage> messages;
  DumpToFragment(d, "dump.txt", &f, &messages);
  const TrackEntry* e = Entry(f.peer_stats[0], Direction::kPublisher);
  REQUIRE(e->facts);
  CHECK(e->facts->codec == "video/VP8");
  CHECK(e->facts->implementation == "libvpx");
  CHECK(*e->facts->pli_count == 4);  // the total at the last sample
  CHECK(*e->facts->encode_ms_per_frame == Approx(2.5));
  CHECK_FALSE(e->facts->nack_count);  // not in the dump: not 0
  const TrackEntry* in = Entry(f.peer_stats[0], Direction::kSubscriber);
  REQUIRE(in->facts);
  CHECK_FALSE(in->facts->accelerated_pct);  // no removedSamplesForAcceleration
}

TEST_CASE("stream facts: frames, quantizer, frame sizes and limitation shares of a sent video",
          "[dump_to_model]") {
  StatsDump d = OneConnection();
  StatObject& out = d.connections[0].stats[1];
  REQUIRE(out.type == "outbound-rtp");
  Num(&out, "framesEncoded", {0, 30, 60, 100});
  Num(&out, "keyFramesEncoded", {0, 1, 1, 3});
  Num(&out, "qpSum", {0, 900, 1800, 2500});  // 25 per frame at the end
  Num(&out, "frameWidth", {640, 1280, 1280, 320});
  Num(&out, "frameHeight", {360, 720, 720, 180});
  // 10 s in all: 2 s CPU-limited, 5 s bandwidth-limited, 1 s other, 2 s none.
  Txt(&out, "qualityLimitationDurations", R"({"bandwidth":5,"cpu":2,"none":2,"other":1})");
  Num(&out, "qualityLimitationResolutionChanges", {0, 1, 1, 2});
  Txt(&out, "powerEfficientEncoder", "false");
  Fragment f;
  std::vector<InputMessage> messages;
  DumpToFragment(d, "dump.txt", &f, &messages);
  const TrackEntry* e = Entry(f.peer_stats[0], Direction::kPublisher);
  REQUIRE(e->facts);
  const StreamFacts& s = *e->facts;
  CHECK(*s.frame_count == 100);
  CHECK(*s.key_frame_count == 3);
  CHECK(*s.qp_per_frame == Approx(25));
  CHECK(*s.common_size == FrameSize{1280, 720});  // 2 of 4 samples
  CHECK(*s.min_size == FrameSize{320, 180});
  CHECK(*s.max_size == FrameSize{1280, 720});
  CHECK(*s.cpu_limited_pct == Approx(20));
  CHECK(*s.bandwidth_limited_pct == Approx(50));
  CHECK(*s.other_limited_pct == Approx(10));
  CHECK(*s.limitation_resolution_changes == 2);
  CHECK(*s.power_efficient == false);
  CHECK_FALSE(s.freeze_count);   // received only
  CHECK_FALSE(s.concealed_pct);  // received only
  CHECK_FALSE(s.null_decoder);   // received video only
}

TEST_CASE("stream facts: jitter buffer, freezes and delays of received media", "[dump_to_model]") {
  StatsDump d = OneConnection();
  StatObject in = Object("IT01V3", "inbound-rtp", 3);
  Txt(&in, "kind", "video");
  Txt(&in, "trackIdentifier", "cam-of-other");
  Num(&in, "bytesReceived", {0, 100000, 200000});
  Num(&in, "framesDecoded", {0, 50, 200});
  Num(&in, "keyFramesDecoded", {1, 1, 4});
  Num(&in, "freezeCount", {0, 1, 2});
  Num(&in, "totalFreezesDuration", {0, 0.4, 1.5});
  Num(&in, "framesDropped", {0, 0, 7});
  Num(&in, "jitterBufferDelay", {0, 2, 12});  // s, over 200 emitted: 60 ms each
  Num(&in, "jitterBufferTargetDelay", {0, 2, 16});
  Num(&in, "jitterBufferMinimumDelay", {0, 1, 8});
  Num(&in, "jitterBufferEmittedCount", {0, 50, 200});
  Num(&in, "jitterBufferFlushes", {0, 0, 3});
  Num(&in, "totalProcessingDelay", {0, 3, 20});  // 100 ms each
  Num(&in, "totalAssemblyTime", {0, 0.1, 0.4});
  Num(&in, "framesAssembledFromMultiplePackets", {0, 40, 100});  // 4 ms each
  Num(&in, "totalInterFrameDelay", {0, 1.6, 6.6});               // 33 ms each
  StatProperty decoder;
  decoder.name = "decoderImplementation";
  decoder.numbers.assign(3, kNaN);
  decoder.texts = {"NullVideoDecoder", "libvpx", "libvpx"};
  in.properties.push_back(decoder);
  Txt(&in, "powerEfficientDecoder", "true");
  d.connections[0].stats.push_back(in);
  Fragment f;
  std::vector<InputMessage> messages;
  DumpToFragment(d, "dump.txt", &f, &messages);
  const TrackEntry* video = nullptr;
  const TrackEntry* audio = nullptr;
  for (const auto& e : f.peer_stats[0].entries) {
    if (e.direction != Direction::kSubscriber) continue;
    (e.kind == MediaKind::kVideo ? video : audio) = &e;
  }
  REQUIRE(video);
  REQUIRE(video->facts);
  const StreamFacts& s = *video->facts;
  CHECK(*s.frame_count == 200);
  CHECK(*s.key_frame_count == 4);
  CHECK(*s.freeze_count == 2);
  CHECK(*s.freeze_total_ms == Approx(1500));
  CHECK(*s.frames_dropped == 7);
  CHECK(*s.jitter_buffer_ms == Approx(60));
  CHECK(*s.jitter_buffer_target_ms == Approx(80));
  CHECK(*s.jitter_buffer_minimum_ms == Approx(40));
  CHECK(*s.jitter_buffer_flushes == 3);
  CHECK(*s.processing_ms == Approx(100));
  CHECK(*s.assembly_ms == Approx(4));
  CHECK(*s.inter_frame_ms == Approx(33));
  CHECK(*s.null_decoder);  // its first sample, though the last says libvpx
  CHECK(s.implementation == "libvpx");
  CHECK(*s.power_efficient);
  CHECK_FALSE(s.qp_per_frame);  // no qpSum
  REQUIRE(audio);
  REQUIRE(audio->facts);
  CHECK(*audio->facts->concealed_pct == Approx(100.0 * 4800 / 144000));
  CHECK_FALSE(audio->facts->null_decoder);  // audio has no video decoder
  CHECK_FALSE(audio->facts->common_size);
}

namespace {

DumpEvent Logged(int64_t t, const std::string& method, const std::string& value) {
  DumpEvent e;
  e.time_ms = kT0 + t;
  e.connection_id = "PC_0";
  e.method = method;
  e.value = value;
  return e;
}

}  // namespace

TEST_CASE("connection facts: DTLS, ICE servers, candidates, ICE-lite, STUN RTT, bitrates",
          "[dump_to_model]") {
  StatsDump d = OneConnection();
  DumpConnection& c = d.connections[0];
  c.configuration =
      R"({"iceServers":[{"urls":["stun:stun.example.org:3478"]},)"
      R"({"urls":["turn:t.example.org:3478?transport=tcp","turns:t.example.org:443"]}],)"
      R"("iceTransportPolicy":"relay"})";
  StatObject transport = Object("T01", "transport", 4);
  Txt(&transport, "selectedCandidatePairId", "CP1");
  StatProperty tls;
  tls.name = "tlsVersion";
  tls.numbers.assign(4, kNaN);
  tls.texts = {"", "FEFD", "FEFD", "FEFD"};
  transport.properties.push_back(tls);
  Txt(&transport, "dtlsRole", "client");
  Txt(&transport, "srtpCipher", "AES_CM_128_HMAC_SHA1_80");
  c.stats.push_back(transport);
  StatObject& pair = c.stats[4];
  REQUIRE(pair.type == "candidate-pair");
  pair.properties.clear();
  Num(&pair, "bytesSent", {0, 1000, 126000, 251000});  // 1 Mbit/s from sample 1 on
  Num(&pair, "bytesReceived", {0, 500, 4500, 8500});   // 32 kbit/s
  Num(&pair, "totalRoundTripTime", {0, 0.05, 0.1, 0.2});
  Num(&pair, "responsesReceived", {0, 1, 2, 5});  // 40 ms each
  d.events = {
      Logged(0, "onicecandidate",
             R"({"candidate":"candidate:1 1 udp 2122260223 f3c8a1.local 54321 typ host",)"
             R"("sdpMid":"0"})"),
      Logged(10, "onicecandidate",
             R"({"candidate":"candidate:2 1 udp 1686052607 203.0.113.9 54321 typ srflx raddr )"
             R"(0.0.0.0 rport 0","sdpMid":"0"})"),
      Logged(20, "onicecandidate", "null"),
      Logged(
          30, "setRemoteDescription",
          R"({"type":"answer","sdp":"v=0\r\na=ice-lite\r\nm=audio 9 UDP/TLS/RTP/SAVPF 111\r\n"})"),
      Logged(40, "addIceCandidate",
             "sdpMid: 0, sdpMLineIndex: 0, candidate: candidate:3 1 udp 41885439 198.51.100.7 "
             "3478 typ relay raddr 203.0.113.9 rport 5000"),
  };
  Fragment f;
  std::vector<InputMessage> messages;
  DumpToFragment(d, "dump.txt", &f, &messages);
  REQUIRE(f.connections.size() == 1);
  const Connection& k = f.connections[0].connection;
  CHECK(k.tls_version == "FEFD");
  CHECK(k.dtls_role == "client");
  CHECK(k.srtp_cipher == "AES_CM_128_HMAC_SHA1_80");
  REQUIRE(k.ice_servers);
  CHECK(*k.ice_servers->count == 2);
  CHECK(k.ice_servers->stun);
  CHECK(k.ice_servers->turn_tcp);
  CHECK_FALSE(k.ice_servers->turn_udp);
  CHECK(k.ice_servers->turns);
  CHECK(k.ice_servers->relay_only);
  REQUIRE(k.gathered_candidates);
  CHECK(k.gathered_candidates->mdns);
  CHECK_FALSE(k.gathered_candidates->host);  // only a .local name
  CHECK(k.gathered_candidates->srflx);
  CHECK_FALSE(k.gathered_candidates->relay);
  REQUIRE(k.added_candidates);
  CHECK(k.added_candidates->relay);
  CHECK_FALSE(k.added_candidates->host);
  CHECK(*k.remote_ice_lite);
  CHECK(*k.stun_rtt_ms == Approx(40));
  CHECK(*k.outbound_bps == Approx(1000000));
  CHECK(*k.inbound_bps == Approx(32000));
}

TEST_CASE("connection facts: Chrome's own configuration text; nothing logged, nothing said",
          "[dump_to_model]") {
  StatsDump d = OneConnection();
  d.connections[0].configuration =
      "{ iceServers: [stun:stun.l.google.com:19302, turn:t.example.org:3478], "
      "iceTransportPolicy: all, bundlePolicy: max-bundle }";
  d.events = {Logged(0, "setRemoteDescription", "type: offer, sdp: v=0\r\nm=audio 9\r\n")};
  Fragment f;
  std::vector<InputMessage> messages;
  DumpToFragment(d, "dump.txt", &f, &messages);
  const Connection& k = f.connections[0].connection;
  REQUIRE(k.ice_servers);
  CHECK_FALSE(k.ice_servers->count);  // not JSON: URLs, not entries
  CHECK(k.ice_servers->stun);
  CHECK(k.ice_servers->turn_udp);  // no transport given: UDP
  CHECK_FALSE(k.ice_servers->turn_tcp);
  CHECK_FALSE(k.ice_servers->relay_only);
  CHECK(k.remote_ice_lite == false);  // a remote description without a=ice-lite
  CHECK_FALSE(k.gathered_candidates);
  CHECK_FALSE(k.added_candidates);
  CHECK(k.tls_version.empty());
  CHECK_FALSE(k.stun_rtt_ms);  // the pair has no totalRoundTripTime
}

namespace {

DumpEvent StateEvent(int64_t t, DumpEventKind kind, const char* value) {
  DumpEvent e;
  e.time_ms = kT0 + t;
  e.connection_id = "PC_0";
  e.kind = kind;
  e.value = value;
  return e;
}

// The events of an offerer's setup: offer at 100 ms, answer at 400 ms, ICE
// checking at 500 ms and connected at 700 ms, connectionState connecting at
// 500 ms and connected at 1900 ms (the DTLS handshake took 1.2 s).
std::vector<DumpEvent> OffererSetup() {
  return {StateEvent(100, DumpEventKind::kSignalingState, "have-local-offer"),
          StateEvent(400, DumpEventKind::kSignalingState, "stable"),
          StateEvent(500, DumpEventKind::kConnectionState, "connecting"),
          StateEvent(500, DumpEventKind::kIceConnectionState, "checking"),
          StateEvent(700, DumpEventKind::kIceConnectionState, "connected"),
          StateEvent(1900, DumpEventKind::kConnectionState, "connected"),
          StateEvent(9000, DumpEventKind::kSignalingState, "have-local-offer"),
          StateEvent(9500, DumpEventKind::kSignalingState, "stable")};
}

const Connection& OnlyConnection(const Fragment& f) {
  REQUIRE(f.connections.size() == 1);
  return f.connections[0].connection;
}

}  // namespace

TEST_CASE("connection setup: ICE, connection (DTLS) and signalling times from the events",
          "[dump_to_model]") {
  StatsDump d = OneConnection();
  d.events = OffererSetup();
  Fragment f;
  std::vector<InputMessage> messages;
  DumpToFragment(d, "dump.txt", &f, &messages);
  const Connection& c = OnlyConnection(f);
  CHECK(c.setup_ms() == 200);
  CHECK(c.connection_ms() == 1400);  // rtcstats' connectionTime
  CHECK(c.dtls_ms() == 1200);
  CHECK(c.signaling_ms() == 300);  // the first exchange, not the renegotiation at 9 s
  CHECK(c.offerer);

  SECTION("the answerer: the offer received to its answer") {
    d.events = {StateEvent(100, DumpEventKind::kSignalingState, "have-remote-offer"),
                StateEvent(130, DumpEventKind::kSignalingState, "stable")};
    Fragment g;
    DumpToFragment(d, "dump.txt", &g, &messages);
    CHECK(OnlyConnection(g).signaling_ms() == 30);
    CHECK_FALSE(OnlyConnection(g).offerer);
    CHECK_FALSE(OnlyConnection(g).connection_ms());  // no connectionState logged
    CHECK_FALSE(OnlyConnection(g).dtls_ms());
  }
  SECTION("connected without connecting before it is no connection time") {
    d.events = {StateEvent(1900, DumpEventKind::kConnectionState, "connected")};
    Fragment g;
    DumpToFragment(d, "dump.txt", &g, &messages);
    CHECK_FALSE(OnlyConnection(g).connection_ms());
  }
}

namespace {

// A received video whose frames start at sample `first` (samples 1 s apart
// from kT0), named by its track id.
StatObject ReceivedVideo(size_t samples, size_t first) {
  StatObject in = Object("IT01V9", "inbound-rtp", samples);
  Txt(&in, "kind", "video");
  Txt(&in, "trackIdentifier", "cam-of-other");
  std::vector<double> frames(samples, 0);
  for (size_t i = first; i < samples; ++i) frames[i] = 30.0 * static_cast<double>(i - first + 1);
  Num(&in, "framesDecoded", frames);
  return in;
}

const StreamFacts& ReceivedVideoFacts(const Fragment& f) {
  for (const auto& e : f.peer_stats[0].entries) {
    if (e.track_id == "cam-of-other") {
      REQUIRE(e.facts);
      return *e.facts;
    }
  }
  FAIL("no received video");
  static const StreamFacts kNone;
  return kNone;
}

}  // namespace

TEST_CASE("received video: the first frame counted from the connection connected",
          "[dump_to_model]") {
  StatsDump d = OneConnection();
  // Connected at kT0 + 1900; frames decoded from the sample at kT0 + 6000.
  d.events = OffererSetup();
  d.connections[0].stats.push_back(ReceivedVideo(8, 6));
  Fragment f;
  std::vector<InputMessage> messages;
  DumpToFragment(d, "dump.txt", &f, &messages);
  const StreamFacts& facts = ReceivedVideoFacts(f);
  REQUIRE(facts.first_frame_ms);
  CHECK(*facts.first_frame_ms == 6000 - 1900);
  CHECK(facts.first_frame_at_ms == kT0 + 6000);

  SECTION("a track that arrived later counts from its ontrack") {
    DumpEvent track = StateEvent(5000, DumpEventKind::kTrack,
                                 "{\"kind\":\"video\",\"id\":\"cam-of-other\",\"streams\":[]}");
    d.events.push_back(track);
    Fragment g;
    DumpToFragment(d, "dump.txt", &g, &messages);
    CHECK(ReceivedVideoFacts(g).first_frame_ms == 1000);
  }
  SECTION("samples too far apart to bracket it: not known") {
    StatObject& in = d.connections[0].stats.back();
    // Samples half a second apart until the last without frames, at +2.5 s:
    // 3.5 s before the first with one.
    for (size_t i = 0; i < 6; ++i) in.times_ms[i] = kT0 + 500 * static_cast<int64_t>(i);
    Fragment g;
    DumpToFragment(d, "dump.txt", &g, &messages);
    CHECK_FALSE(ReceivedVideoFacts(g).first_frame_ms);
  }
  SECTION("frames already decoded at the stream's first sample, long after connecting: unknown") {
    d.connections[0].stats.back() = ReceivedVideo(8, 0);
    for (int64_t& t : d.connections[0].stats.back().times_ms) t += 10000;
    Fragment g;
    DumpToFragment(d, "dump.txt", &g, &messages);
    CHECK_FALSE(ReceivedVideoFacts(g).first_frame_ms);
  }
  SECTION("without a connected state there is nothing to count from") {
    d.events.clear();
    Fragment g;
    DumpToFragment(d, "dump.txt", &g, &messages);
    CHECK_FALSE(ReceivedVideoFacts(g).first_frame_ms);
  }
}

TEST_CASE("received audio: jitter-buffer flushes and when each happened", "[dump_to_model]") {
  StatsDump d = OneConnection();
  StatObject& in = d.connections[0].stats[3];
  REQUIRE(in.type == "inbound-rtp");
  // One flush by the second sample, two more in the last interval.
  Num(&in, "jitterBufferFlushes", {0, 1, 1, 3});
  Fragment f;
  std::vector<InputMessage> messages;
  DumpToFragment(d, "dump.txt", &f, &messages);
  const TrackEntry* e = Entry(f.peer_stats[0], Direction::kSubscriber);
  REQUIRE(e->facts);
  CHECK(e->facts->jitter_buffer_flushes == 3);
  CHECK(e->facts->jitter_buffer_flush_times_ms ==
        std::vector<int64_t>{kT0 + 1000, kT0 + 2500, kT0 + 3000});
}

namespace {

// A transport of connection PC_0 sampled every second, its dtlsState as given.
StatObject Transport(const std::vector<std::string>& dtls) {
  StatObject t = Object("T01", "transport", dtls.size());
  StatProperty p;
  p.name = "dtlsState";
  p.numbers.assign(dtls.size(), kNaN);
  p.texts = ingest::TextColumn(dtls);
  t.properties.push_back(std::move(p));
  return t;
}

std::vector<const Event*> Errors(const Fragment& f) {
  std::vector<const Event*> errors;
  for (const auto& se : f.events) {
    if (se.event.is_error) errors.push_back(&se.event);
  }
  return errors;
}

}  // namespace

TEST_CASE("DTLS failures: a connection failure DTLS caused is named so, or is an event of its own",
          "[dump_to_model]") {
  DumpEvent failed;
  failed.time_ms = kT0 + 3000;
  failed.connection_id = "PC_0";
  failed.kind = DumpEventKind::kConnectionState;
  failed.value = "failed";
  SECTION("connectionState failed while the transport's dtlsState says failed") {
    StatsDump d = OneConnection();
    d.connections[0].stats.push_back(
        Transport({"connecting", "connecting", "connecting", "failed"}));
    d.events = {failed};
    Fragment f;
    std::vector<InputMessage> messages;
    DumpToFragment(d, "dump.txt", &f, &messages);
    const auto errors = Errors(f);
    REQUIRE(errors.size() == 1);
    CHECK(errors[0]->type == "webrtc.connection_state.failed");
    CHECK(errors[0]->error_name == kDtlsFailedName);
    CHECK(errors[0]->is_terminal);
  }
  SECTION("a connection that failed in ICE keeps its state's name") {
    StatsDump d = OneConnection();
    d.connections[0].stats.push_back(Transport({"connecting", "connecting", "new", "closed"}));
    d.events = {failed};
    Fragment f;
    std::vector<InputMessage> messages;
    DumpToFragment(d, "dump.txt", &f, &messages);
    const auto errors = Errors(f);
    REQUIRE(errors.size() == 1);
    CHECK(errors[0]->error_name == "connectionState failed");
  }
  SECTION("dtlsState failed with no logged failure: an event of its own, terminal") {
    StatsDump d = OneConnection();
    d.connections[0].stats.push_back(Transport({"connecting", "connected", "failed", "failed"}));
    Fragment f;
    std::vector<InputMessage> messages;
    DumpToFragment(d, "dump.txt", &f, &messages);
    const auto errors = Errors(f);
    REQUIRE(errors.size() == 1);
    CHECK(errors[0]->type == "webrtc.dtls_state.failed");
    CHECK(errors[0]->time_ms == kT0 + 2000);  // the first sample saying so
    CHECK(errors[0]->failed == FailedOperation::kConnection);
    CHECK(errors[0]->is_terminal);
    CHECK(errors[0]->error_name == kDtlsFailedName);
    CHECK(errors[0]->error_message == "on connection PC_0");
  }
}

TEST_CASE("stream facts: codec fmtp, encoding index, PSNR and ECN counts", "[dump_to_model]") {
  StatsDump d = OneConnection();
  auto& stats = d.connections[0].stats;
  StatObject codec = Object("COT01_96", "codec", 4);
  Txt(&codec, "mimeType", "video/VP8");
  Txt(&codec, "sdpFmtpLine", "x-google-start-bitrate=800");
  StatObject& out = stats[1];
  REQUIRE(out.type == "outbound-rtp");
  Txt(&out, "codecId", "COT01_96");
  Num(&out, "encodingIndex", {2, 2, 2, 2});
  Num(&out, "psnrMeasurements", {0, 10, 20, 40});
  Num(&out, "psnrSum.y", {0, 350, 700, 1400});  // 35 dB
  Num(&out, "psnrSum.u", {0, 400, 800, 1600});  // 40 dB
  Num(&out, "packetsSentWithEct1", {0, 100, 200, 300});
  StatObject& remote = stats[2];
  REQUIRE(remote.type == "remote-inbound-rtp");
  Num(&remote, "packetsReceivedWithEct1", {0, 90, 180, 270});
  Num(&remote, "packetsReceivedWithCe", {0, 0, 3, 5});
  Num(&remote, "packetsWithBleachedEct1Marking", {0, 0, 0, 30});
  StatObject& in = stats[3];
  REQUIRE(in.type == "inbound-rtp");
  Num(&in, "packetsReceivedWithEct1", {0, 0, 0, 0});
  Num(&in, "packetsReceivedWithCe", {0, 0, 0, 0});
  stats.push_back(codec);
  Fragment f;
  std::vector<InputMessage> messages;
  DumpToFragment(d, "dump.txt", &f, &messages);
  const TrackEntry* tx = Entry(f.peer_stats[0], Direction::kPublisher);
  REQUIRE(tx);
  REQUIRE(tx->facts);
  CHECK(tx->facts->codec == "video/VP8");
  CHECK(tx->facts->codec_fmtp == "x-google-start-bitrate=800");
  REQUIRE(tx->encoding_index);
  CHECK(*tx->encoding_index == 2);
  CHECK(tx->facts->psnr_y_db == Approx(35));
  CHECK(tx->facts->psnr_u_db == Approx(40));
  CHECK_FALSE(tx->facts->psnr_v_db);  // not given
  CHECK(tx->facts->ect1_sent_packets == 300);
  CHECK(tx->facts->ect1_received_packets == 270);
  CHECK(tx->facts->ce_received_packets == 5);
  CHECK(tx->facts->ect1_bleached_packets == 30);
  const TrackEntry* rx = Entry(f.peer_stats[0], Direction::kSubscriber);
  REQUIRE(rx);
  CHECK_FALSE(rx->encoding_index);
  CHECK(rx->facts->ce_received_packets == 0);
  CHECK_FALSE(rx->facts->ect1_sent_packets);
  CHECK_FALSE(rx->facts->ect1_bleached_packets);
  CHECK(rx->facts->codec_fmtp.empty());
  SECTION("PSNR sums written as one JSON text") {
    StatsDump d2 = OneConnection();
    StatObject& out2 = d2.connections[0].stats[1];
    Num(&out2, "psnrMeasurements", {0, 0, 0, 4});
    Txt(&out2, "psnrSum", R"({"u":160,"v":168,"y":148})");
    Fragment f2;
    DumpToFragment(d2, "dump.txt", &f2, &messages);
    const TrackEntry* tx2 = Entry(f2.peer_stats[0], Direction::kPublisher);
    CHECK(tx2->facts->psnr_y_db == Approx(37));
    CHECK(tx2->facts->psnr_v_db == Approx(42));
  }
}

TEST_CASE("legacy stats: the stream facts their goog* figures give", "[dump_to_model]") {
  StatsDump d;
  d.format = StatsFormat::kChromeLegacy;
  d.start_ms = kT0;
  DumpConnection c;
  c.id = "12-1";
  // Legacy numbers are written as text.
  const auto text = [](StatObject* o, const std::string& name, std::vector<std::string> v) {
    StatProperty p;
    p.name = name;
    p.numbers.assign(v.size(), kNaN);
    p.texts = ingest::TextColumn(v);
    o->properties.push_back(std::move(p));
  };
  StatObject send = Object("ssrc_11_send", "ssrc", 4);
  Txt(&send, "mediaType", "video");
  Txt(&send, "googTrackId", "cam-1");
  Txt(&send, "googCodecName", "VP8");
  Txt(&send, "codecImplementationName", "libvpx");
  text(&send, "bytesSent", {"0", "0", "1000", "2000"});
  text(&send, "framesEncoded", {"0", "0", "30", "60"});
  text(&send, "qpSum", {"0", "0", "600", "1200"});
  text(&send, "googAvgEncodeMs", {"0", "0", "6", "8"});
  text(&send, "googNacksReceived", {"0", "0", "2", "3"});
  text(&send, "googPlisReceived", {"0", "0", "1", "1"});
  text(&send, "googFrameWidthSent", {"0", "0", "640", "640"});
  text(&send, "googFrameHeightSent", {"0", "0", "360", "360"});
  StatObject recv = Object("ssrc_22_recv", "ssrc", 4);
  Txt(&recv, "mediaType", "audio");
  Txt(&recv, "googTrackId", "mic-of-other");
  Txt(&recv, "googCodecName", "opus");
  Txt(&recv, "codecImplementationName", "unknown");
  text(&recv, "bytesReceived", {"0", "100", "200", "200"});
  text(&recv, "googJitterBufferMs", {"0", "40", "60", "500"});  // the last one: nothing flowed
  c.stats = {recv, send};
  d.connections.push_back(c);
  Fragment f;
  std::vector<InputMessage> messages;
  DumpToFragment(d, "dump.txt", &f, &messages);
  const TrackEntry* tx = Entry(f.peer_stats[0], Direction::kPublisher);
  REQUIRE(tx);
  REQUIRE(tx->facts);
  const StreamFacts& s = *tx->facts;
  CHECK(s.codec == "video/VP8");
  CHECK(s.implementation == "libvpx");
  CHECK(s.frame_count == 60);
  CHECK(s.qp_per_frame == Approx(20));
  CHECK(s.encode_ms_per_frame == Approx(7));  // mean of 6 and 8, while bytes flowed
  CHECK(s.nack_count == 3);
  CHECK(s.pli_count == 1);
  REQUIRE(s.common_size);
  CHECK((*s.common_size == FrameSize{640, 360}));
  const TrackEntry* rx = Entry(f.peer_stats[0], Direction::kSubscriber);
  REQUIRE(rx);
  REQUIRE(rx->facts);
  CHECK(rx->facts->codec == "audio/opus");
  CHECK(rx->facts->implementation.empty());  // "unknown" says nothing
  CHECK(rx->facts->jitter_buffer_ms == Approx(50));
  CHECK_FALSE(rx->facts->frame_count);  // audio
}
