// The chrome://webrtc-internals dump reader (core/src/ingest/
// webrtc_internals_reader.cpp): detection, each layout Chrome wrote (before
// and after per-stat timestamps, quoted states, legacy goog stats, the
// 1000-sample cap), getUserMedia, repairs and errors, and the real dump.
#include "ingest/webrtc_internals_reader.h"

#include <catch2/catch.hpp>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <vector>

#include "core/stats_dump_digest.h"
#include "core/test_util.h"

using namespace callsight;
using ingest::DumpEvent;
using ingest::DumpEventKind;
using ingest::StatObject;
using ingest::StatProperty;
using ingest::StatsDump;
using ingest::StatsFormat;

namespace {

constexpr int kDepth = 32;
constexpr int64_t kT0 = 1682935200000LL;  // 2023-05-01T10:00:00Z

struct Read {
  bool ok = false;
  StatsDump dump;
  std::vector<InputMessage> messages;
};

// stats_dump.h's invariants: aligned properties, non-decreasing times,
// objects, connections and events in order.
void CheckInvariants(const StatsDump& d) {
  for (size_t i = 1; i < d.connections.size(); ++i) {
    CHECK(d.connections[i - 1].id < d.connections[i].id);
  }
  for (const auto& c : d.connections) {
    for (size_t i = 1; i < c.stats.size(); ++i) CHECK(c.stats[i - 1].id < c.stats[i].id);
    for (const StatObject& o : c.stats) {
      for (size_t i = 1; i < o.times_ms.size(); ++i) CHECK(o.times_ms[i - 1] <= o.times_ms[i]);
      for (const StatProperty& p : o.properties) {
        CHECK(p.numbers.size() == o.times_ms.size());
        if (!p.texts.empty()) CHECK(p.texts.size() == o.times_ms.size());
      }
    }
  }
  for (size_t i = 1; i < d.events.size(); ++i) {
    CHECK(d.events[i - 1].time_ms <= d.events[i].time_ms);
  }
}

// Read on one thread, and again on three: the two reads must be the same.
Read ReadDump(const std::string& json) {
  Read r;
  r.ok = ingest::ReadWebrtcInternalsDump(json, {kDepth, 1}, &r.dump, &r.messages);
  Read parallel;
  parallel.ok =
      ingest::ReadWebrtcInternalsDump(json, {kDepth, 3}, &parallel.dump, &parallel.messages);
  CHECK(parallel.ok == r.ok);
  CHECK(testing::DumpDigest(parallel.dump, parallel.messages) ==
        testing::DumpDigest(r.dump, r.messages));
  if (r.ok) CheckInvariants(r.dump);
  return r;
}

// A dump with one connection "1-1" holding these stats members and updateLog entries.
std::string Dump(const std::string& stats, const std::string& log = "") {
  return R"({"getUserMedia": [], "PeerConnections": {"1-1": {"pid": 7, "url": "https://a.example/",
    "rtcConfiguration": "{ iceServers: [], iceTransportPolicy: all }", "constraints": "",
    "updateLog": [)" +
         log + R"(], "stats": {)" + stats + R"(}}}, "UserAgent": "Chrome/120"})";
}

const StatObject& Object(const Read& r, const std::string& id) {
  REQUIRE(r.dump.connections.size() == 1);
  for (const StatObject& o : r.dump.connections[0].stats) {
    if (o.id == id) return o;
  }
  FAIL("no stats object " << id);
  throw;
}

const StatProperty& Prop(const StatObject& o, const std::string& name) {
  const StatProperty* p = o.Find(name);
  if (p == nullptr) FAIL("no property " << name << " in " << o.id);
  return *p;
}

bool HasMessage(const Read& r, InputMessage::Level level, const std::string& words,
                const std::string& pointer_end = "") {
  for (const InputMessage& m : r.messages) {
    if (m.level == level && m.text.find(words) != std::string::npos &&
        m.pointer.size() >= pointer_end.size() &&
        m.pointer.compare(m.pointer.size() - pointer_end.size(), pointer_end.size(), pointer_end) ==
            0) {
      return true;
    }
  }
  return false;
}

std::string Numbers(int n, int from = 0) {
  std::string s = "[";
  for (int i = 0; i < n; ++i) s += (i ? "," : "") + std::to_string(from + i);
  return s + "]";
}

std::string Gunzip(const std::string& path) {
  std::string out;
  FILE* p = popen(("zcat '" + path + "'").c_str(), "r");
  REQUIRE(p != nullptr);
  char buf[4096];
  size_t n;
  while ((n = fread(buf, 1, sizeof buf, p)) > 0) out.append(buf, n);
  REQUIRE(pclose(p) == 0);
  return out;
}

// The real dumps written outside the project (CALLSIGHT_REAL_DATA overrides).
std::string RealDump(const std::string& name) {
  const char* env = std::getenv("CALLSIGHT_REAL_DATA");
  return std::string(env && *env ? env : CALLSIGHT_REAL_DIR) + "/" + name;
}

}  // namespace

