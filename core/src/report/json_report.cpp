// The JSON report (SPEC §3, schema version 1; docs/report.schema.json,
// docs/REPORT.md). Keys are written in a fixed, readable order; the output is
// a pure function of the context. Non-finite numbers are written as null,
// scores and measurements rounded to 2 decimals, times as integer epoch ms.
#include <algorithm>
#include <cmath>
#include <cstdint>
#include <exception>
#include <map>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "callsight/report.h"
#include "report/report_util.h"

namespace callsight {
namespace {

using Json = nlohmann::ordered_json;
using report::FindPeer;
using report::PeerIndex;

// A finite number rounded to `decimals` places, else null.
Json Num(double v, int decimals = 2) {
  if (!std::isfinite(v)) return nullptr;
  return report::RoundTo(v, decimals);
}

// Sets obj[key] = text unless text is empty (optional report fields).
void SetIfGiven(Json* obj, const char* key, const std::string& text) {
  if (!text.empty()) (*obj)[key] = text;
}

// Sets obj[key] = v unless v is not finite (optional numeric fields).
void SetIfFinite(Json* obj, const char* key, double v) {
  if (std::isfinite(v)) (*obj)[key] = Num(v);
}

bool HigherIsWorse(Metric m) { return m != Metric::kBitrate && m != Metric::kFps; }

Json StatsJson(const MetricStats& s) {
  return Json{
      {"median", Num(s.median)}, {"p95", Num(s.p95)}, {"worst", Num(s.worst)}, {"count", s.count}};
}

// ---------------------------------------------------------------- inputs --

Json InputsJson(const std::vector<InputReport>& inputs) {
  Json out = Json::array();
  for (const InputReport& in : inputs) {
    Json messages = Json::array();
    for (const InputMessage& m : in.messages) {
      Json msg{{"level", m.level == InputMessage::Level::kError ? "error" : "warning"}};
      if (m.line > 0) msg["line"] = m.line;
      msg["pointer"] = m.pointer;
      msg["text"] = m.text;
      msg["message"] = FormatMessage(in.name, m);
      messages.push_back(std::move(msg));
    }
    out.push_back(Json{{"name", in.name},
                       {"kind", InputKindName(in.kind)},
                       {"status", InputStatusName(in.status)},
                       {"bytes", in.bytes},
                       {"documents", in.documents},
                       {"messages", std::move(messages)}});
  }
  return out;
}

// ----------------------------------------------------------------- peers --

Json TrackJson(const Peer& peer, const TrackAnalysis& ta, const PeerIndex& peers) {
  const Track& track = peer.tracks[ta.track_index];
  static const Layer kNoLayer;
  const Layer& layer =
      ta.layer_index < track.layers.size() ? track.layers[ta.layer_index] : kNoLayer;
  const std::vector<int64_t>& t = layer.series.timestamps_ms;
  Json j{{"key", ta.key},
         {"track_id", track.track_id},
         {"direction", DirectionName(track.direction)},
         {"kind", MediaKindName(track.kind)}};
  SetIfGiven(&j, "rid", layer.rid);
  SetIfGiven(&j, "remote_peer_id", track.remote_peer_id);
  if (const Peer* remote = FindPeer(peers, track.remote_peer_id)) {
    SetIfGiven(&j, "remote_peer_name", remote->info.name);
  }
  j["samples"] = t.size();
  j["start_ms"] = t.empty() ? Json(nullptr) : Json(t.front());
  j["end_ms"] = t.empty() ? Json(nullptr) : Json(t.back());
  j["spacing_ms"] = SampleSpacingMs(t);
  Json stats = Json::object();
  for (const auto& [name, s] : ta.stats) stats[name] = StatsJson(s);
  j["stats"] = std::move(stats);
  SetIfFinite(&j, "mos", ta.mos);
  SetIfFinite(&j, "score", ta.score);
  return j;
}

Json PeerJson(const Peer& peer, const PeerAnalysis& pa, const PeerIndex& peers) {
  const PeerInfo& info = peer.info;
  Json j{{"peer_id", peer.peer_id}};
  SetIfGiven(&j, "name", info.name);
  SetIfGiven(&j, "user_id", info.user_id);
  SetIfGiven(&j, "role", info.role);
  const int64_t duration = std::max<int64_t>(0, pa.left_ms - pa.joined_ms);
  j["joined_ms"] = pa.joined_ms;
  j["left_ms"] = pa.left_ms;
  j["duration_ms"] = duration;
  j["duration"] = report::FormatHms(duration);
  Json presence = Json::array();
  for (const Interval& iv : peer.presence) {
    presence.push_back(Json{{"start_ms", iv.start_ms}, {"end_ms", iv.end_ms}});
  }
  j["presence"] = std::move(presence);
  j["published_tracks"] = pa.published_tracks;
  SetIfGiven(&j, "end_reason", report::EndReason(pa, info));
  if (!pa.end_reason.empty() && !info.end_reason.empty() && pa.end_reason != info.end_reason) {
    j["end_reason_raw"] = info.end_reason;
  }
  SetIfGiven(&j, "platform", info.platform);
  SetIfGiven(&j, "os", report::PeerOs(info));
  SetIfGiven(&j, "browser", report::PeerBrowser(info));
  SetIfGiven(&j, "framework", info.framework);
  SetIfGiven(&j, "sdk", report::PeerSdk(info));
  SetIfGiven(&j, "device_model", info.device_model);
  j["cqs"] = Num(pa.cqs);
  j["cqs_uplink"] = Num(pa.cqs_uplink);
  j["cqs_downlink"] = Num(pa.cqs_downlink);
  j["cqs_band"] = std::isfinite(pa.cqs) ? Json(CqsBandName(BandOf(pa.cqs))) : Json(nullptr);
  Json windows = Json::array();
  for (const CqsWindow& w : pa.cqs_windows) {
    windows.push_back(Json{{"start_ms", w.start_ms},
                           {"uplink", Num(w.uplink)},
                           {"downlink", Num(w.downlink)},
                           {"overall", Num(w.overall)}});
  }
  j["cqs_windows"] = std::move(windows);
  j["call_health"] = Json{{"audio", HealthName(pa.health_audio)},
                          {"video", HealthName(pa.health_video)},
                          {"screen", HealthName(pa.health_screen)}};
  j["issue_count"] = pa.issue_count;
  Json tracks = Json::array();
  for (const TrackAnalysis& ta : pa.tracks) {
    if (ta.track_index < peer.tracks.size()) tracks.push_back(TrackJson(peer, ta, peers));
  }
  j["tracks"] = std::move(tracks);
  return j;
}

// ------------------------------------------------- breaches, issues, logs --

Json IndexOrNull(int index, size_t count) {
  return index >= 0 && static_cast<size_t>(index) < count ? Json(index) : Json(nullptr);
}

Json BreachJson(const Breach& b, size_t issue_count) {
  Json j{{"peer_id", b.peer_id},
         {"track_id", b.track_id},
         {"direction", DirectionName(b.direction)},
         {"kind", MediaKindName(b.kind)}};
  SetIfGiven(&j, "rid", b.rid);
  j["metric"] = b.metric;
  j["severity"] = SeverityName(b.severity);
  j["threshold"] = Num(b.threshold);
  j["start_ms"] = b.start_ms;
  j["end_ms"] = b.end_ms;
  j["peak"] = Num(b.peak);
  j["mean"] = Num(b.mean);
  j["samples"] = b.samples;
  j["issue"] = IndexOrNull(b.issue, issue_count);
  return j;
}

Json IssueJson(const Issue& issue, size_t index, const PeerIndex& peers) {
  Json j{{"index", index},
         {"code", issue.code},
         {"severity", SeverityName(issue.severity)},
         {"peer_id", issue.peer_id}};
  if (const Peer* p = FindPeer(peers, issue.peer_id)) SetIfGiven(&j, "peer_name", p->info.name);
  j["track_ids"] = issue.track_ids;
  j["direction"] = issue.direction == Path::kNone ? Json(nullptr) : Json(PathName(issue.direction));
  j["start_ms"] = issue.start_ms;
  j["end_ms"] = issue.end_ms;
  j["duration_ms"] = std::max<int64_t>(0, issue.end_ms - issue.start_ms);
  j["title"] = issue.title;
  j["detail"] = issue.detail;
  j["advice"] = issue.advice;
  j["breaches"] = issue.breaches;
  j["affected_peers"] = issue.affected_peers;
  return j;
}

Json EventJson(const LogEvent& e) {
  Json j{{"time_ms", e.time_ms}};
  SetIfGiven(&j, "peer_id", e.peer_id);
  j["type"] = e.type;
  j["detail"] = e.detail;
  j["error"] = e.is_error;
  j["derived"] = e.derived;
  return j;
}

Json ErrorEventJson(const Event& e) {
  Json j{{"time_ms", e.time_ms},
         {"peer_id", e.peer_id},
         {"type", e.type},
         {"action", e.action},
         {"error_code", e.error_code},
         {"error_name", e.error_name},
         {"error_message", e.error_message},
         {"is_terminal", e.is_terminal},
         {"source", e.source}};
  SetIfGiven(&j, "track_id", e.track_id);
  SetIfGiven(&j, "detail", e.detail);
  return j;
}

Json FailureRateJson(const FailureRate& f) {
  return Json{{"attempts", f.attempts},
              {"failures", f.failures},
              {"terminal", f.terminal},
              {"retried", f.retried},
              {"rate", Num(f.rate, 4)}};
}

Json ErrorsJson(const Session& session, const SessionAnalysis& sa) {
  Json events = Json::array();
  for (size_t i : sa.error_events) {
    if (i < session.events.size()) events.push_back(ErrorEventJson(session.events[i]));
  }
  // The four SPEC actions always, then any other action analysis counted.
  Json rates = Json::object();
  for (const char* action : {"connect", "join", "publish", "subscribe"}) {
    auto it = sa.failure_rates.find(action);
    rates[action] = FailureRateJson(it == sa.failure_rates.end() ? FailureRate{} : it->second);
  }
  for (const auto& [action, rate] : sa.failure_rates) {
    if (!rates.contains(action)) rates[action] = FailureRateJson(rate);
  }
  return Json{{"events", std::move(events)}, {"failure_rates", std::move(rates)}};
}

Json MeetingJson(const Meeting& m) {
  return Json{{"index", m.index},
              {"start_ms", m.start_ms},
              {"end_ms", m.end_ms},
              {"duration_ms", std::max<int64_t>(0, m.end_ms - m.start_ms)},
              {"peer_ids", m.peer_ids},
              {"participant_minutes", Num(m.participant_minutes)},
              {"published_tracks", m.published_tracks},
              {"call_type", m.call_type}};
}

// --------------------------------------------------------------- summary --

// Samples of every track of the session pooled per "<direction>.<kind>.<metric>"
// (bitrate of audio and of video never mix), then median / p95 / worst.
Json PooledMetricsJson(const Session& session) {
  std::map<std::string, std::pair<Metric, std::vector<double>>> pooled;
  for (const Peer& peer : session.peers) {
    for (const Track& track : peer.tracks) {
      const std::string prefix =
          std::string(DirectionName(track.direction)) + "." + MediaKindName(track.kind) + ".";
      for (const Layer& layer : track.layers) {
        for (int m = 0; m < kMetricCount; ++m) {
          const Metric metric = static_cast<Metric>(m);
          const std::vector<double>& column = layer.series.column(metric);
          if (column.empty()) continue;
          auto& slot = pooled[prefix + MetricName(metric)];
          slot.first = metric;
          slot.second.insert(slot.second.end(), column.begin(), column.end());
        }
      }
    }
  }
  Json out = Json::object();
  for (const auto& [key, slot] : pooled) {
    out[key] = StatsJson(ComputeStats(slot.second, HigherIsWorse(slot.first)));
  }
  return out;
}

// Up to five peers, lowest CQS first (unknown CQS last), then most issues.
Json WorstPeersJson(const Session& session, const SessionAnalysis& sa) {
  std::vector<size_t> order(session.peers.size());
  for (size_t i = 0; i < order.size(); ++i) order[i] = i;
  auto cqs_key = [&](size_t i) {
    const double c = report::PeerAnalysisAt(sa, i).cqs;
    return std::isfinite(c) ? c : 1e9;
  };
  std::stable_sort(order.begin(), order.end(), [&](size_t a, size_t b) {
    if (cqs_key(a) != cqs_key(b)) return cqs_key(a) < cqs_key(b);
    const int ia = report::PeerAnalysisAt(sa, a).issue_count;
    const int ib = report::PeerAnalysisAt(sa, b).issue_count;
    if (ia != ib) return ia > ib;
    return session.peers[a].peer_id < session.peers[b].peer_id;
  });
  Json out = Json::array();
  for (size_t k = 0; k < order.size() && k < 5; ++k) {
    const Peer& peer = session.peers[order[k]];
    const PeerAnalysis& pa = report::PeerAnalysisAt(sa, order[k]);
    Json j{{"peer_id", peer.peer_id}};
    SetIfGiven(&j, "name", peer.info.name);
    j["cqs"] = Num(pa.cqs);
    j["issues"] = pa.issue_count;
    out.push_back(std::move(j));
  }
  return out;
}

Json SummaryJson(const Session& session, const SessionAnalysis& sa) {
  int published = 0;
  for (size_t i = 0; i < session.peers.size(); ++i) {
    published += report::PeerAnalysisAt(sa, i).published_tracks;
  }
  std::map<std::string, int> by_code;
  int by_severity[3] = {0, 0, 0};
  for (const Issue& issue : sa.issues) {
    ++by_code[issue.code];
    ++by_severity[static_cast<int>(issue.severity) % 3];
  }
  Json codes = Json::object();
  for (const auto& [code, n] : by_code) codes[code] = n;
  return Json{{"participants", session.peers.size()},
              {"participant_minutes", Num(sa.participant_minutes)},
              {"meetings", sa.meetings.size()},
              {"published_tracks", published},
              {"issues_by_code", std::move(codes)},
              {"issues_by_severity",
               Json{{"info", by_severity[static_cast<int>(Severity::kInfo)]},
                    {"warning", by_severity[static_cast<int>(Severity::kWarning)]},
                    {"critical", by_severity[static_cast<int>(Severity::kCritical)]}}},
              {"worst_peers", WorstPeersJson(session, sa)},
              {"metrics", PooledMetricsJson(session)}};
}

Json SessionJson(const Session& session, const SessionAnalysis& sa) {
  const PeerIndex peers = report::IndexPeers(session);
  Json j{{"session_id", session.session_id},
         {"room_id", session.room_id},
         {"start_ms", sa.start_ms},
         {"end_ms", sa.end_ms},
         {"duration_ms", std::max<int64_t>(0, sa.end_ms - sa.start_ms)},
         {"summary", SummaryJson(session, sa)}};
  Json meetings = Json::array();
  for (const Meeting& m : sa.meetings) meetings.push_back(MeetingJson(m));
  j["meetings"] = std::move(meetings);
  Json peer_list = Json::array();
  for (size_t i = 0; i < session.peers.size(); ++i) {
    peer_list.push_back(PeerJson(session.peers[i], report::PeerAnalysisAt(sa, i), peers));
  }
  j["peers"] = std::move(peer_list);
  Json breaches = Json::array();
  for (const Breach& b : sa.breaches) breaches.push_back(BreachJson(b, sa.issues.size()));
  j["breaches"] = std::move(breaches);
  Json issues = Json::array();
  for (size_t k = 0; k < sa.issues.size(); ++k) {
    issues.push_back(IssueJson(sa.issues[k], k, peers));
  }
  j["issues"] = std::move(issues);
  Json events = Json::array();
  for (const LogEvent& e : sa.events) events.push_back(EventJson(e));
  j["events"] = std::move(events);
  j["errors"] = ErrorsJson(session, sa);
  return j;
}

Json GeneratorJson() { return Json{{"name", "callsight"}, {"version", CALLSIGHT_VERSION}}; }

std::string Dump(const Json& doc, int indent) {
  return doc.dump(indent < 0 ? -1 : indent, ' ', /*ensure_ascii=*/false,
                  Json::error_handler_t::replace);
}

}  // namespace

std::string WriteJsonReport(const ReportContext& ctx, int indent) {
  try {
    Json config = Json::parse(ConfigToJson(ctx.config), nullptr, /*allow_exceptions=*/false);
    if (config.is_discarded()) config = Json::object();
    Json sessions = Json::array();
    for (size_t i = 0; i < ctx.model.sessions.size(); ++i) {
      sessions.push_back(
          SessionJson(ctx.model.sessions[i], report::SessionAnalysisAt(ctx.analysis, i)));
    }
    const Json doc{{"schema_version", kReportSchemaVersion},
                   {"generator", GeneratorJson()},
                   {"config", std::move(config)},
                   {"inputs", InputsJson(ctx.inputs)},
                   {"sessions", std::move(sessions)}};
    return Dump(doc, indent);
  } catch (const std::exception& e) {
    // Out of memory or a bug: still a valid (empty) report naming the failure.
    const Json doc{{"schema_version", kReportSchemaVersion},
                   {"generator", GeneratorJson()},
                   {"error", std::string("report could not be written: ") + e.what()},
                   {"config", Json::object()},
                   {"inputs", Json::array()},
                   {"sessions", Json::array()}};
    try {
      return Dump(doc, indent);
    } catch (...) {
      return "{\"schema_version\":1,\"error\":\"report could not be written\"}";
    }
  }
}

}  // namespace callsight
