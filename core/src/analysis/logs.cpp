// The session's event log (input events plus derived breach and layer events)
// and the error log with failure rates per action.
#include <algorithm>
#include <set>
#include <tuple>

#include "analysis/internal.h"

namespace callsight::analysis {

void BuildLogs(const Session& session, SessionAnalysis* out) {
  std::vector<LogEvent>& log = out->events;
  for (size_t i = 0; i < session.events.size(); ++i) {
    const Event& e = session.events[i];
    LogEvent entry;
    entry.time_ms = e.time_ms;
    entry.peer_id = e.peer_id;
    entry.type = e.type;
    entry.is_error = e.is_error;
    entry.event = i;
    log.push_back(std::move(entry));
    if (e.is_error) out->error_events.push_back(i);
  }
  for (size_t bi = 0; bi < out->breaches.size(); ++bi) {
    const Breach& b = out->breaches[bi];
    const bool layer_off = b.metric == BreachMetric::kLayerOff;
    LogEvent entry;
    entry.peer_id = b.peer_id;
    entry.derived = true;
    entry.breach = bi;
    entry.time_ms = b.start_ms;
    entry.type = layer_off ? "layer.off" : "breach.start";
    log.push_back(entry);
    entry.time_ms = b.end_ms;
    entry.type = layer_off ? "layer.on" : "breach.end";
    log.push_back(std::move(entry));
  }
  std::stable_sort(log.begin(), log.end(), [](const LogEvent& a, const LogEvent& b) {
    return std::tie(a.time_ms, a.derived) < std::tie(b.time_ms, b.derived);
  });

  // Failure rates: failures / attempts, where attempts are the failures plus
  // the successes the inputs show (joined peers, published and received tracks).
  int joined = 0, published = 0, subscribed = 0;
  for (size_t i = 0; i < session.peers.size(); ++i) {
    const Peer& p = session.peers[i];
    if (!p.presence.empty() || !p.tracks.empty()) ++joined;
    published += out->peers[i].published_tracks;
    for (const Track& t : p.tracks) subscribed += t.direction == Direction::kSubscriber;
  }
  std::map<std::string, FailureRate>& rates = out->failure_rates;
  rates["connect"].attempts = joined;
  rates["join"].attempts = joined;
  rates["publish"].attempts = published;
  rates["subscribe"].attempts = subscribed;
  for (size_t i : out->error_events) CountFailure(session.events[i], &rates);
  FinishFailureRates(&rates);
}

void CountFailure(const Event& e, std::map<std::string, FailureRate>* rates) {
  if (!e.is_error) return;
  auto it = rates->find(FailedOperationName(e.failed));
  if (it == rates->end()) return;
  FailureRate& r = it->second;
  ++r.failures;
  ++r.attempts;
  (e.is_terminal ? r.terminal : r.retried)++;
}

void FinishFailureRates(std::map<std::string, FailureRate>* rates) {
  for (auto& [action, r] : *rates) {
    r.rate = r.attempts > 0 ? static_cast<double>(r.failures) / r.attempts : 0;
  }
}

RoomAnalysis AnalyzeRoom(const SessionSet& set, const Analysis& sessions, const RoomEvents& room) {
  RoomAnalysis out;
  out.room_id = room.room_id;
  std::map<std::string, FailureRate>& rates = out.failure_rates;
  for (const char* op : {"connect", "join", "publish", "subscribe"}) rates[op];
  for (size_t s = 0; s < set.sessions.size() && s < sessions.sessions.size(); ++s) {
    if (room.room_id.empty() || set.sessions[s].room_id != room.room_id) continue;
    for (const auto& [op, r] : sessions.sessions[s].failure_rates) {
      FailureRate& to = rates[op];
      to.attempts += r.attempts;
      to.failures += r.failures;
      to.terminal += r.terminal;
      to.retried += r.retried;
    }
  }
  for (const UnattachedEvent& u : room.events) CountFailure(u.event, &rates);
  FinishFailureRates(&rates);
  return out;
}

}  // namespace callsight::analysis
