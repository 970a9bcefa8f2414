// The platform's vocabulary as 100ms writes it (core/src/ingest/): event types
// and reasons in any case, events without session_id, the webhook-history
// shape, strict kind detection and foreign formats, presence intervals.
#include <algorithm>
#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "callsight/analysis.h"
#include "callsight/config.h"
#include "callsight/engine.h"
#include "callsight/ingest.h"
#include "callsight/report.h"
#include "core/test_util.h"
#include "ingest/rfc3339.h"

using namespace callsight;
using testing::Ingest;
using testing::Messages;
using testing::Run;
using json = nlohmann::json;

namespace {

// A webhook event with 100ms's envelope; `data` is the inside of its data object.
std::string Hook(const std::string& id, const std::string& time, const std::string& type,
                 const std::string& data) {
  return R"({"version":"2.0","id":")" + id + R"(","timestamp":")" + time + R"(","type":")" + type +
         R"(","data":{)" + data + "}}";
}

// A peer.join.success line of `peer` in session s1, room r1, joined at `at`.
std::string JoinHook(const std::string& id, const std::string& peer, const std::string& at) {
  return Hook(id, at, "peer.join.success",
              R"("session_id":"s1","room_id":"r1","peer_id":")" + peer + R"(","joined_at":")" + at +
                  R"(")") +
         "\n";
}

// A peer.leave.success line of `peer` in s1/r1, joined at `joined`, left at
// `left`, with its reason when one is given.
std::string LeaveHook(const std::string& id, const std::string& peer, const std::string& joined,
                      const std::string& left, const std::string& reason = "") {
  const std::string why = reason.empty() ? "" : R"(,"reason":")" + reason + R"(")";
  return Hook(id, left, "peer.leave.success",
              R"("session_id":"s1","room_id":"r1","peer_id":")" + peer + R"(","joined_at":")" +
                  joined + R"(","left_at":")" + left + R"(")" + why) +
         "\n";
}

// A one-track peer-stats document of session s1, room r1, from t0 for n samples.
std::string Stats(const std::string& peer, long long t0, int n) {
  std::string ts, v;
  for (int i = 0; i < n; ++i) {
    ts += (i ? "," : "") + std::to_string(t0 + i * 10000LL);
    v += i ? ",1" : "1";
  }
  return R"({"peer_id":")" + peer +
         R"(","session_id":"s1","room_id":"r1","publisher":{"audio":[{"track_id":"a-)" + peer +
         R"(","time_series":{"timestamps":[)" + ts + R"(],"bitrate":[)" + v + "]}}]}}";
}

const Session* FindSession(const SessionSet& m, const std::string& id) {
  for (const Session& s : m.sessions) {
    if (s.session_id == id) return &s;
  }
  return nullptr;
}

std::vector<std::string> IssueCodes(const SessionAnalysis& sa, const std::string& peer) {
  std::vector<std::string> codes;
  for (const Issue& is : sa.issues) {
    if (is.peer_id == peer) codes.push_back(IssueCodeName(is.code));
  }
  std::sort(codes.begin(), codes.end());
  return codes;
}

// 2023-11-14T22:13:20Z
constexpr long long kT0 = 1700000000000LL;

}  // namespace

TEST_CASE("what failed comes from the event type, in any case; action kept as written",
          "[ingest][vocabulary]") {
  const std::string page =
      R"({"limit":3,"events":[)" +
      Hook(
          "e1", "2023-11-14T22:13:30Z", "client.publish.failed",
          R"("session_id":"s1","room_id":"r1","peer_id":"p1","action":"PUBLISH","error_code":4006,"is_terminal":false)") +
      "," +
      Hook(
          "e2", "2023-11-14T22:13:40Z", "CLIENT.Subscribe.FAILED",
          R"("session_id":"s1","room_id":"r1","peer_id":"p1","action":"SUBSCRIBE","error_code":4006)") +
      "," +
      Hook(
          "e3", "2023-11-14T22:13:50Z", "Peer.Leave.Success",
          R"("session_id":"s1","room_id":"r1","peer_id":"p2","joined_at":"2023-11-14T22:13:20Z","left_at":"2023-11-14T22:13:50Z","reason":"WebSocket Closed")") +
      "]}";
  Run r = Ingest({{"page.json", page}, {"p1.json", Stats("p1", kT0, 6)}});
  INFO(Messages(r.reports[0]));
  REQUIRE(r.reports[0].status == InputStatus::kOk);
  REQUIRE(r.model.sessions.size() == 1);
  const Session& s = r.model.sessions[0];
  REQUIRE(s.events.size() == 3);
  CHECK(s.events[0].failed == FailedOperation::kPublish);
  CHECK(s.events[0].action == "PUBLISH");
  CHECK(s.events[1].failed == FailedOperation::kSubscribe);
  CHECK(s.events[1].type == "CLIENT.Subscribe.FAILED");  // kept as written
  CHECK(s.events[2].leave_reason == LeaveReason::kWebsocketClosed);
  CHECK(s.events[2].leave_reason_raw == "WebSocket Closed");
  CHECK_FALSE(s.events[2].is_error);

  const Analysis a = Analyze(r.model, Config{});
  const SessionAnalysis& sa = a.sessions[0];
  CHECK(IssueCodes(sa, "p1") == std::vector<std::string>{"publish_failed", "subscribe_failed"});
  CHECK(IssueCodes(sa, "p2") == std::vector<std::string>{"disconnected"});
  CHECK(sa.failure_rates.at("publish").failures == 1);
  CHECK(sa.failure_rates.at("subscribe").failures == 1);
}

