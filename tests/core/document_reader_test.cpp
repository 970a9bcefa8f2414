// The small-document reader (core/src/ingest/document_reader.cpp): what each
// kind of document contributes to a Fragment, and the messages it gives, at
// their place in the file.
#include "ingest/document_reader.h"

#include <catch2/catch.hpp>
#include <string>

#include "ingest/rfc3339.h"

using namespace callsight;
using ingest::DocumentResult;
using ingest::FactSource;
using ingest::Fragment;

namespace {

struct Read {
  DocumentResult result;
  Fragment frag;
};

Read ReadDoc(const std::string& json, const std::string& prefix = "") {
  Read r;
  r.result = ingest::ReadSmallDocument(json, 32, prefix, "doc.json", &r.frag);
  return r;
}

int64_t At(const char* rfc3339) { return *ParseRfc3339(rfc3339); }

// The only message of a read, which must be an error.
InputMessage OnlyError(const Read& r) {
  REQUIRE(r.result.messages.size() == 1);
  CHECK(r.result.messages[0].level == InputMessage::Level::kError);
  CHECK_FALSE(r.result.ok());
  return r.result.messages[0];
}

}  // namespace

TEST_CASE("a session document gives its session and its peers", "[document-reader]") {
  Read r = ReadDoc(R"({"id":"s1","room_id":"r1","created_at":"2024-07-01T08:00:00Z","peers":{
      "p1":{"name":"Ann","role":"host","user":"u1","joined_at":"2024-07-01T08:00:02Z",
            "left_at":"2024-07-01T08:09:56Z"},
      "p2":{"peer_id":"other","joined_at":"0001-01-01T00:00:00Z","left_at":null}}})");
  CHECK(r.result.ok());
  CHECK(r.result.kind == InputKind::kSession);
  REQUIRE(r.frag.sessions.size() == 1);
  CHECK(r.frag.sessions[0].session_id == "s1");
  CHECK(r.frag.sessions[0].room_id == "r1");
  CHECK(r.frag.sessions[0].start_ms == At("2024-07-01T08:00:00Z"));
  CHECK_FALSE(r.frag.sessions[0].end_ms);
  REQUIRE(r.frag.peers.size() == 2);
  const ingest::PeerFact& ann = r.frag.peers[0];
  CHECK(ann.peer_id == "p1");  // no id: the member's key
  CHECK(ann.session_id == "s1");
  CHECK(ann.source == FactSource::kSession);
  CHECK(ann.info.name == "Ann");
  CHECK(ann.info.user_id == "u1");  // "user" when there is no user_id
  CHECK(ann.info.joined_ms == At("2024-07-01T08:00:02Z"));
  CHECK(ann.info.left_ms == At("2024-07-01T08:09:56Z"));
  const ingest::PeerFact& other = r.frag.peers[1];
  CHECK(other.peer_id == "other");    // peer_id before the key
  CHECK_FALSE(other.info.joined_ms);  // Go's zero time: not set
  CHECK_FALSE(other.info.left_ms);
}

TEST_CASE("a session list gives each session; an empty one warns", "[document-reader]") {
  Read r =
      ReadDoc(R"({"limit":10,"data":[{"id":"s1","peers":[{"id":"p1"}]},{"id":"s2","peers":{}}]})");
  CHECK(r.result.ok());
  CHECK(r.result.kind == InputKind::kSessionList);
  REQUIRE(r.frag.sessions.size() == 2);
  CHECK(r.frag.sessions[1].session_id == "s2");
  REQUIRE(r.frag.peers.size() == 1);
  CHECK(r.frag.peers[0].session_id == "s1");

  Read empty = ReadDoc(R"({"limit":10,"last":"","data":null})", "/4");
  CHECK(empty.result.kind == InputKind::kSessionList);
  REQUIRE(empty.result.messages.size() == 1);
  CHECK(empty.result.messages[0].level == InputMessage::Level::kWarning);
  CHECK(empty.result.messages[0].pointer == "/4/data");
  CHECK(empty.result.messages[0].text == "the session list is empty");
  CHECK(empty.result.ok());  // a warning keeps the document
}

