// The JSON report (SPEC §3, schema version 1; docs/report.schema.json,
// docs/REPORT.md). Keys are written in a fixed, readable order; the output is
// a pure function of the context. Non-finite numbers are written as null,
// scores and measurements rounded to 2 decimals, times as integer epoch ms.
// Written in one pass with JsonWriter: no tree is built.
#include <algorithm>
#include <cmath>
#include <cstdint>
#include <exception>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "analysis/error_codes.h"
#include "callsight/report.h"
#include "json/json_writer.h"
#include "report/error_text.h"
#include "report/event_text.h"
#include "report/format.h"
#include "report/issue_text.h"
#include "report/labels.h"
#include "report/report_util.h"
#include "util/parallel.h"

namespace callsight {
namespace {

using json::JsonWriter;
using report::FindPeer;
using report::PeerIndex;

void StatsJson(JsonWriter& w, const MetricStats& s) {
  w.BeginObject()
      .Field("median", s.median, 2)
      .Field("p95", s.p95, 2)
      .Field("worst", s.worst, 2)
      .Field("count", s.count)
      .EndObject();
}

// key: [{start_ms, end_ms}, ...]
void IntervalsJson(JsonWriter& w, const char* key, const std::vector<Interval>& intervals) {
  w.Key(key).BeginArray();
  for (const Interval& iv : intervals) {
    w.BeginObject().Field("start_ms", iv.start_ms).Field("end_ms", iv.end_ms).EndObject();
  }
  w.EndArray();
}

// key: [index, ...]
void IndexArray(JsonWriter& w, const char* key, const std::vector<size_t>& indices) {
  w.Key(key).BeginArray();
  for (size_t i : indices) w.Int(static_cast<int64_t>(i));
  w.EndArray();
}

// {key: count, ...}
void CountsJson(JsonWriter& w, const std::map<std::string, int>& counts) {
  w.BeginObject();
  for (const auto& [key, n] : counts) w.Field(key, n);
  w.EndObject();
}

// ---------------------------------------------------------------- inputs --

void InputsJson(JsonWriter& w, const std::vector<InputReport>& inputs) {
  w.BeginArray();
  for (const InputReport& in : inputs) {
    w.BeginObject()
        .Field("name", in.name)
        .Field("kind", InputKindName(in.kind))
        .Field("status", InputStatusName(in.status))
        .Field("bytes", in.bytes)
        .Field("documents", in.documents);
    // Only for compressed files, so reports of plain files stay as they were.
    if (in.compression != Compression::kNone) {
      w.Field("compression", CompressionName(in.compression));
    }
    w.Key("messages").BeginArray();
    for (const InputMessage& m : in.messages) {
      w.BeginObject().Field("level", m.level == InputMessage::Level::kError  ? "error"
                                     : m.level == InputMessage::Level::kInfo ? "info"
                                                                             : "warning");
      if (m.line > 0) w.Field("line", m.line);
      w.Field("pointer", m.pointer)
          .Field("text", m.text)
          .Field("message", FormatMessage(in.name, m))
          .EndObject();
    }
    w.EndArray().EndObject();
  }
  w.EndArray();
}

// ----------------------------------------------------------------- peers --

// Which series a chart's threshold is checked on, in words ("" for the plotted one).
const char* ThresholdNote(ThresholdSeries s) {
  switch (s) {
    case ThresholdSeries::kAllLayers:
      return "all layers together";
    case ThresholdSeries::kHighestSendingLayer:
      return "highest sending layer";
    case ThresholdSeries::kTrack:
      break;
  }
  return "";
}

// charts: [{direction, kind, metric, thresholds: [{value, severity, note?, series?}],
// breach_metrics}]
void ChartRulesJson(JsonWriter& w, const std::vector<ChartRule>& rules) {
  w.Key("charts").BeginArray();
  for (const ChartRule& r : rules) {
    w.BeginObject()
        .Field("direction", DirectionName(r.direction))
        .Field("kind", MediaKindName(r.kind))
        .Field("metric", ChartMetricName(r.metric))
        .Key("thresholds")
        .BeginArray();
    for (const ChartThreshold& t : r.thresholds) {
      w.BeginObject()
          .Field("value", t.value, 2)
          .Field("severity", SeverityName(t.severity))
          .FieldIfGiven("note", ThresholdNote(t.series))
          .FieldIfGiven("series",
                        t.series == ThresholdSeries::kTrack ? "" : ThresholdSeriesName(t.series))
          .EndObject();
    }
    w.EndArray().Key("breach_metrics").BeginArray();
    for (BreachMetric m : r.breach_metrics) w.String(BreachMetricName(m));
    w.EndArray().EndObject();
  }
  w.EndArray();
}

// key: [{peer_id, tracks: [index, ...]}, ...]
void LinksJson(JsonWriter& w, const char* key, const std::vector<PeerLink>& links) {
  w.Key(key).BeginArray();
  for (const PeerLink& l : links) {
    w.BeginObject().Field("peer_id", l.peer_id);
    IndexArray(w, "tracks", l.tracks);
    w.EndObject();
  }
  w.EndArray();
}

// A browser dump's facts of a stream: only those the dump gave.
void StreamFactsJson(JsonWriter& w, const StreamFacts& f) {
  w.Key("stream")
      .BeginObject()
      .FieldIfGiven("codec", f.codec)
      .FieldIfGiven("codec_fmtp", f.codec_fmtp)
      .FieldIfGiven("implementation", f.implementation);
  const std::pair<const char*, const std::optional<double>*> figures[] = {
      {"nack_count", &f.nack_count},
      {"pli_count", &f.pli_count},
      {"fir_count", &f.fir_count},
      {"encode_ms_per_frame", &f.encode_ms_per_frame},
      {"decode_ms_per_frame", &f.decode_ms_per_frame},
      {"accelerated_percent", &f.accelerated_pct},
      {"decelerated_percent", &f.decelerated_pct},
      {"frame_count", &f.frame_count},
      {"key_frame_count", &f.key_frame_count},
      {"qp_per_frame", &f.qp_per_frame},
      {"cpu_limited_percent", &f.cpu_limited_pct},
      {"bandwidth_limited_percent", &f.bandwidth_limited_pct},
      {"other_limited_percent", &f.other_limited_pct},
      {"limitation_resolution_changes", &f.limitation_resolution_changes},
      {"freeze_count", &f.freeze_count},
      {"freeze_total_ms", &f.freeze_total_ms},
      {"frames_dropped", &f.frames_dropped},
      {"jitter_buffer_ms", &f.jitter_buffer_ms},
      {"jitter_buffer_target_ms", &f.jitter_buffer_target_ms},
      {"jitter_buffer_minimum_ms", &f.jitter_buffer_minimum_ms},
      {"jitter_buffer_flushes", &f.jitter_buffer_flushes},
      {"processing_ms", &f.processing_ms},
      {"assembly_ms", &f.assembly_ms},
      {"inter_frame_ms", &f.inter_frame_ms},
      {"concealed_percent", &f.concealed_pct},
      {"psnr_y_db", &f.psnr_y_db},
      {"psnr_u_db", &f.psnr_u_db},
      {"psnr_v_db", &f.psnr_v_db},
      {"ect1_sent_packets", &f.ect1_sent_packets},
      {"ect1_received_packets", &f.ect1_received_packets},
      {"ce_received_packets", &f.ce_received_packets},
      {"ect1_bleached_packets", &f.ect1_bleached_packets},
  };
  for (const auto& [name, value] : figures) {
    if (*value) w.Field(name, **value, 2);
  }
  const std::pair<const char*, const std::optional<FrameSize>*> sizes[] = {
      {"common_size_px", &f.common_size},
      {"min_size_px", &f.min_size},
      {"max_size_px", &f.max_size},
  };
  for (const auto& [name, size] : sizes) {
    if (!*size) continue;
    w.Key(name).BeginObject();
    w.Field("width", (*size)->width).Field("height", (*size)->height).EndObject();
  }
  if (f.power_efficient) w.Field("power_efficient", *f.power_efficient);
  if (f.null_decoder) w.Field("null_decoder", *f.null_decoder);
  if (f.first_frame_ms) w.Field("first_frame_ms", *f.first_frame_ms);
  w.EndObject();
}

void TrackJson(JsonWriter& w, const Peer& peer, const TrackAnalysis& ta, const PeerIndex& peers) {
  const Track& track = peer.tracks[ta.track_index];
  static const Layer kNoLayer;
  const Layer& layer =
      ta.layer_index < track.layers.size() ? track.layers[ta.layer_index] : kNoLayer;
  const std::vector<int64_t>& t = layer.series.timestamps_ms;
  w.BeginObject()
      .Field("key", ta.key)
      .Field("track_id", track.track_id)
      .Field("direction", DirectionName(track.direction))
      .Field("kind", MediaKindName(track.kind))
      .FieldIfGiven("rid", layer.rid);
  if (layer.encoding_index) w.Field("encoding_index", *layer.encoding_index);
  w.FieldIfGiven("remote_peer_id", track.remote_peer_id);
  if (const Peer* remote = FindPeer(peers, track.remote_peer_id)) {
    w.FieldIfGiven("remote_peer_name", remote->info.name);
  }
  w.Field("samples", t.size());
  if (t.empty()) {
    w.Key("start_ms").Null().Key("end_ms").Null();
  } else {
    w.Field("start_ms", t.front()).Field("end_ms", t.back());
  }
  w.Field("spacing_ms", ta.spacing_ms);
  w.Key("stats").BeginObject();
  for (const auto& [name, st] : ta.stats) {
    w.Key(name);
    StatsJson(w, st);
  }
  w.EndObject().FieldIfFinite("mos", ta.mos).FieldIfFinite("score", ta.score);
  if (track.facts) StreamFactsJson(w, *track.facts);
  IntervalsJson(w, "not_sending", ta.not_sending);
  w.Key("charts").BeginArray();
  for (ChartMetric c : ta.charts) w.String(ChartMetricName(c));
  w.EndArray().EndObject();
}

// One direction's window summary: {worst, worst_start_ms, below_fair_ms, below_poor_ms}.
void CqsSummaryJson(JsonWriter& w, const char* key, const CqsSummary& s) {
  w.Key(key).BeginObject().Field("worst", s.worst, 2).Key("worst_start_ms");
  if (std::isfinite(s.worst)) {
    w.Int(s.worst_start_ms);
  } else {
    w.Null();
  }
  w.Field("below_fair_ms", s.below_fair_ms).Field("below_poor_ms", s.below_poor_ms).EndObject();
}

// A time the dump may not give: the number, or null.
void OptionalMs(JsonWriter& w, const char* key, const std::optional<int64_t>& ms) {
  w.Key(key);
  if (ms) {
    w.Int(*ms);
  } else {
    w.Null();
  }
}

// ["host", "srflx", ...]: the candidate types a side offered.
void CandidateTypesJson(JsonWriter& w, const char* key, const CandidateTypes& t) {
  w.Key(key).BeginArray();
  const std::pair<const char*, bool> types[] = {{"host", t.host},
                                                {"mdns", t.mdns},
                                                {"srflx", t.srflx},
                                                {"prflx", t.prflx},
                                                {"relay", t.relay}};
  for (const auto& [name, offered] : types) {
    if (offered) w.String(name);
  }
  w.EndArray();
}

// What a connection's dump says beyond its times and selected pair: DTLS,
// ICE servers and candidates, STUN round trip and mean bitrates (only those given).
void ConnectionFactsJson(JsonWriter& w, const Connection& c) {
  w.FieldIfGiven("dtls_role", c.dtls_role)
      .FieldIfGiven("tls_version", c.tls_version)
      .FieldIfGiven("srtp_cipher", c.srtp_cipher);
  if (c.remote_ice_lite) w.Field("remote_ice_lite", *c.remote_ice_lite);
  if (c.ice_servers) {
    const IceServers& s = *c.ice_servers;
    w.Key("ice_servers").BeginObject();
    if (s.count) w.Field("count", *s.count);
    w.Field("stun", s.stun)
        .Field("turn_udp", s.turn_udp)
        .Field("turn_tcp", s.turn_tcp)
        .Field("turns", s.turns)
        .Field("relay_only", s.relay_only)
        .EndObject();
  }
  if (c.gathered_candidates) CandidateTypesJson(w, "gathered_candidates", *c.gathered_candidates);
  if (c.added_candidates) CandidateTypesJson(w, "added_candidates", *c.added_candidates);
  if (c.stun_rtt_ms) w.Field("stun_rtt_ms", *c.stun_rtt_ms, 1);
  if (c.outbound_bps) w.Field("outbound_bps", *c.outbound_bps, 0);
  if (c.inbound_bps) w.Field("inbound_bps", *c.inbound_bps, 0);
}

// A browser dump's peer connections (Peer::connections), their addresses
// masked unless the config says to show them (config.show_addresses).
void ConnectionsJson(JsonWriter& w, const std::vector<Connection>& connections,
                     bool show_addresses) {
  const auto address = [&](const std::string& a) {
    return show_addresses ? a : report::MaskAddress(a);
  };
  w.Key("connections").BeginArray();
  for (const Connection& c : connections) {
    w.BeginObject().Field("id", c.id);
    OptionalMs(w, "created_ms", c.created_ms);
    OptionalMs(w, "connected_ms", c.connected_ms);
    OptionalMs(w, "setup_ms", c.setup_ms());
    OptionalMs(w, "connection_ms", c.connection_ms());
    OptionalMs(w, "dtls_ms", c.dtls_ms());
    OptionalMs(w, "signaling_ms", c.signaling_ms());
    if (c.signaling_ms()) w.Field("offerer", c.offerer);
    OptionalMs(w, "failed_ms", c.failed_ms);
    OptionalMs(w, "closed_ms", c.closed_ms);
    w.Field("local_candidate_type", c.local_candidate_type)
        .Field("remote_candidate_type", c.remote_candidate_type)
        .Field("protocol", c.protocol)
        .Field("relay_protocol", c.relay_protocol)
        .Field("local_address", address(c.local_address))
        .Field("remote_address", address(c.remote_address))
        .Field("addresses_masked", !show_addresses)
        .Field("ice_restarts", c.ice_restarts_ms.size())
        .Field("ice_restarts_completed", c.ice_restarts_completed);
    ConnectionFactsJson(w, c);
    w.EndObject();
  }
  w.EndArray();
}

void PeerJson(JsonWriter& w, const Peer& peer, const PeerAnalysis& pa, const PeerIndex& peers,
              bool show_addresses) {
  const PeerInfo& info = peer.info;
  w.BeginObject()
      .Field("peer_id", peer.peer_id)
      .FieldIfGiven("name", info.name)
      .FieldIfGiven("user_id", info.user_id)
      .FieldIfGiven("role", info.role)
      .Field("attendance", AttendanceName(pa.attendance));
  // joined: true when present, false when it never joined, null when unknown.
  if (pa.attendance == Attendance::kUnknown) {
    w.Key("joined").Null();
  } else {
    w.Field("joined", pa.attendance == Attendance::kPresent);
  }
  // A peer that never joined has no times at all (null, never 0 = 1970).
  if (pa.joined_ms && pa.left_ms) {
    w.Field("joined_ms", *pa.joined_ms)
        .Field("left_ms", *pa.left_ms)
        .Field("duration_ms", pa.present_ms)
        .Field("duration", report::FormatHms(pa.present_ms));
  } else {
    w.Key("joined_ms").Null().Key("left_ms").Null().Key("duration_ms").Null();
    w.Key("duration").Null();
  }
  IntervalsJson(w, "presence", pa.presence);
  w.Field("published_tracks", pa.published_tracks);
  w.FieldIfGiven("end_reason", report::EndReason(pa, info));
  if (!pa.end_reason.empty() && !info.end_reason.empty() && pa.end_reason != info.end_reason) {
    w.Field("end_reason_raw", info.end_reason);
  }
  w.FieldIfGiven("platform", info.platform)
      .FieldIfGiven("os", report::PeerOs(info))
      .FieldIfGiven("browser", report::PeerBrowser(info))
      .FieldIfGiven("framework", info.framework)
      .FieldIfGiven("sdk", report::PeerSdk(info))
      .FieldIfGiven("device_model", info.device_model);
  if (!info.dump_kind.empty()) {
    w.Key("data_source")
        .BeginObject()
        .Field("dump", info.dump_kind)
        .Field("stats_format", info.stats_format)
        .Field("truncated", info.dump_truncated)
        .EndObject();
  }
  if (!peer.connections.empty()) ConnectionsJson(w, peer.connections, show_addresses);
  w.Field("cqs", pa.cqs, 2)
      .Field("cqs_uplink", pa.cqs_uplink, 2)
      .Field("cqs_downlink", pa.cqs_downlink, 2)
      .Field("cqs_mean", pa.cqs_summary.mean, 2)
      .Field("cqs_uplink_mean", pa.cqs_uplink_summary.mean, 2)
      .Field("cqs_downlink_mean", pa.cqs_downlink_summary.mean, 2);
  w.Key("cqs_band");
  if (std::isfinite(pa.cqs)) {
    w.String(CqsBandName(BandOf(pa.cqs)));
  } else {
    w.Null();
  }
  w.Key("cqs_windows").BeginArray();
  for (const CqsWindow& cw : pa.cqs_windows) {
    w.BeginObject()
        .Field("start_ms", cw.start_ms)
        .Field("uplink", cw.uplink, 2)
        .Field("downlink", cw.downlink, 2)
        .Field("overall", cw.overall, 2)
        .EndObject();
  }
  w.EndArray();
  w.Key("cqs_summary").BeginObject();
  CqsSummaryJson(w, "overall", pa.cqs_summary);
  CqsSummaryJson(w, "uplink", pa.cqs_uplink_summary);
  CqsSummaryJson(w, "downlink", pa.cqs_downlink_summary);
  w.EndObject();
  w.Key("call_health")
      .BeginObject()
      .Field("audio", HealthName(pa.health_audio))
      .Field("video", HealthName(pa.health_video))
      .Field("screen", HealthName(pa.health_screen))
      .EndObject();
  w.Field("issue_count", pa.issue_count);
  w.Key("tracks").BeginArray();
  for (const TrackAnalysis& ta : pa.tracks) {
    if (ta.track_index < peer.tracks.size()) TrackJson(w, peer, ta, peers);
  }
  w.EndArray();
  LinksJson(w, "receives_from", pa.receives_from);
  LinksJson(w, "received_by", pa.received_by);
  w.EndObject();
}

// ------------------------------------------------- breaches, issues, logs --

void BreachJson(JsonWriter& w, const Breach& b, size_t issue_count) {
  w.BeginObject()
      .Field("peer_id", b.peer_id)
      .Field("track_id", b.track_id)
      .Field("direction", DirectionName(b.direction))
      .Field("kind", MediaKindName(b.kind))
      .FieldIfGiven("rid", b.rid)
      .Field("metric", BreachMetricName(b.metric))
      .Field("severity", SeverityName(b.severity))
      .Field("threshold", b.threshold, 2)
      .Field("start_ms", b.start_ms)
      .Field("end_ms", b.end_ms)
      .Field("peak", b.peak, 2)
      .Field("mean", b.mean, 2)
      .Field("samples", b.samples);
  w.Key("issue");
  if (b.issue >= 0 && static_cast<size_t>(b.issue) < issue_count) {
    w.Int(b.issue);
  } else {
    w.Null();
  }
  w.EndObject();
}

// The receivers' breaches an uplink issue explains.
void ExplainsJson(JsonWriter& w, const Issue& issue, const std::vector<Breach>& breaches) {
  w.Key("explains").BeginArray();
  for (size_t bi : issue.explains) {
    if (bi >= breaches.size()) continue;
    const Breach& b = breaches[bi];
    w.BeginObject()
        .Field("breach", bi)
        .Field("peer_id", b.peer_id)
        .Field("track_id", b.track_id)
        .Field("metric", BreachMetricName(b.metric))
        .EndObject();
  }
  w.EndArray();
}

// A detection issue's figures (docs/DETECTIONS.md); numbers not measured are left out.
void DetectionJson(JsonWriter& w, const Issue& issue) {
  const DetectionFigures& f = *issue.detection;
  w.Key("detection").BeginObject();
  w.FieldIfFinite("value", issue.mean, 3)
      .FieldIfFinite("worst", issue.peak, 3)
      .FieldIfFinite("threshold", issue.threshold, 3)
      .FieldIfFinite("baseline", f.baseline, 3)
      .Field("samples", f.samples)
      .StringArray("peers", f.peers)
      .Field("peers_total", f.peers_total)
      .FieldIfGiven("family", BreachFamilyName(f.family))
      .FieldIfGiven("user_id", f.user_id);
  if (issue.code == IssueCode::kRepeatedRejoins) w.Field("cycles", f.cycles);
  w.FieldIfFinite("loss_pct", f.loss_pct, 2)
      .FieldIfFinite("rtt_ms", f.rtt_ms, 1)
      .FieldIfFinite("jitter_ms", f.jitter_ms, 1)
      .FieldIfFinite("jitter_buffer_ms", f.jitter_buffer_ms, 1);
  if (issue.code == IssueCode::kLowReceivedAudioMos) w.Field("default_delay", f.default_delay);
  w.EndObject();
}

// An issue's sender -> receiver pair, null when it involves no two peers.
void PairJson(JsonWriter& w, const std::optional<IssuePair>& pair) {
  w.Key("pair");
  if (!pair) {
    w.Null();
    return;
  }
  w.BeginObject()
      .Field("from", pair->from)
      .Field("to", pair->to)
      .Field("others", pair->others)
      .EndObject();
}

// An index into issues[], or null.
void OptionalIndex(JsonWriter& w, const char* key, const std::optional<size_t>& index) {
  w.Key(key);
  if (index) {
    w.Int(static_cast<int64_t>(*index));
  } else {
    w.Null();
  }
}

void IssueJson(JsonWriter& w, const Session& session, const SessionAnalysis& sa, size_t index,
               const PeerIndex& peers, const report::Clock& clock) {
  const Issue& issue = sa.issues[index];
  const report::IssueText text = report::DescribeIssue(session, issue, clock);
  w.BeginObject()
      .Field("index", index)
      .Field("code", IssueCodeName(issue.code))
      .Field("severity", SeverityName(issue.severity))
      .Field("peer_id", issue.peer_id);
  if (const Peer* p = FindPeer(peers, issue.peer_id)) w.FieldIfGiven("peer_name", p->info.name);
  w.StringArray("track_ids", issue.track_ids);
  w.Key("direction");
  if (issue.direction == Path::kNone) {
    w.Null();
  } else {
    w.String(PathName(issue.direction));
  }
  w.Field("start_ms", issue.start_ms)
      .Field("end_ms", issue.end_ms)
      .Field("duration_ms", std::max<int64_t>(0, issue.end_ms - issue.start_ms))
      .Field("title", text.title)
      .Field("detail", text.detail)
      .Field("advice", text.advice);
  IndexArray(w, "breaches", issue.breaches);
  w.StringArray("affected_peers", issue.affected_peers);
  ExplainsJson(w, issue, sa.breaches);
  PairJson(w, issue.pair);
  if (issue.detection) DetectionJson(w, issue);
  w.FieldIfGiven("connection_id", issue.connection_id);
  if (issue.code == IssueCode::kSlowSetup) w.Field("setup_step", SetupStepName(issue.setup_step));
  w.EndObject();
}

void EventJson(JsonWriter& w, const Session& session, const SessionAnalysis& sa,
               const PeerIndex& peers, const LogEvent& e) {
  w.BeginObject()
      .Field("time_ms", e.time_ms)
      .FieldIfGiven("peer_id", e.peer_id)
      .Field("type", e.type)
      .Field("detail", report::DescribeLogEvent(session, sa, peers, e))
      .Field("error", e.is_error)
      .Field("derived", e.derived)
      .EndObject();
}

// `issue`: the index of the issue that reports this event, if one does.
void ErrorEventJson(JsonWriter& w, const Event& e, std::optional<size_t> issue) {
  w.BeginObject()
      .Field("time_ms", e.time_ms)
      .Field("peer_id", e.peer_id)
      .Field("type", e.type)
      .Field("action", e.action)
      .Field("failed", FailedOperationName(e.failed))
      .Field("error_code", e.error_code)
      .Field("error_name", e.error_name)
      .Field("error_message", e.error_message)
      .Field("is_terminal", e.is_terminal);
  // The SDK error code's meaning (docs/ERRORS.md).
  const analysis::ErrorInfo error = analysis::ClassifyError(e.error_code, e.error_name);
  w.Field("error_kind", analysis::ErrorKindName(error.kind))
      .Field("error_family", analysis::ErrorFamilyName(error.family))
      .Field("error_side", analysis::ErrorSideName(error.side))
      .Field("meaning", report::ErrorMeaning(error))
      .Field("advice", report::ErrorAdvice(error))
      .Field("source", e.source)
      .FieldIfGiven("track_id", e.track_id)
      .FieldIfGiven("detail", report::DescribeEvent(e))
      .Key("issue");
  if (issue) {
    w.Int(static_cast<int64_t>(*issue));
  } else {
    w.Null();
  }
  w.EndObject();
}

void DeliveriesJson(JsonWriter& w, const report::DeliverySummary& d);

void FailureRateJson(JsonWriter& w, const FailureRate& f) {
  w.BeginObject()
      .Field("attempts", f.attempts)
      .Field("failures", f.failures)
      .Field("terminal", f.terminal)
      .Field("retried", f.retried)
      .Field("rate", f.rate, 4)
      .EndObject();
}

void ErrorsJson(JsonWriter& w, const Session& session, const SessionAnalysis& sa) {
  // Which issue reports each event, where one does.
  std::map<size_t, size_t> issue_of;
  for (size_t k = 0; k < sa.issues.size(); ++k) {
    for (size_t ei : sa.issues[k].events) issue_of.emplace(ei, k);
  }
  w.BeginObject().Key("events").BeginArray();
  for (size_t i : sa.error_events) {
    if (i >= session.events.size()) continue;
    const auto it = issue_of.find(i);
    ErrorEventJson(w, session.events[i],
                   it == issue_of.end() ? std::nullopt : std::optional<size_t>(it->second));
  }
  w.EndArray();
  // The four SPEC actions always, then any other action analysis counted.
  static const char* const kActions[] = {"connect", "join", "publish", "subscribe"};
  w.Key("failure_rates").BeginObject();
  for (const char* action : kActions) {
    auto it = sa.failure_rates.find(action);
    w.Key(action);
    FailureRateJson(w, it == sa.failure_rates.end() ? FailureRate{} : it->second);
  }
  for (const auto& [action, rate] : sa.failure_rates) {
    if (std::find(std::begin(kActions), std::end(kActions), action) != std::end(kActions)) continue;
    w.Key(action);
    FailureRateJson(w, rate);
  }
  w.EndObject().EndObject();
}

void CountArray(JsonWriter& w, const char* key, const std::vector<int>& counts) {
  w.Key(key).BeginArray();
  for (int c : counts) w.Int(c);
  w.EndArray();
}

// A large session's activity over time (docs/REPORT.md, "activity").
void ActivityJson(JsonWriter& w, const SessionActivity& a) {
  w.BeginObject()
      .Field("start_ms", a.start_ms)
      .Field("bucket_ms", a.bucket_ms)
      .Field("buckets", a.buckets);
  w.Key("operations").BeginObject();
  for (const auto& [op, counts] : a.operations) {
    w.Key(op).BeginObject();
    CountArray(w, "succeeded", counts.succeeded);
    CountArray(w, "failed", counts.failed);
    w.EndObject();
  }
  w.EndObject();
  w.Key("roles").BeginArray();
  for (const RoleSummary& r : a.roles) {
    w.BeginObject()
        .Field("role", r.role)
        .Field("participants", r.participants)
        .Field("with_issues", r.with_issues)
        .Field("failures", r.failures)
        .EndObject();
  }
  w.EndArray().EndObject();
}

void SeverityCountsJson(JsonWriter& w, const SeverityCounts& c) {
  w.BeginObject()
      .Field("info", c.of(Severity::kInfo))
      .Field("warning", c.of(Severity::kWarning))
      .Field("critical", c.of(Severity::kCritical))
      .EndObject();
}

void MeetingJson(JsonWriter& w, const Meeting& m, const Session& session,
                 const SessionAnalysis& sa) {
  w.BeginObject()
      .Field("index", m.index)
      .Field("start_ms", m.start_ms)
      .Field("end_ms", m.end_ms)
      .Field("duration_ms", std::max<int64_t>(0, m.end_ms - m.start_ms))
      .StringArray("peer_ids", m.peer_ids)
      .Field("participant_minutes", m.participant_minutes, 2)
      .Field("published_tracks", m.published_tracks)
      .Field("participants", m.participants)
      .Field("publishers", m.publishers)
      .Field("viewers", m.viewers)
      .Field("call_type", CallTypeName(m.call_type));
  w.Key("issues_by_severity");
  SeverityCountsJson(w, m.issues);
  IndexArray(w, "top_issues", m.top_issues);
  OptionalIndex(w, "top_pair", m.top_pair);
  w.Key("worst_peers").BeginArray();
  for (size_t r : m.worst_peers) {
    if (r < sa.worst_peers.size() && sa.worst_peers[r].peer < session.peers.size()) {
      w.String(session.peers[sa.worst_peers[r].peer].peer_id);
    }
  }
  w.EndArray().EndObject();
}

// --------------------------------------------------------------- summary --

void VerdictJson(JsonWriter& w, const Verdict& v) {
  w.BeginObject().Field("level", VerdictLevelName(v.level)).Key("issues");
  SeverityCountsJson(w, v.issues);
  w.Field("failures", v.failures)
      .Field("terminal_failures", v.terminal_failures)
      .Field("affected_peers", v.affected_peers)
      .Field("low_cqs_peers", v.low_cqs_peers)
      .Field("peers", v.peers)
      .Field("never_joined", v.never_joined)
      .EndObject();
}

// The analysis's ranking, as it is: every peer with a problem, worst first.
void WorstPeersJson(JsonWriter& w, const Session& session, const SessionAnalysis& sa) {
  w.BeginArray();
  for (const RankedPeer& e : sa.worst_peers) {
    if (e.peer >= session.peers.size()) continue;
    const Peer& peer = session.peers[e.peer];
    w.BeginObject()
        .Field("peer_id", peer.peer_id)
        .FieldIfGiven("name", peer.info.name)
        .Field("reason", RankReasonName(e.reason));
    w.Key("severity");
    if (e.severity) {
      w.String(SeverityName(*e.severity));
    } else {
      w.Null();
    }
    w.Field("issues", e.issues)
        .Field("issue_duration_ms", e.issue_ms)
        .Field("failures", e.failures)
        .Field("affected_by", e.affected_by)
        .Field("cqs", e.cqs, 2)
        .EndObject();
  }
  w.EndArray();
}

void UsersJson(JsonWriter& w, const std::vector<UserPeers>& users) {
  w.BeginArray();
  for (const UserPeers& u : users) {
    w.BeginObject()
        .Field("user_id", u.user_id)
        .FieldIfGiven("name", u.name)
        .StringArray("peer_ids", u.peer_ids)
        .EndObject();
  }
  w.EndArray();
}

void SummaryJson(JsonWriter& w, const Session& session, const SessionAnalysis& sa) {
  int published = 0;
  for (size_t i = 0; i < session.peers.size(); ++i) {
    published += report::PeerAnalysisAt(sa, i).published_tracks;
  }
  std::map<std::string, int> by_code;
  SeverityCounts by_severity;
  for (const Issue& issue : sa.issues) {
    ++by_code[IssueCodeName(issue.code)];
    ++by_severity.count[static_cast<int>(issue.severity) % 3];
  }
  w.BeginObject()
      .Field("participants", session.peers.size())
      .Field("participant_minutes", sa.participant_minutes, 2)
      .Field("meetings", sa.meetings.size())
      .Field("published_tracks", published);
  w.Key("issues_by_code");
  CountsJson(w, by_code);
  w.Key("issues_by_severity");
  SeverityCountsJson(w, by_severity);
  w.Key("verdict");
  VerdictJson(w, sa.verdict);
  w.Key("worst_peers");
  WorstPeersJson(w, session, sa);
  IndexArray(w, "top_issues", sa.top_issues);
  OptionalIndex(w, "top_pair", sa.top_pair);
  w.Key("metrics").BeginObject();
  for (const auto& [key, stats] : sa.metrics) {
    w.Key(key);
    StatsJson(w, stats);
  }
  w.EndObject();
  w.EndObject();
}

// The lists that end a session (before "errors"), in report order: most of the
// report. The parts writer sends them in slices.
enum SessionList { kPeers, kBreaches, kIssues, kEvents, kSessionListCount };
constexpr const char* kSessionListNames[kSessionListCount] = {"peers", "breaches", "issues",
                                                              "events"};

size_t ListSize(const Session& session, const SessionAnalysis& sa, int list) {
  switch (list) {
    case kPeers:
      return session.peers.size();
    case kBreaches:
      return sa.breaches.size();
    case kIssues:
      return sa.issues.size();
    default:
      return sa.events.size();
  }
}

// How the config asks the report to be written (not what it finds): addresses
// masked or not, times of day in which zone.
struct Presentation {
  explicit Presentation(const Config& config)
      : show_addresses(config.show_addresses), clock(config.utc_offset_minutes) {}
  bool show_addresses;
  report::Clock clock;
};

// Elements [begin, end) of one of a session's lists, one JSON value each.
void ListElementsJson(JsonWriter& w, const Session& session, const SessionAnalysis& sa,
                      const PeerIndex& peers, const Presentation& how, int list, size_t begin,
                      size_t end) {
  for (size_t i = begin; i < end; ++i) {
    switch (list) {
      case kPeers:
        PeerJson(w, session.peers[i], report::PeerAnalysisAt(sa, i), peers, how.show_addresses);
        break;
      case kBreaches:
        BreachJson(w, sa.breaches[i], sa.issues.size());
        break;
      case kIssues:
        IssueJson(w, session, sa, i, peers, how.clock);
        break;
      default:
        EventJson(w, session, sa, peers, sa.events[i]);
    }
  }
}

// The same elements as a JSON array.
void ListJson(JsonWriter& w, const Session& session, const SessionAnalysis& sa,
              const PeerIndex& peers, const Presentation& how, int list, size_t begin, size_t end) {
  w.BeginArray();
  ListElementsJson(w, session, sa, peers, how, list, begin, end);
  w.EndArray();
}

// How SessionJson writes a session's lists.
enum class Lists {
  kSerial,    // in order, on the calling thread
  kParallel,  // on options.threads threads (compact output)
  kEmpty,     // as [] (the head of WriteJsonReportParts)
};

void SessionJson(JsonWriter& w, const Session& session, const SessionAnalysis& sa,
                 const JsonReportOptions& options, const Presentation& how, Lists lists) {
  const PeerIndex peers = report::IndexPeers(session);
  w.BeginObject()
      .Field("session_id", session.session_id)
      .Field("room_id", session.room_id)
      .Field("start_ms", sa.start_ms)
      .Field("end_ms", sa.end_ms)
      .Field("duration_ms", std::max<int64_t>(0, sa.end_ms - sa.start_ms));
  w.Key("summary");
  SummaryJson(w, session, sa);
  w.Key("meetings").BeginArray();
  for (const Meeting& m : sa.meetings) MeetingJson(w, m, session, sa);
  w.EndArray();
  w.Key("users");
  UsersJson(w, sa.users);
  if (sa.activity) {
    w.Key("activity");
    ActivityJson(w, *sa.activity);
  }
  const size_t np = session.peers.size();
  if (lists == Lists::kParallel) {
    // Each peer, then the other lists whole, written to texts on several
    // threads and appended in order as they come (only a few texts are held
    // at once).
    const auto produce = [&](size_t k) {
      JsonWriter pw(-1);
      pw.set_ascii(options.ascii);
      if (k < np) {
        ListElementsJson(pw, session, sa, peers, how, kPeers, k, k + 1);
      } else {
        const int list = static_cast<int>(k - np) + 1;
        ListJson(pw, session, sa, peers, how, list, 0, ListSize(session, sa, list));
      }
      return pw.Take();
    };
    w.Key(kSessionListNames[kPeers]).BeginArray();
    const auto append = [&](size_t k, std::string text) {
      if (k == np) w.EndArray();
      if (k >= np) w.Key(kSessionListNames[k - np + 1]);
      w.Raw(text);
    };
    const size_t ahead = 4 * static_cast<size_t>(options.threads);
    ParallelOrdered<std::string>(np + kSessionListCount - 1, options.threads, ahead, produce,
                                 append);
  } else {
    for (int list = 0; list < kSessionListCount; ++list) {
      w.Key(kSessionListNames[list]);
      const size_t n = lists == Lists::kEmpty ? 0 : ListSize(session, sa, list);
      ListJson(w, session, sa, peers, how, list, 0, n);
    }
  }
  w.Key("errors");
  ErrorsJson(w, session, sa);
  w.Key("webhook_deliveries");
  DeliveriesJson(w, report::SummarizeDeliveries(session));
  w.EndObject();
}

// Events of one room that no session took, and the room's failure rates.
void RoomJson(JsonWriter& w, const RoomEvents& room, const RoomAnalysis& ra) {
  w.BeginObject().Field("room_id", room.room_id);
  w.Key("unattached_events").BeginArray();
  for (const UnattachedEvent& u : room.events) {
    const Event& e = u.event;
    w.BeginObject()
        .Field("time_ms", e.time_ms)
        .FieldIfGiven("peer_id", e.peer_id)
        .Field("type", e.type)
        .Field("detail", report::DescribeEvent(e))
        .Field("error", e.is_error)
        .FieldIfGiven("failed", FailedOperationName(e.failed))
        .Field("source", e.source)
        .Field("why", UnattachedWhyName(u.why))
        .EndObject();
  }
  w.EndArray();
  w.Key("failure_rates").BeginObject();
  for (const auto& [action, rate] : ra.failure_rates) {
    w.Key(action);
    FailureRateJson(w, rate);
  }
  w.EndObject().EndObject();
}

void DeliveriesJson(JsonWriter& w, const report::DeliverySummary& d) {
  w.BeginObject().Field("delivered", d.delivered).Field("failed", d.failed);
  w.Key("failed_by_event");
  CountsJson(w, d.failed_by_event);
  w.Key("failed_reasons");
  CountsJson(w, d.failed_reasons);
  w.EndObject();
}

void RoomsJson(JsonWriter& w, const SessionSet& model, const Analysis& analysis) {
  static const RoomAnalysis kNoRoom;
  w.BeginArray();
  for (size_t i = 0; i < model.unattached.size(); ++i) {
    RoomJson(w, model.unattached[i], i < analysis.rooms.size() ? analysis.rooms[i] : kNoRoom);
  }
  w.EndArray();
}

void Preamble(JsonWriter& w) {
  w.Field("schema_version", kReportSchemaVersion);
  w.Key("generator")
      .BeginObject()
      .Field("name", "callsight")
      .Field("version", CALLSIGHT_VERSION)
      .EndObject();
}

void WriteReport(const ReportContext& ctx, JsonWriter& w, const JsonReportOptions& options,
                 Lists lists) {
  w.BeginObject();
  Preamble(w);
  w.Key("config").Raw(ConfigToJson(ctx.config));
  const Presentation how(ctx.config);
  w.Field("time_zone", how.clock.Zone());
  ChartRulesJson(w, ctx.analysis.charts);
  w.Key("labels");
  report::LabelsJson(w);
  w.Key("inputs");
  InputsJson(w, ctx.inputs);
  w.Key("sessions").BeginArray();
  for (size_t i = 0; i < ctx.model.sessions.size(); ++i) {
    SessionJson(w, ctx.model.sessions[i], report::SessionAnalysisAt(ctx.analysis, i), options, how,
                lists);
  }
  w.EndArray();
  w.Key("rooms");
  RoomsJson(w, ctx.model, ctx.analysis);
  w.EndObject();
}

// The lists of WriteReport for these options.
Lists ListsFor(const JsonReportOptions& options) {
  return options.threads > 1 && options.indent < 0 ? Lists::kParallel : Lists::kSerial;
}

}  // namespace

std::string WriteJsonReport(const ReportContext& ctx, int indent) {
  try {
    JsonWriter w(indent);
    JsonReportOptions options;
    options.indent = indent;
    WriteReport(ctx, w, options, Lists::kSerial);
    return w.Take();
  } catch (const std::exception& e) {
    // Out of memory or a bug: still a valid (empty) report naming the failure.
    try {
      JsonWriter w(indent);
      w.BeginObject();
      Preamble(w);
      w.Field("error", std::string("report could not be written: ") + e.what());
      w.Key("config").BeginObject().EndObject();
      w.Key("charts").BeginArray().EndArray();
      w.Key("inputs").BeginArray().EndArray();
      w.Key("sessions").BeginArray().EndArray();
      w.Key("rooms").BeginArray().EndArray();
      w.EndObject();
      return w.Take();
    } catch (...) {
      return "{\"schema_version\":2,\"error\":\"report could not be written\"}";
    }
  }
}

Status WriteJsonReport(const ReportContext& ctx, const JsonReportOptions& options,
                       const TextSink& sink) {
  try {
    JsonWriter w(options.indent, sink);
    w.set_ascii(options.ascii);
    WriteReport(ctx, w, options, ListsFor(options));
    w.Flush();
    return Status::Ok();
  } catch (const std::exception& e) {
    return Status::Internal(std::string("report could not be written: ") + e.what());
  }
}

Status WriteJsonReportParts(const ReportContext& ctx, const JsonReportOptions& options,
                            const ReportPartSink& sink) {
  try {
    // The parts after the head: slices of each session's lists, of at least
    // kMinElements elements (one peer: peers are big) and at most kMaxSlices
    // per list, so that a reader's cost per part stays small beside parsing.
    constexpr size_t kMinElements = 256, kMaxSlices = 64;
    struct Slice {
      size_t session;
      int list;
      size_t begin, end;
    };
    std::vector<Slice> slices;
    std::vector<PeerIndex> peers;
    for (size_t s = 0; s < ctx.model.sessions.size(); ++s) {
      const Session& session = ctx.model.sessions[s];
      const SessionAnalysis& sa = report::SessionAnalysisAt(ctx.analysis, s);
      peers.push_back(report::IndexPeers(session));
      for (int list = 0; list < kSessionListCount; ++list) {
        const size_t n = ListSize(session, sa, list);
        const size_t per =
            std::max<size_t>(list == kPeers ? 1 : kMinElements, (n + kMaxSlices - 1) / kMaxSlices);
        for (size_t b = 0; b < n; b += per) slices.push_back({s, list, b, std::min(n, b + per)});
      }
    }
    const auto produce = [&](size_t k) {
      JsonWriter w(-1);
      w.set_ascii(options.ascii);
      if (k == 0) {
        WriteReport(ctx, w, options, Lists::kEmpty);
      } else {
        const Slice& sl = slices[k - 1];
        ListJson(w, ctx.model.sessions[sl.session],
                 report::SessionAnalysisAt(ctx.analysis, sl.session), peers[sl.session],
                 Presentation(ctx.config), sl.list, sl.begin, sl.end);
      }
      return w.Take();
    };
    const auto consume = [&](size_t k, std::string text) {
      ReportPart part;
      if (k > 0) {
        part.session = static_cast<int>(slices[k - 1].session);
        part.list = kSessionListNames[slices[k - 1].list];
      }
      part.json = text;
      sink(part);
    };
    const size_t ahead = 4 * static_cast<size_t>(std::max(1, options.threads));
    ParallelOrdered<std::string>(slices.size() + 1, options.threads, ahead, produce, consume);
    return Status::Ok();
  } catch (const std::exception& e) {
    return Status::Internal(std::string("report could not be written: ") + e.what());
  }
}

}  // namespace callsight