TEST_CASE("peer-stats vocabulary in any case: track type and rids", "[ingest][vocabulary]") {
  const std::string doc =
      R"({"peer_id":"p1","session_id":"s1","room_id":"r1","publisher":{"video":[)"
      R"({"track_id":"v1","type":"SCREEN","rid":"L","time_series":{"timestamps":[1700000000000,1700000010000],"fps":[5,5]}},)"
      R"({"track_id":"v2","type":"Regular","rid":"M","time_series":{"timestamps":[1700000000000,1700000010000],"fps":[15,15]}},)"
      R"({"track_id":"v2","type":"Regular","rid":"H","time_series":{"timestamps":[1700000000000,1700000010000],"fps":[30,30]}}]}})";
  Run r = Ingest({{"p1.json", doc}});
  INFO(Messages(r.reports[0]));
  REQUIRE(r.model.sessions.size() == 1);
  const Peer& p = r.model.sessions[0].peers.at(0);
  REQUIRE(p.tracks.size() == 2);
  const Track& camera = p.tracks[0].track_id == "v2" ? p.tracks[0] : p.tracks[1];
  const Track& screen = p.tracks[0].track_id == "v1" ? p.tracks[0] : p.tracks[1];
  CHECK(screen.kind == MediaKind::kScreen);
  CHECK(camera.kind == MediaKind::kVideo);
  REQUIRE(camera.layers.size() == 2);
  CHECK(camera.layers[0].rid == "h");  // ordered h, m like lower-case rids
  CHECK(camera.layers[1].rid == "m");
}