TEST_CASE("webrtc-internals: detected by its top-level keys only", "[webrtc_internals]") {
  CHECK(ingest::LooksLikeWebrtcInternalsDump(Dump(""), kDepth));
  CHECK(ingest::LooksLikeWebrtcInternalsDump(R"({"PeerConnections": {}, "UserAgent": "x"})", 32));
  // PeerConnections alone, or its neighbours alone, are not enough.
  CHECK_FALSE(ingest::LooksLikeWebrtcInternalsDump(R"({"PeerConnections": {}})", kDepth));
  CHECK_FALSE(
      ingest::LooksLikeWebrtcInternalsDump(R"({"getUserMedia": [], "UserAgent": "x"})", kDepth));
  CHECK_FALSE(ingest::LooksLikeWebrtcInternalsDump("[1, 2]", kDepth));
  CHECK_FALSE(ingest::LooksLikeWebrtcInternalsDump("RTCStatsDump\n{}", kDepth));
  // getUserMedia comes first, so a broken rest is not read.
  CHECK(ingest::LooksLikeWebrtcInternalsDump(R"({"getUserMedia": [], "PeerConnections": {"x)",
                                             kDepth));
  // Chrome 156 writes the machine's numbers first.
  CHECK(ingest::LooksLikeWebrtcInternalsDump(
      R"({"cpuPerformance": 2, "deviceMemory": 16, "timestamp": 1, "getUserMedia": [],)"
      R"( "PeerConnections": {}, "UserAgent": "x", "UserAgentData": {}})",
      kDepth));
  // Any other object or array stops it before its value is read: the big
  // members of a 100ms peer-stats file are not skipped through.
  CHECK_FALSE(ingest::LooksLikeWebrtcInternalsDump(
      R"({"peer_id": "p", "publisher": {}, "getUserMedia": [], "PeerConnections": {}})", kDepth));
  // A 100ms export is never one.
  for (const char* f :
       {"analytics_peer-quality-stats__00.json", "Sessions_retrieve-a-session__00.json",
        "analytics_error-events__00.json"}) {
    CHECK_FALSE(ingest::LooksLikeWebrtcInternalsDump(
        testing::ReadFile(RealDump(std::string("100ms-docs/") + f)), kDepth));
  }
}

TEST_CASE("webrtc-internals: the real getUserMedia-only dump of Chrome 142", "[webrtc_internals]") {
  const std::string text = Gunzip(RealDump("rtcstats-rtcstats/internals-gumonly.gz"));
  CHECK(ingest::LooksLikeWebrtcInternalsDump(text, kDepth));
  const Read r = ReadDump(text);
  REQUIRE(r.ok);
  CHECK(r.messages.empty());
  CHECK(r.dump.kind == ingest::DumpKind::kWebrtcInternals);
  CHECK(r.dump.user_agent.find("Chrome/142.0.0.0") != std::string::npos);
  CHECK(r.dump.connections.empty());
  CHECK_FALSE(r.dump.truncated);
  REQUIRE(r.dump.events.size() == 2);
  const DumpEvent& request = r.dump.events[0];
  CHECK(request.kind == DumpEventKind::kGetUserMedia);
  CHECK(request.method == "getUserMedia");
  CHECK(request.time_ms == 1758566123065LL);  // 1758566123065.025 in the dump
  CHECK(request.connection_id.empty());
  CHECK_FALSE(request.display);
  CHECK(request.value == R"({"video":""})");
  const DumpEvent& answer = r.dump.events[1];
  CHECK(answer.kind == DumpEventKind::kGetUserMediaSuccess);
  CHECK(answer.time_ms == 1758566127725LL);
  CHECK(answer.value.find("60d260ee-469a-424b-87ce-37065c044485") != std::string::npos);
  CHECK(answer.value.find("Logitech BRIO") != std::string::npos);
  CHECK(r.dump.start_ms == 1758566123065LL);
}

