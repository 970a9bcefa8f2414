// Scores: the ITU-T G.107 E-model, the video score, the Connection Quality Score
// and call-health bands. Pure functions of their inputs (AudioMosCache only
// remembers what it computed); docs/SCORING.md gives every equation, weight
// and band with its source.
#ifndef CALLSIGHT_SCORING_H_
#define CALLSIGHT_SCORING_H_

#include <cmath>
#include <cstdint>
#include <limits>
#include <string>
#include <vector>

#include "callsight/model.h"

namespace callsight {

inline constexpr double kUnset = std::numeric_limits<double>::quiet_NaN();

// Inputs of the G.107 E-model (SPEC Appendix A). NaN for t_r / t_a means the
// Recommendation's default (Tr = 2·T, Ta = T).
struct EModelParams {
  double slr = 8, rlr = 2, stmr = 15, lstr = 18, ds = 3, dr = 3, telr = 65, wepl = 110;
  double t = 0;         // mean one-way delay of the echo path, ms
  double t_r = kUnset;  // round-trip delay in a 4-wire loop, ms
  double t_a = kUnset;  // absolute one-way delay, ms
  double qdu = 1, ie = 0, bpl = 4.3, ppl = 0, burst_r = 1;
  double nc = -70, nfor = -64, ps = 35, pr = 35, a = 0;
  double m_t = 100, s_t = 1;  // delay sensitivity
};

struct EModelResult {
  double r = 0;    // transmission rating factor
  double mos = 1;  // G.107 Annex B, 1..4.5
};

// The full E-model. Inputs outside the model's range are clamped where the
// Recommendation says so; never returns NaN for finite inputs.
EModelResult ComputeEModel(const EModelParams& params);

// G.107 Annex B: R -> MOS (1 below R 0, 4.5 above R 100).
double MosFromR(double r);

// Codec profile for WebRTC audio. Opus defaults: Ie 0, Bpl 25.1.
struct AudioProfile {
  double ie = 0;
  double bpl = 25.1;
};

// Audio MOS of a WebRTC track: Ta = T = RTT/2 + 2·jitter + 20 ms, Tr = 2·T,
// Ppl = loss %, BurstR 1; 2·jitter stands for the jitter buffer's delay, and
// jitter_buffer_ms, where a receiver measured it (browser dumps), replaces
// it. NaN rtt/jitter/loss count as 0; a NaN jitter_buffer_ms is not given.
EModelResult AudioMos(double rtt_ms, double jitter_ms, double loss_pct,
                      const AudioProfile& profile = {}, double jitter_buffer_ms = kUnset);

// AudioMos for many samples in a row, with the same results bit for bit. R
// without loss is a costly function of T (many powers and logarithms) and the
// same few thousand delays repeat across samples and windows, so it is kept
// per T in a direct-mapped table: the analysis of the bench session takes
// 195 ms with it, 554 ms without. Not for sharing between threads: each task
// or worker owns one.
class AudioMosCache {
 public:
  EModelResult AudioMos(double rtt_ms, double jitter_ms, double loss_pct,
                        const AudioProfile& profile = {}, double jitter_buffer_ms = kUnset);

