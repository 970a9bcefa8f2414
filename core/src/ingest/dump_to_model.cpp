#include "ingest/dump_to_model.h"

#include <algorithm>
#include <cctype>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <initializer_list>
#include <limits>
#include <map>
#include <optional>
#include <string_view>

#include "ingest/peer_stats_reader.h"
#include "json/json_cursor.h"
#include "json/json_tree.h"

namespace callsight::ingest {
namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();
// Samples of two stats objects taken by one getStats() call are this close
// (webrtc-internals stamps each object on its own; rtcstats once per call).
constexpr int64_t kSameSampleMs = 600;
// The model's concealment figure counts samples at 48 kHz (breaches.cpp).
constexpr double kModelSampleRate = 48000;

// ---- identity -------------------------------------------------------------

uint64_t Fnv1a(uint64_t h, std::string_view text) {
  for (unsigned char c : text) {
    h ^= c;
    h *= 1099511628211ull;
  }
  return h ^ 0xff;  // a separator between the parts
}

// The SSRCs of the streams the dump's browser sent, sorted: random 32-bit
// numbers its two dumps of one call share and no other browser has.
std::vector<std::string> SentSsrcs(const StatsDump& d);

// Twelve hex digits of a hash of what identifies the dump's client: its own
// id and the SSRCs it sent (so that the webrtc-internals and the rtcstats
// dump of one browser's call are one participant); without SSRCs, its user
// agent, first time and connection ids.
std::string DumpHash(const StatsDump& d) {
  uint64_t h = 14695981039346656037ull;
  h = Fnv1a(h, d.client_id);
  const std::vector<std::string> ssrcs = SentSsrcs(d);
  for (const auto& s : ssrcs) h = Fnv1a(h, s);
  if (ssrcs.empty()) {
    h = Fnv1a(h, d.user_agent);
    h = Fnv1a(h, std::to_string(d.start_ms));
    for (const auto& c : d.connections) h = Fnv1a(h, c.id);
  }
  char buf[16];
  snprintf(buf, sizeof buf, "%012llx", static_cast<unsigned long long>(h & 0xffffffffffffull));
  return buf;
}

// ---- user agent -----------------------------------------------------------

// The version after `token` ("Chrome/117.0.0.0" -> "117.0.0.0"), "" if absent.
std::string VersionAfter(std::string_view ua, std::string_view token) {
  size_t at = ua.find(token);
  if (at == std::string_view::npos) return std::string();
  size_t begin = at + token.size(), end = begin;
  while (end < ua.size() && ua[end] != ' ' && ua[end] != ';' && ua[end] != ')') ++end;
  return std::string(ua.substr(begin, end - begin));
}

void ReadUserAgent(std::string_view ua, PeerInfo* info) {
  struct Browser {
    const char* token;
    const char* name;
  };
  // Most specific first: Edge and Opera also say Chrome; Chrome also says Safari.
  static constexpr Browser kBrowsers[] = {{"Edg/", "Edge"},        {"OPR/", "Opera"},
                                          {"Firefox/", "Firefox"}, {"Chrome/", "Chrome"},
                                          {"CriOS/", "Chrome"},    {"Version/", "Safari"}};
  for (const Browser& b : kBrowsers) {
    std::string v = VersionAfter(ua, b.token);
    if (v.empty()) continue;
    info->browser = b.name;
    info->browser_version = v;
    break;
  }
  if (ua.find("iPhone") != std::string_view::npos || ua.find("iPad") != std::string_view::npos) {
    info->os = "iOS";
  } else if (ua.find("Android") != std::string_view::npos) {
    info->os = "Android";
  } else if (ua.find("Windows") != std::string_view::npos) {
    info->os = "Windows";
  } else if (ua.find("Mac OS X") != std::string_view::npos) {
    info->os = "macOS";
  } else if (ua.find("CrOS") != std::string_view::npos) {
    info->os = "ChromeOS";
  } else if (ua.find("Linux") != std::string_view::npos) {
    info->os = "Linux";
  }
  if (!ua.empty()) info->platform = "web";
}

// ---- values of stats objects ------------------------------------------------

// The object's last non-empty text of `name`, "" if none.
std::string LastText(const StatObject& o, std::string_view name) {
  const StatProperty* p = o.Find(name);
  if (!p) return std::string();
  for (size_t i = p->texts.size(); i-- > 0;) {
    if (!p->texts[i].empty()) return std::string(p->texts[i]);
  }
  return std::string();
}

// The object's last numeric value of `name`, NaN if none.
double LastNumber(const StatObject& o, std::string_view name) {
  const StatProperty* p = o.Find(name);
  if (!p) return kNaN;
  for (size_t i = p->numbers.size(); i-- > 0;) {
    if (!std::isnan(p->numbers[i])) return p->numbers[i];
  }
  return kNaN;
}

// Sample i of a property as a number: legacy stats write numbers as text
// ("18"), read here; other text is NaN.
double NumberAt(const StatProperty& p, size_t i) {
  if (!std::isnan(p.numbers[i]) || p.texts.empty() || p.texts[i].empty()) return p.numbers[i];
  const std::string text(p.texts[i]);  // strtod reads to a NUL
  const char* begin = text.c_str();
  char* end = nullptr;
  const double v = std::strtod(begin, &end);
  return end != begin && *end == '\0' ? v : kNaN;
}

// Values of one property of `from` at the times `at` (a sample within
// kSameSampleMs, else NaN). Both time vectors are sorted.
std::vector<double> AlignedTo(const std::vector<int64_t>& at, const StatObject* from,
                              std::string_view name, double scale = 1) {
  std::vector<double> out(at.size(), kNaN);
  const StatProperty* p = from ? from->Find(name) : nullptr;
  if (!p) return out;
  const auto& t = from->times_ms;
  size_t j = 0;
  for (size_t i = 0; i < at.size(); ++i) {
    while (j + 1 < t.size() && t[j + 1] <= at[i]) ++j;
    size_t best = j;
    if (j + 1 < t.size() && std::llabs(t[j + 1] - at[i]) < std::llabs(t[j] - at[i])) best = j + 1;
    if (!t.empty() && std::llabs(t[best] - at[i]) <= kSameSampleMs) {
      out[i] = NumberAt(*p, best) * scale;
    }
  }
  return out;
}

std::vector<double> Own(const StatObject& o, std::string_view name, double scale = 1) {
  return AlignedTo(o.times_ms, &o, name, scale);
}

// A number member of an object-valued property the dump wrote as JSON text
// ({"bandwidth":0,"cpu":1.5,"none":20.1,"other":0}), per sample; NaN where
// absent. The objects are flat: the member's number follows "name":.
std::vector<double> MemberOfObjectText(const StatObject& o, std::string_view name,
                                       const std::string& member) {
  std::vector<double> out(o.times_ms.size(), kNaN);
  const StatProperty* p = o.Find(name);
  if (!p || p->texts.empty()) return out;
  const std::string key = "\"" + member + "\":";
  for (size_t i = 0; i < out.size(); ++i) {
    const std::string text(p->texts[i]);  // strtod reads to a NUL
    const size_t at = text.find(key);
    if (at == std::string::npos) continue;
    const char* begin = text.c_str() + at + key.size();
    char* end = nullptr;
    const double v = std::strtod(begin, &end);
    if (end != begin) out[i] = v;
  }
  return out;
}

// Per-interval change of a cumulative counter (NaN for the first sample,
// around missing values and where the counter went backwards: a reset).
// per_second: divided by the interval's length in seconds.
std::vector<double> Change(const std::vector<int64_t>& t, const std::vector<double>& v,
                           bool per_second) {
  std::vector<double> out(v.size(), kNaN);
  for (size_t i = 1; i < v.size(); ++i) {
    const double d = v[i] - v[i - 1];
    const int64_t dt = t[i] - t[i - 1];
    if (std::isnan(d) || d < 0 || dt <= 0) continue;
    out[i] = per_second ? d * 1000.0 / static_cast<double>(dt) : d;
  }
  return out;
}

Samples ToSamples(const std::vector<double>& v) {
  Samples out(v.size());
  for (size_t i = 0; i < v.size(); ++i) out[i] = static_cast<float>(v[i]);
  return out;
}

bool AllNaN(const std::vector<double>& v) {
  return std::all_of(v.begin(), v.end(), [](double x) { return std::isnan(x); });
}

void SetColumn(Series* s, Metric m, const std::vector<double>& v) {
  if (!AllNaN(v)) s->column(m) = ToSamples(v);
}

// ---- one connection -----------------------------------------------------------

// A connection's stats objects looked up by id and by type.
class ConnectionStats {
 public:
  explicit ConnectionStats(const DumpConnection& c) : c_(c) {
    for (const auto& o : c.stats) by_id_[o.id] = &o;
    selected_pair_ = FindSelectedPair();
  }
  const DumpConnection& connection() const { return c_; }

