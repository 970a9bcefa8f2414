// Issue titles, details and advice (core/src/report/issue_text.cpp) from
// hand-made issues: the words follow the typed facts.
#include "report/issue_text.h"

#include <catch2/catch.hpp>

#include "report/error_text.h"

using namespace callsight;

namespace {

constexpr int64_t kT0 = 1718119862480;  // 15:31:02 UTC

Session TwoPeers() {
  Session s;
  Peer ines;
  ines.peer_id = "p-ines";
  ines.info.name = "Ines";
  Peer jonas;
  jonas.peer_id = "p-jonas";  // no name: the id stands in
  s.peers = {ines, jonas};
  return s;
}

Issue BreachIssue(IssueCode code, BreachMetric metric, Path path) {
  Issue is;
  is.code = code;
  is.metric = metric;
  is.severity = Severity::kCritical;
  is.peer_id = "p-ines";
  is.direction = path;
  is.start_ms = kT0;
  is.end_ms = kT0 + 110000;
  is.kinds = {MediaKind::kVideo, MediaKind::kAudio};
  is.breaches = {0};
  return is;
}

// An error event of Ines at kT0 named `name`.
Event InesError(const std::string& name) {
  Event e;
  e.time_ms = kT0;
  e.peer_id = "p-ines";
  e.error_name = name;
  return e;
}

// Ines could not connect, from kT0 to end_ms, as the session's events 0..n-1.
Issue InesConnectFailed(int64_t end_ms, size_t n) {
  Issue is;
  is.code = IssueCode::kConnectFailed;
  is.peer_id = "p-ines";
  is.start_ms = kT0;
  is.end_ms = end_ms;
  for (size_t i = 0; i < n; ++i) is.events.push_back(i);
  return is;
}

}  // namespace

TEST_CASE("issue text: figures in the metric's unit, one duration style", "[issue_text]") {
  Issue is = BreachIssue(IssueCode::kHighRtt, BreachMetric::kRtt, Path::kUplink);
  is.peak = 890;
  is.mean = 767.2;
  is.threshold = 500;
  const report::IssueText t = report::DescribeIssue(TwoPeers(), is, report::Clock());
  CHECK(t.title == "High round-trip time on Ines's uplink (up to 890 ms)");
  CHECK(t.detail ==
        "The audio and video Ines sent had round-trip time of 767 ms on average (peak 890 ms) "
        "from 15:31:02 to 15:32:52 (1 min 50 s), above the critical threshold of 500 ms.");
  CHECK(t.advice.find("round trip") != std::string::npos);
}

TEST_CASE("issue text: lower-is-worse metrics, receivers' view, explained peers", "[issue_text]") {
  Issue is =
      BreachIssue(IssueCode::kLowVideoBitrate, BreachMetric::kVideoBitrateTotal, Path::kUplink);
  is.kinds = {MediaKind::kVideo};
  is.measured = Direction::kSubscriber;
  is.peak = 120000;
  is.mean = 150000;
  is.threshold = 200000;
  is.affected_peers = {"p-a", "p-b"};
  const report::IssueText t = report::DescribeIssue(TwoPeers(), is, report::Clock());
  CHECK(t.title == "Low video bitrate on Ines's uplink (down to 120 kbps)");
  CHECK(t.detail.rfind("Receivers of Ines's video saw video bitrate of 150 kbps on average "
                       "(lowest 120 kbps)",
                       0) == 0);
  CHECK(t.detail.find("below the critical threshold of 200 kbps.") != std::string::npos);
  CHECK(t.detail.find("2 participants received the damaged media.") != std::string::npos);
}

TEST_CASE("issue text: downlink, media gaps and stopped layers", "[issue_text]") {
  Issue down =
      BreachIssue(IssueCode::kAudioConcealment, BreachMetric::kConcealment, Path::kDownlink);
  down.peer_id = "p-jonas";
  down.kinds = {MediaKind::kAudio};
  down.measured = Direction::kSubscriber;
  down.peak = down.mean = down.threshold = 12;
  const report::IssueText d = report::DescribeIssue(TwoPeers(), down, report::Clock());
  CHECK(d.title == "Audio concealment on p-jonas's downlink (up to 12.0%)");
  CHECK(d.detail.rfind("The audio p-jonas received had concealed audio", 0) == 0);
  CHECK(d.advice.find("their downlink") != std::string::npos);

  Issue gap = BreachIssue(IssueCode::kMediaGap, BreachMetric::kMediaGap, Path::kDownlink);
  gap.kinds = {MediaKind::kAudio};
  gap.measured = Direction::kSubscriber;
  const report::IssueText g = report::DescribeIssue(TwoPeers(), gap, report::Clock());
  CHECK(g.title == "The audio track of Ines stopped reporting for 1 min 50 s");
  CHECK(g.detail ==
        "No samples from 15:31:02 to 15:32:52 while Ines was still in the call and the sender "
        "kept sending.");

  Issue off = BreachIssue(IssueCode::kSimulcastLayerOff, BreachMetric::kLayerOff, Path::kUplink);
  off.rids = {"f", "h"};
  const report::IssueText o = report::DescribeIssue(TwoPeers(), off, report::Clock());
  CHECK(o.title == "Simulcast layer f, h of Ines's video stopped");
}

