// The model's vocabulary and event identity (core/src/model.cpp).
#include "callsight/model.h"

#include <catch2/catch.hpp>
#include <string>

using namespace callsight;

TEST_CASE("names of the vocabulary have one table", "[model]") {
  CHECK(std::string(FailedOperationName(FailedOperation::kJoin)) == "join");
  CHECK(std::string(FailedOperationName(FailedOperation::kConnection)) == "connection");
  CHECK(LeaveReasonFromText("Client Request") == LeaveReason::kClientRequest);
  CHECK(LeaveReasonFromText("ICE CONNECTION STATE CLOSED") ==
        LeaveReason::kIceConnectionStateClosed);
  CHECK(LeaveReasonFromText("server removed peer") == LeaveReason::kServerRemovedPeer);
  CHECK(LeaveReasonFromText("peer kicked") == LeaveReason::kPeerKicked);
  CHECK(LeaveReasonFromText("something else") == LeaveReason::kOther);
  CHECK(LeaveReasonFromText("") == LeaveReason::kNone);
  CHECK(std::string(LeaveReasonName(LeaveReason::kWebsocketClosed)) == "websocket closed");
  Event e;
  e.type = "Track.Add.SUCCESS";
  CHECK(EventTypeIs(e, "track.add.success"));
  CHECK_FALSE(EventTypeIs(e, "track.add"));
}

TEST_CASE("metric names are the export's and read back", "[model]") {
  CHECK(std::string(MetricName(Metric::kPacketLoss)) == "packet_loss_percent");
  CHECK(std::string(MetricName(Metric::kConcealedSamples)) == "concealed_samples");
  for (int m = 0; m < kMetricCount; ++m) {
    const Metric metric = static_cast<Metric>(m);
    CHECK(MetricFromName(MetricName(metric)) == metric);
  }
  CHECK_FALSE(MetricFromName("Bitrate"));  // the export's names are exact
  CHECK_FALSE(MetricFromName("freeze_rate"));
  CHECK(std::string(DirectionName(Direction::kSubscriber)) == "subscriber");
  CHECK(std::string(MediaKindName(MediaKind::kScreen)) == "screen");
  CHECK(std::string(UnattachedWhyName(UnattachedWhy::kNoSessionOfRoom)) == "no_session_of_room");
  for (int r = 1; r <= static_cast<int>(LeaveReason::kServerRemovedPeer); ++r) {
    const LeaveReason reason = static_cast<LeaveReason>(r);
    CHECK(LeaveReasonFromText(LeaveReasonName(reason)) == reason);
  }
}

TEST_CASE("events: the same content from two inputs is one event", "[model]") {
  Event a;
  a.time_ms = 1000;
  a.peer_id = "p1";
  a.type = "client.join.failed";
  a.error_code = "4005";
  a.source = "events.json";
  Event b = a;
  b.source = "webhooks.ndjson";  // the input file is no part of what it says
  CHECK(SameEventContent(a, b));
  CHECK_FALSE(EventContentLess(a, b));
  CHECK_FALSE(EventContentLess(b, a));

  Event later = a;
  later.time_ms = 2000;
  later.peer_id = "a-first-peer";
  CHECK(EventContentLess(a, later));  // time first
  CHECK_FALSE(EventContentLess(later, a));

  Event other = a;
  other.error_message = "timeout";
  CHECK_FALSE(SameEventContent(a, other));
  CHECK(EventContentLess(a, other) != EventContentLess(other, a));

  Event delivered = a, failed = a;
  delivered.delivery = WebhookDelivery{};
  failed.delivery = WebhookDelivery{};
  failed.delivery->failed = true;
  CHECK_FALSE(SameEventContent(delivered, failed));
  CHECK(SameEventContent(a, delivered));  // no delivery facts: as an empty delivery

  Event muted = a;
  muted.mute = false;
  CHECK_FALSE(SameEventContent(a, muted));  // said "unmuted" is not "said nothing"
}