  const StatObject* ById(const std::string& id) const {
    auto it = by_id_.find(id);
    return it == by_id_.end() ? nullptr : it->second;
  }
  // The object another one names in its property `link` ("mediaSourceId").
  const StatObject* Linked(const StatObject& o, std::string_view link) const {
    std::string id = LastText(o, link);
    return id.empty() ? nullptr : ById(id);
  }
  // The remote-inbound-rtp report about the outbound-rtp `out`: the one whose
  // localId names it, else of the same ssrc.
  const StatObject* RemoteInboundOf(const StatObject& out) const {
    const double ssrc = LastNumber(out, "ssrc");
    const StatObject* same_ssrc = nullptr;
    for (const auto& o : c_.stats) {
      if (o.type != "remote-inbound-rtp") continue;
      if (LastText(o, "localId") == out.id) return &o;
      if (!same_ssrc && LastNumber(o, "ssrc") == ssrc) same_ssrc = &o;
    }
    return same_ssrc;
  }
  // The candidate pair that carried the media: the transport's selected pair,
  // else the pair that moved the most bytes (found once, with the index).
  const StatObject* SelectedPair() const { return selected_pair_; }

  // When media could first flow (the connection connected), and the
  // connection's ontrack events: set by SetSetup once its events are read.
  void SetSetup(std::optional<int64_t> connected_ms, std::vector<const DumpEvent*> ontracks) {
    connected_ms_ = connected_ms;
    ontracks_ = std::move(ontracks);
  }
  // When a received track could first show a frame: the connection
  // connected, or the track's last ontrack before `before` if later.
  std::optional<int64_t> MediaFrom(const std::string& track_id, int64_t before) const {
    std::optional<int64_t> from = connected_ms_;
    if (!from) return from;
    const std::string quoted = "\"" + track_id + "\"";
    for (const DumpEvent* e : ontracks_) {
      if (e->time_ms > *from && e->time_ms <= before &&
          e->value.find(quoted) != std::string::npos) {
        from = e->time_ms;
      }
    }
    return from;
  }
  // Whether an ontrack event names the track: then when it arrived is known.
  bool HasOntrack(const std::string& track_id) const {
    const std::string quoted = "\"" + track_id + "\"";
    return std::any_of(ontracks_.begin(), ontracks_.end(), [&](const DumpEvent* e) {
      return e->value.find(quoted) != std::string::npos;
    });
  }

 private:
  const StatObject* FindSelectedPair() const {
    for (const auto& o : c_.stats) {
      if (o.type != "transport") continue;
      if (const StatObject* p = Linked(o, "selectedCandidatePairId")) return p;
    }
    const StatObject* best = nullptr;
    double most = 0;
    for (const auto& o : c_.stats) {
      if (o.type != "candidate-pair" && o.type != "googCandidatePair") continue;
      const double sent = LastNumber(o, "bytesSent"), received = LastNumber(o, "bytesReceived");
      const double bytes = (std::isnan(sent) ? 0 : sent) + (std::isnan(received) ? 0 : received);
      if (bytes > most) most = bytes, best = &o;
    }
    return best;
  }