TEST_CASE("webrtc-internals: Chrome >= 117 aligns each series to its object's timestamps",
          "[webrtc_internals]") {
  const std::string t = "[" + std::to_string(kT0) + ".25," + std::to_string(kT0 + 1000) + ".5," +
                        std::to_string(kT0 + 2000) + "," + std::to_string(kT0 + 3000) + "," +
                        std::to_string(kT0 + 4000) + "]";
  const Read r = ReadDump(Dump(
      R"("OT01V1-timestamp": {"statsType": "outbound-rtp", "startTime": "2023-05-01T10:00:00.000Z",
           "endTime": "2023-05-01T10:00:04.000Z", "values": ")" +
      t + R"("},
         "OT01V1-bytesSent": {"statsType": "outbound-rtp", "startTime": "2023-05-01T10:00:02.000Z",
           "endTime": "2023-05-01T10:00:04.000Z", "values": "[100,200,300]"},
         "OT01V1-[bytesSent_in_bits/s]": {"statsType": "outbound-rtp",
           "startTime": "2023-05-01T10:00:02.000Z", "endTime": "2023-05-01T10:00:04.000Z",
           "values": "[0,800,800]"},
         "OT01V1-targetBitrate": {"statsType": "outbound-rtp",
           "startTime": "2023-05-01T10:00:01.000Z", "endTime": "2023-05-01T10:00:02.000Z",
           "values": "[5e5,6e5]"},
         "OT01V1-qualityLimitationReason": {"statsType": "outbound-rtp",
           "startTime": "2023-05-01T10:00:02.000Z", "endTime": "2023-05-01T10:00:04.000Z",
           "values": "[\"\\\"bandwidth\\\"\",\"none\",null]"},
         "OT01V1-active": {"statsType": "outbound-rtp", "startTime": "2023-05-01T10:00:00.000Z",
           "endTime": "2023-05-01T10:00:04.000Z", "values": "[true,true,false,true,true]"})"));
  REQUIRE(r.ok);
  CHECK(r.messages.empty());
  const StatObject& o = Object(r, "OT01V1");
  CHECK(o.type == "outbound-rtp");
  CHECK(o.times_ms == std::vector<int64_t>{kT0, kT0 + 1000, kT0 + 2000, kT0 + 3000, kT0 + 4000});
  const StatProperty& bytes = Prop(o, "bytesSent");
  CHECK(std::isnan(bytes.numbers[0]));
  CHECK(std::isnan(bytes.numbers[1]));
  CHECK(bytes.numbers[2] == 100);
  CHECK(bytes.numbers[4] == 300);
  CHECK(bytes.texts.empty());
  // A series that stopped before its object did sits where its endTime is.
  const StatProperty& target = Prop(o, "targetBitrate");
  CHECK(std::isnan(target.numbers[0]));
  CHECK(target.numbers[1] == 5e5);
  CHECK(target.numbers[2] == 6e5);
  CHECK(std::isnan(target.numbers[3]));
  // Text, unquoted; booleans as text.
  const StatProperty& reason = Prop(o, "qualityLimitationReason");
  CHECK(reason.texts == std::vector<std::string>{"", "", "bandwidth", "none", ""});
  CHECK(Prop(o, "active").texts ==
        std::vector<std::string>{"true", "true", "false", "true", "true"});
  // Chrome's own rates and the timestamps are no properties.
  CHECK(o.Find("[bytesSent_in_bits/s]") == nullptr);
  CHECK(o.Find("timestamp") == nullptr);
  CHECK(r.dump.format == StatsFormat::kChromeStandard);
  CHECK(r.dump.start_ms == kT0);
  CHECK(r.dump.connections[0].configuration == "{ iceServers: [], iceTransportPolicy: all }");
  CHECK(r.dump.url == "https://a.example/");
}

TEST_CASE("webrtc-internals: text series read without decoding equal the decoded ones",
          "[webrtc_internals]") {
  // Plain ASCII texts, booleans and null take the direct path; an element with
  // an escape of its own, a non-ASCII one or a number, the general one.
  const std::string t = "[" + std::to_string(kT0) + "," + std::to_string(kT0 + 1000) + "," +
                        std::to_string(kT0 + 2000) + "," + std::to_string(kT0 + 3000) + "]";
  auto series = [](const std::string& name, const std::string& values) {
    return R"("T1-)" + name +
           R"(": {"statsType": "transport", "startTime": "2023-05-01T10:00:00.000Z",
               "endTime": "2023-05-01T10:00:03.000Z", "values": ")" +
           values + R"("},)";
  };
  const Read r = ReadDump(Dump(series("plain", R"([null,\"a-1\",true,\"\"])") +
                               series("escaped", R"([\"a\",\"b\\\\c\",null,\"d\"])") +
                               series("utf8", "[\\\"x\\\",\\\"\xc3\xa9\\\",\\\"y\\\",null]") +
                               series("mixed", R"([\"a\",1,\"b\",2])") +
                               R"("T1-timestamp": {"statsType": "transport",
          "startTime": "2023-05-01T10:00:00.000Z", "endTime": "2023-05-01T10:00:03.000Z",
          "values": ")" + t + R"("})"));
  REQUIRE(r.ok);
  CHECK(r.messages.empty());
  const StatObject& o = Object(r, "T1");
  CHECK(Prop(o, "plain").texts == std::vector<std::string>{"", "a-1", "true", ""});
  CHECK(Prop(o, "escaped").texts == std::vector<std::string>{"a", "b\\c", "", "d"});
  CHECK(Prop(o, "utf8").texts == std::vector<std::string>{"x", "\xc3\xa9", "y", ""});
  CHECK(Prop(o, "mixed").texts == std::vector<std::string>{"a", "", "b", ""});
  CHECK(Prop(o, "mixed").numbers[1] == 1);
  for (const char* name : {"plain", "escaped", "utf8"}) {
    for (double v : Prop(o, name).numbers) CHECK(std::isnan(v));
  }
}

TEST_CASE("webrtc-internals: before Chrome 117 samples are spread between startTime and endTime",
          "[webrtc_internals]") {
  const Read r = ReadDump(Dump(
      R"("IT01A2-packetsLost": {"statsType": "inbound-rtp", "startTime": "2023-05-01T10:00:00.000Z",
           "endTime": "2023-05-01T10:00:04.000Z", "values": "[0,1,2,3,4]"},
         "IT01A2-jitter": {"statsType": "inbound-rtp", "startTime": "2023-05-01T10:00:02.003Z",
           "endTime": "2023-05-01T10:00:04.003Z", "values": "[0.01,0.02,0.03]"})"));
  REQUIRE(r.ok);
  const StatObject& o = Object(r, "IT01A2");
  // The later series' samples (3 ms off) are the same samples, not new ones.
  CHECK(o.times_ms == std::vector<int64_t>{kT0, kT0 + 1000, kT0 + 2000, kT0 + 3000, kT0 + 4000});
  CHECK(Prop(o, "packetsLost").numbers == std::vector<double>{0, 1, 2, 3, 4});
  const StatProperty& jitter = Prop(o, "jitter");
  CHECK(std::isnan(jitter.numbers[1]));
  CHECK(jitter.numbers[2] == 0.01);
  CHECK(jitter.numbers[4] == 0.03);
}