TEST_CASE("events without session_id join the session of their peer or time, else their room",
          "[ingest][sessionless]") {
  const std::string hooks =
      // Same peer as the peer-stats of s1, an hour later: joins s1 by its peer.
      Hook("h1", "2023-11-14T23:13:20Z", "client.connect.failed",
           R"("room_id":"r1","peer_id":"p1","error_code":4005)") +
      "\n" +
      // Another peer, 5 minutes after s1's last sample: joins s1 by time.
      Hook("h2", "2023-11-14T22:19:10Z", "client.disconnected",
           R"("room_id":"r1","peer_id":"p9","error_code":1003,"is_terminal":true)") +
      "\n" +
      // Another peer, a day later: no session of r1 spans it.
      Hook("h3", "2023-11-15T22:13:20Z", "peer.join.failure",
           R"("room_id":"r1","peer_id":"p8","joined_at":"0001-01-01T00:00:00Z")") +
      "\n" +
      // A room with no session at all.
      Hook("h4", "2023-11-14T22:13:30Z", "client.join.failed",
           R"("room_id":"r2","peer_id":"p7","error_code":500)") +
      "\n";
  // h4 again, as an events page would repeat it: listed once.
  const std::string again = R"({"events":[)" +
                            Hook("h4", "2023-11-14T22:13:30Z", "client.join.failed",
                                 R"("room_id":"r2","peer_id":"p7","error_code":500)") +
                            "]}";
  Run r =
      Ingest({{"hooks.ndjson", hooks}, {"p1.json", Stats("p1", kT0, 25)}, {"again.json", again}});
  INFO(Messages(r.reports[0]));
  REQUIRE(r.reports[0].status == InputStatus::kOk);
  REQUIRE(r.model.sessions.size() == 1);
  const Session& s = r.model.sessions[0];
  std::vector<std::string> peers;
  for (const Event& e : s.events) peers.push_back(e.peer_id);
  CHECK(peers == std::vector<std::string>{"p9", "p1"});
  // The peer of an attached event is in the session, with no presence: it never joined.
  const auto p9 =
      std::find_if(s.peers.begin(), s.peers.end(), [](const Peer& p) { return p.peer_id == "p9"; });
  REQUIRE(p9 != s.peers.end());
  CHECK(p9->presence.empty());

  REQUIRE(r.model.unattached.size() == 2);
  CHECK(r.model.unattached[0].room_id == "r1");
  REQUIRE(r.model.unattached[0].events.size() == 1);
  CHECK(r.model.unattached[0].events[0].event.peer_id == "p8");
  CHECK(r.model.unattached[0].events[0].why == UnattachedWhy::kNoMatch);
  CHECK(r.model.unattached[1].room_id == "r2");
  REQUIRE(r.model.unattached[1].events.size() == 1);
  CHECK(r.model.unattached[1].events[0].why == UnattachedWhy::kNoSessionOfRoom);

  // Room failure rates: the room's sessions plus its unattached failures.
  const Analysis a = Analyze(r.model, Config{});
  REQUIRE(a.rooms.size() == 2);
  CHECK(a.rooms[0].room_id == "r1");
  CHECK(a.rooms[0].failure_rates.at("join").failures == 1);
  CHECK(a.rooms[0].failure_rates.at("connect").failures ==
        a.sessions[0].failure_rates.at("connect").failures);
  CHECK(a.sessions[0].failure_rates.at("connect").failures == 1);
  CHECK(a.rooms[1].failure_rates.at("join").failures == 1);
  CHECK(a.rooms[1].failure_rates.at("join").attempts == 1);
}

TEST_CASE("a session known only from events takes its span from them", "[ingest][sessionless]") {
  const std::string page =
      R"({"events":[)" +
      Hook("e1", "2024-07-17T11:05:59Z", "client.publish.failed",
           R"("session_id":"s5","room_id":"r5","peer_id":"p1","action":"PUBLISH")") +
      "," +
      Hook("e2", "2024-07-17T11:07:59Z", "client.subscribe.failed",
           R"("session_id":"s5","room_id":"r5","peer_id":"p1","action":"SUBSCRIBE")") +
      "]}";
  Run r = Ingest({{"page.json", page}});
  REQUIRE(r.model.sessions.size() == 1);
  const Session& s = r.model.sessions[0];
  REQUIRE(s.start_ms.has_value());
  REQUIRE(s.end_ms.has_value());
  CHECK(*s.start_ms == *ParseRfc3339("2024-07-17T11:05:59Z"));
  CHECK(*s.end_ms == *ParseRfc3339("2024-07-17T11:07:59Z"));
  CHECK(s.peers.at(0).presence.empty());
  CHECK_FALSE(s.peers.at(0).info.joined_ms.has_value());
}

