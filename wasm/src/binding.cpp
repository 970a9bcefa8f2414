// The embind binding of callsight::Engine: the only Emscripten-aware C++.
//
// JavaScript (wasm/js/index.js) drives it:
//   const e = new Module.Engine(threads);
//   e.begin();
//   const ptr = Module._malloc(n); Module.HEAPU8.set(bytes, ptr);
//   let s = e.addFile(name, ptr, n, compression);  // takes ptr (freed once read); s: {code,
//   message}; compression "gzip" when index.js decompressed the file, else ""
//   s = e.addUnread(name, n, reason, compression);  // a file index.js could not decompress
//   s = e.run(configJson);            // {code: "ok", message: ""} or the failure
//   s = e.writeReportParts((session, list, bytes) => ...);  // see below
//   const r = e.series(session, peer, trackKey, metric, maxPoints);  // {t, values} | {code,
//   message}
//   const rows = e.tableRows();  // {sessions, participants, issues, breaches, errors}: the
//   fleet tables' NDJSON text of the last run's sessions | {code, message}
//   const f = e.fleet([[ptr, n], ...five], since);  // {code: "ok", json} | {code, message};
//   each table's bytes malloc'ed as for addFile (freed here), ptr 0 for a missing table
//
// Failures cross as {code, message}: code is Status::CodeId ("ok",
// "invalid_argument" for a bad config, "not_found", "internal" for out of
// memory), which index.js maps to its error classes.
//
// Files go in as malloc'ed bytes because embind copies std::string arguments byte
// by byte (about 1 s for 40 MB); HEAPU8.set is a memcpy. The report comes out
// the same way, as views of its bytes that TextDecoder reads (returning a
// std::string scans it byte by byte in JavaScript first), in parts that are
// JSON texts of their own: JavaScript parses each part while the engine's
// threads write the next, and the heap never holds the whole report.
//
// Files are added to a pending Engine, which owns them (Engine::QueueFile:
// read in batches on the engine's threads in the threaded build, each freed
// once merged). run() swaps it in as the current one only when it succeeds;
// a bad config leaves the previous results, and the next analysis starts
// from nothing.
#include <emscripten/bind.h>
#include <emscripten/val.h>

#include <array>
#include <cstdint>
#include <cstdlib>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "callsight/config.h"
#include "callsight/engine.h"
#include "callsight/fleet.h"
#include "callsight/ingest.h"

#ifndef CALLSIGHT_VERSION
#define CALLSIGHT_VERSION "0.0.0"
#endif

namespace callsight {
namespace {

using emscripten::val;

val Float64ArrayOf(const std::vector<double>& v) {
  // typed_memory_view is a view into the wasm heap; constructing a Float64Array
  // from it copies, so the result outlives the vector (and memory growth).
  return val::global("Float64Array").new_(emscripten::typed_memory_view(v.size(), v.data()));
}

// A Status as JavaScript sees it.
struct StatusValue {
  std::string code;  // Status::CodeId
  std::string message;
};

StatusValue ValueOf(const Status& status) {
  return StatusValue{Status::CodeId(status.code()), status.message()};
}

val ErrorObject(const Status& status) {
  val out = val::object();
  out.set("code", std::string(Status::CodeId(status.code())));
  out.set("message", status.message());
  return out;
}

Status NoAnalysis() { return Status::NotFound("no analysis yet: call analyze() first"); }

class WasmEngine {
 public:
  // `threads`: files read at once and threads used by the analysis (>= 1; the
  // threaded build's pool size plus the calling thread).
  explicit WasmEngine(int threads) : threads_(threads < 1 ? 1 : threads) {}

  // Starts a new analysis: the previous results go first, so two models never
  // share the heap (WebAssembly memory only grows).
  void begin() {
    abandon();
    current_.reset();
  }

  // Discards files added since the last run (an analysis abandoned half-way),
  // freeing them; the last run's results stay for series().
  void abandon() { pending_.reset(); }