TEST_CASE("issue text: event issues name the error and each repeat", "[issue_text]") {
  Session s = TwoPeers();
  Event e = InesError("ICEFailure");
  e.error_code = "4005";
  e.error_message = "ice failed";
  Event again = e;
  again.time_ms = kT0 + 20000;
  s.events = {e, again};
  const Issue is = InesConnectFailed(kT0 + 20000, 2);
  const report::IssueText t = report::DescribeIssue(s, is, report::Clock());
  CHECK(t.title == "Ines could not connect (retried)");
  // The event's own words, then what the SDK code means and who is likely at fault.
  const analysis::ErrorInfo ice = analysis::ClassifyError("4005", "ICEFailure");
  REQUIRE(ice.kind == analysis::ErrorKind::kIceFailure);
  CHECK(t.detail ==
        "At 15:31:02 Ines could not connect: ICEFailure (code 4005): ice failed. The client "
        "retried. It happened again at 15:31:22. " +
            std::string(report::ErrorMeaning(ice)) +
            " Likely cause: " + report::ErrorSideText(ice.side) + ".");
  CHECK(t.advice == report::ErrorAdvice(ice));
  s.events[0].is_terminal = true;
  CHECK(report::DescribeIssue(s, is, report::Clock()).title == "Ines could not connect (gave up)");
}

TEST_CASE("issue text: an error without a name says its message once", "[issue_text]") {
  // A browser dump's setRemoteDescription failure has a message only; 100ms's
  // role error repeats its name as its message. Both were said twice.
  Session s = TwoPeers();
  Event e = InesError("");
  e.error_message = "Failed to parse SessionDescription";
  s.events = {e};
  const Issue is = InesConnectFailed(kT0, 1);
  CHECK(report::DescribeIssue(s, is, report::Clock()).detail ==
        "At 15:31:02 Ines could not connect: Failed to parse SessionDescription. The client "
        "retried.");
  s.events[0].error_code = "409";
  CHECK(report::DescribeIssue(s, is, report::Clock())
            .detail.rfind(
                "At 15:31:02 Ines could not connect: code 409: Failed to parse SessionDescription.",
                0) == 0);
}

TEST_CASE("issue text: a signalling error names each refused step", "[issue_text]") {
  Session s = TwoPeers();
  Event sdp = InesError("");
  sdp.type = "webrtc.set_remote_description_failure";
  sdp.error_message = "Failed to parse SessionDescription (connection 9-2)";
  Event cand = sdp;
  cand.type = "webrtc.add_ice_candidate_failure";
  cand.time_ms = kT0 + 3000;
  s.events = {sdp, cand};
  Issue is = InesConnectFailed(kT0 + 3000, 2);
  is.code = IssueCode::kSignalingError;
  const report::IssueText t = report::DescribeIssue(s, is, report::Clock());
  CHECK(t.title == "Ines's setRemoteDescription failed");
  CHECK(t.detail.rfind("At 15:31:02 Ines's browser refused an offer/answer step: "
                       "setRemoteDescription failed: Failed to parse SessionDescription "
                       "(connection 9-2). It happened again at 15:31:05 (addIceCandidate).",
                       0) == 0);
  CHECK(t.advice.find("perfect-negotiation") != std::string::npos);
  s.events = {cand};
  is.events = {0};
  CHECK(report::DescribeIssue(s, is, report::Clock()).advice.find("Queue candidates") !=
        std::string::npos);
}