TEST_CASE("webrtc-internals: updateLog entries become typed events", "[webrtc_internals]") {
  const Read r = ReadDump(Dump(
      "", R"({"timestamp": 1682935203000, "type": "connectionstatechange", "value": "\"failed\""},
        {"timestamp": 1682935201000, "type": "iceconnectionstatechange", "value": "\"connected\""},
        {"timestamp": 1682935200500, "type": "createOffer",
         "value": "{\"iceRestart\":true}"},
        {"time": "2023-05-01T10:00:02.000Z", "type": "setRemoteDescriptionOnFailure",
         "value": "OperationError: Failed to parse SessionDescription."},
        {"time": "1682935202500", "type": "addIceCandidateFailed", "value": "sdpMid: 0"},
        {"timestamp": 1682935202600, "type": "icecandidateerror",
         "value": "url: turn:t.example:3478?transport=udp\naddress: 10.0.0.x\nport: 5000\nhost_candidate: 10.0.0.x:5000\nerror_text: TURN allocate request timed out.\nerror_code: 701"},
        {"timestamp": 1682935202700, "type": "signalingstatechange", "value": "stable"},
        {"timestamp": 1682935202800, "type": "transceiverAdded", "value": "mid: null"})"));
  REQUIRE(r.ok);
  const auto& e = r.dump.events;
  REQUIRE(e.size() == 8);
  CHECK(e[0].kind == DumpEventKind::kCreateOffer);
  CHECK(e[0].value == R"({"iceRestart":true})");
  CHECK(e[1].kind == DumpEventKind::kIceConnectionState);
  CHECK(e[1].value == "connected");  // "\"connected\"" in the dump
  CHECK(e[1].connection_id == "1-1");
  CHECK(e[2].kind == DumpEventKind::kSetRemoteDescriptionFailure);
  CHECK(e[2].time_ms == kT0 + 2000);
  CHECK(e[3].kind == DumpEventKind::kAddIceCandidateFailure);
  CHECK(e[3].method == "addIceCandidateFailed");
  CHECK(e[3].time_ms == kT0 + 2500);
  CHECK(e[4].kind == DumpEventKind::kIceCandidateError);
  CHECK(
      e[4].value ==
      R"({"url":"turn:t.example:3478?transport=udp","address":"10.0.0.x","port":5000,)"
      R"("hostCandidate":"10.0.0.x:5000","errorText":"TURN allocate request timed out.","errorCode":701})");
  CHECK(e[5].kind == DumpEventKind::kSignalingState);
  CHECK(e[6].kind == DumpEventKind::kOther);
  CHECK(e[6].method == "transceiverAdded");
  CHECK(e[7].kind == DumpEventKind::kConnectionState);
  CHECK(e[7].value == "failed");
  CHECK(r.dump.start_ms == kT0 + 500);
}

TEST_CASE("webrtc-internals: legacy goog stats and local updateLog times of old Chromes",
          "[webrtc_internals]") {
  const Read r = ReadDump(Dump(
      R"("Conn-audio-1-0-googRtt": {"startTime": "2023-05-01T10:00:00.000Z",
           "endTime": "2023-05-01T10:00:02.000Z", "values": "[40,50,60]"},
         "Conn-audio-1-0-googActiveConnection": {"startTime": "2023-05-01T10:00:00.000Z",
           "endTime": "2023-05-01T10:00:02.000Z", "values": "[\"true\",\"true\",\"false\"]"},
         "ssrc_1234_send-packetsLost": {"startTime": "2023-05-01T10:00:00.000Z",
           "endTime": "2023-05-01T10:00:02.000Z", "values": "[0,0,3]"},
         "ssrc_1234_send-bitsSentPerSecond": {"startTime": "2023-05-01T10:00:00.000Z",
           "endTime": "2023-05-01T10:00:02.000Z", "values": "[0,1,2]"})",
      // Written at UTC+02:00 by toLocaleString(): no zone in the text.
      R"({"time": "5/1/2023, 11:59:59 AM", "type": "iceConnectionStateChange", "value": "checking"},
         {"time": "5/1/2023, 12:00:01 PM", "type": "iceConnectionStateChange", "value": "connected"})"));
  REQUIRE(r.ok);
  CHECK(r.dump.format == StatsFormat::kChromeLegacy);
  const StatObject& conn = Object(r, "Conn-audio-1-0");  // split at the last '-'
  CHECK(conn.type == "googCandidatePair");
  CHECK(Prop(conn, "googRtt").numbers == std::vector<double>{40, 50, 60});
  CHECK(Prop(conn, "googActiveConnection").texts ==
        std::vector<std::string>{"true", "true", "false"});
  const StatObject& ssrc = Object(r, "ssrc_1234_send");
  CHECK(ssrc.type == "ssrc");
  CHECK(ssrc.Find("bitsSentPerSecond") == nullptr);
  REQUIRE(r.dump.events.size() == 2);
  CHECK(r.dump.events[0].kind == DumpEventKind::kIceConnectionState);
  CHECK(r.dump.events[0].time_ms == kT0 - 1000);
  CHECK(r.dump.events[1].time_ms == kT0 + 1000);
  CHECK(HasMessage(r, InputMessage::Level::kInfo, "UTC+02:00"));
  CHECK(r.dump.start_ms == kT0 - 1000);
}

