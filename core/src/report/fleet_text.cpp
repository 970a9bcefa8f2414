// The fleet summary as text for a terminal (`callsight fleet --format text`):
// the prose of the fleet view, beside the session's text report.
#include <cmath>
#include <cstdio>
#include <optional>
#include <string>

#include "callsight/analysis.h"
#include "callsight/fleet.h"
#include "report/format.h"
#include "report/labels.h"

namespace callsight {
namespace {

std::string Pct(double share) { return report::FormatNumber(share * 100, 1) + "%"; }

std::string Cqs(double v) { return std::isfinite(v) ? report::FormatNumber(v, 2) : "-"; }

std::string Or(const std::string& v, const char* unknown) { return v.empty() ? unknown : v; }

// "<name> (<id>)", or whichever is known.
std::string Room(const std::string& id, const std::string& name) {
  if (name.empty()) return Or(id, "(unknown)");
  return id.empty() ? name : name + " (" + id + ")";
}

// Left-aligned in `width` columns (at least one space after).
std::string Col(const std::string& v, size_t width) {
  return v.size() + 1 >= width ? v + " " : v + std::string(width - v.size(), ' ');
}

// An issue code's label, as the report and the page name it ("Video
// freezes"); the code itself when the engine does not know it.
std::string Label(const std::string& code) {
  const std::optional<IssueCode> known = IssueCodeFromName(code);
  return known ? report::IssueCodeLabel(*known) : code;
}

std::string Line(std::string s) {
  while (!s.empty() && s.back() == ' ') s.pop_back();
  return s + "\n";
}

void Totals(const FleetSummary& s, std::string* out) {
  *out += "Fleet: " + std::to_string(s.sessions) + " sessions, " + std::to_string(s.participants) +
          " participants, " + report::FormatNumber(s.participant_minutes, 0) +
          " participant minutes";
  *out += s.since.empty() ? "\n" : " (sessions from " + s.since + " on)\n";
}

void Issues(const FleetSummary& s, std::string* out) {
  *out += "\nMost common issues\n";
  if (s.issues.empty())
    *out += "  none\n";
  else
    *out += Line("  " + Col("issue", 26) + Col("sessions", 18) + Col("participants", 18) +
                 Col("count", 8) + "critical");
  for (size_t i = 0; i < s.issues.size() && i < 10; ++i) {
    const FleetIssue& x = s.issues[i];
    *out += Line("  " + Col(Label(x.code), 26) +
                 Col(std::to_string(x.sessions) + " (" + Pct(x.session_share) + ")", 18) +
                 Col(std::to_string(x.participants) + " (" + Pct(x.participant_share) + ")", 18) +
                 Col(std::to_string(x.count), 8) + Pct(x.critical_share));
  }
}

void WhoSuffers(const FleetSummary& s, std::string* out) {
  if (s.issues.empty()) return;
  *out += "\nWho suffers most from " + Label(s.issues.front().code) + " (" + s.issues.front().code +
          "; share of the group's participants)\n";
  for (const FleetBreakdown& b : s.breakdowns) {
    if (b.most_affected.empty()) continue;
    *out += Line("  " + Col(b.dimension, 14) + b.most_affected + ": " + Pct(b.most_affected_share) +
                 " (fleet: " + Pct(s.issues.front().participant_share) + ")");
  }
}

void Breakdown(const FleetBreakdown& b, std::string* out) {
  *out += "\nBy " + b.dimension + "\n";
  *out += Line("  " + Col(b.dimension, 28) + Col("participants", 14) + Col("sessions", 10) +
               Col("affected", 10) + "top issues (share of the group's participants)");
  for (size_t gi = 0; gi < b.groups.size() && gi < 12; ++gi) {
    const FleetGroup& g = b.groups[gi];
    std::string top;
    for (size_t i = 0; i < g.issues.size() && i < 3; ++i) {
      top += (i ? ", " : "") + Label(g.issues[i].code) + " " + Pct(g.issues[i].participant_share);
    }
    *out +=
        Line("  " + Col(Or(g.value, "(unknown)"), 28) + Col(std::to_string(g.participants), 14) +
             Col(std::to_string(g.sessions), 10) + Col(Pct(g.affected_share), 10) + top);
  }
}

void Failures(const FleetSummary& s, std::string* out) {
  *out += "\nFailure rates\n";
  *out += "  participants with a failure event: " + std::to_string(s.participants_failed) + " (" +
          Pct(s.failure_share) +
          "), with a terminal one: " + std::to_string(s.participants_terminal) + " (" +
          Pct(s.terminal_share) + ")\n";
  *out += "  sessions with a critical issue: " + std::to_string(s.sessions_critical) + " (" +
          Pct(s.critical_session_share) + ")\n";
}

void Worst(const FleetSummary& s, std::string* out) {
  *out += "\nWorst sessions (lowest mean CQS, then most critical issues)\n";
  for (const FleetSession& x : s.worst_sessions) {
    *out += Line("  " + Col(x.session_id, 28) + Col(x.started_at.substr(0, 16), 18) + "CQS " +
                 Col(Cqs(x.cqs_mean), 6) + Col(std::to_string(x.critical) + " critical", 12) +
                 std::to_string(x.participants) + " participants, room " +
                 Room(x.room_id, x.room_name));
  }
  *out += "\nWorst rooms\n";
  for (const FleetRoom& r : s.worst_rooms) {
    *out += Line("  " + Col(Room(r.room_id, r.room_name), 44) + "CQS " + Col(Cqs(r.cqs_mean), 6) +
                 std::to_string(r.sessions) + " sessions, " + std::to_string(r.sessions_critical) +
                 " with a critical issue");
  }
}

void Days(const FleetSummary& s, std::string* out) {
  *out += "\nPer day\n";
  *out += Line("  " + Col("day", 12) + Col("sessions", 10) + Col("with issue", 12) +
               Col("critical", 10) + "mean CQS");
  for (const FleetDay& d : s.days) {
    *out += Line("  " + Col(d.day, 12) + Col(std::to_string(d.sessions), 10) +
                 Col(Pct(d.issue_share), 12) + Col(std::to_string(d.sessions_critical), 10) +
                 Cqs(d.cqs_mean) + (d.day == s.worst_day ? "   <- worst day" : ""));
  }
}

}  // namespace

std::string FleetSummaryText(const FleetSummary& s) {
  std::string out;
  Totals(s, &out);
  if (s.sessions == 0) return out + "No sessions in the tables.\n";
  Issues(s, &out);
  WhoSuffers(s, &out);
  for (const FleetBreakdown& b : s.breakdowns) Breakdown(b, &out);
  Failures(s, &out);
  Worst(s, &out);
  Days(s, &out);
  if (!s.worst_day.empty()) out += "\nWorst day: " + s.worst_day + "\n";
  return out;
}

}  // namespace callsight