TEST_CASE("the webhook-history page is a delivery log", "[ingest][history]") {
  const std::string page = R"({"events":[
    {"event_id":"d1","event_name":"reporter.webhook.delivery.failed","room_id":"r1",
     "event_timestamp":"2023-11-14T22:14:00Z",
     "payload":{"event_data":{"session_id":"s1","peer_id":"p1","user_id":"u1"},
                "webhook_url":"https://example.com/hook","original_event_name":"peer.join.success",
                "error_reason":"timeout"}},
    {"event_id":"d2","event_name":"reporter.webhook.delivery.failed","room_id":"r1",
     "event_timestamp":"2023-11-14T22:15:00Z",
     "payload":{"event_data":{"session_id":"s1","peer_id":"p2"},
                "original_event_name":"peer.leave.success","error_reason":"connection refused"}},
    {"event_id":"d3","event_name":"reporter.webhook.delivery.success","room_id":"r1",
     "event_timestamp":"2023-11-14T22:16:00Z",
     "payload":{"event_data":{"session_id":"s1"},"original_event_name":"session.close.success"}}],
    "pagination":{"current_page":1,"page_size":50,"total_pages":1,"total_items":3,
                  "has_next":false,"has_prev":false},
    "summary":{"total_events":3}})";
  Engine engine;
  const InputReport& rep = engine.AddFile({"history.json", page});
  INFO(Messages(rep));
  CHECK(rep.kind == InputKind::kWebhookHistory);
  CHECK(std::string(InputKindName(rep.kind)) == "webhook-history");
  REQUIRE(rep.status == InputStatus::kOk);
  engine.Run(Config{});
  const SessionSet& m = engine.model();
  REQUIRE(m.sessions.size() == 1);
  const Session& s = m.sessions[0];
  REQUIRE(s.events.size() == 3);
  REQUIRE(s.events[0].delivery.has_value());
  CHECK(s.events[0].delivery->failed);
  CHECK(s.events[0].delivery->original_type == "peer.join.success");
  CHECK(s.events[0].delivery->error_reason == "timeout");
  CHECK(s.events[0].peer_id == "p1");
  CHECK_FALSE(s.events[2].delivery->failed);
  CHECK_FALSE(s.events[0].is_error);
  // No presence, no peer inferred from deliveries.
  CHECK(s.peers.empty());

  const json report = json::parse(engine.ReportJson());
  const json& d = report["sessions"][0]["webhook_deliveries"];
  CHECK(d["failed"] == 2);
  CHECK(d["delivered"] == 1);
  CHECK(d["failed_by_event"]["peer.join.success"] == 1);
  CHECK(d["failed_by_event"]["peer.leave.success"] == 1);
  CHECK(d["failed_reasons"]["timeout"] == 1);
  CHECK(d["failed_reasons"]["connection refused"] == 1);
  const std::string text = engine.ReportText();
  CHECK(text.find("Webhook deliveries: 2 of 3 failed") != std::string::npos);
}

TEST_CASE("a well-formed 100ms event of an unused type is kept with an info message",
          "[ingest][detect]") {
  const std::string hook =
      Hook("x1", "2023-11-14T22:13:20Z", "role.change.success",
           R"("session_id":"s1","room_id":"r1","peer_id":"p1","role":"guest")");
  Run r = Ingest({{"role.json", hook}});
  const InputReport& rep = r.reports[0];
  CHECK(rep.kind == InputKind::kWebhookEvents);
  CHECK(rep.status == InputStatus::kOk);  // info does not make a file "repaired"
  REQUIRE(rep.messages.size() == 1);
  CHECK(rep.messages[0].level == InputMessage::Level::kInfo);
  CHECK(rep.messages[0].text.find("role.change.success") != std::string::npos);
  CHECK(FormatMessage("role.json", rep.messages[0]).find("info: ") != std::string::npos);
  REQUIRE(r.model.sessions.size() == 1);
  REQUIRE(r.model.sessions[0].events.size() == 1);
  CHECK(r.model.sessions[0].events[0].uninterpreted);
  CHECK(r.model.sessions[0].events[0].type == "role.change.success");
}

// A file rejected by name: what its message says.
struct RejectedCase {
  const char* name;
  std::string bytes;
  const char* says;
};

// Each case's file is rejected alone, its first message saying c.says.
void ExpectRejected(const std::vector<RejectedCase>& cases, bool names_what_callsight_reads) {
  for (const RejectedCase& c : cases) {
    INFO(c.name);
    Run r = Ingest({{c.name, c.bytes}});
    const InputReport& rep = r.reports[0];
    INFO(Messages(rep));
    CHECK(rep.status == InputStatus::kRejected);
    REQUIRE_FALSE(rep.messages.empty());
    CHECK(rep.messages[0].text.find(c.says) != std::string::npos);
    CHECK(rep.messages[0].line >= 1);
    if (names_what_callsight_reads) {
      CHECK(rep.messages[0].text.find("callsight reads") != std::string::npos);
    }
    CHECK(r.model.sessions.empty());
  }
}

TEST_CASE("browser dumps of no call are refused saying what they are", "[ingest][detect]") {
  ExpectRejected(
      {
          {"internals.json", R"({"getUserMedia":[],"PeerConnections":{},"UserAgent":"Chrome"})",
           "a webrtc-internals dump with no peer connection"},
          {"rtcstats3.jsonl",
           "RTCStatsDump\n{\"url\":\"x\",\"fileFormat\":3}\n[\"close\",null,1001,2353]\n",
           "an rtcstats dump with no peer connection"},
      },
      false);
}