  const DumpConnection& c_;
  std::map<std::string, const StatObject*> by_id_;
  const StatObject* selected_pair_ = nullptr;
  std::optional<int64_t> connected_ms_;
  std::vector<const DumpEvent*> ontracks_;
};

std::optional<MediaKind> KindOf(const StatObject& o) {
  std::string kind = LastText(o, "kind");
  if (kind.empty()) kind = LastText(o, "mediaType");
  const std::string content = LastText(o, "contentType");
  if (kind == "audio") return MediaKind::kAudio;
  if (kind == "video") return content == "screenshare" ? MediaKind::kScreen : MediaKind::kVideo;
  return std::nullopt;
}

// A stats object's SSRC as decimal text, "" if none.
std::string SsrcText(const StatObject& o) {
  double ssrc = LastNumber(o, "ssrc");
  if (std::isnan(ssrc)) {
    const StatProperty* p = o.Find("ssrc");
    if (p && !p->texts.empty()) ssrc = NumberAt(*p, p->texts.size() - 1);
  }
  if (std::isnan(ssrc) || ssrc < 0) return std::string();
  char buf[24];
  snprintf(buf, sizeof buf, "%.0f", ssrc);
  return buf;
}

std::string SsrcName(const StatObject& o) {
  const std::string ssrc = SsrcText(o);
  return ssrc.empty() ? "stats-" + o.id : "ssrc-" + ssrc;
}

// The media track an RTP stream carries: the track id the stream, its media
// source or its (older Chromes') track object names; else its SSRC.
std::string TrackIdOf(const ConnectionStats& cs, const StatObject& rtp) {
  std::string id = LastText(rtp, "trackIdentifier");
  if (id.empty()) {
    if (const StatObject* src = cs.Linked(rtp, "mediaSourceId")) {
      id = LastText(*src, "trackIdentifier");
    }
  }
  if (id.empty()) {
    if (const StatObject* tr = cs.Linked(rtp, "trackId")) id = LastText(*tr, "trackIdentifier");
  }
  return id.empty() ? SsrcName(rtp) : id;
}

// A property of the RTP stream, else of its track object (older Chromes and
// Safari keep frame and concealment counters there).
std::vector<double> StreamOrTrack(const ConnectionStats& cs, const StatObject& rtp,
                                  std::string_view name) {
  if (rtp.Find(name)) return Own(rtp, name);
  return AlignedTo(rtp.times_ms, cs.Linked(rtp, "trackId"), name);
}

// Frames per second: the stream's own figure, else from a frame counter.
std::vector<double> FramesPerSecond(const ConnectionStats& cs, const StatObject& rtp,
                                    std::string_view counter) {
  if (rtp.Find("framesPerSecond")) return Own(rtp, "framesPerSecond");
  return Change(rtp.times_ms, StreamOrTrack(cs, rtp, counter), true);
}

// Percent of `lost` in lost + other, per interval (both per-interval counts).
std::vector<double> LossPercent(const std::vector<double>& lost, const std::vector<double>& other,
                                bool other_includes_lost) {
  std::vector<double> out(lost.size(), kNaN);
  for (size_t i = 0; i < lost.size(); ++i) {
    const double total = other_includes_lost ? other[i] : lost[i] + other[i];
    if (std::isnan(lost[i]) || std::isnan(total) || total <= 0) continue;
    out[i] = std::min(100.0, 100.0 * lost[i] / total);
  }
  return out;
}

std::optional<double> Known(double v) {
  return std::isnan(v) ? std::nullopt : std::optional<double>(v);
}

// Total / count at the stream's last sample, in ms per unit (the totals are
// seconds).
std::optional<double> MsPer(const StatObject& rtp, std::string_view total, std::string_view count) {
  const double t = LastNumber(rtp, total), n = LastNumber(rtp, count);
  return std::isnan(t) || std::isnan(n) || n <= 0 ? std::nullopt
                                                  : std::optional<double>(t * 1000 / n);
}

// The last known value of a property of the stream, else of its track
// object; NaN if none.
double LastOf(const ConnectionStats& cs, const StatObject& rtp, std::string_view name) {
  const std::vector<double> v = StreamOrTrack(cs, rtp, name);
  for (size_t i = v.size(); i-- > 0;) {
    if (!std::isnan(v[i])) return v[i];
  }
  return kNaN;
}

// part / total at the stream's last sample, scaled (1000: seconds per unit
// to ms, 100: a percentage); nullopt when either is unknown or total is 0.
std::optional<double> RatioOf(const ConnectionStats& cs, const StatObject& rtp,
                              std::string_view part, std::string_view total, double scale) {
  const double p = LastOf(cs, rtp, part), n = LastOf(cs, rtp, total);
  return std::isnan(p) || std::isnan(n) || n <= 0 ? std::nullopt
                                                  : std::optional<double>(scale * p / n);
}

std::optional<double> PercentOf(const ConnectionStats& cs, const StatObject& rtp,
                                std::string_view part) {
  return RatioOf(cs, rtp, part, "totalSamplesReceived", 100);
}

// A boolean property's last value ("true" / "false"), nullopt if none.
std::optional<bool> LastBool(const StatObject& rtp, std::string_view name) {
  const std::string v = LastText(rtp, name);
  if (v == "true") return true;
  if (v == "false") return false;
  return std::nullopt;
}

// The most frequent frame size over the stream's samples (the earliest of
// equally frequent ones), the smallest and the largest by pixels, from its
// width and height properties (legacy stats name them their own way).
void ReadFrameSizes(const ConnectionStats& cs, const StatObject& rtp, StreamFacts* f,
                    std::string_view width = "frameWidth",
                    std::string_view height = "frameHeight") {
  const std::vector<double> w = StreamOrTrack(cs, rtp, width);
  const std::vector<double> h = StreamOrTrack(cs, rtp, height);
  std::vector<std::pair<FrameSize, int>> seen;  // in order of first sight
  for (size_t i = 0; i < w.size() && i < h.size(); ++i) {
    if (std::isnan(w[i]) || std::isnan(h[i]) || w[i] <= 0 || h[i] <= 0) continue;
    const FrameSize size{static_cast<int>(w[i]), static_cast<int>(h[i])};
    auto it =
        std::find_if(seen.begin(), seen.end(), [&](const auto& s) { return s.first == size; });
    if (it == seen.end()) {
      seen.push_back({size, 1});
    } else {
      ++it->second;
    }
  }
  if (seen.empty()) return;
  const auto pixels = [](const FrameSize& s) { return int64_t{s.width} * s.height; };
  f->common_size = seen[0].first, f->min_size = seen[0].first, f->max_size = seen[0].first;
  int most = seen[0].second;
  for (const auto& [size, n] : seen) {
    if (n > most) most = n, f->common_size = size;
    if (pixels(size) < pixels(*f->min_size)) f->min_size = size;
    if (pixels(size) > pixels(*f->max_size)) f->max_size = size;
  }
}

// A sent video's qualityLimitationDurations at its last sample (seconds per
// reason: flattened members or one JSON text), NaN where not given.
double LastLimitedSeconds(const StatObject& out, const std::string& reason) {
  std::vector<double> v = Own(out, "qualityLimitationDurations." + reason);
  if (AllNaN(v)) v = MemberOfObjectText(out, "qualityLimitationDurations", reason);
  return v.empty() ? kNaN : v.back();
}

// % of the time a sent video was limited by CPU, bandwidth and other reasons.
void ReadLimitationShares(const StatObject& out, StreamFacts* f) {
  const double cpu = LastLimitedSeconds(out, "cpu"), bw = LastLimitedSeconds(out, "bandwidth");
  const double other = LastLimitedSeconds(out, "other"), none = LastLimitedSeconds(out, "none");
  double total = 0;
  for (double v : {cpu, bw, other, none}) total += std::isnan(v) ? 0 : v;
  if (total <= 0) return;
  const auto share = [total](double v) { return Known(100 * v / total); };
  f->cpu_limited_pct = share(cpu);
  f->bandwidth_limited_pct = share(bw);
  f->other_limited_pct = share(other);
}

void ReadSentFacts(const ConnectionStats& cs, const StatObject& rtp, StreamFacts* f) {
  f->encode_ms_per_frame = MsPer(rtp, "totalEncodeTime", "framesEncoded");
  f->frame_count = Known(LastOf(cs, rtp, "framesEncoded"));
  f->key_frame_count = Known(LastNumber(rtp, "keyFramesEncoded"));
  f->qp_per_frame = RatioOf(cs, rtp, "qpSum", "framesEncoded", 1);
  ReadLimitationShares(rtp, f);
  f->limitation_resolution_changes = Known(LastNumber(rtp, "qualityLimitationResolutionChanges"));
  f->power_efficient = LastBool(rtp, "powerEfficientEncoder");
}

// Whether any sample of the stream named the null video decoder.
bool UsedNullDecoder(const StatObject& rtp) {
  const StatProperty* p = rtp.Find("decoderImplementation");
  return p && p->texts.Contains("NullVideoDecoder");
}

void ReadReceivedFacts(const ConnectionStats& cs, const StatObject& rtp, bool video,
                       StreamFacts* f) {
  f->decode_ms_per_frame = MsPer(rtp, "totalDecodeTime", "framesDecoded");
  f->accelerated_pct = PercentOf(cs, rtp, "removedSamplesForAcceleration");
  f->decelerated_pct = PercentOf(cs, rtp, "insertedSamplesForDeceleration");
  f->concealed_pct = PercentOf(cs, rtp, "concealedSamples");
  f->frame_count = Known(LastOf(cs, rtp, "framesDecoded"));
  f->key_frame_count = Known(LastNumber(rtp, "keyFramesDecoded"));
  f->qp_per_frame = RatioOf(cs, rtp, "qpSum", "framesDecoded", 1);
  f->power_efficient = LastBool(rtp, "powerEfficientDecoder");
  f->freeze_count = Known(LastOf(cs, rtp, "freezeCount"));
  const double frozen = LastOf(cs, rtp, "totalFreezesDuration");
  f->freeze_total_ms = Known(frozen * 1000);
  f->frames_dropped = Known(LastOf(cs, rtp, "framesDropped"));
  constexpr const char* kEmitted = "jitterBufferEmittedCount";
  f->jitter_buffer_ms = RatioOf(cs, rtp, "jitterBufferDelay", kEmitted, 1000);
  f->jitter_buffer_target_ms = RatioOf(cs, rtp, "jitterBufferTargetDelay", kEmitted, 1000);
  f->jitter_buffer_minimum_ms = RatioOf(cs, rtp, "jitterBufferMinimumDelay", kEmitted, 1000);
  f->jitter_buffer_flushes = Known(LastOf(cs, rtp, "jitterBufferFlushes"));
  f->processing_ms = RatioOf(cs, rtp, "totalProcessingDelay", kEmitted, 1000);
  f->assembly_ms =
      RatioOf(cs, rtp, "totalAssemblyTime", "framesAssembledFromMultiplePackets", 1000);
  f->inter_frame_ms = RatioOf(cs, rtp, "totalInterFrameDelay", "framesDecoded", 1000);
  if (video && rtp.Find("decoderImplementation")) f->null_decoder = UsedNullDecoder(rtp);
}

// Samples this close bracket a first frame well enough to report it.
constexpr int64_t kFirstFrameBracketMs = 2000;

// The first sample showing a decoded frame of a received video: sets
// first_frame_at_ms and first_frame_ms, ms from when the video could first
// show one (ConnectionStats::MediaFrom); neither unless the sample before
// showed none and is at most kFirstFrameBracketMs before it, or the
// stream's first sample shows one that soon after. A stream no ontrack
// names (Firefox's have no track id) whose stats began later than that
// after the connection connected may have been added later: not counted.
void ReadFirstFrame(const ConnectionStats& cs, const StatObject& in, const std::string& track_id,
                    StreamFacts* f) {
  const std::vector<double> frames = StreamOrTrack(cs, in, "framesDecoded");
  const auto& t = in.times_ms;
  for (size_t i = 0; i < frames.size(); ++i) {
    if (std::isnan(frames[i]) || frames[i] <= 0) continue;
    const std::optional<int64_t> from = cs.MediaFrom(track_id, t[i]);
    if (!from || t[i] < *from) return;
    if (!cs.HasOntrack(track_id) && t.front() - *from > kFirstFrameBracketMs) return;
    const bool none_before = i > 0 && frames[i - 1] == 0;
    const int64_t bracket_start = i == 0 ? *from : none_before ? t[i - 1] : INT64_MIN;
    if (bracket_start == INT64_MIN || t[i] - bracket_start > kFirstFrameBracketMs) return;
    f->first_frame_ms = t[i] - *from;
    f->first_frame_at_ms = t[i];
    return;
  }
}

// When each jitter-buffer flush happened: the sample where
// jitterBufferFlushes rose, k flushes in one interval spread evenly over it.
std::vector<int64_t> FlushTimes(const StatObject& in) {
  const std::vector<int64_t>& t = in.times_ms;
  const std::vector<double> added = Change(t, Own(in, "jitterBufferFlushes"), false);
  std::vector<int64_t> out;
  for (size_t i = 1; i < added.size(); ++i) {
    if (std::isnan(added[i]) || added[i] < 1) continue;
    const int64_t k = std::llround(added[i]);
    for (int64_t j = 1; j <= k; ++j) out.push_back(t[i - 1] + (t[i] - t[i - 1]) * j / k);
  }
  return out;
}

// A member of an object-valued property at the stream's last sample: as
// flattened members ("psnrSum.y") or one JSON text ({"y":..}); NaN if neither.
double LastMember(const StatObject& o, const std::string& name, const std::string& member) {
  std::vector<double> v = Own(o, name + "." + member);
  if (AllNaN(v)) v = MemberOfObjectText(o, name, member);
  for (size_t i = v.size(); i-- > 0;) {
    if (!std::isnan(v[i])) return v[i];
  }
  return kNaN;
}

// A sent video's mean PSNR per plane (psnrSum over psnrMeasurements), where
// the browser measured it.
void ReadPsnr(const StatObject& out, StreamFacts* f) {
  const double n = LastNumber(out, "psnrMeasurements");
  if (std::isnan(n) || n <= 0) return;
  f->psnr_y_db = Known(LastMember(out, "psnrSum", "y") / n);
  f->psnr_u_db = Known(LastMember(out, "psnrSum", "u") / n);
  f->psnr_v_db = Known(LastMember(out, "psnrSum", "v") / n);
}

// ECN (L4S) counts: a received stream's own; a sent stream's ECT(1) marks
// and what its receiver reported (remote-inbound-rtp).
void ReadEcn(const ConnectionStats& cs, const StatObject& rtp, bool sent, StreamFacts* f) {
  const StatObject* receiver = sent ? cs.RemoteInboundOf(rtp) : &rtp;
  if (sent) f->ect1_sent_packets = Known(LastNumber(rtp, "packetsSentWithEct1"));
  if (!receiver) return;
  f->ect1_received_packets = Known(LastNumber(*receiver, "packetsReceivedWithEct1"));
  f->ce_received_packets = Known(LastNumber(*receiver, "packetsReceivedWithCe"));
  if (sent) {
    f->ect1_bleached_packets = Known(LastNumber(*receiver, "packetsWithBleachedEct1Marking"));
  }
}

// What the dump says of the stream beyond its series (StreamFacts).
StreamFacts FactsOf(const ConnectionStats& cs, const StatObject& rtp, bool sent, bool video) {
  StreamFacts f;
  if (const StatObject* codec = cs.Linked(rtp, "codecId")) {
    f.codec = LastText(*codec, "mimeType");
    f.codec_fmtp = LastText(*codec, "sdpFmtpLine");
  }
  ReadEcn(cs, rtp, sent, &f);
  f.implementation = LastText(rtp, sent ? "encoderImplementation" : "decoderImplementation");
  f.nack_count = Known(LastNumber(rtp, "nackCount"));
  f.pli_count = Known(LastNumber(rtp, "pliCount"));
  f.fir_count = Known(LastNumber(rtp, "firCount"));
  if (video) ReadFrameSizes(cs, rtp, &f);
  if (sent) {
    ReadSentFacts(cs, rtp, &f);
    if (video) ReadPsnr(rtp, &f);
  } else {
    ReadReceivedFacts(cs, rtp, video, &f);
    f.jitter_buffer_flush_times_ms = FlushTimes(rtp);
  }
  return f;
}

TrackEntry EntryOf(const ConnectionStats& cs, const StatObject& rtp, Direction dir,
                   MediaKind kind) {
  TrackEntry e;
  e.direction = dir;
  e.kind = kind;
  e.track_id = TrackIdOf(cs, rtp);
  if (kind != MediaKind::kAudio) e.rid = LastText(rtp, "rid");
  if (dir == Direction::kPublisher) {
    const double index = LastNumber(rtp, "encodingIndex");
    if (!std::isnan(index) && index >= 0) e.encoding_index = static_cast<int>(index);
  }
  e.series.timestamps_ms = rtp.times_ms;
  e.facts = FactsOf(cs, rtp, dir == Direction::kPublisher, kind != MediaKind::kAudio);
  if (dir == Direction::kSubscriber && kind != MediaKind::kAudio) {
    ReadFirstFrame(cs, rtp, e.track_id, &*e.facts);
  }
  return e;
}

// The share (0..1) of each interval a sent video spent limited by `reason`
// ("cpu", "bandwidth"): from Chrome's qualityLimitationDurations (seconds per
// reason, cumulative) when the dump has them, else 1 or 0 by the
// qualityLimitationReason at the sample.
std::vector<double> LimitedShare(const StatObject& out, const std::string& reason) {
  const auto& t = out.times_ms;
  std::vector<double> spent = Own(out, "qualityLimitationDurations." + reason);
  if (AllNaN(spent)) spent = MemberOfObjectText(out, "qualityLimitationDurations", reason);
  if (!AllNaN(spent)) {
    std::vector<double> share = Change(t, spent, false);
    for (size_t i = 1; i < share.size(); ++i) {
      const double seconds = static_cast<double>(t[i] - t[i - 1]) / 1000.0;
      share[i] = std::isnan(share[i]) ? share[i] : std::min(1.0, share[i] / seconds);
    }
    return share;
  }
  std::vector<double> share(t.size(), kNaN);
  const StatProperty* p = out.Find("qualityLimitationReason");
  if (!p || p->texts.empty()) return share;
  for (size_t i = 0; i < t.size(); ++i) {
    if (!p->texts[i].empty()) share[i] = p->texts[i] == reason ? 1 : 0;
  }
  return share;
}

// The share of each interval (%) a video's encoder or decoder spent on it,
// from a cumulative time counter in seconds (totalEncodeTime,
// totalDecodeTime): its change over the interval's length.
std::vector<double> UsagePercent(const std::vector<int64_t>& t,
                                 const std::vector<double>& seconds) {
  std::vector<double> usage = Change(t, seconds, true);
  for (double& v : usage) v *= 100;
  return usage;
}

TrackEntry SentEntry(const ConnectionStats& cs, const StatObject& out, MediaKind kind) {
  TrackEntry e = EntryOf(cs, out, Direction::kPublisher, kind);
  const auto& t = out.times_ms;
  Series& s = e.series;
  SetColumn(&s, Metric::kBitrate, Change(t, Own(out, "bytesSent", 8), true));
  if (kind != MediaKind::kAudio) {
    SetColumn(&s, Metric::kFps, FramesPerSecond(cs, out, "framesSent"));
    SetColumn(&s, Metric::kFrameHeight, StreamOrTrack(cs, out, "frameHeight"));
    SetColumn(&s, Metric::kCpuLimited, LimitedShare(out, "cpu"));
    SetColumn(&s, Metric::kBandwidthLimited, LimitedShare(out, "bandwidth"));
    SetColumn(&s, Metric::kEncodeUsage, UsagePercent(t, Own(out, "totalEncodeTime")));
  }
  const StatObject* remote = cs.RemoteInboundOf(out);
  const auto lost = Change(t, AlignedTo(t, remote, "packetsLost"), false);
  SetColumn(&s, Metric::kPacketLoss,
            LossPercent(lost, Change(t, Own(out, "packetsSent"), false), true));
  std::vector<double> rtt = AlignedTo(t, remote, "roundTripTime", 1000);
  if (AllNaN(rtt)) rtt = AlignedTo(t, cs.SelectedPair(), "currentRoundTripTime", 1000);
  SetColumn(&s, Metric::kRtt, rtt);
  SetColumn(&s, Metric::kJitter, AlignedTo(t, remote, "jitter", 1000));
  return e;
}

// Milliseconds of each interval a received video spent in the state a
// cumulative duration counter (seconds) counts. Chrome adds a freeze's or a
// pause's whole length to its counter when it ends: each increase is laid
// back over the intervals before it that the state covered.
std::vector<double> LaidBackMs(const ConnectionStats& cs, const StatObject& in,
                               std::string_view total_seconds) {
  const auto& t = in.times_ms;
  const std::vector<double> added = Change(t, StreamOrTrack(cs, in, total_seconds), false);
  std::vector<double> out(t.size(), kNaN);
  for (size_t i = 1; i < t.size(); ++i) {
    if (!std::isnan(added[i]) && std::isnan(out[i])) out[i] = 0;
    double left = std::isnan(added[i]) ? 0 : added[i] * 1000;
    for (size_t j = i; left > 0 && j > 0; --j) {
      const double span = static_cast<double>(t[j] - t[j - 1]);
      const double take = std::min(left, span - (std::isnan(out[j]) ? 0 : out[j]));
      if (take <= 0) continue;
      out[j] = (std::isnan(out[j]) ? 0 : out[j]) + take;
      left -= take;
    }
  }
  return out;
}

// Milliseconds of each interval the received video stood frozen.
std::vector<double> FrozenMs(const ConnectionStats& cs, const StatObject& in) {
  return LaidBackMs(cs, in, "totalFreezesDuration");
}

// Milliseconds of each interval the received video stood paused: no frame
// rendered for 5 s or more (webrtc-stats' pauseCount; freezes exclude them).
std::vector<double> PausedMs(const ConnectionStats& cs, const StatObject& in) {
  return LaidBackMs(cs, in, "totalPausesDuration");
}

// The mean of a jitter-buffer delay counter (s, summed over every sample or
// frame emitted) per emitted sample or frame in each interval, in ms.
std::vector<double> PerEmittedMs(const ConnectionStats& cs, const StatObject& in,
                                 std::string_view delay_seconds) {
  const auto& t = in.times_ms;
  std::vector<double> delay = Change(t, StreamOrTrack(cs, in, delay_seconds), false);
  const std::vector<double> emitted =
      Change(t, StreamOrTrack(cs, in, "jitterBufferEmittedCount"), false);
  for (size_t i = 0; i < delay.size(); ++i) {
    delay[i] = std::isnan(emitted[i]) || emitted[i] <= 0 ? kNaN : delay[i] / emitted[i] * 1000;
  }
  return delay;
}

// The mean jitter-buffer delay (ms) of what a receiver played in each
// interval (jitterBufferDelay).
std::vector<double> JitterBufferMs(const ConnectionStats& cs, const StatObject& in) {
  return PerEmittedMs(cs, in, "jitterBufferDelay");
}

// The delay the jitter buffer would have held on its own, without outside
// influence such as the application's jitterBufferTarget or audio/video sync
// (jitterBufferMinimumDelay, webrtc-stats), per interval in ms.
std::vector<double> JitterBufferMinimumMs(const ConnectionStats& cs, const StatObject& in) {
  return PerEmittedMs(cs, in, "jitterBufferMinimumDelay");
}

// Concealed samples per interval, counted at the model's 48 kHz.
std::vector<double> ConcealedSamples(const ConnectionStats& cs, const StatObject& in) {
  const auto& t = in.times_ms;
  std::vector<double> concealed = Change(t, StreamOrTrack(cs, in, "concealedSamples"), false);
  const std::vector<double> total = Change(t, StreamOrTrack(cs, in, "totalSamplesReceived"), false);
  for (size_t i = 1; i < concealed.size(); ++i) {
    const int64_t dt = t[i] - t[i - 1];
    if (std::isnan(concealed[i]) || std::isnan(total[i]) || total[i] <= 0 || dt <= 0) continue;
    concealed[i] = concealed[i] / total[i] * kModelSampleRate * static_cast<double>(dt) / 1000.0;
  }
  return concealed;
}

TrackEntry ReceivedEntry(const ConnectionStats& cs, const StatObject& in, MediaKind kind) {
  TrackEntry e = EntryOf(cs, in, Direction::kSubscriber, kind);
  const auto& t = in.times_ms;
  Series& s = e.series;
  SetColumn(&s, Metric::kBitrate, Change(t, Own(in, "bytesReceived", 8), true));
  SetColumn(&s, Metric::kPacketLoss,
            LossPercent(Change(t, Own(in, "packetsLost"), false),
                        Change(t, Own(in, "packetsReceived"), false), false));
  SetColumn(&s, Metric::kRtt, AlignedTo(t, cs.SelectedPair(), "currentRoundTripTime", 1000));
  SetColumn(&s, Metric::kJitter, Own(in, "jitter", 1000));
  SetColumn(&s, Metric::kJitterBufferMs, JitterBufferMs(cs, in));
  SetColumn(&s, Metric::kJitterBufferMinimumMs, JitterBufferMinimumMs(cs, in));
  if (kind == MediaKind::kAudio) {
    SetColumn(&s, Metric::kConcealedSamples, ConcealedSamples(cs, in));
  } else {
    SetColumn(&s, Metric::kFps, FramesPerSecond(cs, in, "framesDecoded"));
    SetColumn(&s, Metric::kFrameHeight, StreamOrTrack(cs, in, "frameHeight"));
    SetColumn(&s, Metric::kFreezeCount, Change(t, StreamOrTrack(cs, in, "freezeCount"), false));
    SetColumn(&s, Metric::kFreezeMs, FrozenMs(cs, in));
    SetColumn(&s, Metric::kPausedMs, PausedMs(cs, in));
    SetColumn(&s, Metric::kDecodeUsage, UsagePercent(t, StreamOrTrack(cs, in, "totalDecodeTime")));
  }
  return e;
}

// Chrome's legacy stats: one "ssrc" object per stream, "ssrc_<n>_send" or
// "ssrc_<n>_recv", goog* names, delays already in ms, numbers as text.
bool IsLegacySend(const StatObject& o) {
  return o.id.size() > 5 && o.id.compare(o.id.size() - 5, 5, "_send") == 0;
}

// A legacy boolean ("true" / "false") per sample as 1 / 0, NaN where absent.
std::vector<double> FlagOf(const StatObject& o, std::string_view name) {
  std::vector<double> out(o.times_ms.size(), kNaN);
  const StatProperty* p = o.Find(name);
  if (!p || p->texts.empty()) return out;
  for (size_t i = 0; i < out.size(); ++i) {
    if (p->texts[i] == "true") out[i] = 1;
    if (p->texts[i] == "false") out[i] = 0;
  }
  return out;
}

// A received legacy video's decode usage (%): googDecodeMs, Chrome's
// estimate of one frame's decode time, times the frames decoded per second.
std::vector<double> LegacyDecodeUsage(const StatObject& o) {
  std::vector<double> usage = Own(o, "googDecodeMs");
  const std::vector<double> fps = Own(o, "googFrameRateDecoded");
  for (size_t i = 0; i < usage.size(); ++i)
    usage[i] = usage[i] * fps[i] / 10;  // ms * fps / 1000 * 100
  return usage;
}

// The last value of a legacy property (numbers written as text), NaN if none.
double LastLegacyNumber(const StatObject& o, std::string_view name) {
  const std::vector<double> v = Own(o, name);
  for (size_t i = v.size(); i-- > 0;) {
    if (!std::isnan(v[i])) return v[i];
  }
  return kNaN;
}

// The mean of a legacy figure over the samples where the stream's bytes
// counter rose (it was flowing): legacy delays and times per frame are
// current values, not totals; nullopt when it never flowed or is not given.
std::optional<double> LegacyMeanWhileFlowing(const StatObject& o, std::string_view name,
                                             std::string_view bytes) {
  const std::vector<double> v = Own(o, name);
  const std::vector<double> added = Change(o.times_ms, Own(o, bytes), false);
  double sum = 0;
  size_t n = 0;
  for (size_t i = 0; i < v.size(); ++i) {
    if (std::isnan(v[i]) || std::isnan(added[i]) || added[i] <= 0) continue;
    sum += v[i];
    ++n;
  }
  return n ? std::optional<double>(sum / static_cast<double>(n)) : std::nullopt;
}

// What Chrome's legacy stats say of a stream beyond its series: the facts
// standard stats give where a goog* figure says the same (docs/INPUTS.md).
StreamFacts LegacyFacts(const ConnectionStats& cs, const StatObject& o, MediaKind kind, bool send) {
  StreamFacts f;
  const std::string codec = LastText(o, "googCodecName");
  if (!codec.empty()) f.codec = (kind == MediaKind::kAudio ? "audio/" : "video/") + codec;
  const std::string implementation = LastText(o, "codecImplementationName");
  if (implementation != "unknown") f.implementation = implementation;
  f.nack_count = Known(LastLegacyNumber(o, send ? "googNacksReceived" : "googNacksSent"));
  f.pli_count = Known(LastLegacyNumber(o, send ? "googPlisReceived" : "googPlisSent"));
  f.fir_count = Known(LastLegacyNumber(o, send ? "googFirsReceived" : "googFirsSent"));
  const char* bytes = send ? "bytesSent" : "bytesReceived";
  if (!send) f.jitter_buffer_ms = LegacyMeanWhileFlowing(o, "googJitterBufferMs", bytes);
  if (kind == MediaKind::kAudio) return f;
  const char* frames = send ? "framesEncoded" : "framesDecoded";
  const double coded = LastLegacyNumber(o, frames);
  f.frame_count = Known(coded);
  const double qp = LastLegacyNumber(o, "qpSum");
  if (coded > 0 && !std::isnan(qp)) f.qp_per_frame = qp / coded;
  if (send) {
    ReadFrameSizes(cs, o, &f, "googFrameWidthSent", "googFrameHeightSent");
    f.encode_ms_per_frame = LegacyMeanWhileFlowing(o, "googAvgEncodeMs", bytes);
  } else {
    ReadFrameSizes(cs, o, &f, "googFrameWidthReceived", "googFrameHeightReceived");
    f.decode_ms_per_frame = LegacyMeanWhileFlowing(o, "googDecodeMs", bytes);
  }
  return f;
}

TrackEntry LegacyEntry(const ConnectionStats& cs, const StatObject& o, MediaKind kind) {
  const bool send = IsLegacySend(o);
  TrackEntry e;
  e.direction = send ? Direction::kPublisher : Direction::kSubscriber;
  e.kind = kind;
  e.track_id = LastText(o, "googTrackId");
  if (e.track_id.empty()) e.track_id = SsrcName(o);
  e.facts = LegacyFacts(cs, o, kind, send);
  if (!send && kind != MediaKind::kAudio) ReadFirstFrame(cs, o, e.track_id, &*e.facts);
  const auto& t = o.times_ms;
  e.series.timestamps_ms = t;
  Series& s = e.series;
  const auto lost = Change(t, Own(o, "packetsLost"), false);
  if (send) {
    SetColumn(&s, Metric::kBitrate, Change(t, Own(o, "bytesSent", 8), true));
    SetColumn(&s, Metric::kPacketLoss,
              LossPercent(lost, Change(t, Own(o, "packetsSent"), false), true));
    // googRtt is 0 until the first receiver report measures it: not a value.
    std::vector<double> rtt = Own(o, "googRtt");
    for (double& v : rtt) v = v > 0 ? v : kNaN;
    SetColumn(&s, Metric::kRtt, rtt);
    if (kind != MediaKind::kAudio) {
      SetColumn(&s, Metric::kFps, Own(o, "googFrameRateSent"));
      SetColumn(&s, Metric::kFrameHeight, Own(o, "googFrameHeightSent"));
      // Chrome's own overuse detector's figure, and whether it or the
      // bandwidth estimate lowered the resolution.
      SetColumn(&s, Metric::kEncodeUsage, Own(o, "googEncodeUsagePercent"));
      // A sample says whether the browser limited the video only when it
      // gives both flags (Jitsi's dumps lose one when the object skips a line).
      std::vector<double> cpu = FlagOf(o, "googCpuLimitedResolution");
      std::vector<double> bandwidth = FlagOf(o, "googBandwidthLimitedResolution");
      for (size_t i = 0; i < cpu.size(); ++i) {
        if (std::isnan(cpu[i]) || std::isnan(bandwidth[i])) cpu[i] = bandwidth[i] = kNaN;
      }
      SetColumn(&s, Metric::kCpuLimited, cpu);
      SetColumn(&s, Metric::kBandwidthLimited, bandwidth);
    }
    return e;
  }
  SetColumn(&s, Metric::kBitrate, Change(t, Own(o, "bytesReceived", 8), true));
  SetColumn(&s, Metric::kPacketLoss,
            LossPercent(lost, Change(t, Own(o, "packetsReceived"), false), false));
  SetColumn(&s, Metric::kJitter, Own(o, "googJitterReceived"));
  if (kind != MediaKind::kAudio) {
    std::vector<double> fps = Own(o, "googFrameRateOutput");
    if (AllNaN(fps)) fps = Own(o, "googFrameRateReceived");
    SetColumn(&s, Metric::kFps, fps);
    SetColumn(&s, Metric::kFrameHeight, Own(o, "googFrameHeightReceived"));
    SetColumn(&s, Metric::kDecodeUsage, LegacyDecodeUsage(o));
  }
  return e;
}

// A second stream of one track and layer (the same camera sent on a
// peer-to-peer and a server connection) is named after its connection too.
void NameApart(const std::string& connection, const PeerStatsDoc& doc, TrackEntry* e) {
  const bool taken = std::any_of(doc.entries.begin(), doc.entries.end(), [&](const TrackEntry& o) {
    return o.direction == e->direction && o.track_id == e->track_id && o.rid == e->rid;
  });
  if (!taken) return;
  // The same track sent again on its connection (a new SSRC after a
  // renegotiation) is named by its stream as well.
  const std::string base = e->track_id;
  e->track_id = base + " (" + connection + ")";
  for (int n = 2; std::any_of(doc.entries.begin(), doc.entries.end(),
                              [&](const TrackEntry& o) {
                                return o.direction == e->direction && o.track_id == e->track_id &&
                                       o.rid == e->rid;
                              });
       ++n) {
    e->track_id = base + " (" + connection + " #" + std::to_string(n) + ")";
  }
}

void AddConnectionEntries(const ConnectionStats& cs, PeerStatsDoc* doc) {
  const DumpConnection& c = cs.connection();
  for (const StatObject& o : c.stats) {
    const bool sent = o.type == "outbound-rtp", received = o.type == "inbound-rtp";
    const bool legacy = o.type == "ssrc";
    if ((!sent && !received && !legacy) || o.times_ms.empty()) continue;
    const std::optional<MediaKind> kind = KindOf(o);
    if (!kind) continue;
    TrackEntry e = legacy ? LegacyEntry(cs, o, *kind)
                   : sent ? SentEntry(cs, o, *kind)
                          : ReceivedEntry(cs, o, *kind);
    NameApart(c.id, *doc, &e);
    e.ssrc = SsrcText(o);
    e.connection = c.id;
    e.index = static_cast<uint32_t>(doc->entries.size());
    doc->entries.push_back(std::move(e));
  }
}

// ---- connections --------------------------------------------------------------

// Legacy stats name candidate types their own way.
std::string StandardCandidateType(const std::string& type) {
  if (type == "local") return "host";
  if (type == "stun" || type == "serverreflexive") return "srflx";
  if (type == "peerreflexive") return "prflx";
  return type;
}

// The selected candidate pair's ends: types, protocols, addresses.
void ReadSelectedPair(const ConnectionStats& cs, Connection* c) {
  const StatObject* pair = cs.SelectedPair();
  if (!pair) return;
  if (pair->type == "googCandidatePair") {
    c->local_candidate_type = StandardCandidateType(LastText(*pair, "googLocalCandidateType"));
    c->remote_candidate_type = StandardCandidateType(LastText(*pair, "googRemoteCandidateType"));
    c->protocol = LastText(*pair, "googTransportType");
    c->local_address = LastText(*pair, "googLocalAddress");
    c->remote_address = LastText(*pair, "googRemoteAddress");
    return;
  }
  const auto address = [](const StatObject& candidate) {
    std::string a = LastText(candidate, "address");
    return a.empty() ? LastText(candidate, "ip") : a;
  };
  if (const StatObject* local = cs.Linked(*pair, "localCandidateId")) {
    c->local_candidate_type = StandardCandidateType(LastText(*local, "candidateType"));
    c->protocol = LastText(*local, "protocol");
    c->relay_protocol = LastText(*local, "relayProtocol");
    c->local_address = address(*local);
  }
  if (const StatObject* remote = cs.Linked(*pair, "remoteCandidateId")) {
    c->remote_candidate_type = StandardCandidateType(LastText(*remote, "candidateType"));
    c->remote_address = address(*remote);
  }
}

// DTLS facts of the first transport that gave a tlsVersion, at that sample.
void ReadDtls(const DumpConnection& dc, Connection* c) {
  for (const StatObject& o : dc.stats) {
    if (o.type != "transport") continue;
    const StatProperty* tls = o.Find("tlsVersion");
    if (!tls || tls->texts.empty()) continue;
    for (size_t i = 0; i < tls->texts.size(); ++i) {
      if (tls->texts[i].empty()) continue;
      const auto at = [&o, i](std::string_view name) {
        const StatProperty* p = o.Find(name);
        return p && i < p->texts.size() ? std::string(p->texts[i]) : std::string();
      };
      c->tls_version = tls->texts[i];
      c->dtls_role = at("dtlsRole");
      c->srtp_cipher = at("srtpCipher");
      return;
    }
  }
}

// The selected pair's mean STUN round trip and its mean bitrates: from its
// first sample with bytes both sent and received to its last.
void ReadPairAverages(const ConnectionStats& cs, Connection* c) {
  const StatObject* pair = cs.SelectedPair();
  if (!pair || pair->type != "candidate-pair") return;
  const double rtt = LastNumber(*pair, "totalRoundTripTime");
  const double responses = LastNumber(*pair, "responsesReceived");
  if (!std::isnan(rtt) && responses > 0) c->stun_rtt_ms = 1000 * rtt / responses;
  const std::vector<double> sent = Own(*pair, "bytesSent"), received = Own(*pair, "bytesReceived");
  const auto& t = pair->times_ms;
  if (t.empty()) return;
  size_t first = 0;
  while (first < t.size() && !(sent[first] > 0 && received[first] > 0)) ++first;
  const size_t last = t.size() - 1;
  if (first >= last || t[last] <= t[first]) return;
  const double seconds = static_cast<double>(t[last] - t[first]) / 1000.0;
  if (!std::isnan(sent[last])) c->outbound_bps = 8 * (sent[last] - sent[first]) / seconds;
  if (!std::isnan(received[last])) {
    c->inbound_bps = 8 * (received[last] - received[first]) / seconds;
  }
}

// Calls `on_url` with each URL in `text` that starts with `scheme` ("turn:")
// where a word starts (not "xturn:"), up to a quote, comma, space or bracket.
template <typename F>
void EachUrl(const std::string& text, std::string_view scheme, F on_url) {
  for (size_t at = text.find(scheme); at != std::string::npos; at = text.find(scheme, at + 1)) {
    if (at > 0 && std::isalnum(static_cast<unsigned char>(text[at - 1]))) continue;
    size_t end = at;
    while (end < text.size() && std::string_view("\"', ]}").find(text[end]) == std::string::npos) {
      ++end;
    }
    on_url(std::string_view(text).substr(at, end - at));
  }
}

// The configured ICE servers, from the configuration as JSON text or as
// Chrome's own text ("{ iceServers: [stun:...], iceTransportPolicy: all }").
std::optional<IceServers> IceServersOf(const std::string& configuration) {
  if (configuration.find("iceServers") == std::string::npos) return std::nullopt;
  IceServers s;
  json::JsonCursor cursor(configuration, 16);
  json::JsonTree tree;
  if (tree.Read(&cursor) && cursor.AtEnd()) {
    const json::JsonValue servers = tree.root().Find("iceServers");
    if (!servers.is_array()) return std::nullopt;
    s.count = static_cast<int>(servers.Elements().size());
    if (*s.count == 0) return std::nullopt;
  }
  EachUrl(configuration, "stun:", [&s](std::string_view) { s.stun = true; });
  EachUrl(configuration, "stuns:", [&s](std::string_view) { s.stun = true; });
  EachUrl(configuration, "turns:", [&s](std::string_view) { s.turns = true; });
  EachUrl(configuration, "turn:", [&s](std::string_view url) {
    (url.find("transport=tcp") != std::string_view::npos ? s.turn_tcp : s.turn_udp) = true;
  });
  const size_t policy = configuration.find("iceTransportPolicy");
  s.relay_only = policy != std::string::npos &&
                 configuration.substr(policy, 30).find("relay") != std::string::npos;
  return s;
}

// Adds the type of each ICE candidate line ("candidate:F C udp P ADDRESS PORT
// typ TYPE ...") in an event's value.
void AddCandidateTypes(const std::string& value, CandidateTypes* types) {
  constexpr std::string_view kTag = "candidate:";
  for (size_t at = value.find(kTag); at != std::string::npos; at = value.find(kTag, at + 1)) {
    size_t i = at + kTag.size();
    if (i >= value.size() || value[i] == ' ') continue;  // "candidate: candidate:..."
    std::vector<std::string> words;
    while (i < value.size() && words.size() < 8) {
      const size_t end = value.find_first_of(" \"\\,}", i);
      words.push_back(value.substr(i, end == std::string::npos ? end : end - i));
      if (end == std::string::npos || value[end] != ' ') break;
      i = end + 1;
    }
    if (words.size() < 8 || words[6] != "typ") continue;
    const std::string& type = words[7];
    const std::string& address = words[4];
    const bool mdns = address.size() > 6 && address.compare(address.size() - 6, 6, ".local") == 0;
    if (type == "host") (mdns ? types->mdns : types->host) = true;
    if (type == "srflx") types->srflx = true;
    if (type == "prflx") types->prflx = true;
    if (type == "relay") types->relay = true;
  }
}

// Lower case, without a leading "on": "onIceCandidate" -> "icecandidate".
std::string PlainMethod(std::string m) {
  for (char& ch : m) ch = static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
  if (m.compare(0, 2, "on") == 0) m.erase(0, 2);
  return m;
}

// Candidates gathered and added, and whether the remote is ICE-lite, from the
// connection's logged calls (rtcstats and webrtc-internals name them alike).
void ReadSignalling(const StatsDump& d, Connection* c) {
  for (const DumpEvent& e : d.events) {
    if (e.connection_id != c->id || e.kind != DumpEventKind::kOther) continue;
    const std::string m = PlainMethod(e.method);
    if (m == "icecandidate") {
      if (!c->gathered_candidates) c->gathered_candidates.emplace();
      AddCandidateTypes(e.value, &*c->gathered_candidates);
    } else if (m == "addicecandidate") {
      if (!c->added_candidates) c->added_candidates.emplace();
      AddCandidateTypes(e.value, &*c->added_candidates);
    } else if (m == "setremotedescription") {
      const bool lite = e.value.find("a=ice-lite") != std::string::npos;
      c->remote_ice_lite = c->remote_ice_lite.value_or(false) || lite;
    }
  }
}

bool IsState(const DumpEvent& e, std::initializer_list<const char*> values) {
  if (e.kind != DumpEventKind::kIceConnectionState && e.kind != DumpEventKind::kConnectionState) {
    return false;
  }
  for (const char* v : values) {
    if (e.value == v) return true;
  }
  return false;
}

void SetFirst(std::optional<int64_t>* at, int64_t t) {
  if (!*at) *at = t;
}

// Whether the event asks for an ICE restart: restartIce(), or createOffer
// with {iceRestart: true}.
bool AsksIceRestart(const DumpEvent& e) {
  if (e.kind == DumpEventKind::kCreateOffer) {
    return e.value.find("\"iceRestart\":true") != std::string::npos;
  }
  return e.kind == DumpEventKind::kOther &&
         (e.method == "restartIce" || e.method == "onrestartIce" || e.method == "restartice");
}

// The steps of setup one event may be: connectionState connecting and
// connected, the first offer (or the offer received) and the stable
// signalling state that ended that exchange.
void ReadSetupStep(const DumpEvent& e, Connection* c) {
  if (e.kind == DumpEventKind::kConnectionState) {
    if (e.value == "connecting") SetFirst(&c->connecting_ms, e.time_ms);
    if (e.value == "connected" && c->connecting_ms) {
      SetFirst(&c->transport_connected_ms, e.time_ms);
    }
  }
  if (e.kind != DumpEventKind::kSignalingState) return;
  if (!c->offer_ms && (e.value == "have-local-offer" || e.value == "have-remote-offer")) {
    c->offer_ms = e.time_ms;
    c->offerer = e.value == "have-local-offer";
  }
  if (c->offer_ms && e.value == "stable") SetFirst(&c->answer_ms, e.time_ms);
}

// What the connection's logged events say of its setup, failures and ICE
// restarts. A restart completed when ICE connected again, or stayed connected
// (Chrome does not leave "connected" for a restart that succeeds), that is
// when no failure or close followed it.
void ReadConnectionEvents(const StatsDump& d, Connection* c) {
  bool restarting = false;
  for (const DumpEvent& e : d.events) {
    if (e.connection_id != c->id) continue;
    if (e.kind == DumpEventKind::kCreate) SetFirst(&c->created_ms, e.time_ms);
    if (e.kind == DumpEventKind::kClose || IsState(e, {"closed"})) {
      SetFirst(&c->closed_ms, e.time_ms);
      restarting = false;
    }
    if (e.kind == DumpEventKind::kIceConnectionState && e.value == "checking") {
      SetFirst(&c->checking_ms, e.time_ms);
    }
    if (IsState(e, {"connected", "completed"})) {
      SetFirst(&c->connected_ms, e.time_ms);
      if (restarting) ++c->ice_restarts_completed;
      restarting = false;
    }
    if (IsState(e, {"failed"})) {
      SetFirst(&c->failed_ms, e.time_ms);
      restarting = false;
    }
    ReadSetupStep(e, c);
    if (AsksIceRestart(e)) {
      c->ice_restarts_ms.push_back(e.time_ms);
      restarting = true;
    }
  }
  if (restarting) ++c->ice_restarts_completed;
}

// The connection as its logged events tell it (ReadConnectionEvents).
Connection ConnectionFromEvents(const StatsDump& d, const std::string& id) {
  Connection c;
  c.id = id;
  ReadConnectionEvents(d, &c);
  return c;
}

// Adds the connection `from_events` (ConnectionFromEvents of cs) completed
// with what its stats and logged calls say.
void AddConnection(const StatsDump& d, const ConnectionStats& cs, Connection from_events,
                   const std::string& session, const std::string& peer, Fragment* out) {
  const DumpConnection& dc = cs.connection();
  ConnectionFact f;
  f.session_id = session;
  f.peer_id = peer;
  f.connection = std::move(from_events);
  Connection& c = f.connection;
  ReadSelectedPair(cs, &c);
  ReadDtls(dc, &c);
  ReadPairAverages(cs, &c);
  c.ice_servers = IceServersOf(dc.configuration);
  ReadSignalling(d, &c);
  if (!c.created_ms) {  // not logged: its first event or sample
    const auto see = [&c](int64_t t) {
      if (!c.created_ms || t < *c.created_ms) c.created_ms = t;
    };
    for (const DumpEvent& e : d.events) {
      if (e.connection_id == dc.id) see(e.time_ms);
    }
    for (const StatObject& o : dc.stats) {
      if (!o.times_ms.empty()) see(o.times_ms.front());
    }
  }
  out->connections.push_back(std::move(f));
}

// When the connection's media could first flow (connectionState connected,
// else ICE connected) and its ontrack events, for first-frame times.
// `c`: ConnectionFromEvents of cs.
void ReadMediaStart(const StatsDump& d, const Connection& c, ConnectionStats* cs) {
  std::vector<const DumpEvent*> ontracks;
  for (const DumpEvent& e : d.events) {
    if (e.connection_id == c.id && e.kind == DumpEventKind::kTrack) ontracks.push_back(&e);
  }
  cs->SetSetup(c.transport_connected_ms ? c.transport_connected_ms : c.connected_ms,
               std::move(ontracks));
}

std::vector<std::string> SentSsrcs(const StatsDump& d) {
  std::vector<std::string> out;
  for (const DumpConnection& c : d.connections) {
    for (const StatObject& o : c.stats) {
      if (o.type == "outbound-rtp" || (o.type == "ssrc" && IsLegacySend(o))) {
        std::string ssrc = SsrcText(o);
        if (!ssrc.empty()) out.push_back(std::move(ssrc));
      }
    }
  }
  std::sort(out.begin(), out.end());
  out.erase(std::unique(out.begin(), out.end()), out.end());
  return out;
}

// ---- events -----------------------------------------------------------------

// When the connection of event i was connected again, if it was.
std::optional<int64_t> RecoveredAt(const StatsDump& d, size_t i) {
  const DumpEvent& e = d.events[i];
  for (size_t j = i + 1; j < d.events.size(); ++j) {
    const DumpEvent& n = d.events[j];
    if (n.connection_id == e.connection_id && n.kind == e.kind &&
        (n.value == "connected" || n.value == "completed")) {
      return n.time_ms;
    }
  }
  return std::nullopt;
}

bool LaterGumSuccess(const StatsDump& d, size_t i) {
  for (size_t j = i + 1; j < d.events.size(); ++j) {
    if (d.events[j].kind == DumpEventKind::kGetUserMediaSuccess) return true;
  }
  return false;
}

// Connections whose connectionState changes are logged: their failures are
// read from iceConnectionState only when connectionState is not logged.
bool LogsConnectionState(const StatsDump& d, const std::string& connection) {
  return std::any_of(d.events.begin(), d.events.end(), [&](const DumpEvent& e) {
    return e.connection_id == connection && e.kind == DumpEventKind::kConnectionState;
  });
}

// A connection's failure and a transport's dtlsState "failed" this close in
// time are one failure: stats are sampled (every second to every 10 s).
constexpr int64_t kDtlsNearMs = 10000;

// When a transport of the connection first reported dtlsState "failed" (the
// DTLS handshake or session failed: a certificate fingerprint that does not
// match the one signalled, a handshake that timed out), if one did.
std::optional<int64_t> DtlsFailedAt(const StatsDump& d, const std::string& connection) {
  std::optional<int64_t> first;
  for (const DumpConnection& c : d.connections) {
    if (c.id != connection) continue;
    for (const StatObject& o : c.stats) {
      const StatProperty* p = o.type == "transport" ? o.Find("dtlsState") : nullptr;
      if (!p) continue;
      for (size_t i = 0; i < p->texts.size(); ++i) {
        if (p->texts[i] != "failed") continue;
        if (!first || o.times_ms[i] < *first) first = o.times_ms[i];
        break;
      }
    }
  }
  return first;
}

// Whether the connection's transport failed in DTLS near time t.
bool DtlsFailedNear(const StatsDump& d, const std::string& connection, int64_t t) {
  const std::optional<int64_t> at = DtlsFailedAt(d, connection);
  return at && std::llabs(*at - t) <= kDtlsNearMs;
}

// What a logged event means for the model: its type, and the failure it is.
bool DescribeEvent(const StatsDump& d, size_t i, Event* ev) {
  const DumpEvent& e = d.events[i];
  const std::string prefix = std::string("webrtc.") + DumpEventKindName(e.kind);
  switch (e.kind) {
    case DumpEventKind::kIceConnectionState:
    case DumpEventKind::kConnectionState: {
      ev->type = prefix + "." + e.value;
      const bool decides =
          e.kind == DumpEventKind::kConnectionState || !LogsConnectionState(d, e.connection_id);
      if (decides && (e.value == "failed" || e.value == "disconnected")) {
        ev->is_error = true;
        ev->failed = FailedOperation::kConnection;
        ev->terminal_given = true;
        ev->recovered_ms = RecoveredAt(d, i);
        ev->is_terminal = e.value == "failed" || !ev->recovered_ms;
        // The state as the API names it: "iceConnectionState failed".
        ev->error_name =
            std::string(e.kind == DumpEventKind::kIceConnectionState ? "iceConnectionState "
                                                                     : "connectionState ") +
            e.value;
        // A transport that failed in DTLS then says why: not ICE.
        if (e.value == "failed" && DtlsFailedNear(d, e.connection_id, e.time_ms)) {
          ev->error_name = kDtlsFailedName;
        }
      }
      return true;
    }
    case DumpEventKind::kGetUserMediaFailure:
      ev->type = e.display ? "webrtc.get_display_media.failed" : "webrtc.get_user_media.failed";
      ev->is_error = true;
      ev->failed = FailedOperation::kPublish;
      ev->terminal_given = true;
      ev->is_terminal = !LaterGumSuccess(d, i);
      return true;
    // Signalling the application did wrong (an offer or answer the browser
    // refused, a candidate it could not add): the signaling_error issue, not
    // a connect attempt of the call.
    case DumpEventKind::kCreateOfferFailure:
    case DumpEventKind::kCreateAnswerFailure:
    case DumpEventKind::kSetLocalDescriptionFailure:
    case DumpEventKind::kSetRemoteDescriptionFailure:
    case DumpEventKind::kAddIceCandidateFailure:
    case DumpEventKind::kIceCandidateError:
      ev->type = prefix;
      ev->is_error = true;
      ev->failed = FailedOperation::kOther;
      return true;
    case DumpEventKind::kClose:
      ev->type = prefix;
      return true;
    default:
      return false;  // the rest stays in the dump: calls and states that decide nothing
  }
}

// A transport that failed in DTLS where no logged state change tells it (a
// browser that logs only iceConnectionState, which stays connected): a
// failure event of its own from the stats, at the first sample saying so.
// DTLS does not recover on that transport: it is terminal.
void AddDtlsFailures(const StatsDump& d, const std::string& session, const std::string& peer,
                     const std::string& source, Fragment* out) {
  for (const DumpConnection& c : d.connections) {
    const std::optional<int64_t> at = DtlsFailedAt(d, c.id);
    if (!at) continue;
    const bool told = std::any_of(d.events.begin(), d.events.end(), [&](const DumpEvent& e) {
      return e.connection_id == c.id && e.value == "failed" &&
             (e.kind == DumpEventKind::kConnectionState ||
              e.kind == DumpEventKind::kIceConnectionState) &&
             std::llabs(e.time_ms - *at) <= kDtlsNearMs;
    });
    if (told) continue;
    StagedEvent se;
    se.session_id = session;
    Event& ev = se.event;
    ev.type = "webrtc.dtls_state.failed";
    ev.time_ms = *at;
    ev.peer_id = peer;
    ev.is_error = true;
    ev.failed = FailedOperation::kConnection;
    ev.terminal_given = true;
    ev.is_terminal = true;
    ev.error_name = kDtlsFailedName;
    ev.error_message = "on connection " + c.id;
    ev.source = source;
    out->events.push_back(std::move(se));
  }
}

void AddEvents(const StatsDump& d, const std::string& session, const std::string& peer,
               const std::string& source, Fragment* out) {
  for (size_t i = 0; i < d.events.size(); ++i) {
    StagedEvent se;
    se.session_id = session;
    Event& ev = se.event;
    if (!DescribeEvent(d, i, &ev)) continue;
    ev.time_ms = d.events[i].time_ms;
    ev.peer_id = peer;
    if (ev.is_error) {
      // A state change's error_name already says it: only its connection.
      const bool state = ev.failed == FailedOperation::kConnection;
      ev.error_message = state ? "" : d.events[i].value;
      const std::string& connection = d.events[i].connection_id;
      if (!connection.empty()) {
        ev.error_message +=
            state ? "on connection " + connection : " (connection " + connection + ")";
      }
    }
    ev.uninterpreted = !ev.is_error;
    ev.source = source;
    out->events.push_back(std::move(se));
  }
  AddDtlsFailures(d, session, peer, source, out);
}

// First and last time the dump saw anything.
std::pair<int64_t, int64_t> DumpSpan(const StatsDump& d, const PeerStatsDoc& doc) {
  int64_t first = INT64_MAX, last = INT64_MIN;
  const auto see = [&](int64_t t) {
    if (t <= 0) return;
    first = std::min(first, t);
    last = std::max(last, t);
  };
  for (const auto& e : doc.entries) {
    if (e.series.empty()) continue;
    see(e.series.timestamps_ms.front());
    see(e.series.timestamps_ms.back());
  }
  for (const auto& e : d.events) see(e.time_ms);
  if (first == INT64_MAX) see(d.start_ms);
  return {first, last};
}

}  // namespace

