// Detections on media: low received frame rate, nothing received, low MOS
// of received audio, bitrate collapse (docs/DETECTIONS.md).
#include <algorithm>
#include <cmath>
#include <map>
#include <string_view>

#include "analysis/detections.h"

namespace callsight::analysis {
namespace {

using detect::BadRun;
using detect::FindBadRuns;
using detect::NearestWalker;
using detect::SortUnique;

bool Known(float x) { return !std::isnan(x); }
float At(const TrackView& v, Col c, size_t i) { return v.has(c) ? v.col[c][i] : NAN; }

// Publisher views by (peer id, track id): the sender's side of a received track.
using PublishedViews = std::map<std::pair<std::string_view, std::string_view>, const TrackView*>;

PublishedViews PublishedViewsOf(const std::vector<TrackView>& views) {
  PublishedViews out;
  for (const TrackView& v : views) {
    if (v.tr->direction == Direction::kPublisher) out[{v.p->peer_id, v.tr->track_id}] = &v;
  }
  return out;
}

// The sender's view of a received track: the same track id, published by the
// peer the track links to (Track::remote_peer_id); null when not linked.
const TrackView* SenderView(const PublishedViews& published, const TrackView& rx) {
  if (rx.tr->remote_peer_id.empty()) return nullptr;
  auto it = published.find({rx.tr->remote_peer_id, rx.tr->track_id});
  return it == published.end() ? nullptr : it->second;
}

int64_t Tolerance(const TrackView& a, const TrackView& b) {
  return std::max<int64_t>({a.spacing_ms, b.spacing_ms, 1000});
}

// A run of bad samples on one received track, with its figures.
struct ReceivedRun {
  const TrackView* rx = nullptr;
  std::string_view sender;  // may be empty
  int64_t start = 0, end = 0;
  size_t samples = 0;
  double sum = 0, worst = kUnset;
  double sender_sum = 0;
  size_t sender_n = 0;
  bool critical = false;
  bool explained = false;  // the sender's own uplink breaches can cause it
  bool used = false;
};

// Per sample of a received track: the state (-1 unknown, 0 clean, 1 bad,
// 2 bad beyond the critical level), the value and the sender's figure.
struct SampleJudgement {
  signed char state = -1;
  double value = kUnset;
  double sender_value = kUnset;
};

template <typename Judge>
std::vector<ReceivedRun> RunsOf(const TrackView& rx, const TrackView* tx, size_t min_samples,
                                const Judge& judge) {
  const size_t n = rx.t().size();
  std::vector<SampleJudgement> j(n);
  std::vector<signed char> state(n);
  const std::vector<int64_t> none;
  NearestWalker sender(tx ? tx->t() : none, tx ? Tolerance(rx, *tx) : 0);
  for (size_t i = 0; i < n; ++i) {
    j[i] = judge(i, sender.Next(rx.t()[i]));
    state[i] = j[i].state > 0 ? 1 : j[i].state;
  }
  std::vector<ReceivedRun> out;
  for (const BadRun& r : FindBadRuns(rx.t(), rx.spacing_ms, state)) {
    if (r.bad < min_samples) continue;
    ReceivedRun rr;
    rr.rx = &rx;
    rr.sender = rx.tr->remote_peer_id;
    rr.start = rx.t()[r.first];
    rr.end = rx.t()[r.last];
    for (size_t i = r.first; i <= r.last; ++i) {
      if (j[i].state <= 0) continue;
      ++rr.samples;
      rr.sum += j[i].value;
      rr.worst = std::isnan(rr.worst) ? j[i].value : std::min(rr.worst, j[i].value);
      rr.critical |= j[i].state == 2;
      if (!std::isnan(j[i].sender_value)) rr.sender_sum += j[i].sender_value, ++rr.sender_n;
    }
    out.push_back(rr);
  }
  return out;
}

bool Overlap(int64_t a0, int64_t a1, int64_t b0, int64_t b1, int64_t slack) {
  return a0 <= b1 + slack && b0 <= a1 + slack;
}

bool IsMost(size_t part, size_t whole, double share) {
  return part >= 2 && static_cast<double>(part) >= share * static_cast<double>(whole);
}

// Received views indexed for the counts attribution needs.
class ReceivedIndex {
 public:
  explicit ReceivedIndex(const std::vector<TrackView>& views) {
    for (const TrackView& v : views) {
      if (v.tr->direction != Direction::kSubscriber) continue;
      by_receiver_[{v.p->peer_id, v.tr->kind}].push_back(&v);
      by_track_[v.tr->track_id].push_back(&v);
    }
  }
  // Distinct senders of the receiver's received `kind` tracks overlapping [a, b].
  size_t SendersOf(std::string_view receiver, MediaKind kind, int64_t a, int64_t b) const {
    auto it = by_receiver_.find({receiver, kind});
    if (it == by_receiver_.end()) return 0;
    return Distinct(it->second, a, b,
                    [](const TrackView* v) { return std::string_view(v->tr->remote_peer_id); });
  }
  // Distinct receivers of the track overlapping [a, b].
  size_t ReceiversOf(std::string_view track_id, int64_t a, int64_t b) const {
    auto it = by_track_.find(track_id);
    if (it == by_track_.end()) return 0;
    return Distinct(it->second, a, b,
                    [](const TrackView* v) { return std::string_view(v->p->peer_id); });
  }