TEST_CASE("issue text: a dump's freezes, counted, and which video", "[issue_text]") {
  Issue is;
  is.code = IssueCode::kVideoFreeze;
  is.peer_id = "p-ines";
  is.direction = Path::kDownlink;
  is.start_ms = kT0;
  is.end_ms = kT0 + 14000;
  is.mean = 0.7;
  is.peak = 0.24;
  is.threshold = 5;
  is.track_ids = {"cam-1"};
  is.detection = DetectionFigures{};
  is.detection->samples = 3;  // the browser's freezeCount over the run
  const report::IssueText t = report::DescribeIssue(TwoPeers(), is, report::Clock());
  CHECK(t.title == "Video froze 3 times (0.7 s in all) on Ines's downlink");
  // Its sender's dump is not here: the track says which video it was.
  CHECK(t.detail.rfind("The video Ines received from its sender (track cam-1) froze 3 times, 0.7 "
                       "s in all, from 15:31:02 to 15:31:16",
                       0) == 0);
  is.detection->samples = 1;
  is.mean = 6.2;
  CHECK(report::DescribeIssue(TwoPeers(), is, report::Clock()).title ==
        "Video froze for 6.2 s on Ines's downlink");
}

TEST_CASE("issue text: a browser dump's disconnect says when it reconnected", "[issue_text]") {
  Session s = TwoPeers();
  Event e = InesError("disconnected");
  e.recovered_ms = e.time_ms + 4000;
  s.events = {e};
  const Issue is = InesConnectFailed(e.time_ms, 1);
  CHECK(report::DescribeIssue(s, is, report::Clock())
            .detail.find("It was connected again at 15:31:06, after 4 s.") != std::string::npos);
  s.events[0].recovered_ms.reset();
  CHECK(report::DescribeIssue(s, is, report::Clock()).detail.find("connected again") ==
        std::string::npos);
}

TEST_CASE("issue text: an error code nobody knows keeps the generic advice", "[issue_text]") {
  Session s = TwoPeers();
  s.events = {InesError("SomethingNew")};
  const Issue is = InesConnectFailed(kT0, 1);
  const report::IssueText t = report::DescribeIssue(s, is, report::Clock());
  CHECK(t.detail == "At 15:31:02 Ines could not connect: SomethingNew. The client retried.");
  CHECK(t.advice.find("firewalls") != std::string::npos);
}

TEST_CASE("issue text: a slow setup says which step was slow and by how much", "[issue_text]") {
  Session s = TwoPeers();
  Issue is;
  is.code = IssueCode::kSlowSetup;
  is.peer_id = "p-ines";
  is.connection_id = "PC_0";
  is.start_ms = kT0;
  is.end_ms = kT0 + 1500;
  is.mean = 1500;
  is.threshold = 1000;
  is.setup_step = SetupStep::kDtls;
  report::IssueText t = report::DescribeIssue(s, is, report::Clock());
  CHECK(t.title == "Ines's DTLS handshake took 1.5 s");
  CHECK(t.detail.find("ICE connected at 15:31:02") != std::string::npos);
  CHECK(t.detail.find("slow from 1.0 s") != std::string::npos);
  CHECK(t.advice.find("DTLS") != std::string::npos);

  is.setup_step = SetupStep::kFirstFrame;
  is.track_ids = {"cam-of-jonas"};
  is.mean = is.threshold = 4000;
  is.end_ms = kT0 + 4000;
  t = report::DescribeIssue(s, is, report::Clock());
  CHECK(t.title == "The first video frame Ines received came 4.0 s late");
  CHECK(t.detail.find("cam-of-jonas") != std::string::npos);
  CHECK(t.advice.find("key frame") != std::string::npos);

  is.setup_step = SetupStep::kIce;
  t = report::DescribeIssue(s, is, report::Clock());
  CHECK(t.title == "Ines's connection took 4 s to connect");
  CHECK(t.detail.find("ICE checks") != std::string::npos);
}

TEST_CASE("issue text: periodic jitter-buffer flushes give the count and the cadence",
          "[issue_text]") {
  Session s = TwoPeers();
  Issue is;
  is.code = IssueCode::kPeriodicJitterBufferFlushes;
  is.peer_id = "p-ines";
  is.direction = Path::kDownlink;
  is.start_ms = kT0;
  is.end_ms = kT0 + 16000;
  is.mean = 5;
  is.peak = 4.5;
  is.threshold = 3;
  is.detection = DetectionFigures{};
  is.detection->baseline = 4;
  is.detection->peers = {"p-jonas"};
  const report::IssueText t = report::DescribeIssue(s, is, report::Clock());
  CHECK(t.title == "Ines's audio jitter buffer was flushed every 4.0 s");
  CHECK(t.detail.find("from p-jonas") != std::string::npos);
  CHECK(t.detail.find("flushed 5 times") != std::string::npos);
  CHECK(t.detail.find("at most 4.5 s apart") != std::string::npos);
  CHECK(t.advice.find("NetEq") != std::string::npos);
}

