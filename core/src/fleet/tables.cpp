// The five fleet tables (docs/TABLES.md): one JSON object per line, written
// from the analysis as it decided, with every column in every row (null when
// not known) in a fixed order.
#include "fleet/tables.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "analysis/error_codes.h"
#include "json/json_cursor.h"
#include "json/json_writer.h"
#include "report/format.h"
#include "util/utf8.h"

namespace callsight {
namespace {

using json::JsonTree;
using json::JsonValue;
using json::JsonWriter;

constexpr int kMaxRowDepth = 8;

// A string column: null when empty.
void Text(JsonWriter& w, std::string_view key, std::string_view v) {
  w.Key(key);
  v.empty() ? w.Null() : w.String(v);
}

// A number column with `decimals` decimals: null when unset or not finite.
void Num(JsonWriter& w, std::string_view key, double v, int decimals) {
  w.Key(key);
  std::isfinite(v) ? w.Number(v, decimals) : w.Null();
}

// A time: "<key>_at" (RFC 3339 UTC) and "<key>_ms" (epoch ms), null when none.
void Time(JsonWriter& w, const std::string& key, std::optional<int64_t> ms) {
  w.Key(key + "_at");
  ms ? w.String(report::FormatRfc3339(*ms)) : w.Null();
  w.Key(key + "_ms");
  ms ? w.Int(*ms) : w.Null();
}

// Seconds between two epoch-ms times, to the millisecond.
double Seconds(int64_t start_ms, int64_t end_ms) {
  return static_cast<double>(std::max<int64_t>(0, end_ms - start_ms)) / 1000.0;
}

// "100ms" (exports only), "dump" (browser stats dumps only) or "mixed".
const char* SourceOf(const Session& s) {
  size_t dumps = 0;
  for (const Peer& p : s.peers) dumps += p.info.dump_kind.empty() ? 0 : 1;
  if (dumps == 0) return "100ms";
  return dumps == s.peers.size() ? "dump" : "mixed";
}

// The mean and the lowest of the peers' headline CQS (kUnset when none has one).
std::pair<double, double> CqsMeanAndMin(const SessionAnalysis& sa) {
  double sum = 0, min = kUnset;
  int n = 0;
  for (const PeerAnalysis& pa : sa.peers) {
    if (!std::isfinite(pa.cqs)) continue;
    sum += pa.cqs;
    min = n == 0 ? pa.cqs : std::min(min, pa.cqs);
    ++n;
  }
  return {n ? sum / n : kUnset, min};
}

// s as the JSON text holds it: each invalid UTF-8 byte replaced by U+FFFD, as
// JsonWriter writes it, so the ids of fresh rows equal those read back.
std::string AsWritten(const std::string& s) {
  std::string out;
  const auto* p = reinterpret_cast<const unsigned char*>(s.data());
  const auto* end = p + s.size();
  while (p < end) {
    uint32_t cp = 0;
    const size_t n = *p < 0x80 ? 1 : util::DecodeUtf8(p, end, &cp);
    out.append(n == 0 ? "\xEF\xBF\xBD" : std::string(reinterpret_cast<const char*>(p), n));
    p += n == 0 ? 1 : n;
  }
  return out;
}

TableRow Row(const Session& s, std::string key, JsonWriter& w) {
  return TableRow{AsWritten(s.session_id), AsWritten(key), w.Take()};
}

TableRow SessionRow(const Session& s, const SessionAnalysis& sa) {
  JsonWriter w;
  const Verdict& v = sa.verdict;
  const auto [cqs_mean, cqs_min] = CqsMeanAndMin(sa);
  w.BeginObject().Field("session_id", s.session_id);
  Text(w, "room_id", s.room_id);
  Text(w, "room_name", s.room_name);
  Time(w, "started", sa.start_ms);
  Time(w, "ended", sa.end_ms);
  w.Field("day", report::FormatDay(sa.start_ms));
  Num(w, "duration_s", Seconds(sa.start_ms, sa.end_ms), 3);
  w.Field("participants", s.peers.size()).Field("never_joined", v.never_joined);
  Num(w, "participant_minutes", sa.participant_minutes, 3);
  w.Field("meetings", sa.meetings.size()).Field("verdict", VerdictLevelName(v.level));
  Num(w, "cqs_mean", cqs_mean, 3);
  Num(w, "cqs_min", cqs_min, 3);
  w.Field("issues", v.issues.total())
      .Field("issues_info", v.issues.of(Severity::kInfo))
      .Field("issues_warning", v.issues.of(Severity::kWarning))
      .Field("issues_critical", v.issues.of(Severity::kCritical))
      .Field("failures", v.failures)
      .Field("terminal_failures", v.terminal_failures)
      .Field("affected_peers", v.affected_peers)
      .Field("source", SourceOf(s))
      .EndObject();
  return Row(s, "", w);
}

// Error events of one peer: all, and terminal ones.
std::pair<int, int> FailuresOf(const Session& s, const SessionAnalysis& sa, const std::string& id) {
  int all = 0, terminal = 0;
  for (size_t i : sa.error_events) {
    if (s.events[i].peer_id != id) continue;
    ++all;
    terminal += s.events[i].is_terminal ? 1 : 0;
  }
  return {all, terminal};
}

TableRow ParticipantRow(const Session& s, const SessionAnalysis& sa, size_t pi) {
  const Peer& p = s.peers[pi];
  const PeerAnalysis& pa = sa.peers[pi];
  const PeerInfo& info = p.info;
  const auto [failures, terminal] = FailuresOf(s, sa, p.peer_id);
  JsonWriter w;
  w.BeginObject().Field("session_id", s.session_id).Field("peer_id", p.peer_id);
  Text(w, "user_id", info.user_id);
  Text(w, "name", info.name);
  Text(w, "role", info.role);
  Text(w, "browser", info.browser);
  Text(w, "browser_version", info.browser_version);
  Text(w, "os", info.os);
  Text(w, "os_version", info.os_version);
  Text(w, "sdk", info.sdk);
  Text(w, "sdk_version", info.sdk_version);
  Text(w, "device", info.device_model);
  Time(w, "joined", pa.joined_ms);
  Time(w, "left", pa.left_ms);
  Num(w, "present_s", static_cast<double>(pa.present_ms) / 1000.0, 3);
  w.Field("attendance", AttendanceName(pa.attendance));
  Text(w, "end_reason", pa.end_reason);
  Num(w, "cqs", pa.cqs, 2);
  Num(w, "cqs_uplink", pa.cqs_uplink, 2);
  Num(w, "cqs_downlink", pa.cqs_downlink, 2);
  Num(w, "cqs_mean", pa.cqs_summary.mean, 2);
  w.Field("published_tracks", pa.published_tracks)
      .Field("issue_count", pa.issue_count)
      .Field("failures", failures)
      .Field("terminal_failures", terminal)
      .Field("source", info.dump_kind.empty() ? "100ms" : "dump")
      .EndObject();
  return Row(s, p.peer_id, w);
}

TableRow IssueRow(const Session& s, const Issue& is, size_t index) {
  JsonWriter w;
  w.BeginObject().Field("session_id", s.session_id).Field("issue_index", index);
  w.Field("code", IssueCodeName(is.code)).Field("severity", SeverityName(is.severity));
  Text(w, "peer_id", is.peer_id);
  Text(w, "direction", PathName(is.direction));
  Time(w, "start", is.start_ms);
  Time(w, "end", is.end_ms);
  Num(w, "duration_s", Seconds(is.start_ms, is.end_ms), 3);
  // The metric only for issues measured by breaches or detections.
  const bool measured = !is.breaches.empty() || is.detection.has_value();
  Text(w, "metric", measured ? BreachMetricName(is.metric) : "");
  Num(w, "peak", is.peak, 3);
  Num(w, "mean", is.mean, 3);
  Num(w, "threshold", is.threshold, 3);
  w.Field("breaches", is.breaches.size())
      .Field("affected_peers", is.affected_peers.size())
      .EndObject();
  return Row(s, fleet::IndexKey(index), w);
}

TableRow BreachRow(const Session& s, const Breach& b, size_t index) {
  JsonWriter w;
  w.BeginObject().Field("session_id", s.session_id).Field("breach_index", index);
  w.Field("peer_id", b.peer_id)
      .Field("track_key", std::string(DirectionName(b.direction)) + "/" + b.track_id + "/" + b.rid)
      .Field("direction", DirectionName(b.direction))
      .Field("kind", MediaKindName(b.kind));
  Text(w, "track_id", b.track_id);
  Text(w, "rid", b.rid);
  w.Field("metric", BreachMetricName(b.metric)).Field("level", SeverityName(b.severity));
  Num(w, "threshold", b.threshold, 3);
  Time(w, "start", b.start_ms);
  Time(w, "end", b.end_ms);
  Num(w, "duration_s", Seconds(b.start_ms, b.end_ms), 3);
  Num(w, "worst", b.peak, 3);
  Num(w, "mean", b.mean, 3);
  w.Field("samples", b.samples).Key("issue_index");
  b.issue >= 0 ? w.Int(b.issue) : w.Null();
  w.EndObject();
  return Row(s, fleet::IndexKey(index), w);
}

TableRow ErrorRow(const Session& s, const Event& e, size_t index) {
  const analysis::ErrorInfo info = analysis::ClassifyError(e.error_code, e.error_name);
  JsonWriter w;
  w.BeginObject().Field("session_id", s.session_id).Field("error_index", index);
  Text(w, "peer_id", e.peer_id);
  Time(w, "time", e.time_ms);
  w.Field("type", e.type);
  Text(w, "failed", FailedOperationName(e.failed));
  Text(w, "action", e.action);
  Text(w, "code", e.error_code);
  Text(w, "name", e.error_name);
  w.Field("family", analysis::ErrorFamilyName(info.family))
      .Field("kind", analysis::ErrorKindName(info.kind))
      .Field("terminal", e.is_terminal)
      .EndObject();
  return Row(s, fleet::IndexKey(index), w);
}

void AddSessionRows(const Session& s, const SessionAnalysis& sa, FleetTables* out) {
  out->of(FleetTable::kSessions).push_back(SessionRow(s, sa));
  for (size_t i = 0; i < s.peers.size() && i < sa.peers.size(); ++i) {
    out->of(FleetTable::kParticipants).push_back(ParticipantRow(s, sa, i));
  }
  for (size_t i = 0; i < sa.issues.size(); ++i) {
    out->of(FleetTable::kIssues).push_back(IssueRow(s, sa.issues[i], i));
  }
  for (size_t i = 0; i < sa.breaches.size(); ++i) {
    out->of(FleetTable::kBreaches).push_back(BreachRow(s, sa.breaches[i], i));
  }
  for (size_t i = 0; i < sa.error_events.size(); ++i) {
    out->of(FleetTable::kErrors).push_back(ErrorRow(s, s.events[sa.error_events[i]], i));
  }
}

bool RowLess(const TableRow& a, const TableRow& b) {
  return std::tie(a.session_id, a.key) < std::tie(b.session_id, b.key);
}

}  // namespace

namespace fleet {

const char* KeyColumn(FleetTable table) {
  switch (table) {
    case FleetTable::kSessions:
      return "";
    case FleetTable::kParticipants:
      return "peer_id";
    case FleetTable::kIssues:
      return "issue_index";
    case FleetTable::kBreaches:
      return "breach_index";
    case FleetTable::kErrors:
      return "error_index";
  }
  return "";
}

std::string IndexKey(size_t index) {
  char buf[24];
  std::snprintf(buf, sizeof buf, "%010zu", index);
  return buf;
}

Status ReadRowTree(FleetTable table, std::string_view line, const std::string& file_name,
                   size_t line_number, JsonTree* tree) {
  const std::string where = file_name + " line " + std::to_string(line_number) + ": ";
  json::JsonCursor cursor(line, kMaxRowDepth);
  if (tree->Read(&cursor, JsonTree::NumberRange::kFinite) && !cursor.AtEnd()) {
    cursor.Fail("unexpected text after the end of the row");
  }
  if (cursor.failed()) {
    std::string at = cursor.error_pointer().empty() ? "" : " at " + cursor.error_pointer();
    return Status::InvalidArgument(where + "not valid JSON" + at + ": " + cursor.error());
  }
  const JsonValue row = tree->root();
  if (!row.is_object()) return Status::InvalidArgument(where + "a row must be a JSON object");
  if (!row.Find("session_id").is_string()) {
    return Status::InvalidArgument(where + "session_id must be a string");
  }
  const std::string_view key = KeyColumn(table);
  if (key.empty()) return Status::Ok();
  const JsonValue k = row.Find(key);
  const bool ok = key == "peer_id" ? k.is_string() : k.is_number() && k.number() >= 0;
  if (!ok) {
    return Status::InvalidArgument(where + std::string(key) + " must be " +
                                   (key == "peer_id" ? "a string" : "a whole number"));
  }
  return Status::Ok();
}

}  // namespace fleet

const char* FleetTableName(FleetTable t) {
  static constexpr const char* kNames[kFleetTableCount] = {"sessions", "participants", "issues",
                                                           "breaches", "errors"};
  return kNames[static_cast<int>(t)];
}

FleetTables MakeTableRows(const SessionSet& sessions, const Analysis& analysis) {
  FleetTables out;
  for (size_t i = 0; i < sessions.sessions.size() && i < analysis.sessions.size(); ++i) {
    AddSessionRows(sessions.sessions[i], analysis.sessions[i], &out);
  }
  return out;
}

Result<std::vector<TableRow>> ReadTableRows(FleetTable table, std::string_view text,
                                            const std::string& file_name) {
  std::vector<TableRow> rows;
  size_t line_number = 0;
  const std::string_view key = fleet::KeyColumn(table);
  while (!text.empty()) {
    const size_t nl = text.find('\n');
    std::string_view line = text.substr(0, nl);
    text.remove_prefix(nl == std::string_view::npos ? text.size() : nl + 1);
    ++line_number;
    if (line.find_first_not_of(" \t\r") == std::string_view::npos) continue;
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    JsonTree tree;
    Status status = fleet::ReadRowTree(table, line, file_name, line_number, &tree);
    if (!status.ok()) return status;
    const JsonValue row = tree.root();
    TableRow r{std::string(row.Find("session_id").text()), "", std::string(line)};
    if (key == "peer_id") {
      r.key = std::string(row.Find(key).text());
    } else if (!key.empty()) {
      r.key = fleet::IndexKey(static_cast<size_t>(row.Find(key).number()));
    }
    rows.push_back(std::move(r));
  }
  return rows;
}

std::vector<TableRow> MergeTableRows(std::vector<TableRow> old_rows, std::vector<TableRow> fresh,
                                     const std::vector<std::string>& replaced) {
  const std::set<std::string> gone(replaced.begin(), replaced.end());
  old_rows.erase(std::remove_if(old_rows.begin(), old_rows.end(),
                                [&](const TableRow& r) { return gone.count(r.session_id) > 0; }),
                 old_rows.end());
  for (TableRow& r : fresh) old_rows.push_back(std::move(r));
  std::stable_sort(old_rows.begin(), old_rows.end(), RowLess);
  return old_rows;
}

std::string TableText(const std::vector<TableRow>& rows) {
  size_t size = 0;
  for (const TableRow& r : rows) size += r.json.size() + 1;
  std::string text;
  text.reserve(size);
  for (const TableRow& r : rows) text.append(r.json).append(1, '\n');
  return text;
}

}  // namespace callsight