 private:
  template <typename Id>
  static size_t Distinct(const std::vector<const TrackView*>& list, int64_t a, int64_t b,
                         const Id& id) {
    std::vector<std::string_view> ids;
    for (const TrackView* v : list) {
      if (Overlap(v->t().front(), v->t().back(), a, b, 0)) ids.push_back(id(v));
    }
    std::sort(ids.begin(), ids.end());
    return static_cast<size_t>(std::unique(ids.begin(), ids.end()) - ids.begin());
  }
  std::map<std::pair<std::string_view, MediaKind>, std::vector<const TrackView*>> by_receiver_;
  std::map<std::string_view, std::vector<const TrackView*>> by_track_;
};

// Publisher breaches by (peer id, track id).
using BreachesByTrack =
    std::map<std::pair<std::string_view, std::string_view>, std::vector<const Breach*>>;

BreachesByTrack PublisherBreaches(const std::vector<Breach>& breaches) {
  BreachesByTrack out;
  for (const Breach& b : breaches) {
    if (b.direction == Direction::kPublisher) out[{b.peer_id, b.track_id}].push_back(&b);
  }
  return out;
}

// Whether the sender's own breaches on the received track (those `can`
// accepts, of at least two samples) overlap [a, b].
bool SenderExplains(const BreachesByTrack& sent, const TrackView& rx, int64_t a, int64_t b,
                    bool (*can)(const Breach&)) {
  auto it = sent.find({rx.tr->remote_peer_id, rx.tr->track_id});
  if (it == sent.end()) return false;
  const int64_t slack = std::max<int64_t>(rx.spacing_ms, 1000);
  for (const Breach* br : it->second) {
    if (br->samples >= 2 && can(*br) && Overlap(br->start_ms, br->end_ms, a, b, slack)) return true;
  }
  return false;
}

// The warning and critical levels a detection reports as its threshold.
struct LevelPair {
  double warning, critical;
};

Detection FromRuns(DetectionKind kind, const std::vector<ReceivedRun*>& runs, Path path,
                   std::string peer_id, LevelPair th) {
  Detection d;
  d.kind = kind;
  d.peer_id = std::move(peer_id);
  d.direction = path;
  d.media = runs.front()->rx->tr->kind;
  d.start_ms = runs.front()->start;
  d.end_ms = runs.front()->end;
  double sum = 0, sender_sum = 0;
  size_t sender_n = 0;
  bool critical = false;
  for (ReceivedRun* r : runs) {
    r->used = true;
    d.start_ms = std::min(d.start_ms, r->start);
    d.end_ms = std::max(d.end_ms, r->end);
    d.samples += r->samples;
    sum += r->sum;
    d.worst = std::isnan(d.worst) ? r->worst : std::min(d.worst, r->worst);
    sender_sum += r->sender_sum;
    sender_n += r->sender_n;
    critical |= r->critical;
    d.track_ids.push_back(r->rx->tr->track_id);
    d.peers.push_back(std::string(path == Path::kUplink ? r->rx->p->peer_id : r->sender));
  }
  d.value = d.samples ? sum / static_cast<double>(d.samples) : kUnset;
  d.baseline = sender_n ? sender_sum / static_cast<double>(sender_n) : kUnset;
  d.severity = critical ? Severity::kCritical : Severity::kWarning;
  d.threshold = critical ? th.critical : th.warning;
  SortUnique(&d.track_ids);
  d.peers.erase(std::remove(d.peers.begin(), d.peers.end(), std::string()), d.peers.end());
  SortUnique(&d.peers);
  return d;
}

// Groups runs that overlap in time (with one spacing of slack), by start.
std::vector<std::vector<ReceivedRun*>> Overlapping(std::vector<ReceivedRun*> runs) {
  std::sort(runs.begin(), runs.end(),
            [](const ReceivedRun* a, const ReceivedRun* b) { return a->start < b->start; });
  std::vector<std::vector<ReceivedRun*>> groups;
  int64_t end = 0;
  for (ReceivedRun* r : runs) {
    const int64_t slack = std::max<int64_t>(r->rx->spacing_ms, 1000);
    if (groups.empty() || r->start > end + slack) {
      groups.emplace_back();
      end = r->end;
    }
    groups.back().push_back(r);
    end = std::max(end, r->end);
  }
  return groups;
}

// Attribution of received runs (SPEC §2, issue 19 item 5): runs across most
// senders of one receiver at once are that receiver's downlink (when
// across_senders); runs most receivers of one sender see at once, or that
// the sender's own uplink breaches explain, are that sender's uplink; any
// other run is its receiver's downlink.
std::vector<Detection> Attribute(DetectionKind kind, std::vector<ReceivedRun>* runs,
                                 const ReceivedIndex& index, bool across_senders, double share,
                                 LevelPair th) {
  std::vector<Detection> out;
  if (across_senders) {
    std::map<std::string_view, std::vector<ReceivedRun*>> by_receiver;
    for (ReceivedRun& r : *runs) by_receiver[r.rx->p->peer_id].push_back(&r);
    for (auto& [receiver, list] : by_receiver) {
      for (auto& group : Overlapping(list)) {
        std::vector<std::string> senders;
        int64_t a = group.front()->start, b = a;
        for (ReceivedRun* r : group) {
          if (!r->sender.empty()) senders.push_back(std::string(r->sender));
          b = std::max(b, r->end);
        }
        SortUnique(&senders);
        const MediaKind media = group.front()->rx->tr->kind;
        const size_t present = index.SendersOf(receiver, media, a, b);
        if (!IsMost(senders.size(), present, share)) continue;
        out.push_back(FromRuns(kind, group, Path::kDownlink, std::string(receiver), th));
        out.back().peers_total = present;
      }
    }
  }
  std::map<std::string_view, std::vector<ReceivedRun*>> by_sender;
  for (ReceivedRun& r : *runs) {
    if (!r.used && !r.sender.empty()) by_sender[r.sender].push_back(&r);
  }
  for (auto& [sender, list] : by_sender) {
    for (auto& group : Overlapping(list)) {
      std::vector<std::string> receivers;
      int64_t a = group.front()->start, b = a;
      for (ReceivedRun* r : group) {
        receivers.push_back(r->rx->p->peer_id);
        b = std::max(b, r->end);
      }
      SortUnique(&receivers);
      const TrackView& rx = *group.front()->rx;
      const size_t present = index.ReceiversOf(rx.tr->track_id, a, b);
      if (!IsMost(receivers.size(), present, share)) {
        group.erase(std::remove_if(group.begin(), group.end(),
                                   [](const ReceivedRun* r) { return !r->explained; }),
                    group.end());
        if (group.empty()) continue;
      }
      out.push_back(FromRuns(kind, group, Path::kUplink, std::string(sender), th));
      out.back().peers_total = present;
    }
  }
  for (ReceivedRun& r : *runs) {
    if (r.used) continue;
    out.push_back(FromRuns(kind, {&r}, Path::kDownlink, r.rx->p->peer_id, th));
    out.back().peers_total = index.SendersOf(r.rx->p->peer_id, r.rx->tr->kind, r.start, r.end);
  }
  return out;
}

// Whether any sample is below `limit` (NaN is not).
bool AnyBelow(const Samples& column, double limit) {
  return std::any_of(column.begin(), column.end(), [&](float x) { return x < limit; });
}

size_t MinSamples(const Config& config) {
  return static_cast<size_t>(std::max(config.detections.min_samples, 1));
}

// Per sample of a publisher video view: the frame rate of its lowest sending
// layer (the least a receiver of any layer can expect), NaN when none sends.
std::vector<double> LowestSendingLayerFps(const TrackView& tx) {
  const std::vector<int64_t>& t = tx.t();
  std::vector<double> lowest(t.size(), kUnset);
  for (const Layer& layer : tx.tr->layers) {
    const Series& s = layer.series;
    if (!s.has(Metric::kFps)) continue;
    NearestWalker at(s.timestamps_ms, std::max<int64_t>(tx.spacing_ms, 1000));
    for (size_t i = 0; i < t.size(); ++i) {
      const long k = at.Next(t[i]);
      const float f = k < 0 ? NAN : s.column(Metric::kFps)[static_cast<size_t>(k)];
      if (Known(f) && f > 0) lowest[i] = std::isnan(lowest[i]) ? f : std::min<double>(lowest[i], f);
    }
  }
  return lowest;
}

}  // namespace

namespace {

// Whether the sender's own sending of the track stalled within [a, b]: its
// bitrate fell below a third of its median while sending (frames not sent).
bool SenderStalled(const TrackView* tx, int64_t a, int64_t b) {
  if (!tx || !tx->has(kBitrate)) return false;
  const Samples& bitrate = tx->col[kBitrate];
  std::vector<double> known;
  for (float x : bitrate) {
    if (Known(x)) known.push_back(x);
  }
  if (known.size() < 3) return false;
  std::nth_element(known.begin(), known.begin() + known.size() / 2, known.end());
  const double median = known[known.size() / 2];
  for (size_t i = 0; i < bitrate.size(); ++i) {
    const int64_t t = tx->t()[i];
    if (t >= a && t <= b && Known(bitrate[i]) && bitrate[i] < median / 3) return true;
  }
  return false;
}

}  // namespace

std::vector<Detection> FindLowReceivedFps(const std::vector<TrackView>& views,
                                          const std::vector<Breach>& breaches,
                                          const Config& config) {
  const Threshold fps = config.thresholds.fps;
  const PublishedViews published = PublishedViewsOf(views);
  const BreachesByTrack sent = PublisherBreaches(breaches);
  std::map<const TrackView*, std::vector<double>> lowest_layer;  // per sender view, once
  std::vector<ReceivedRun> runs;
  for (const TrackView& rx : views) {
    // A view with no sample low enough to be bad has no run: most views (35 M
    // -> 5 M instructions on the bench session with this test, callgrind).
    if (rx.tr->direction != Direction::kSubscriber || rx.tr->kind != MediaKind::kVideo ||
        !rx.has(kFps) || !AnyBelow(rx.col[kFps], std::max(fps.warning, fps.critical))) {
      continue;
    }
    const TrackView* tx = SenderView(published, rx);
    const std::vector<double>* lowest = nullptr;
    if (tx) {
      auto it = lowest_layer.find(tx);
      if (it == lowest_layer.end()) it = lowest_layer.emplace(tx, LowestSendingLayerFps(*tx)).first;
      lowest = &it->second;
    }
    auto judge = [&](size_t i, long k) {
      SampleJudgement s;
      const float f = rx.col[kFps][i], b = At(rx, kBitrate, i);
      // Unknown: missing, nothing at all (nothing_received's), or no sender figure.
      if (!Known(f) || (f == 0 && Known(b) && b == 0) || k < 0) return s;
      const double sent = (*lowest)[static_cast<size_t>(k)];
      if (std::isnan(sent)) return s;  // the sender sent nothing, or no figure
      s.value = f;
      s.sender_value = sent;
      // A sender low itself (on any layer the receiver may get) is the
      // sender's low_fps or its layer settings, not this.
      s.state = sent < fps.warning ? 0 : f < fps.critical ? 2 : f < fps.warning ? 1 : 0;
      return s;
    };
    for (ReceivedRun& r : RunsOf(rx, tx, MinSamples(config), judge)) {
      // The sender's breaches, or its own sending stalled (frames dropped
      // before they were sent: its frame rate still counts them, its bitrate
      // does not), as for the freezes it causes (FindLongFreezes).
      r.explained = SenderExplains(sent, rx, r.start, r.end, detect::CanExplainReceivedVideo) ||
                    SenderStalled(tx, r.start, r.end);
      runs.push_back(r);
    }
  }
  return Attribute(DetectionKind::kLowReceivedFps, &runs, ReceivedIndex(views), true,
                   config.detections.most_share, {fps.warning, fps.critical});
}

std::vector<Detection> FindNothingReceived(const std::vector<TrackView>& views,
                                           const Config& config) {
  const double audio_floor = config.thresholds.audio_muted_kbps * 1000;
  const PublishedViews published = PublishedViewsOf(views);
  std::vector<ReceivedRun> runs;
  for (const TrackView& rx : views) {
    if (rx.tr->direction != Direction::kSubscriber || !rx.has(kBitrate)) continue;
    // Only a sample of 0 bps can be bad: most views have none (72 M -> 5 M
    // instructions on the bench session, callgrind).
    const Samples& received = rx.col[kBitrate];
    if (std::find(received.begin(), received.end(), 0.0f) == received.end()) continue;
    const TrackView* tx = SenderView(published, rx);
    if (!tx || !tx->has(kBitrate)) continue;
    const bool audio = rx.tr->kind == MediaKind::kAudio;
    auto judge = [&](size_t i, long k) {
      SampleJudgement s;
      const float b = rx.col[kBitrate][i], f = At(rx, kFps, i);
      if (!Known(b) || (rx.has(kFps) && !Known(f)) || k < 0) return s;
      const float sent = tx->col[kBitrate][static_cast<size_t>(k)];
      if (!Known(sent)) return s;
      // A sender sending nothing (muted, audio in DTX, video padding without
      // frames) has nothing to deliver.
      const size_t at = static_cast<size_t>(k);
      const bool no_frames = !tx->no_frames.empty() && tx->no_frames[at];
      const bool sending = audio ? sent >= audio_floor : sent > 0 && !no_frames;
      const bool nothing = b == 0 && (!rx.has(kFps) || f == 0);
      s.value = b;
      s.sender_value = sent;
      s.state = sending && nothing ? 2 : 0;
      return s;
    };
    for (const ReceivedRun& r : RunsOf(rx, tx, MinSamples(config), judge)) runs.push_back(r);
  }
  std::vector<Detection> out =
      Attribute(DetectionKind::kNothingReceived, &runs, ReceivedIndex(views), false,
                config.detections.most_share, {kUnset, kUnset});
  return out;
}

namespace {

// The delay inputs of a received audio sample and whether the RTT is the default.
struct Delay {
  double rtt = 0, jitter = 0;
  bool default_rtt = false;
  double jitter_buffer = NAN;  // the receiver's measured one (browser dumps), else NaN
};

// A received audio view's samples as heard: each one's loss, delay and MOS,
// with its sender's round-trip time and jitter where the track is linked.
class HeardAudio {
 public:
  HeardAudio(const TrackView& rx, const TrackView* tx, const Config& config, AudioMosCache* cache)
      : t_(rx.t()),
        loss_(Column(rx, kLoss)),
        conceal_(Column(rx, kConcealPct)),
        buffer_(Column(rx, kJitterBuffer)),
        rx_rtt_(Column(rx, kRtt)),
        rx_jitter_(Column(rx, kJitter)),
        tx_rtt_(tx ? Column(*tx, kRtt) : nullptr),
        tx_jitter_(tx ? Column(*tx, kJitter) : nullptr),
        sender_(tx ? tx->t() : none_, tx ? Tolerance(rx, *tx) : 0),
        default_rtt_(config.detections.default_rtt_ms),
        profile_(config.audio_profile),
        cache_(cache) {}