TEST_CASE("webrtc-internals: a series at Chrome's 1000-sample cap marks the dump truncated",
          "[webrtc_internals]") {
  const auto one = [](int n) {
    return ReadDump(Dump(R"("T01-bytesReceived": {"statsType": "transport",
        "startTime": "2023-05-01T10:00:00.000Z", "endTime": "2023-05-01T10:16:39.000Z",
        "values": ")" + Numbers(n) +
                         "\"}"));
  };
  const Read capped = one(1000);
  REQUIRE(capped.ok);
  CHECK(capped.dump.truncated);
  CHECK(Object(capped, "T01").times_ms.size() == 1000);
  CHECK(Object(capped, "T01").times_ms.back() == kT0 + 999000);
  const Read under = one(999);
  REQUIRE(under.ok);
  CHECK_FALSE(under.dump.truncated);
}

TEST_CASE("webrtc-internals: getUserMedia and getDisplayMedia failures", "[webrtc_internals]") {
  const Read r = ReadDump(R"({"getUserMedia": [
      {"origin": "https://a.example", "pid": 1, "request_id": 3, "request_type": "getDisplayMedia",
       "rid": 2, "timestamp": 1682935200000.5, "video": "{}"},
      {"pid": 1, "request_id": 3, "request_type": "getDisplayMedia", "rid": 2,
       "timestamp": 1682935201000, "error": "NotAllowedError", "error_message": "Permission denied"}],
    "PeerConnections": {}, "UserAgent": "Chrome/140"})");
  REQUIRE(r.ok);
  REQUIRE(r.dump.events.size() == 2);
  CHECK(r.dump.events[0].kind == DumpEventKind::kGetUserMedia);
  CHECK(r.dump.events[0].display);
  const DumpEvent& failure = r.dump.events[1];
  CHECK(failure.kind == DumpEventKind::kGetUserMediaFailure);
  CHECK(failure.method == "getDisplayMedia");
  CHECK(failure.display);
  CHECK(failure.value == "NotAllowedError: Permission denied");
  CHECK(failure.time_ms == kT0 + 1000);
}

TEST_CASE("webrtc-internals: damaged series are repaired with a warning", "[webrtc_internals]") {
  const std::string ts = "[" + std::to_string(kT0) + "," + std::to_string(kT0 + 2000) + "," +
                         std::to_string(kT0 + 1000) + "," + std::to_string(kT0 + 3000) + "]";
  const Read r = ReadDump(Dump(
      R"("CP1-bytesSent": {"statsType": "candidate-pair", "startTime": "2023-05-01T10:00:00.000Z",
           "endTime": "2023-05-01T10:00:01.000Z", "values": "[1,2,"},
         "CP1-state": {"statsType": "candidate-pair", "startTime": "2023-05-01T10:00:00.000Z",
           "endTime": "2023-05-01T10:00:01.000Z", "values": "{\"a\":1}"},
         "CP1-currentRoundTripTime": {"statsType": "candidate-pair",
           "startTime": "2023-05-01T10:00:00.000Z", "endTime": "2023-05-01T10:00:01.000Z",
           "values": "[0.1,0.2]"},
         "OT2-timestamp": {"statsType": "outbound-rtp", "values": ")" +
      ts + R"("},
         "OT2-packetsSent": {"statsType": "outbound-rtp", "values": "[10,20,15,30]"},
         "OT2-framesSent": {"statsType": "outbound-rtp", "values": "[]"},
         "OT2-nackCount": {"statsType": "outbound-rtp", "values": "[1,2,3,4,5,6]"},
         "OT2-nackCount": {"statsType": "outbound-rtp", "values": "[7,7,7,7]"})"));
  REQUIRE(r.ok);
  CHECK(HasMessage(r, InputMessage::Level::kWarning, "not a JSON array",
                   "/stats/CP1-bytesSent/values"));
  CHECK(
      HasMessage(r, InputMessage::Level::kWarning, "not a JSON array", "/stats/CP1-state/values"));
  const StatObject& cp = Object(r, "CP1");
  CHECK(cp.Find("bytesSent") == nullptr);
  CHECK(cp.Find("state") == nullptr);
  CHECK(Prop(cp, "currentRoundTripTime").numbers == std::vector<double>{0.1, 0.2});
  // The timestamp that steps backwards goes, with its samples.
  CHECK(HasMessage(r, InputMessage::Level::kWarning, "step backwards", "/stats/OT2-timestamp"));
  const StatObject& ot = Object(r, "OT2");
  CHECK(ot.times_ms == std::vector<int64_t>{kT0, kT0 + 2000, kT0 + 3000});
  CHECK(Prop(ot, "packetsSent").numbers == std::vector<double>{10, 20, 30});
  CHECK(ot.Find("framesSent") == nullptr);  // a series without values is no property
  // More values than timestamps: the first ones have no time.
  CHECK(HasMessage(r, InputMessage::Level::kWarning, "before the object's first timestamp"));
  CHECK(Prop(ot, "nackCount").numbers == std::vector<double>{3, 4, 6});
  // A key given twice: the first is kept.
  CHECK(HasMessage(r, InputMessage::Level::kWarning, "appears twice", "/stats/OT2-nackCount"));
  CHECK(ot.properties.size() == 2);
}

