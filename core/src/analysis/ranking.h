// What a reader sees first: the worst peers in one order, the top issues,
// per-meeting summaries, users with several peer ids, and the verdict. The
// report and the page show these as they are; neither ranks on its own.
#ifndef CALLSIGHT_ANALYSIS_RANKING_H_
#define CALLSIGHT_ANALYSIS_RANKING_H_

#include <cstddef>
#include <optional>
#include <vector>

#include "callsight/analysis.h"
#include "callsight/model.h"

namespace callsight::analysis {

// At most `limit` of `candidates` (indices into issues), the worst first:
// critical before warning before info, then the longer, then the earlier.
std::vector<size_t> RankIssues(const std::vector<Issue>& issues, std::vector<size_t> candidates,
                               size_t limit);

// Of `candidates` (indices into issues), the worst (as RankIssues orders
// them) that has a sender -> receiver pair (Issue::pair); none without one.
std::optional<size_t> TopPairIssue(const std::vector<Issue>& issues,
                                   const std::vector<size_t>& candidates);

// Every peer with a problem, the worst first. The reason orders the groups
// (own issues, then own error events without an issue, then affected by other
// peers' issues, then CQS below 3); within a group: the worst own severity,
// then the time its own issues of that severity cover, then more own issues,
// then more error events, then the lower CQS (unknown last), then more issues
// of others suffered, then the peer id. Needs the issues, peers and error events.
std::vector<RankedPeer> RankPeers(const Session& session, const SessionAnalysis& sa);

// The verdict from the issues, the error events and sa.worst_peers.
Verdict JudgeSession(const Session& session, const SessionAnalysis& sa);

// Fills each meeting's summary (issue counts, top issues, worst peers). An
// issue belongs to the meetings its time overlaps, or, overlapping none, to
// the nearest one. A ranked peer is among a meeting's worst peers when one of
// that meeting's issues is its own or affected it, or it had an error event
// there (by the same rule), or, ranked for its CQS alone, it was present.
// Needs sa.issues, sa.error_events and sa.worst_peers.
void SummarizeMeetings(const Session& session, SessionAnalysis* sa);

// The session's users (non-empty user_id) with their peer ids, by first peer.
std::vector<UserPeers> GroupUsers(const Session& session);

}  // namespace callsight::analysis

#endif  // CALLSIGHT_ANALYSIS_RANKING_H_