TEST_CASE("an events page gives events, peer facts and what failed", "[document-reader]") {
  Read r = ReadDoc(R"({"limit":3,"events":[
    {"id":"e1","timestamp":"2024-07-01T08:00:05Z","type":"peer.join.success",
     "data":{"session_id":"s1","room_id":"r1","peer_id":"p1","user_name":"Ann","role":"guest",
             "joined_at":"2024-07-01T08:00:04Z",
             "agent":{"sdk":"web","device_model":"Samsung_mobile/Chrome_125.0.1"}}},
    {"id":"e2","timestamp":"2024-07-01T08:01:00Z","type":"Client.Publish.Failed",
     "data":{"session_id":"s1","peer_id":"p1","error_code":4005,"error_message":"no camera",
             "is_terminal":true,"action":"PUBLISH"}}]})");
  CHECK(r.result.ok());
  CHECK(r.result.kind == InputKind::kAnalyticsEvents);
  REQUIRE(r.frag.events.size() == 2);
  const Event& join = r.frag.events[0].event;
  CHECK(r.frag.events[0].event_id == "e1");
  CHECK(join.time_ms == At("2024-07-01T08:00:05Z"));
  CHECK(join.source == "doc.json");
  CHECK(join.role == "guest");
  CHECK_FALSE(join.is_error);
  CHECK_FALSE(join.uninterpreted);
  const Event& failure = r.frag.events[1].event;
  CHECK(failure.type == "Client.Publish.Failed");  // as written
  CHECK(failure.failed == FailedOperation::kPublish);
  CHECK(failure.is_error);
  CHECK(failure.error_code == "4005");  // a numeric code, as its text
  CHECK(failure.error_message == "no camera");
  CHECK(failure.is_terminal);
  CHECK(failure.terminal_given);
  CHECK(failure.action == "PUBLISH");
  // Each event with a peer_id gives a peer fact; the join its time and agent.
  REQUIRE(r.frag.peers.size() == 2);
  const PeerInfo& ann = r.frag.peers[0].info;
  CHECK(r.frag.peers[0].source == FactSource::kEvent);
  CHECK(ann.name == "Ann");
  CHECK(ann.joined_ms == At("2024-07-01T08:00:04Z"));
  CHECK(ann.browser == "Chrome");  // after the device, on a phone
  CHECK(ann.browser_version == "125.0.1");
  // Every event with a session_id names its session.
  CHECK(r.frag.sessions.size() == 2);
}

TEST_CASE("events: no usable time is left out with a warning; unused types noted once",
          "[document-reader]") {
  Read r = ReadDoc(R"({"events":[
    {"type":"peer.join.success","data":{"session_id":"s1","peer_id":"p1"}},
    {"timestamp":"2024-07-01T08:00:05Z","type":"role.change.success","data":{}},
    {"timestamp":"2024-07-01T08:00:06Z","type":"ROLE.change.success","data":{}}]})");
  CHECK(r.result.ok());
  REQUIRE(r.result.messages.size() == 2);
  CHECK(r.result.messages[0].level == InputMessage::Level::kWarning);
  CHECK(r.result.messages[0].pointer == "/events/0");
  CHECK(r.result.messages[0].text.find("has no usable timestamp") != std::string::npos);
  CHECK(r.result.messages[1].level == InputMessage::Level::kInfo);
  CHECK(r.result.messages[1].pointer == "/events/1");
  REQUIRE(r.frag.events.size() == 2);
  CHECK(r.frag.events[0].event.uninterpreted);
  CHECK(r.frag.events[1].event.uninterpreted);
}

