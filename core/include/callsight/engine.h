// Engine: files in, report out. The one entry point shared by the CLI and the
// WebAssembly binding, so both give the same report for the same files.
//
//   callsight::Engine engine;
//   for (auto& f : files) engine.AddFile({f.name, f.bytes});
//   engine.Run(config);
//   std::string json = engine.ReportJson();
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
  // `threads`: how many threads AddFiles and Run may use, the caller's
  // included; 1 never starts a thread.
  explicit Engine(IngestOptions options = {}, int threads = 1);
  ~Engine();
  Engine(const Engine&) = delete;
  Engine& operator=(const Engine&) = delete;

  // Reads one input file now (its bytes are not kept) and returns its report.
  // The first AddFile after a Run starts a new batch and drops that Run's
  // results (the accessors below then see an empty result until the next Run).
  const InputReport& AddFile(const InputFile& file);

  // AddFile on each, in order, reading them in parallel; release(i) is called
  // once file i's bytes are no longer needed (see Ingestor::AddAll).
  void AddFiles(const std::vector<InputFile>& files,
                const std::function<void(size_t)>& release = nullptr);

  // AddFiles begun in the background (see Ingestor::StartAddAll): the files
  // are read on the engine's other threads while the caller prepares the
  // next ones. FinishAddFiles() merges them on the calling thread, as do
  // AddFile, AddFiles, AddUnread, StartAddFiles and Run before anything else.
  // The bytes must stay valid until released (release(i) runs on the thread
  // that finishes); destroying the Engine first stops the reading and merges
  // nothing more (release is not called for the files left). Rethrows what
  // AddFiles would throw (out of memory only), when finishing.
  void StartAddFiles(std::vector<InputFile> files, std::function<void(size_t)> release = nullptr);
  void FinishAddFiles();

  // How many bytes of files to gather for one AddFiles call when they come
  // one by one: enough that threads rarely wait for a call's last file,
  // little beside the model. (On the bench session 16 MB read as fast, but
  // the wasm heap after ten analyses then grew to 1.4-1.6x the input, from
  // 1.15x: freed input left between the model's blocks.)
  static constexpr size_t kAddFilesBatchBytes = size_t{4} << 20;

  // A file that could not be read (see Ingestor::AddUnread).
  const InputReport& AddUnread(const std::string& name, size_t bytes, const std::string& reason);

  // Merges the files added since the last Run, analyzes them with `config`, and
  // keeps the result for the accessors below. The next AddFile starts afresh.
  void Run(const Config& config);

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
  // MetricName or "mos" / "cqs_uplink" / "cqs_downlink" (track_key ignored for
  // the CQS ones). NotFound names what does not exist.
  Result<ChartSeries> Series(const std::string& session_id, const std::string& peer_id,
                             const std::string& track_key, const std::string& metric,
                             size_t max_points) const;

 private:
  struct State;
  void StartBatchIfNeeded();
  ReportContext Context() const;  // the last Run's, for the report writers
  IngestOptions options_;
  int threads_;
  std::unique_ptr<Ingestor> ingestor_;
  std::unique_ptr<State> state_;
  std::unique_ptr<Ingestor::PendingAdd> pending_add_;  // reset first by ~Engine
};

// Keeps the min and max of each of max_points/2 equal-time buckets (see
// ChartSeries). Exposed for tests.
ChartSeries Downsample(const std::vector<int64_t>& t_ms, const std::vector<double>& values,
                       size_t max_points);
ChartSeries Downsample(const std::vector<int64_t>& t_ms, const Samples& values, size_t max_points);

}  // namespace callsight

#endif  // CALLSIGHT_ENGINE_H_
