// Ingestor: splits a file into documents (one object, an array of objects, or
// NDJSON), reads each by shape, and keeps the file's Fragment only when the
// whole file is good. Finish() merges all kept Fragments into the SessionSet.
#include <algorithm>
#include <functional>
#include <map>
#include <optional>
#include <set>
#include <tuple>
#include <variant>

#include "callsight/ingest.h"
#include "ingest/document_reader.h"
#include "ingest/dump_reader.h"
#include "ingest/fragment.h"
#include "ingest/peer_stats_reader.h"
#include "ingest/rtcstats_reader.h"
#include "json/json_cursor.h"
#include "json/json_tree.h"
#include "util/parallel.h"

namespace callsight {

using ingest::Fragment;
using json::JsonCursor;

const char* InputKindName(InputKind kind) {
  switch (kind) {
    case InputKind::kPeerStats:
      return "peer-stats";
    case InputKind::kSession:
      return "session";
    case InputKind::kSessionList:
      return "session-list";
    case InputKind::kAnalyticsEvents:
      return "analytics-events";
    case InputKind::kWebhookEvents:
      return "webhook-events";
    case InputKind::kWebhookHistory:
      return "webhook-history";
    case InputKind::kWebrtcInternalsDump:
      return "webrtc-internals-dump";
    case InputKind::kRtcstatsDump:
      return "rtcstats-dump";
    case InputKind::kMixed:
      return "mixed";
    default:
      return "unknown";
  }
}

const char* CompressionName(Compression compression) {
  switch (compression) {
    case Compression::kNone:
      return "none";
    case Compression::kGzip:
      return "gzip";
  }
  return "none";
}

const char* InputStatusName(InputStatus status) {
  switch (status) {
    case InputStatus::kOk:
      return "ok";
    case InputStatus::kRepaired:
      return "repaired";
    default:
      return "rejected";
  }
}

std::string FormatMessage(const std::string& file, const InputMessage& m) {
  std::string out = file;
  if (m.line > 0) out += ": line " + std::to_string(m.line);
  if (!m.pointer.empty()) out += (m.line > 0 ? ", at " : ": at ") + m.pointer;
  out += ": ";
  if (m.level == InputMessage::Level::kWarning) out += "warning: ";
  if (m.level == InputMessage::Level::kInfo) out += "info: ";
  out += m.text;
  return out;
}

struct Ingestor::Impl {
  IngestOptions options;
  std::vector<InputReport> reports;
  Fragment merged;
  // session_id + '\n' + peer_id -> the file its peer-stats came from.
  using Owners = std::map<std::string, std::string>;
  Owners stats_owner;

  // One file read but not yet merged.
  struct ReadResult {
    InputReport report;
    Fragment frag;
    std::vector<std::string> stats_keys;  // the peer-stats it holds (see stats_owner)
  };
  // Reads a file. Peer-stats already in `owners` are rejected as duplicates;
  // with no owners (reading while files are committed) only duplicates within
  // the file are. Touches nothing else, so files may be read concurrently.
  // A browser dump is parsed on up to `threads` threads.
  ReadResult Read(const InputFile& file, const Owners* owners, int threads = 1) const;
  // Merges a read file (when good) and keeps its report.
  const InputReport& Commit(ReadResult r);

  // One file as its documents are read: its text, the peer-stats already
  // owned (see Read), and what its documents are read into.
  struct FileReading {
    const InputFile& file;
    std::string_view text;  // file.data without a byte order mark
    const Owners* owners;
    ReadResult* out;
    std::set<InputKind> kinds;  // of the documents read so far
  };
  // What one pass over a document's members read: its peer-stats sections
  // and ids, and their errors.
  struct PeerStatsRead;