  // Takes one file of `len` bytes at `ptr` (from _malloc; freed once read, or
  // on failure). Its report is in the report's inputs after run().
  // `compression`: "gzip" when index.js decompressed it, else "".
  //
  // A file larger than maxFileBytes() comes with ptr 0 and is not copied into
  // memory at all: the engine rejects it by its size.
  StatusValue addFile(const std::string& name, uintptr_t ptr, size_t len,
                      const std::string& compression) {
    void* bytes = reinterpret_cast<void*>(ptr);
    Engine& engine = Pending();
    if (!bytes) {
      return ValueOf(engine.AddUnread(name, len, "out of memory copying the file in",
                                      CompressionOf(compression)));
    }
    return ValueOf(
        engine.QueueFile(InputFile{name, std::string_view(static_cast<const char*>(bytes), len),
                                   CompressionOf(compression)},
                         [bytes] { std::free(bytes); }));
  }

  // A file of `len` bytes that is not read: listed as rejected, saying
  // `reason` (a compressed file index.js could not decompress).
  StatusValue addUnread(const std::string& name, size_t len, const std::string& reason,
                        const std::string& compression) {
    return ValueOf(Pending().AddUnread(name, len, reason, CompressionOf(compression)));
  }

  // Whether `config_json` is a valid config: ok, or invalid_argument saying
  // what is wrong with it.
  StatusValue checkConfig(const std::string& config_json) const {
    return ValueOf(ParseConfig(config_json).status());
  }

  // Analyzes the files added since the last run: ok, invalid_argument for a
  // bad config (the pending files are then dropped, the last results kept),
  // or internal when memory ran out (no results are kept).
  StatusValue run(const std::string& config_json) {
    Config config;
    if (!config_json.empty()) {
      Result<Config> parsed = ParseConfig(config_json);
      if (!parsed.ok()) {
        abandon();
        return ValueOf(parsed.status());
      }
      config = std::move(parsed).value();
    }
    std::unique_ptr<Engine> engine = std::move(pending_);
    if (!engine) engine = std::make_unique<Engine>(IngestOptions{}, threads_);
    current_.reset();  // free the previous results first: peak memory
    const Status status = engine->Run(config);
    if (status.ok()) current_ = std::move(engine);
    return ValueOf(status);
  }

  // Writes the report of the last successful run in parts (compact JSON,
  // ASCII; see WriteJsonReportParts in report.h): calls
  // on_part(session, list, bytes) for each part in order, bytes a Uint8Array
  // view of the part's UTF-8 text in the heap, valid only during the call;
  // session -1 (list "") for the head. In the threaded build the next parts
  // are written on the other threads meanwhile. Returns ok, or what went
  // wrong: the parts sent are then not a whole report. on_part must not throw.
  StatusValue writeReportParts(val on_part) const {
    if (!current_) return ValueOf(NoAnalysis());
    // ASCII: TextDecoder then makes a one-byte string, several times faster.
    return ValueOf(current_->WriteReportParts(
        [&on_part](const ReportPart& part) {
          on_part(part.session, val(part.list),
                  val(emscripten::typed_memory_view(
                      part.json.size(), reinterpret_cast<const unsigned char*>(part.json.data()))));
        },
        /*ascii=*/true));
  }

  // A metric of one track for a chart: {t: Float64Array, values: Float64Array},
  // or {code, message} naming what is missing.
  val series(const std::string& session_id, const std::string& peer_id,
             const std::string& track_key, const std::string& metric, double max_points) const {
    if (!current_) return ErrorObject(NoAnalysis());
    size_t n = 2;
    if (max_points >= 2 && max_points < 1e9)
      n = static_cast<size_t>(max_points);
    else if (max_points >= 1e9)
      n = static_cast<size_t>(1e9);
    Result<ChartSeries> r = current_->Series(session_id, peer_id, track_key, metric, n);
    if (!r.ok()) return ErrorObject(r.status());
    val out = val::object();
    out.set("t", Float64ArrayOf(r.value().t_ms));
    out.set("values", Float64ArrayOf(r.value().values));
    return out;
  }

