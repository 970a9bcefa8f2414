// The embind binding of callsight::Engine: the only Emscripten-aware C++.
//
// JavaScript (wasm/js/index.js) drives it:
//   const e = new Module.Engine(threads);
//   const ptr = Module._malloc(n); Module.HEAPU8.set(bytes, ptr);
//   e.addFile(name, ptr, n);          // takes ptr (freed once read)
//   const err = e.run(configJson);    // "" or "config: ..." / "internal: ..."
//   const err2 = e.writeReportParts((session, list, bytes) => ...);  // see below
//   const s = e.series(session, peer, trackKey, metric, maxPoints);  // {t, values} | {error}
//
// Files go in as malloc'ed bytes because embind copies std::string arguments byte
// by byte (about 1 s for 40 MB); HEAPU8.set is a memcpy. The report comes out
// the same way, as views of its bytes that TextDecoder reads (returning a
// std::string scans it byte by byte in JavaScript first), in parts that are
// JSON texts of their own: JavaScript parses each part while the engine's
// threads write the next, and the heap never holds the whole report.
//
// Files are added to a pending Engine; run() swaps it in as the current one only
// when it succeeds, so a failed analysis leaves the previous results (and the
// next analysis starts from nothing).
//
// The threaded build (ENVIRONMENT=node, -pthread; see CMakeLists.txt) reads
// files on `threads` threads at once: addFile holds files until
// Engine::kAddFilesBatchBytes are waiting, then hands them to the engine's
// other threads to read in the background while JavaScript copies in the
// next ones (the next hand-over, or run(), merges them first). Each file is
// freed as soon as it is merged: the heap holds about two batches of input at
// most. With threads = 1 each file is read as it comes.
#include <emscripten/bind.h>
#include <emscripten/val.h>

#include <cstdint>
#include <cstdlib>
#include <exception>
#include <memory>
#include <new>
#include <string>
#include <string_view>
#include <vector>

#include "callsight/config.h"
#include "callsight/engine.h"
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

val ErrorObject(const std::string& message) {
  val out = val::object();
  out.set("error", message);
  return out;
}

class WasmEngine {
 public:
  // `threads`: files read at once and threads used by the analysis (>= 1; the
  // threaded build's pool size plus the calling thread).
  explicit WasmEngine(int threads) : threads_(threads < 1 ? 1 : threads) {}
  ~WasmEngine() { abandon(); }

  // Starts a new analysis: the previous results go first, so two models never
  // share the heap (WebAssembly memory only grows).
  void begin() {
    abandon();
    current_.reset();
  }

  // Discards files added since the last run (an analysis abandoned half-way);
  // the last run's results stay for series().
  void abandon() {
    pending_.reset();  // first: stops reading the files handed over
    DropFiles(&reading_);
    DropFiles(&queued_);
    queued_bytes_ = 0;
  }

  // Takes one file of `len` bytes at `ptr` (from _malloc; freed here once
  // read, or on failure). Its report is in the report's inputs after run().
  //
  // A file larger than maxFileBytes() comes with ptr 0 and is not copied into
  // memory at all: the ingestor rejects it by its size without reading it.
  void addFile(const std::string& name, uintptr_t ptr, size_t len) {
    void* bytes = reinterpret_cast<void*>(ptr);
    if (!bytes && len <= maxFileBytes()) len = 0;
    try {
      queued_.push_back(Queued{name, bytes, len});
    } catch (...) {
      std::free(bytes);
      throw;
    }
    if (bytes) queued_bytes_ += len;
    if (threads_ == 1) {
      ReadQueued();
    } else if (queued_bytes_ >= Engine::kAddFilesBatchBytes) {
      HandOverQueued();
    }
  }

  // "" when `config_json` is a valid config, else what is wrong with it.
  std::string configError(const std::string& config_json) const {
    Result<Config> parsed = ParseConfig(config_json);
    return parsed.ok() ? std::string() : parsed.status().message();
  }

  // Analyzes the files added since the last run. Returns "" on success, else
  // "config: <what is wrong>" (the pending files are then dropped) or
  // "internal: <what happened>".
  std::string run(const std::string& config_json) {
    Config config;
    if (!config_json.empty()) {
      Result<Config> parsed = ParseConfig(config_json);
      if (!parsed.ok()) {
        abandon();
        return "config: " + parsed.status().message();
      }
      config = std::move(parsed).value();
    }
    try {
      ReadQueued();
    } catch (const std::bad_alloc&) {
      abandon();
      return "internal: out of memory while reading the files";
    }
    std::unique_ptr<Engine> engine = std::move(pending_);
    if (!engine) engine = NewEngine();
    try {
      current_.reset();  // free the previous results first: peak memory
      engine->Run(config);
    } catch (const std::bad_alloc&) {
      return "internal: out of memory while analyzing";
    } catch (const std::exception& e) {
      return std::string("internal: ") + e.what();
    }
    current_ = std::move(engine);
    return "";
  }