  void ReadFile(const InputFile& file, const Owners* owners, int threads, ReadResult* out) const;
  // A browser dump's participant is read once: a second dump of the same
  // browser's call (its webrtc-internals and its rtcstats dump) is rejected.
  void ClaimDumpPeer(const Owners* owners, ReadResult* out) const;
  void ReadArrayOfDocuments(JsonCursor* c, FileReading* f) const;
  void ReadObjects(JsonCursor* c, FileReading* f) const;
  void ReportInvalidJson(const JsonCursor& c, FileReading* f) const;
  // Reads the document (an object) at the cursor; `line` is its NDJSON line
  // (0: not NDJSON). False when it has an error message (the file is rejected).
  bool ReadDocument(JsonCursor* c, int64_t line, FileReading* f) const;
  void ReadDocumentMembers(JsonCursor* c, PeerStatsRead* read) const;
  void ReportCursorError(const JsonCursor& c, const PeerStatsRead& read, size_t start,
                         const std::string& prefix, int64_t line, FileReading* f) const;
  bool AcceptPeerStats(PeerStatsRead* read, size_t start, const std::string& prefix, int64_t line,
                       FileReading* f) const;
};

Ingestor::Ingestor(IngestOptions options) : impl_(new Impl) { impl_->options = options; }
Ingestor::~Ingestor() = default;

const std::vector<InputReport>& Ingestor::inputs() const { return impl_->reports; }

namespace {

InputMessage Err(int64_t line, std::string pointer, std::string text) {
  return InputMessage{InputMessage::Level::kError, line, std::move(pointer), std::move(text)};
}

bool HasError(const std::vector<InputMessage>& messages) {
  for (const auto& m : messages) {
    if (m.level == InputMessage::Level::kError) return true;
  }
  return false;
}

std::string HumanBytes(size_t n) {
  char buf[32];
  if (n >= (size_t{1} << 20)) {
    snprintf(buf, sizeof buf, "%.1f MB", n / 1048576.0);
  } else {
    snprintf(buf, sizeof buf, "%zu bytes", n);
  }
  return buf;
}

bool StartsWith(std::string_view text, std::string_view start) {
  return text.substr(0, start.size()) == start;
}

// What a file that is not a 100ms export is, from its first bytes, when it is
// a format people mistake for one; "" otherwise (it is then read as JSON).
std::string ForeignFormat(std::string_view text) {
  const auto byte = [&](size_t i) {
    return i < text.size() ? static_cast<unsigned char>(text[i]) : 0;
  };
  if (byte(0) == 0x1f && byte(1) == 0x8b) {
    // The shells decompress (core/cli/gunzip.h, the npm package); a program
    // that calls the engine itself gets here.
    return "gzip-compressed (as Chromium saves its dumps), which the engine does not read: "
           "the program that hands it the file must decompress it first, as the callsight "
           "CLI, npm package and page do";
  }
  if (StartsWith(text, "\x89PNG")) return "a PNG image";
  if (byte(0) == 0xff && byte(1) == 0xd8 && byte(2) == 0xff) return "a JPEG image";
  if (StartsWith(text, "%PDF")) return "a PDF document";
  if (StartsWith(text, "PK\x03\x04")) return "a ZIP archive";
  if (ingest::LooksLikeRtcstatsDump(text)) {
    return StartsWith(text, "RTCStatsDump")
               ? "an rtcstats dump"
               : "an rtcstats dump (one JSON array per line: method, peer connection, value, time)";
  }
  size_t i = 0;
  while (i < text.size() &&
         (text[i] == ' ' || text[i] == '\t' || text[i] == '\r' || text[i] == '\n'))
    ++i;
  if (i < text.size() && text[i] != '{' && text[i] != '[') {
    const unsigned char c = byte(i);
    const std::string_view rest = text.substr(i);
    const bool json_start = c == '"' || c == '-' || (c >= '0' && c <= '9') ||
                            StartsWith(rest, "true") || StartsWith(rest, "false") ||
                            StartsWith(rest, "null");
    if (!json_start && c > 0x20 && c < 0x7f) return "plain text, not JSON";
  }
  return std::string();
}

}  // namespace

namespace {

// Reads the peer_id, session_id or room_id member at the cursor into `field`.
// Ids are strings; an integer is taken as its text, as in the other
// documents. Anything else is wrong for peer-stats: an error in `id_errors`
// (reported only when the document turns out to be peer-stats). False when
// the cursor failed.
bool ReadIdMember(JsonCursor* c, const std::string& key, std::string* field,
                  std::vector<InputMessage>* id_errors) {
  const JsonCursor::Kind kind = c->Peek();
  if (kind == JsonCursor::Kind::kString) return c->ReadString(field);
  std::string pointer = c->Pointer();
  std::string_view span;
  const bool ok = c->SkipValue(&span);
  const bool integer =
      kind == JsonCursor::Kind::kNumber && span.find_first_of(".eE") == std::string_view::npos;
  if (integer) {
    field->assign(span);
  } else if (ok && kind != JsonCursor::Kind::kNull) {
    id_errors->push_back(Err(0, pointer,
                             key + " must be a string, not " +
                                 (kind == JsonCursor::Kind::kObject  ? "an object"
                                  : kind == JsonCursor::Kind::kArray ? "an array"
                                  : kind == JsonCursor::Kind::kBool  ? "a boolean"
                                                                     : "a number")));
  }
  return ok;
}

// The line of a message at `offset` of the text: the NDJSON line when the
// document has one (line > 0), else the line the byte is on.
int64_t LineAt(std::string_view text, int64_t line, size_t offset) {
  return line > 0 ? line : json::LineOf(text, offset);
}

// Appends `messages` to the report, each at `line`.
void AddMessagesAt(int64_t line, std::vector<InputMessage> messages, InputReport* report) {
  for (auto& m : messages) {
    m.line = line;
    report->messages.push_back(std::move(m));
  }
}

}  // namespace

struct Ingestor::Impl::PeerStatsRead {
  ingest::PeerStatsDoc stats;
  bool is_stats = false;                // it has a publisher or subscriber member
  std::vector<InputMessage> messages;   // shape errors of those sections
  std::vector<InputMessage> id_errors;  // wrong-typed ids: errors only for peer-stats
};

// One pass over the document's members: the peer-stats sections and ids are
// read, everything else skipped (a small document is read again whole). Stops
// at the first error: the cursor failed, or a message in read->messages.
void Ingestor::Impl::ReadDocumentMembers(JsonCursor* c, PeerStatsRead* read) const {
  std::string key;
  c->BeginObject();
  while (c->NextMember(&key)) {
    bool ok = true;
    if (key == "publisher" || key == "subscriber") {
      read->is_stats = true;
      ok = ingest::ReadPeerStatsSection(
          c, key == "publisher" ? Direction::kPublisher : Direction::kSubscriber, &read->stats,
          &read->messages);
    } else if (key == "peer_id" || key == "session_id" || key == "room_id") {
      std::string* field = key == "peer_id"      ? &read->stats.peer_id
                           : key == "session_id" ? &read->stats.session_id
                                                 : &read->stats.room_id;
      ok = ReadIdMember(c, key, field, &read->id_errors);
    } else {
      ok = c->SkipValue();
    }
    if (!ok) return;
  }
}

void Ingestor::Impl::ReportCursorError(const JsonCursor& c, const PeerStatsRead& read, size_t start,
                                       const std::string& prefix, int64_t line,
                                       FileReading* f) const {
  std::string pointer = c.error_pointer();
  // Members skipped whole leave the pointer at the member: read the
  // document again, into every value, for the pointer of the error itself.
  if (!read.is_stats) {
    JsonCursor again(f->text.substr(start), options.max_depth);
    json::JsonTree tree;
    if (!tree.Read(&again) && again.error_offset() + start == c.error_offset()) {
      pointer = prefix + again.error_pointer();
    }
  }
  f->out->report.messages.push_back(Err(LineAt(f->text, line, c.error_offset()), pointer,
                                        (c.error_is_syntax() ? "invalid JSON: " : "") + c.error()));
}

// A peer-stats document whose sections read well: its ids, its validation,
// and whether its peer's stats were read before. Moves it into the fragment
// when all is well.
bool Ingestor::Impl::AcceptPeerStats(PeerStatsRead* read, size_t start, const std::string& prefix,
                                     int64_t line, FileReading* f) const {
  InputReport& report = f->out->report;
  const auto start_line = [&] { return LineAt(f->text, line, start); };
  ingest::PeerStatsDoc& stats = read->stats;
  if (!read->id_errors.empty()) {
    AddMessagesAt(start_line(), std::move(read->id_errors), &report);
    return false;
  }
  if (stats.peer_id.empty() || stats.session_id.empty()) {
    report.messages.push_back(Err(start_line(), prefix,
                                  std::string("peer-stats document without a ") +
                                      (stats.peer_id.empty() ? "peer_id" : "session_id")));
    return false;
  }
  std::vector<InputMessage> messages;
  ingest::ValidatePeerStats(&stats, &messages);
  const bool rejected = HasError(messages);
  AddMessagesAt(line > 0 ? line : 0, std::move(messages), &report);
  if (rejected) return false;
  ingest::OrderPeerStatsEntries(&stats);
  std::string owner_key = stats.session_id + '\n' + stats.peer_id;
  std::vector<std::string>& stats_keys = f->out->stats_keys;
  const auto prior = f->owners ? f->owners->find(owner_key) : Owners::const_iterator();
  const bool dup_before = f->owners && prior != f->owners->end();
  const bool dup_here =
      std::find(stats_keys.begin(), stats_keys.end(), owner_key) != stats_keys.end();
  if (dup_before || dup_here) {
    report.messages.push_back(Err(start_line(), prefix,
                                  "peer-stats of peer " + stats.peer_id + " in session " +
                                      stats.session_id + " were already read from " +
                                      (dup_here ? "this file" : prior->second) +
                                      "; a peer's stats may come only once"));
    return false;
  }
  stats_keys.push_back(std::move(owner_key));
  // Another session's (IngestOptions::only_sessions): read, checked, dropped.
  if (ingest::KeepsSession(options, stats.session_id)) {
    f->out->frag.peer_stats.push_back(std::move(stats));
  }
  return true;
}

bool Ingestor::Impl::ReadDocument(JsonCursor* c, int64_t line, FileReading* f) const {
  const size_t start = c->offset();
  const std::string prefix = c->Pointer();
  PeerStatsRead read;
  read.stats.source = f->file.name;
  ReadDocumentMembers(c, &read);
  if (c->failed()) {
    ReportCursorError(*c, read, start, prefix, line, f);
    return false;
  }
  if (!read.messages.empty()) {
    AddMessagesAt(LineAt(f->text, line, start), std::move(read.messages), &f->out->report);
    return false;
  }
  if (read.is_stats) {
    f->kinds.insert(InputKind::kPeerStats);
    return AcceptPeerStats(&read, start, prefix, line, f);
  }
  std::string_view bytes = f->text.substr(start, c->offset() - start);
  ingest::DocumentResult r =
      ingest::ReadSmallDocument(bytes, options.max_depth, prefix, f->file.name, &f->out->frag);
  f->kinds.insert(r.kind);
  const bool ok = r.ok();
  if (!r.messages.empty()) {
    AddMessagesAt(LineAt(f->text, line, start), std::move(r.messages), &f->out->report);
  }
  return ok;
}

// An array of documents: each element an object.
void Ingestor::Impl::ReadArrayOfDocuments(JsonCursor* c, FileReading* f) const {
  InputReport& report = f->out->report;
  c->BeginArray();
  while (c->NextElement()) {
    if (c->Peek() != JsonCursor::Kind::kObject) {
      // Say what is wrong with the JSON itself first (depth, syntax), if anything.
      size_t at = c->offset();
      std::string pointer = c->Pointer();
      if (!c->SkipValue()) return ReportInvalidJson(*c, f);
      report.messages.push_back(
          Err(json::LineOf(f->text, at), pointer, "expected a document (an object) in the array"));
      return;
    }
    if (!ReadDocument(c, 0, f)) return;
    ++report.documents;
  }
  if (c->failed()) return ReportInvalidJson(*c, f);
  if (report.documents == 0) {
    report.messages.push_back(Err(1, "", "the file holds an empty array: no documents"));
  }
}

// One object, or NDJSON: objects separated by line breaks.
void Ingestor::Impl::ReadObjects(JsonCursor* c, FileReading* f) const {
  InputReport& report = f->out->report;
  // Lines are counted as the reader moves on, not from the start each time.
  int64_t line = 1;
  size_t counted = 0;
  while (true) {
    const size_t doc_offset = c->offset();
    for (; counted < doc_offset; ++counted) line += f->text[counted] == '\n';
    const bool ndjson = report.documents > 0;
    if (!ReadDocument(c, ndjson ? line : 0, f)) return;
    ++report.documents;
    bool crossed = c->SkipWhitespaceCrossesLine();
    if (c->AtEnd()) return;
    if (!crossed || c->Peek() != JsonCursor::Kind::kObject) {
      c->Fail(crossed ? "expected another JSON object on this line (NDJSON)"
                      : "unexpected text after the end of the JSON document");
      return ReportInvalidJson(*c, f);
    }
    // Before the second document, re-tag the first one's messages with its line.
    if (report.documents == 1) {
      for (auto& m : report.messages) {
        if (m.line == 0) m.line = 1;
      }
    }
  }
}

void Ingestor::Impl::ReportInvalidJson(const JsonCursor& c, FileReading* f) const {
  f->out->report.messages.push_back(Err(json::LineOf(f->text, c.error_offset()), c.error_pointer(),
                                        "invalid JSON: " + c.error()));
}

void Ingestor::Impl::ClaimDumpPeer(const Owners* owners, ReadResult* out) const {
  if (HasError(out->report.messages)) return;
  for (const auto& doc : out->frag.peer_stats) {
    std::string key = doc.session_id + '\n' + doc.peer_id;
    const auto prior = owners ? owners->find(key) : Owners::const_iterator();
    if (owners && prior != owners->end()) {
      out->report.messages.push_back(
          Err(1, "",
              "this dump holds the same browser's call as " + prior->second +
                  ", already read (the same streams sent): one of the two is enough"));
      return;
    }
    out->stats_keys.push_back(std::move(key));
  }
}

void Ingestor::Impl::ReadFile(const InputFile& file, const Owners* owners, int threads,
                              ReadResult* out) const {
  InputReport& report = out->report;
  std::string_view text = file.data;
  if (text.size() >= 3 && static_cast<unsigned char>(text[0]) == 0xEF &&
      static_cast<unsigned char>(text[1]) == 0xBB && static_cast<unsigned char>(text[2]) == 0xBF) {
    text.remove_prefix(3);  // a UTF-8 byte order mark is harmless
  }
  const ingest::DumpReadOptions dump_options{options.max_depth, threads};
  if (ingest::ReadStatsDumpFile(text, file.name, dump_options, &out->frag, &report)) {
    ClaimDumpPeer(owners, out);
    return;
  }
  if (std::string what = ForeignFormat(text); !what.empty()) {
    report.messages.push_back(
        Err(1, "", "this file is " + what + "; " + ingest::kWhatCallsightReads));
    return;
  }
  FileReading f{file, text, owners, out, {}};
  JsonCursor c(text, options.max_depth);
  JsonCursor::Kind k = c.Peek();
  if (k == JsonCursor::Kind::kEnd) {
    report.messages.push_back(Err(0, "", "the file is empty"));
    return;
  }
  if (k == JsonCursor::Kind::kArray) {
    ReadArrayOfDocuments(&c, &f);
  } else if (k == JsonCursor::Kind::kObject) {
    ReadObjects(&c, &f);
  } else {
    if (k == JsonCursor::Kind::kInvalid || !c.SkipValue() || !c.AtEnd()) {
      if (!c.failed()) c.Fail("unexpected text after the end of the JSON value");
      report.messages.push_back(
          Err(json::LineOf(text, c.error_offset()), "", "the file is not JSON: " + c.error()));
      return;
    }
    report.messages.push_back(
        Err(1, "", "the file holds a single JSON value, not an object or array of documents"));
  }
  if (HasError(report.messages)) return;
  if (f.kinds.size() == 1) {
    report.kind = *f.kinds.begin();
  } else if (f.kinds.size() > 1) {
    report.kind = InputKind::kMixed;
  }
}

namespace {

std::string TooLarge(size_t bytes, size_t limit) {
  return "the file is " + HumanBytes(bytes) + ", larger than the limit of " + HumanBytes(limit);
}

}  // namespace

const InputReport& Ingestor::AddUnread(const std::string& name, size_t bytes,
                                       const std::string& reason, Compression compression) {
  InputReport report;
  report.name = name;
  report.bytes = bytes;
  report.compression = compression;
  report.status = InputStatus::kRejected;
  report.messages.push_back(Err(0, "",
                                bytes > impl_->options.max_file_bytes
                                    ? TooLarge(bytes, impl_->options.max_file_bytes)
                                    : "cannot read: " + reason));
  impl_->reports.push_back(std::move(report));
  return impl_->reports.back();
}

Ingestor::Impl::ReadResult Ingestor::Impl::Read(const InputFile& file, const Owners* owners,
                                                int threads) const {
  ReadResult r;
  r.report.name = file.name;
  r.report.bytes = file.data.size();
  r.report.compression = file.compression;
  if (file.data.size() > options.max_file_bytes) {
    r.report.messages.push_back(Err(0, "", TooLarge(file.data.size(), options.max_file_bytes)));
    return r;
  }
  try {
    ReadFile(file, owners, threads, &r);
  } catch (const std::bad_alloc&) {
    r.report.messages.push_back(Err(0, "", "out of memory while reading the file"));
  } catch (const std::exception& e) {
    r.report.messages.push_back(Err(0, "", std::string("could not read the file: ") + e.what()));
  }
  return r;
}

const InputReport& Ingestor::Impl::Commit(ReadResult r) {
  InputReport& report = r.report;
  if (HasError(report.messages)) {
    report.status = InputStatus::kRejected;
    report.documents = 0;
  } else {
    const bool repaired =
        std::any_of(report.messages.begin(), report.messages.end(),
                    [](const InputMessage& m) { return m.level == InputMessage::Level::kWarning; });
    report.status = repaired ? InputStatus::kRepaired : InputStatus::kOk;
    for (const auto& key : r.stats_keys) stats_owner[key] = report.name;
    const auto kept = [this](const auto& x) { return ingest::KeepsSession(options, x.session_id); };
    auto move_all = [&kept](auto& from, auto& to) {
      for (auto& x : from) {
        if (kept(x)) to.push_back(std::move(x));
      }
    };
    move_all(r.frag.peer_stats, merged.peer_stats);
    move_all(r.frag.peers, merged.peers);
    move_all(r.frag.sessions, merged.sessions);
    move_all(r.frag.track_owners, merged.track_owners);
    move_all(r.frag.events, merged.events);
    move_all(r.frag.connections, merged.connections);
  }
  reports.push_back(std::move(report));
  return reports.back();
}

const InputReport& Ingestor::Add(const InputFile& file) {
  return impl_->Commit(impl_->Read(file, &impl_->stats_owner));
}

// Files are read on any thread, without looking at what is merged
// (stats_owner changes meanwhile), and merged on the waiting thread in file
// order. A file holding a peer's stats that stats_owner already has is read
// again before it is merged, so it is judged exactly as Add() in this order
// would judge it (rare: it is then rejected as a duplicate).
class Ingestor::PendingAddOf final : public Ingestor::PendingAdd {
 public:
  PendingAddOf(Impl* impl, std::vector<InputFile> files, int threads,
               std::function<void(size_t)> release)
      : impl_(impl),
        files_(std::move(files)),
        release_(std::move(release)),
        // A file read alone may use every thread (a browser dump parses its
        // parts in parallel); files read together get one each: threads
        // within threads would outnumber WebAssembly's pool of workers.
        file_threads_(files_.size() == 1 ? threads : 1) {
    // Started once every member it uses is set.
    run_.emplace(files_.size(), threads, files_.size(), Read{this}, Merge{this});
  }
  // Stops and joins the readers before the files and the callback go.
  ~PendingAddOf() override { run_.reset(); }
  PendingAddOf(const PendingAddOf&) = delete;
  PendingAddOf& operator=(const PendingAddOf&) = delete;
  void Wait() override { run_->Wait(); }