  // The fleet tables' rows of the last successful run (MakeTableRows, the
  // rows `callsight analyze --tables` writes for these files): an object of
  // the five tables' NDJSON text by table name, or {code, message}.
  val tableRows() const {
    if (!current_) return ErrorObject(NoAnalysis());
    const FleetTables rows = MakeTableRows(current_->model(), current_->analysis());
    val out = val::object();
    for (int i = 0; i < kFleetTableCount; ++i) {
      const FleetTable t = static_cast<FleetTable>(i);
      out.set(FleetTableName(t), TableText(rows.of(t)));
    }
    return out;
  }

  // The fleet summary of five tables (indexed by FleetTable; each [ptr, len]
  // of malloc'ed bytes, freed here; ptr 0: no such table), keeping the
  // sessions that started on `since` ("YYYY-MM-DD") or later when not "":
  // {code: "ok", json} (FleetSummaryJson, compact), or {code, message}
  // (invalid_argument naming the table and line of a bad row, or a bad since).
  // Independent of the analysis: the tables may come from anywhere.
  static val fleet(val tables, const std::string& since) {
    std::array<std::string, kFleetTableCount> texts;
    for (int i = 0; i < kFleetTableCount; ++i) {
      const val pair = tables[i];
      const uintptr_t ptr = pair[0].as<uintptr_t>();
      const size_t len = pair[1].as<size_t>();
      if (!ptr) continue;
      texts[i].assign(reinterpret_cast<const char*>(ptr), len);
      std::free(reinterpret_cast<void*>(ptr));
    }
    Result<FleetSummary> summary = SummarizeFleet(texts, since);
    if (!summary.ok()) return ErrorObject(summary.status());
    val out = val::object();
    out.set("code", std::string("ok"));
    out.set("json", FleetSummaryJson(summary.value()));
    return out;
  }

  static std::string version() { return CALLSIGHT_VERSION; }

  // Files larger than this are rejected (IngestOptions::max_file_bytes).
  static size_t maxFileBytes() { return IngestOptions{}.max_file_bytes; }

 private:
  Engine& Pending() {
    if (!pending_) pending_ = std::make_unique<Engine>(IngestOptions{}, threads_);
    return *pending_;
  }
  static Compression CompressionOf(const std::string& name) {
    return name == CompressionName(Compression::kGzip) ? Compression::kGzip : Compression::kNone;
  }

  int threads_;
  std::unique_ptr<Engine> pending_;  // receives addFile, owns the files given
  std::unique_ptr<Engine> current_;  // results of the last run
};

}  // namespace
}  // namespace callsight

EMSCRIPTEN_BINDINGS(callsight) {
  using callsight::StatusValue;
  using callsight::WasmEngine;
  emscripten::value_object<StatusValue>("Status")
      .field("code", &StatusValue::code)
      .field("message", &StatusValue::message);
  emscripten::class_<WasmEngine>("Engine")
      .constructor<int>()
      .function("begin", &WasmEngine::begin)
      .function("abandon", &WasmEngine::abandon)
      .function("addFile", &WasmEngine::addFile)
      .function("addUnread", &WasmEngine::addUnread)
      .function("checkConfig", &WasmEngine::checkConfig)
      .function("run", &WasmEngine::run)
      .function("writeReportParts", &WasmEngine::writeReportParts)
      .function("series", &WasmEngine::series)
      .function("tableRows", &WasmEngine::tableRows)
      .class_function("fleet", &WasmEngine::fleet)
      .class_function("version", &WasmEngine::version)
      .class_function("maxFileBytes", &WasmEngine::maxFileBytes);
}