TEST_CASE("issue text: cpu pressure says encoding or decoding, how busy, per frame",
          "[issue_text]") {
  Session s = TwoPeers();
  Issue is;
  is.code = IssueCode::kCpuPressure;
  is.peer_id = "p-ines";
  is.direction = Path::kNone;
  is.measured = Direction::kPublisher;
  is.kinds = {MediaKind::kVideo};
  is.start_ms = kT0;
  is.end_ms = kT0 + 15000;
  is.mean = 93.4;
  is.peak = 120;
  is.threshold = 85;
  is.detection = DetectionFigures{};
  is.detection->baseline = 31;
  report::IssueText t = report::DescribeIssue(s, is, report::Clock());
  CHECK(t.title == "Ines's browser was short of CPU encoding the video it sent (93% of the time)");
  CHECK(t.detail.find("up to 120%") != std::string::npos);
  CHECK(t.detail.find("about 31 ms per frame") != std::string::npos);
  CHECK(t.detail.find("above 85% for 10 s") != std::string::npos);
  CHECK(t.advice.find("hardware encoding") != std::string::npos);
  is.measured = Direction::kSubscriber;
  is.detection->peers = {"p-jonas"};
  is.detection->baseline = kUnset;
  t = report::DescribeIssue(s, is, report::Clock());
  CHECK(t.title ==
        "Ines's browser was short of CPU decoding the video it received from p-jonas (93% of "
        "the time)");
  CHECK(t.detail.find("per frame") == std::string::npos);  // no frame rate known
  CHECK(t.advice.find("hardware decoding") != std::string::npos);
}

TEST_CASE("issue text: an ICE server error is explained by its code, either spelling",
          "[issue_text]") {
  Session s = TwoPeers();
  Event e = InesError("");
  e.type = "webrtc.ice_candidate_error";
  // Chrome's own dumps write error_code / error_text.
  e.error_message =
      R"({"url":"turn:turn.example.com:3478?transport=udp","address":"192.0.2.x","port":5000,)"
      R"("error_text":"Unauthorized","error_code":401} (connection 9-1))";
  s.events = {e};
  Issue is = InesConnectFailed(kT0, 1);
  is.code = IssueCode::kIceCandidateError;
  is.severity = Severity::kWarning;
  report::IssueText t = report::DescribeIssue(s, is, report::Clock());
  CHECK(t.title ==
        "Ines could not use an ICE server (turn:turn.example.com:3478?transport=udp: error 401, "
        "Unauthorized)");
  CHECK(t.detail.find("refused the credentials") != std::string::npos);
  CHECK(t.detail.find("192.0.2") == std::string::npos);  // the local address is left out
  CHECK(t.advice.find("time-limited") != std::string::npos);
  // rtcstats writes the API's errorCode / errorText; 701 is the browser's own.
  s.events[0].error_message =
      R"({"url":"stun:stun.invalid:3478","errorCode":701,"errorText":"STUN host lookup received error."})";
  t = report::DescribeIssue(s, is, report::Clock());
  CHECK(t.title ==
        "Ines could not use an ICE server (stun:stun.invalid:3478: error 701, STUN host lookup "
        "received error)");
  CHECK(t.detail.find("never answered") != std::string::npos);
  CHECK(t.advice.find("turns:") != std::string::npos);
  s.events[0].error_message = R"({"url":"turn:t","errorCode":508})";
  CHECK(report::DescribeIssue(s, is, report::Clock()).detail.find("Insufficient Capacity") !=
        std::string::npos);
  s.events[0].error_message = R"({"url":"turn:t","errorCode":499})";
  CHECK(report::DescribeIssue(s, is, report::Clock()).detail.find("refused the request") !=
        std::string::npos);
}

TEST_CASE("issue text: a connection DTLS failed names DTLS and what to check", "[issue_text]") {
  Session s = TwoPeers();
  Event e = InesError(kDtlsFailedName);
  e.error_message = "on connection 9-1";
  e.is_terminal = true;
  s.events = {e};
  Issue is = InesConnectFailed(kT0, 1);
  is.code = IssueCode::kDisconnected;
  const report::IssueText t = report::DescribeIssue(s, is, report::Clock());
  CHECK(t.detail.rfind("At 15:31:02 Ines", 0) == 0);
  CHECK(t.detail.find("dtlsState failed: on connection 9-1") != std::string::npos);
  CHECK(t.detail.find("DTLS handshake") != std::string::npos);
  CHECK(t.advice.find("a=fingerprint") != std::string::npos);
  s.events[0].error_name = "connectionState failed";
  CHECK(report::DescribeIssue(s, is, report::Clock()).advice.find("fingerprint") ==
        std::string::npos);
}
