// Issues from a browser dump's peer connections (Peer::connections): how the
// media travelled (a TURN relay, TCP) and how the connection was set up (slow
// ICE, DTLS or first frame; ICE restarts). docs/DETECTIONS.md, "Peer connections", gives the rules.
#include <string>
#include <vector>

#include "analysis/internal.h"

namespace callsight::analysis {
namespace {

// ICE checks normally connect within a second; from this long the call's
// start is noticeably late.
constexpr int64_t kSlowSetupMs = 3000;
// The DTLS handshake after ICE takes two round trips and some
// milliseconds of key exchange (DETECTIONS.md has the real dumps' figures);
// from this long its flights were lost and resent, or the path is far.
constexpr int64_t kSlowDtlsMs = 1000;
// A received video's first decoded frame this long after the connection
// connected (or the track arrived) is a noticeably black start.
constexpr int64_t kSlowFirstFrameMs = 3000;

Issue ConnectionIssue(IssueCode code, Severity severity, const Peer& peer, const Connection& c,
                      int64_t at) {
  Issue is;
  is.code = code;
  is.severity = severity;
  is.peer_id = peer.peer_id;
  is.connection_id = c.id;
  is.start_ms = at;
  is.end_ms = at;
  return is;
}

bool OverTcp(const Connection& c) {
  return c.protocol == "tcp" || c.relay_protocol == "tcp" || c.relay_protocol == "tls";
}

// A slow_setup issue of one step that took `took` ms from `start`.
Issue SlowStep(const Peer& peer, const Connection& c, SetupStep step, int64_t start, int64_t took,
               int64_t limit) {
  Issue is = ConnectionIssue(IssueCode::kSlowSetup, Severity::kWarning, peer, c, start);
  is.end_ms = start + took;
  is.mean = static_cast<double>(took);
  is.threshold = static_cast<double>(limit);
  is.setup_step = step;
  return is;
}

// The received videos of the connection whose first frame came late.
void AddFirstFrameIssues(const Peer& peer, const Connection& c, std::vector<Issue>* issues) {
  for (const Track& t : peer.tracks) {
    if (t.connection_id != c.id || t.direction != Direction::kSubscriber ||
        t.kind == MediaKind::kAudio || !t.facts || !t.facts->first_frame_ms ||
        !t.facts->first_frame_at_ms || *t.facts->first_frame_ms < kSlowFirstFrameMs) {
      continue;
    }
    const int64_t took = *t.facts->first_frame_ms;
    Issue is = SlowStep(peer, c, SetupStep::kFirstFrame, *t.facts->first_frame_at_ms - took, took,
                        kSlowFirstFrameMs);
    is.track_ids = {t.track_id};
    is.kinds = {t.kind};
    issues->push_back(std::move(is));
  }
}

void AddSetupIssues(const Peer& peer, const Connection& c, std::vector<Issue>* issues) {
  if (!c.connected_ms) return;
  if (const auto setup = c.setup_ms(); setup && *setup >= kSlowSetupMs) {
    issues->push_back(SlowStep(peer, c, SetupStep::kIce, *c.checking_ms, *setup, kSlowSetupMs));
  }
  if (const auto dtls = c.dtls_ms(); dtls && *dtls >= kSlowDtlsMs) {
    issues->push_back(SlowStep(peer, c, SetupStep::kDtls, *c.connected_ms, *dtls, kSlowDtlsMs));
  }
  AddFirstFrameIssues(peer, c, issues);
  const int64_t at = *c.connected_ms;
  if (c.local_candidate_type == "relay" || c.remote_candidate_type == "relay") {
    issues->push_back(ConnectionIssue(IssueCode::kRelayedConnection, Severity::kInfo, peer, c, at));
  }
  if (OverTcp(c)) {
    issues->push_back(ConnectionIssue(IssueCode::kTcpConnection, Severity::kInfo, peer, c, at));
  }
}

}  // namespace

void AddConnectionIssues(const Session& session, std::vector<Issue>* issues) {
  for (const Peer& peer : session.peers) {
    for (const Connection& c : peer.connections) {
      AddSetupIssues(peer, c, issues);
      if (c.ice_restarts_ms.empty()) continue;
      const int restarts = static_cast<int>(c.ice_restarts_ms.size());
      const bool back = c.ice_restarts_completed >= restarts;
      Issue is =
          ConnectionIssue(IssueCode::kIceRestart, back ? Severity::kInfo : Severity::kWarning, peer,
                          c, c.ice_restarts_ms.front());
      is.end_ms = c.ice_restarts_ms.back();
      is.mean = restarts;
      is.peak = c.ice_restarts_completed;
      issues->push_back(std::move(is));
    }
  }
}

}  // namespace callsight::analysis
