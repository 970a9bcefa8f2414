// Detections only browser stats dumps allow: video limited by CPU or
// bandwidth, resolution drops, a high jitter-buffer delay, received video that
// stalls, periodic jitter-buffer flushes, encoders and decoders short of CPU
// (docs/DETECTIONS.md). Freezes by duration are with the received-media
// detections (detections_media.cpp, FindLongFreezes).
#include <algorithm>
#include <cmath>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "analysis/detections.h"

namespace callsight::analysis {
namespace {

bool Known(float x) { return !std::isnan(x); }

// The first layer's series of a track (a sender's limitation and every
// received figure are there), or null when the track has none.
const Series* FirstSeries(const Track& t) {
  return t.layers.empty() ? nullptr : &t.layers.front().series;
}

// The sender's side of a received track: the peer and its published track
// of the same id. The peer the track links to (Track::remote_peer_id), else
// the one peer that published that track id (a browser calling itself, as
// two connections of one page, or dumps not joined); {null, null} when none.
std::pair<const Peer*, const Track*> SenderOf(const Session& session, const Track& rx) {
  std::pair<const Peer*, const Track*> found{nullptr, nullptr};
  int publishers = 0;
  for (const Peer& p : session.peers) {
    if (!rx.remote_peer_id.empty() && p.peer_id != rx.remote_peer_id) continue;
    for (const Track& t : p.tracks) {
      if (t.direction == Direction::kPublisher && t.track_id == rx.track_id) {
        found = {&p, &t};
        ++publishers;
      }
    }
  }
  return publishers == 1 ? found : std::pair<const Peer*, const Track*>{nullptr, nullptr};
}

// The sender's peer id of a received track: SenderOf's, else the peer it
// links to (whose dump may be missing), else "".
std::string SenderIdOf(const Session& session, const Track& rx) {
  const Peer* p = SenderOf(session, rx).first;
  return p ? p->peer_id : rx.remote_peer_id;
}

bool Overlap(int64_t a0, int64_t a1, int64_t b0, int64_t b1, int64_t slack) {
  return a0 <= b1 + slack && b0 <= a1 + slack;
}

// Samples of two dumps' series (two browsers, or two connections) are up to
// a sampling interval apart.
constexpr int64_t kSlackMs = 2000;

// ---- resolution drops --------------------------------------------------------

// A drop is an issue when the height stays below its usual for this long...
constexpr int64_t kDropMinMs = 5000;
// ...and falls below this share of it on the way (one rung of the browser's
// 3/4 ladder alone is routine adaptation).
constexpr double kDropRatio = 2.0 / 3.0;
// The usual height: the highest one the track held this long before.
constexpr int64_t kUsualHeldMs = 5000;

// One run of a track's frame height below its usual: sample indices.
struct HeightDrop {
  size_t first = 0, last = 0;
  double usual = 0;
};

// The runs of a frame-height series below its usual height (the highest held
// kUsualHeldMs before each sample) that last kDropMinMs and reach below
// kDropRatio of it. A track that only climbs (the start of a call) has none.
std::vector<HeightDrop> HeightDrops(const Series& s) {
  const Samples& h = s.column(Metric::kFrameHeight);
  const auto& t = s.timestamps_ms;
  std::vector<HeightDrop> out;
  double usual = 0;
  size_t held_from = 0;  // the first sample of the current equal-height run
  std::optional<HeightDrop> cur;
  double lowest = 0;
  const auto close = [&] {
    if (cur && t[cur->last] - t[cur->first] >= kDropMinMs && lowest < cur->usual * kDropRatio) {
      out.push_back(*cur);
    }
    cur.reset();
  };
  for (size_t i = 0; i < h.size(); ++i) {
    if (!Known(h[i]) || h[i] <= 0) continue;  // no frames: unknown
    if (usual > 0 && h[i] < usual) {
      if (!cur) {
        cur = HeightDrop{i, i, usual};
        lowest = h[i];
      }
      cur->last = i;
      lowest = std::min<double>(lowest, h[i]);
    } else {
      close();
    }
    if (i == 0 || !Known(h[held_from]) || h[held_from] != h[i]) held_from = i;
    if (t[i] - t[held_from] >= kUsualHeldMs && h[i] > usual && !cur) usual = h[i];
  }
  close();
  return out;
}

// Whether the sent track's browser limited it (CPU or bandwidth for half an
// interval or more) within [a, b].
bool BrowserLimited(const Series& s, int64_t a, int64_t b) {
  for (Metric m : {Metric::kCpuLimited, Metric::kBandwidthLimited}) {
    if (!s.has(m)) continue;
    const Samples& share = s.column(m);
    for (size_t i = 0; i < share.size(); ++i) {
      const int64_t t = s.timestamps_ms[i];
      if (t >= a - kSlackMs && t <= b && Known(share[i]) && share[i] >= 0.5) return true;
    }
  }
  return false;
}

// Whether the sent track's browser said at all, within [a, b], whether it
// limited it (a known CPU or bandwidth share).
bool ToldLimitation(const Series& s, int64_t a, int64_t b) {
  for (Metric m : {Metric::kCpuLimited, Metric::kBandwidthLimited}) {
    if (!s.has(m)) continue;
    const Samples& share = s.column(m);
    for (size_t i = 0; i < share.size(); ++i) {
      const int64_t t = s.timestamps_ms[i];
      if (t >= a - kSlackMs && t <= b && Known(share[i])) return true;
    }
  }
  return false;
}

Detection DropDetection(const Series& s, const HeightDrop& r, const Peer& peer,
                        const Track& track) {
  Detection d;
  d.kind = DetectionKind::kResolutionDrop;
  d.media = track.kind;
  d.track_ids = {track.track_id};
  d.peer_id = peer.peer_id;
  d.start_ms = s.timestamps_ms[r.first];
  d.end_ms = s.timestamps_ms[r.last];
  d.baseline = r.usual;
  d.threshold = r.usual * kDropRatio;
  const Samples& h = s.column(Metric::kFrameHeight);
  double sum = 0;
  for (size_t i = r.first; i <= r.last; ++i) {
    if (!Known(h[i]) || h[i] <= 0) continue;
    sum += h[i];
    ++d.samples;
    d.worst = std::isnan(d.worst) ? h[i] : std::min<double>(d.worst, h[i]);
  }
  d.value = d.samples ? sum / static_cast<double>(d.samples) : kUnset;
  return d;
}

bool IsVideo(const Track& t) { return t.kind != MediaKind::kAudio; }

// The sent drops of every published video: the sender's uplink; info when
// its browser said it did not limit it then (the application or source
// lowered it).
std::vector<Detection> SentDrops(const Session& session) {
  std::vector<Detection> out;
  for (const Peer& peer : session.peers) {
    for (const Track& track : peer.tracks) {
      const Series* s = FirstSeries(track);
      if (track.direction != Direction::kPublisher || !IsVideo(track) || !s ||
          !s->has(Metric::kFrameHeight)) {
        continue;
      }
      for (const HeightDrop& r : HeightDrops(*s)) {
        Detection d = DropDetection(*s, r, peer, track);
        d.direction = Path::kUplink;
        // Info only when the dump says the browser did not limit it then (a
        // dump without limitation series, such as Firefox's, does not say).
        const bool told = ToldLimitation(*s, d.start_ms, d.end_ms);
        d.severity = told && !BrowserLimited(*s, d.start_ms, d.end_ms) ? Severity::kInfo
                                                                       : Severity::kWarning;
        out.push_back(std::move(d));
      }
    }
  }
  return out;
}

// The sent drop of `sender` on `track_id` that overlaps [a, b], if any.
Detection* SentDropAt(std::vector<Detection>* sent, const std::string& sender,
                      const std::string& track_id, int64_t a, int64_t b) {
  for (Detection& d : *sent) {
    if (d.peer_id == sender && d.track_ids.front() == track_id &&
        Overlap(d.start_ms, d.end_ms, a, b, kSlackMs)) {
      return &d;
    }
  }
  return nullptr;
}

}  // namespace

std::vector<Detection> FindResolutionDrops(const Session& session) {
  std::vector<Detection> sent = SentDrops(session);
  std::vector<Detection> received;
  for (const Peer& peer : session.peers) {
    for (const Track& track : peer.tracks) {
      const Series* s = FirstSeries(track);
      if (track.direction != Direction::kSubscriber || !IsVideo(track) || !s ||
          !s->has(Metric::kFrameHeight)) {
        continue;
      }
      for (const HeightDrop& r : HeightDrops(*s)) {
        Detection d = DropDetection(*s, r, peer, track);
        // The sender sent it smaller at that time: its drop, seen here too.
        const std::string sender = SenderIdOf(session, track);
        if (Detection* cause = SentDropAt(&sent, sender, track.track_id, d.start_ms, d.end_ms)) {
          cause->peers.push_back(peer.peer_id);
          detect::SortUnique(&cause->peers);
          continue;
        }
        d.direction = Path::kDownlink;
        // peers: the sender, when what it sent is in the session (and did not drop).
        if (SenderOf(session, track).second) d.peers = {sender};
        received.push_back(std::move(d));
      }
    }
  }
  for (Detection& d : received) sent.push_back(std::move(d));
  return sent;
}

namespace {

// ---- jitter-buffer delay -----------------------------------------------------

// A receiver's mean jitter-buffer delay above this (ms) for kDelayMinMs is an
// issue, critical when the run's mean reaches kCriticalDelayMs
// (docs/DETECTIONS.md, "high_jitter_buffer_delay").
constexpr double kHighDelayMs = 500;
constexpr double kCriticalDelayMs = 1000;
constexpr int64_t kDelayMinMs = 5000;

// Runs of samples with a known value above `limit`: [first, last] sample
// indices, samples next to each other.
std::vector<std::pair<size_t, size_t>> RunsAbove(const Samples& v, double limit) {
  std::vector<std::pair<size_t, size_t>> runs;
  for (size_t i = 0; i < v.size(); ++i) {
    if (!Known(v[i]) || v[i] <= limit) continue;
    if (!runs.empty() && runs.back().second + 1 == i) {
      runs.back().second = i;
    } else {
      runs.push_back({i, i});
    }
  }
  return runs;
}

// The mean of a series' known values in samples [first, last]; NaN when
// the series is missing or has none there.
double MeanOver(const Series& s, Metric m, size_t first, size_t last) {
  if (!s.has(m)) return kUnset;
  const Samples& v = s.column(m);
  double sum = 0;
  size_t n = 0;
  for (size_t i = first; i <= last && i < v.size(); ++i) {
    if (!Known(v[i])) continue;
    sum += v[i];
    ++n;
  }
  return n ? sum / static_cast<double>(n) : kUnset;
}

// The interval a run covers starts at the sample before its first.
int64_t RunStart(const Series& s, size_t first) {
  return s.timestamps_ms[first > 0 ? first - 1 : 0];
}

}  // namespace

std::vector<Detection> FindHighJitterBufferDelay(const Session& session) {
  std::vector<Detection> out;
  for (const Peer& peer : session.peers) {
    for (const Track& track : peer.tracks) {
      const Series* s = FirstSeries(track);
      if (track.direction != Direction::kSubscriber || !s || !s->has(Metric::kJitterBufferMs)) {
        continue;
      }
      const Samples& delay = s->column(Metric::kJitterBufferMs);
      for (const auto& [first, last] : RunsAbove(delay, kHighDelayMs)) {
        Detection d;
        d.start_ms = RunStart(*s, first);
        d.end_ms = s->timestamps_ms[last];
        if (d.end_ms - d.start_ms < kDelayMinMs) continue;
        d.kind = DetectionKind::kHighJitterBufferDelay;
        d.media = track.kind;
        d.track_ids = {track.track_id};
        d.peer_id = peer.peer_id;
        d.direction = Path::kDownlink;
        const std::string sender = SenderIdOf(session, track);
        if (!sender.empty()) d.peers = {sender};
        double sum = 0;
        for (size_t i = first; i <= last; ++i) {
          sum += delay[i];
          d.worst = std::isnan(d.worst) ? delay[i] : std::max<double>(d.worst, delay[i]);
          ++d.samples;
        }
        d.value = sum / static_cast<double>(d.samples);
        d.baseline = MeanOver(*s, Metric::kJitterBufferMinimumMs, first, last);
        // The buffer's own minimum far below what it held: something outside
        // the network (the application's target, audio/video sync) held it.
        if (!std::isnan(d.baseline) && d.baseline < d.value / 2 &&
            d.value - d.baseline >= kHighDelayMs / 2) {
          d.direction = Path::kNone;
        }
        d.threshold = kCriticalDelayMs;
        d.severity = d.value >= kCriticalDelayMs ? Severity::kCritical : Severity::kWarning;
        out.push_back(std::move(d));
      }
    }
  }
  return out;
}

namespace {

// ---- received video stalls ---------------------------------------------------

// A pause this long or longer (s) is critical; Chrome counts a pause only
// after 5 s without a frame, so every pause is at least a warning.
constexpr double kCriticalPauseS = 10;

// Whether the sender's own sending of the track stopped during [a, b]: most
// of its bitrate samples there are below a tenth of its median.
bool SenderStopped(const Track& tx, int64_t a, int64_t b) {
  const Series* s = FirstSeries(tx);
  if (!s || !s->has(Metric::kBitrate)) return false;
  const Samples& bitrate = s->column(Metric::kBitrate);
  std::vector<float> known;
  for (float x : bitrate) {
    if (Known(x)) known.push_back(x);
  }
  if (known.size() < 3) return false;
  std::nth_element(known.begin(), known.begin() + known.size() / 2, known.end());
  const double median = known[known.size() / 2];
  size_t in = 0, stopped = 0;
  for (size_t i = 0; i < bitrate.size(); ++i) {
    const int64_t t = s->timestamps_ms[i];
    if (t <= a || t > b || !Known(bitrate[i])) continue;
    ++in;
    if (bitrate[i] < median / 10) ++stopped;
  }
  return in > 0 && stopped * 2 > in;
}

}  // namespace

std::vector<Detection> FindReceivedStreamStalls(const Session& session) {
  std::vector<Detection> out;
  for (const Peer& peer : session.peers) {
    for (const Track& track : peer.tracks) {
      const Series* s = FirstSeries(track);
      if (track.direction != Direction::kSubscriber || !IsVideo(track) || !s ||
          !s->has(Metric::kPausedMs)) {
        continue;
      }
      const Samples& paused = s->column(Metric::kPausedMs);
      for (const auto& [first, last] : RunsAbove(paused, 0)) {
        Detection d;
        d.kind = DetectionKind::kReceivedStreamStalled;
        d.media = track.kind;
        d.track_ids = {track.track_id};
        d.start_ms = RunStart(*s, first);
        d.end_ms = s->timestamps_ms[last];
        double total = 0, longest = 0;
        for (size_t i = first; i <= last; ++i) {
          total += paused[i] / 1000.0;
          longest = std::max(longest, paused[i] / 1000.0);
          ++d.samples;
        }
        d.value = total;
        d.worst = longest;
        d.threshold = kCriticalPauseS;
        const auto [sender, tx] = SenderOf(session, track);
        if (tx && SenderStopped(*tx, d.start_ms, d.end_ms)) {
          // The sender stopped sending (replaceTrack(null), a camera turned
          // off): the application's choice, told as info on its side.
          d.direction = Path::kUplink;
          d.peer_id = sender->peer_id;
          d.peers = {peer.peer_id};
          d.severity = Severity::kInfo;
        } else {
          d.direction = Path::kDownlink;
          d.peer_id = peer.peer_id;
          const std::string sender_id = SenderIdOf(session, track);
          if (!sender_id.empty()) d.peers = {sender_id};
          d.severity = total >= kCriticalPauseS ? Severity::kCritical : Severity::kWarning;
        }
        out.push_back(std::move(d));
      }
    }
  }
  return out;
}

namespace {

// A sent video limited for this share of its sent time or more, for at least
// kLimitedMinMs in all, is an issue: below that the browser's adaptation is
// routine (docs/DETECTIONS.md, "Quality limitation").
constexpr double kLimitedShare = 0.2;
constexpr int64_t kLimitedMinMs = 10000;

// One layer's limitation series as a detection, if it reaches the rule.
std::optional<Detection> LimitedDetection(const Peer& peer, const Track& track, const Layer& layer,
                                          Metric metric) {
  const Series& s = layer.series;
  if (!s.has(metric)) return std::nullopt;
  const Samples& share = s.column(metric);
  double limited = 0, known = 0;
  Detection d;
  int64_t limited_ms = 0;
  for (size_t i = 0; i < share.size(); ++i) {
    if (!Known(share[i])) continue;
    known += 1;
    limited += share[i];
    if (share[i] < 0.5) continue;
    if (d.samples++ == 0) d.start_ms = s.timestamps_ms[i];
    d.end_ms = s.timestamps_ms[i];
    if (i > 0) limited_ms += s.timestamps_ms[i] - s.timestamps_ms[i - 1];
  }
  if (known == 0 || limited / known < kLimitedShare || limited_ms < kLimitedMinMs) {
    return std::nullopt;
  }
  d.kind = metric == Metric::kCpuLimited ? DetectionKind::kCpuLimitedVideo
                                         : DetectionKind::kBandwidthLimitedVideo;
  d.peer_id = peer.peer_id;
  d.direction = Path::kUplink;
  d.media = track.kind;
  d.track_ids = {track.track_id};
  d.value = limited / known;
  d.threshold = kLimitedShare;
  return d;
}

}  // namespace

std::vector<Detection> FindQualityLimited(const Session& session) {
  std::vector<Detection> out;
  for (const Peer& peer : session.peers) {
    for (const Track& track : peer.tracks) {
      if (track.direction != Direction::kPublisher || track.kind == MediaKind::kAudio ||
          track.layers.empty()) {
        continue;
      }
      // The browser limits a whole sender: its top layer says it for all.
      for (Metric m : {Metric::kCpuLimited, Metric::kBandwidthLimited}) {
        if (auto d = LimitedDetection(peer, track, track.layers.front(), m)) {
          out.push_back(std::move(*d));
        }
      }
    }
  }
  return out;
}

namespace {

// ---- periodic jitter-buffer flushes -------------------------------------------

// Flushes this far apart, one after another, are the ~4 s cadence of NetEq's
// periodic flushing (rtcstats' hasPeriodicJitterBufferFlushes): 4 s with a
// second of sampling either way, and a little more (docs/DETECTIONS.md).
constexpr int64_t kCadenceMinMs = 2500;
constexpr int64_t kCadenceMaxMs = 5500;
// So many flushes in such a run make it periodic.
constexpr size_t kPeriodicFlushes = 3;

// The runs of flush times (indices [first, last]) whose every gap is a
// cadence and that hold kPeriodicFlushes flushes or more.
std::vector<std::pair<size_t, size_t>> PeriodicRuns(const std::vector<int64_t>& at) {
  std::vector<std::pair<size_t, size_t>> runs;
  size_t first = 0;
  for (size_t i = 1; i <= at.size(); ++i) {
    const bool goes_on =
        i < at.size() && at[i] - at[i - 1] >= kCadenceMinMs && at[i] - at[i - 1] <= kCadenceMaxMs;
    if (goes_on) continue;
    if (i - first >= kPeriodicFlushes) runs.push_back({first, i - 1});
    first = i;
  }
  return runs;
}

}  // namespace

std::vector<Detection> FindPeriodicJitterBufferFlushes(const Session& session) {
  std::vector<Detection> out;
  for (const Peer& peer : session.peers) {
    for (const Track& track : peer.tracks) {
      if (track.direction != Direction::kSubscriber || track.kind != MediaKind::kAudio ||
          !track.facts) {
        continue;
      }
      const std::vector<int64_t>& at = track.facts->jitter_buffer_flush_times_ms;
      for (const auto& [first, last] : PeriodicRuns(at)) {
        Detection d;
        d.kind = DetectionKind::kPeriodicJitterBufferFlushes;
        d.media = track.kind;
        d.track_ids = {track.track_id};
        d.peer_id = peer.peer_id;
        d.direction = Path::kDownlink;
        const std::string sender = SenderIdOf(session, track);
        if (!sender.empty()) d.peers = {sender};
        d.start_ms = at[first];
        d.end_ms = at[last];
        d.samples = last - first + 1;
        d.value = static_cast<double>(d.samples);
        d.baseline = static_cast<double>(at[last] - at[first]) / 1000.0 / (last - first);
        d.worst = 0;
        for (size_t i = first + 1; i <= last; ++i) {
          d.worst = std::max(d.worst, static_cast<double>(at[i] - at[i - 1]) / 1000.0);
        }
        d.threshold = static_cast<double>(kPeriodicFlushes);
        d.severity = Severity::kWarning;
        out.push_back(std::move(d));
      }
    }
  }
  return out;
}

}  // namespace callsight::analysis