  // Sample i: false when it has neither loss nor concealment. Calls go in
  // ascending i (the sender's samples are walked along).
  bool At(size_t i, double* mos, double* loss, Delay* delay) {
    const float l = Value(loss_, i), c = Value(conceal_, i);
    if (!Known(l) && !Known(c)) return false;
    // Concealment counts as extra loss where it is the higher.
    *loss = !Known(l) ? c : !Known(c) ? l : std::max(l, c);
    const long k = sender_.Next(t_[i]);
    const float tx_rtt = k >= 0 ? Value(tx_rtt_, static_cast<size_t>(k)) : NAN;
    const float tx_jitter = k >= 0 ? Value(tx_jitter_, static_cast<size_t>(k)) : NAN;
    const float rx_rtt = Value(rx_rtt_, i);  // a browser dump's own, from its candidate pair
    const float rx_jitter = Value(rx_jitter_, i);
    const float rtt = Known(tx_rtt) ? tx_rtt : rx_rtt;
    *delay = Delay{Known(rtt) ? rtt : default_rtt_,
                   Known(tx_jitter)   ? tx_jitter
                   : Known(rx_jitter) ? rx_jitter
                                      : 0,
                   !Known(rtt), Value(buffer_, i)};
    *mos = cache_->AudioMos(delay->rtt, delay->jitter, *loss, profile_, delay->jitter_buffer).mos;
    return true;
  }

