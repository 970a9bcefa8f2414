// The session index: which file holds which sessions, and which sessions
// must be analyzed together (session_index.h).
#include "fleet/session_index.h"

#include <algorithm>
#include <cmath>
#include <numeric>

#include "ingest/document_reader.h"
#include "ingest/dump_reader.h"
#include "ingest/fragment.h"
#include "json/json_cursor.h"

namespace callsight {
namespace {

using json::JsonCursor;
using Kind = JsonCursor::Kind;

// The lowest and highest timestamp of a peer-stats document.
struct TimeRange {
  std::optional<double> low, high;
  void See(double t) {
    low = low ? std::min(*low, t) : t;
    high = high ? std::max(*high, t) : t;
  }
};

// A peer-stats id member: a string, or an integer taken as its text (as the
// ingest reads it); anything else leaves `out` empty.
bool ReadId(JsonCursor* c, std::string* out) {
  if (c->Peek() == Kind::kString) return c->ReadString(out);
  const Kind kind = c->Peek();
  std::string_view span;
  if (!c->SkipValue(&span)) return false;
  if (kind == Kind::kNumber && span.find_first_of(".eE") == std::string_view::npos) {
    out->assign(span);
  }
  return true;
}

// The numbers of a timestamps array into `range`; anything else skipped.
bool ScanTimestamps(JsonCursor* c, TimeRange* range) {
  if (c->Peek() != Kind::kArray) return c->SkipValue();
  c->BeginArray();
  while (c->NextElement()) {
    double v = 0;
    if (c->Peek() == Kind::kNumber) {
      if (!c->ReadNumber(&v)) return false;
      range->See(v);
    } else if (!c->SkipValue()) {
      return false;
    }
  }
  return !c->failed();
}

// One track entry: its time_series.timestamps; the other series skipped.
bool ScanEntry(JsonCursor* c, TimeRange* range) {
  if (c->Peek() != Kind::kObject) return c->SkipValue();
  std::string key;
  c->BeginObject();
  while (c->NextMember(&key)) {
    if (key != "time_series" || c->Peek() != Kind::kObject) {
      if (!c->SkipValue()) return false;
      continue;
    }
    std::string series;
    c->BeginObject();
    while (c->NextMember(&series)) {
      if (!(series == "timestamps" ? ScanTimestamps(c, range) : c->SkipValue())) return false;
    }
    if (c->failed()) return false;
  }
  return !c->failed();
}

// A publisher or subscriber section: {video: [entry...], audio: [entry...]}.
bool ScanSection(JsonCursor* c, TimeRange* range) {
  if (c->Peek() != Kind::kObject) return c->SkipValue();
  std::string kind;
  c->BeginObject();
  while (c->NextMember(&kind)) {
    if (c->Peek() != Kind::kArray) {
      if (!c->SkipValue()) return false;
      continue;
    }
    c->BeginArray();
    while (c->NextElement()) {
      if (!ScanEntry(c, range)) return false;
    }
    if (c->failed()) return false;
  }
  return !c->failed();
}

// Fills one file's scan: the documents' sessions and what they say of them.
class Scanner {
 public:
  Scanner(const IngestOptions& options, SessionIndex::FileScan* out)
      : options_(options), out_(out) {}
  bool ScanJson(std::string_view text, const std::string& name);
  void AddFragment(const ingest::Fragment& frag);

 private:
  bool ScanDocument(JsonCursor* c, const std::string& name, const std::string& prefix);
  SessionIndex::Clues& Session(const std::string& id) { return out_->sessions[id]; }