 private:
  struct Read {
    PendingAddOf* self;
    Impl::ReadResult operator()(size_t i) const {
      return self->impl_->Read(self->files_[i], nullptr, self->file_threads_);
    }
  };
  struct Merge {
    PendingAddOf* self;
    void operator()(size_t i, Impl::ReadResult r) const {
      Impl& impl = *self->impl_;
      const bool seen = std::any_of(r.stats_keys.begin(), r.stats_keys.end(), [&](const auto& key) {
        return impl.stats_owner.count(key) > 0;
      });
      impl.Commit(seen ? impl.Read(self->files_[i], &impl.stats_owner, self->file_threads_)
                       : std::move(r));
      if (self->release_) self->release_(i);
    }
  };

  Impl* const impl_;
  const std::vector<InputFile> files_;
  const std::function<void(size_t)> release_;
  const int file_threads_;
  std::optional<BackgroundOrdered<Impl::ReadResult, Read, Merge>> run_;
};

std::unique_ptr<Ingestor::PendingAdd> Ingestor::StartAddAll(std::vector<InputFile> files,
                                                            int threads,
                                                            std::function<void(size_t)> release) {
  return std::make_unique<PendingAddOf>(impl_.get(), std::move(files), threads, std::move(release));
}

void Ingestor::AddAll(const std::vector<InputFile>& files, int threads,
                      const std::function<void(size_t)>& release) {
  StartAddAll(files, threads, release)->Wait();
}

namespace {

void FillIfEmpty(std::string* to, const std::string& from) {
  if (to->empty()) *to = from;
}

void MergeInfo(PeerInfo* to, const PeerInfo& from) {
  FillIfEmpty(&to->name, from.name);
  FillIfEmpty(&to->user_id, from.user_id);
  FillIfEmpty(&to->role, from.role);
  if (to->end_reason.empty()) {
    to->end_reason = from.end_reason;
    to->end_reason_kind = from.end_reason_kind;
  }
  FillIfEmpty(&to->platform, from.platform);
  FillIfEmpty(&to->os, from.os);
  FillIfEmpty(&to->os_version, from.os_version);
  FillIfEmpty(&to->browser, from.browser);
  FillIfEmpty(&to->browser_version, from.browser_version);
  FillIfEmpty(&to->device_model, from.device_model);
  FillIfEmpty(&to->framework, from.framework);
  FillIfEmpty(&to->sdk, from.sdk);
  FillIfEmpty(&to->sdk_version, from.sdk_version);
  FillIfEmpty(&to->dump_kind, from.dump_kind);
  FillIfEmpty(&to->stats_format, from.stats_format);
  to->dump_truncated = to->dump_truncated || from.dump_truncated;
  if (from.joined_ms && (!to->joined_ms || *from.joined_ms < *to->joined_ms)) {
    to->joined_ms = from.joined_ms;
  }
  if (from.left_ms && (!to->left_ms || *from.left_ms > *to->left_ms)) to->left_ms = from.left_ms;
}

auto InfoKey(const PeerInfo& i) {
  return std::tie(i.name, i.user_id, i.role, i.end_reason, i.platform, i.os, i.os_version,
                  i.browser, i.browser_version, i.framework, i.sdk, i.sdk_version);
}

// First and last sample time over all of a peer's tracks.
std::optional<Interval> SampleSpan(const Peer& p) {
  std::optional<Interval> span;
  for (const Track& t : p.tracks) {
    for (const Layer& l : t.layers) {
      if (l.series.empty()) continue;
      int64_t a = l.series.timestamps_ms.front();
      int64_t b = l.series.timestamps_ms.back();
      if (!span) {
        span = Interval{a, b};
      } else {
        span->start_ms = std::min(span->start_ms, a);
        span->end_ms = std::max(span->end_ms, b);
      }
    }
  }
  return span;
}

// A join/leave pair as one input gave it (either side may be missing).
struct JoinLeave {
  std::optional<int64_t> joined_ms;
  std::optional<int64_t> left_ms;
};

// Presence intervals from a peer's join/leave pairs: complete pairs as they
// are; lone joins and leaves (those that no complete pair already holds)
// placed among them in time order: a lone join lasts until the next join
// (lone or of a pair) or lone leave, else until `open_end`; a lone leave
// starts at the previous leave, else at `first_seen`. Then sorted and merged
// where they overlap or touch.
std::vector<Interval> BuildPresence(const std::vector<JoinLeave>& pairs, int64_t first_seen,
                                    int64_t open_end) {
  enum Point { kPairEnd, kPairStart, kLoneLeave, kLoneJoin };
  std::vector<Interval> out;
  std::vector<std::pair<int64_t, Point>> points;
  for (const JoinLeave& p : pairs) {
    if (p.joined_ms && p.left_ms) {
      out.push_back({std::min(*p.joined_ms, *p.left_ms), std::max(*p.joined_ms, *p.left_ms)});
      points.push_back({out.back().start_ms, kPairStart});
      points.push_back({out.back().end_ms, kPairEnd});
    }
  }
  const auto held = [&out](int64_t t, bool join) {
    return std::any_of(out.begin(), out.end(), [&](const Interval& iv) {
      return join ? iv.start_ms == t : iv.end_ms == t;
    });
  };
  for (const JoinLeave& p : pairs) {
    if (p.joined_ms && !p.left_ms && !held(*p.joined_ms, true)) {
      points.push_back({*p.joined_ms, kLoneJoin});
    }
    if (p.left_ms && !p.joined_ms && !held(*p.left_ms, false)) {
      points.push_back({*p.left_ms, kLoneLeave});
    }
  }
  std::sort(points.begin(), points.end());
  std::optional<int64_t> open, last_leave;
  for (const auto& [t, point] : points) {
    switch (point) {
      case kLoneJoin:
      case kPairStart:
        if (open) out.push_back({*open, t});
        open.reset();
        if (point == kLoneJoin) open = t;
        break;
      case kPairEnd:
        last_leave = t;
        break;
      case kLoneLeave:
        out.push_back({open ? *open : last_leave ? *last_leave : std::min(first_seen, t), t});
        open.reset();
        last_leave = t;
        break;
    }
  }
  if (open) out.push_back({*open, std::max(*open, open_end)});
  std::sort(out.begin(), out.end(), [](const Interval& a, const Interval& b) {
    return std::tie(a.start_ms, a.end_ms) < std::tie(b.start_ms, b.end_ms);
  });
  std::vector<Interval> merged;
  for (const Interval& iv : out) {
    if (!merged.empty() && iv.start_ms <= merged.back().end_ms) {
      merged.back().end_ms = std::max(merged.back().end_ms, iv.end_ms);
    } else {
      merged.push_back(iv);
    }
  }
  return merged;
}

// What is known of a session before merging, to place events that came
// without session_id.
struct SessionClues {
  std::string room_id;
  std::set<std::string> peers;
  std::optional<int64_t> first, last;
  void See(std::optional<int64_t> t) {
    if (!t) return;
    first = first ? std::min(*first, *t) : *t;
    last = last ? std::max(*last, *t) : *t;
  }
  // How far t is from the span (0 inside it); INT64_MAX with no span.
  int64_t Distance(int64_t t) const {
    if (!first) return INT64_MAX;
    return t < *first ? *first - t : t > *last ? t - *last : 0;
  }
};

std::map<std::string, SessionClues> GatherClues(const Fragment& f) {
  std::map<std::string, SessionClues> clues;
  for (const auto& sf : f.sessions) {
    SessionClues& c = clues[sf.session_id];
    if (c.room_id.empty()) c.room_id = sf.room_id;
    c.See(sf.start_ms);
    c.See(sf.end_ms);
  }
  for (const auto& doc : f.peer_stats) {
    SessionClues& c = clues[doc.session_id];
    if (c.room_id.empty()) c.room_id = doc.room_id;
    c.peers.insert(doc.peer_id);
    for (const auto& e : doc.entries) {
      if (e.series.empty()) continue;
      c.See(e.series.timestamps_ms.front());
      c.See(e.series.timestamps_ms.back());
    }
  }
  for (const auto& pf : f.peers) {
    if (pf.session_id.empty()) continue;
    SessionClues& c = clues[pf.session_id];
    c.peers.insert(pf.peer_id);
    c.See(pf.info.joined_ms);
    c.See(pf.info.left_ms);
  }
  for (const auto& se : f.events) {
    if (se.session_id.empty()) continue;
    SessionClues& c = clues[se.session_id];
    if (!se.event.peer_id.empty()) c.peers.insert(se.event.peer_id);
    c.See(se.event.time_ms);
  }
  return clues;
}

using ingest::kAttachSlackMs;

// The session an event without session_id joins: of its room (any, when the
// room is unknown), the one that has its peer, else the one whose span
// (+-10 minutes) holds its time; the nearest in time, then the lowest id.
// Otherwise why it joins none.
std::variant<std::string, UnattachedWhy> SessionFor(
    const std::map<std::string, SessionClues>& clues, const std::string& room_id,
    const std::string& peer_id, int64_t t) {
  bool any_of_room = false;
  const std::string* best = nullptr;
  int64_t best_distance = 0;
  bool best_has_peer = false;
  for (const auto& [id, c] : clues) {
    if (!room_id.empty() && c.room_id != room_id) continue;
    any_of_room = true;
    const bool has_peer = !peer_id.empty() && c.peers.count(peer_id) > 0;
    const int64_t d = c.Distance(t);
    if (!has_peer && d > kAttachSlackMs) continue;
    if (!best || (has_peer && !best_has_peer) || (has_peer == best_has_peer && d < best_distance)) {
      best = &id;
      best_distance = d;
      best_has_peer = has_peer;
    }
  }
  if (best) return *best;
  return any_of_room || room_id.empty() ? UnattachedWhy::kNoMatch : UnattachedWhy::kNoSessionOfRoom;
}

// Dumps of one call: browser dumps whose streams meet (one sends an SSRC the
// other receives) are one session, named after the lowest of their sessions;
// a received stream then takes its sender's track id, so that the sender is
// known (Track::remote_peer_id) and attribution works across dumps.
class DumpJoiner {
 public:
  explicit DumpJoiner(Fragment* f) : f_(f) {}

