// Small pieces shared by the JSON and the text report.
#ifndef CALLSIGHT_REPORT_REPORT_UTIL_H_
#define CALLSIGHT_REPORT_REPORT_UTIL_H_

#include <cmath>
#include <cstdint>
#include <cstdio>
#include <map>
#include <string>
#include <unordered_map>

#include "callsight/analysis.h"
#include "callsight/model.h"

#ifndef CALLSIGHT_VERSION
#define CALLSIGHT_VERSION "0.0.0"
#endif

namespace callsight::report {

// v rounded to `decimals` places (huge values unchanged); -0 becomes 0.
inline double RoundTo(double v, int decimals) {
  if (!std::isfinite(v) || std::fabs(v) >= 1e15) return v;
  const double scale = std::pow(10.0, decimals);
  return std::round(v * scale) / scale + 0.0;
}

// "a b" when both are given, "a" when only a is, "" when a is empty.
inline std::string JoinNonEmpty(const std::string& a, const std::string& b) {
  if (a.empty()) return "";
  return b.empty() ? a : a + " " + b;
}

inline std::string PeerOs(const PeerInfo& i) { return JoinNonEmpty(i.os, i.os_version); }
inline std::string PeerBrowser(const PeerInfo& i) {
  return JoinNonEmpty(i.browser, i.browser_version);
}
inline std::string PeerSdk(const PeerInfo& i) { return JoinNonEmpty(i.sdk, i.sdk_version); }

// The normalized end reason when analysis gave one, else the raw one.
inline const std::string& EndReason(const PeerAnalysis& pa, const PeerInfo& info) {
  return pa.end_reason.empty() ? info.end_reason : pa.end_reason;
}

// The analysis of session i / peer j, or an empty one when analysis has fewer
// entries than the model (it should not; the report still stays whole).
inline const SessionAnalysis& SessionAnalysisAt(const Analysis& a, size_t i) {
  static const SessionAnalysis kEmpty;
  return i < a.sessions.size() ? a.sessions[i] : kEmpty;
}
inline const PeerAnalysis& PeerAnalysisAt(const SessionAnalysis& sa, size_t j) {
  static const PeerAnalysis kEmpty;
  return j < sa.peers.size() ? sa.peers[j] : kEmpty;
}

// Peers of a session by id, for name look-ups.
using PeerIndex = std::unordered_map<std::string, const Peer*>;
inline PeerIndex IndexPeers(const Session& s) {
  PeerIndex index;
  index.reserve(s.peers.size());
  for (const Peer& p : s.peers) index.emplace(p.peer_id, &p);
  return index;
}
// The peer with this id, or nullptr.
inline const Peer* FindPeer(const PeerIndex& index, const std::string& peer_id) {
  auto it = index.find(peer_id);
  return it == index.end() ? nullptr : it->second;
}

// A session's webhook-history records summed up: failed deliveries mean the
// account's own server missed those webhooks.
struct DeliverySummary {
  int delivered = 0;
  int failed = 0;
  std::map<std::string, int> failed_by_event;  // original event type -> failed deliveries
  std::map<std::string, int> failed_reasons;   // error_reason as written -> count
};
inline DeliverySummary SummarizeDeliveries(const Session& s) {
  DeliverySummary d;
  for (const Event& e : s.events) {
    if (!e.delivery) continue;
    if (!e.delivery->failed) {
      ++d.delivered;
      continue;
    }
    ++d.failed;
    ++d.failed_by_event[e.delivery->original_type];
    ++d.failed_reasons[e.delivery->error_reason];
  }
  return d;
}

}  // namespace callsight::report

#endif  // CALLSIGHT_REPORT_REPORT_UTIL_H_