TEST_CASE("webrtc-internals: what is not a dump, or is damaged, is refused with its place",
          "[webrtc_internals]") {
  Read r = ReadDump(R"({"UserAgent": "Chrome/120", "getUserMedia": []})");
  CHECK_FALSE(r.ok);
  CHECK(HasMessage(r, InputMessage::Level::kError, "no PeerConnections"));
  r = ReadDump("[1, 2]");
  CHECK_FALSE(r.ok);
  CHECK(HasMessage(r, InputMessage::Level::kError, "JSON object with PeerConnections"));
  r = ReadDump(R"({"PeerConnections": {"1-1": {"updateLog": [{"type": "createOffer",)"
               "\n"
               R"(      "value": }]}}})");
  CHECK_FALSE(r.ok);
  REQUIRE(r.messages.size() == 1);
  CHECK(r.messages[0].line == 2);
  CHECK(r.messages[0].pointer == "/PeerConnections/1-1/updateLog/0/value");
  r = ReadDump(R"({"PeerConnections": {"1-1": {"stats": []}}})");
  CHECK_FALSE(r.ok);
  CHECK(HasMessage(r, InputMessage::Level::kError, "stats must be an object",
                   "/PeerConnections/1-1/stats"));
  // Nesting deeper than the cap, inside a part that is skipped.
  std::string deep =
      R"({"PeerConnections": {}, "x": )" + std::string(100, '[') + std::string(100, ']') + "}";
  r = ReadDump(deep);
  CHECK_FALSE(r.ok);
  CHECK(HasMessage(r, InputMessage::Level::kError, "nesting"));
}

TEST_CASE("webrtc-internals: derived series are skipped, checked as JSON all the same",
          "[webrtc_internals]") {
  const auto dump = [](const std::string& derived) {
    return R"({"PeerConnections": {"1-1": {"stats": {"OT1-[bytesSent_in_bits/s]": )" + derived +
           R"(, "OT1-bytesSent": {"statsType": "outbound-rtp", "startTime": "2023-05-01T10:00:00.000Z",
           "endTime": "2023-05-01T10:00:01.000Z", "values": "[1,2]"}}}}})";
  };
  // Plain (Chrome's own), with white space, with another escape, not an object:
  // skipped, the next series read.
  for (const std::string& derived :
       {std::string(R"({"statsType":"outbound-rtp","values":"[8,\"x\"]"})"),
        std::string(R"( { "values" : "[1]" , "endTime" : "\u0041" } )"), std::string("[1,{}]"),
        std::string("{}")}) {
    INFO(derived);
    const Read r = ReadDump(dump(derived));
    REQUIRE(r.ok);
    REQUIRE(r.dump.connections.size() == 1);
    REQUIRE(r.dump.connections[0].stats.size() == 1);
    const ingest::StatObject& o = r.dump.connections[0].stats[0];
    CHECK(o.Find("[bytesSent_in_bits/s]") == nullptr);
    REQUIRE(o.Find("bytesSent") != nullptr);
    CHECK(o.Find("bytesSent")->numbers == std::vector<double>{1, 2});
  }
  // Damaged inside: refused.
  for (const std::string& derived :
       {std::string(R"({"values":"[1]",})"), std::string(R"({"values" "[1]"})"),
        std::string("{\"values\":\"\x01\"}"), std::string(R"({"values":"[1]")")}) {
    INFO(derived);
    const Read r = ReadDump(dump(derived));
    CHECK_FALSE(r.ok);
    CHECK(HasMessage(r, InputMessage::Level::kError, ""));
  }
}