  const IngestOptions& options_;
  SessionIndex::FileScan* out_;
};

void Scanner::AddFragment(const ingest::Fragment& frag) {
  const auto see = [](SessionIndex::Clues& c, std::optional<int64_t> t) {
    if (t) c.See(*t);
  };
  for (const auto& sf : frag.sessions) {
    if (sf.session_id.empty()) continue;
    SessionIndex::Clues& c = Session(sf.session_id);
    if (!sf.room_id.empty()) c.rooms.insert(sf.room_id);
    see(c, sf.start_ms);
    see(c, sf.end_ms);
  }
  for (const auto& doc : frag.peer_stats) {  // browser dumps' (JSON peer-stats are scanned)
    if (doc.session_id.empty()) continue;
    out_->stats_keys.insert(doc.session_id + '\n' + doc.peer_id);
    SessionIndex::Clues& c = Session(doc.session_id);
    if (!doc.room_id.empty()) c.rooms.insert(doc.room_id);
    c.peers.insert(doc.peer_id);
    for (const auto& e : doc.entries) {
      if (!e.ssrc.empty()) out_->ssrcs[e.ssrc].insert(doc.session_id);
      for (int64_t t : e.series.timestamps_ms) c.See(t);
    }
  }
  for (const auto& pf : frag.peers) {
    if (pf.session_id.empty()) continue;  // placed with its event
    SessionIndex::Clues& c = Session(pf.session_id);
    c.peers.insert(pf.peer_id);
    see(c, pf.info.joined_ms);
    see(c, pf.info.left_ms);
  }
  for (const auto& o : frag.track_owners) {
    if (!o.session_id.empty()) Session(o.session_id);
  }
  for (const auto& cf : frag.connections) {
    if (!cf.session_id.empty()) Session(cf.session_id);
  }
  for (const auto& se : frag.events) {
    if (se.session_id.empty()) {
      out_->loose.push_back({0, se.room_id, se.event.peer_id, se.event.time_ms});
      continue;
    }
    SessionIndex::Clues& c = Session(se.session_id);
    if (!se.event.peer_id.empty()) c.peers.insert(se.event.peer_id);
    c.See(se.event.time_ms);
  }
}

// One document (an object) at the cursor: peer-stats are scanned for their
// ids and time range; any other document is read by the ingest's reader.
bool Scanner::ScanDocument(JsonCursor* c, const std::string& name, const std::string& prefix) {
  const size_t start = c->offset();
  std::string peer, session, room, key;
  bool stats = false;
  TimeRange range;
  c->BeginObject();
  while (c->NextMember(&key)) {
    bool ok = true;
    if (key == "publisher" || key == "subscriber") {
      stats = true;
      ok = ScanSection(c, &range);
    } else if (key == "peer_id" || key == "session_id" || key == "room_id") {
      ok = ReadId(c, key == "peer_id" ? &peer : key == "session_id" ? &session : &room);
    } else {
      ok = c->SkipValue();
    }
    if (!ok) return false;
  }
  if (c->failed()) return false;
  if (!stats) {
    ingest::Fragment frag;
    const ingest::DocumentResult r =
        ingest::ReadSmallDocument(c->Since(start), options_.max_depth, prefix, name, &frag);
    if (!r.ok()) return false;
    AddFragment(frag);
    return true;
  }
  if (peer.empty() || session.empty()) return true;  // rejected by the ingest: nothing
  out_->stats_keys.insert(session + '\n' + peer);
  SessionIndex::Clues& clues = Session(session);
  if (!room.empty()) clues.rooms.insert(room);
  clues.peers.insert(peer);
  if (range.low) {
    // Wide enough to hold the ingest's own reading of the times.
    clues.See(static_cast<int64_t>(std::floor(std::max(*range.low, -9.2e18))));
    clues.See(static_cast<int64_t>(std::ceil(std::min(*range.high, 9.2e18))));
  }
  return true;
}

// One object, NDJSON, or an array of objects, as the ingest splits a file.
bool Scanner::ScanJson(std::string_view text, const std::string& name) {
  JsonCursor c(text, options_.max_depth);
  const Kind kind = c.Peek();
  if (kind == Kind::kArray) {
    c.BeginArray();
    while (c.NextElement()) {
      if (c.Peek() != Kind::kObject || !ScanDocument(&c, name, c.Pointer())) return false;
    }
    return !c.failed();
  }
  if (kind != Kind::kObject) return false;
  while (true) {
    if (!ScanDocument(&c, name, "")) return false;
    c.SkipWhitespaceCrossesLine();
    if (c.AtEnd()) return true;
    if (c.Peek() != Kind::kObject) return false;
  }
}

}  // namespace

void SessionIndex::Clues::See(int64_t t) {
  first = first ? std::min(*first, t) : t;
  last = last ? std::max(*last, t) : t;
}

bool SessionIndex::Clues::Near(int64_t t) const {
  if (!first) return false;
  const int64_t d = t < *first ? *first - t : t > *last ? t - *last : 0;
  return d <= ingest::kAttachSlackMs;
}

void SessionIndex::Clues::Merge(const Clues& other) {
  rooms.insert(other.rooms.begin(), other.rooms.end());
  peers.insert(other.peers.begin(), other.peers.end());
  if (other.first) See(*other.first);
  if (other.last) See(*other.last);
}

SessionIndex::FileScan SessionIndex::Scan(std::string_view text, const std::string& name,
                                          const IngestOptions& options) {
  FileScan scan;
  Scanner scanner(options, &scan);
  if (text.size() >= 3 && text.substr(0, 3) == "\xEF\xBB\xBF") text.remove_prefix(3);
  ingest::Fragment dump;
  InputReport report;
  if (ingest::ReadStatsDumpFile(text, name, ingest::DumpReadOptions{options.max_depth}, &dump,
                                &report)) {
    scan.ok = report.documents > 0;
    if (scan.ok) scanner.AddFragment(dump);
  } else {
    scan.ok = scanner.ScanJson(text, name);
  }
  if (!scan.ok) scan = FileScan();  // rejected by the ingest too: read on its own
  return scan;
}

void SessionIndex::Add(FileScan scan) {
  const size_t file = file_sessions_.size();
  std::vector<std::string> sessions;
  for (auto& [id, clues] : scan.sessions) {
    clues_[id].Merge(clues);
    sessions.push_back(id);
  }
  for (LooseEvent& e : scan.loose) {
    e.file = file;
    loose_.push_back(std::move(e));
  }
  for (const std::string& key : scan.stats_keys) stats_files_[key].insert(file);
  for (auto& [ssrc, ids] : scan.ssrcs) ssrc_sessions_[ssrc].insert(ids.begin(), ids.end());
  file_sessions_.push_back(std::move(sessions));
}

// Union-find over the sessions, by their position in clues_.
class SessionIndex::Unions {
 public:
  explicit Unions(const std::map<std::string, Clues>& clues) {
    for (const auto& entry : clues) ids_.emplace(entry.first, ids_.size());
    parent_.resize(ids_.size());
    std::iota(parent_.begin(), parent_.end(), size_t{0});
  }
  size_t Root(const std::string& id) { return Root(ids_.at(id)); }
  size_t Root(size_t i) {
    while (parent_[i] != i) i = parent_[i] = parent_[parent_[i]];
    return i;
  }
  void Unite(const std::string& a, const std::string& b) {
    const size_t ra = Root(a), rb = Root(b);
    if (ra != rb) parent_[std::max(ra, rb)] = std::min(ra, rb);
  }
  void UniteAll(const std::vector<std::string>& ids) {
    for (size_t i = 1; i < ids.size(); ++i) Unite(ids[0], ids[i]);
  }