TEST_CASE("documents without 100ms's envelope and foreign formats are rejected by name",
          "[ingest][detect]") {
  ExpectRejected(
      {
          {"jitsi.ndjson",
           "{\"statsSessionId\":\"abc\",\"type\":\"stats-entry\",\"data\":{\"x\":1}}\n"
           "{\"statsSessionId\":\"abc\",\"type\":\"identity\",\"data\":{}}\n",
           "Jitsi server stats"},
          {"peermetrics.json", R"({"eventName":"getUserMedia","participant":0,"data":{}})",
           "peermetrics"},
          {"dump.gz", std::string("\x1f\x8b\x08\x00\x00\x00", 6), "gzip"},
          {"shot.png", std::string("\x89PNG\r\n\x1a\n\0\0", 10), "PNG image"},
          {"photo.jpg", std::string("\xff\xd8\xff\xe0", 4), "JPEG image"},
          {"doc.pdf", "%PDF-1.7\n", "PDF document"},
          {"archive.zip", std::string("PK\x03\x04\x14\0", 6), "ZIP archive"},
          {"notes.txt", "session went badly\n", "plain text"},
          {"bare-event.json", R"({"type":"peer.join.success","data":{"peer_id":"p"}})",
           "without 100ms's webhook envelope"},
          {"odd-type.json",
           R"({"version":"2.0","id":"i","timestamp":"2023-11-14T22:13:20Z","type":"stats-entry","data":{}})",
           "without 100ms's webhook envelope"},
      },
      true);
  // The line and pointer of a foreign document inside NDJSON still show.
  const std::string mixed = Hook("a", "2023-11-14T22:13:20Z", "session.open.success",
                                 R"("session_id":"s1","room_id":"r1")") +
                            "\n{\"statsSessionId\":\"abc\",\"type\":\"x\",\"data\":{}}\n";
  Run m = Ingest({{"mixed.ndjson", mixed}});
  REQUIRE_FALSE(m.reports[0].messages.empty());
  CHECK(m.reports[0].messages[0].line == 2);
  CHECK(m.reports[0].messages[0].text.find("Jitsi") != std::string::npos);
}

TEST_CASE("presence: one interval per join/leave pair", "[ingest][presence]") {
  // p1 joins, leaves, joins again 15 minutes later and leaves: two intervals.
  const std::string hooks =
      JoinHook("j1", "p1", "2023-11-14T22:13:20Z") +
      LeaveHook("l1", "p1", "2023-11-14T22:13:20Z", "2023-11-14T22:18:20Z", "client request") +
      JoinHook("j2", "p1", "2023-11-14T22:33:20Z") +
      LeaveHook("l2", "p1", "2023-11-14T22:33:20Z", "2023-11-14T22:40:00Z", "client request") +
      // p2: a join without its leave, then a join again: the first lasts until the second.
      JoinHook("j3", "p2", "2023-11-14T22:14:00Z") + JoinHook("j4", "p2", "2023-11-14T22:20:00Z") +
      LeaveHook("l4", "p2", "2023-11-14T22:20:00Z", "2023-11-14T22:25:00Z");
  Run r = Ingest({{"hooks.ndjson", hooks}});
  INFO(Messages(r.reports[0]));
  const Session* s = FindSession(r.model, "s1");
  REQUIRE(s);
  const auto peer = [&](const std::string& id) {
    return *std::find_if(s->peers.begin(), s->peers.end(),
                         [&](const Peer& p) { return p.peer_id == id; });
  };
  const Peer p1 = peer("p1");
  REQUIRE(p1.presence.size() == 2);
  CHECK(p1.presence[0].start_ms == *ParseRfc3339("2023-11-14T22:13:20Z"));
  CHECK(p1.presence[0].end_ms == *ParseRfc3339("2023-11-14T22:18:20Z"));
  CHECK(p1.presence[1].start_ms == *ParseRfc3339("2023-11-14T22:33:20Z"));
  CHECK(p1.presence[1].end_ms == *ParseRfc3339("2023-11-14T22:40:00Z"));
  CHECK(*p1.info.joined_ms == p1.presence[0].start_ms);
  CHECK(*p1.info.left_ms == p1.presence[1].end_ms);
  // p2's lone join lasts until its next join, which the pair holds: one
  // interval, since they touch.
  const Peer p2 = peer("p2");
  REQUIRE(p2.presence.size() == 1);
  CHECK(p2.presence[0].start_ms == *ParseRfc3339("2023-11-14T22:14:00Z"));
  CHECK(p2.presence[0].end_ms == *ParseRfc3339("2023-11-14T22:25:00Z"));
}