  void Join() {
    IndexStreams();
    if (docs_.size() < 2) return;
    for (size_t a = 0; a < docs_.size(); ++a) {
      for (const ingest::TrackEntry& e : f_->peer_stats[docs_[a]].entries) {
        if (e.direction != Direction::kSubscriber || e.ssrc.empty()) continue;
        auto sent = sent_.find(e.ssrc);
        if (sent != sent_.end() && sent->second.first != a) Unite(a, sent->second.first);
      }
    }
    RenameSessions();
    NameReceivedBySender();
  }

 private:
  void IndexStreams() {
    for (size_t i = 0; i < f_->peer_stats.size(); ++i) {
      const ingest::PeerStatsDoc& doc = f_->peer_stats[i];
      if (doc.session_id.rfind("dump-", 0) != 0) continue;
      const size_t d = docs_.size();
      docs_.push_back(i);
      parent_.push_back(d);
      for (const ingest::TrackEntry& e : doc.entries) {
        if (e.direction == Direction::kPublisher && !e.ssrc.empty()) {
          sent_.emplace(e.ssrc, std::make_pair(d, e.track_id));
        }
      }
    }
  }
  size_t Root(size_t d) {
    while (parent_[d] != d) d = parent_[d] = parent_[parent_[d]];
    return d;
  }
  void Unite(size_t a, size_t b) {
    a = Root(a), b = Root(b);
    if (a != b) parent_[std::max(a, b)] = std::min(a, b);
  }
  void RenameSessions() {
    std::map<size_t, std::string> lowest;  // root -> lowest session id of its group
    for (size_t d = 0; d < docs_.size(); ++d) {
      const std::string& s = f_->peer_stats[docs_[d]].session_id;
      auto [it, fresh] = lowest.emplace(Root(d), s);
      if (!fresh && s < it->second) it->second = s;
    }
    for (size_t d = 0; d < docs_.size(); ++d) {
      const std::string& to = lowest[Root(d)];
      const std::string from = f_->peer_stats[docs_[d]].session_id;
      if (from != to) renamed_[from] = to;
    }
    if (renamed_.empty()) return;
    const auto rename = [this](std::string* session) {
      auto it = renamed_.find(*session);
      if (it != renamed_.end()) *session = it->second;
    };
    for (auto& doc : f_->peer_stats) rename(&doc.session_id);
    for (auto& p : f_->peers) rename(&p.session_id);
    for (auto& e : f_->events) rename(&e.session_id);
    for (auto& c : f_->connections) rename(&c.session_id);
  }
  void NameReceivedBySender() {
    for (size_t d = 0; d < docs_.size(); ++d) {
      for (ingest::TrackEntry& e : f_->peer_stats[docs_[d]].entries) {
        if (e.direction != Direction::kSubscriber || e.ssrc.empty()) continue;
        auto sent = sent_.find(e.ssrc);
        if (sent != sent_.end() && sent->second.first != d) e.track_id = sent->second.second;
      }
    }
  }

