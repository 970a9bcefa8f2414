// Report: model + analysis -> the report (SPEC §3, schema version 2, described
// by docs/report.schema.json), as JSON or as a readable text diagnosis.
#ifndef CALLSIGHT_REPORT_H_
#define CALLSIGHT_REPORT_H_

#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "callsight/analysis.h"
#include "callsight/config.h"
#include "callsight/ingest.h"
#include "callsight/model.h"
#include "callsight/status.h"

namespace callsight {

inline constexpr int kReportSchemaVersion = 2;

struct ReportContext {
  const std::vector<InputReport>& inputs;
  const SessionSet& model;
  const Analysis& analysis;
  const Config& config;
};

// The JSON report. indent < 0 gives compact output. Strings from the inputs are
// written as valid UTF-8 (invalid bytes replaced); never fails: without the
// memory to write it, the report is a small one whose "error" says so.
std::string WriteJsonReport(const ReportContext& ctx, int indent = -1);

// Receives a text in pieces, in order; the pieces joined are the text.
using TextSink = std::function<void(std::string_view)>;

// How the JSON report is written to a sink.
struct JsonReportOptions {
  int indent = -1;  // < 0: compact; else pretty, this many spaces per level
  // Characters beyond ASCII as \u escapes: the same JSON, as text a reader may
  // take as ASCII (JavaScript's TextDecoder makes a one-byte string of it,
  // several times faster).
  bool ascii = false;
  // Peers, breaches, issues and events written on up to this many threads
  // (compact output only); the text is the same for any number.
  int threads = 1;
};

// The same report handed to `sink` in pieces of about 64 kB as it is written,
// so that it is never held whole (a piece may end inside a UTF-8 sequence).
// Fails (Internal) only when memory runs out on the way; what was sent is then
// not a whole report and should be dropped.
Status WriteJsonReport(const ReportContext& ctx, const JsonReportOptions& options,
                       const TextSink& sink);

// One part of the JSON report as WriteJsonReportParts sends it.
struct ReportPart {
  // -1 for the first part, the head: the whole report, except that every
  // session's "peers", "breaches", "issues" and "events" are empty ([]).
  // Every later part continues one of those lists: the session's index in
  // "sessions" and the list's name.
  int session = -1;
  const char* list = "";
  // Compact JSON: the head object, or an array of the list's next elements.
  // Valid only during the sink's call.
  std::string_view json;
};
using ReportPartSink = std::function<void(const ReportPart&)>;

// The compact report in parts, for a reader that parses each part while the
// next ones are written (the WebAssembly package's JavaScript does): the head
// first, then each session's lists, in order, in slices (one or more peers,
// 256 or more other elements). Parse the head, append each later part's
// elements to its list, and the result is WriteJsonReport's report, keys in
// the same order. Parts are written on up to options.threads threads (the
// caller's included; options.indent is ignored) and handed to `sink` on the
// calling thread, in order; only a few are held at once. Fails (Internal)
// only when memory runs out on the way; the parts sent are then not a whole
// report. (A list's last slice may hold fewer than 256 elements.)
Status WriteJsonReportParts(const ReportContext& ctx, const JsonReportOptions& options,
                            const ReportPartSink& sink);

// A plain-text diagnosis for a support ticket: inputs with problems, then per
// session the overview, worst peers first, issues with times and advice.
std::string WriteTextReport(const ReportContext& ctx);

}  // namespace callsight

#endif  // CALLSIGHT_REPORT_H_
