#include "report/event_text.h"

#include "report/labels.h"
#include "util/ascii.h"

namespace callsight::report {
namespace {

// "screen video track", "audio track", "track".
std::string TrackWords(const Event& e) {
  const bool plain = e.track_source.empty() || EqualsIgnoringCase(e.track_source, "regular");
  return (plain ? "" : e.track_source + " ") + (e.track_type.empty() ? "" : e.track_type + " ") +
         "track";
}

std::string DescribeFailure(const Event& e) {
  std::string s = e.failed == FailedOperation::kOther
                      ? e.type
                      : std::string(FailedOperationName(e.failed)) + " failed";
  if (e.failed == FailedOperation::kConnection) s = "disconnected";
  if (!e.error_name.empty()) s += ": " + e.error_name;
  if (!e.error_code.empty()) s += " (" + e.error_code + ")";
  if (!e.error_message.empty()) s += " " + e.error_message;
  if (e.terminal_given) s += e.is_terminal ? " [terminal]" : " [retried]";
  return s;
}

std::string DescribeDelivery(const WebhookDelivery& d) {
  const std::string what = d.original_type.empty() ? "a webhook" : d.original_type;
  if (!d.failed) return "webhook " + what + " delivered";
  return "webhook " + what + " not delivered" +
         (d.error_reason.empty() ? "" : ": " + d.error_reason);
}

// "the audio it sends", "the video it receives from Aisha Khan": a breach's
// stream as the event log says it beside the peer's name (the sender named
// when the session knows who sent the track).
std::string StreamWords(const PeerIndex& peers, const Breach& b) {
  const std::string kind = b.kind == MediaKind::kScreen ? "screen share" : MediaKindName(b.kind);
  if (b.direction == Direction::kPublisher) return "the " + kind + " it sends";
  std::string sender;
  if (const Peer* receiver = FindPeer(peers, b.peer_id)) {
    for (const Track& t : receiver->tracks) {
      if (t.track_id == b.track_id && t.direction == b.direction) sender = t.remote_peer_id;
    }
  }
  if (const Peer* p = sender.empty() ? nullptr : FindPeer(peers, sender)) {
    sender = p->info.name.empty() ? "another participant" : p->info.name;
  }
  return "the " + kind + " it receives" + (sender.empty() ? "" : " from " + sender);
}

std::string DescribeDerived(const SessionAnalysis& analysis, const PeerIndex& peers,
                            const LogEvent& e) {
  if (e.breach >= analysis.breaches.size()) return std::string();
  const Breach& b = analysis.breaches[e.breach];
  const std::string stream = StreamWords(peers, b);
  if (b.metric == BreachMetric::kLayerOff) {
    return "simulcast layer " + b.rid + " of " + stream +
           (e.type == "layer.off" ? " stopped" : " is sending again");
  }
  const std::string level = std::string(SeverityName(b.severity)) + " level";
  return std::string(BreachMetricLabel(b.metric)) +
         (e.type == "breach.start" ? " reached the " : " back from the ") + level + " on " + stream;
}

}  // namespace

std::string DescribeEvent(const Event& e) {
  if (e.delivery) return DescribeDelivery(*e.delivery);
  if (EventTypeIs(e, "peer.join.success")) return e.role.empty() ? "joined" : "joined as " + e.role;
  if (EventTypeIs(e, "peer.leave.success")) {
    return e.leave_reason_raw.empty() ? "left" : "left: " + e.leave_reason_raw;
  }
  if (EventTypeIs(e, "session.open.success")) return "session started";
  if (EventTypeIs(e, "session.close.success")) return "session ended";
  if (EventTypeIs(e, "track.add.success")) return "started " + TrackWords(e);
  if (EventTypeIs(e, "track.remove.success")) return "stopped " + TrackWords(e);
  if (EventTypeIs(e, "track.update.success")) {
    if (e.mute) return (*e.mute ? "muted " : "unmuted ") + TrackWords(e);
    return "updated " + TrackWords(e);
  }
  if (e.is_error) return DescribeFailure(e);
  return e.type;
}

std::string DescribeLogEvent(const Session& session, const SessionAnalysis& analysis,
                             const PeerIndex& peers, const LogEvent& e) {
  if (e.derived) return DescribeDerived(analysis, peers, e);
  if (e.event >= session.events.size()) return std::string();
  return DescribeEvent(session.events[e.event]);
}

}  // namespace callsight::report