void DumpToFragment(const StatsDump& dump, const std::string& source, Fragment* out,
                    std::vector<InputMessage>* messages) {
  const std::string hash = DumpHash(dump);
  PeerStatsDoc doc;
  doc.peer_id = dump.client_id.empty() ? "browser-" + hash : dump.client_id;
  doc.session_id = "dump-" + hash;
  doc.source = source;
  doc.entry_arrays.push_back("");
  // Each connection's stats indexed once, for its entries and its facts.
  std::vector<ConnectionStats> connections;
  connections.reserve(dump.connections.size());
  for (const DumpConnection& c : dump.connections) connections.emplace_back(c);
  // ... and its logged events read once, for its media start and its facts.
  std::vector<Connection> from_events;
  for (ConnectionStats& cs : connections) {
    from_events.push_back(ConnectionFromEvents(dump, cs.connection().id));
    ReadMediaStart(dump, from_events.back(), &cs);
  }
  for (const ConnectionStats& cs : connections) AddConnectionEntries(cs, &doc);
  ValidatePeerStats(&doc, messages);
  OrderPeerStatsEntries(&doc);

  const auto [first, last] = DumpSpan(dump, doc);
  PeerFact pf;
  pf.session_id = doc.session_id;
  pf.peer_id = doc.peer_id;
  pf.source = FactSource::kSession;
  ReadUserAgent(dump.user_agent, &pf.info);
  pf.info.dump_kind = DumpKindName(dump.kind);
  pf.info.stats_format = StatsFormatName(dump.format);
  pf.info.dump_truncated = dump.truncated;
  if (first != INT64_MAX) {
    pf.info.joined_ms = first;
    pf.info.left_ms = last;
  }
  out->peers.push_back(std::move(pf));
  AddEvents(dump, doc.session_id, doc.peer_id, source, out);
  for (size_t k = 0; k < connections.size(); ++k) {
    AddConnection(dump, connections[k], std::move(from_events[k]), doc.session_id, doc.peer_id,
                  out);
  }
  if (doc.entries.empty()) {
    InputMessage m;
    m.level = InputMessage::Level::kInfo;
    m.text = "the dump holds no audio or video sent or received";
    messages->push_back(std::move(m));
  }
  out->peer_stats.push_back(std::move(doc));
}

}  // namespace callsight::ingest