  Fragment* f_;
  std::vector<size_t> docs_;    // indices into peer_stats of the dumps' documents
  std::vector<size_t> parent_;  // union-find over docs_
  std::map<std::string, std::pair<size_t, std::string>> sent_;  // ssrc -> (doc, track id)
  std::map<std::string, std::string> renamed_;                  // session -> joined session
};

// Gives events and peer facts without session_id their session; the events
// that fit none go to `unattached` (by room), their peer facts are dropped.
void AttachSessionless(Fragment* f, std::vector<RoomEvents>* unattached) {
  const std::map<std::string, SessionClues> clues = GatherClues(*f);
  std::map<std::string, std::vector<UnattachedEvent>> by_room;
  std::map<std::pair<std::string, std::string>, std::string> peer_session;  // (room, peer)
  std::set<std::pair<std::string, std::string>> unattached_ids;             // (room, event id)
  std::vector<ingest::StagedEvent> kept;
  kept.reserve(f->events.size());
  for (auto& se : f->events) {
    if (se.session_id.empty()) {
      auto where = SessionFor(clues, se.room_id, se.event.peer_id, se.event.time_ms);
      if (auto* why = std::get_if<UnattachedWhy>(&where)) {
        // An event repeated (by id) across pages and webhooks is listed once.
        if (se.event_id.empty() || unattached_ids.insert({se.room_id, se.event_id}).second) {
          by_room[se.room_id].push_back({std::move(se.event), *why});
        }
        continue;
      }
      se.session_id = std::get<std::string>(where);
      if (!se.event.peer_id.empty()) {
        peer_session.emplace(std::make_pair(se.room_id, se.event.peer_id), se.session_id);
      }
    }
    kept.push_back(std::move(se));
  }
  f->events = std::move(kept);
  std::vector<ingest::PeerFact> facts;
  facts.reserve(f->peers.size());
  for (auto& pf : f->peers) {
    if (pf.session_id.empty()) {
      auto it = peer_session.find({pf.room_id, pf.peer_id});
      if (it == peer_session.end()) continue;
      pf.session_id = it->second;
    }
    facts.push_back(std::move(pf));
  }
  f->peers = std::move(facts);
  for (auto& [room, events] : by_room) {
    std::sort(events.begin(), events.end(), [](const auto& a, const auto& b) {
      if (EventContentLess(a.event, b.event)) return true;
      if (EventContentLess(b.event, a.event)) return false;
      return a.event.source < b.event.source;
    });
    unattached->push_back(RoomEvents{room, std::move(events)});
  }
}

}  // namespace

namespace {

// Finish()'s work in its steps: the merged facts of every kept file made into
// sessions, in an order that never depends on the order of the files.
class ModelBuilder {
 public:
  // Session facts, applied in a fixed order so file order never matters.
  void ApplySessionFacts(std::vector<ingest::SessionFact>* facts);
  // Peer-stats: entries grouped into tracks (their layers ordered h, m, l).
  void AddPeerStats(std::vector<ingest::PeerStatsDoc>* docs);
  void AddTrackOwners(const std::vector<ingest::TrackOwner>& owners);
  // Peer facts: highest source first, then a fixed order of values.
  void MergePeerFacts(std::vector<ingest::PeerFact>* facts);
  // Events: de-duplicated (pages overlap, webhooks repeat), then chronological.
  void AddEvents(std::vector<ingest::StagedEvent>* events);
  // Browser dumps' peer connections, each to its peer, sorted by id.
  void AddConnections(std::vector<ingest::ConnectionFact>* facts);
  // The sessions, sorted by start, then id.
  std::vector<Session> Build();