TEST_CASE("a webhook is read by its envelope; a history page as deliveries", "[document-reader]") {
  Read hook = ReadDoc(R"({"version":"2.0","id":"w1","timestamp":"2024-07-01T08:00:00Z",
    "type":"peer.leave.success","data":{"session_id":"s1","peer_id":"p1",
    "left_at":"2024-07-01T08:05:00Z","reason":"Websocket Closed"}})");
  CHECK(hook.result.ok());
  CHECK(hook.result.kind == InputKind::kWebhookEvents);
  REQUIRE(hook.frag.peers.size() == 1);
  CHECK(hook.frag.peers[0].source == FactSource::kWebhook);
  CHECK(hook.frag.peers[0].info.end_reason_kind == LeaveReason::kWebsocketClosed);
  REQUIRE(hook.frag.events.size() == 1);
  CHECK(hook.frag.events[0].event.leave_reason_raw == "Websocket Closed");

  Read history = ReadDoc(R"({"pagination":{},"events":[{"event_id":"d1","event_name":
    "reporter.webhook.delivery.failed","event_timestamp":"2024-07-01T08:00:00Z","room_id":"r1",
    "payload":{"original_event_name":"peer.join.success","error_reason":"timeout",
    "event_data":{"session_id":"s1","peer_id":"p1"}}}]})");
  CHECK(history.result.kind == InputKind::kWebhookHistory);
  REQUIRE(history.frag.events.size() == 1);
  const Event& e = history.frag.events[0].event;
  REQUIRE(e.delivery);
  CHECK(e.delivery->failed);
  CHECK(e.delivery->original_type == "peer.join.success");
  CHECK(e.delivery->error_reason == "timeout");
  CHECK(history.frag.peers.empty());  // a delivery says nothing of presence
}

TEST_CASE("document errors name the place under the document's prefix", "[document-reader]") {
  InputMessage m = OnlyError(ReadDoc(R"({"id":"s1","peers":{"p1":{"name":["Ann"]}}})", "/2"));
  CHECK(m.pointer == "/2/peers/p1/name");
  CHECK(m.text == "name must be a string, not an array");

  m = OnlyError(ReadDoc(R"({"id":"s1","created_at":"yesterday","peers":{}})"));
  CHECK(m.pointer == "/created_at");
  CHECK(m.text == "created_at \"yesterday\" is not an RFC 3339 time");

  m = OnlyError(ReadDoc(R"({"id":"s1","peers":{"a/b":{"name":1.5}}})"));
  CHECK(m.pointer == "/peers/a~1b/name");  // the key escaped as RFC 6901 says

  m = OnlyError(ReadDoc(R"({"events":[{"timestamp":"2024-07-01T08:00:00Z"}]})"));
  CHECK(m.pointer == "/events/0");
  CHECK(m.text == "the event has no type");

  m = OnlyError(ReadDoc(R"({"id":"s1","peers":{}} x)"));
  CHECK(m.text.rfind("the document is not valid JSON", 0) == 0);

  m = OnlyError(ReadDoc("[]"));
  CHECK(m.text == "expected an object, found an array");
}

TEST_CASE("foreign documents are rejected by what they are", "[document-reader]") {
  InputMessage m = OnlyError(ReadDoc(R"({"PeerConnections":{},"UserAgent":"x"})"));
  CHECK(m.text.rfind("this is a Chrome webrtc-internals dump, not a 100ms export; ", 0) == 0);
  CHECK(m.text.find(ingest::kWhatCallsightReads) != std::string::npos);

  m = OnlyError(ReadDoc(R"({"type":"peer.join.success","data":{}})"));
  CHECK(m.text.find("without 100ms's webhook envelope") != std::string::npos);
  CHECK(m.text.find("its type is \"peer.join.success\"") != std::string::npos);

  m = OnlyError(ReadDoc(R"({"a":1,"b":2})"));
  CHECK(m.text.rfind("not a 100ms export callsight knows (an object with keys: a, b); ", 0) == 0);
}