TEST_CASE("webrtc-internals: the fuzz seeds, one per layout, read as their layouts say",
          "[webrtc_internals]") {
  const std::string dir = CALLSIGHT_SOURCE_DIR "/tests/fuzz/seeds/webrtc-internals/";
  const Read legacy = ReadDump(testing::ReadFile(dir + "chrome-legacy.json"));
  REQUIRE(legacy.ok);
  CHECK(legacy.dump.format == StatsFormat::kChromeLegacy);
  CHECK(legacy.dump.connections[0].constraints == "{optional: [{googIPv6: true}]}");
  // US, German and Japanese toLocaleString() texts, all at UTC+02:00.
  std::vector<int64_t> times;
  for (const DumpEvent& e : legacy.dump.events) {
    if (!e.connection_id.empty()) times.push_back(e.time_ms);
  }
  CHECK(times == std::vector<int64_t>{kT0 - 1000, kT0 + 1000, kT0 + 2000});
  CHECK(legacy.dump.events.back().kind == DumpEventKind::kClose);
  // A getUserMedia entry without a timestamp sits at the dump's start.
  CHECK(
      HasMessage(legacy, InputMessage::Level::kWarning, "no usable timestamp", "/getUserMedia/0"));
  CHECK(legacy.dump.events[0].kind == DumpEventKind::kGetUserMedia);
  CHECK(legacy.dump.events[0].time_ms == legacy.dump.start_ms);

  const Read modern = ReadDump(testing::ReadFile(dir + "chrome-117.json"));
  REQUIRE(modern.ok);
  CHECK(modern.messages.empty());
  CHECK(modern.dump.format == StatsFormat::kChromeStandard);
  CHECK(modern.dump.start_ms == kT0 - 1000);  // the first getUserMedia entry
  REQUIRE(modern.dump.connections.size() == 1);
  CHECK(modern.dump.connections[0].stats.size() == 2);
  int failures = 0;
  for (const DumpEvent& e : modern.dump.events) {
    failures += e.kind == DumpEventKind::kGetUserMediaFailure ||
                e.kind == DumpEventKind::kSetRemoteDescriptionFailure;
  }
  CHECK(failures == 2);
}

TEST_CASE("webrtc-internals: a series with values given twice keeps the last",
          "[webrtc_internals]") {
  const Read r = ReadDump(Dump(
      R"("CP1-state": {"statsType": "candidate-pair", "startTime": "2023-05-01T10:00:00.000Z",
           "endTime": "2023-05-01T10:00:02.000Z", "values": "[\"a\",\"b\"]", "values": "[0,1,2]"})"));
  REQUIRE(r.ok);
  const StatProperty& state = Prop(Object(r, "CP1"), "state");
  CHECK(state.numbers == std::vector<double>{0, 1, 2});
  CHECK(state.texts.empty());
}

TEST_CASE("webrtc-internals: many series, parsed in many tasks, keep their values and messages",
          "[webrtc_internals]") {
  // 3 objects x 20 properties: numbers, plain texts, texts that must be
  // decoded first; one series with bad values, one whose values are given
  // twice (the first bad), one key given twice. ReadDump reads on one thread
  // and on three.
  const std::string ts = "[" + std::to_string(kT0) + "," + std::to_string(kT0 + 1000) + "," +
                         std::to_string(kT0 + 2000) + "," + std::to_string(kT0 + 3000) + "]";
  const auto series = [](const std::string& key, const std::string& values) {
    return "\"" + key + R"(": {"statsType": "outbound-rtp", "values": ")" + values + "\"},\n";
  };
  std::string stats;
  for (int o = 0; o < 3; ++o) {
    const std::string id = "OT" + std::to_string(o);
    stats += series(id + "-timestamp", ts);
    for (int p = 0; p < 20; ++p) {
      const std::string name = "p" + std::to_string(p);
      if (o == 1 && p == 5) {
        stats += series(id + "-" + name, "[1,2,");
      } else if (o == 0 && p == 9) {
        stats += "\"" + id + "-" + name + R"(": {"values": "[1,", "values": "[9,9,9,9]"},)" + "\n";
      } else if (p % 3 == 0) {
        stats += series(id + "-" + name, Numbers(4, 100 * o + p));
      } else if (p % 3 == 1) {
        stats += series(id + "-" + name, R"([\"a)" + name + R"(\",null,true,\"b\"])");
      } else {
        stats += series(id + "-" + name, R"([\"x\\\\)" + name + R"(\",\"\\u00e9\",null,\"y\"])");
      }
    }
  }
  stats += series("OT2-p7", "[7,7,7,7]");
  stats.erase(stats.size() - 2);  // the last ",\n"
  const Read r = ReadDump(Dump(stats));
  REQUIRE(r.ok);
  REQUIRE(r.messages.size() == 3);
  CHECK(r.messages[0].pointer == "/PeerConnections/1-1/stats/OT0-p9/values");
  CHECK(r.messages[0].text.find("not a JSON array") != std::string::npos);
  CHECK(r.messages[1].pointer == "/PeerConnections/1-1/stats/OT1-p5/values");
  CHECK(r.messages[1].text.find("not a JSON array") != std::string::npos);
  CHECK(r.messages[2].pointer == "/PeerConnections/1-1/stats/OT2-p7");
  CHECK(r.messages[2].text.find("appears twice") != std::string::npos);
  REQUIRE(r.dump.connections.size() == 1);
  REQUIRE(r.dump.connections[0].stats.size() == 3);
  for (int o = 0; o < 3; ++o) {
    INFO(o);
    const StatObject& obj = Object(r, "OT" + std::to_string(o));
    CHECK(obj.times_ms == std::vector<int64_t>{kT0, kT0 + 1000, kT0 + 2000, kT0 + 3000});
    CHECK(obj.properties.size() == (o == 1 ? 19u : 20u));
    CHECK(Prop(obj, "p3").numbers ==
          std::vector<double>{100.0 * o + 3, 100.0 * o + 4, 100.0 * o + 5, 100.0 * o + 6});
    CHECK(Prop(obj, "p4").texts == std::vector<std::string>{"ap4", "", "true", "b"});
    CHECK(Prop(obj, "p8").texts == std::vector<std::string>{"x\\p8", "\xc3\xa9", "", "y"});
    CHECK(Prop(obj, "p7").texts == std::vector<std::string>{"ap7", "", "true", "b"});
  }
  CHECK(Object(r, "OT1").Find("p5") == nullptr);
  CHECK(Prop(Object(r, "OT0"), "p9").numbers == std::vector<double>{9, 9, 9, 9});
}

