// The session index of `callsight analyze --tables` (issue 22, item 1): a
// first, cheap pass over every file that says which sessions each holds, so
// that the files can then be analyzed session by session, in the memory of
// the largest session instead of all of them.
//
// What it reads: the session ids of every document (peer-stats' ids and the
// first and last of their timestamps, the samples themselves skipped; the
// small documents read by the ingest's own reader), and a browser dump as the
// ingest reads it (one participant's session, its streams' SSRCs).
//
// Sessions are grouped when the ingest could only place them together, so
// that each group, analyzed alone, gives exactly the rows of the analysis of
// everything at once:
// - an event without session_id joins, in Ingestor::Finish(), the session of
//   its room that has its peer or whose span (+-10 minutes) holds its time,
//   chosen among all of them: every session it could join is in one group
//   (the index's rooms, peers and spans hold the ingest's, so it lists every
//   one the ingest could choose, sometimes more);
// - browser dumps that share an SSRC may be one call (Finish() joins them);
// - files that hold the same peer's stats: the later one is rejected as a
//   duplicate, which only the group holding both files sees.
// A group's files are the files of its sessions and those holding an event
// that could join one of them, in the order added; the ingest's
// IngestOptions::only_sessions then drops the other sessions' documents.
#ifndef CALLSIGHT_FLEET_SESSION_INDEX_H_
#define CALLSIGHT_FLEET_SESSION_INDEX_H_

#include <cstddef>
#include <cstdint>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "callsight/ingest.h"

namespace callsight {

// Sessions analyzed together and the files they need.
struct SessionGroup {
  std::vector<std::string> session_ids;  // sorted: IngestOptions::only_sessions
  std::vector<size_t> files;             // file numbers (order added), ascending
};

class SessionIndex {
 public:
  // What the index knows of a session: enough to list every session an event
  // without session_id could join (see SessionFor in ingestor.cpp).
  struct Clues {
    std::set<std::string> rooms;
    std::set<std::string> peers;
    std::optional<int64_t> first, last;
    void See(int64_t t);
    bool Near(int64_t t) const;  // within the span +- ingest::kAttachSlackMs
    void Merge(const Clues& other);
  };
  // An event without session_id.
  struct LooseEvent {
    size_t file = 0;
    std::string room_id, peer_id;
    int64_t time_ms = 0;
  };
  // What one file says, scanned on its own (so files can be scanned on
  // several threads) and then added in order.
  struct FileScan {
    bool ok = false;  // false: not JSON of a kind the ingest reads, or not valid
    std::map<std::string, Clues> sessions;
    std::vector<LooseEvent> loose;                       // `file` set by Add
    std::set<std::string> stats_keys;                    // session + '\n' + peer of its peer-stats
    std::map<std::string, std::set<std::string>> ssrcs;  // browser dumps': SSRC -> sessions
  };

  // Scans a file's plain bytes (decompressed by the caller); touches nothing
  // shared, so files may be scanned concurrently.
  static FileScan Scan(std::string_view bytes, const std::string& name,
                       const IngestOptions& options = {});
  // Adds the next file's scan; files are numbered 0, 1, ... in the order
  // added. A file whose scan is not ok is indexed under no session.
  void Add(FileScan scan);
  // Add(Scan(bytes, name)).
  void Add(std::string_view bytes, const std::string& name) { Add(Scan(bytes, name)); }
  // The next file could not be loaded: it holds no session.
  void AddUnread() { Add(FileScan{}); }

  size_t file_count() const { return file_sessions_.size(); }
  // The sessions whose documents file `file` holds, sorted.
  const std::vector<std::string>& SessionsOf(size_t file) const { return file_sessions_[file]; }

  // The groups, in the order of their first file.
  std::vector<SessionGroup> Groups() const;
  // The files in no group (unreadable, rejected, of no session), ascending:
  // read on their own, so their reports still say what is wrong.
  std::vector<size_t> Ungrouped() const;

 private:
  // The union-find over session ids behind Groups().
  class Unions;
  void UniteCandidates(Unions* u, std::vector<std::vector<std::string>>* loose_to) const;

  std::map<std::string, Clues> clues_;
  std::vector<std::vector<std::string>> file_sessions_;
  std::vector<LooseEvent> loose_;
  std::map<std::string, std::set<std::string>> ssrc_sessions_;  // browser dumps' SSRCs
  std::map<std::string, std::set<size_t>> stats_files_;         // session + '\n' + peer
};

}  // namespace callsight

#endif  // CALLSIGHT_FLEET_SESSION_INDEX_H_
