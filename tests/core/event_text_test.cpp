// The words of the event log (core/src/report/event_text.cpp): what each
// input event and each derived entry says.
#include "report/event_text.h"

#include <catch2/catch.hpp>
#include <string>

using namespace callsight;
using report::DescribeEvent;
using report::DescribeLogEvent;

namespace {

Event Typed(const char* type) {
  Event e;
  e.type = type;
  return e;
}

}  // namespace

TEST_CASE("event text: presence, session and track events in words", "[event-text]") {
  Event join = Typed("PEER.JOIN.SUCCESS");  // the vocabulary in any case
  CHECK(DescribeEvent(join) == "joined");
  join.role = "host";
  CHECK(DescribeEvent(join) == "joined as host");
  Event leave = Typed("peer.leave.success");
  CHECK(DescribeEvent(leave) == "left");
  leave.leave_reason_raw = "Websocket Closed";
  CHECK(DescribeEvent(leave) == "left: Websocket Closed");  // the reason as written
  CHECK(DescribeEvent(Typed("session.open.success")) == "session started");
  CHECK(DescribeEvent(Typed("session.close.success")) == "session ended");

  Event add = Typed("track.add.success");
  CHECK(DescribeEvent(add) == "started track");
  add.track_type = "video";
  add.track_source = "screen";
  CHECK(DescribeEvent(add) == "started screen video track");
  add.track_source = "Regular";  // a camera or microphone goes unsaid
  CHECK(DescribeEvent(add) == "started video track");
  Event update = Typed("track.update.success");
  update.track_type = "audio";
  CHECK(DescribeEvent(update) == "updated audio track");
  update.mute = true;
  CHECK(DescribeEvent(update) == "muted audio track");
  update.mute = false;
  CHECK(DescribeEvent(update) == "unmuted audio track");
  Event removed = Typed("track.remove.success");
  CHECK(DescribeEvent(removed) == "stopped track");
  // A type callsight does not interpret is its own description.
  CHECK(DescribeEvent(Typed("role.change.success")) == "role.change.success");
}

TEST_CASE("event text: a failure says what failed, its error and whether it was final",
          "[event-text]") {
  Event e = Typed("client.publish.failed");
  e.is_error = true;
  e.failed = FailedOperation::kPublish;
  CHECK(DescribeEvent(e) == "publish failed");
  e.error_name = "NotAllowedError";
  e.error_code = "3001";
  e.error_message = "camera blocked";
  CHECK(DescribeEvent(e) == "publish failed: NotAllowedError (3001) camera blocked");
  e.terminal_given = true;
  CHECK(DescribeEvent(e) == "publish failed: NotAllowedError (3001) camera blocked [retried]");
  e.is_terminal = true;
  CHECK(DescribeEvent(e) == "publish failed: NotAllowedError (3001) camera blocked [terminal]");

  Event dropped = Typed("client.disconnected");
  dropped.is_error = true;
  dropped.failed = FailedOperation::kConnection;
  CHECK(DescribeEvent(dropped) == "disconnected");
  Event other = Typed("recording.failed");
  other.is_error = true;
  other.failed = FailedOperation::kOther;
  other.error_code = "500";
  CHECK(DescribeEvent(other) == "recording.failed (500)");
}

TEST_CASE("event text: webhook deliveries", "[event-text]") {
  Event e = Typed("reporter.webhook.delivery.failed");
  e.delivery = WebhookDelivery{};
  e.delivery->original_type = "peer.join.success";
  CHECK(DescribeEvent(e) == "webhook peer.join.success delivered");  // not the entry's name
  e.delivery->failed = true;
  CHECK(DescribeEvent(e) == "webhook peer.join.success not delivered");
  e.delivery->error_reason = "timeout";
  CHECK(DescribeEvent(e) == "webhook peer.join.success not delivered: timeout");
}

TEST_CASE("event text: log entries, input and derived", "[event-text]") {
  Session s;
  s.events = {Typed("session.open.success")};
  SessionAnalysis a;
  Breach loss;
  loss.metric = BreachMetric::kPacketLoss;
  loss.severity = Severity::kCritical;
  loss.kind = MediaKind::kAudio;
  loss.track_id = "a1";
  Breach layer;
  layer.metric = BreachMetric::kLayerOff;
  layer.kind = MediaKind::kVideo;
  layer.rid = "h";
  layer.track_id = "v1";
  // A received track names its sender.
  Peer sender;
  sender.peer_id = "snd";
  sender.info.name = "Aisha Khan";
  Peer receiver;
  receiver.peer_id = "rcv";
  receiver.tracks.push_back(Track{"a2", Direction::kSubscriber, MediaKind::kAudio, "snd", {}});
  s.peers = {sender, receiver};
  Breach received = loss;
  received.peer_id = "rcv";
  received.track_id = "a2";
  received.direction = Direction::kSubscriber;
  received.severity = Severity::kWarning;
  a.breaches = {loss, layer, received};

  LogEvent input;
  input.event = 0;
  CHECK(DescribeLogEvent(s, a, report::IndexPeers(s), input) == "session started");
  input.event = 1;  // out of range: no words
  CHECK(DescribeLogEvent(s, a, report::IndexPeers(s), input).empty());

  LogEvent derived;
  derived.derived = true;
  derived.type = "breach.start";
  derived.breach = 0;
  CHECK(DescribeLogEvent(s, a, report::IndexPeers(s), derived) ==
        "Packet loss reached the critical level on the audio it sends");
  derived.breach = 1;
  derived.type = "layer.off";
  CHECK(DescribeLogEvent(s, a, report::IndexPeers(s), derived) ==
        "simulcast layer h of the video it sends stopped");
  derived.type = "layer.on";
  CHECK(DescribeLogEvent(s, a, report::IndexPeers(s), derived) ==
        "simulcast layer h of the video it sends is sending again");
  derived.breach = 2;
  derived.type = "breach.end";
  CHECK(DescribeLogEvent(s, a, report::IndexPeers(s), derived) ==
        "Packet loss back from the warning level on the audio it receives from Aisha Khan");
  received.track_id = "unknown";  // a track the peer does not list: no sender named
  a.breaches[2] = received;
  CHECK(DescribeLogEvent(s, a, report::IndexPeers(s), derived) ==
        "Packet loss back from the warning level on the audio it receives");
  derived.breach = 3;
  CHECK(DescribeLogEvent(s, a, report::IndexPeers(s), derived).empty());
}