 private:
  struct SessionBuild {
    Session session;
    std::map<std::string, Peer> peers;
  };
  SessionBuild& SessionOf(const std::string& id);
  // A session's peers into it: their senders, presence and span, names.
  Session FinishSession(const std::string& id, SessionBuild* sb) const;

  std::map<std::string, SessionBuild> sessions_;
  // session -> track -> the peers publishing it (nested: looked up without
  // building a key of copied ids).
  std::map<std::string, std::map<std::string, std::set<std::string>>> owners_;
  // session -> peer -> its join/leave pairs.
  std::map<std::string, std::map<std::string, std::vector<JoinLeave>>> pairs_;
};

void ModelBuilder::AddConnections(std::vector<ingest::ConnectionFact>* facts) {
  std::stable_sort(facts->begin(), facts->end(),
                   [](const auto& a, const auto& b) { return a.connection.id < b.connection.id; });
  for (auto& f : *facts) {
    Peer& p = SessionOf(f.session_id).peers[f.peer_id];
    p.peer_id = f.peer_id;
    p.connections.push_back(std::move(f.connection));
  }
}

ModelBuilder::SessionBuild& ModelBuilder::SessionOf(const std::string& id) {
  SessionBuild& b = sessions_[id];
  b.session.session_id = id;
  return b;
}

void ModelBuilder::ApplySessionFacts(std::vector<ingest::SessionFact>* facts) {
  std::sort(facts->begin(), facts->end(), [](const auto& a, const auto& b) {
    return std::tie(a.session_id, a.room_id, a.start_ms, a.end_ms, a.room_name) <
           std::tie(b.session_id, b.room_id, b.start_ms, b.end_ms, b.room_name);
  });
  for (const auto& sf : *facts) {
    Session& s = SessionOf(sf.session_id).session;
    if (s.room_id.empty()) s.room_id = sf.room_id;
    if (s.room_name.empty()) s.room_name = sf.room_name;
    if (sf.start_ms && (!s.start_ms || *sf.start_ms < *s.start_ms)) s.start_ms = sf.start_ms;
    if (sf.end_ms && (!s.end_ms || *sf.end_ms > *s.end_ms)) s.end_ms = sf.end_ms;
  }
}

void ModelBuilder::AddPeerStats(std::vector<ingest::PeerStatsDoc>* docs) {
  for (auto& doc : *docs) {
    SessionBuild& sb = SessionOf(doc.session_id);
    if (sb.session.room_id.empty()) sb.session.room_id = doc.room_id;
    Peer& peer = sb.peers[doc.peer_id];
    peer.peer_id = doc.peer_id;
    // Entries come ordered (OrderPeerStatsEntries, as each file was read).
    for (auto& e : doc.entries) {
      if (e.direction == Direction::kPublisher)
        owners_[doc.session_id][e.track_id].insert(doc.peer_id);
      const auto same = [&e](const Track& t) {
        return t.direction == e.direction && t.track_id == e.track_id && t.kind == e.kind;
      };
      // Sorted entries: a track's layers follow each other, so it is usually
      // the last one added.
      Track* track =
          !peer.tracks.empty() && same(peer.tracks.back()) ? &peer.tracks.back() : nullptr;
      for (size_t ti = 0; !track && ti < peer.tracks.size(); ++ti) {
        if (same(peer.tracks[ti])) track = &peer.tracks[ti];
      }
      if (!track) {
        peer.tracks.push_back(Track{std::move(e.track_id),
                                    e.direction,
                                    e.kind,
                                    std::string(),
                                    {},
                                    std::move(e.connection),
                                    std::move(e.facts)});
        track = &peer.tracks.back();
      }
      track->layers.push_back(Layer{std::move(e.rid), std::move(e.series), e.encoding_index});
    }
  }
}

void ModelBuilder::AddTrackOwners(const std::vector<ingest::TrackOwner>& owners) {
  for (const auto& o : owners) owners_[o.session_id][o.track_id].insert(o.peer_id);
}

void ModelBuilder::MergePeerFacts(std::vector<ingest::PeerFact>* facts) {
  std::sort(facts->begin(), facts->end(), [](const auto& a, const auto& b) {
    if (a.session_id != b.session_id) return a.session_id < b.session_id;
    if (a.peer_id != b.peer_id) return a.peer_id < b.peer_id;
    if (a.source != b.source) return a.source > b.source;
    return InfoKey(a.info) < InfoKey(b.info);
  });
  for (const auto& pf : *facts) {
    Peer& peer = SessionOf(pf.session_id).peers[pf.peer_id];
    peer.peer_id = pf.peer_id;
    MergeInfo(&peer.info, pf.info);
    if (pf.info.joined_ms || pf.info.left_ms) {
      pairs_[pf.session_id][pf.peer_id].push_back({pf.info.joined_ms, pf.info.left_ms});
    }
  }
}

// Which of the sorted events repeat an earlier one's id in the same session.
// Found by sorting positions (one allocation, not a set node and two copied
// ids per event).
std::vector<bool> RepeatedIds(const std::vector<ingest::StagedEvent>& events) {
  std::vector<size_t> with_id;
  for (size_t i = 0; i < events.size(); ++i) {
    if (!events[i].event_id.empty()) with_id.push_back(i);
  }
  const auto id_of = [&events](size_t i) {
    return std::tie(events[i].session_id, events[i].event_id);
  };
  std::stable_sort(with_id.begin(), with_id.end(),
                   [&](size_t a, size_t b) { return id_of(a) < id_of(b); });
  std::vector<bool> repeated(events.size(), false);
  for (size_t k = 1; k < with_id.size(); ++k) {
    if (id_of(with_id[k]) == id_of(with_id[k - 1])) repeated[with_id[k]] = true;
  }
  return repeated;
}

void ModelBuilder::AddEvents(std::vector<ingest::StagedEvent>* events) {
  std::sort(events->begin(), events->end(), [](const auto& a, const auto& b) {
    if (a.session_id != b.session_id) return a.session_id < b.session_id;
    if (EventContentLess(a.event, b.event)) return true;
    if (EventContentLess(b.event, a.event)) return false;
    return std::tie(a.event_id, a.event.source) < std::tie(b.event_id, b.event.source);
  });
  const std::vector<bool> repeated = RepeatedIds(*events);
  // Kept events are moved into their session; the last kept one is its
  // session's last event.
  SessionBuild* last_session = nullptr;
  for (size_t i = 0; i < events->size(); ++i) {
    if (repeated[i]) continue;
    ingest::StagedEvent& se = (*events)[i];
    SessionBuild& sb = SessionOf(se.session_id);
    if (&sb == last_session) {
      const Event& prev = sb.session.events.back();
      if (SameEventContent(prev, se.event)) {
        continue;  // the same event from an events page and a webhook
      }
    }
    sb.session.events.push_back(std::move(se.event));
    last_session = &sb;
  }
}

// A peer known only by its user (a failed join, say) takes the name the
// same user has on another peer of the session.
void NamePeersByUser(std::vector<Peer>* peers) {
  std::map<std::string, std::string> user_names;
  for (const Peer& p : *peers) {
    if (!p.info.user_id.empty() && !p.info.name.empty())
      user_names.emplace(p.info.user_id, p.info.name);
  }
  for (Peer& p : *peers) {
    auto it = user_names.find(p.info.user_id);
    if (p.info.name.empty() && it != user_names.end()) p.info.name = it->second;
  }
}

// Peers by first presence (else first sample), then id.
void SortPeersByFirstSeen(std::vector<Peer>* peers) {
  auto first_seen = [](const Peer& p) {
    if (!p.presence.empty()) return p.presence.front().start_ms;
    auto span = SampleSpan(p);
    return span ? span->start_ms : INT64_MAX;
  };
  std::stable_sort(peers->begin(), peers->end(), [&](const Peer& a, const Peer& b) {
    int64_t fa = first_seen(a), fb = first_seen(b);
    return fa != fb ? fa < fb : a.peer_id < b.peer_id;
  });
}

// The span of times seen in a session, widened peer by peer.
struct SeenSpan {
  std::optional<int64_t> first, last;
  void Add(const Interval& iv) {
    first = first ? std::min(*first, iv.start_ms) : iv.start_ms;
    last = last ? std::max(*last, iv.end_ms) : iv.end_ms;
  }
  // Only the end (a span is already known).
  void ExtendTo(int64_t end) { last = std::max(*last, end); }
};

Session ModelBuilder::FinishSession(const std::string& id, SessionBuild* sb) const {
  Session& s = sb->session;
  SeenSpan seen_span;
  const auto session_owners = owners_.find(id);
  const auto session_pairs = pairs_.find(id);
  for (auto& [pid, peer] : sb->peers) {
    for (Track& t : peer.tracks) {
      if (t.direction != Direction::kSubscriber || session_owners == owners_.end()) continue;
      auto it = session_owners->second.find(t.track_id);
      if (it != session_owners->second.end() && it->second.size() == 1 &&
          *it->second.begin() != pid) {
        t.remote_peer_id = *it->second.begin();
      }
    }
    std::optional<Interval> span = SampleSpan(peer);
    if (session_pairs != pairs_.end()) {
      auto it = session_pairs->second.find(pid);
      if (it != session_pairs->second.end()) {
        const int64_t open_end = span ? span->end_ms : s.end_ms.value_or(INT64_MIN);
        peer.presence = BuildPresence(it->second, span ? span->start_ms : INT64_MAX, open_end);
      }
    }
    if (!peer.presence.empty()) {
      seen_span.Add({peer.presence.front().start_ms, peer.presence.back().end_ms});
      if (span) seen_span.ExtendTo(span->end_ms);  // samples after the last leave
    } else if (span) {
      seen_span.Add(*span);
    }
    s.peers.push_back(std::move(peer));
  }
  NamePeersByUser(&s.peers);
  // Known from events alone: its events give its span.
  if (!seen_span.first && !s.events.empty()) {
    seen_span.Add({s.events.front().time_ms, s.events.back().time_ms});
  }
  if (!s.start_ms) s.start_ms = seen_span.first;
  if (!s.end_ms) s.end_ms = seen_span.last;
  if (s.start_ms && s.end_ms && *s.end_ms < *s.start_ms) s.end_ms = s.start_ms;
  SortPeersByFirstSeen(&s.peers);
  return std::move(s);
}

std::vector<Session> ModelBuilder::Build() {
  std::vector<Session> out;
  for (auto& [id, sb] : sessions_) out.push_back(FinishSession(id, &sb));
  std::stable_sort(out.begin(), out.end(), [](const Session& a, const Session& b) {
    int64_t sa = a.start_ms.value_or(INT64_MAX), sb = b.start_ms.value_or(INT64_MAX);
    return sa != sb ? sa < sb : a.session_id < b.session_id;
  });
  return out;
}

}  // namespace

SessionSet Ingestor::Finish() {
  Fragment& f = impl_->merged;
  SessionSet out;
  DumpJoiner(&f).Join();
  AttachSessionless(&f, &out.unattached);
  ModelBuilder builder;
  builder.ApplySessionFacts(&f.sessions);
  builder.AddPeerStats(&f.peer_stats);
  builder.AddTrackOwners(f.track_owners);
  builder.MergePeerFacts(&f.peers);
  builder.AddEvents(&f.events);
  builder.AddConnections(&f.connections);
  out.sessions = builder.Build();
  impl_->merged = Fragment();
  impl_->stats_owner.clear();
  return out;
}

}  // namespace callsight