namespace callsight::analysis {
namespace {

// ---- CPU pressure --------------------------------------------------------------

// WebRTC's own CPU overuse detector adapts a sent video when its encode usage
// (time spent encoding per frame, over the frame interval) goes above 85 %, or
// 200 % for hardware encoders, which it takes to be pipelined
// (CpuOveruseOptions; docs/DETECTIONS.md, "cpu_pressure").
constexpr double kHighUsagePct = 85;
constexpr double kPipelinedUsagePct = 200;
// A run of consecutive samples above it this long makes an issue.
constexpr int64_t kPressureMinMs = 10000;

// The usage series of a track's layer: encode usage of a sent video, decode
// usage of a received one.
Metric UsageMetric(const Track& t) {
  return t.direction == Direction::kPublisher ? Metric::kEncodeUsage : Metric::kDecodeUsage;
}

// A track's usage per sample of its first layer: the highest of its layers'
// at that time (simulcast layers may come from one encode call, so their
// times are not summed), NaN where none is known.
std::vector<double> TrackUsage(const Track& track) {
  const Metric metric = UsageMetric(track);
  const Series& first = track.layers.front().series;
  std::vector<double> usage(first.size(), kUnset);
  for (const Layer& layer : track.layers) {
    if (!layer.series.has(metric)) continue;
    const Samples& v = layer.series.column(metric);
    detect::NearestWalker nearest(layer.series.timestamps_ms, kSlackMs / 4);
    for (size_t i = 0; i < first.size(); ++i) {
      const long j = nearest.Next(first.timestamps_ms[i]);
      if (j < 0 || !Known(v[j])) continue;
      usage[i] = std::isnan(usage[i]) ? v[j] : std::max<double>(usage[i], v[j]);
    }
  }
  return usage;
}

// The usage limit of a track: pipelined (hardware) encoders and decoders,
// which the browser calls power efficient, get WebRTC's higher one.
double UsageLimit(const Track& track) {
  const bool pipelined = track.facts && track.facts->power_efficient.value_or(false);
  return pipelined ? kPipelinedUsagePct : kHighUsagePct;
}

// Mean ms per frame over samples [first, last]: usage (% of each second)
// over the frames in that second; NaN when no sample has a frame rate.
double MsPerFrame(const Series& s, const std::vector<double>& usage, size_t first, size_t last) {
  if (!s.has(Metric::kFps)) return kUnset;
  const Samples& fps = s.column(Metric::kFps);
  double sum = 0;
  size_t n = 0;
  for (size_t i = first; i <= last; ++i) {
    if (!Known(fps[i]) || fps[i] <= 0 || std::isnan(usage[i])) continue;
    sum += usage[i] * 10.0 / fps[i];
    ++n;
  }
  return n ? sum / static_cast<double>(n) : kUnset;
}

Detection PressureDetection(const Peer& peer, const Track& track, const std::vector<double>& usage,
                            size_t first, size_t last, double limit) {
  const Series& s = track.layers.front().series;
  Detection d;
  d.kind = DetectionKind::kCpuPressure;
  d.severity = Severity::kWarning;
  d.peer_id = peer.peer_id;
  d.direction = Path::kNone;  // the device, not the network
  d.measured = track.direction;
  d.media = track.kind;
  d.track_ids = {track.track_id};
  d.start_ms = RunStart(s, first);
  d.end_ms = s.timestamps_ms[last];
  double sum = 0;
  for (size_t i = first; i <= last; ++i) {
    sum += usage[i];
    d.worst = std::isnan(d.worst) ? usage[i] : std::max(d.worst, usage[i]);
    ++d.samples;
  }
  d.value = sum / static_cast<double>(d.samples);
  d.threshold = limit;
  d.baseline = MsPerFrame(s, usage, first, last);
  return d;
}

}  // namespace

std::vector<Detection> FindCpuPressure(const Session& session) {
  std::vector<Detection> out;
  for (const Peer& peer : session.peers) {
    for (const Track& track : peer.tracks) {
      if (!IsVideo(track) || track.layers.empty()) continue;
      const std::vector<double> usage = TrackUsage(track);
      const Series& s = track.layers.front().series;
      const double limit = UsageLimit(track);
      const Samples as_samples(usage.begin(), usage.end());
      for (const auto& [first, last] : RunsAbove(as_samples, limit)) {
        if (s.timestamps_ms[last] - RunStart(s, first) < kPressureMinMs) continue;
        Detection d = PressureDetection(peer, track, usage, first, last, limit);
        if (track.direction == Direction::kSubscriber) {
          const std::string sender = SenderIdOf(session, track);
          if (!sender.empty()) d.peers = {sender};
        }
        out.push_back(std::move(d));
      }
    }
  }
  return out;
}

}  // namespace callsight::analysis