 private:
  struct Entry {
    double t = -1;  // T is at least 20 ms: -1 never matches
    double r0 = 0;  // R at that T without loss
  };
  std::vector<Entry> entries_ = std::vector<Entry>(4096);
};

// Audio MOS per sample of one track, as the analysis scores it and the charts
// draw it: sample i is AudioMos(rtt[i], jitter[i], loss[i]).mos, or NaN where
// all three are missing. Each column is either empty (not reported) or has
// `size` samples. Returns an empty column when all three are empty. `cache`
// (optional) is kept across calls by the caller.
Samples AudioMosSamples(const Samples& rtt_ms, const Samples& jitter_ms, const Samples& loss_pct,
                        size_t size, const AudioProfile& profile = {},
                        AudioMosCache* cache = nullptr);

// Inputs of the video score. NaN = unknown, which costs nothing.
struct VideoScoreInput {
  bool screen = false;  // screen share expects few frames
  double fps = kUnset;
  double expected_fps = kUnset;  // the layer's nominal rate
  double bitrate_bps = kUnset;
  double expected_bitrate_bps = kUnset;
  double loss_pct = kUnset;
  double rtt_ms = kUnset;
  double freezes_per_min = kUnset;
};

// Video quality 0..5 (5 = perfect). Monotone: a worse input never scores higher.
double VideoScore(const VideoScoreInput& in);

// What a video track is expected to deliver, by its role (docs/SCORING.md,
// "Expected frame rate and bitrate"): never from the track's own statistics.
enum class VideoRole : uint8_t {
  kCamera,          // sent camera whose top layer is h or m, or a single layer
  kCameraLowLayer,  // sent camera whose only / top layer is the simulcast l layer
  kReceivedCamera,  // received camera (the SFU may forward any layer)
  kScreen,          // screen share, sent or received
};
struct VideoExpectation {
  double fps = kUnset;
  double bitrate_bps = kUnset;  // all layers summed; NaN: not judged
};
VideoExpectation ExpectedVideo(VideoRole role);
// The role of a video track: kind, direction, and the rid of its highest
// layer (layers come highest first; "" for a single layer).
VideoRole VideoRoleOf(MediaKind kind, Direction direction, const std::string& top_rid);

// One direction of a peer's connection over one window. NaN = not measured.
struct ConnectionInput {
  double audio_mos = kUnset;    // 1..4.5
  double video_score = kUnset;  // 0..5
  double loss_pct = kUnset;
  double rtt_ms = kUnset;
  double jitter_ms = kUnset;
};

// Connection Quality Score 0..5 for one direction and window; NaN when the
// window has no measurement at all.
double ConnectionScore(const ConnectionInput& in);

enum class CqsBand { kExcellent, kGood, kFair, kPoor, kFailed };
// >= 4 excellent, >= 3 good, >= 2 fair, >= 1 poor, else failed.
CqsBand BandOf(double cqs);
const char* CqsBandName(CqsBand band);  // "excellent", "good", "fair", "poor", "failed"

enum class Health { kNone, kGood, kModerate, kPoor };
const char* HealthName(Health h);  // "none", "good", "moderate", "poor"

// Call health from the time spent in each CQS band (any unit, e.g. ms).
// All zero -> kNone.
Health HealthFromBandTime(const double time_in_band[5]);

// Health of a media kind's headline figure (HeadlineScore of its windows):
// >= 4 good, >= 2 moderate, else poor; NaN -> kNone.
Health HealthFromFigure(double figure);
// The worse of two healths (kNone is no evidence: the other one wins).
Health WorseHealth(Health a, Health b);

// A window's breach level (0 none, 1 warning, 2 critical) caps its score:
// a window holding a warning-level value scores at most 3.5 (good), one
// holding a critical value at most 2.5 (fair). NaN for level 0 (no cap).
inline constexpr double kWarningWindowCap = 3.5;
inline constexpr double kCriticalWindowCap = 2.5;
double BreachLevelCap(int level);
// score capped by a breach level; a breach in a window without a score of
// its own gives the cap (the breach is the measurement).
double CapByBreachLevel(double score, int level);

// One scored window and the time it stands for (ms).
struct WindowScore {
  double score = kUnset;
  double weight_ms = 0;
};
// A sustained period: one minute.
inline constexpr double kSustainedMs = 60000;
// Time-weighted mean of the scored windows (NaN scores and weights <= 0
// skipped); NaN when there are none.
double TimeWeightedMean(const std::vector<WindowScore>& windows);
// The lowest score held for a sustained period: the smallest s such that the
// windows scoring <= s weigh at least min(kSustainedMs, total weight).
double SustainedLow(std::vector<WindowScore> windows);
// The headline figure: min(TimeWeightedMean, SustainedLow). Never above the
// mean, and never above a level held for a minute.
double HeadlineScore(const std::vector<WindowScore>& windows);

}  // namespace callsight

#endif  // CALLSIGHT_SCORING_H_
