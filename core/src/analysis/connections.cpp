// Issues from a browser dump's peer connections (Peer::connections): how the
// media travelled (a TURN relay, TCP) and how the connection was set up (slow
// ICE, ICE restarts). docs/DETECTIONS.md, "Peer connections", gives the rules.
#include <string>
#include <vector>

#include "analysis/internal.h"

namespace callsight::analysis {
namespace {

// ICE checks normally connect within a second; from this long the call's
// start is noticeably late.
constexpr int64_t kSlowSetupMs = 3000;

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

void AddSetupIssues(const Peer& peer, const Connection& c, std::vector<Issue>* issues) {
  if (!c.connected_ms) return;
  if (const auto setup = c.setup_ms(); setup && *setup >= kSlowSetupMs) {
    Issue is = ConnectionIssue(IssueCode::kSlowSetup, Severity::kWarning, peer, c, *c.checking_ms);
    is.end_ms = *c.connected_ms;
    is.mean = static_cast<double>(*setup);
    is.threshold = static_cast<double>(kSlowSetupMs);
    issues->push_back(std::move(is));
  }
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