 private:
  static const float* Column(const TrackView& v, Col c) {
    return v.has(c) ? v.col[c].data() : nullptr;
  }
  static float Value(const float* column, size_t i) { return column ? column[i] : NAN; }

  const std::vector<int64_t> none_;  // before sender_, which may refer to it
  const std::vector<int64_t>& t_;
  const float *loss_, *conceal_, *buffer_, *rx_rtt_, *rx_jitter_, *tx_rtt_, *tx_jitter_;
  NearestWalker sender_;
  double default_rtt_;
  const AudioProfile& profile_;
  AudioMosCache* cache_;
};

// A run of poor received MOS on view rx as a detection: its figures are
// the means over its poor samples, computed again (only runs need them).
Detection HeardRun(const TrackView& rx, const TrackView* tx, const BadRun& r,
                   const std::vector<signed char>& state, const BreachesByTrack& sent,
                   const Config& config, AudioMosCache* cache) {
  const Threshold limit = MosThreshold(config);
  Detection d;
  d.kind = DetectionKind::kLowReceivedAudioMos;
  d.peer_id = rx.p->peer_id;
  d.media = MediaKind::kAudio;
  d.track_ids = {rx.tr->track_id};
  d.start_ms = rx.t()[r.first];
  d.end_ms = rx.t()[r.last];
  d.direction = SenderExplains(sent, rx, d.start_ms, d.end_ms, detect::CanExplainReceivedAudio)
                    ? Path::kUplink
                    : Path::kDownlink;
  if (d.direction == Path::kUplink) {
    d.peer_id = rx.tr->remote_peer_id;  // the sender; the listener is in peers
    d.peers = {rx.p->peer_id};
  } else if (!rx.tr->remote_peer_id.empty()) {
    d.peers = {rx.tr->remote_peer_id};
  }
  double sum = 0, loss_sum = 0, rtt_sum = 0, jitter_sum = 0, buffer_sum = 0;
  size_t buffered = 0;
  HeardAudio heard(rx, tx, config, cache);
  for (size_t i = r.first; i <= r.last; ++i) {
    double mos, loss;
    Delay delay;
    if (state[i] != 1 || !heard.At(i, &mos, &loss, &delay)) continue;
    ++d.samples;
    sum += mos;
    loss_sum += loss;
    rtt_sum += delay.rtt;
    jitter_sum += delay.jitter;
    if (Known(delay.jitter_buffer)) buffer_sum += delay.jitter_buffer, ++buffered;
    d.default_delay |= delay.default_rtt;
    d.worst = std::isnan(d.worst) ? mos : std::min(d.worst, mos);
  }
  const double k = static_cast<double>(d.samples);
  d.value = sum / k;
  d.loss_pct = loss_sum / k;
  d.rtt_ms = rtt_sum / k;
  d.jitter_ms = jitter_sum / k;
  if (buffered > 0) d.jitter_buffer_ms = buffer_sum / static_cast<double>(buffered);
  d.severity = d.worst < limit.critical ? Severity::kCritical : Severity::kWarning;
  d.threshold = d.severity == Severity::kCritical ? limit.critical : limit.warning;
  return d;
}

// Adds o's figures to d (sample-weighted means).
void MergeInto(Detection* d, const Detection& o) {
  const double n = static_cast<double>(d->samples), m = static_cast<double>(o.samples);
  auto mean = [&](double a, double b) { return (a * n + b * m) / (n + m); };
  d->value = mean(d->value, o.value);
  d->loss_pct = mean(d->loss_pct, o.loss_pct);
  d->rtt_ms = mean(d->rtt_ms, o.rtt_ms);
  d->jitter_ms = mean(d->jitter_ms, o.jitter_ms);
  d->jitter_buffer_ms = mean(d->jitter_buffer_ms, o.jitter_buffer_ms);
  d->samples += o.samples;
  d->worst = std::min(d->worst, o.worst);
  d->default_delay |= o.default_delay;
  if (o.severity > d->severity) d->severity = o.severity, d->threshold = o.threshold;
  d->start_ms = std::min(d->start_ms, o.start_ms);
  d->end_ms = std::max(d->end_ms, o.end_ms);
  d->peers.insert(d->peers.end(), o.peers.begin(), o.peers.end());
  d->track_ids.insert(d->track_ids.end(), o.track_ids.begin(), o.track_ids.end());
  SortUnique(&d->peers);
  SortUnique(&d->track_ids);
}

// Detections of one peer and direction that overlap in time (within a
// window) become one: a sender's uplink lists every listener (as issues group
// receivers under the sender's uplink), a listener's downlink every sender.
std::vector<Detection> MergeOverlapping(std::vector<Detection> all, const ReceivedIndex& index,
                                        const Config& config) {
  std::stable_sort(all.begin(), all.end(),
                   [](const Detection& a, const Detection& b) { return a.start_ms < b.start_ms; });
  std::vector<Detection> out;
  // (peer, direction) -> index in out of its latest detection.
  std::map<std::pair<std::string, Path>, size_t> open;
  for (Detection& d : all) {
    auto it = open.find({d.peer_id, d.direction});
    if (it != open.end() && d.start_ms <= out[it->second].end_ms + config.window_ms) {
      MergeInto(&out[it->second], d);
      continue;
    }
    open[{d.peer_id, d.direction}] = out.size();
    out.push_back(std::move(d));
  }
  for (Detection& d : out) {
    if (d.direction == Path::kUplink) {
      d.peers_total = index.ReceiversOf(d.track_ids.front(), d.start_ms, d.end_ms);
    } else if (!d.peers.empty()) {
      d.peers_total = index.SendersOf(d.peer_id, MediaKind::kAudio, d.start_ms, d.end_ms);
    }
  }
  return out;
}

}  // namespace

std::vector<Detection> FindLowReceivedAudioMos(const std::vector<TrackView>& views,
                                               const std::vector<Breach>& breaches,
                                               const Config& config) {
  return MergeLowReceivedAudioMos(
      FindLowReceivedAudioMosRuns(views, breaches, config, 0, views.size()), views, config);
}

std::vector<Detection> MergeLowReceivedAudioMos(std::vector<Detection> runs,
                                                const std::vector<TrackView>& views,
                                                const Config& config) {
  return MergeOverlapping(std::move(runs), ReceivedIndex(views), config);
}

std::vector<Detection> FindLowReceivedAudioMosRuns(const std::vector<TrackView>& views,
                                                   const std::vector<Breach>& breaches,
                                                   const Config& config, size_t first,
                                                   size_t last) {
  const double warn = MosThreshold(config).warning;
  const PublishedViews published = PublishedViewsOf(views);
  const BreachesByTrack sent = PublisherBreaches(breaches);
  std::vector<Detection> out;
  AudioMosCache cache;  // one E-model per sample: the same delays repeat
  std::vector<signed char> state;
  for (size_t v = first; v < last; ++v) {
    const TrackView& rx = views[v];
    if (rx.tr->direction != Direction::kSubscriber || rx.tr->kind != MediaKind::kAudio) continue;
    if (!rx.has(kLoss) && !rx.has(kConcealPct)) continue;
    const TrackView* tx = SenderView(published, rx);
    // Each sample's state first (its MOS against the warning level); the
    // figures of the rare poor runs are computed again by HeardRun, so that
    // no sample keeps more than its state (48 B a sample fewer to write).
    state.assign(rx.t().size(), -1);
    HeardAudio heard(rx, tx, config, &cache);
    for (size_t i = 0; i < state.size(); ++i) {
      double mos, loss;
      Delay delay;
      if (heard.At(i, &mos, &loss, &delay)) state[i] = mos < warn ? 1 : 0;
    }
    for (const BadRun& r : FindBadRuns(rx.t(), rx.spacing_ms, state)) {
      if (r.bad >= MinSamples(config)) {
        out.push_back(HeardRun(rx, tx, r, state, sent, config, &cache));
      }
    }
  }
  return out;
}

std::vector<Detection> FindBitrateCollapse(const std::vector<TrackView>& views,
                                           const Config& config) {
  const DetectionConfig& dc = config.detections;
  std::vector<Detection> out;
  for (const TrackView& v : views) {
    if (v.tr->direction != Direction::kPublisher || v.tr->kind == MediaKind::kScreen ||
        !v.has(kBitrate)) {
      continue;
    }
    const bool audio = v.tr->kind == MediaKind::kAudio;
    const Threshold& th =
        audio ? config.thresholds.audio_bitrate_kbps : config.thresholds.video_bitrate_kbps;
    const double floor = std::isnan(th.warning) ? 0 : th.warning * 1000;  // the absolute threshold
    const double sending_from = audio ? config.thresholds.audio_muted_kbps * 1000 : 0;
    const Samples& b = v.col[kBitrate];
    std::vector<double> sending;
    for (float x : b) {
      if (Known(x) && x > sending_from) sending.push_back(x);
    }
    constexpr size_t kMinSendingSamples = 6;
    if (sending.size() < kMinSendingSamples) continue;
    const double median = ComputeStats(sending, false).median;
    const double limit = median * dc.collapse_ratio;
    std::vector<signed char> state(b.size(), -1);
    for (size_t i = 0; i < b.size(); ++i) {
      // Muted, missing, or below the absolute threshold (low_*_bitrate's): unknown.
      if (!Known(b[i]) || b[i] <= sending_from || b[i] < floor) continue;
      state[i] = b[i] < limit ? 1 : 0;
    }
    const int64_t spacing = v.spacing_ms > 0 ? v.spacing_ms : 10000;
    for (const BadRun& r : FindBadRuns(v.t(), v.spacing_ms, state)) {
      if (v.t()[r.last] - v.t()[r.first] + spacing < dc.collapse_min_ms) continue;
      Detection d;
      d.kind = DetectionKind::kBitrateCollapse;
      d.peer_id = v.p->peer_id;
      d.direction = Path::kUplink;
      d.media = v.tr->kind;
      d.track_ids = {v.tr->track_id};
      d.start_ms = v.t()[r.first];
      d.end_ms = v.t()[r.last];
      d.baseline = median;
      d.threshold = limit;
      double sum = 0;
      for (size_t i = r.first; i <= r.last; ++i) {
        if (state[i] != 1) continue;
        ++d.samples;
        sum += b[i];
        d.worst = std::isnan(d.worst) ? b[i] : std::min<double>(d.worst, b[i]);
      }
      d.value = sum / static_cast<double>(d.samples);
      out.push_back(std::move(d));
    }
  }
  return out;
}

namespace {

// A freeze of this many seconds or more is critical (docs/DETECTIONS.md,
// "Freezes in browser dumps").
constexpr double kCriticalFreezeS = 5;

// A freeze shorter than this in all is not an issue: the browser counts
// brief stalls a viewer hardly notices (docs/DETECTIONS.md)...
constexpr double kMinFreezeS = 1;

// ...unless there are this many of them close together: a stutter a viewer
// does notice, and what the video score counts (0.5 per freeze per minute:
// three in 20 s cost it 3 points, docs/SCORING.md).
constexpr size_t kMinFreezes = 3;

// Freezes this close together (time between the intervals they end in) are
// one issue: a few seconds apart at 1 s sampling, the next interval at 10 s.
constexpr int64_t kFreezeGapMs = 15000;

// The freezes the browser counted over the frozen intervals [first, last]:
// it counts one when it ends, so in those intervals or the one just after;
// at least one (a freeze still going at the dump's end is not counted yet).
size_t FreezesCounted(const Samples& counts, size_t first, size_t last) {
  size_t n = 0;
  for (size_t i = first; i <= last + 1 && i < counts.size(); ++i) {
    if (Known(counts[i]) && counts[i] >= 1) n += static_cast<size_t>(counts[i]);
  }
  return std::max<size_t>(n, 1);
}

// The runs of intervals frozen on a received video: [first, last] sample
// indices; freezes less than kFreezeGapMs apart are one run.
std::vector<std::pair<size_t, size_t>> FrozenRuns(const std::vector<int64_t>& t,
                                                  const Samples& frozen) {
  std::vector<std::pair<size_t, size_t>> runs;
  for (size_t i = 0; i < frozen.size(); ++i) {
    if (!Known(frozen[i]) || frozen[i] <= 0) continue;
    if (!runs.empty() && t[i] - t[runs.back().second] <= kFreezeGapMs) {
      runs.back().second = i;
    } else {
      runs.push_back({i, i});
    }
  }
  return runs;
}

}  // namespace

std::vector<Detection> FindLongFreezes(const std::vector<TrackView>& views,
                                       const std::vector<Breach>& breaches) {
  const BreachesByTrack sent = PublisherBreaches(breaches);
  const PublishedViews published = PublishedViewsOf(views);
  std::vector<Detection> out;
  for (const TrackView& rx : views) {
    if (rx.tr->direction != Direction::kSubscriber || rx.tr->kind == MediaKind::kAudio ||
        rx.tr->layers.empty() || !rx.tr->layers.front().series.has(Metric::kFreezeMs)) {
      continue;
    }
    const Series& s = rx.tr->layers.front().series;
    const Samples& frozen = s.column(Metric::kFreezeMs);
    const Samples* counts = s.has(Metric::kFreezeCount) ? &s.column(Metric::kFreezeCount) : nullptr;
    for (const auto& [first, last] : FrozenRuns(s.timestamps_ms, frozen)) {
      Detection d;
      d.kind = DetectionKind::kLongFreeze;
      d.media = rx.tr->kind;
      d.track_ids = {rx.tr->track_id};
      // The interval frozen runs from the sample before the first frozen one.
      d.start_ms = s.timestamps_ms[first > 0 ? first - 1 : 0];
      d.end_ms = s.timestamps_ms[last];
      double total = 0, longest = 0;
      for (size_t i = first; i <= last; ++i) {
        if (!Known(frozen[i]) || frozen[i] <= 0) continue;
        total += frozen[i] / 1000.0;
        longest = std::max(longest, frozen[i] / 1000.0);
        if (counts == nullptr) ++d.samples;  // one per interval frozen, without a count
      }
      if (counts != nullptr) d.samples = FreezesCounted(*counts, first, last);
      if (total < kMinFreezeS && d.samples < kMinFreezes) continue;
      d.value = total;
      d.worst = longest;
      d.threshold = kCriticalFreezeS;
      d.severity = total >= kCriticalFreezeS ? Severity::kCritical : Severity::kWarning;
      const bool uplink =
          !rx.tr->remote_peer_id.empty() &&
          (SenderExplains(sent, rx, d.start_ms, d.end_ms, detect::CanExplainReceivedVideo) ||
           SenderStalled(SenderView(published, rx), d.start_ms, d.end_ms));
      d.direction = uplink ? Path::kUplink : Path::kDownlink;
      d.peer_id = uplink ? rx.tr->remote_peer_id : rx.p->peer_id;
      if (uplink) {
        d.peers = {rx.p->peer_id};
      } else if (!rx.tr->remote_peer_id.empty()) {
        d.peers = {rx.tr->remote_peer_id};
      }
      out.push_back(std::move(d));
    }
  }
  return out;
}

}  // namespace callsight::analysis
