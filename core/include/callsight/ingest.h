// Ingest: input files (100ms REST exports and webhooks, browser stats dumps)
// -> SessionSet.
//
// Each file is detected by shape, validated, and merged by session_id / peer_id.
// A file is all-or-nothing: a rejected file contributes nothing, and never stops
// the files beside it. Files may be added in any order; Finish() gives the same
// model whatever the order.
#ifndef CALLSIGHT_INGEST_H_
#define CALLSIGHT_INGEST_H_

#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "callsight/model.h"

namespace callsight {

// What a file's bytes were compressed with before the shell (CLI, package)
// decompressed them. The engine reads plain bytes only; it reports which
// files came compressed.
enum class Compression : uint8_t { kNone, kGzip };
const char* CompressionName(Compression compression);  // "none", "gzip"

struct InputFile {
  std::string name;  // shown in every message about this file
  // The file's bytes; only read during Ingestor::Add (AddAll: until the
  // file's release). Always plain: decompressed by the shell.
  std::string_view data;
  // How the file was stored, when the shell decompressed it.
  Compression compression = Compression::kNone;
};

enum class InputKind : uint8_t {
  kUnknown,
  kPeerStats,            // one peer-stats object, an array of them, or NDJSON
  kSession,              // GET /v2/sessions/<id>
  kSessionList,          // GET /v2/sessions: {data: [session...]}
  kAnalyticsEvents,      // GET /v2/analytics/events: {events: [...]}
  kWebhookEvents,        // one webhook event, an array of them, or NDJSON
  kWebhookHistory,       // GET /v2/analytics/webhooks: {events: [{event_name, payload...}]}
  kMixed,                // NDJSON or an array whose documents are of several kinds
  kWebrtcInternalsDump,  // Chrome's chrome://webrtc-internals dump
  kRtcstatsDump,         // an rtcstats dump (Jitsi line format or file format 3)
};
// "peer-stats", "session", "session-list", "analytics-events", "webhook-events",
// "webhook-history", "mixed", "webrtc-internals-dump", "rtcstats-dump", "unknown".
const char* InputKindName(InputKind kind);

enum class InputStatus : uint8_t { kOk, kRepaired, kRejected };
const char* InputStatusName(InputStatus status);  // "ok", "repaired", "rejected"

struct InputMessage {
  // kInfo: something kept as it is, worth knowing (the file stays "ok").
  // kWarning: a safe repair (the file is "repaired"). kError: rejected.
  enum class Level : uint8_t { kWarning, kError, kInfo };
  Level level = Level::kError;
  int64_t line = 0;     // 1-based line of the NDJSON document, or of the byte; 0 = unknown
  std::string pointer;  // JSON Pointer (RFC 6901) into the document, "" = the whole document
  std::string text;     // one plain sentence
};

// Formats "<file>: line N, at /json/pointer: text" (parts omitted when unknown;
// "warning: " or "info: " before the text at those levels).
std::string FormatMessage(const std::string& file, const InputMessage& message);

struct InputReport {
  std::string name;
  InputKind kind = InputKind::kUnknown;
  InputStatus status = InputStatus::kOk;
  size_t bytes = 0;      // bytes read: for a compressed file, once decompressed
  size_t documents = 0;  // documents accepted from this file
  Compression compression = Compression::kNone;  // InputFile::compression
  std::vector<InputMessage> messages;
};

struct IngestOptions {
  // Deepest nesting accepted. Real exports nest 6 levels; anything deeper is hostile.
  int max_depth = 32;
  // Largest single file accepted, in bytes. Larger files are rejected as too large.
  size_t max_file_bytes = size_t{1} << 30;
  // When not empty: the only sessions whose documents are kept, sorted (ids
  // as the documents write them; a browser dump's own "dump-..." id, from
  // before Finish() joins the dumps of one call). Documents of other sessions
  // are dropped as each file is read (a peer-stats document at once, so its
  // samples are never held); the file's report, its duplicate checks and its
  // all-or-nothing rule are as without the filter. Documents without a
  // session_id (events Finish() places by room, peer and time) are kept. So a
  // file holding several sessions gives each only its own part
  // (`callsight analyze --tables`, session by session: core/src/fleet/
  // session_index.h says which files to give with which sessions).
  std::vector<std::string> only_sessions;
};

class Ingestor {
 public:
  explicit Ingestor(IngestOptions options = {});
  ~Ingestor();
  Ingestor(const Ingestor&) = delete;
  Ingestor& operator=(const Ingestor&) = delete;

  // Reads one file. Returns its report (also kept for inputs()). Never throws;
  // any problem is a message in the report. The bytes are not kept.
  const InputReport& Add(const InputFile& file);

  // The same as Add() on each file in order (same reports, same model), but
  // the files are read on up to `threads` threads at once. Once file i is
  // merged and its bytes are no longer needed, release(i) is called (if
  // given), in file order, on the calling thread; a file's bytes must stay
  // valid until then. Never throws for bad input; if it throws (out of
  // memory only), release() was called for a first part of the files and for
  // no other.
  void AddAll(const std::vector<InputFile>& files, int threads,
              const std::function<void(size_t)>& release = nullptr);

  // AddAll begun in the background: the files are read from now on by
  // threads - 1 helper threads while the caller does something else (say,
  // loads the next files). PendingAdd::Wait() then does the rest of AddAll on
  // the calling thread: merges every file in order (reading those not read
  // yet), calls release, and rethrows what AddAll would throw. Call nothing
  // else on this Ingestor until it returns. Destroying the PendingAdd without
  // Wait() stops the reading and merges nothing more (release is not called
  // for the files left). With threads == 1 all the work waits for Wait().
  class PendingAdd;
  std::unique_ptr<PendingAdd> StartAddAll(std::vector<InputFile> files, int threads,
                                          std::function<void(size_t)> release = nullptr);

  // Records a file that could not be read at all (missing, unreadable, or too
  // large to load: bytes over max_file_bytes), so it still appears in inputs()
  // as rejected. `reason` says why it could not be read; a file over the limit
  // gets the same message Add() would give it. `compression`: how the file is
  // stored (a compressed file that could not be decompressed: `bytes` is then
  // its compressed size).
  const InputReport& AddUnread(const std::string& name, size_t bytes, const std::string& reason,
                               Compression compression = Compression::kNone);

  // The reports of every file added so far, in the order added.
  const std::vector<InputReport>& inputs() const;

  // Merges everything added into the session model: resolves remote peers of
  // subscriber tracks, orders layers, peers, sessions and events. Hands the
  // model over: inputs() still lists every file, and the files added
  // afterwards make the next Finish()'s model, on their own.
  SessionSet Finish();

 private:
  struct Impl;
  class PendingAddOf;
  std::unique_ptr<Impl> impl_;
};

class Ingestor::PendingAdd {
 public:
  virtual ~PendingAdd() = default;
  virtual void Wait() = 0;
};

}  // namespace callsight

#endif  // CALLSIGHT_INGEST_H_
