// Fleet tables and the fleet summary (issue 22, docs/TABLES.md).
//
// Tables: the analysis of many sessions as five flat tables of
// newline-delimited JSON (sessions, participants, issues, breaches, errors),
// one row per item, with stable columns, for the tools teams already query
// with (DuckDB, ClickHouse, BigQuery). The rows are written from what
// Analyze() decided; nothing is recomputed.
//
// Summary: what goes wrong most across the sessions of a folder of tables,
// read back from the tables alone: totals, the most common issues, the same
// by browser, OS, SDK version, role and room, failure rates, the worst
// sessions and rooms, and a per-day trend. The CLI (`callsight fleet`) and
// the package share it.
#ifndef CALLSIGHT_FLEET_H_
#define CALLSIGHT_FLEET_H_

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "callsight/analysis.h"
#include "callsight/model.h"
#include "callsight/status.h"

namespace callsight {

// ------------------------------------------------------------------ tables --

enum class FleetTable : uint8_t { kSessions, kParticipants, kIssues, kBreaches, kErrors };
inline constexpr int kFleetTableCount = 5;
// "sessions", "participants", "issues", "breaches", "errors" (the file is
// "<name>.ndjson").
const char* FleetTableName(FleetTable t);

// One row of a table: its JSON object on one line (no newline), and what it
// is ordered by: its session, then its own key within the session (the peer
// id for participants, the zero-padded index for issues, breaches and
// errors, empty for sessions).
struct TableRow {
  std::string session_id;
  std::string key;
  std::string json;
};

// The rows of the five tables, indexed by FleetTable.
struct FleetTables {
  std::array<std::vector<TableRow>, kFleetTableCount> rows;
  std::vector<TableRow>& of(FleetTable t) { return rows[static_cast<int>(t)]; }
  const std::vector<TableRow>& of(FleetTable t) const { return rows[static_cast<int>(t)]; }
};

// The rows of every session of `sessions` as `analysis` (Analyze's result for
// them) found it, in session order.
FleetTables MakeTableRows(const SessionSet& sessions, const Analysis& analysis);

// Reads a table's text back into rows (blank lines skipped). InvalidArgument
// naming `file_name`, the line and what is wrong for a line that is not a
// JSON object with the table's key columns.
Result<std::vector<TableRow>> ReadTableRows(FleetTable table, std::string_view text,
                                            const std::string& file_name);

// `old_rows` with the rows of every session in `replaced` dropped, plus
// `fresh`; sorted by session id, then key. Used so that a session analyzed
// again replaces its rows: the tables never hold a session twice.
std::vector<TableRow> MergeTableRows(std::vector<TableRow> old_rows, std::vector<TableRow> fresh,
                                     const std::vector<std::string>& replaced);

// The table's text: each row's JSON and a newline.
std::string TableText(const std::vector<TableRow>& rows);

// ----------------------------------------------------------------- summary --

// One issue code across the fleet (or within a group).
struct FleetIssue {
  std::string code;
  int count = 0;                 // issue rows
  int critical = 0;              // of which critical
  int sessions = 0;              // sessions with one
  int participants = 0;          // participants with one of their own (its peer_id)
  double session_share = 0;      // sessions / the sessions counted
  double participant_share = 0;  // participants / the participants counted
  double critical_share = 0;     // critical / count
};

// One value of a dimension (a browser, an OS, ...): its participants, their
// sessions, and how many of them had a warning or critical issue of their own.
struct FleetGroup {
  std::string value;  // "" = not known (a 100ms peer without an error event has no agent)
  int participants = 0;
  int sessions = 0;
  int participants_affected = 0;
  int sessions_affected = 0;  // sessions where one of the group's participants was affected
  double affected_share = 0;  // participants_affected / participants
  // Every code its participants had, by participants affected (then code):
  // count, critical and participants within the group (sessions: the group's
  // sessions where one of its participants had it); shares of the group's.
  std::vector<FleetIssue> issues;
};

// Participants broken down by one dimension: "browser", "os", "sdk_version",
// "role" or "room" (the session's room id).
struct FleetBreakdown {
  std::string dimension;
  std::vector<FleetGroup> groups;  // by participants, then value
  // The group that suffers most from the fleet's most common issue: the
  // highest participant_share of it among known groups of at least
  // kFleetMinGroup participants, when above the fleet's own share; empty
  // when none.
  std::string most_affected;
  double most_affected_share = 0;
};

inline constexpr int kFleetMinGroup = 5;

struct FleetSession {
  std::string session_id;
  std::string room_id;
  std::string room_name;
  std::string started_at;
  std::string day;
  int participants = 0;
  double cqs_mean = kUnset;
  int critical = 0;  // critical issues
  int issues = 0;
  std::string verdict;
};

struct FleetRoom {
  std::string room_id;
  std::string room_name;  // its first session's (in table order) that has one
  int sessions = 0;
  int participants = 0;
  double cqs_mean = kUnset;  // mean of its sessions' cqs_mean
  int sessions_critical = 0;
  int sessions_with_issue = 0;  // a warning or critical issue
};

struct FleetDay {
  std::string day;
  int sessions = 0;
  int sessions_with_issue = 0;  // a warning or critical issue
  double issue_share = 0;
  int sessions_critical = 0;
  double cqs_mean = kUnset;  // mean of its sessions' cqs_mean
};

struct FleetSummary {
  std::string since;  // the --since day, "" for all
  int sessions = 0;
  int participants = 0;
  double participant_minutes = 0;
  std::vector<FleetIssue> issues;  // every code, by sessions, then count, then code
  std::vector<FleetBreakdown> breakdowns;
  // Failure rates: participants with an error event, with a terminal one;
  // sessions with a critical issue.
  int participants_failed = 0;
  int participants_terminal = 0;
  int sessions_critical = 0;
  double failure_share = 0;
  double terminal_share = 0;
  double critical_session_share = 0;
  std::vector<FleetSession> worst_sessions;  // lowest cqs_mean (none last), then most critical
  std::vector<FleetRoom> worst_rooms;        // lowest cqs_mean (none last), then most critical
  std::vector<FleetDay> days;                // by day
  std::string worst_day;  // the lowest cqs_mean, then the highest issue share; "" when none
};

inline constexpr size_t kFleetWorstListed = 10;

// The five tables' text (indexed by FleetTable, "" for a missing one) read
// back and summarized; `since` ("YYYY-MM-DD" or "") keeps the sessions that
// started that day or later. InvalidArgument names the file and line of a
// bad row, or a bad `since`.
Result<FleetSummary> SummarizeFleet(const std::array<std::string, kFleetTableCount>& tables,
                                    const std::string& since = "");

// The summary as JSON (docs/TABLES.md, "Fleet summary"); indent < 0: compact.
std::string FleetSummaryJson(const FleetSummary& summary, int indent = -1);
// The summary as text for a terminal.
std::string FleetSummaryText(const FleetSummary& summary);

}  // namespace callsight

#endif  // CALLSIGHT_FLEET_H_
