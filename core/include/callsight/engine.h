// Engine: files in, report out. The one entry point shared by the CLI and the
// WebAssembly binding, so both give the same report for the same files.
//
//   callsight::Engine engine(IngestOptions{}, threads);
//   for (auto& f : files) engine.QueueFile({f.name, f.bytes}, [&f] { f.Free(); });
//   // (bytes plain: a shell decompresses a compressed file first and says
//   // so in InputFile::compression)
//   Status status = engine.Run(config);
//   std::string json = engine.ReportJson();
//
// Errors are values (status.h): every call that can fail returns a Status or a
// Result, out of memory included; the calls that return a plain value let
// std::bad_alloc through (see status.h).
#ifndef CALLSIGHT_ENGINE_H_
#define CALLSIGHT_ENGINE_H_

#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "callsight/analysis.h"
#include "callsight/config.h"
#include "callsight/ingest.h"
#include "callsight/model.h"
#include "callsight/report.h"
#include "callsight/status.h"

namespace callsight {

// Points for a chart: when downsampled, each bucket contributes its minimum and
// its maximum in time order, so spikes survive. A bucket with no values gives
// one NaN point (a gap).
struct ChartSeries {
  std::vector<double> t_ms;
  std::vector<double> values;
};

class Engine {
 public:
  // Frees the bytes of a file given to QueueFile.
  using Release = std::function<void()>;

  // `threads`: how many threads reading and Run may use, the caller's
  // included; 1 never starts a thread.
  explicit Engine(IngestOptions options = {}, int threads = 1);
  // Stops reading and releases every queued file not released yet.
  ~Engine();
  Engine(const Engine&) = delete;
  Engine& operator=(const Engine&) = delete;

  // Takes one input file, its bytes to be read and then let go: release() is
  // called exactly once, on the calling thread during this or a later call
  // (or the destructor), as soon as the bytes are no longer needed: the file
  // is merged, or dropped on failure. The bytes must stay valid until then.
  // Its report is in inputs() after Run(), in the order the files came in.
  //
  // With one thread each file is read at once. With more, files are gathered
  // until kBatchBytes are waiting and then read on the engine's other threads
  // in the background, while the caller loads the next ones; the next batch,
  // or Run(), merges them first. So about two batches of input are held at
  // most, and the report is the same as AddFile() one by one.
  //
  // Fails (Internal) only when memory runs out: the files given since the
  // last Run are then all released, later files are released at once, and
  // Run() returns the same failure.
  Status QueueFile(InputFile file, Release release = nullptr);

  // How many bytes of files to gather for one background batch: enough that
  // threads rarely wait for a batch's last file, little beside the model.
  // (On the bench session 16 MB read as fast, but the wasm heap after ten
  // analyses then grew to 1.4-1.6x the input, from 1.15x: freed input left
  // between the model's blocks.)
  static constexpr size_t kBatchBytes = size_t{4} << 20;

  // Reads one file now, after the queued ones, and returns its report (also
  // in inputs() after Run()). The bytes are not kept.
  const InputReport& AddFile(const InputFile& file);

  // A file that could not be read, listed after the files before it (see
  // Ingestor::AddUnread: a compressed file that could not be decompressed
  // comes with its compression). Fails as QueueFile does.
  Status AddUnread(const std::string& name, size_t bytes, const std::string& reason,
                   Compression compression = Compression::kNone);

  // Merges the files given since the last Run, analyzes them with `config`,
  // and keeps the result for the accessors below; the next file given starts
  // afresh (and drops this result first, so two models never share memory).
  // Internal when memory ran out reading the files or analyzing them; the
  // accessors then see an empty result.
  Status Run(const Config& config);

  // Results of the last Run.
  std::string ReportJson(int indent = -1) const;
  // The same report handed to `sink` in pieces, never held whole (see
  // WriteJsonReport in report.h), written on the engine's threads; fails only
  // when memory runs out on the way.
  Status WriteReportJson(const TextSink& sink, int indent = -1, bool ascii = false) const;
  // The same compact report in parts, for a reader that parses them as they
  // come (see WriteJsonReportParts in report.h); `sink` runs on the calling
  // thread while the engine's other threads write the next parts.
  Status WriteReportParts(const ReportPartSink& sink, bool ascii = false) const;
  std::string ReportText() const;
  const std::vector<InputReport>& inputs() const;
  const SessionSet& model() const;
  const Analysis& analysis() const;
  bool any_rejected() const;
  // The worst verdict of any session (SessionAnalysis::verdict) as a
  // severity: the most severe issue, or critical for a terminal error event
  // and warning for another; nullopt when every session is "ok".
  std::optional<Severity> worst_severity() const;

  // A metric of one track (track_key as in the report's tracks[].key) for a
  // chart, downsampled to at most max_points (>= 2) points. `metric` is a
  // MetricName, "mos", a derived series ("concealment_percent",
  // "video_bitrate_total", "highest_layer_fps": the whole track's, whichever
  // of its layers track_key names; DeriveTrackSeries) or "cqs" / "cqs_uplink" /
  // "cqs_downlink" (track_key ignored for the CQS ones). NotFound names what does not exist;
  // Internal when memory runs out.
  Result<ChartSeries> Series(const std::string& session_id, const std::string& peer_id,
                             const std::string& track_key, const std::string& metric,
                             size_t max_points) const;

 private:
  struct State;
  struct QueuedFile {
    InputFile file;
    Release release;  // null once called
  };

  void StartBatchIfNeeded();
  Ingestor& BatchIngestor();
  Status ReadQueued();
  Status HandOverQueued();
  void StartReading();
  void FinishReading();
  Status Fail(Status failure);
  void DropFiles();
  void ReleaseReading(size_t i);
  static void ReleaseAll(std::vector<QueuedFile>* files);
  Result<ChartSeries> FindSeries(const std::string& session_id, const std::string& peer_id,
                                 const std::string& track_key, const std::string& metric,
                                 size_t max_points) const;
  ReportContext Context() const;  // the last Run's, for the report writers

  IngestOptions options_;
  int threads_;
  std::unique_ptr<State> state_;        // the last Run's results
  bool batch_started_ = false;          // a file came since the last Run
  Status failure_;                      // of this batch: Run returns it
  std::unique_ptr<Ingestor> ingestor_;  // this batch's, made when needed
  std::vector<QueuedFile> queued_;      // given, not handed to the ingestor yet
  size_t queued_bytes_ = 0;             // their size
  std::vector<QueuedFile> reading_;     // handed to pending_add_, released once merged
  std::unique_ptr<Ingestor::PendingAdd> pending_add_;  // reads reading_ on other threads
};

// Keeps the min and max of each of max_points/2 equal-time buckets (see
// ChartSeries). Exposed for tests.
ChartSeries Downsample(const std::vector<int64_t>& t_ms, const std::vector<double>& values,
                       size_t max_points);
ChartSeries Downsample(const std::vector<int64_t>& t_ms, const Samples& values, size_t max_points);

}  // namespace callsight

#endif  // CALLSIGHT_ENGINE_H_
