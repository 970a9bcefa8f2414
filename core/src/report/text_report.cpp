// The text report: a diagnosis a support engineer pastes into a ticket.
// Plain text, about 100 columns, no colours, deterministic. Every string that
// comes from the inputs is cleaned (control characters and invalid UTF-8
// become '?') so a hostile peer name cannot drive the reader's terminal.
#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <exception>
#include <map>
#include <set>
#include <string>
#include <vector>

#include "analysis/error_codes.h"
#include "callsight/report.h"
#include "report/error_text.h"
#include "report/event_text.h"
#include "report/format.h"
#include "report/issue_text.h"
#include "report/report_util.h"

namespace callsight {
namespace {

constexpr size_t kWidth = 100;
constexpr size_t kMaxErrorLines = 20;

// ------------------------------------------------------------ formatting --

// Length of the valid UTF-8 sequence at s[i] (0 when invalid).
size_t Utf8Length(const std::string& s, size_t i) {
  const auto b = [&](size_t k) { return static_cast<unsigned char>(s[k]); };
  const unsigned char c = b(i);
  size_t n = 0;
  unsigned char lo = 0x80, hi = 0xBF;
  if (c >= 0xC2 && c <= 0xDF) {
    n = 2;
  } else if (c >= 0xE0 && c <= 0xEF) {
    n = 3;
    if (c == 0xE0) lo = 0xA0;
    if (c == 0xED) hi = 0x9F;
  } else if (c >= 0xF0 && c <= 0xF4) {
    n = 4;
    if (c == 0xF0) lo = 0x90;
    if (c == 0xF4) hi = 0x8F;
  } else {
    return 0;
  }
  if (i + n > s.size() || b(i + 1) < lo || b(i + 1) > hi) return 0;
  for (size_t k = 2; k < n; ++k) {
    if (b(i + k) < 0x80 || b(i + k) > 0xBF) return 0;
  }
  return n;
}

// Printable, valid UTF-8: line breaks and tabs become spaces, other control
// characters (C0, DEL, C1) and invalid bytes become '?'.
std::string Clean(const std::string& s) {
  std::string out;
  out.reserve(s.size());
  for (size_t i = 0; i < s.size();) {
    const unsigned char c = static_cast<unsigned char>(s[i]);
    if (c < 0x80) {
      out += (c == '\n' || c == '\r' || c == '\t') ? ' ' : (c < 0x20 || c == 0x7F) ? '?' : s[i];
      ++i;
      continue;
    }
    const size_t n = Utf8Length(s, i);
    if (n == 0 || (c == 0xC2 && static_cast<unsigned char>(s[i + 1]) < 0xA0)) {
      out += '?';
      i += n == 0 ? 1 : n;
      continue;
    }
    out.append(s, i, n);
    i += n;
  }
  return out;
}

// Columns taken by valid UTF-8 text (one per code point).
size_t Columns(const std::string& s) {
  size_t n = 0;
  for (char c : s) n += (static_cast<unsigned char>(c) & 0xC0) != 0x80;
  return n;
}

// Appends `text` word-wrapped to kWidth: the first line starts with `first`,
// the others with `rest` (usually spaces of the same width).
void AppendWrapped(std::string* out, const std::string& first, const std::string& rest,
                   const std::string& text) {
  std::string line = first;
  size_t used = Columns(first);
  bool line_has_word = false;
  size_t i = 0;
  while (i < text.size()) {
    while (i < text.size() && text[i] == ' ') ++i;
    if (i >= text.size()) break;
    size_t j = text.find(' ', i);
    if (j == std::string::npos) j = text.size();
    const std::string word = text.substr(i, j - i);
    const size_t w = Columns(word);
    if (line_has_word && used + 1 + w > kWidth) {
      *out += line + "\n";
      line = rest;
      used = Columns(rest);
      line_has_word = false;
    }
    if (line_has_word) {
      line += ' ';
      ++used;
    }
    line += word;
    used += w;
    line_has_word = true;
    i = j;
  }
  *out += line + "\n";
}

using report::Clock;
using report::FormatDuration;

// "10:03:20–10:06:10 (2 min 50 s)", or "10:03:20" for an instant.
std::string TimeRange(int64_t start_ms, int64_t end_ms, const Clock& clock) {
  if (end_ms <= start_ms) return clock.Time(start_ms);
  return clock.Time(start_ms) + "\u2013" + clock.Time(end_ms) + " (" +
         FormatDuration(end_ms - start_ms) + ")";
}

std::string Fixed(double v, int decimals) {
  if (!std::isfinite(v)) return "n/a";
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.*f", decimals, report::RoundTo(v, decimals));
  return buf;
}

std::string Plural(size_t n, const char* one, const char* many) {
  return std::to_string(n) + " " + (n == 1 ? one : many);
}

std::string SeverityTag(Severity s) {
  switch (s) {
    case Severity::kCritical:
      return "[CRITICAL]";
    case Severity::kWarning:
      return "[WARNING] ";
    default:
      return "[INFO]    ";
  }
}

// "Alice (peer-1)", or the peer id alone when there is no name.
std::string PeerLabel(const Peer& p) {
  return p.info.name.empty() ? Clean(p.peer_id)
                             : Clean(p.info.name) + " (" + Clean(p.peer_id) + ")";
}
std::string PeerShortName(const Peer& p) {
  return Clean(p.info.name.empty() ? p.peer_id : p.info.name);
}
std::string PeerLabelById(const report::PeerIndex& peers, const std::string& id) {
  const Peer* p = report::FindPeer(peers, id);
  return p ? PeerLabel(*p) : Clean(id.empty() ? "(session)" : id);
}

std::string Join(const std::vector<std::string>& parts, const std::string& sep) {
  std::string out;
  for (size_t i = 0; i < parts.size(); ++i) out += (i ? sep : "") + parts[i];
  return out;
}

// -------------------------------------------------------------- sections --

// Lists the files that were rejected, repaired or compressed (then decompressed
// by the shell); nothing when every file was plain and read as it was.
void AppendInputs(std::string* out, const std::vector<InputReport>& inputs) {
  const auto listed = [](const InputReport& r) {
    return r.status != InputStatus::kOk || r.compression != Compression::kNone;
  };
  if (std::none_of(inputs.begin(), inputs.end(), listed)) return;
  *out += "\nInputs\n";
  for (const InputReport& r : inputs) {
    if (!listed(r)) continue;
    const std::string status = r.status == InputStatus::kRejected   ? "REJECTED"
                               : r.status == InputStatus::kRepaired ? "REPAIRED"
                                                                    : "OK";
    const std::string compressed =
        r.compression == Compression::kNone
            ? ""
            : std::string(", ") + CompressionName(r.compression) + "-compressed";
    *out +=
        "  [" + status + "] " + Clean(r.name) + " (" + InputKindName(r.kind) + compressed + ")\n";
    for (const InputMessage& m : r.messages) {
      AppendWrapped(out, "    ", "      ", Clean(FormatMessage(r.name, m)));
    }
  }
}

void AppendHeader(std::string* out, const Session& s, const SessionAnalysis& sa,
                  const Clock& clock) {
  *out += "\nSession " + Clean(s.session_id) + "\n";
  if (!s.room_id.empty()) *out += "  Room:          " + Clean(s.room_id) + "\n";
  *out += "  Time:          " + clock.DateTime(sa.start_ms) + " \u2013 " +
          clock.DateTime(sa.end_ms) + " (" + FormatDuration(sa.end_ms - sa.start_ms) + ")\n";
  *out += "  Participants:  " + std::to_string(s.peers.size()) + " (" +
          Fixed(sa.participant_minutes, 1) + " participant-minutes)\n";
  // Users that came with several peer ids (a failed attempt, a rejoin).
  const report::PeerIndex peers = report::IndexPeers(s);
  bool first_user = true;
  for (const UserPeers& u : sa.users) {
    if (u.peer_ids.size() < 2) continue;
    std::vector<std::string> ids;
    for (const std::string& id : u.peer_ids) {
      const Peer* p = report::FindPeer(peers, id);
      const bool never = p && report::PeerAnalysisAt(sa, p - s.peers.data()).attendance ==
                                  Attendance::kNeverJoined;
      ids.push_back(Clean(id) + (never ? " (never joined)" : ""));
    }
    const std::string who = u.name.empty() ? Clean(u.user_id) : Clean(u.name);
    AppendWrapped(out, first_user ? "  Same user:     " : "                 ",
                  "                   ", who + ": " + Join(ids, ", "));
    first_user = false;
  }
  for (size_t i = 0; i < sa.meetings.size(); ++i) {
    const Meeting& m = sa.meetings[i];
    const std::string label = i == 0 ? "  Meetings:      " : "                 ";
    std::string line = "#" + std::to_string(i + 1) + " " + TimeRange(m.start_ms, m.end_ms, clock) +
                       " " + CallTypeName(m.call_type) + ", " +
                       Plural(m.peer_ids.size(), "peer", "peers") +
                       (static_cast<size_t>(m.participants) > m.peer_ids.size()
                            ? " (+" + std::to_string(m.participants - m.peer_ids.size()) +
                                  " seen only through the media they sent)"
                            : "") +
                       ", " +
                       Plural(static_cast<size_t>(std::max(0, m.published_tracks)),
                              "published track", "published tracks");
    // With several meetings, each says what happened in it (its summary).
    if (sa.meetings.size() > 1) {
      std::vector<std::string> counts;
      for (Severity sev : {Severity::kCritical, Severity::kWarning, Severity::kInfo}) {
        if (m.issues.of(sev) > 0)
          counts.push_back(std::to_string(m.issues.of(sev)) + " " + SeverityName(sev));
      }
      line += counts.empty() ? "; no issues" : "; issues: " + Join(counts, ", ");
      if (!m.worst_peers.empty() && m.worst_peers[0] < sa.worst_peers.size()) {
        line += "; worst: " + PeerShortName(s.peers[sa.worst_peers[m.worst_peers[0]].peer]);
      }
    }
    AppendWrapped(out, label, "                   ", line);
  }
}

// The analysis's verdict as a sentence; "No problems found" only when it is "ok".
void AppendVerdict(std::string* out, const SessionAnalysis& sa) {
  const Verdict& v = sa.verdict;
  if (v.level == VerdictLevel::kOk) {
    *out += "\nVerdict: No problems found\n";
    return;
  }
  std::vector<std::string> counts;
  const Severity order[3] = {Severity::kCritical, Severity::kWarning, Severity::kInfo};
  for (Severity sev : order) {
    const int n = v.issues.of(sev);
    if (n > 0) counts.push_back(std::to_string(n) + " " + SeverityName(sev));
  }
  std::vector<std::string> parts;
  if (!counts.empty()) {
    std::string list = counts.back();
    if (counts.size() > 1) {
      counts.pop_back();
      list = Join(counts, ", ") + " and " + list;
    }
    parts.push_back(list + (v.issues.total() == 1 ? " issue" : " issues"));
  }
  if (v.failures > 0) {
    parts.push_back(Plural(static_cast<size_t>(v.failures), "failure event", "failure events") +
                    " (" + std::to_string(v.terminal_failures) + " terminal)");
  }
  std::string line = "\nVerdict (" + std::string(VerdictLevelName(v.level)) + "): ";
  if (parts.empty()) {
    line += "no issue, " + std::to_string(v.low_cqs_peers) + " of " +
            Plural(static_cast<size_t>(v.peers), "participant", "participants") +
            " with a CQS below good";
  } else {
    line += Join(parts, ", ");
    if (v.affected_peers == 0) {
      line += ", session-wide";  // no participant's own (a recording, HLS or transcription)
    } else {
      line += std::string(parts.size() > 1 ? "," : "") + " affecting " +
              std::to_string(v.affected_peers) + " of " +
              Plural(static_cast<size_t>(v.peers), "participant", "participants");
    }
    if (v.low_cqs_peers > 0) {
      line += "; " + std::to_string(v.low_cqs_peers) + " more with a CQS below good";
    }
  }
  if (v.never_joined > 0) line += "; " + std::to_string(v.never_joined) + " never joined";
  *out += line + "\n";
}

void AppendIssue(std::string* out, const Session& s, const Issue& issue, const Clock& clock) {
  const report::IssueText text = report::DescribeIssue(s, issue, clock);
  std::string head = "    " + SeverityTag(issue.severity) + " " +
                     TimeRange(issue.start_ms, issue.end_ms, clock) + " ";
  if (issue.direction != Path::kNone) head += std::string(PathName(issue.direction)) + " ";
  AppendWrapped(out, head + " ", "        ", Clean(text.title));
  if (!text.detail.empty()) AppendWrapped(out, "        ", "        ", Clean(text.detail));
  if (!text.advice.empty()) {
    AppendWrapped(out, "        \u2192 ", "          ", Clean(text.advice));
  }
}

struct PeerRow {
  size_t index = 0;
  const RankedPeer* ranked = nullptr;  // its entry of SessionAnalysis::worst_peers
  std::vector<size_t> own;             // issue indices
  std::vector<size_t> affected;        // issues of others this peer suffered from
};

// Why the analysis ranked a peer where it is.
std::string RankText(const RankedPeer& e) {
  std::string text;
  switch (e.reason) {
    case RankReason::kOwnIssues:
      text = Plural(static_cast<size_t>(e.issues), "issue", "issues") + " of its own";
      if (e.severity) {
        text += ", worst " + std::string(SeverityName(*e.severity));
        if (e.issue_ms >= 1000) text += " for " + report::FormatDuration(e.issue_ms);
      }
      break;
    case RankReason::kFailure:
      text = Plural(static_cast<size_t>(e.failures), "failure event", "failure events");
      break;
    case RankReason::kAffected:
      text = "affected by " + Plural(static_cast<size_t>(e.affected_by), "issue", "issues") +
             " of other peers";
      break;
    case RankReason::kLowCqs:
      text = "CQS " + Fixed(e.cqs, 2) + " (below good)";
      break;
  }
  return text;
}

void AppendPeer(std::string* out, const Session& s, size_t index, const PeerRow& row,
                const SessionAnalysis& sa, const report::PeerIndex& peers, const Clock& clock) {
  const Peer& peer = s.peers[index];
  const PeerAnalysis& pa = report::PeerAnalysisAt(sa, index);
  const PeerInfo& info = peer.info;
  std::vector<std::string> system;
  for (const std::string& part : {report::PeerBrowser(info), report::PeerOs(info)}) {
    if (!part.empty()) system.push_back(Clean(part));
  }
  if (system.empty()) {
    for (const std::string& part : {info.device_model, report::PeerSdk(info)}) {
      if (!part.empty()) system.push_back(Clean(part));
    }
  }
  AppendWrapped(out, "  ", "    ",
                PeerLabel(peer) + (system.empty() ? "" : " - " + Join(system, ", ")));
  std::string presence;
  if (pa.attendance == Attendance::kNeverJoined) {
    presence = "Never joined";
  } else if (pa.presence.empty()) {
    presence = "In the call at some time (the inputs give no join or leave time)";
  } else {
    std::vector<std::string> spans;
    for (const Interval& iv : pa.presence)
      spans.push_back(TimeRange(iv.start_ms, iv.end_ms, clock));
    presence = "In the call " + Join(spans, ", ");
    const std::string& reason = report::EndReason(pa, info);
    if (!reason.empty()) presence += "; ended: " + Clean(reason);
  }
  AppendWrapped(out, "    ", "      ", presence);
  if (row.ranked) AppendWrapped(out, "    ", "      ", "Listed for: " + RankText(*row.ranked));
  std::string cqs = "CQS " + Fixed(pa.cqs, 2);
  if (std::isfinite(pa.cqs)) cqs += std::string(" ") + CqsBandName(BandOf(pa.cqs));
  cqs += " (uplink " + Fixed(pa.cqs_uplink, 2) + ", downlink " + Fixed(pa.cqs_downlink, 2) + ")";
  const CqsSummary& sum = pa.cqs_summary;
  if (std::isfinite(sum.worst)) {
    cqs += "; mean " + Fixed(sum.mean, 2) + ", worst window " + Fixed(sum.worst, 2) + " at " +
           clock.Time(sum.worst_start_ms);
    if (sum.below_fair_ms > 0)
      cqs += ", " + report::FormatDuration(sum.below_fair_ms) + " below fair";
  }
  cqs += std::string("; call health: audio ") + HealthName(pa.health_audio) + ", video " +
         HealthName(pa.health_video) + ", screen " + HealthName(pa.health_screen);
  AppendWrapped(out, "    ", "      ", cqs);
  for (size_t k : row.own) AppendIssue(out, s, sa.issues[k], clock);
  if (!row.affected.empty()) {
    *out += "    Also affected by other peers' issues:\n";
    for (size_t k : row.affected) {
      const Issue& issue = sa.issues[k];
      std::string head = "    " + SeverityTag(issue.severity) + " " +
                         TimeRange(issue.start_ms, issue.end_ms, clock) + " ";
      const Peer* owner = report::FindPeer(peers, issue.peer_id);
      if (issue.peer_id.empty()) {
        head += "session-wide ";
      } else {
        head +=
            (owner ? PeerShortName(*owner) : Clean(issue.peer_id)) + "'s " +
            (issue.direction == Path::kNone ? "" : std::string(PathName(issue.direction)) + " ");
      }
      AppendWrapped(out, head + " ", "        ",
                    Clean(report::DescribeIssue(s, issue, clock).title));
    }
  }
}

// Issues of no one peer (session_degradation: peer_id empty), before the peers.
void AppendSessionWide(std::string* out, const Session& s, const SessionAnalysis& sa,
                       const Clock& clock) {
  bool any = false;
  for (const Issue& issue : sa.issues) {
    if (!issue.peer_id.empty()) continue;
    if (!any) *out += "\nSession-wide\n";
    any = true;
    AppendIssue(out, s, issue, clock);
  }
}

// The peers in the analysis's ranking (SessionAnalysis::worst_peers), as it
// is; the others are "without problems".
void AppendPeers(std::string* out, const Session& s, const SessionAnalysis& sa,
                 const report::PeerIndex& peers, const Clock& clock) {
  std::map<std::string, size_t> position;
  for (size_t i = 0; i < s.peers.size(); ++i) position.emplace(s.peers[i].peer_id, i);
  std::vector<PeerRow> rows(s.peers.size());
  for (size_t i = 0; i < rows.size(); ++i) rows[i].index = i;
  for (const RankedPeer& e : sa.worst_peers) {
    if (e.peer < rows.size()) rows[e.peer].ranked = &e;
  }
  for (size_t k = 0; k < sa.issues.size(); ++k) {
    const Issue& issue = sa.issues[k];
    auto it = position.find(issue.peer_id);
    if (it != position.end()) rows[it->second].own.push_back(k);
    for (const std::string& id : issue.affected_peers) {
      auto jt = position.find(id);
      if (jt != position.end() && id != issue.peer_id) rows[jt->second].affected.push_back(k);
    }
  }
  if (!sa.worst_peers.empty()) *out += "\nWorst peers first\n";
  bool first = true;
  for (const RankedPeer& e : sa.worst_peers) {
    if (e.peer >= rows.size()) continue;
    if (!first) *out += "\n";
    first = false;
    AppendPeer(out, s, e.peer, rows[e.peer], sa, peers, clock);
  }
  // A name several peers share (a user's attempts) comes with the peer id.
  std::map<std::string, int> named;
  for (const Peer& p : s.peers) ++named[PeerShortName(p)];
  std::vector<std::string> fine;
  for (const PeerRow& row : rows) {
    if (row.ranked) continue;
    const Peer& p = s.peers[row.index];
    fine.push_back(named[PeerShortName(p)] > 1 ? PeerLabel(p) : PeerShortName(p));
  }
  if (!fine.empty()) {
    *out += "\n";
    AppendWrapped(out, "Peers without problems: ", "  ", Join(fine, ", "));
  }
}

void AppendErrors(std::string* out, const Session& s, const SessionAnalysis& sa,
                  const report::PeerIndex& peers, const Clock& clock) {
  const bool any_failure = std::any_of(sa.failure_rates.begin(), sa.failure_rates.end(),
                                       [](const auto& kv) { return kv.second.failures > 0; });
  if (sa.error_events.empty() && !any_failure) return;
  *out += "\nErrors\n";
  for (const auto& [action, f] : sa.failure_rates) {
    if (f.attempts == 0 && f.failures == 0) continue;
    char pad[16];
    std::snprintf(pad, sizeof pad, "%-10s", Clean(action).c_str());
    *out += "  " + std::string(pad) + " " + std::to_string(f.failures) + " of " +
            Plural(static_cast<size_t>(std::max(0, f.attempts)), "attempt", "attempts") +
            " failed (" + Fixed(f.rate * 100, 1) + " %), " + std::to_string(f.terminal) +
            " terminal, " + std::to_string(f.retried) + " retried\n";
  }
  size_t shown = 0;
  for (size_t i : sa.error_events) {
    if (i >= s.events.size()) continue;
    if (shown == kMaxErrorLines) {
      *out += "  ... and " + std::to_string(sa.error_events.size() - shown) +
              " more error events (see the JSON report)\n";
      break;
    }
    const Event& e = s.events[i];
    std::vector<std::string> what;
    if (!e.error_code.empty()) what.push_back("code " + Clean(e.error_code));
    if (!e.error_name.empty()) what.push_back(Clean(e.error_name));
    std::string line = clock.Time(e.time_ms) + " " + PeerLabelById(peers, e.peer_id) + " " +
                       Clean(e.type) + (what.empty() ? "" : " [" + Join(what, " ") + "]");
    if (!e.error_message.empty()) line += ": " + Clean(e.error_message);
    if (e.is_terminal) line += " (terminal)";
    // What the SDK's code means, where we know it (docs/ERRORS.md).
    const analysis::ErrorInfo error = analysis::ClassifyError(e.error_code, e.error_name);
    if (error.kind != analysis::ErrorKind::kUnknown ||
        error.family != analysis::ErrorFamily::kUnknown) {
      line += std::string(" - ") + report::ErrorMeaning(error);
    }
    AppendWrapped(out, "  ", "           ", line);
    ++shown;
  }
}

// "a 2, b 1" from counts; an empty key reads `empty`.
std::string CountList(const std::map<std::string, int>& counts, const char* empty) {
  std::vector<std::string> parts;
  for (const auto& [key, n] : counts) {
    parts.push_back(Clean(key.empty() ? empty : key) + " " + std::to_string(n));
  }
  return Join(parts, ", ");
}

// One line when webhooks to the account's server failed to arrive.
void AppendDeliveries(std::string* out, const Session& s) {
  const report::DeliverySummary d = report::SummarizeDeliveries(s);
  if (d.failed == 0) return;
  *out += "\n";
  AppendWrapped(out, "Webhook deliveries: ", "  ",
                std::to_string(d.failed) + " of " + std::to_string(d.failed + d.delivered) +
                    " failed, so your server missed them (" +
                    CountList(d.failed_by_event, "unnamed event") +
                    "); reasons: " + CountList(d.failed_reasons, "none given"));
}

// Events no session took, per room, with the room's failure rates.
void AppendUnattached(std::string* out, const SessionSet& model, const Analysis& analysis,
                      const Clock& clock) {
  for (size_t i = 0; i < model.unattached.size(); ++i) {
    const RoomEvents& room = model.unattached[i];
    *out += "\n" + std::string(kWidth, '=') + "\n";
    *out += "Room " + (room.room_id.empty() ? std::string("(unknown)") : Clean(room.room_id)) +
            ": " + Plural(room.events.size(), "event", "events") + " outside any session\n";
    for (const UnattachedEvent& u : room.events) {
      const Event& e = u.event;
      std::string line = clock.DateTime(e.time_ms) + " " +
                         (e.peer_id.empty() ? "" : Clean(e.peer_id) + " ") + Clean(e.type) + ": " +
                         Clean(report::DescribeEvent(e));
      line += u.why == UnattachedWhy::kNoSessionOfRoom
                  ? " (no session of this room in the inputs)"
                  : " (no session has this peer or spans this time)";
      AppendWrapped(out, "  ", "    ", line);
    }
    if (i >= analysis.rooms.size()) continue;
    for (const auto& [action, f] : analysis.rooms[i].failure_rates) {
      if (f.failures == 0) continue;
      *out += "  " + Clean(action) + ": " + std::to_string(f.failures) + " of " +
              Plural(static_cast<size_t>(std::max(0, f.attempts)), "attempt", "attempts") +
              " failed in this room\n";
    }
  }
}

void AppendSession(std::string* out, const Session& s, const SessionAnalysis& sa,
                   const Clock& clock) {
  const report::PeerIndex peers = report::IndexPeers(s);
  *out += "\n" + std::string(kWidth, '=') + "\n";
  AppendHeader(out, s, sa, clock);
  AppendVerdict(out, sa);
  AppendSessionWide(out, s, sa, clock);
  AppendPeers(out, s, sa, peers, clock);
  AppendErrors(out, s, sa, peers, clock);
  AppendDeliveries(out, s);
}

}  // namespace

std::string WriteTextReport(const ReportContext& ctx) {
  try {
    const Clock clock(ctx.config.utc_offset_minutes);
    std::string out = "callsight " CALLSIGHT_VERSION " - post-call diagnosis\n";
    AppendInputs(&out, ctx.inputs);
    if (ctx.model.sessions.empty()) {
      out +=
          ctx.model.unattached.empty()
              ? "\nNo sessions found in the inputs.\n"
              : "\nNo session in the inputs takes their events; they are listed by room below.\n";
    }
    for (size_t i = 0; i < ctx.model.sessions.size(); ++i) {
      AppendSession(&out, ctx.model.sessions[i], report::SessionAnalysisAt(ctx.analysis, i), clock);
    }
    AppendUnattached(&out, ctx.model, ctx.analysis, clock);
    return out;
  } catch (const std::exception& e) {
    return std::string("callsight: the text report could not be written: ") + e.what() + "\n";
  }
}

}  // namespace callsight
