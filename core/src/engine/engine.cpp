#include "callsight/engine.h"

#include <algorithm>
#include <cmath>
#include <exception>
#include <limits>
#include <new>
#include <optional>
#include <string>
#include <utility>

#include "callsight/report.h"
#include "callsight/scoring.h"

namespace callsight {

struct Engine::State {
  std::vector<InputReport> inputs;
  SessionSet model;
  Analysis analysis;
  Config config;
};

namespace {

// Runs `step`, the exception it throws (out of memory: see status.h) made a
// Status.
template <typename Step>
Status Catching(const char* what, const Step& step) {
  try {
    step();
  } catch (const std::bad_alloc&) {
    return Status::Internal(std::string("out of memory while ") + what);
  } catch (const std::exception& e) {
    return Status::Internal(std::string(what) + ": " + e.what());
  }
  return Status::Ok();
}

constexpr char kReading[] = "reading the files";

}  // namespace

Engine::Engine(IngestOptions options, int threads)
    : options_(options), threads_(std::max(threads, 1)), state_(new State) {}

Engine::~Engine() { DropFiles(); }

void Engine::StartBatchIfNeeded() {
  if (batch_started_) return;
  // A new batch: the previous results go first, so two models never share
  // memory (in WebAssembly the heap only grows).
  state_ = std::make_unique<State>();
  batch_started_ = true;
}

Ingestor& Engine::BatchIngestor() {
  if (!ingestor_) ingestor_ = std::make_unique<Ingestor>(options_);
  return *ingestor_;
}

Status Engine::QueueFile(InputFile file, Release release) {
  if (!failure_.ok()) {
    if (release) release();
    return failure_;
  }
  const size_t bytes = file.data.size();
  const Status queued = Catching(kReading, [&] {
    StartBatchIfNeeded();
    queued_.push_back(QueuedFile{std::move(file), release});
  });
  if (!queued.ok()) {
    if (release) release();
    return Fail(queued);
  }
  queued_bytes_ += bytes;
  if (threads_ == 1) return ReadQueued();
  if (queued_bytes_ >= kBatchBytes) return HandOverQueued();
  return Status::Ok();
}

const InputReport& Engine::AddFile(const InputFile& file) {
  StartBatchIfNeeded();
  ReadQueued();  // a failure is kept for Run
  return BatchIngestor().Add(file);
}

Status Engine::AddUnread(const std::string& name, size_t bytes, const std::string& reason,
                         Compression compression) {
  StartBatchIfNeeded();
  if (Status read = ReadQueued(); !read.ok()) return read;
  const Status added =
      Catching(kReading, [&] { BatchIngestor().AddUnread(name, bytes, reason, compression); });
  return added.ok() ? added : Fail(added);
}

Status Engine::ReadQueued() {
  if (Status handed = HandOverQueued(); !handed.ok()) return handed;
  const Status read = Catching(kReading, [&] { FinishReading(); });
  return read.ok() ? read : Fail(read);
}

Status Engine::HandOverQueued() {
  if (!failure_.ok()) return failure_;
  const Status handed = Catching(kReading, [&] {
    FinishReading();
    if (!queued_.empty()) StartReading();
  });
  return handed.ok() ? handed : Fail(handed);
}

// The queued files become the batch read in the background (reading_ is
// empty: FinishReading ran).
void Engine::StartReading() {
  std::vector<InputFile> files;
  files.reserve(queued_.size());
  for (const QueuedFile& q : queued_) files.push_back(q.file);
  Ingestor& ingestor = BatchIngestor();
  reading_ = std::move(queued_);
  queued_.clear();
  queued_bytes_ = 0;
  pending_add_ =
      ingestor.StartAddAll(std::move(files), threads_, [this](size_t i) { ReleaseReading(i); });
}

// Merges the batch read in the background, releasing each file once merged.
void Engine::FinishReading() {
  if (!pending_add_) return;
  pending_add_->Wait();
  pending_add_.reset();
  ReleaseAll(&reading_);  // none left: each was released once merged
}

void Engine::ReleaseReading(size_t i) {
  Release release = std::move(reading_[i].release);
  reading_[i].release = nullptr;
  if (release) release();
}

void Engine::ReleaseAll(std::vector<QueuedFile>* files) {
  for (QueuedFile& q : *files) {
    if (q.release) q.release();
  }
  files->clear();
}

// Drops the batch: the files given since the last Run are released and what
// was merged of them goes; Run returns `failure`.
Status Engine::Fail(Status failure) {
  DropFiles();
  ingestor_.reset();
  failure_ = std::move(failure);
  return failure_;
}

void Engine::DropFiles() {
  pending_add_.reset();  // first: stops the threads reading reading_
  ReleaseAll(&reading_);
  ReleaseAll(&queued_);
  queued_bytes_ = 0;
}

Status Engine::Run(const Config& config) {
  Status status = ReadQueued();
  batch_started_ = false;
  failure_ = Status::Ok();
  if (status.ok()) {
    status = Catching("analyzing", [&] {
      state_ = std::make_unique<State>();
      state_->inputs = BatchIngestor().inputs();
      state_->model = ingestor_->Finish();
      ingestor_.reset();
      state_->config = config;
      state_->analysis = Analyze(state_->model, config, threads_);
    });
  }
  if (!status.ok()) {
    ingestor_.reset();
    *state_ = State();
  }
  return status;
}

ReportContext Engine::Context() const {
  return {state_->inputs, state_->model, state_->analysis, state_->config};
}

std::string Engine::ReportJson(int indent) const { return WriteJsonReport(Context(), indent); }

Status Engine::WriteReportJson(const TextSink& sink, int indent, bool ascii) const {
  JsonReportOptions options;
  options.indent = indent;
  options.ascii = ascii;
  options.threads = threads_;
  return WriteJsonReport(Context(), options, sink);
}

Status Engine::WriteReportParts(const ReportPartSink& sink, bool ascii) const {
  JsonReportOptions options;
  options.ascii = ascii;
  options.threads = threads_;
  return WriteJsonReportParts(Context(), options, sink);
}

std::string Engine::ReportText() const { return WriteTextReport(Context()); }

const std::vector<InputReport>& Engine::inputs() const { return state_->inputs; }
const SessionSet& Engine::model() const { return state_->model; }
const Analysis& Engine::analysis() const { return state_->analysis; }

bool Engine::any_rejected() const {
  for (const auto& r : state_->inputs) {
    if (r.status == InputStatus::kRejected) return true;
  }
  return false;
}

std::optional<Severity> Engine::worst_severity() const {
  std::optional<Severity> worst;
  // The sessions' verdicts: a failure event with no issue counts too.
  for (const auto& s : state_->analysis.sessions) {
    std::optional<Severity> level;
    switch (s.verdict.level) {
      case VerdictLevel::kCritical:
        level = Severity::kCritical;
        break;
      case VerdictLevel::kWarning:
        level = Severity::kWarning;
        break;
      case VerdictLevel::kInfo:
        level = Severity::kInfo;
        break;
      case VerdictLevel::kOk:
        break;
    }
    if (level && (!worst || *level > *worst)) worst = level;
  }
  return worst;
}

namespace {

template <typename T>
ChartSeries DownsampleOf(const std::vector<int64_t>& t, const std::vector<T>& v,
                         size_t max_points) {
  ChartSeries out;
  const size_t n = std::min(t.size(), v.size());
  max_points = std::max<size_t>(max_points, 2);
  if (n <= max_points) {
    out.t_ms.assign(t.begin(), t.begin() + static_cast<std::ptrdiff_t>(n));
    out.values.assign(v.begin(), v.begin() + static_cast<std::ptrdiff_t>(n));
    return out;
  }
  const size_t buckets = max_points / 2;
  const double t0 = static_cast<double>(t.front());
  const double span = std::max(1.0, static_cast<double>(t[n - 1]) - t0);
  size_t i = 0;
  for (size_t b = 0; b < buckets; ++b) {
    const double end = t0 + span * static_cast<double>(b + 1) / static_cast<double>(buckets);
    size_t lo = SIZE_MAX, hi = SIZE_MAX, first = i;
    while (i < n && (static_cast<double>(t[i]) < end || b + 1 == buckets)) {
      if (!std::isnan(v[i])) {
        if (lo == SIZE_MAX || v[i] < v[lo]) lo = i;
        if (hi == SIZE_MAX || v[i] > v[hi]) hi = i;
      }
      ++i;
    }
    if (first == i) continue;  // no samples fall in this bucket
    if (lo == SIZE_MAX) {      // only missing values: keep the gap
      out.t_ms.push_back(static_cast<double>(t[first]));
      out.values.push_back(std::numeric_limits<double>::quiet_NaN());
      continue;
    }
    size_t a = std::min(lo, hi), z = std::max(lo, hi);
    out.t_ms.push_back(static_cast<double>(t[a]));
    out.values.push_back(v[a]);
    if (z != a) {
      out.t_ms.push_back(static_cast<double>(t[z]));
      out.values.push_back(v[z]);
    }
  }
  return out;
}

}  // namespace

ChartSeries Downsample(const std::vector<int64_t>& t, const std::vector<double>& v,
                       size_t max_points) {
  return DownsampleOf(t, v, max_points);
}

ChartSeries Downsample(const std::vector<int64_t>& t, const Samples& v, size_t max_points) {
  return DownsampleOf(t, v, max_points);
}

Result<ChartSeries> Engine::Series(const std::string& session_id, const std::string& peer_id,
                                   const std::string& track_key, const std::string& metric,
                                   size_t max_points) const {
  std::optional<Result<ChartSeries>> series;
  const Status drawn = Catching("drawing the chart", [&] {
    series.emplace(FindSeries(session_id, peer_id, track_key, metric, max_points));
  });
  if (!drawn.ok()) return drawn;
  return std::move(*series);
}

Result<ChartSeries> Engine::FindSeries(const std::string& session_id, const std::string& peer_id,
                                       const std::string& track_key, const std::string& metric,
                                       size_t max_points) const {
  const SessionSet& model = state_->model;
  for (size_t si = 0; si < model.sessions.size(); ++si) {
    const Session& s = model.sessions[si];
    if (s.session_id != session_id) continue;
    for (size_t pi = 0; pi < s.peers.size(); ++pi) {
      const Peer& p = s.peers[pi];
      if (p.peer_id != peer_id) continue;
      const PeerAnalysis& pa = state_->analysis.sessions[si].peers[pi];
      if (metric == "cqs_uplink" || metric == "cqs_downlink" || metric == "cqs") {
        std::vector<int64_t> t;
        std::vector<double> v;
        for (const CqsWindow& w : pa.cqs_windows) {
          t.push_back(w.start_ms);
          v.push_back(metric == "cqs" ? w.overall : metric == "cqs_uplink" ? w.uplink : w.downlink);
        }
        return Downsample(t, v, max_points);
      }
      for (const TrackAnalysis& ta : pa.tracks) {
        if (ta.key != track_key) continue;
        const callsight::Series& series = p.tracks[ta.track_index].layers[ta.layer_index].series;
        if (metric == "mos") {
          // The MOS the analysis scored, sample by sample.
          const Samples mos = AudioMosSamples(
              series.column(Metric::kRtt), series.column(Metric::kJitter),
              series.column(Metric::kPacketLoss), series.size(), state_->config.audio_profile);
          if (mos.empty()) {
            return Status::NotFound("track " + track_key + " of peer " + peer_id +
                                    " has no loss, RTT or jitter to score");
          }
          return Downsample(series.timestamps_ms, mos, max_points);
        }
        if (metric == "concealment_percent" || metric == "video_bitrate_total" ||
            metric == "highest_layer_fps") {
          // Derived from the track's layers, as the breaches check it.
          std::optional<DerivedSeries> derived =
              DeriveTrackSeries(p, ta.track_index, metric, state_->config);
          if (!derived) {
            return Status::NotFound("track " + track_key + " of peer " + peer_id +
                                    " has no metric " + metric);
          }
          return Downsample(derived->t, derived->values, max_points);
        }
        auto m = MetricFromName(metric);
        if (!m || !series.has(*m)) {
          return Status::NotFound("track " + track_key + " of peer " + peer_id + " has no metric " +
                                  metric);
        }
        return Downsample(series.timestamps_ms, series.column(*m), max_points);
      }
      return Status::NotFound("peer " + peer_id + " has no track " + track_key);
    }
    return Status::NotFound("session " + session_id + " has no peer " + peer_id);
  }
  return Status::NotFound("no session " + session_id);
}

}  // namespace callsight