  // Writes the report of the last successful run in parts (compact JSON,
  // ASCII; see WriteJsonReportParts in report.h): calls
  // on_part(session, list, bytes) for each part in order, bytes a Uint8Array
  // view of the part's UTF-8 text in the heap, valid only during the call;
  // session -1 (list "") for the head. In the threaded build the next parts
  // are written on the other threads meanwhile. Returns "", or what went
  // wrong: the parts sent are then not a whole report. on_part must not throw.
  std::string writeReportParts(val on_part) const {
    if (!current_) return "no analysis yet";
    // ASCII: TextDecoder then makes a one-byte string, several times faster.
    const Status status = current_->WriteReportParts(
        [&on_part](const ReportPart& part) {
          on_part(part.session, val(part.list),
                  val(emscripten::typed_memory_view(
                      part.json.size(), reinterpret_cast<const unsigned char*>(part.json.data()))));
        },
        /*ascii=*/true);
    return status.ok() ? std::string() : status.message();
  }

  // A metric of one track for a chart: {t: Float64Array, values: Float64Array},
  // or {error: "..."} naming what is missing.
  val series(const std::string& session_id, const std::string& peer_id,
             const std::string& track_key, const std::string& metric, double max_points) const {
    if (!current_) return ErrorObject("no analysis yet: call analyze() first");
    size_t n = 2;
    if (max_points >= 2 && max_points < 1e9)
      n = static_cast<size_t>(max_points);
    else if (max_points >= 1e9)
      n = static_cast<size_t>(1e9);
    Result<ChartSeries> r = current_->Series(session_id, peer_id, track_key, metric, n);
    if (!r.ok()) return ErrorObject(r.status().message());
    val out = val::object();
    out.set("t", Float64ArrayOf(r.value().t_ms));
    out.set("values", Float64ArrayOf(r.value().values));
    return out;
  }

  static std::string version() { return CALLSIGHT_VERSION; }

  // Files larger than this are rejected (IngestOptions::max_file_bytes).
  static size_t maxFileBytes() { return IngestOptions{}.max_file_bytes; }

 private:
  struct Queued {
    std::string name;
    void* bytes;  // from _malloc, owned until read
    size_t len;
  };

  std::unique_ptr<Engine> NewEngine() const {
    return std::make_unique<Engine>(IngestOptions{}, threads_);
  }

  // Reads the queued files now, after those handed over before (in parallel
  // when threads_ > 1); each is freed once merged.
  void ReadQueued() {
    HandOverQueued();
    FinishReading();
  }

  // Hands the queued files to the engine's other threads to read while
  // JavaScript goes on, once the files handed over before are merged.
  void HandOverQueued() {
    FinishReading();
    if (queued_.empty()) return;
    reading_ = std::move(queued_);
    queued_.clear();
    queued_bytes_ = 0;
    if (!pending_) pending_ = NewEngine();
    pending_->StartAddFiles(FilesOf(reading_), [this](size_t i) { Release(i); });
  }

  // Merges the files handed over, then frees any the engine did not release
  // (all of them when reading failed).
  void FinishReading() {
    try {
      if (pending_) pending_->FinishAddFiles();
    } catch (...) {
      DropFiles(&reading_);
      throw;
    }
    DropFiles(&reading_);
  }

  static std::vector<InputFile> FilesOf(const std::vector<Queued>& queued) {
    std::vector<InputFile> files;
    files.reserve(queued.size());
    for (const Queued& q : queued) {
      files.push_back(
          InputFile{q.name, std::string_view(static_cast<const char*>(q.bytes), q.len)});
    }
    return files;
  }

  // File i handed over is merged: its bytes go at once (on this thread).
  void Release(size_t i) {
    std::free(reading_[i].bytes);
    reading_[i].bytes = nullptr;
  }

  static void DropFiles(std::vector<Queued>* files) {
    for (const Queued& q : *files) std::free(q.bytes);
    files->clear();
  }

  int threads_;
  std::vector<Queued> queued_;       // files taken, not handed to the engine yet
  size_t queued_bytes_ = 0;          // their size
  std::vector<Queued> reading_;      // files handed over, freed once merged
  std::unique_ptr<Engine> pending_;  // receives addFile
  std::unique_ptr<Engine> current_;  // results of the last run
};

}  // namespace
}  // namespace callsight

EMSCRIPTEN_BINDINGS(callsight) {
  using callsight::WasmEngine;
  emscripten::class_<WasmEngine>("Engine")
      .constructor<int>()
      .function("begin", &WasmEngine::begin)
      .function("abandon", &WasmEngine::abandon)
      .function("addFile", &WasmEngine::addFile)
      .function("configError", &WasmEngine::configError)
      .function("run", &WasmEngine::run)
      .function("writeReportParts", &WasmEngine::writeReportParts)
      .function("series", &WasmEngine::series)
      .class_function("version", &WasmEngine::version)
      .class_function("maxFileBytes", &WasmEngine::maxFileBytes);
}
