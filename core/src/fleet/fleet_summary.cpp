// The fleet summary: the five tables read back (fleet/tables.h) and counted.
// It reads only the columns docs/TABLES.md documents, so the same numbers
// come out of the SQL queries there.
#include "fleet/fleet_summary.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <map>
#include <set>
#include <string>
#include <tuple>
#include <utility>
#include <vector>

#include "fleet/tables.h"
#include "json/json_writer.h"
#include "report/labels.h"

namespace callsight {
namespace {

using json::JsonTree;
using json::JsonValue;
using json::JsonWriter;

// The columns the summary reads.
struct SessionRec {
  std::string id, room, room_name, day, started_at, verdict;
  int participants = 0;
  double participant_minutes = 0;
  double cqs_mean = kUnset;
  int critical = 0, issues = 0, warning_or_worse = 0;
};

struct ParticipantRec {
  std::string session, peer, browser, os, sdk_version, role;
  int failures = 0, terminal = 0;
};

struct IssueRec {
  std::string session, peer, code;
  bool critical = false;
  bool warning_or_worse = false;
};

struct Rows {
  std::vector<SessionRec> sessions;
  std::vector<ParticipantRec> participants;
  std::vector<IssueRec> issues;
};

std::string Str(const JsonValue& row, std::string_view key) {
  const JsonValue v = row.Find(key);
  return v.is_string() ? std::string(v.text()) : std::string();
}

double Number(const JsonValue& row, std::string_view key) {
  const JsonValue v = row.Find(key);
  return v.is_number() ? v.number() : kUnset;
}

// A count column; missing, or beyond what a count can be (a damaged row),
// counts as 0.
int Int(const JsonValue& row, std::string_view key) {
  const double v = Number(row, key);
  return v >= std::numeric_limits<int>::min() && v <= std::numeric_limits<int>::max()
             ? static_cast<int>(v)
             : 0;
}

// Calls add(row) for each row of a table's text; fails on the first bad row.
template <typename Add>
Status ForEachRow(FleetTable table, const std::string& text, Add add) {
  const std::string file = std::string(FleetTableName(table)) + ".ndjson";
  std::string_view rest = text;
  size_t line_number = 0;
  while (!rest.empty()) {
    const size_t nl = rest.find('\n');
    std::string_view line = rest.substr(0, nl);
    rest.remove_prefix(nl == std::string_view::npos ? rest.size() : nl + 1);
    ++line_number;
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    if (line.find_first_not_of(" \t") == std::string_view::npos) continue;
    JsonTree tree;
    Status status = fleet::ReadRowTree(table, line, file, line_number, &tree);
    if (!status.ok()) return status;
    add(tree.root());
  }
  return Status::Ok();
}

Result<Rows> ReadRows(const std::array<std::string, kFleetTableCount>& tables) {
  Rows rows;
  const auto text = [&](FleetTable t) -> const std::string& { return tables[static_cast<int>(t)]; };
  Status s = ForEachRow(FleetTable::kSessions, text(FleetTable::kSessions), [&](JsonValue r) {
    SessionRec rec{Str(r, "session_id"), Str(r, "room_id"),    Str(r, "room_name"),
                   Str(r, "day"),        Str(r, "started_at"), Str(r, "verdict")};
    rec.participants = Int(r, "participants");
    rec.participant_minutes = std::max(0.0, Number(r, "participant_minutes"));
    if (!std::isfinite(rec.participant_minutes)) rec.participant_minutes = 0;
    rec.cqs_mean = Number(r, "cqs_mean");
    rec.critical = Int(r, "issues_critical");
    rec.issues = Int(r, "issues");
    rec.warning_or_worse = Int(r, "issues_warning") + rec.critical;
    rows.sessions.push_back(std::move(rec));
  });
  if (s.ok()) {
    s = ForEachRow(FleetTable::kParticipants, text(FleetTable::kParticipants), [&](JsonValue r) {
      rows.participants.push_back({Str(r, "session_id"), Str(r, "peer_id"), Str(r, "browser"),
                                   Str(r, "os"), Str(r, "sdk_version"), Str(r, "role"),
                                   Int(r, "failures"), Int(r, "terminal_failures")});
    });
  }
  if (s.ok()) {
    s = ForEachRow(FleetTable::kIssues, text(FleetTable::kIssues), [&](JsonValue r) {
      const std::string severity = Str(r, "severity");
      rows.issues.push_back({Str(r, "session_id"), Str(r, "peer_id"), Str(r, "code"),
                             severity == "critical",
                             severity == "critical" || severity == "warning"});
    });
  }
  if (!s.ok()) return s;
  return rows;
}

// Keeps the sessions that started on `since` or later, and the rows of the
// sessions kept.
void KeepSince(const std::string& since, Rows* rows) {
  auto& ss = rows->sessions;
  if (!since.empty()) {
    ss.erase(
        std::remove_if(ss.begin(), ss.end(), [&](const SessionRec& s) { return s.day < since; }),
        ss.end());
  }
  std::set<std::string> kept;
  for (const SessionRec& s : ss) kept.insert(s.id);
  auto& ps = rows->participants;
  ps.erase(std::remove_if(ps.begin(), ps.end(),
                          [&](const ParticipantRec& p) { return !kept.count(p.session); }),
           ps.end());
  auto& is = rows->issues;
  is.erase(std::remove_if(is.begin(), is.end(),
                          [&](const IssueRec& i) { return !kept.count(i.session); }),
           is.end());
}

double Share(int part, int whole) { return whole > 0 ? static_cast<double>(part) / whole : 0; }

using PeerKey = std::pair<std::string, std::string>;  // session id, peer id

// Counts issues by code over `issues` (those of `peers` only, when given),
// shares out of `sessions` and `participants`.
std::vector<FleetIssue> CountIssues(const std::vector<const IssueRec*>& issues, int sessions,
                                    int participants) {
  struct Acc {
    int count = 0, critical = 0;
    std::set<std::string> sessions;
    std::set<PeerKey> peers;
  };
  std::map<std::string, Acc> by_code;
  for (const IssueRec* i : issues) {
    Acc& a = by_code[i->code];
    ++a.count;
    a.critical += i->critical ? 1 : 0;
    a.sessions.insert(i->session);
    if (!i->peer.empty()) a.peers.insert({i->session, i->peer});
  }
  std::vector<FleetIssue> out;
  for (const auto& [code, a] : by_code) {
    FleetIssue f;
    f.code = code;
    f.count = a.count;
    f.critical = a.critical;
    f.sessions = static_cast<int>(a.sessions.size());
    f.participants = static_cast<int>(a.peers.size());
    f.session_share = Share(f.sessions, sessions);
    f.participant_share = Share(f.participants, participants);
    f.critical_share = Share(f.critical, f.count);
    out.push_back(std::move(f));
  }
  return out;
}

void SortBySessions(std::vector<FleetIssue>* issues) {
  std::sort(issues->begin(), issues->end(), [](const FleetIssue& a, const FleetIssue& b) {
    return std::make_tuple(-a.sessions, -a.count, a.code) <
           std::make_tuple(-b.sessions, -b.count, b.code);
  });
}

void SortByParticipants(std::vector<FleetIssue>* issues) {
  std::sort(issues->begin(), issues->end(), [](const FleetIssue& a, const FleetIssue& b) {
    return std::make_tuple(-a.participants, -a.count, a.code) <
           std::make_tuple(-b.participants, -b.count, b.code);
  });
}

// The value of a participant in a dimension.
std::string ValueOf(const std::string& dimension, const ParticipantRec& p,
                    const std::map<std::string, std::string>& room_of) {
  if (dimension == "browser") return p.browser;
  if (dimension == "os") return p.os;
  if (dimension == "sdk_version") return p.sdk_version;
  if (dimension == "role") return p.role;
  const auto it = room_of.find(p.session);
  return it == room_of.end() ? "" : it->second;
}

FleetGroup MakeGroup(const std::string& value, const std::vector<const ParticipantRec*>& members,
                     const std::map<PeerKey, std::vector<const IssueRec*>>& issues_of) {
  FleetGroup g;
  g.value = value;
  g.participants = static_cast<int>(members.size());
  std::set<std::string> sessions, affected_sessions;
  std::vector<const IssueRec*> issues;
  for (const ParticipantRec* p : members) {
    sessions.insert(p->session);
    const auto it = issues_of.find({p->session, p->peer});
    if (it == issues_of.end()) continue;
    issues.insert(issues.end(), it->second.begin(), it->second.end());
    if (std::any_of(it->second.begin(), it->second.end(),
                    [](const IssueRec* i) { return i->warning_or_worse; })) {
      ++g.participants_affected;
      affected_sessions.insert(p->session);
    }
  }
  g.sessions = static_cast<int>(sessions.size());
  g.sessions_affected = static_cast<int>(affected_sessions.size());
  g.affected_share = Share(g.participants_affected, g.participants);
  g.issues = CountIssues(issues, g.sessions, g.participants);
  SortByParticipants(&g.issues);
  return g;
}

// The known group of at least kFleetMinGroup participants with the highest
// share of participants that had `top`, if that share is above the fleet's
// (a group below it suffers less than most, not most: then none is named).
void FindMostAffected(const FleetIssue& top, FleetBreakdown* b) {
  const std::string& code = top.code;
  const FleetGroup* best = nullptr;
  double best_share = -1;
  for (const FleetGroup& g : b->groups) {
    if (g.value.empty() || g.participants < kFleetMinGroup) continue;
    double share = 0;
    for (const FleetIssue& i : g.issues) share = i.code == code ? i.participant_share : share;
    if (share > best_share) best = &g, best_share = share;
  }
  if (best && best_share > 0 && best_share > top.participant_share) {
    b->most_affected = best->value;
    b->most_affected_share = best_share;
  }
}

FleetBreakdown MakeBreakdown(const std::string& dimension, const Rows& rows,
                             const std::map<std::string, std::string>& room_of,
                             const std::map<PeerKey, std::vector<const IssueRec*>>& issues_of,
                             const FleetIssue* top) {
  std::map<std::string, std::vector<const ParticipantRec*>> members;
  for (const ParticipantRec& p : rows.participants) {
    members[ValueOf(dimension, p, room_of)].push_back(&p);
  }
  FleetBreakdown b;
  b.dimension = dimension;
  for (const auto& [value, list] : members) b.groups.push_back(MakeGroup(value, list, issues_of));
  std::sort(b.groups.begin(), b.groups.end(), [](const FleetGroup& x, const FleetGroup& y) {
    return std::make_tuple(-x.participants, x.value) < std::make_tuple(-y.participants, y.value);
  });
  if (top) FindMostAffected(*top, &b);
  return b;
}

// Lowest CQS first (none last), then the most critical issues.
template <typename T>
bool WorseFirst(const T& a, const T& b) {
  const bool ha = std::isfinite(a.cqs_mean), hb = std::isfinite(b.cqs_mean);
  if (ha != hb) return ha;
  if (ha && a.cqs_mean != b.cqs_mean) return a.cqs_mean < b.cqs_mean;
  return a.critical_count() > b.critical_count();
}

double MeanOf(const std::vector<double>& values) {
  double sum = 0;
  int n = 0;
  for (double v : values) {
    if (std::isfinite(v)) sum += v, ++n;
  }
  return n ? sum / n : kUnset;
}

void AddWorstSessions(const Rows& rows, FleetSummary* out) {
  struct Ranked : FleetSession {
    int critical_count() const { return critical; }
  };
  std::vector<Ranked> all;
  for (const SessionRec& s : rows.sessions) {
    Ranked r;
    r.session_id = s.id;
    r.room_id = s.room;
    r.room_name = s.room_name;
    r.started_at = s.started_at;
    r.day = s.day;
    r.participants = s.participants;
    r.cqs_mean = s.cqs_mean;
    r.critical = s.critical;
    r.issues = s.issues;
    r.verdict = s.verdict;
    all.push_back(std::move(r));
  }
  std::stable_sort(all.begin(), all.end(), WorseFirst<Ranked>);
  for (size_t i = 0; i < all.size() && i < kFleetWorstListed; ++i)
    out->worst_sessions.push_back(all[i]);
}

void AddWorstRooms(const Rows& rows, FleetSummary* out) {
  struct Ranked : FleetRoom {
    std::vector<double> cqs;
    int critical_count() const { return sessions_critical; }
  };
  std::map<std::string, Ranked> by_room;
  for (const SessionRec& s : rows.sessions) {
    Ranked& r = by_room[s.room];
    r.room_id = s.room;
    if (r.room_name.empty()) r.room_name = s.room_name;
    ++r.sessions;
    r.participants += s.participants;
    r.sessions_critical += s.critical > 0 ? 1 : 0;
    r.sessions_with_issue += s.warning_or_worse > 0 ? 1 : 0;
    r.cqs.push_back(s.cqs_mean);
  }
  std::vector<Ranked> all;
  for (auto& [room, r] : by_room) {
    r.cqs_mean = MeanOf(r.cqs);
    all.push_back(r);
  }
  std::stable_sort(all.begin(), all.end(), WorseFirst<Ranked>);
  for (size_t i = 0; i < all.size() && i < kFleetWorstListed; ++i)
    out->worst_rooms.push_back(all[i]);
}

// Whether day a is worse than day b: a lower mean CQS (a day without one is
// better than any with one), then a higher share of sessions with an issue.
bool WorseDay(const FleetDay& a, const FleetDay& b) {
  const bool ha = std::isfinite(a.cqs_mean), hb = std::isfinite(b.cqs_mean);
  if (ha != hb) return ha;
  if (ha && a.cqs_mean != b.cqs_mean) return a.cqs_mean < b.cqs_mean;
  return a.issue_share > b.issue_share;
}

void AddDays(const Rows& rows, FleetSummary* out) {
  std::map<std::string, std::pair<FleetDay, std::vector<double>>> by_day;
  for (const SessionRec& s : rows.sessions) {
    auto& [d, cqs] = by_day[s.day];
    d.day = s.day;
    ++d.sessions;
    d.sessions_with_issue += s.warning_or_worse > 0 ? 1 : 0;
    d.sessions_critical += s.critical > 0 ? 1 : 0;
    cqs.push_back(s.cqs_mean);
  }
  for (auto& [day, entry] : by_day) {
    FleetDay& d = entry.first;
    d.cqs_mean = MeanOf(entry.second);
    d.issue_share = Share(d.sessions_with_issue, d.sessions);
    out->days.push_back(d);
  }
  const auto worst = std::min_element(out->days.begin(), out->days.end(), WorseDay);
  if (worst != out->days.end()) out->worst_day = worst->day;
}

void AddTotals(const Rows& rows, FleetSummary* out) {
  out->sessions = static_cast<int>(rows.sessions.size());
  out->participants = static_cast<int>(rows.participants.size());
  for (const SessionRec& s : rows.sessions) {
    out->participant_minutes += s.participant_minutes;
    out->sessions_critical += s.critical > 0 ? 1 : 0;
  }
  for (const ParticipantRec& p : rows.participants) {
    out->participants_failed += p.failures > 0 ? 1 : 0;
    out->participants_terminal += p.terminal > 0 ? 1 : 0;
  }
  out->failure_share = Share(out->participants_failed, out->participants);
  out->terminal_share = Share(out->participants_terminal, out->participants);
  out->critical_session_share = Share(out->sessions_critical, out->sessions);
}

FleetSummary Summarize(const Rows& rows, const std::string& since) {
  FleetSummary out;
  out.since = since;
  AddTotals(rows, &out);
  std::vector<const IssueRec*> all;
  std::map<PeerKey, std::vector<const IssueRec*>> issues_of;
  for (const IssueRec& i : rows.issues) {
    all.push_back(&i);
    if (!i.peer.empty()) issues_of[{i.session, i.peer}].push_back(&i);
  }
  out.issues = CountIssues(all, out.sessions, out.participants);
  SortBySessions(&out.issues);
  const FleetIssue* top = out.issues.empty() ? nullptr : &out.issues.front();
  std::map<std::string, std::string> room_of;
  for (const SessionRec& s : rows.sessions) room_of[s.id] = s.room;
  for (const char* dim : {"browser", "os", "sdk_version", "role", "room"}) {
    out.breakdowns.push_back(MakeBreakdown(dim, rows, room_of, issues_of, top));
  }
  AddWorstSessions(rows, &out);
  AddWorstRooms(rows, &out);
  AddDays(rows, &out);
  return out;
}

// ------------------------------------------------------------------ JSON --

void Share(JsonWriter& w, std::string_view key, double v) { w.Key(key).Number(v, 4); }

void Cqs(JsonWriter& w, double v) {
  w.Key("cqs_mean");
  std::isfinite(v) ? w.Number(v, 3) : w.Null();
}

void IssueJson(JsonWriter& w, const FleetIssue& i) {
  w.BeginObject()
      .Field("code", i.code)
      .Field("count", i.count)
      .Field("critical", i.critical)
      .Field("sessions", i.sessions)
      .Field("participants", i.participants);
  Share(w, "session_share", i.session_share);
  Share(w, "participant_share", i.participant_share);
  Share(w, "critical_share", i.critical_share);
  w.EndObject();
}

void BreakdownJson(JsonWriter& w, const FleetBreakdown& b) {
  w.BeginObject().Field("dimension", b.dimension).Key("most_affected");
  b.most_affected.empty() ? w.Null() : w.String(b.most_affected);
  Share(w, "most_affected_share", b.most_affected_share);
  w.Key("groups").BeginArray();
  for (const FleetGroup& g : b.groups) {
    w.BeginObject().Key("value");
    g.value.empty() ? w.Null() : w.String(g.value);
    w.Field("participants", g.participants)
        .Field("sessions", g.sessions)
        .Field("participants_affected", g.participants_affected)
        .Field("sessions_affected", g.sessions_affected);
    Share(w, "affected_share", g.affected_share);
    w.Key("issues").BeginArray();
    for (const FleetIssue& i : g.issues) IssueJson(w, i);
    w.EndArray().EndObject();
  }
  w.EndArray().EndObject();
}

void ListsJson(JsonWriter& w, const FleetSummary& s) {
  w.Key("worst_sessions").BeginArray();
  for (const FleetSession& x : s.worst_sessions) {
    w.BeginObject().Field("session_id", x.session_id).Key("room_id");
    x.room_id.empty() ? w.Null() : w.String(x.room_id);
    w.Key("room_name");
    x.room_name.empty() ? w.Null() : w.String(x.room_name);
    w.Field("started_at", x.started_at).Field("day", x.day).Field("participants", x.participants);
    Cqs(w, x.cqs_mean);
    w.Field("issues", x.issues)
        .Field("critical", x.critical)
        .Field("verdict", x.verdict)
        .EndObject();
  }
  w.EndArray().Key("worst_rooms").BeginArray();
  for (const FleetRoom& r : s.worst_rooms) {
    w.BeginObject().Key("room_id");
    r.room_id.empty() ? w.Null() : w.String(r.room_id);
    w.Key("room_name");
    r.room_name.empty() ? w.Null() : w.String(r.room_name);
    w.Field("sessions", r.sessions).Field("participants", r.participants);
    Cqs(w, r.cqs_mean);
    w.Field("sessions_with_issue", r.sessions_with_issue)
        .Field("sessions_critical", r.sessions_critical)
        .EndObject();
  }
  w.EndArray().Key("days").BeginArray();
  for (const FleetDay& d : s.days) {
    w.BeginObject().Field("day", d.day).Field("sessions", d.sessions);
    w.Field("sessions_with_issue", d.sessions_with_issue);
    Share(w, "issue_share", d.issue_share);
    w.Field("sessions_critical", d.sessions_critical);
    Cqs(w, d.cqs_mean);
    w.EndObject();
  }
  w.EndArray();
}

}  // namespace

namespace fleet {

bool IsDay(const std::string& day) {
  if (day.size() != 10 || day[4] != '-' || day[7] != '-') return false;
  for (size_t i : {0, 1, 2, 3, 5, 6, 8, 9}) {
    if (day[i] < '0' || day[i] > '9') return false;
  }
  const int month = std::stoi(day.substr(5, 2)), dom = std::stoi(day.substr(8, 2));
  return month >= 1 && month <= 12 && dom >= 1 && dom <= 31;
}

}  // namespace fleet

Result<FleetSummary> SummarizeFleet(const std::array<std::string, kFleetTableCount>& tables,
                                    const std::string& since) {
  if (!since.empty() && !fleet::IsDay(since)) {
    return Status::InvalidArgument("--since must be a day written YYYY-MM-DD, not '" + since + "'");
  }
  Result<Rows> rows = ReadRows(tables);
  if (!rows.ok()) return rows.status();
  Rows kept = std::move(rows).value();
  KeepSince(since, &kept);
  return Summarize(kept, since);
}

std::string FleetSummaryJson(const FleetSummary& s, int indent) {
  JsonWriter w(indent);
  w.BeginObject().Key("since");
  s.since.empty() ? w.Null() : w.String(s.since);
  w.Field("sessions", s.sessions).Field("participants", s.participants);
  w.Key("participant_minutes").Number(s.participant_minutes, 1);
  w.Key("top_issue");
  s.issues.empty() ? w.Null() : w.String(s.issues.front().code);
  w.Key("worst_day");
  s.worst_day.empty() ? w.Null() : w.String(s.worst_day);
  w.Key("failures").BeginObject();
  w.Field("participants_failed", s.participants_failed)
      .Field("participants_terminal", s.participants_terminal)
      .Field("sessions_critical", s.sessions_critical);
  Share(w, "failure_share", s.failure_share);
  Share(w, "terminal_share", s.terminal_share);
  Share(w, "critical_session_share", s.critical_session_share);
  w.EndObject().Key("issues").BeginArray();
  for (const FleetIssue& i : s.issues) IssueJson(w, i);
  w.EndArray().Key("breakdowns").BeginArray();
  for (const FleetBreakdown& b : s.breakdowns) BreakdownJson(w, b);
  w.EndArray();
  ListsJson(w, s);
  w.Key("labels");
  report::LabelsJson(w);
  w.EndObject();
  std::string text = w.Take();
  text.push_back('\n');
  return text;
}

}  // namespace callsight