TEST_CASE("webrtc-internals: a dump broken inside its stats says the warnings before the break",
          "[webrtc_internals]") {
  const Read r = ReadDump(Dump(
      R"("OT1-a": {"statsType": "outbound-rtp", "values": "[1,2,"},
         "nodash": {},
         "OT1-b": {"statsType": "outbound-rtp", "values": "[1,2]"},
         "OT1-b": {"statsType": "outbound-rtp", "values": "[3,4]"},
         "OT1-c": {"values": 5, "values": "[1,2]", "values": {}, "statsType": })"));
  CHECK_FALSE(r.ok);
  REQUIRE(r.messages.size() == 6);
  const std::string base = "/PeerConnections/1-1/stats/";
  CHECK(r.messages[0].pointer == base + "OT1-a/values");
  CHECK(r.messages[1].pointer == base + "nodash");
  CHECK(r.messages[1].text.find("not \"<statsId>-<property>\"") != std::string::npos);
  CHECK(r.messages[2].pointer == base + "OT1-b");
  CHECK(r.messages[2].text.find("appears twice") != std::string::npos);
  CHECK(r.messages[3].pointer == base + "OT1-c/values");
  CHECK(r.messages[3].text.find("neither a string nor an array") != std::string::npos);
  CHECK(r.messages[4].pointer == base + "OT1-c/values");
  CHECK(r.messages[4].text.find("neither a string nor an array") != std::string::npos);
  CHECK(r.messages[5].level == InputMessage::Level::kError);
  CHECK(r.messages[5].pointer == base + "OT1-c/statsType");
}

// Every input the fuzzer broke the reader with (tests/fuzz/regressions/
// fuzz_webrtc_internals/), read again: each is specified here, and a file
// without its expectation fails.
TEST_CASE("webrtc-internals: fuzz regressions", "[webrtc_internals][fuzz]") {
  struct Expected {
    const char* file;
    bool ok;
    const char* words;  // in the first error when refused
  };
  // Values given twice, once as text and once as numbers, wrote past a
  // property's end; the dump is then refused for its broken last string.
  const Expected kExpected[] = {{"values-given-twice.json", false, "expected ',' or '}'"}};
  const std::string dir = CALLSIGHT_SOURCE_DIR "/tests/fuzz/regressions/fuzz_webrtc_internals/";
  size_t files = 0;
  for (const std::string& f : testing::ListDir(dir)) {
    if (f[0] == '.') continue;
    ++files;
    INFO(f);
    const Expected* x = nullptr;
    for (const Expected& e : kExpected) {
      if (f == e.file) x = &e;
    }
    REQUIRE(x != nullptr);
    const Read r = ReadDump(testing::ReadFile(dir + f));
    CHECK(r.ok == x->ok);
    if (!x->ok) {
      REQUIRE_FALSE(r.messages.empty());
      CHECK(r.messages.back().level == InputMessage::Level::kError);
      CHECK(r.messages.back().text.find(x->words) != std::string::npos);
    }
  }
  CHECK(files == sizeof kExpected / sizeof kExpected[0]);
}

TEST_CASE("webrtc-internals: three connections read the same on one thread and on several",
          "[webrtc_internals][parallel]") {
  std::string connections;
  for (int c = 0; c < 3; ++c) {
    std::string stats;
    for (int o = 0; o < 4; ++o) {
      const std::string id = "IT" + std::to_string(o);
      stats += "\"" + id + "-timestamp\": {\"statsType\": \"inbound-rtp\", \"values\": \"" +
               Numbers(50, static_cast<int>(kT0 / 1000)) + "\"},\n";
      for (int p = 0; p < 12; ++p) {
        const std::string values = p % 2 ? Numbers(50, c * 100 + p)
                                         : std::string(R"([\"t)") + std::to_string(p) + R"(\"])";
        stats += "\"" + id + "-p" + std::to_string(p) +
                 "\": {\"statsType\": \"inbound-rtp\", \"values\": \"" + values + "\"},\n";
      }
    }
    stats.erase(stats.size() - 2);
    connections += (c ? ",\n" : "") + std::string("\"1-") + std::to_string(c) +
                   R"(": {"pid": 7, "url": "https://a.example/", "updateLog": [], "stats": {)" +
                   stats + "}}";
  }
  const std::string dump =
      R"({"getUserMedia": [], "PeerConnections": {)" + connections + R"(}, "UserAgent": "x"})";
  const Read r = ReadDump(dump);  // one thread, and three
  REQUIRE(r.ok);
  REQUIRE(r.dump.connections.size() == 3);
  for (const int threads : {2, 4}) {
    StatsDump d;
    std::vector<InputMessage> m;
    REQUIRE(ingest::ReadWebrtcInternalsDump(dump, {kDepth, threads}, &d, &m));
    CHECK(testing::DumpDigest(d, m) == testing::DumpDigest(r.dump, r.messages));
  }
}
