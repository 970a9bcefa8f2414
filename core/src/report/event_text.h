// The words of the event log: what an input event says, and the events the
// analysis derives (breach start and end, a simulcast layer off and on). The
// model and the analysis keep typed facts; this is where they become text.
#ifndef CALLSIGHT_REPORT_EVENT_TEXT_H_
#define CALLSIGHT_REPORT_EVENT_TEXT_H_

#include <string>

#include "callsight/analysis.h"
#include "callsight/model.h"
#include "report/report_util.h"

namespace callsight::report {

// A short line for an input event: "joined as host", "left: websocket closed",
// "muted screen video track", "publish failed: ICEFailure (4005) ... [retried]",
// "webhook peer.join.success not delivered: timeout"; the type itself for
// an event callsight does not interpret.
std::string DescribeEvent(const Event& e);

// A short line for an entry of a session's event log: DescribeEvent of its
// input event, or the words of a derived event ("Packet loss reached the
// warning level on the audio it sends", "simulcast layer h of the video it
// sends stopped": "it" is the entry's peer, whose name the log shows beside
// it; a received stream names its sender when known, looked up in `peers`:
// IndexPeers(session)). Empty when its index is
// out of range.
std::string DescribeLogEvent(const Session& session, const SessionAnalysis& analysis,
                             const PeerIndex& peers, const LogEvent& e);

}  // namespace callsight::report

#endif  // CALLSIGHT_REPORT_EVENT_TEXT_H_