TEST_CASE("presence: a session lists the same peer id twice, two intervals", "[ingest][presence]") {
  const std::string session =
      R"({"id":"s1","room_id":"r1","peers":[)"
      R"({"id":"p1","name":"Ann","joined_at":"2023-11-14T22:13:20Z","left_at":"2023-11-14T22:15:00Z"},)"
      R"({"id":"p1","name":"Ann","joined_at":"2023-11-14T22:30:00Z","left_at":"2023-11-14T22:35:00Z"},)"
      R"({"id":"p2","name":"Bob","joined_at":"2023-11-14T22:14:00Z","left_at":"2023-11-14T22:20:00Z"},)"
      R"({"id":"p2","name":"Bob","joined_at":"2023-11-14T22:19:00Z","left_at":"2023-11-14T22:25:00Z"}]})";
  Run r = Ingest({{"s.json", session}});
  INFO(Messages(r.reports[0]));
  REQUIRE(r.model.sessions.size() == 1);
  const Session& s = r.model.sessions[0];
  REQUIRE(s.peers.size() == 2);
  const Peer& ann = s.peers[0].peer_id == "p1" ? s.peers[0] : s.peers[1];
  const Peer& bob = s.peers[0].peer_id == "p2" ? s.peers[0] : s.peers[1];
  REQUIRE(ann.presence.size() == 2);
  CHECK(ann.presence[1].start_ms == *ParseRfc3339("2023-11-14T22:30:00Z"));
  // Overlapping pairs are one interval.
  REQUIRE(bob.presence.size() == 1);
  CHECK(bob.presence[0].start_ms == *ParseRfc3339("2023-11-14T22:14:00Z"));
  CHECK(bob.presence[0].end_ms == *ParseRfc3339("2023-11-14T22:25:00Z"));
  CHECK(*s.start_ms == *ParseRfc3339("2023-11-14T22:13:20Z"));
  CHECK(*s.end_ms == *ParseRfc3339("2023-11-14T22:35:00Z"));
}

TEST_CASE("a webhook's peer details win over an events page's", "[ingest][vocabulary]") {
  const std::string page =
      R"({"events":[)" +
      Hook("e1", "2023-11-14T22:13:30Z", "client.publish.failed",
           R"("session_id":"s1","room_id":"r1","peer_id":"p1","user_name":"Ann")") +
      "]}";
  const std::string hook = Hook(
      "w1", "2023-11-14T22:13:20Z", "peer.join.success",
      R"("session_id":"s1","room_id":"r1","peer_id":"p1","user_name":"Zed","joined_at":"2023-11-14T22:13:20Z")");
  // Both file orders: the source decides, not the order (nor the names' order).
  for (bool page_first : {true, false}) {
    Run r = page_first ? Ingest({{"page.json", page}, {"hook.json", hook}})
                       : Ingest({{"hook.json", hook}, {"page.json", page}});
    REQUIRE(r.model.sessions.size() == 1);
    CHECK(r.model.sessions[0].peers.at(0).info.name == "Zed");
  }
}

TEST_CASE("a phone's web agent names the browser after the device", "[ingest][vocabulary]") {
  const std::string page =
      R"({"limit":2,"events":[)" +
      Hook(
          "e1", "2023-11-14T22:13:30Z", "client.publish.failed",
          R"("session_id":"s1","room_id":"r1","peer_id":"p1","action":"PUBLISH","error_code":4006,)"
          R"("agent":{"sdk":"web","device_model":"Samsung_mobile/Chrome_125.0.6422.113","os":"web_Android"})") +
      "," +
      Hook(
          "e2", "2023-11-14T22:13:40Z", "client.publish.failed",
          R"("session_id":"s1","room_id":"r1","peer_id":"p2","action":"PUBLISH","error_code":4006,)"
          R"("agent":{"sdk":"web","device_model":"Firefox_118.0"})") +
      "]}";
  Run r = Ingest({{"page.json", page}});
  REQUIRE(r.model.sessions.size() == 1);
  const Session& s = r.model.sessions[0];
  for (const Peer& p : s.peers) {
    INFO(p.peer_id);
    if (p.peer_id == "p1") {
      CHECK(p.info.browser == "Chrome");
      CHECK(p.info.browser_version == "125.0.6422.113");
      CHECK(p.info.device_model == "Samsung_mobile/Chrome_125.0.6422.113");
    } else {
      CHECK(p.info.browser == "Firefox");
      CHECK(p.info.browser_version == "118.0");
    }
  }
}