 private:
  std::map<std::string, size_t> ids_;
  std::vector<size_t> parent_;
};

// Each event without session_id: the sessions it could join (as SessionFor
// in ingestor.cpp chooses among: of its room, with its peer or near its
// time), united; `loose_to` gets them.
void SessionIndex::UniteCandidates(Unions* u,
                                   std::vector<std::vector<std::string>>* loose_to) const {
  loose_to->assign(loose_.size(), {});
  for (size_t i = 0; i < loose_.size(); ++i) {
    const LooseEvent& e = loose_[i];
    for (const auto& [id, c] : clues_) {
      if (!e.room_id.empty() && c.rooms.count(e.room_id) == 0) continue;
      const bool has_peer = !e.peer_id.empty() && c.peers.count(e.peer_id) > 0;
      if (has_peer || c.Near(e.time_ms)) (*loose_to)[i].push_back(id);
    }
    u->UniteAll((*loose_to)[i]);
  }
}

std::vector<SessionGroup> SessionIndex::Groups() const {
  Unions u(clues_);
  std::vector<std::vector<std::string>> loose_to;
  UniteCandidates(&u, &loose_to);
  for (const auto& [ssrc, sessions] : ssrc_sessions_) {
    u.UniteAll(std::vector<std::string>(sessions.begin(), sessions.end()));
  }
  for (const auto& [key, files] : stats_files_) {
    if (files.size() < 2) continue;
    std::vector<std::string> sessions;
    for (size_t f : files) {
      sessions.insert(sessions.end(), file_sessions_[f].begin(), file_sessions_[f].end());
    }
    u.UniteAll(sessions);
  }
  // Groups by root, each with its files in order.
  std::map<size_t, SessionGroup> by_root;
  for (const auto& entry : clues_) by_root[u.Root(entry.first)].session_ids.push_back(entry.first);
  size_t next_loose = 0;
  for (size_t f = 0; f < file_sessions_.size(); ++f) {
    std::set<size_t> roots;
    for (const std::string& s : file_sessions_[f]) roots.insert(u.Root(s));
    for (; next_loose < loose_.size() && loose_[next_loose].file == f; ++next_loose) {
      if (!loose_to[next_loose].empty()) roots.insert(u.Root(loose_to[next_loose].front()));
    }
    for (size_t r : roots) by_root[r].files.push_back(f);
  }
  std::vector<SessionGroup> groups;
  for (auto& [root, group] : by_root) {
    if (!group.files.empty()) groups.push_back(std::move(group));
  }
  std::sort(groups.begin(), groups.end(), [](const SessionGroup& a, const SessionGroup& b) {
    return a.files.front() < b.files.front() ||
           (a.files.front() == b.files.front() && a.session_ids < b.session_ids);
  });
  return groups;
}

std::vector<size_t> SessionIndex::Ungrouped() const {
  std::vector<size_t> out;
  std::vector<bool> grouped(file_sessions_.size(), false);
  for (const SessionGroup& g : Groups()) {
    for (size_t f : g.files) grouped[f] = true;
  }
  for (size_t f = 0; f < grouped.size(); ++f) {
    if (!grouped[f]) out.push_back(f);
  }
  return out;
}

}  // namespace callsight
